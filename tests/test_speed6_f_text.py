"""The compendium's Agg canvas draws a line of text in one piece (``report.agg_text``, issue 28):
held against matplotlib's own drawing of the same texts (one glyph at a time), which must give
the same ink in the same place (within two pixels across and one up or down: a line's bitmap is
placed at a whole pixel, matplotlib's glyphs anywhere); rotated texts and mathtext are drawn by
matplotlib's own code."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from analysis.report import agg_text, canvas

TEXTS = ["0", ".75", "H01", "inclS 0.989, covS 0.351", "deviant consistency in kind (X > 0.5, Y < 0.5)",
         "X ≤ Y (sufficiency); 1 − |X − Y|", "~CONTRACT*RISK*~KNOW"]


def _ink(renderer) -> np.ndarray:
    return np.asarray(renderer.buffer_rgba())[..., 3].astype(float)


def _bbox(ink):
    ys, xs = np.nonzero(ink > 64)               # visible ink (a quarter of full), not the faintest edge
    return np.array([xs.min(), ys.min(), xs.max(), ys.max()])


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("angle", [0, 90])
@pytest.mark.parametrize("size,x", [(7, 100.3), (8, 100.8), (9.5, 100.0)])
def test_a_text_is_drawn_with_the_ink_and_place_of_matplotlibs_drawing(text, angle, size, x):
    from matplotlib.font_manager import FontProperties
    prop = FontProperties(family="DejaVu Sans", size=size)
    ours, theirs = agg_text.Renderer(900, 900, 150), RendererAgg(900, 900, 150)
    for r in (ours, theirs):
        gc = r.new_gc()
        r.draw_text(gc, x, 800.6, text, prop, angle)
        gc.restore()
    a, b = _ink(ours), _ink(theirs)
    moved = np.abs(_bbox(a) - _bbox(b))       # a line's bitmap is placed at a whole pixel, a glyph anywhere
    assert moved[[0, 2]].max() <= 2 and moved[[1, 3]].max() <= 1, "the text is not where matplotlib draws it"
    assert a.sum() == pytest.approx(b.sum(), rel=0.03), "not the same ink"


def test_a_figure_drawn_on_the_canvas_matches_matplotlibs_within_a_pixel():
    """A whole figure (lines, ticks, titles, a rotated label, mathtext): its dark pixels are
    matplotlib's within two pixels across and one up or down, both ways."""
    def figure(canvas_class):
        fig = Figure(figsize=(3, 2), dpi=150)
        canvas_class(fig)
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, 1])
        ax.set_title("a title with words")
        ax.set_ylabel("a rotated label")
        fig.text(0.02, 0.02, "a note at the foot, $x^2$ in mathtext", fontsize=7)
        fig.canvas.draw()
        return np.asarray(fig.canvas.get_renderer().buffer_rgba())[..., :3].astype(int)
    ours, theirs = figure(agg_text.Canvas), figure(FigureCanvasAgg)
    dark_ours, dark_theirs = ours.min(axis=-1) < 128, theirs.min(axis=-1) < 128
    assert dark_ours.sum() == pytest.approx(dark_theirs.sum(), rel=0.05), "not the same ink"
    for a, b in ((dark_ours, dark_theirs), (dark_theirs, dark_ours)):
        assert not (a & ~_grown(b)).any(), "ink drawn farther from the other drawing's"


def _grown(mask):
    """``mask`` grown by two pixels left and right and one up and down."""
    padded = np.pad(mask, 2)
    h, w = mask.shape
    return np.logical_or.reduce([padded[2 + dy:2 + dy + h, 2 + dx:2 + dx + w]
                                 for dy in (-1, 0, 1) for dx in (-2, -1, 0, 1, 2)])


def test_the_compendiums_figures_have_the_canvas():
    fig = canvas.new_figure(2, 2)
    assert isinstance(fig.canvas, agg_text.Canvas)
    assert isinstance(fig.canvas.get_renderer(), agg_text.Renderer)


def test_plain_texts_take_the_one_piece_path_and_the_others_matplotlibs(monkeypatch):
    from matplotlib.font_manager import FontProperties
    calls = []
    monkeypatch.setattr(RendererAgg, "_draw_text_glyphs_and_boxes", lambda self, *a: calls.append(a[3]))
    r, prop = agg_text.Renderer(300, 300, 150), FontProperties(family="DejaVu Sans", size=7)
    gc = r.new_gc()
    r.draw_text(gc, 10, 100, "a plain line", prop, 0)
    assert calls == [] and _ink(r).sum() > 0, "a plain text not drawn in one piece"
    r.draw_text(gc, 10, 100, "a y label", prop, 90)
    assert calls == [90], "a rotated text not drawn by matplotlib"


@pytest.mark.parametrize("x", [0.9, -0.2])
def test_a_text_that_runs_off_the_canvas_is_drawn_as_matplotlib_draws_it(x):
    """Up to the canvas' edge, as matplotlib draws it: the run's check of the PNG's border sees it."""
    def drawn(canvas_class):
        fig = Figure(figsize=(3.5, 2), dpi=150)
        canvas_class(fig)
        fig.text(x, 0.5, "a long text that runs off an edge of the canvas")
        fig.canvas.draw()
        return np.asarray(fig.canvas.get_renderer().buffer_rgba())
    assert np.array_equal(drawn(agg_text.Canvas), drawn(FigureCanvasAgg))
