"""The Agg canvas of the compendium's figures: texts drawn a line at a time, not a glyph at a time.

matplotlib 3.11 draws a text into a PNG one glyph at a time, in Python: for every glyph it sets
FreeType's size and a transform (a small matrix product in numpy), renders the glyph and
composites its bitmap, which made the texts about two thirds of what drawing a figure's PNG
cost (the compendium's figures are mostly texts: titles, notes, tick labels, case labels, the
cells of the configuration charts).  ``Canvas`` gives its figure a ``Renderer`` that measures a
text once per process (not once per figure: the same tick labels, notes, legends and cells recur
in every figure of a study), and draws a line of text as matplotlib did up to 3.10, with the same FreeType calls it still has: the line
laid out once (``FT2Font.set_text``, the layout matplotlib also measures the text with), its
glyphs rendered into one bitmap (``draw_glyphs_to_bitmap``), the bitmap composited once: a third
of the cost.  The glyphs and their antialiasing are FreeType's either way, and so are their
places, within two pixels across and one up or down (a line's bitmap is placed at a whole
pixel; ``tests/test_speed6_f_text.py`` holds the two drawings of texts side by side).
Rotated texts (the y labels: a bitmap rotated by Agg lands up to 4 px off matplotlib's glyphs),
mathtext and texts with OpenType features or a language set are drawn by matplotlib's own code,
as are the SVG files (text kept as text).
"""
from __future__ import annotations

import functools

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

__all__ = ["Canvas", "Renderer"]


@functools.lru_cache(maxsize=8)
def _probe(dpi: float) -> RendererAgg:
    return RendererAgg(1, 1, dpi)


@functools.lru_cache(maxsize=65536)
def _metrics(text: str, prop, dpi: float, hinting, factor) -> tuple:
    """Agg's width, height and descent of ``text`` in ``prop`` at ``dpi`` (under the hinting
    settings ``hinting``, ``factor``), measured once per process: they do not depend on the
    figure (matplotlib keeps them per renderer, so every figure measured its texts again)."""
    return RendererAgg.get_text_width_height_descent(_probe(dpi), text, prop, False)


class Renderer(RendererAgg):
    """``RendererAgg`` drawing each line of plain text into one bitmap, its texts measured once
    per process (module docstring)."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        rc = matplotlib.rcParams
        return _metrics(s, prop.copy(), self.dpi, rc["text.hinting"], rc["text.hinting_factor"])

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle or (mtext is not None and (mtext.get_fontfeatures() or mtext.get_language())):
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        font = self._prepare_font(prop)
        font.set_text(s, 0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
        xo, yo = (v / 64.0 for v in font.get_bitmap_offset())
        image = font.get_image()
        left, bottom = round(x + xo), round(y + yo + font.get_descent() / 64.0) + 1      # y downwards
        if left < 0 or bottom - image.shape[0] < 0 or left + image.shape[1] > self.width or bottom > self.height:
            # a text that runs off the canvas is drawn as matplotlib draws it (up to its edge), so the
            # run's check of the PNG's border sees it (canvas.check_saved_png) as it did
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        self._renderer.draw_text_image(image, left, bottom, 0, gc)


class Canvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` whose renderer is ``Renderer`` (made and kept as matplotlib's is: one
    per size and dpi of the figure)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
