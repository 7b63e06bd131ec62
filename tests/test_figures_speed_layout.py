"""Term plots, XY plots and the specification curve are laid out in inches (issue 28: matplotlib's
constrained layout was the largest cost of building them): held here as results, not as time —
no layout engine is left to run, and the texts and panels laid out by hand neither overlap one
another nor reach beyond the canvas."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.multiverse.curve import specification_curve
from analysis.report import canvas
from analysis.report.xy import _term_page, xy_plot


def _boxes(fig):
    """Every axes' tight box (its tick labels, axis labels and title) and the legends' boxes."""
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    boxes = [(f"axes {k}", ax.get_tightbbox(renderer)) for k, ax in enumerate(fig.axes) if ax.get_visible()]
    boxes += [("legend", leg.get_window_extent(renderer)) for leg in fig.legends]
    for name in ("_suptitle", "_supxlabel"):
        text = getattr(fig, name, None)
        if text is not None and text.get_text():
            boxes.append((name, text.get_window_extent(renderer)))
    return boxes


def _assert_apart(fig, skip=()):
    assert fig.get_layout_engine() is None
    boxes = [(n, b) for n, b in _boxes(fig) if n not in skip]
    for (n1, b1), (n2, b2) in itertools.combinations(boxes, 2):
        w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        assert w <= 0.5 or h <= 0.5, f"{n1} and {n2} overlap ({w:.1f} x {h:.1f} px)"
    canvas.check_fits(fig, "figure")


def _panels(n, rng):
    terms = ["A*B*~C", "~A*D*E*F*G*HIGHER*LONGER_NAME", "B*~D", "C*E", "A*~E*F", "~B*~C*D*E*F*G*H"]
    out = [(k, terms[(k - 1) % len(terms)], rng.random(30), False) for k in range(1, n)]
    return out + [(0, "solution:\n" + "\n+ ".join(t for _, t, _, _ in out[:2]), rng.random(30), True)]


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_a_term_page_is_laid_out_without_overlaps(n):
    rng = np.random.default_rng(n)
    names = [f"C{i:02d}" for i in range(30)]
    fig = _term_page(SimpleNamespace(label="~OUTCOME"), "intermediate solution", rng.random(30), names,
                     _panels(n, rng), 1, 1)
    assert len(fig.axes) == n
    _assert_apart(fig)


def test_an_xy_plot_is_laid_out_without_overlaps():
    rng = np.random.default_rng(1)
    data = pd.DataFrame({"X": rng.random(40), "Y": rng.random(40)}, index=[f"case {i}" for i in range(40)])
    _assert_apart(xy_plot(data, "X", "Y", necessary=False))


@pytest.mark.parametrize("n", [120, 2000])   # 2000: a tick on the axis' end, its label half beyond it
def test_the_specification_curve_is_laid_out_without_overlaps(n, tmp_path, monkeypatch):
    rng = np.random.default_rng(2)
    grid = [{"name": "anchors A", "kind": "anchors", "values": [-0.05, 0.0, 0.05]},
            {"name": "a choice with a long name", "kind": "", "values": ["x", "y"]},
            {"name": "cases", "kind": "cases", "values": ["all", "-A", "-B"]}]
    curve = pd.DataFrame({"spec": range(n), "anchors A": rng.choice([-0.05, 0.0, 0.05], n),
                          "a choice with a long name": rng.choice(["x", "y"], n),
                          "cases": rng.choice(["all", "-A", "-B"], n)})
    analyses = ["Y1", "Y2", "Y3", "Y4"]
    for a in analyses:
        incl = rng.random(n)
        incl[rng.random(n) < 0.3] = np.nan
        curve[f"{a}: inclS"], curve[f"{a}: covS"] = incl, rng.random(n)
    fig = specification_curve(curve, grid, analyses, {"Y1": "a label that takes a second line of the title"})
    _assert_apart(fig, skip=("axes 8",))      # the key's axes spans the figure, its texts drawn on it
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)
    canvas.write_png_svg(fig, tmp_path, "curve")  # the run's check: a blank border round the PNG


def test_the_run_check_reads_the_drawn_pixels_of_a_figure_of_any_height(tmp_path, monkeypatch):
    """A figure laid out in inches has a height of no whole number of pixels (Agg's canvas cuts it
    down to one): the run's check still reads the pixels drawn for the PNG, not the file, and
    they are the file's."""
    from PIL import Image
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)
    monkeypatch.setattr(canvas, "check_saved_png", lambda path: pytest.fail("read the PNG back from the file"))
    fig = canvas.new_figure(3.5, 2.337)                 # 350.55 px at 150 dpi
    fig.set_layout_engine(None)
    fig.add_axes((0.2, 0.2, 0.6, 0.6)).plot([0, 1], [0, 1])
    png = canvas.write_png_svg(fig, tmp_path, "odd")[0]
    drawn = np.asarray(fig.canvas.renderer.buffer_rgba())
    with Image.open(png) as im:
        assert np.array_equal(np.asarray(im.convert("RGBA")), drawn)
    fig.text(0.5, 0.0, "cut at the bottom", va="center")
    with pytest.raises(canvas.FigureClipped, match="bottom"):
        canvas.write_png_svg(fig, tmp_path, "cut")
