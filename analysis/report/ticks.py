"""An axes' ticks and axis labels drawn as a few artists, where matplotlib's axis would be.

matplotlib makes every tick of an axis an object of five artists (two marks, two labels, a
gridline), creates them when the ticks are set, and each time the figure is drawn lays them out
again and measures every tick label to place the axis label.  In the figures of small multiples
(term plots, XY plots: up to six panels of ten ticks) that was about a third of what a figure
cost.  ``plain_axes`` hides an axes' x and y axes (its frame, the spines, stays) and draws what
a reader sees of them at the places matplotlib gives them (``matplotlib.axis``: a tick label
``TICK_LENGTH`` + ``TICK_PAD`` points outside the spine, the axis label ``LABEL_PAD`` points
beyond the tick labels, or beyond the tick marks where there are no tick labels):

- the marks of an axis' ticks as one line of matplotlib's own tick markers (``TICKDOWN``,
  ``TICKLEFT``): the same pixels as the axis drew;
- each tick label as a text of the axes, and the axis label as one (rotated for y).

The texts are the axes' own (``ax.texts``), so its tight box, the clipping check
(``canvas.check_fits``) and the SVG's ``axes_N`` group hold them as they held the axis.  Panels of
one scale give tick labels only where a reader needs them (``labels`` False: marks only).

>>> from analysis.report.canvas import new_figure
>>> fig = new_figure(2, 2)
>>> ax = fig.add_axes((0.3, 0.3, 0.6, 0.6))
>>> texts = plain_axes(ax, [0, 0.5, 1], ["0", ".5", "1"], "X", [0, 1], ["0", "1"], "Y")
>>> [t.get_text() for t in texts]
['0', '.5', '1', 'X', '0', '1', 'Y']
"""
from __future__ import annotations

import functools

from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.lines import TICKDOWN, TICKLEFT, Line2D
from matplotlib.transforms import ScaledTranslation

from .canvas import text_width

__all__ = ["plain_axes", "line_height", "TICK_LENGTH", "TICK_PAD", "LABEL_PAD"]

TICK_LENGTH, TICK_PAD, LABEL_PAD, TICK_WIDTH = 2.5, 2.0, 4.0, 0.8    # points (the last: rcParams' 0.8)


@functools.lru_cache(maxsize=1)
def _em_height() -> float:
    """The height of a line of DejaVu Sans in ems, as matplotlib lays a one-line text out: the
    font's typographic ascender and descender (its OS/2 table)."""
    font = get_font(findfont(FontProperties(family="DejaVu Sans")))
    os2, head = font.get_sfnt_table("OS/2"), font.get_sfnt_table("head")
    return (os2["sTypoAscender"] - os2["sTypoDescender"]) / head["unitsPerEm"]


def line_height(size: float) -> float:
    """The height in points of a one-line text at ``size`` points (DejaVu Sans: the size).

    >>> round(line_height(7), 3)
    7.0
    """
    return _em_height() * size


def _offset(ax, dx: float, dy: float):
    """A shift of ``dx``, ``dy`` points, whatever the dpi the figure is drawn at."""
    return ScaledTranslation(dx / 72, dy / 72, ax.figure.dpi_scale_trans)


def _marks(ax, values, axis: str):
    at = [0.0] * len(values)
    xs, ys = (values, at) if axis == "x" else (at, values)
    transform = ax.get_xaxis_transform() if axis == "x" else ax.get_yaxis_transform()
    marks = Line2D(xs, ys, ls="none", marker=TICKDOWN if axis == "x" else TICKLEFT, markersize=TICK_LENGTH,
                   markeredgewidth=TICK_WIDTH, color="black", transform=transform, clip_on=False)
    return ax.add_artist(marks)             # not add_line: no data limits to update from a blended transform


def plain_axes(ax, xticks, xticklabels, xlabel, yticks, yticklabels, ylabel, size: float = 7,
               label_size: float = 8, bottom: bool = True, left: bool = True) -> list:
    """Hide ``ax``'s axes and draw their ticks at ``xticks`` / ``yticks`` (data units), with
    the tick labels at ``size`` points where ``bottom`` / ``left``, and the axis labels at
    ``label_size`` (an empty or None label: none).  Returns the texts drawn, x before y."""
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    _marks(ax, list(xticks), "x")
    _marks(ax, list(yticks), "y")
    out = []
    out_of_spine = TICK_LENGTH + TICK_PAD
    below = ax.get_xaxis_transform()
    if bottom:
        shift = below + _offset(ax, 0, -out_of_spine)
        out += [ax.text(v, 0, s, transform=shift, ha="center", va="top", fontsize=size, clip_on=False)
                for v, s in zip(xticks, xticklabels)]
    if xlabel:
        down = (out_of_spine + line_height(size) if bottom and len(xticklabels) else TICK_LENGTH) + LABEL_PAD
        out.append(ax.text(0.5, 0, xlabel, transform=ax.transAxes + _offset(ax, 0, -down), ha="center", va="top",
                           fontsize=label_size, clip_on=False))
    beside = ax.get_yaxis_transform()
    if left:
        shift = beside + _offset(ax, -out_of_spine, 0)
        out += [ax.text(0, v, s, transform=shift, ha="right", va="center_baseline", fontsize=size, clip_on=False)
                for v, s in zip(yticks, yticklabels)]
    if ylabel:
        widest = max((text_width(s, size) * 72 for s in yticklabels), default=0.0)
        across = (out_of_spine + widest if left and len(yticklabels) else TICK_LENGTH) + LABEL_PAD
        out.append(ax.text(0, 0.5, ylabel, transform=ax.transAxes + _offset(ax, -across, 0), ha="center",
                           va="bottom", rotation="vertical", rotation_mode="anchor", fontsize=label_size,
                           clip_on=False))
    return out
