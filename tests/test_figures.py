"""Figures fit their canvas, are legible at print size, label cases without collisions, carry the
synthetic-data stamp, and come out byte for byte the same; a clipped figure fails when saved."""
import os

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from analysis import parameters
from analysis.analyses import analyses, sufficiency
from analysis.joint import joint_memberships
from analysis.memberships import calibrate_measures
from analysis.necessity import necessity_analysis
from analysis.qca import solve, truth_table
from analysis.report import canvas, configurations, figures
from analysis.report.labels import place_labels
from analysis.report.xy import necessity_choices, term_plot

SMALL = pd.DataFrame({"A": [0.1, 0.7, 0.9, 0.2, 0.8, 0.62, 0.64, 0.66], "B": [0.3, 0.9, 0.6, 0.1, 0.7, 0.2, 0.8, 0.4],
                      "Y": [0.2, 0.8, 0.9, 0.1, 0.6, 0.61, 0.63, 0.3]},
                     index=["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"])


def _ranges():
    rows = []
    for a in ("Y", "~Y"):
        for p, v, st in (("A exclusion", 2.0, 0.5), ("A crossover", 5.0, 0.5), ("incl_cut", 0.8, 0.01),
                         ("n_cut", 1, 1)):
            rows.append({"analysis": a, "parameter": p, "value": v, "step": st, "lower": v - 2 * st,
                         "upper": v + 3 * st, "steps_down": 2, "steps_up": 3, "lower_end": "changed",
                         "upper_end": "max_steps" if p == "incl_cut" else "limit"})
    return pd.DataFrame(rows)


def _types():
    return pd.DataFrame({"case": list("abcdef"), "Y": [0.9, 0.8, 0.2, 0.7, 0.1, 0.6],
                         "IS": [0.8, 0.7, 0.9, 0.2, 0.1, 0.6], "minTS": [0.7, 0.3, 0.6, 0.1, 0.1, 0.4],
                         "maxTS": [0.9, 0.8, 0.9, 0.7, 0.2, 0.7],
                         "type": ["robust typical", "shaky typical", "robust deviant", "possible typical",
                                  "irrelevant", "shaky typical"]})


@pytest.fixture(scope="module")
def ppip_results(study, measures):
    calibrated = calibrate_measures(measures, study.anchors, study.strict, study.name, study.calibration)
    calibrated = calibrated.join(joint_memberships(calibrated, study.joint))
    P = parameters.resolve(study.thresholds)
    study_analyses = analyses(study, P)
    results = [sufficiency(a, calibrated) for a in study_analyses]
    calibrated.attrs["necessity"] = necessity_analysis(calibrated, study_analyses, P["necessity_incl"],
                                                       P["necessity_ron"])
    return calibrated, results


def _configurations():
    sols = solve(truth_table(SMALL, "Y", ["A", "B"], incl_cut=0.8), [1, 1])
    table = configurations.configuration_table(sols, ["A", "B"])
    return configurations.configuration_chart([("Y", table), ("Y again", table)], title="Y")


SMALL_FIGURES = {       # each drawn only by its own test
    "xy": lambda: figures.xy_plot(SMALL, "A*B", "Y", necessary=False),
    "xy_neg": lambda: figures.xy_plot(SMALL, "~A", "Y", neg_out=True),
    "calibration": lambda: figures.calibration_plot([1, 2, 3, 4], [0.05, 0.3, 0.7, 0.95], (1, 2.5, 4), "A"),
    "calibration_grid": lambda: figures.calibration_grid(SMALL * 10, SMALL, {"A": (1, 5, 9), "B": (2, 5, 8)}),
    "ranges": lambda: figures.range_plot(_ranges(), max_steps=10),
    "robustness_xy": lambda: figures.robustness_xy_plot({"Y (RF_SC_minTS 0.81, RCC_Rank 4)": _types(), "~Y": _types()}),
    "configurations": _configurations,
}


def _texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", list(SMALL_FIGURES))
def test_small_figures_fit_and_are_legible(name, tmp_path):
    fig = SMALL_FIGURES[name]()
    canvas.check_fits(fig, name)
    width = fig.get_size_inches()[0]
    assert width <= canvas.FULL, f"{name}: {width:.2f} in wide"
    small = [(t.get_text(), t.get_fontsize()) for t in _texts(fig) if t.get_fontsize() < canvas.MIN_FONT - 1e-6]
    assert not small, f"{name}: text under {canvas.MIN_FONT} pt at print size: {small[:5]}"
    png, _ = canvas.write_png_svg(fig, tmp_path, name)
    canvas.check_saved_png(png)


def test_figures_of_a_study_fit(ppip_results, tmp_path):
    calibrated, results = ppip_results
    canvas.set_stamp(canvas.SYNTHETIC_STAMP)
    try:
        figs = [fig for r in results for fig in term_plot(r, calibrated)]
        plotted = figures.xy_plots(calibrated, necessity_choices(calibrated.attrs["necessity"]))
        for fields, fig in plotted:
            canvas.save_figure(fig, tmp_path, "xy", **fields)
        figs += [fig for _, fig in plotted]
    finally:
        canvas.set_stamp(None)
    assert len(figs) > len(results)
    saved = {id(fig) for _, fig in plotted}      # held against the canvas when saved (conftest: "full")
    assert os.environ[canvas.CHECK_FIGURES] == "full"
    for k, fig in enumerate(figs):
        if id(fig) not in saved:
            canvas.check_fits(fig, f"figure {k}")
        assert canvas.SYNTHETIC_STAMP in fig._suptitle.get_text()
        assert all(t.get_fontsize() >= canvas.MIN_FONT for t in _texts(fig))
    for png in (tmp_path / "figures").glob("*.png"):
        canvas.check_saved_png(png)


def test_a_clipped_figure_fails_when_saved(tmp_path):
    fig = canvas.new_figure(2, 2)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    fig.text(0.7, 0.5, "a note that runs off the right edge of the canvas")
    with pytest.raises(canvas.FigureClipped, match=r"clip.*right edge|right edge"):
        canvas.write_png_svg(fig, tmp_path, "clipped")
    assert not list(tmp_path.iterdir()), "a clipped figure was written"


def test_a_figure_without_layout_room_fails():
    fig = canvas.new_figure(3, 2)
    fig.set_layout_engine("none")
    ax = fig.add_axes((0, 0, 1, 1))            # tick labels and axis labels fall outside the canvas
    ax.set_xlabel("condition")
    ax.set_title("a title above the canvas")
    with pytest.raises(canvas.FigureClipped, match="edge"):
        canvas.check_fits(fig)


def test_a_clipped_png_is_detected(tmp_path):
    fig = canvas.new_figure(2, 1)
    fig.set_layout_engine("none")
    fig.add_axes((-0.1, 0.2, 0.6, 0.6), facecolor="0.3", xticks=[], yticks=[])
    fig.savefig(tmp_path / "cut.png", dpi=50)
    with pytest.raises(canvas.FigureClipped, match="cut.png: content within 3 px of the left edge"):
        canvas.check_saved_png(tmp_path / "cut.png")


@pytest.mark.parametrize("check", ["image", "full"])
def test_a_run_refuses_a_text_that_runs_off_the_canvas(tmp_path, monkeypatch, check):
    # at run time the saved PNG is checked (one drawing per file); the tests hold every artist
    # against the canvas first (COMPENDIUM_CHECK_FIGURES=full, set in conftest.py)
    if check == "image":
        monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)
    fig = canvas.new_figure(3.5, 2)
    fig.add_subplot().plot([0, 1], [0, 1])
    fig.text(0.9, 0.5, "a long text that runs off the right edge of the canvas")
    with pytest.raises(canvas.FigureClipped, match="right edge"):
        canvas.write_png_svg(fig, tmp_path, "clipped")


def test_labels_do_not_collide():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0.2, 0.8, 25), rng.uniform(0.2, 0.8, 25)
    fig = canvas.new_figure(4, 4)
    ax = fig.add_subplot()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.scatter(x, y, s=12)
    anns = place_labels(ax, x, y, [f"H{i:02d}" for i in range(25)], fontsize=7)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    boxes = [a.get_window_extent(r) for a in anns]
    frame = ax.get_window_extent(r)
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)


def test_necessity_choices_plot_the_flagged_conditions():
    nec = pd.DataFrame({"outcome": ["Y", "Y", "Y", "~Y", "~Y"], "condition": ["A", "B", "C", "A", "~B"],
                        "inclN": [0.97, 0.95, 0.99, 0.7, 0.8], "RoN": [0.6, 0.7, 0.3, 0.9, 0.6],
                        "covN": [0.5] * 5, "necessary": [True, True, False, False, False]})
    got = necessity_choices(nec)
    assert list(zip(got["outcome"], got["condition"], got["necessary"])) == \
        [("Y", "A", True), ("Y", "B", True), ("~Y", "~B", False)]


def test_range_plot_is_in_the_parameters_units():
    fig = figures.range_plot(_ranges())
    panels = {ax.get_title(): ax for ax in fig.axes if ax.get_title()}
    assert set(panels) == {"A exclusion (chosen 2)", "A crossover (chosen 5)", "incl_cut (chosen 0.8)",
                           "n_cut (chosen 1)"}
    lo, hi = panels["incl_cut (chosen 0.8)"].get_xlim()
    assert lo <= 0.78 and hi >= 0.83 and hi < 1
    lo, hi = panels["A crossover (chosen 5)"].get_xlim()
    assert lo <= 4 and hi >= 6.5


def test_stamp_is_in_the_title_while_set():
    canvas.set_stamp(canvas.stamp_for(type("Study", (), {"synthetic": True})()))
    try:
        fig = figures.calibration_plot([1, 2, 3], [0.1, 0.5, 0.9], (1, 2, 3))
    finally:
        canvas.set_stamp(None)
    assert canvas.SYNTHETIC_STAMP in fig._suptitle.get_text()
    assert canvas.stamp_for(type("Study", (), {"synthetic": False})()) is None
    assert canvas.SYNTHETIC_STAMP not in figures.calibration_plot([1, 2, 3], [0.1, 0.5, 0.9], (1, 2, 3))._suptitle.get_text()


def test_labelled_figures_are_byte_identical(ppip_results, tmp_path):
    calibrated, results = ppip_results
    for run in ("one", "two"):
        canvas.write_png_svg(term_plot(results[0], calibrated)[0], tmp_path / run, "terms")
        canvas.write_png_svg(figures.xy_plot(calibrated, calibrated.columns[0], calibrated.columns[-1]),
                           tmp_path / run, "xy")
    for name in ("terms.png", "terms.svg", "xy.png", "xy.svg"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
