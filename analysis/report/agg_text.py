"""The canvas of the compendium's figures: texts drawn a line at a time, not a glyph at a time,
and measured and rendered once per process; PNG files written unfiltered; SVG files as
matplotlib writes them, their texts measured once per process.

matplotlib 3.11 draws a text into a PNG one glyph at a time, in Python: for every glyph it sets
FreeType's size and a transform (a small matrix product in numpy), renders the glyph and
composites its bitmap, which made the texts about two thirds of what drawing a figure's PNG
cost (the compendium's figures are mostly texts: titles, notes, tick labels, case labels, the
cells of the configuration charts).  ``Canvas`` gives its figure a ``Renderer`` that measures a
text once per process (not once per figure: the same tick labels, notes, legends and cells recur
in every figure of a study), and draws a line of text as matplotlib did up to 3.10, with the
same FreeType calls it still has: the line laid out once (``FT2Font.set_text``, the layout
matplotlib also measures the text with), its glyphs rendered into one bitmap
(``draw_glyphs_to_bitmap``), the bitmap composited once: a third of the cost.  The bitmap does
not depend on where the line is drawn, so it is made once per process with the line's measures
(``_laid_out``, one layout for both: PSS's figures draw 3,514 lines, 767 of them different).
The glyphs and their antialiasing are FreeType's either way, and so are their places, within two
pixels across and one up or down (a line's bitmap is placed at a whole pixel;
``tests/test_speed6_f_text.py`` holds the two drawings of texts side by side).  Rotated texts
(the y labels: a bitmap rotated by Agg lands up to 4 px off matplotlib's glyphs), mathtext,
texts with OpenType features or a language set and texts drawn without antialiasing are drawn
by matplotlib's own code.

Every text's layout reads its font's ascent, descent and line gap from the font's tables, at
every drawing; both renderers give them from a cache instead (``_height_metrics``, the same
expressions).  The SVG files (text kept as text) are drawn by matplotlib's SVG renderer, but
with its measures of a text kept for the process (``SVGRenderer``: the same bytes as
matplotlib's own, ``tests/test_speed7_f_canvas.py``).  The PNG files are written by
``analysis.report.png`` from the pixels Agg drew.
"""
from __future__ import annotations

import codecs
import functools

import matplotlib
import numpy as np
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import fontManager, get_font
from matplotlib.textpath import TextToPath

from .png import DEFAULT_LEVEL, encode_png

__all__ = ["Canvas", "Renderer", "SVGRenderer"]

_TEXT2PATH = TextToPath()


@functools.lru_cache(maxsize=8)
def _probe(dpi: float) -> RendererAgg:
    return RendererAgg(1, 1, dpi)


def _hinting() -> tuple:
    rc = matplotlib.rcParams
    return rc["text.hinting"], rc["text.hinting_factor"]


@functools.lru_cache(maxsize=8192)
def _laid_out(text: str, prop, dpi: float, hinting, factor) -> tuple:
    """A line of ``text`` in ``prop`` at ``dpi`` (under the hinting settings ``hinting``,
    ``factor``) laid out once per process (``FT2Font.set_text``): Agg's width, height and descent
    (matplotlib keeps them per renderer, so every figure measured its texts again), and the
    line's bitmap as FreeType renders it, antialiased, with its offset in pixels (laid out from 0,
    so the same wherever it is drawn: the same tick labels, case names and notes recur in every
    figure of a study)."""
    font = _probe(dpi)._prepare_font(prop)
    font.set_text(text, 0.0, flags=get_hinting_flag())
    w, h = font.get_width_height()
    d = font.get_descent()
    font.draw_glyphs_to_bitmap(antialiased=True)
    xo, yo = (v / 64.0 for v in font.get_bitmap_offset())
    return (w / 64.0, h / 64.0, d / 64.0), font.get_image(), xo, yo


@functools.lru_cache(maxsize=65536)
def _svg_metrics(text: str, prop) -> tuple:
    """The SVG renderer's width, height and descent (in points) of ``text`` in ``prop``, measured
    once per process (matplotlib measures every text again for each SVG file it writes)."""
    return _TEXT2PATH.get_text_width_height_descent(text, prop, False)


@functools.lru_cache(maxsize=4096)
def _height_metrics(prop, dpi: float) -> tuple:
    """The ascent, descent and line gap of the font of ``prop`` at ``dpi``, as matplotlib's
    ``Text._get_layout`` reads them from the font's tables for every text at every drawing (the
    same expressions, so the same floats), once per process."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap_key, ascent_key, descent_key in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                         ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale
    return None, None, None


class Renderer(RendererAgg):
    """``RendererAgg`` drawing each line of plain text into one bitmap, its texts measured and
    rendered once per process (module docstring)."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        return _laid_out(s, prop.copy(), self.dpi, *_hinting())[0]

    def _get_font_height_metrics(self, prop):
        return _height_metrics(prop.copy(), self.dpi)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle or not gc.get_antialiased() or \
                (mtext is not None and (mtext.get_fontfeatures() or mtext.get_language())):
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        (_, _, descent), image, xo, yo = _laid_out(s, prop.copy(), self.dpi, *_hinting())
        left, bottom = round(x + xo), round(y + yo + descent) + 1      # y downwards
        if left < 0 or bottom - image.shape[0] < 0 or left + image.shape[1] > self.width or bottom > self.height:
            # a text that runs off the canvas is drawn as matplotlib draws it (up to its edge), so the
            # run's check of the PNG's border sees it (canvas.check_saved_png) as it did
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        self._renderer.draw_text_image(image, left, bottom, 0, gc)


class SVGRenderer(RendererSVG):
    """``RendererSVG`` whose texts are measured once per process (the SVG keeps them as text, so
    a text's measure only places it)."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        return _svg_metrics(s, prop.copy())

    def _get_font_height_metrics(self, prop):
        return _height_metrics(prop.copy(), 72.0)


class Canvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` whose renderer is ``Renderer`` (made and kept as matplotlib's is: one
    per size and dpi of the figure), whose PNG files are written by ``report.png`` and whose
    SVG files are drawn by ``SVGRenderer``."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def print_png(self, filename_or_obj, *, metadata=None, pil_kwargs=None, **_applied):
        """``FigureCanvasAgg.print_png`` (the same ``metadata``; of ``pil_kwargs`` only
        ``compress_level``, else matplotlib's own writer): the pixels Agg drew, lossless.
        ``_applied``: what ``print_figure`` passes to every canvas it did not write (face and
        edge colour, orientation), set on the figure already."""
        if set(pil_kwargs or {}) - {"compress_level"}:
            return super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
        FigureCanvasAgg.draw(self)
        text = {"Software": f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/", **(metadata or {})}
        data = encode_png(np.asarray(self.buffer_rgba()), self.figure.dpi, text,
                          (pil_kwargs or {}).get("compress_level", DEFAULT_LEVEL))
        with cbook.open_file_cm(filename_or_obj, "wb") as fh:
            fh.write(data)

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_applied):
        """``FigureCanvasSVG.print_svg``, drawn by ``SVGRenderer``: the same file."""
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            renderer = MixedModeRenderer(self.figure, width, height, dpi,
                                         SVGRenderer(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata),
                                         bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()
