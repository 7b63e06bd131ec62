"""LaTeX tables that compile as they are: caption, label, the packages they need, and a layout
that fits the page.

Every ``tables/<name>.tex`` of a run is a complete table that a paper can ``\\input``: a comment
header naming the packages it needs (``% requires: \\usepackage{booktabs}, ...``), a ``table``
float (or a ``longtable`` when it is longer than a page, since a float cannot break across
pages) with ``\\caption`` and ``\\label{tab:<name>}``, and ``booktabs`` rules (Fear 2020).  The
layout is chosen from an estimate of the content's width in Computer Modern (10 pt): the
first of portrait, ``\\small``, ``\\footnotesize``, then landscape (``pdflscape``) in the same sizes,
in which the table fits the text width of a standard ``article`` page; long text columns (case
lists, model formulas, sentences) wrap in ``tabularx`` ``X`` columns (``xltabular`` when the
table is also long) rather than run off the page, and column headings of several words are
stacked above narrow numeric columns.

The configuration tables use Fiss's (2011, p. 403) notation with the shapes of the chart drawn
by ``analysis.report.configurations``: a large filled circle (core condition present), a small
one (peripheral present), a large crossed circle (core absent) and a small slashed circle
(peripheral absent).  In LaTeX they are ``\\bullet`` enlarged to the size of ``\\otimes``,
``\\bullet``, ``\\otimes`` and ``\\oslash`` reduced to the size of ``\\bullet``: standard math
symbols, scaled with ``graphicx`` and kept centred on the math axis, so that no symbol font is needed
(``wasysym``, whose ``\\CIRCLE`` the tables once used, clashes with ``amsmath``).

>>> import pandas as pd
>>> tex = latex_table(pd.DataFrame({"set": ["A_1"], "inclS": [0.91234]}), "fit_A")
>>> print(tex.splitlines()[1])
% requires: \\usepackage{booktabs}
>>> [line for line in tex.splitlines() if line.startswith(("\\\\caption", "\\\\label", "A"))]
['\\\\caption{Fit: A}', '\\\\label{tab:fit-A}', 'A\\\\_1 & 0.912 \\\\\\\\']
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .tables import _is_numeric, fmt

__all__ = ["CAPTIONS", "FISS_SYMBOLS", "PACKAGES", "Layout", "caption_of", "choose_layout", "label_of",
           "latex_document", "latex_table", "required_packages", "tex_escape", "text_width"]

# Fiss (2011) symbols as drawn in the configuration chart (analysis.report.configurations).
# Fiss (2011) symbols as the configuration chart (analysis.report.configurations) draws them:
# \bullet scaled up to the diameter of \otimes, \oslash scaled down to that of \bullet, both
# moved back onto the math axis (0.25 em above the baseline) from which \scalebox moved them.
FISS_SYMBOLS = {"●": r"\raisebox{-0.175em}{\scalebox{1.7}{$\bullet$}}",     # core, present
                "•": r"$\bullet$",                                         # peripheral, present
                "⊗": r"$\otimes$",                                         # core, absent
                "⊘": r"\raisebox{0.1em}{\scalebox{0.6}{$\oslash$}}"}       # peripheral, absent
_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", "\n": " ", "\t": " ",
        "≥": r"$\geq$", "≤": r"$\leq$", "→": r"$\rightarrow$", "×": r"$\times$", "±": r"$\pm$",
        "−": r"$-$", "∼": r"$\sim$", "¬": r"$\neg$", **FISS_SYMBOLS}
_BREAK_AFTER = "*_/"              # where a wrapped cell may break besides its spaces (``A*B``, ``a_b``)

# Captions of the tables every study's notebooks write (``name`` -> caption); other names are
# turned into a caption by ``caption_of``.
CAPTIONS = {"codebook": "Codebook: the measures, their indicators and calibration anchors",
            "measures": "Raw measures of the cases",
            "descriptives": "Descriptive statistics of the raw measures",
            "reliability": "Reliability of the multi-indicator measures",
            "calibrated": "Calibrated set memberships of the cases",
            "calibration_summary": "Calibrated sets: mean membership, cases above and at 0.5",
            "necessity": "Necessity of single conditions",
            "necessity_disjunctions": "Necessity of disjunctions of conditions",
            "claims": "Claims ledger"}

# Packages in the order a preamble loads them.
PACKAGES = ("array", "booktabs", "graphicx", "longtable", "tabularx", "xltabular", "pdflscape")
TEXT_WIDTH, TEXT_HEIGHT = 345.0, 550.0      # pt: the text block of article, 10 pt (letter or A4)
# The layouts tried, in order: landscape?, size, \tabcolsep (pt).
CANDIDATES = ((False, "", 6.0), (False, r"\small", 5.0), (False, r"\footnotesize", 4.0),
              (True, "", 6.0), (True, r"\small", 5.0), (True, r"\footnotesize", 4.0), (True, r"\scriptsize", 3.0))
# Per size: text width relative to 10 pt (Computer Modern's smaller designs are relatively wider:
# cmr7 at 7 pt is 0.8 of cmr10 at 10 pt, not 0.7) and the baselineskip (pt) of article.
SCALE = {"": (1.0, 12.0), r"\small": (0.93, 11.0), r"\footnotesize": (0.86, 9.5), r"\scriptsize": (0.8, 8.0)}
LONG_CELL = 160                             # characters: a longer cell goes on over rows of its own
MIN_WRAP = 80.0                             # pt: narrowest wrapped column (at 10 pt; 16 letters)
PAGES_SLACK = 1.5                           # a layout may take this many times the fewest pages
_WIDTH = {"M": 9.2, "W": 10.3, "m": 8.4, "w": 7.3, " ": 3.4, ".": 2.8, ",": 2.8, ":": 2.8, ";": 2.8,
          "-": 3.4, "(": 3.9, ")": 3.9, "I": 3.7, "i": 2.8, "l": 2.8}    # pt, Computer Modern 10 pt
_UPPER, _LOWER, _OTHER = 7.6, 5.0, 5.0                                    # (upper estimates)


def tex_escape(text: str) -> str:
    r"""``text`` with LaTeX's special characters escaped and the Fiss symbols as math.

    >>> tex_escape("~A*B_1 & 50%")
    '\\textasciitilde{}A*B\\_1 \\& 50\\%'
    """
    return "".join(_TEX.get(ch, ch) for ch in str(text))


def text_width(text: str) -> float:
    """An upper estimate of ``text``'s width in pt, set in Computer Modern at 10 pt.

    >>> text_width("AB") > text_width("ab") > text_width("a b") - 3.5
    True
    """
    def one(ch):
        if ch in FISS_SYMBOLS:
            return 8.5
        if ch in _WIDTH:
            return _WIDTH[ch]
        if ch.isupper():
            return _UPPER
        return _LOWER if ch.islower() or ch.isdigit() else _OTHER
    return sum(one(ch) for ch in str(text))


def caption_of(name: str) -> str:
    """A caption for a table called ``name``: ``CAPTIONS`` or its words, the sets after a colon.

    >>> caption_of("truth_table_notMPV"), caption_of("configurations_Y_C1P1_M1"), caption_of("core_stability")
    ('Truth table: notMPV', 'Configurations: Y C1P1 M1', 'Core stability')
    """
    if name in CAPTIONS:
        return CAPTIONS[name]
    words = [w for w in re.split(r"[_\s]+", name) if w]
    n = next((i for i, w in enumerate(words) if w != w.lower() or w[0].isdigit()), len(words))
    head = " ".join(words[:n]).capitalize() or "Table"
    return head + (": " + " ".join(words[n:]) if words[n:] else "")


def label_of(name: str) -> str:
    """The ``\\label`` of table ``name``: ``tab:`` and the name in letters, digits, ``:`` and ``-``.

    >>> label_of("truth_table_~MPV (2)")
    'tab:truth-table-MPV-2'
    """
    return "tab:" + (re.sub(r"[^A-Za-z0-9:]+", "-", name).strip("-") or "table")


def _pieces(text: str) -> list:
    """The parts of ``text`` a wrapped column cannot break: words, split after ``*``, ``_``, ``/``."""
    return [p for p in re.split(r"\s+|(?<=[*_/])", text) if p]


def _wrap_words(text: str, width: float) -> list:
    """``text`` in lines no wider than ``width`` pt (greedy; a longer word stands alone)."""
    lines = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _chunks(text: str, limit: int = LONG_CELL) -> list:
    """``text`` in pieces of at most ``limit`` characters, cut after the first of ``;``, ``,``,
    `` +`` or a space that leaves no piece too long.

    >>> _chunks("M1: A + B, M2: A + C", 12)
    ['M1: A + B,', 'M2: A + C']
    """
    if len(text) <= limit:
        return [text]
    for sep in ("; ", ", ", " + ", " "):
        parts = text.split(sep)
        if max(map(len, parts)) <= limit or sep == " ":
            break
    out = [parts[0]]
    for part in parts[1:]:
        if len(out[-1]) + len(sep) + len(part) <= limit:
            out[-1] += sep + part
        else:
            out[-1] += sep.rstrip()
            out.append(part)
    return out


def _continued(cells: list) -> list:
    """The columns ``cells`` with every cell longer than ``LONG_CELL`` characters continued on
    rows below its own (the other cells of those rows empty): a row of a longtable cannot break
    across pages, so one giant cell would otherwise run off the page or shrink the whole table."""
    out = [[] for _ in cells]
    for i in range(len(cells[0]) if cells else 0):
        pieces = [_chunks(col[i]) for col in cells]
        for k in range(max(map(len, pieces))):
            for col, p in zip(out, pieces):
                col.append(p[k] if k < len(p) else "")
    return out


@dataclass(frozen=True)
class Layout:
    """How a table is typeset: ``landscape``, font ``size`` (``\\small`` ...), ``tabcolsep`` (pt),
    the ``wrap``ped (``X``) columns with their ``hsize`` factors (tabularx: they sum to the
    number of X columns), ``long`` (a longtable that breaks across pages), ``headers`` (the
    heading of every column, in lines)."""

    landscape: bool = False
    size: str = ""
    tabcolsep: float = 6.0
    wrap: tuple = ()
    hsize: tuple = ()
    long: bool = False
    headers: tuple = ()


def _columns(headers: list, cells: list, numeric: list) -> list:
    """Per column: natural width, widest unbreakable part, stacked heading lines, may it wrap."""
    cols = []
    for head, col, num in zip(headers, cells, numeric):
        body = max((text_width(c) for c in col), default=0.0)
        longest_word = max((text_width(w) for w in head.split()), default=0.0)
        lines = _wrap_words(head, max(body, longest_word)) if text_width(head) > body else [head]
        parts = [p for c in col for p in _pieces(c)] + head.split()
        narrowest = max((text_width(p) for p in parts), default=0.0)
        natural = max([body] + [text_width(x) for x in lines])
        cols.append({"natural": natural, "narrowest": max(narrowest, MIN_WRAP), "lines": lines,
                     "wraps": not num and natural > MIN_WRAP and any(len(_pieces(c)) > 1 for c in col)})
    return cols


def _shares(avail: float, cols: list, scale: float):
    """Widths (pt) of the wrapped columns ``cols`` sharing ``avail`` pt in proportion to their
    natural widths, none narrower than its widest unbreakable part; None if impossible."""
    floors = [scale * c["narrowest"] for c in cols]
    weights = [c["natural"] for c in cols]
    fixed = {}
    while True:
        free = [j for j in range(len(cols)) if j not in fixed]
        rest = avail - sum(fixed.values())
        widths = {j: rest * weights[j] / sum(weights[k] for k in free) for j in free}
        low = [j for j in free if widths[j] < floors[j]]
        if not low:
            break
        fixed.update({j: floors[j] for j in low})
        if len(fixed) == len(cols):
            break
    widths.update(fixed)
    out = [widths[j] for j in range(len(cols))]
    return out if cols and sum(out) <= avail + 1e-9 and min(out) > 0 else (None if cols else [])


def _fit(cols: list, scale: float, gap: float, budget: float):
    """The wrapped columns with which the table fits ``budget`` pt at ``scale`` and \\tabcolsep
    ``gap``, and their widths; None when it does not fit."""
    wrap = [j for j, c in enumerate(cols) if c["wraps"]]
    while True:
        fixed = sum(2 * gap + (0 if j in wrap else scale * c["natural"]) for j, c in enumerate(cols))
        widths = _shares(budget - fixed, [cols[j] for j in wrap], scale)
        if widths is None or budget < fixed:
            return None
        keep = [j for j, w in zip(wrap, widths) if scale * cols[j]["natural"] > w]
        if keep == wrap:
            return tuple(wrap), widths
        wrap = keep


def _row_lines(cells: list, wrap: tuple, widths: list, scale: float) -> list:
    """Estimated text lines of every row (a wrapped cell takes its width times 1.1 in lines)."""
    return [max([1] + [math.ceil(1.1 * scale * text_width(cells[j][i]) / w) for j, w in zip(wrap, widths)])
            for i in range(len(cells[0]) if cells else 0)]


def _hsize(widths: list) -> tuple:
    """tabularx ``\\hsize`` factors (3 decimals, summing to the number of columns) for ``widths``."""
    if not widths:
        return ()
    mean = sum(widths) / len(widths)
    factors = [round(w / mean, 3) for w in widths[:-1]]
    return tuple(factors) + (round(len(widths) - sum(factors), 3),)


def choose_layout(headers: list, cells: list, numeric: list) -> Layout:
    """The first of ``CANDIDATES`` in which the table fits the page: portrait before landscape,
    larger type before smaller, long text columns wrapped when needed, no row taller than a
    page; of a table longer than a page, the first that takes at most ``PAGES_SLACK`` times the
    fewest pages of any (narrow wrapped columns make tall rows and many pages).

    >>> cases = [", ".join(f"H{i:02d}" for i in range(1, 37))]
    >>> choose_layout(["cases"], [cases], [False]).wrap, choose_layout(["n"], [["12"]], [True]).landscape
    ((0,), False)
    """
    cols = _columns(headers, cells, numeric)
    fitting = [x for x in (_layout(cols, headers, cells, c) for c in CANDIDATES) if x is not None]
    if not fitting:
        return _fallback(cols, headers)
    most = max(1.0, PAGES_SLACK * min(pages for _, pages in fitting))
    return next(x for x, pages in fitting if pages <= most)


def _layout(cols: list, headers: list, cells: list, candidate: tuple):
    """The table in one of ``CANDIDATES`` and its estimated pages, or None when it does not fit
    the page's width or a row is taller than the page."""
    landscape, size, gap = candidate
    scale, skip = SCALE[size]
    width, height = (TEXT_HEIGHT, TEXT_WIDTH) if landscape else (TEXT_WIDTH, TEXT_HEIGHT)
    fit = _fit(cols, scale, gap, 0.98 * width)
    if fit is None:
        return None
    wrap, widths = fit
    capacity = (height - 90) / skip
    rows = _row_lines(cells, wrap, widths, scale)
    if rows and max(rows) > capacity:
        return None
    head = max((1 if j in wrap else len(c["lines"]) for j, c in enumerate(cols)), default=1)
    layout = Layout(landscape, size, gap, wrap, _hsize(widths), head + sum(rows) > capacity,
                    _headings(headers, cols, wrap))
    return layout, (head + sum(rows)) / capacity


def _headings(headers: list, cols: list, wrap: tuple) -> tuple:
    return tuple((h,) if j in wrap else tuple(c["lines"]) for j, (h, c) in enumerate(zip(headers, cols)))


def _fallback(cols: list, headers: list) -> Layout:
    """The smallest landscape long table, every text column wrapped: for what fits nowhere."""
    landscape, size, gap = CANDIDATES[-1]
    wrap = tuple(j for j, c in enumerate(cols) if c["wraps"])
    return Layout(landscape, size, gap, wrap, (1.0,) * len(wrap), True, _headings(headers, cols, wrap))


def _wrapped_spec(factor: float) -> str:
    r"""An ``X`` column, ragged right, ``factor`` times the X columns' mean width.

    >>> _wrapped_spec(1.0), _wrapped_spec(1.25)
    ('>{\\raggedright\\arraybackslash}X', '>{\\raggedright\\arraybackslash\\hsize=1.250\\hsize}X')
    """
    size = "" if factor == 1 else rf"\hsize={factor:.3f}\hsize"
    return r">{\raggedright\arraybackslash" + size + "}X"


def _heading(lines: tuple, align: str) -> str:
    if len(lines) == 1:
        return tex_escape(lines[0])
    return r"\begin{tabular}[b]{@{}" + align + "@{}}" + r"\\".join(map(tex_escape, lines)) + r"\end{tabular}"


def _cell(text: str, wrapped: bool) -> str:
    tex = tex_escape(text)
    if wrapped:
        for ch in _BREAK_AFTER:
            tex = tex.replace(tex_escape(ch), tex_escape(ch) + r"\allowbreak{}")
    return tex


def required_packages(layout: Layout, symbols: bool) -> list:
    """The packages a table in ``layout`` needs (``symbols``: it holds Fiss symbols), in load order.

    >>> required_packages(Layout(wrap=(1,), long=True), symbols=False)
    ['array', 'booktabs', 'xltabular']
    """
    need = {"booktabs"}
    if layout.wrap:
        need |= {"array", "xltabular" if layout.long else "tabularx"}
    elif layout.long:
        need.add("longtable")
    if layout.landscape:
        need.add("pdflscape")
    if symbols:
        need.add("graphicx")
    return [p for p in PACKAGES if p in need]


def _legend(symbols: bool) -> list:
    """The key to the Fiss symbols under a configuration table, as in the Markdown and the chart."""
    if not symbols:
        return []
    # (imports matplotlib: only for configuration tables)
    from .configurations import LEGEND
    return [r"\par\smallskip", r"{\footnotesize\raggedright " + tex_escape(LEGEND) + r"\par}"]


def _rules_before(first_column: list, symbols: bool) -> set:
    """Rows of a configuration table that start a block (fit, solution fit) and get a rule above
    them, where the chart draws its lines."""
    if not symbols:
        return set()
    from .configurations import FIT_ROWS, SOLUTION_ROWS
    return {i for i, v in enumerate(first_column) if i and v in (FIT_ROWS[0], SOLUTION_ROWS[0])}


def latex_table(df: pd.DataFrame, name: str = "table", caption: str | None = None) -> str:
    """``df`` as a complete LaTeX table: package header, float or longtable, caption, label.

    ``caption`` defaults to ``caption_of(name)``; numbers have 3 decimals (``fmt``).  The same
    table gives the same text.
    """
    headers = [str(c) for c in df.columns] or [""]
    numeric = [_is_numeric(df[c]) for c in df.columns] or [False]
    cells = _continued([[fmt(v) for v in df[c]] for c in df.columns] or [[""] * len(df)])
    symbols = any(ch in FISS_SYMBOLS for col in cells for c in col for ch in c)
    layout = choose_layout(headers, cells, numeric)
    align = ["c" if any(ch in FISS_SYMBOLS for c in col for ch in c) else "r" if num else "l"
             for col, num in zip(cells, numeric)]
    spec = "".join(_wrapped_spec(layout.hsize[layout.wrap.index(j)]) if j in layout.wrap else a
                   for j, a in enumerate(align))
    head = " & ".join(_heading(h, a) for h, a in zip(layout.headers, align)) + r" \\"
    ruled = _rules_before(cells[0], symbols)
    rows = [(r"\midrule " if i in ruled else "") + " & ".join(_cell(cells[j][i], j in layout.wrap)
                                                              for j in range(len(cells))) + r" \\"
            for i in range(len(cells[0]))]
    caption = tex_escape(caption if caption is not None else caption_of(name))
    label = r"\label{" + label_of(name) + "}"
    top = [f"% {name}.tex, written by analysis.report (rerun the pipeline rather than edit)",
           "% requires: " + ", ".join(r"\usepackage{" + p + "}" for p in required_packages(layout, symbols))]
    if layout.long:
        body = _long(layout, spec, head, rows, caption, label, len(cells)) + _legend(symbols)
        if _setup(layout):
            body = [r"\begingroup"] + _setup(layout) + body + [r"\endgroup"]
    else:
        body = ([r"\begin{table}[htbp]", r"\centering"] + _float(layout, spec, head, rows, caption, label)
                + _legend(symbols) + [r"\end{table}"])
    if layout.landscape:
        body = [r"\begin{landscape}"] + body + [r"\end{landscape}"]
    return "\n".join(top + body) + "\n"


def _setup(layout: Layout) -> list:
    """The font size and column separation of ``layout`` (none when they are LaTeX's defaults)."""
    sep = [rf"\setlength{{\tabcolsep}}{{{layout.tabcolsep:g}pt}}"] if layout.tabcolsep != 6 else []
    return ([layout.size] if layout.size else []) + sep


def _float(layout: Layout, spec, head, rows, caption, label) -> list:
    env = ("tabularx", r"{\linewidth}") if layout.wrap else ("tabular", "")
    lines = [r"\caption{" + caption + "}", label, r"\smallskip"] + _setup(layout)
    return lines + [r"\begin{" + env[0] + "}" + env[1] + "{" + spec + "}", r"\toprule", head, r"\midrule",
                    *rows, r"\bottomrule", r"\end{" + env[0] + "}"]


def _long(layout: Layout, spec, head, rows, caption, label, n: int) -> list:
    env = ("xltabular", r"{\linewidth}") if layout.wrap else ("longtable", "")
    return [r"\begin{" + env[0] + "}" + env[1] + "{" + spec + "}",
            r"\caption{" + caption + "}" + label + r"\\",
            r"\toprule", head, r"\midrule", r"\endfirsthead",
            r"\caption[]{" + caption + r" (continued)}\\", r"\toprule", head, r"\midrule", r"\endhead",
            r"\midrule", r"\multicolumn{" + str(n) + r"}{r}{\footnotesize continued on the next page}\\",
            r"\endfoot", r"\bottomrule", r"\endlastfoot", *rows, r"\end{" + env[0] + "}"]


def _requires(path: Path) -> list:
    """The packages named in the ``% requires:`` line of a table written by ``latex_table``."""
    for line in path.read_text(encoding="utf-8").splitlines()[:3]:
        if line.startswith("% requires:"):
            return re.findall(r"\\usepackage\{([^}]*)\}", line)
    return []


def latex_document(folder, name: str = "tables") -> Path:
    """Write ``<folder>/<name>.tex``: an ``article`` that loads the packages every table of
    ``folder`` requires and ``\\input``s each table (by name, one per page); return its path.

    Compile it inside ``folder`` with ``pdflatex tables.tex``.  Files without a ``% requires:``
    header (not written by ``latex_table``) are left out.

    >>> import tempfile, pandas as pd
    >>> from analysis.report.tables import save_table
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = save_table(pd.DataFrame({"set": ["A"], "inclS": [0.9]}), folder, "fit")
    >>> print(latex_document(folder / "tables").read_text().splitlines()[2])
    \\usepackage{booktabs}
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {p.stem: _requires(p) for p in sorted(folder.glob("*.tex")) if p.stem != name}
    tables = {k: v for k, v in tables.items() if v}
    used = {p for v in tables.values() for p in v}
    packages = [p for p in PACKAGES if p in used] + sorted(used - set(PACKAGES))
    lines = [f"% {name}.tex: every table of this folder in one document (pdflatex {name}.tex)",
             r"\documentclass{article}"] + [r"\usepackage{" + p + "}" for p in packages]
    lines += [r"\begin{document}"] + [r"\input{" + t + r".tex}" + "\n" + r"\clearpage" for t in tables]
    lines += [r"\end{document}"]
    path = folder / f"{name}.tex"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
