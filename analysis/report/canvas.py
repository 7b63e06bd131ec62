"""The canvas every figure of the compendium is drawn on: sizes, titles, the synthetic-data
stamp, the check that nothing is clipped, and byte-identical PNG and SVG files.

Sizes follow a two-column journal page: one column is about ``COLUMN`` = 3.5 in wide, the full
width ``FULL`` = 7 in; figures are drawn at their print size, so a font size in points is the
size in print (at least ``MIN_FONT`` = 7 pt).  In a notebook a figure is shown at 96 px per
inch, so a full-width figure is 672 px wide.

``check_fits`` refuses a figure wider than ``FULL`` (``FigureTooWide``: the one place the page's
width is enforced), then draws it and raises ``FigureClipped`` when any of its artists — axes,
tick labels, titles, legends, annotations, figure texts — reaches beyond the canvas;
``save_figure`` calls it before writing, so a figure too wide or clipped fails when it is saved,
with the artist named.  What does not fit one figure goes on the next (``chunks``: as few and
as even as can be).

The *stamp* (``set_stamp``) is a line every figure's title carries while it is set: the
notebooks set it from the study file (``stamp_for(study)``), so that a figure of a synthetic
stand-in is never mistaken for one of the article's findings.
"""
from __future__ import annotations

import functools
import io
import os

import matplotlib
import numpy as np

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text

from ..errors import StudyError
from .agg_text import Canvas
from .captions import item

__all__ = ["COLUMN", "FULL", "MIN_FONT", "FigureClipped", "FigureTooWide", "QCAFigure", "chunks", "text_width",
           "new_figure", "freeze_layout", "check_fits", "save_figure", "write_png_svg", "axes_title",
           "set_stamp", "stamp", "stamp_for", "finish", "caption", "wrap_to", "check_saved_png", "SYNTHETIC_STAMP"]

COLUMN, FULL, MIN_FONT = 3.5, 7.0, 7.0
SAVE_DPI = 150                                # the PNG files' resolution
PNG_COMPRESSION = 1                           # zlib level of the PNG files (unfiltered rows: report.png)
SYNTHETIC_STAMP = "SYNTHETIC STAND-IN DATA"

matplotlib.rcParams["svg.hashsalt"] = "ppip-fsqca"
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "DejaVu Sans"
matplotlib.rcParams["font.size"] = 8
matplotlib.rcParams["figure.max_open_warning"] = 0
matplotlib.rcParams["text.hinting"] = "no_hinting"    # glyphs as drawn: a text of the PNG costs 40 % less to
#   draw than with FreeType's hinting, and is as wide at any dpi as in the SVG (the look: a shade softer)

_STAMP = {"text": None}
CHECK_FIGURES = "COMPENDIUM_CHECK_FIGURES"   # "full": check_fits before every figure is saved (tests)


class FigureClipped(StudyError):
    """A figure whose content reaches beyond its canvas."""


class FigureTooWide(FigureClipped):
    """A figure wider than the page (``FULL``)."""


class QCAFigure(Figure):
    """A Figure that notebooks show as a PNG (whatever matplotlib backend the kernel uses): the
    PNG ``save_figure`` wrote when there is one (drawn once, shown at 96 dpi), else a new one."""

    saved_png = None

    def _repr_png_(self):
        w, h = self.get_size_inches()
        size = {"width": round(w * 96), "height": round(h * 96)}
        if self.saved_png is not None:
            return self.saved_png, size
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=96, metadata={"Software": None})
        return buf.getvalue(), size


def new_figure(width, height) -> Figure:
    """A figure of ``width`` x ``height`` inches, made without pyplot's global state (so none
    piles up in a long session), laid out by matplotlib's constrained layout.  Its dpi is the
    PNG's (``SAVE_DPI``): the layout and the label placement measure the texts with the renderer
    the PNG is then drawn with, whose text metrics matplotlib keeps, so they are measured once.
    Its canvas (``agg_text.Canvas``) draws each line of text in one piece."""
    fig = QCAFigure(figsize=(width, height), dpi=SAVE_DPI, layout="constrained")
    Canvas(fig)
    return fig


def freeze_layout(fig: Figure):
    """Lay ``fig`` out once (its layout engine places the axes, without drawing anything), then
    take the engine off, so that the axes stay where they are (artists added afterwards do not
    move them) and saving it draws it once per file: matplotlib draws a figure that has a layout
    engine, even a placeholder, once more without output before every file it writes.  Returns
    the renderer (the PNG's, at the figure's dpi)."""
    if not hasattr(fig.canvas, "get_renderer"):
        Canvas(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        if fig.axes and not isinstance(engine, PlaceHolderLayoutEngine):
            engine.execute(fig)                    # the layout alone: nothing drawn, not even unrendered
        fig.set_layout_engine(None)
    return fig.canvas.get_renderer()


_RENDERER = RendererAgg(8, 8, 72)             # at 72 dpi a pixel is a point


def text_width(text: str, size: float, **font) -> float:
    """The width in inches of ``text`` (its longest line) at ``size`` points in DejaVu Sans
    (``font``: weight, style), by Agg's font metrics, the ones the PNG is drawn with.

    >>> round(text_width("SYNTHETIC STAND-IN DATA", 10), 2)
    1.89
    """
    return _text_width(text, float(size), tuple(sorted(font.items())))


@functools.lru_cache(maxsize=65536)
def _text_width(text: str, size: float, font: tuple) -> float:
    """``text_width``, measured once per text, size and font (the configuration charts measure
    the same cells again for every way of cutting them into bands)."""
    prop = FontProperties(family="DejaVu Sans", size=size, **dict(font))
    return max((_RENDERER.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")),
               default=0.0) / 72


def chunks(n: int, most: int) -> list:
    """``range(n)`` cut into the fewest pieces of at most ``most`` items, as even as can be: what
    goes on each of several figures (or bands) when one cannot hold it all.

    >>> [list(c) for c in chunks(5, 3)]
    [[0, 1, 2], [3, 4]]
    >>> [len(c) for c in chunks(20, 16)]
    [10, 10]
    """
    count = max(1, -(-n // max(most, 1)))
    size = max(1, -(-n // count))
    return [range(k, min(k + size, n)) for k in range(0, n, size)] or [range(0)]


# ----------------------------------------------------------------------------------- stamp

def set_stamp(text: str | None) -> None:
    """Set (or, with None, clear) the line every figure made from now on carries in its title."""
    _STAMP["text"] = text or None


def stamp() -> str | None:
    """The current stamp (None when there is none)."""
    return _STAMP["text"]


def stamp_for(study) -> str | None:
    """The stamp of a study: ``SYNTHETIC_STAMP`` when its data are a synthetic stand-in."""
    return SYNTHETIC_STAMP if getattr(study, "synthetic", False) else None


def finish(fig: Figure, title: str | None = None, fontsize: float = 9.5) -> Figure:
    """Give ``fig`` its title (a suptitle, which constrained layout makes room for) and, when a
    stamp is set, the stamp as the title's last line; return ``fig``."""
    import textwrap
    chars = max(int(fig.get_size_inches()[0] * 72 / (fontsize * 0.58)), 20)     # DejaVu Sans: ~0.55 em
    lines = [line for t in (title, stamp()) if t for line in textwrap.wrap(" ".join(t.split()), chars)]
    if lines:
        fig.suptitle("\n".join(lines), fontsize=fontsize)
    return fig


def axes_title(ax, text: str, **kwargs):
    """Give ``ax`` the title ``text`` (``kwargs``: ``Axes.set_title``'s) at its fixed place, just
    above the axes (y = 1 in axes coordinates, the place matplotlib computes for the compendium's
    axes, whose tick labels are below and left): matplotlib then does not recompute it from the
    extent of every tick label each time the figure is drawn."""
    return ax.set_title(text, y=1.0, **kwargs)


def wrap_to(fig: Figure, text: str, fontsize: float = 7) -> str:
    """``text`` wrapped to lines that fit the width of ``fig`` at ``fontsize``."""
    import textwrap
    chars = max(int(fig.get_size_inches()[0] * 72 / (fontsize * 0.56)) - 4, 20)
    return "\n".join(textwrap.wrap(" ".join(text.split()), chars))


def caption(fig: Figure, text: str, fontsize: float = 7) -> Figure:
    """A note under the whole figure (a supxlabel, which constrained layout makes room for),
    wrapped to the figure's width; return ``fig``.  (A figure with a legend below its axes
    puts its note in the legend's title instead, so the two do not overlap.)"""
    fig.supxlabel(wrap_to(fig, text, fontsize), fontsize=fontsize, color="0.25")
    return fig


# --------------------------------------------------------------------------------- fitting

def _describe(artist) -> str:
    if isinstance(artist, Text):
        text = " ".join(artist.get_text().split())
        return f"text {text[:60]!r}"
    label = artist.get_label() if hasattr(artist, "get_label") else ""
    return type(artist).__name__ + (f" {label!r}" if label and not str(label).startswith("_") else "")


def _texts(fig):
    """Every visible, non-empty text of ``fig`` except tick labels (their axis bounds them)."""
    ticks = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ticks.update({id(tick.label1), id(tick.label2)})
    for t in fig.findobj(Text):
        if id(t) in ticks or not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and t.get_clip_on() and t.get_clip_box() is not None:
            continue                                   # clipped to its axes on purpose
        yield t


def _overflow(box, canvas, tol):
    over = {"left": canvas.x0 - box.x0, "right": box.x1 - canvas.x1,
            "bottom": canvas.y0 - box.y0, "top": box.y1 - canvas.y1}
    side, by = max(over.items(), key=lambda kv: kv[1])
    return (side, by) if by > tol else None


def _check_width(fig: Figure, name: str) -> None:
    w, _ = fig.get_size_inches()
    if w > FULL + 1e-9:
        raise FigureTooWide(f"{name}: {w:.2f} in wide, wider than the page ({FULL:g} in, canvas.FULL); draw it "
                            "narrower or put what does not fit on a continuation figure")


def check_fits(fig: Figure, name: str = "figure", tol: float = 0.5) -> Figure:
    """Raise ``FigureClipped`` when any artist of ``fig`` reaches beyond its canvas.

    The figure is drawn (which runs its layout engine); then the tight bounding box of every
    axes (with its tick labels, axis labels and titles), every legend and every text or
    annotation is compared with the canvas, allowing ``tol`` pixels.  Returns ``fig``.  A figure
    wider than ``FULL`` (7 in, the page's width) raises ``FigureTooWide`` before it is drawn.
    """
    _check_width(fig, name)
    if not hasattr(fig.canvas, "get_renderer"):
        Canvas(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    artists = [(ax, ax.get_tightbbox(renderer)) for ax in fig.axes if ax.get_visible()]
    artists += [(leg, leg.get_window_extent(renderer)) for leg in fig.legends]
    artists += [(leg, leg.get_window_extent(renderer)) for ax in fig.axes for leg in [ax.get_legend()] if leg]
    artists += [(t, t.get_window_extent(renderer)) for t in _texts(fig)]
    for artist, box in artists:
        if box is None or not (np.isfinite(box.extents).all() and box.width + box.height > 0):
            continue
        bad = _overflow(box, canvas, tol)
        if bad:
            side, by = bad
            w, h = fig.get_size_inches()
            raise FigureClipped(f"{name}: {_describe(artist)} reaches {by:.1f} px beyond the {side} edge of the "
                                f"{w:.2f} x {h:.2f} in canvas; enlarge the figure or move the artist inside it")
    return fig


def check_saved_png(path, background=(255, 255, 255), border: int = 3) -> None:
    """Raise ``FigureClipped`` when a saved PNG has anything but ``background`` within ``border``
    pixels of its edges: a figure whose content fits its canvas keeps a blank margin all round
    (at least 3 px at 150 dpi in every figure of the compendium).  A cheap check of the image as
    saved: Agg stops drawing a text that runs off the canvas at its last whole glyph, which may
    end short of the edge, so the tests hold every artist against the canvas (``check_fits``)."""
    from PIL import Image
    with Image.open(path) as im:
        px = np.asarray(im.convert("RGB"))
    _check_edges(px, os.path.basename(str(path)), background, border)


def _check_edges(px: np.ndarray, name: str, background=(255, 255, 255), border: int = 3) -> None:
    """``check_saved_png`` on the pixels ``px`` (height x width x RGB) of the image ``name``."""
    edges = {"top": px[:border], "bottom": px[-border:], "left": px[:, :border], "right": px[:, -border:]}
    for side, band in edges.items():
        if (np.abs(band.astype(int) - np.array(background)).max(axis=-1) > 8).any():
            raise FigureClipped(f"{name}: content within {border} px of the {side} edge of the "
                                f"{px.shape[1]} x {px.shape[0]} px image (clipped?); enlarge the figure or move "
                                "what reaches the edge inside it")


def _check_drawn_png(fig: Figure, path: str, dpi: float) -> None:
    """``check_saved_png`` of the PNG just written from ``fig``, on the pixels Agg drew for it (the
    file holds them as they are, RGBA): no need to read the file back and decode it.  A figure
    whose canvas holds no such image (not the size the PNG has) is checked from the file."""
    w, h = fig.get_size_inches()
    renderer = getattr(fig.canvas, "renderer", None)
    px = np.asarray(renderer.buffer_rgba()) if isinstance(renderer, RendererAgg) else None
    if px is None or px.shape[:2] != (int(h * dpi), int(w * dpi)):      # Agg's canvas: whole pixels, cut down
        check_saved_png(path)
    else:
        _check_edges(px[..., :3], os.path.basename(path))


# ---------------------------------------------------------------------------------- saving

def write_png_svg(fig: Figure, folder, name: str, dpi: int = SAVE_DPI) -> list:
    """Write ``name.png`` and ``name.svg`` into ``folder`` (the same figure gives the same
    bytes), checking that ``fig`` fits its canvas.

    The figure is laid out once for both files (``freeze_layout``).  The check: a figure wider
    than ``FULL`` is refused before it is drawn; then the saved PNG's outermost pixels must be
    blank (``check_saved_png``: the figure is drawn once per file); with
    ``COMPENDIUM_CHECK_FIGURES=full`` (the tests set it) every artist is also held against the
    canvas first (``check_fits``, one more drawing, about ten times the cost), which names the
    artist that reaches beyond it: the tests refuse whatever a run refuses, and more.
    """
    _check_width(fig, name)
    freeze_layout(fig)
    if os.environ.get(CHECK_FIGURES) == "full":
        check_fits(fig, name)
    os.makedirs(folder, exist_ok=True)
    paths = []
    for ext, meta, extra in (("png", {"Software": None}, {"pil_kwargs": {"compress_level": PNG_COMPRESSION}}),
                             ("svg", {"Date": None, "Creator": None}, {})):
        path = os.path.join(folder, f"{name}.{ext}")
        fig.savefig(path, format=ext, dpi=dpi, metadata=meta, **extra)
        paths.append(path)
        if ext == "png":
            _check_drawn_png(fig, path, dpi)
    if isinstance(fig, QCAFigure):
        with open(paths[0], "rb") as fh:
            fig.saved_png = fh.read()            # shown as it was saved, not drawn again
    return paths


def save_figure(fig: Figure, out, key: str, **fields) -> list:
    """Write the registry's figure ``key`` (``analysis.report.captions``: its file name from
    ``fields``) as ``figures/<file>.png`` and ``.svg`` of a run's output folder ``out``."""
    it = item(key, **fields)
    if it.kind != "figure" or not it.file:
        raise KeyError(f"{key!r} is not a figure that is written (analysis.report.captions.ITEMS)")
    return write_png_svg(fig, os.path.join(out, "figures"), it.file)
