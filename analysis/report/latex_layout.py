"""How wide a LaTeX table is and how it is laid out on the page (``analysis.report.latex``).

The width of every cell is estimated in Computer Modern 10 pt (``text_width``, upper estimates
per character); ``choose_layout`` tries portrait at normal size, ``\\small`` and
``\\footnotesize``, then landscape down to ``\\scriptsize``, with long text columns wrapped in
``tabularx`` ``X`` columns, and takes the first in which the table fits the text block of a
standard ``article`` page (a long table: the first within ``PAGES_SLACK`` times the fewest
pages).  A cell longer than ``LONG_CELL`` characters goes on over rows of its own
(``_continued``), since a ``longtable`` row cannot break across pages.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np

__all__ = ["FISS_SYMBOLS", "Layout", "choose_layout", "text_width", "TEXT_WIDTH", "TEXT_HEIGHT"]

# Fiss (2011) symbols as the configuration chart (analysis.report.configurations) draws them:
# \bullet scaled up to the diameter of \otimes, \oslash scaled down to that of \bullet, both
# moved back onto the math axis (0.25 em above the baseline) from which \scalebox moved them.
FISS_SYMBOLS = {"●": r"\raisebox{-0.175em}{\scalebox{1.7}{$\bullet$}}",     # core, present
                "•": r"$\bullet$",                                         # peripheral, present
                "⊗": r"$\otimes$",                                         # core, absent
                "⊘": r"\raisebox{0.1em}{\scalebox{0.6}{$\oslash$}}"}       # peripheral, absent

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


@functools.lru_cache(maxsize=None)
def _char_width(ch: str) -> float:
    if ch in FISS_SYMBOLS:
        return 8.5
    if ch in _WIDTH:
        return _WIDTH[ch]
    if ch.isupper():
        return _UPPER
    return _LOWER if ch.islower() or ch.isdigit() else _OTHER


@functools.lru_cache(maxsize=65536)
def _width(text: str) -> float:
    return sum(map(_char_width, text))


def text_width(text) -> float:
    """An upper estimate of ``text``'s width in pt, set in Computer Modern at 10 pt (each cell's
    width is asked for once per candidate layout: the answer is cached).

    >>> text_width("AB") > text_width("ab") > text_width("a b") - 3.5
    True
    """
    return _width(str(text))


def _pieces(text: str) -> list:
    """The parts of ``text`` a wrapped column cannot break: words, split after ``*``, ``_``, ``/``."""
    return [p for p in re.split(r"\s+|(?<=[*_/])", text) if p]


_BREAKS = re.compile(r"[\s*_/]")


@functools.lru_cache(maxsize=65536)
def _parts(text: str) -> tuple:
    """``(pieces, widest)``: the number of ``_pieces(text)`` and the width of the widest (0 when
    none); a cell with nothing to break at is its one piece."""
    if not _BREAKS.search(text):
        return (1, _width(text)) if text else (0, 0.0)
    pieces = _pieces(text)
    return len(pieces), max(map(_width, pieces), default=0.0)


def _heading_parts(text: str) -> list:
    """The parts of a heading that a line may end after: words, and a word's pieces after ``_``
    (``multiverse_share`` stacks as ``multiverse_`` over ``share``)."""
    return [p for w in text.split() for p in re.split(r"(?<=_)(?=.)", w)]


def _wrap_words(text: str, width: float) -> list:
    """``text`` in lines no wider than ``width`` pt (greedy; a longer part stands alone).

    >>> _wrap_words("multiverse_share_with_solution", 60)
    ['multiverse_', 'share_with_', 'solution']
    """
    lines = []
    for word in text.split():
        for k, part in enumerate(re.split(r"(?<=_)(?=.)", word)):
            joined = (lines[-1] if k else lines[-1] + " ") + part if lines else part
            if lines and text_width(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(part)
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
    if all(max(map(len, col), default=0) <= LONG_CELL for col in cells):
        return [list(col) for col in cells]             # (the common case: nothing to continue)
    out = [[] for _ in cells]
    for row in zip(*cells):
        pieces = [_chunks(c) for c in row]
        rows = max(map(len, pieces))
        for col, p in zip(out, pieces):
            col.extend(p)
            if len(p) < rows:
                col.extend([""] * (rows - len(p)))
    return out


@dataclass(frozen=True)
class Layout:
    """How a table is typeset: ``landscape``, font ``size`` (``\\small`` ...), ``tabcolsep`` (pt),
    the ``wrap``ped (``X``) columns with their ``hsize`` factors (tabularx: they sum to the
    number of X columns) and ``widths`` (pt: a long table's ``p`` columns), ``long`` (a
    longtable that breaks across pages), ``headers`` (the heading of every column, in lines),
    ``rotated`` (the columns whose heading is set sideways: numbers under long headings, when the
    table fits the page no other way)."""

    landscape: bool = False
    size: str = ""
    tabcolsep: float = 6.0
    wrap: tuple = ()
    hsize: tuple = ()
    long: bool = False
    headers: tuple = ()
    rotated: tuple = ()
    widths: tuple = ()


def _columns(headers: list, cells: list, numeric: list) -> list:
    """Per column: natural width, widest unbreakable part, stacked heading lines, may it wrap."""
    cols = []
    for head, col, num in zip(headers, cells, numeric):
        body = max(map(text_width, col), default=0.0)
        longest_word = max((text_width(w) for w in _heading_parts(head)), default=0.0)
        lines = _wrap_words(head, max(body, longest_word)) if text_width(head) > body else [head]
        parts = [_parts(c) for c in col]
        narrowest = max([w for _, w in parts] + [text_width(p) for p in _heading_parts(head)], default=0.0)
        natural = max([body] + [text_width(x) for x in lines])
        cols.append({"natural": natural, "narrowest": max(narrowest, MIN_WRAP), "lines": lines,
                     "wraps": not num and natural > MIN_WRAP and any(n > 1 for n, _ in parts)})
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
    if not wrap:
        return [1] * (len(cells[0]) if cells else 0)
    return [max([1] + [math.ceil(1.1 * scale * text_width(cells[j][i]) / w) for j, w in zip(wrap, widths)])
            for i in range(len(cells[0]) if cells else 0)]


class _Widths:
    """``text_width`` of every cell of a column of ``cells``, measured once for every candidate
    layout (``_lines``)."""

    def __init__(self, cells: list):
        self.cells, self.measured = cells, {}

    def __getitem__(self, j: int) -> np.ndarray:
        if j not in self.measured:
            self.measured[j] = np.array([text_width(c) for c in self.cells[j]], dtype=float)
        return self.measured[j]


def _lines(measured: _Widths, n: int, wrap: tuple, widths: list, scale: float) -> list:
    """``_row_lines`` from the cells' widths ``measured`` (``n`` rows): the same numbers, each
    ``math.ceil(1.1 * scale * width / w)`` computed as one array per wrapped column."""
    if not wrap:
        return [1] * n
    lines = np.ones(n)
    for j, w in zip(wrap, widths):
        lines = np.maximum(lines, np.ceil(1.1 * scale * measured[j] / w))
    return [int(v) for v in lines.tolist()]


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
    fitting = _fitting(cols, headers, cells)
    if not fitting:                # numbers under long headings: the headings sideways
        cols = _sideways(cols, headers, cells, numeric)
        fitting = _fitting(cols, headers, cells)
    if not fitting:
        return _fallback(cols, headers)
    most = max(1.0, PAGES_SLACK * min(pages for _, pages in fitting))
    return next(x for x, pages in fitting if pages <= most)


def _fitting(cols: list, headers: list, cells: list) -> list:
    """``(layout, pages)`` of the ``CANDIDATES`` the table fits in, in their order; only the first
    when it takes at most one page (``choose_layout`` takes it whatever the others take)."""
    fitting, widths = [], _Widths(cells)
    for candidate in CANDIDATES:
        x = _layout(cols, headers, cells, candidate, widths)
        if x is not None:
            fitting.append(x)
            if len(fitting) == 1 and x[1] <= 1.0:
                break
    return fitting


def _sideways(cols: list, headers: list, cells: list, numeric: list) -> list:
    """The columns with the heading of every numeric column wider than its numbers set sideways
    (``\\rotatebox``): the column is then as wide as its numbers (or a line of type)."""
    out = []
    for head, col, num, c in zip(headers, cells, numeric, cols):
        body = max((text_width(x) for x in col), default=0.0)
        if num and text_width(head) > body:
            c = {**c, "natural": max(body, 12.0), "narrowest": max(body, 12.0), "lines": [head],
                 "rotated": text_width(head)}
        out.append(c)
    return out


def _layout(cols: list, headers: list, cells: list, candidate: tuple, measured: _Widths | None = None):
    """The table in one of ``CANDIDATES`` and its estimated pages, or None when it does not fit
    the page's width or a row is taller than the page (``measured``: the cells' widths, when
    the caller has them)."""
    landscape, size, gap = candidate
    scale, skip = SCALE[size]
    width, height = (TEXT_HEIGHT, TEXT_WIDTH) if landscape else (TEXT_WIDTH, TEXT_HEIGHT)
    fit = _fit(cols, scale, gap, 0.98 * width)
    if fit is None:
        return None
    wrap, widths = fit
    capacity = (height - 90) / skip
    rows = _lines(measured if measured is not None else _Widths(cells), len(cells[0]) if cells else 0, wrap,
                  widths, scale)
    if rows and max(rows) > capacity:
        return None
    head = max((math.ceil(scale * c["rotated"] / skip) if c.get("rotated") else 1 if j in wrap else len(c["lines"])
                for j, c in enumerate(cols)), default=1)
    layout = Layout(landscape, size, gap, wrap, _hsize(widths), head + sum(rows) > capacity,
                    _headings(headers, cols, wrap), tuple(j for j, c in enumerate(cols) if c.get("rotated")),
                    tuple(round(w, 1) for w in widths))
    return layout, (head + sum(rows)) / capacity


def _headings(headers: list, cols: list, wrap: tuple) -> tuple:
    return tuple((h,) if j in wrap else tuple(c["lines"]) for j, (h, c) in enumerate(zip(headers, cols)))


def _fallback(cols: list, headers: list) -> Layout:
    """The smallest landscape long table, every text column wrapped: for what fits nowhere."""
    landscape, size, gap = CANDIDATES[-1]
    scale = SCALE[size][0]
    wrap = tuple(j for j, c in enumerate(cols) if c["wraps"])
    fixed = sum(2 * gap + (0 if j in wrap else scale * c["natural"]) for j, c in enumerate(cols))
    share = max(scale * MIN_WRAP, (0.98 * TEXT_HEIGHT - fixed) / len(wrap)) if wrap else 0.0
    return Layout(landscape, size, gap, wrap, (1.0,) * len(wrap), True, _headings(headers, cols, wrap),
                  tuple(j for j, c in enumerate(cols) if c.get("rotated")), (round(share, 1),) * len(wrap))
