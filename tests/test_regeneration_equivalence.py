"""The shortcuts that make a regeneration cheaper give what the longer ways gave (issue 28).

Each shortcut is held against the way it replaced, on the same input: the figures' layout and
titles (the same PNG bytes), the width of a text, the LaTeX escaping, the numeric columns, the
configuration tables' cells, the sweep's memberships; and ``--workers``, which shares the cores
among the studies run side by side, is checked like every option (one line, exit status 2).
"""
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.font_manager import FontProperties
from PIL import Image

from analysis.analyses import Analysis, Cuts
from analysis.codings import solve_coding
from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.pipeline import cli
from analysis.qca import solve, truth_table
from analysis.qca.sets import models_membership
from analysis.rawdata import load_raw
from analysis.report import canvas, configurations, labels, latex
from analysis.report.format import is_numeric
from analysis.robustness.sweep import Run, _floats, analyse, signature
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
    return buf.getvalue()


def _xy_figure(title_at_fixed_place: bool):
    fig = canvas.new_figure(3.5, 4.0)
    ax = fig.add_subplot()
    ax.scatter([0.1, 0.6, 0.9], [0.2, 0.7, 0.4])
    ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), aspect="equal")
    ax.set_xlabel("X")
    ax.set_ylabel("Y")
    text = "sufficiency: inclS 0.912, covS 0.700\nnecessity: inclN 0.800"
    if title_at_fixed_place:
        canvas.axes_title(ax, text, fontsize=7.5)
    else:
        ax.set_title(text, fontsize=7.5)
    canvas.finish(fig, "X and Y", fontsize=9)
    return fig


def test_an_axes_title_at_its_fixed_place_draws_the_same_pixels():
    assert _png(_xy_figure(True)) == _png(_xy_figure(False))


def test_the_layout_for_labels_places_the_axes_where_a_drawing_places_them():
    laid_out, drawn = _xy_figure(False), _xy_figure(False)
    labels.freeze_layout(laid_out)                      # the layout engine alone
    drawn.draw_without_rendering()                      # the whole figure, unrendered (the old way)
    for a, b in zip(laid_out.axes, drawn.axes):
        # what place_labels reads (the box in pixels, the data transform), not get_position (which
        # would apply the axes' aspect itself)
        assert np.allclose(a.bbox.bounds, b.bbox.bounds, rtol=0, atol=1e-9)
        assert np.allclose(a.transData.transform([(0.5, 0.5)]), b.transData.transform([(0.5, 0.5)]), rtol=0, atol=1e-9)


def test_labels_placed_after_the_layout_give_the_same_figure():
    figs = []
    for old in (False, True):
        fig = _xy_figure(False)
        if old:
            fig.draw_without_rendering()
            fig.set_layout_engine("none")
            fig._labels_frozen = True
        ax = fig.axes[0]
        labels.place_labels(ax, [0.1, 0.6, 0.9], [0.2, 0.7, 0.4], ["alpha", "beta", "gamma"])
        figs.append(_png(fig))
    assert figs[0] == figs[1]


@pytest.mark.parametrize("text,size,font", [("SYNTHETIC STAND-IN DATA", 10, {}), ("C1P1 M2", 8.5, {"weight": "bold"}),
                                            ("inclS\ncovU", 8, {"style": "italic"}), ("", 7, {})])
def test_a_measured_width_is_the_renderers_width(text, size, font):
    prop = FontProperties(family="DejaVu Sans", size=size, **font)
    direct = max((canvas._RENDERER.get_text_width_height_descent(line, prop, ismath=False)[0]
                  for line in text.split("\n")), default=0.0) / 72
    assert canvas.text_width(text, size, **font) == direct
    assert canvas.text_width(text, size, **font) == direct           # and again, from the cache


def test_tex_escape_escapes_every_character_as_the_table_says():
    text = "".join(latex._TEX) + "plain A*B_1 ~C ≥ 0.8 ● ⊘ é\n"
    assert latex.tex_escape(text) == "".join(latex._TEX.get(ch, ch) for ch in text)
    assert latex.tex_escape(3.5) == "3.5"


def _numbers_only(col) -> bool:                       # the rule, value by value
    values = col.dropna()
    return len(values) > 0 and all(isinstance(v, (int, float, np.integer, np.floating))
                                   and not isinstance(v, (bool, np.bool_)) for v in values)


@pytest.mark.parametrize("col", [pd.Series([1, 2]), pd.Series([1.5, None]), pd.Series([], dtype=float),
                                 pd.Series([np.nan, np.nan]), pd.Series([True, False]), pd.Series(["1", "2"]),
                                 pd.Series([1, None], dtype="Int64"), pd.Series([1, "a"], dtype=object),
                                 pd.Series([1.0, 2], dtype=object), pd.Series([3], dtype="uint8")])
def test_is_numeric_answers_from_the_dtype_as_the_values_would(col):
    assert is_numeric(col) == _numbers_only(col)


def _tables():
    data = pd.DataFrame({"A": [0.9, 0.8, 0.1, 0.2, 0.7, 0.3], "B": [0.8, 0.2, 0.2, 0.1, 0.9, 0.6],
                         "C": [0.1, 0.2, 0.1, 0.9, 0.8, 0.7], "Y": [0.9, 0.8, 0.1, 0.2, 0.8, 0.3]},
                        index=list("pqrstu"))
    sols = solve(truth_table(data, "Y", incl_cut=0.7), dir_exp=[1, 1, 1])
    return [configurations.configuration_table(sols, ["A", "B", "C"], block=b, model=m)
            for b, m in configurations.configuration_models(sols)]


def test_a_configuration_tables_cells_are_its_cells():
    for table in _tables():
        cells = configurations._cells(table)
        assert cells == {(r, c): table.at[r, c] for r in table.index for c in table.columns}
        assert configurations._value(cells, "inclS", table.columns[0]) == configurations.fmt(
            table.at["inclS", table.columns[0]])
        assert configurations._value(cells, "no such row", table.columns[0]) == ""


def test_the_tied_models_table_holds_each_models_cells():
    tables = _tables()
    again = [t.copy() for t in tables]  # the same configurations in another model: once as columns, a row each
    for t in again:
        t.attrs = {**t.attrs, "model": 9}
    tables += again
    tied = configurations.tied_models_table(tables)
    conds = tied.attrs["conditions"]
    for label, t in zip(tied.attrs["models"], tables):
        for c in t.columns:
            name = next(n for n in tied.columns
                        if [tied.at[r, n] for r in conds] == [t.at[r, c] if r in t.index else "" for r in conds])
            assert tied.at[label, name] == t.at["covU", c]
            assert [tied.at[r, name] for r in ("inclS", "PRI", "covS")] == [t.at[r, c] for r in ("inclS", "PRI", "covS")]
        assert list(tied.loc[label, configurations.SOLUTION_ROWS]) == \
            [t.at[r, t.columns[0]] for r in configurations.SOLUTION_ROWS]


def test_the_sweep_reads_the_columns_a_frame_selection_reads():
    data = pd.DataFrame({"A": [0.1, 0.9], "B": [1, 0], "Y": [0.5, 0.25]}, index=["x", "y"])
    assert np.array_equal(_floats(data, ("B", "A")), data[["B", "A"]].to_numpy(dtype=float))
    assert _floats(data, ()).shape == (2, 0)


def test_a_sweeps_run_is_the_analysis_of_the_cases_it_keeps():
    study = load_study(ROOT / "data" / "ppip" / "study.yml")
    calibrated = calibrate_measures(build_measures(study, load_raw(study)), study.anchors)
    conds = ("CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC")
    columns = {c: calibrated[c].to_numpy(dtype=float) for c in conds}
    for outcome, neg in (("MPV", False), ("PPV", True)):
        a = Analysis(("not" if neg else "") + outcome, outcome, neg, conds, Cuts(0.8, 0.7),
                     tuple(["-"] * 5 if neg else [1] * 5))
        for drop in ((), ("H01",), ("H02", "H07")):
            r = analyse(Run(a, calibrated, drop=drop))
            kept = calibrated.drop(index=list(drop))        # the cases kept, as a frame (the old way)
            solved = solve_coding(a, kept)
            assert r.signature == signature(solved.chosen("intermediate"))
            assert np.array_equal(r.membership, models_membership(columns, [m.terms for m in r.models], len(calibrated)))
            assert np.array_equal(r.first, models_membership(columns, [m.terms for m in r.models[:1]], len(calibrated)))


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", ""])
def test_workers_must_be_a_whole_number(value, capsys, tmp_path):
    for study in (["--study", "lipset"], []):                # one study, and every study side by side
        assert cli.main([*study, "--workers", value, "--out", str(tmp_path / "out")]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: --workers must be a whole number of processes")
    assert list(tmp_path.iterdir()) == []                   # refused before anything is written


def test_several_studies_side_by_side_share_the_cores():
    cores = os.cpu_count() or 1
    assert cli._workers(None, 2) == max(1, cores // 2)
    assert cli._workers(None, 1) == cores
    assert cli._workers(5, 2) == 5


def test_the_run_time_clipping_check_reads_the_pixels_the_png_holds(tmp_path, monkeypatch):
    monkeypatch.delenv(canvas.CHECK_FIGURES, raising=False)           # a run's check, not the tests' full one
    fig = _xy_figure(True)
    png, _ = canvas.write_png_svg(fig, tmp_path, "fits")
    with Image.open(png) as im:                                      # what the check reads: the PNG's pixels
        assert np.array_equal(np.asarray(im.convert("RGBA")), np.asarray(fig.canvas.renderer.buffer_rgba()))
    clipped = canvas.new_figure(3.5, 2.0)
    clipped.text(0.98, 0.5, "a label that runs off the right edge", fontsize=9)
    with pytest.raises(canvas.FigureClipped, match=r"clipped.png: content within 3 px of the right edge"):
        canvas.write_png_svg(clipped, tmp_path, "clipped")
