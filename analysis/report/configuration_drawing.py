"""Drawing a configuration chart: a grid of rows (conditions, fit) and columns (configurations),
laid out in inches so that its width is known before it is drawn.

``analysis.report.configurations`` decides what a chart shows (which models, which columns, on
how many charts); this module only draws it.  A chart is a ``Grid`` of row labels and one or
more *bands* stacked top to bottom, each a row of ``Panel`` objects side by side (a model, an
outcome, or the solution block of the tied-models chart); a panel holds ``Column`` objects whose
cells are a symbol of Fiss's (2011) notation, a text, or nothing.  ``band_width`` is the width a
band needs: the column width is set by the widest text of the chart (measured with Agg's own
font metrics, ``canvas.text_width``, not estimated), the label column by the widest row label.
``draw_chart`` makes the figure at exactly that size, the title and stamp from
``canvas.finish``, the legend of the symbols and a note under the grid.

>>> grid = Grid(rows=("A", "inclS"), italic=frozenset({1}), rules=(1,))
>>> panel = Panel("Y", (Column("1", (("symbol", "core", True), "0.900")),))
>>> round(band_width(grid, [panel]), 2)
0.93
"""
from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from .canvas import finish, new_figure, text_width, wrap_to

__all__ = ["Column", "Panel", "Grid", "band_width", "draw_chart", "column_width", "LEGEND_ITEMS"]

MARGIN, PAD, GAP = 0.08, 0.14, 0.24          # inches: canvas margin, after the labels, between panels
ROW, MIN_COL = 0.27, 0.36                    # inches: row height, narrowest column
SIZES = {"row": 8.0, "column": 8.5, "cell": 7.0, "heading": 7.5, "legend": 7.0, "title": 9.5}
RADIUS = {"core": 0.11, "peripheral": 0.062}  # inches
LEGEND_ITEMS = (("core", True, "core present"), ("peripheral", True, "peripheral present"),
                ("core", False, "core absent"), ("peripheral", False, "peripheral absent"))

@dataclass(frozen=True)
class Column:
    """One column: its label and one cell per row of the grid: None, a symbol
    ``("symbol", "core" | "peripheral", present)`` or a text; ``shaded`` rows get a grey cell."""

    label: str
    cells: tuple
    shaded: frozenset = frozenset()


@dataclass(frozen=True)
class Panel:
    """Columns side by side under one heading; ``spans``: (row, text) written across the panel."""

    heading: str | None
    columns: tuple
    spans: tuple = ()


@dataclass(frozen=True)
class Grid:
    """The row labels, the rows written in italics (fit rows) and the rows a rule is drawn above."""

    rows: tuple
    italic: frozenset = field(default_factory=frozenset)
    rules: tuple = ()


def _label_width(grid: Grid) -> float:
    return max(text_width(r, SIZES["row"], style="italic" if i in grid.italic else "normal")
               for i, r in enumerate(grid.rows))


def column_width(panels) -> float:
    """The width in inches of every column of a chart of ``panels``: its widest text and a margin."""
    widest = [text_width(c.label, SIZES["column"], weight="bold") for p in panels for c in p.columns]
    widest += [text_width(v, SIZES["cell"]) for p in panels for c in p.columns for v in c.cells if isinstance(v, str)]
    return max([MIN_COL] + [w + 0.09 for w in widest])


def _panel_width(panel: Panel, col: float) -> float:
    heading = text_width(panel.heading, SIZES["heading"]) + 0.04 if panel.heading else 0.0
    spans = max([text_width(t, SIZES["cell"]) + 0.06 for _, t in panel.spans], default=0.0)
    return max(len(panel.columns) * col, heading, spans)


def band_width(grid: Grid, panels, headings: bool = True, col: float | None = None) -> float:
    """The width in inches of one band of ``panels`` (``col``: the column width; default: what
    these panels' texts need)."""
    col = column_width(panels) if col is None else col
    return (2 * MARGIN + _label_width(grid) + PAD + sum(_panel_width(p, col) for p in panels)
            + GAP * max(len(panels) - 1, 0))


class _Sheet:
    """The chart's drawing surface: the figure itself, in inches from its top-left corner.  Its
    texts, lines and patches are the figure's own artists, not an axes': an axes would give each
    a clip path (nothing of a chart needs clipping) and compute data limits, a third of the time
    a chart took; the artists stand in the same order (by zorder, then as added), drawn the same.
    It answers the few calls of an axes the chart makes (``text``, ``plot``, ``add_line``,
    ``add_artist``).  The shaded cells, the circles and the crosses of the symbols are kept
    (``shade``, ``circle``, ``cross``) and added by ``finish`` as one collection of each kind:
    one artist to draw, not one per symbol, in the same order (shading, circles, crosses, then
    the texts above them)."""

    def __init__(self, fig: Figure, height: float):
        self.fig = fig
        self.transform = Affine2D().scale(1, -1).translate(0, height) + fig.dpi_scale_trans
        self.cells, self.circles, self.crosses = [], [], []

    def shade(self, x, y, w, h):
        self.cells.append(Rectangle((x, y), w, h))

    def circle(self, x, y, r, face: str, lw: float):
        self.circles.append((Circle((x, y), r), face, lw))

    def cross(self, segment):
        self.crosses.append(segment)

    def finish(self):
        if self.cells:
            self.add_artist(PatchCollection(self.cells, facecolors="0.9", edgecolors="none", linewidths=0, zorder=0))
        if self.circles:
            patches, faces, widths = zip(*self.circles)
            self.add_artist(PatchCollection(patches, facecolors=faces, edgecolors="black", linewidths=widths,
                                            zorder=1))
        if self.crosses:
            self.add_artist(LineCollection(self.crosses, colors="black", linewidths=1.1, capstyle="projecting",
                                           zorder=2))

    def add_artist(self, artist):
        artist.set_transform(self.transform)
        return self.fig.add_artist(artist)

    add_line = add_artist

    def text(self, x, y, s, **kwargs):
        return self.add_artist(Text(x, y, s, **{"va": "baseline", "ha": "left", **kwargs}))

    def plot(self, xs, ys, **kwargs):
        return [self.add_artist(Line2D(xs, ys, **kwargs))]


def _draw_symbol(ax, x, y, kind, present):
    r = RADIUS[kind]
    if present:
        ax.circle(x, y, r, "black", 1.0)
        return
    ax.circle(x, y, r, "white", 1.1)
    d = r * 0.7071
    ax.cross([(x - d, y + d), (x + d, y - d)])           # ⊘, as in the tables
    if kind == "core":                                   # ⊗
        ax.cross([(x - d, y - d), (x + d, y + d)])


def _draw_band(ax, grid: Grid, panels, top: float, col: float, label_w: float, headings: bool) -> float:
    """Draw one band with its top at ``top`` (inches from the canvas's top); return its bottom."""
    y0 = top + (ROW if headings else 0.0) + ROW                 # the first row's centre, below the labels
    x_left = MARGIN + label_w + PAD
    for i, r in enumerate(grid.rows):
        ax.text(MARGIN, y0 + i * ROW, r, ha="left", va="center", fontsize=SIZES["row"],
                fontstyle="italic" if i in grid.italic else "normal")
    x = x_left
    for panel in panels:
        width = _panel_width(panel, col)
        first = x + (width - len(panel.columns) * col) / 2 + col / 2      # the first column's centre
        if panel.heading:
            ax.text(x + width / 2, top + ROW / 2, panel.heading, ha="center", va="center", fontsize=SIZES["heading"])
        for j, c in enumerate(panel.columns):
            cx = first + j * col
            ax.text(cx, y0 - ROW, c.label, ha="center", va="center", fontsize=SIZES["column"], fontweight="bold")
            for i, v in enumerate(c.cells):
                cy = y0 + i * ROW
                if i in c.shaded:
                    ax.shade(cx - col / 2 + 0.02, cy - ROW / 2 + 0.025, col - 0.04, ROW - 0.05)
                if isinstance(v, tuple):
                    _draw_symbol(ax, cx, cy, v[1], v[2])
                elif v:
                    ax.text(cx, cy, v, ha="center", va="center", fontsize=SIZES["cell"])
        for i, text in panel.spans:
            ax.text(x + width / 2, y0 + i * ROW, text, ha="center", va="center", fontsize=SIZES["cell"])
        x += width + GAP
    right = x - GAP
    for i in grid.rules:
        ax.plot([MARGIN, right], [y0 + (i - 0.5) * ROW] * 2, color="0.5", lw=0.6)
    return y0 + (len(grid.rows) - 0.5) * ROW


def _legend(ax, width: float, y: float):
    """The four symbols with their meaning, centred on one line at ``y``."""
    items = [(kind, present, text, 2 * RADIUS["core"] + 0.05 + text_width(text, SIZES["legend"]))
             for kind, present, text in LEGEND_ITEMS]
    x = (width - sum(w for *_, w in items) - 0.2 * (len(items) - 1)) / 2
    for kind, present, text, w in items:
        _draw_symbol(ax, x + RADIUS["core"], y, kind, present)
        ax.text(x + 2 * RADIUS["core"] + 0.05, y, text, ha="left", va="center", fontsize=SIZES["legend"])
        x += w + 0.2


def draw_chart(grid: Grid, bands: list, title: str, note: str | None = None) -> Figure:
    """The figure of ``bands`` (each a list of panels, stacked top to bottom), as wide as its widest
    band: ``title`` (with the stamp, ``canvas.finish``) above, the legend and ``note`` under it."""
    headings = any(p.heading for band in bands for p in band)
    col = column_width([p for band in bands for p in band])
    label_w = _label_width(grid)
    width = max(max(band_width(grid, band, headings, col) for band in bands),
                sum(2 * RADIUS["core"] + 0.25 + text_width(t, SIZES["legend"]) for *_, t in LEGEND_ITEMS) + 2 * MARGIN)
    fig = new_figure(width, 4.0)
    fig.set_layout_engine(None)                  # laid out here, in inches
    finish(fig, title, fontsize=SIZES["title"])
    title_lines = fig._suptitle.get_text().count("\n") + 1
    note_text = wrap_to(fig, note, SIZES["legend"]) if note else ""
    title_h = title_lines * SIZES["title"] * 1.25 / 72 + 0.12
    band_h = (ROW if headings else 0.0) + ROW + len(grid.rows) * ROW + 0.12
    note_h = (note_text.count("\n") + 1) * SIZES["legend"] * 1.3 / 72 + 0.08 if note_text else 0.0
    height = MARGIN + title_h + len(bands) * band_h + 0.34 + note_h + MARGIN
    fig.set_size_inches(width, height)
    fig._suptitle.set_y(1 - MARGIN / height)
    ax = _Sheet(fig, height)
    top = MARGIN + title_h
    for band in bands:
        top = _draw_band(ax, grid, band, top, col, label_w, headings) + 0.12
    _legend(ax, width, top + 0.16)
    if note_text:
        ax.text(width / 2, top + 0.34, note_text, ha="center", va="top", fontsize=SIZES["legend"], color="0.25")
    ax.finish()
    return fig

