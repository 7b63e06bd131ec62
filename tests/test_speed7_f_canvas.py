"""What the figures' canvas does to write a figure cheaply (issue 28), held against matplotlib's
own writers: the PNG file is written unfiltered from Agg's pixels (``report.png``) and decodes to
exactly those pixels; texts are measured and rendered once per process (``report.agg_text``) and
drawn as when they are measured and rendered afresh; the SVG file, whose texts are measured once
per process, is byte for byte matplotlib's; a study's figure is drawn once per file, shown from
the PNG it was saved as, and loses no text in either file."""
from __future__ import annotations

import io
import itertools
from html import escape
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image
from test_figures_speed_draws import draws  # noqa: F401  (the fixture: how often any figure is drawn)

from analysis.report import agg_text, canvas
from analysis.report.png import encode_png
from analysis.report.xy import _term_page, xy_plot


def _decoded(data: bytes):
    with Image.open(io.BytesIO(data)) as im:
        return im.mode, np.asarray(im.convert("RGBA")), dict(im.info)


@pytest.mark.parametrize("opaque", [True, False])
def test_a_png_decodes_to_the_pixels_it_was_given(opaque):
    rng = np.random.default_rng(7)
    px = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    if opaque:
        px[..., 3] = 255
    mode, back, info = _decoded(encode_png(px, 150, {"Software": None, "Title": "a figure"}, level=1))
    assert mode == ("RGB" if opaque else "RGBA")
    assert np.array_equal(back, px)
    assert info["dpi"] == pytest.approx((150, 150), abs=0.02) and info["Title"] == "a figure"
    assert "Software" not in info


def _figure(canvas_class=agg_text.Canvas, size=(3.2, 2.4)) -> Figure:
    fig = Figure(figsize=size, dpi=150)
    canvas_class(fig)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="tab:red")
    ax.set_title("a title: inclS 0.989, covS 0.351")
    ax.set_xlabel("X (membership)")
    ax.set_ylabel("a rotated label")
    ax.text(0.1, 0.8, "two lines\nof text", fontsize=7)
    fig.text(0.02, 0.02, "a note with $x^2$ in mathtext", fontsize=7)
    return fig


def test_a_figures_png_holds_exactly_the_pixels_matplotlibs_own_writer_writes():
    fig = _figure()
    ours, theirs = io.BytesIO(), io.BytesIO()
    fig.savefig(ours, format="png", dpi=150, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    drawn = np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()
    fig.savefig(theirs, format="png", dpi=150, metadata={"Software": None},      # Pillow's writer (an option
                pil_kwargs={"compress_level": 1, "optimize": False})              # ours does not take)
    assert ours.getvalue() != theirs.getvalue(), "the same writer twice: nothing compared"
    (mode, a, info_a), (_, b, info_b) = _decoded(ours.getvalue()), _decoded(theirs.getvalue())
    assert mode == "RGB" and np.array_equal(a, b) and np.array_equal(a, drawn)
    assert info_a == info_b


def test_the_svg_is_byte_for_byte_matplotlibs():
    fig = _figure()
    ours, theirs = io.StringIO(), io.StringIO()
    fig.savefig(ours, format="svg", metadata={"Date": None})
    fig.savefig(theirs, format="svg", metadata={"Date": None}, backend="svg")
    assert "<text" in ours.getvalue() and ours.getvalue() == theirs.getvalue()


def _cleared():
    for cache in (agg_text._laid_out, agg_text._svg_metrics, agg_text._height_metrics):
        cache.cache_clear()


def test_texts_kept_from_earlier_figures_are_drawn_and_laid_out_as_when_new():
    _cleared()
    fresh = _figure()
    fresh.canvas.draw()
    first = np.asarray(fresh.canvas.get_renderer().buffer_rgba()).copy()
    assert agg_text._laid_out.cache_info().currsize > 0
    again = _figure()                           # the same texts, from the caches
    again.canvas.draw()
    assert agg_text._laid_out.cache_info().hits > 0
    assert np.array_equal(np.asarray(again.canvas.get_renderer().buffer_rgba()), first)
    plain = RendererAgg(480, 360, 150)          # matplotlib's layout, from the font's own tables
    texts = [t for t in again.findobj(Text) if t.get_text()]
    assert len(texts) > 10
    for t in texts:
        (box_a, *rest_a), (box_b, *rest_b) = t._get_layout(again.canvas.get_renderer()), t._get_layout(plain)
        assert (box_a.bounds, rest_a) == (box_b.bounds, rest_b), t.get_text()


def _study_figures():
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"X": rng.random(20), "Y": rng.random(20)}, index=[f"case {i}" for i in range(20)])
    y = rng.random(20)
    page = _term_page(SimpleNamespace(label="OUT"), "intermediate solution", y, [f"C{i:02d}" for i in range(20)],
                      [(1, "A*~B", rng.random(20), False), (0, "solution", rng.random(20), True)], 1, 1)
    return {"xy": xy_plot(data, "X", "Y", necessary=False), "terms": page}


@pytest.mark.parametrize("kind", ["xy", "terms"])
def test_a_study_figure_is_drawn_once_per_file_shown_from_its_png_and_loses_no_text(kind, tmp_path, monkeypatch,
                                                                                    draws):  # noqa: F811
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)          # the run's check, as a regeneration runs
    fig = _study_figures()[kind]
    draws["n"] = 0                                                   # drawn while being built: not counted
    png, svg = canvas.write_png_svg(fig, tmp_path, kind)
    assert draws["n"] == 2, f"drawn {draws['n']} times for a PNG and an SVG"
    shown, _ = DisplayFormatter().format(fig)
    assert draws["n"] == 2, "drawn again to be shown"
    with open(png, "rb") as fh:
        assert shown["image/png"] == fh.read(), "the notebook does not show the PNG that was saved"
    renderer = fig.canvas.get_renderer()
    with open(png, "rb") as fh:
        _, pixels, _ = _decoded(fh.read())
    with open(svg, encoding="utf-8") as fh:
        vector = fh.read()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 20
    height = pixels.shape[0]
    for t in texts:
        for line in t.get_text().split("\n"):
            assert escape(line, quote=False) in vector, f"{line!r} is not in the SVG"
        box = t.get_window_extent(renderer)
        x0, x1 = int(np.floor(box.x0)), int(np.ceil(box.x1))
        y0, y1 = height - int(np.ceil(box.y1)), height - int(np.floor(box.y0))
        assert pixels[max(y0, 0):y1, max(x0, 0):x1, :3].min() < 128, f"no ink where {t.get_text()!r} stands"
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for (n1, b1), (n2, b2) in itertools.combinations(boxes, 2):
        assert min(b1.x1, b2.x1) - max(b1.x0, b2.x0) <= 0.5 or min(b1.y1, b2.y1) - max(b1.y0, b2.y0) <= 0.5, \
            f"{n1!r} and {n2!r} overlap"
