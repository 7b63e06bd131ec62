"""LaTeX tables that compile as they are: caption, label, the packages they need, and a layout
that fits the page.

Every ``tables/<name>.tex`` of a run is a complete table that a paper can ``\\input``: a comment
header naming the packages it needs (``% requires: \\usepackage{booktabs}, ...``), a ``table``
float (or a ``longtable`` when it is longer than a page, since a float cannot break across
pages) with ``\\caption`` and ``\\label{tab:<name>}``, and ``booktabs`` rules (Fear 2020).  The
layout is chosen from an estimate of the content's width in Computer Modern (10 pt): the
first of portrait, ``\\small``, ``\\footnotesize``, then landscape (``pdflscape``) in the same sizes,
in which the table fits the text width of a standard ``article`` page; long text columns (case
lists, model formulas, sentences) wrap in ``tabularx`` ``X`` columns (in a long table, ``p``
columns of the widths the layout computed: ``longtable`` sets its rows in chunks, whereas
``xltabular`` would hold a table of thousands of rows in TeX's memory at once, more than it has)
rather than run off the page, and column headings of several words are stacked above narrow
numeric columns.

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

import re
from pathlib import Path

import pandas as pd

from .latex_layout import FISS_SYMBOLS, Layout, _continued, choose_layout
from .format import FIT_ROWS, LEGEND, SOLUTION_ROWS, is_numeric, texts

__all__ = ["FISS_SYMBOLS", "PACKAGES", "caption_of", "label_of", "latex_document", "latex_table",
           "required_packages", "set_number", "number_of", "tex_escape"]

_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", "\n": " ", "\t": " ",
        "≥": r"$\geq$", "≤": r"$\leq$", "→": r"$\rightarrow$", "×": r"$\times$", "±": r"$\pm$",
        "−": r"$-$", "∼": r"$\sim$", "¬": r"$\neg$", **FISS_SYMBOLS}
_TEX_TABLE = str.maketrans(_TEX)  # (str.translate: one pass in C, not a lookup per character in Python)
_BREAK_AFTER = "*_/"              # where a wrapped cell may break besides its spaces (``A*B``, ``a_b``)
_SYMBOL = re.compile("[" + "".join(FISS_SYMBOLS) + "]")
_APART = "\x00"                   # joins a column's cells to escape them in one pass (tex_escape keeps it)

# Packages in the order a preamble loads them.
PACKAGES = ("array", "booktabs", "graphicx", "longtable", "tabularx", "pdflscape")


def tex_escape(text: str) -> str:
    r"""``text`` with LaTeX's special characters escaped and the Fiss symbols as math.

    >>> tex_escape("~A*B_1 & 50%")
    '\\textasciitilde{}A*B\\_1 \\& 50\\%'
    """
    text = str(text)
    present = [ch for ch in _TEX if ch in text]
    if not present:
        return text
    if all(other not in _TEX[ch] for ch in present for other in present):
        for ch in present:        # no replacement holds a character replaced: one replace each is
            text = text.replace(ch, _TEX[ch])      # the simultaneous translation (a column's cells
        return text                                # joined: a C pass per character, not a lookup)
    return text.translate(_TEX_TABLE)


def caption_of(name: str) -> str:
    """A caption for a table called ``name`` when none is given (the notebooks' tables take theirs
    from ``analysis.report.captions``): its words, the sets after a colon.

    >>> caption_of("truth_table_notMPV"), caption_of("configurations_Y_C1P1_M1"), caption_of("core_stability")
    ('Truth table: notMPV', 'Configurations: Y C1P1 M1', 'Core stability')
    """
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


def _wrapped_spec(factor: float) -> str:
    r"""An ``X`` column, ragged right, ``factor`` times the X columns' mean width.

    >>> _wrapped_spec(1.0), _wrapped_spec(1.25)
    ('>{\\raggedright\\arraybackslash}X', '>{\\raggedright\\arraybackslash\\hsize=1.250\\hsize}X')
    """
    size = "" if factor == 1 else rf"\hsize={factor:.3f}\hsize"
    return r">{\raggedright\arraybackslash" + size + "}X"


def _long_wrapped_spec(width: float) -> str:
    r"""A ``p`` column of ``width`` pt, ragged right: a wrapped column of a long table.

    >>> _long_wrapped_spec(101.25)
    '>{\\raggedright\\arraybackslash}p{101.2pt}'
    """
    return r">{\raggedright\arraybackslash}p{" + f"{width:.1f}" + "pt}"


def _heading(lines: tuple, align: str, sideways: bool = False) -> str:
    if sideways:
        return r"\rotatebox{90}{" + tex_escape(" ".join(lines)) + "}"
    if len(lines) == 1:
        return tex_escape(lines[0])
    return r"\begin{tabular}[b]{@{}" + align + "@{}}" + r"\\".join(map(tex_escape, lines)) + r"\end{tabular}"


def _cell(text: str, wrapped: bool) -> str:
    tex = tex_escape(text)
    if wrapped:
        for ch in _BREAK_AFTER:
            tex = tex.replace(tex_escape(ch), tex_escape(ch) + r"\allowbreak{}")
    return tex


def _column(col: list, wrapped: bool) -> list:
    r"""``[_cell(c, wrapped) for c in col]``, escaped in one pass over the column's cells joined
    (no escape or break spans two cells: none holds the character that joins them).

    >>> _column(["A*B_1", "50%"], True) == [_cell("A*B_1", True), _cell("50%", True)]
    True
    """
    joined = _APART.join(col)
    if not col or joined.count(_APART) != len(col) - 1:
        return [_cell(c, wrapped) for c in col]
    return _cell(joined, wrapped).split(_APART)


def _has_symbol(col: list) -> bool:
    """Whether a cell of ``col`` holds a Fiss symbol."""
    return _SYMBOL.search("".join(col)) is not None


def required_packages(layout: Layout, symbols: bool) -> list:
    """The packages a table in ``layout`` needs (``symbols``: it holds Fiss symbols; graphicx too
    for headings set sideways), in load order.

    >>> required_packages(Layout(wrap=(1,), long=True), symbols=False)
    ['array', 'booktabs', 'longtable']
    """
    need = {"booktabs"}
    if layout.wrap:
        need.add("array")
    if layout.long:
        need.add("longtable")
    elif layout.wrap:
        need.add("tabularx")
    if layout.landscape:
        need.add("pdflscape")
    if symbols or layout.rotated:
        need.add("graphicx")
    return [p for p in PACKAGES if p in need]


def _legend(symbols: bool) -> list:
    """The key to the Fiss symbols under a configuration table, as in the Markdown and the chart."""
    if not symbols:
        return []
    return [r"\par\smallskip", r"{\footnotesize\raggedright " + tex_escape(LEGEND) + r"\par}"]


def _rules_before(first_column: list, symbols: bool) -> set:
    """Rows of a configuration table that start a block (fit, solution fit) and get a rule above
    them, where the chart draws its lines."""
    if not symbols:
        return set()
    return {i for i, v in enumerate(first_column) if i and v in (FIT_ROWS[0], SOLUTION_ROWS[0])}


def latex_table(df: pd.DataFrame, name: str = "table", caption: str | None = None, *, cells: list | None = None,
                numeric: list | None = None) -> str:
    """``df`` as a complete LaTeX table: package header, float or longtable, caption, label.

    ``caption`` defaults to ``caption_of(name)``; numbers have 3 decimals (``fmt``).  The same
    table gives the same text.  ``cells`` and ``numeric``: every column's ``texts`` and
    ``is_numeric``, when the caller has them (``analysis.report.tables.save_table``).
    """
    headers = [str(c) for c in df.columns] or [""]
    numeric = ([is_numeric(df[c]) for c in df.columns] if numeric is None else list(numeric)) or [False]
    cells = _continued(([texts(df[c]) for c in df.columns] if cells is None else cells) or [[""] * len(df)])
    marked = [_has_symbol(col) for col in cells]
    symbols = any(marked)
    layout = choose_layout(headers, cells, numeric)
    align = ["c" if mark else "r" if num else "l" for mark, num in zip(marked, numeric)]
    wrapped = (lambda k: _long_wrapped_spec(layout.widths[k])) if layout.long else \
        (lambda k: _wrapped_spec(layout.hsize[k]))
    spec = "".join(wrapped(layout.wrap.index(j)) if j in layout.wrap else a for j, a in enumerate(align))
    head = " & ".join(_heading(h, a, j in layout.rotated) for j, (h, a) in enumerate(zip(layout.headers, align))) \
        + r" \\"
    ruled = _rules_before(cells[0], symbols)
    escaped = [_column(col, j in layout.wrap) for j, col in enumerate(cells)]
    rows = [(r"\midrule " if i in ruled else "") + " & ".join(row) + r" \\" for i, row in enumerate(zip(*escaped))]
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
    return [r"\begin{longtable}{" + spec + "}",
            r"\caption{" + caption + "}" + label + r"\\",
            r"\toprule", head, r"\midrule", r"\endfirsthead",
            r"\caption[]{" + caption + r" (continued)}\\", r"\toprule", head, r"\midrule", r"\endhead",
            r"\midrule", r"\multicolumn{" + str(n) + r"}{r}{\footnotesize continued on the next page}\\",
            r"\endfoot", r"\bottomrule", r"\endlastfoot", *rows, r"\end{longtable}"]


# The report's number of a table (``set_number``): ``\reportnumber{table}{12}`` sets LaTeX's counter
# so that the caption reads "Table 12", as in the report; a paper that defines \reportnumber to do
# nothing numbers the table in its own order.
NUMBER_MACRO = (r"\providecommand{\reportnumber}[2]{\setcounter{#1}{#2}\addtocounter{#1}{-1}}% the number in "
                r"the run's report; \renewcommand{\reportnumber}[2]{} numbers the table in a paper's own order")
_NUMBER = re.compile(r"^\\reportnumber\{table\}\{(\d+)\}")


def set_number(path, n: int) -> Path:
    r"""Give the table ``path`` (written by ``latex_table``) the number ``n`` it has in the run's
    report: the two lines ``\providecommand{\reportnumber}...`` and ``\reportnumber{table}{n}`` after
    its header (replacing an earlier number).

    >>> import tempfile, pandas as pd
    >>> path = Path(tempfile.mkdtemp()) / "fit.tex"
    >>> _ = path.write_text(latex_table(pd.DataFrame({"set": ["A"]}), "fit"))
    >>> number_of(set_number(set_number(path, 3), 12))
    12
    """
    path = Path(path)
    lines = [x for x in path.read_text(encoding="utf-8").splitlines()
             if not (x.startswith(r"\providecommand{\reportnumber}") or _NUMBER.match(x))]
    at = next((i + 1 for i, x in enumerate(lines[:3]) if x.startswith("% requires:")), 0)
    lines[at:at] = [NUMBER_MACRO, rf"\reportnumber{{table}}{{{int(n)}}}% Table {int(n)} of the report"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def number_of(path) -> int | None:
    """The report's number of the table ``path`` (``set_number``), or None when it has none."""
    for line in Path(path).read_text(encoding="utf-8").splitlines()[:6]:
        m = _NUMBER.match(line)
        if m:
            return int(m.group(1))
    return None


PRINT_ROWS = 500          # rows: a longer table is left to its CSV (PSS's robustness tests: 16,000)


def body_rows(path: Path) -> int:
    """The body rows of a table written by ``latex_table``: its lines that end a row (``\\\\``)
    after the heading (after ``\\endlastfoot`` in a long table, else after the first ``\\midrule``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    ends = [i for i, x in enumerate(lines) if x.startswith(r"\endlastfoot")] or \
        [i for i, x in enumerate(lines) if x.startswith(r"\midrule")][:1] or [-1]
    return sum(1 for line in lines[ends[-1] + 1:] if line.rstrip().endswith("\\\\"))


def _include(folder: Path, table: str, number, long: bool) -> str:
    """The lines of ``tables.tex`` for one table: ``\\input`` it, or, for a table too long to
    print, a line that keeps its number and names its files."""
    if not long:
        return r"\input{" + table + r".tex}" + "\n" + r"\clearpage"
    keep = (r"\setcounter{table}{" + str(int(number)) + "}") if number is not None else r"\stepcounter{table}"
    rows = body_rows(folder / f"{table}.tex")
    return (keep + "\n" + r"\begin{flushleft}Table \thetable{} (" + tex_escape(table) + f"): {rows:,} rows, not "
            + tex_escape(f"printed; the whole table is {table}.csv and {table}.md in this folder.")
            + r"\end{flushleft}" + "\n" + r"\clearpage")


def _requires(path: Path) -> list:
    """The packages named in the ``% requires:`` line of a table written by ``latex_table``."""
    for line in path.read_text(encoding="utf-8").splitlines()[:3]:
        if line.startswith("% requires:"):
            return re.findall(r"\\usepackage\{([^}]*)\}", line)
    return []


def latex_document(folder, name: str = "tables") -> Path:
    """Write ``<folder>/<name>.tex``: an ``article`` that loads the packages every table of
    ``folder`` requires and ``\\input``s each table, one per page: first the tables the report
    shows, in the report's order and with its numbers (``set_number``), then those a run writes
    without showing them, numbered A1, A2, ... in a section of their own; return its path.

    Compile it inside ``folder`` with ``pdflatex tables.tex``.  Files without a ``% requires:``
    header (not written by ``latex_table``) are left out.

    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "fit.tex").write_text(latex_table(pd.DataFrame({"set": ["A"], "inclS": [0.9]}), "fit"))
    >>> print(latex_document(folder).read_text().splitlines()[2])
    \\usepackage{booktabs}
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {p.stem: _requires(p) for p in sorted(folder.glob("*.tex")) if p.stem != name}
    tables = {k: v for k, v in tables.items() if v}
    used = {p for v in tables.values() for p in v}
    packages = [p for p in PACKAGES if p in used] + sorted(used - set(PACKAGES))
    numbers = {t: number_of(folder / f"{t}.tex") for t in tables}
    shown = sorted((t for t in tables if numbers[t] is not None), key=lambda t: (numbers[t], t))
    written = [t for t in tables if numbers[t] is None]
    lines = [f"% {name}.tex: every table of this folder in one document (pdflatex {name}.tex)",
             r"\documentclass{article}"] + [r"\usepackage{" + p + "}" for p in packages]
    extra = "table A1 is" if len(written) == 1 else f"tables A1 to A{len(written)} are"
    note = ("The tables of the run's report that are written to this folder, with the report's numbers (the "
            "others the report shows only)" if shown else "The tables of this folder") + (
        f"; {extra} written to this folder but not shown in the report." if written and shown else ".")
    long = [t for t in tables if body_rows(folder / f"{t}.tex") > PRINT_ROWS]
    if long:
        note += (f" A table of more than {PRINT_ROWS:,} rows is not printed here (its number is kept): "
                 "its CSV and Markdown files in this folder hold it.")
    lines += [r"\begin{document}", r"\noindent " + tex_escape(note), r"\clearpage"]
    lines += [_include(folder, t, numbers[t], t in long) for t in shown]
    if written and shown:
        lines += [r"\renewcommand{\thetable}{A\arabic{table}}\setcounter{table}{0}"]
    lines += [_include(folder, t, None, t in long) for t in written]
    lines += [r"\end{document}"]
    path = folder / f"{name}.tex"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
