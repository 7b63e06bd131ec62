"""A legend drawn as a few texts and markers where matplotlib's would be, laid out in inches.

matplotlib's ``Legend`` packs its title, handles and texts in nested boxes (``offsetbox``) that it
measures and lays out again each time the figure is drawn: a tenth of what a term plot cost.
``draw_key`` draws the same legend with the same rules (``matplotlib.legend``'s defaults at the
key's font size: a handle ``HANDLE`` ems long with the marker at its middle, ``TEXT_PAD`` ems
before the text, ``ROW_GAP`` ems between rows, ``COLUMN_GAP`` between columns, the entries split
into columns in order as evenly as can be, the first columns the longer; the title above them,
its lines aligned left and the block centred; ``PAD`` ems all round) as the figure's own texts and
markers, placed in inches from the figure's bottom edge, so they stay where they are when the
figure's height changes.

>>> from analysis.report.canvas import new_figure
>>> fig = new_figure(3.5, 2)
>>> height = draw_key(fig, [("o", "tab:blue", "typical"), ("X", "tab:red", "deviant")], ncol=2,
...                   title="a note", bottom=0.06)
>>> [t.get_text() for t in fig.texts]
['typical', 'deviant', 'a note']
>>> round(float(height), 3)
0.321
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .canvas import text_width
from .ticks import line_height

__all__ = ["draw_key", "HANDLE", "TEXT_PAD", "ROW_GAP", "COLUMN_GAP", "PAD"]

HANDLE, TEXT_PAD, ROW_GAP, COLUMN_GAP, PAD, TITLE_GAP = 2.0, 0.3, 0.5, 1.2, 0.4, 0.5    # ems (matplotlib's)
_ASCENT = 0.76             # a line's part above its baseline, in ems (DejaVu Sans: 1556 of 2048 units)


def _columns(entries: list, ncol: int) -> list:
    """The entries in ``ncol`` columns, in order, the first columns the longer (as numpy's
    ``array_split``, as matplotlib's legend)."""
    return [list(part) for part in np.array_split(np.arange(len(entries)), max(1, min(ncol, len(entries))))
            if len(part)]


def draw_key(fig, entries: list, ncol: int = 1, title: str | None = None, bottom: float = 0.0,
             fontsize: float = 7, markersize: float = 6) -> float:
    """Draw a legend of ``entries`` (``(marker, face colour, text)``; markers edged white) in
    ``ncol`` columns, ``title`` (lines as they are) above them, centred on ``fig``, its lowest edge
    ``bottom`` inches above the figure's; return its height in inches."""
    em = fontsize / 72
    row = line_height(fontsize) / 72                                  # a one-line text's height
    columns = _columns(entries, ncol)
    widths = [HANDLE * em + TEXT_PAD * em + max(text_width(entries[i][2], fontsize) for i in c) for c in columns]
    rows = max((len(c) for c in columns), default=0)
    block = rows * row + max(rows - 1, 0) * ROW_GAP * em              # the entries' height
    x = (fig.get_size_inches()[0] - sum(widths) - COLUMN_GAP * em * max(len(columns) - 1, 0)) / 2
    top = bottom + PAD * em + block                                   # the entries' top edge
    inches = fig.dpi_scale_trans
    for column, width in zip(columns, widths):
        for r, i in enumerate(column):
            marker, colour, text = entries[i]
            base = top - r * (row + ROW_GAP * em) - _ASCENT * row       # this row's baseline
            fig.add_artist(Line2D([x + HANDLE * em / 2], [base + 0.35 * em], ls="none", marker=marker,
                                  markersize=markersize, markerfacecolor=colour, markeredgecolor="white",
                                  transform=inches))
            fig.text(x + (HANDLE + TEXT_PAD) * em, base, text, ha="left", va="baseline", fontsize=fontsize,
                     transform=inches)
        x += width + COLUMN_GAP * em
    height = PAD * em + block + PAD * em
    if title:
        note = fig.text(fig.get_size_inches()[0] / 2, top + (TITLE_GAP * em if rows else 0.0), title, ha="center",
                        va="bottom", multialignment="left", fontsize=fontsize, transform=inches)
        height += note.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi + (TITLE_GAP * em if rows else 0)
    return height
