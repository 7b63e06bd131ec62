"""Round 6 (helper R): the shortcuts in writing tables, in the robustness memberships and in the
necessity cases give exactly what the plain code gives.

* ``tex_escape`` (one ``str.replace`` per special character present, when no replacement holds
  a replaced character) equals the one-pass ``str.translate`` on random texts of every special
  character;
* ``choose_layout`` (stops at the first candidate that fits on one page; the cells' widths
  measured once for every candidate) equals the layout chosen from every candidate with
  ``_row_lines``, and ``latex_table`` writes the same text, on random tables and on long ones;
* ``as_written`` (each distinct value formatted once) equals ``float(f"{v:.6f}")`` of every value,
  bit for bit;
* ``necessity_cases`` (one truth table per analysis) equals the cases found with a truth table
  made for every flagged condition, on a study.
"""
from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

import analysis.report.latex as latex
import analysis.report.latex_layout as LL
from analysis.analyses import analyses
from analysis.necessity import CASE_COLUMNS, necessity_analysis, necessity_cases
from analysis.qca import smmr
from analysis.robustness.measures import as_written, memberships_frame
from test_robustness_speed_memberships import study_memberships


def plain_fitting(cols, headers, cells):
    """Every candidate, each measuring its rows with ``_row_lines`` (the code before round 6)."""
    fitting = []
    for candidate in LL.CANDIDATES:
        landscape, size, gap = candidate
        scale, skip = LL.SCALE[size]
        width, height = (LL.TEXT_HEIGHT, LL.TEXT_WIDTH) if landscape else (LL.TEXT_WIDTH, LL.TEXT_HEIGHT)
        fit = LL._fit(cols, scale, gap, 0.98 * width)
        if fit is None:
            continue
        wrap, widths = fit
        capacity = (height - 90) / skip
        rows = LL._row_lines(cells, wrap, widths, scale)
        if rows and max(rows) > capacity:
            continue
        head = max((math.ceil(scale * c["rotated"] / skip) if c.get("rotated") else 1 if j in wrap
                    else len(c["lines"]) for j, c in enumerate(cols)), default=1)
        layout = LL.Layout(landscape, size, gap, wrap, LL._hsize(widths), head + sum(rows) > capacity,
                           LL._headings(headers, cols, wrap), tuple(j for j, c in enumerate(cols) if c.get("rotated")),
                           tuple(round(w, 1) for w in widths))
        fitting.append((layout, (head + sum(rows)) / capacity))
    return fitting


def random_text(rng, alphabet, longest):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def test_tex_escape_equals_translate():
    rng = random.Random(6)
    alphabet = list(latex._TEX) + list("abcXYZ 01*_+;,")
    assert all(len(k) == 1 for k in latex._TEX)
    checked = 0
    for _ in range(20000):
        text = random_text(rng, alphabet, 14)
        assert latex.tex_escape(text) == text.translate(latex._TEX_TABLE), text
        checked += 1
    long = "~A*B_1 + ~C; " * 5000
    assert latex.tex_escape(long) == long.translate(latex._TEX_TABLE)
    assert latex.tex_escape("a\\b{c}") == "a\\textbackslash{}b\\{c\\}"           # the translated path
    assert checked == 20000


def random_table(rng, rows):
    words = ["A", "~B", "CONTRACT*NORMS", "a long sentence of several words", "x_y", "", "0.5"]
    cells = {"set": [rng.choice(words) for _ in range(rows)],
             "inclS": [rng.random() for _ in range(rows)],
             "cases": [", ".join(f"H{rng.randint(1, 99):02d}" for _ in range(rng.randint(0, 40))) for _ in range(rows)],
             "models": ["; ".join(" + ".join(rng.choice(words[:3]) for _ in range(rng.randint(1, 30)))
                                  for _ in range(rng.randint(1, 4))) for _ in range(rows)],
             "n": [rng.randint(0, 500) for _ in range(rows)]}
    keep = rng.sample(list(cells), rng.randint(1, len(cells)))
    return pd.DataFrame({k: cells[k] for k in keep})


@pytest.mark.parametrize("seed", range(6))
def test_layout_and_latex_equal_every_candidate_measured_plainly(seed, monkeypatch):
    rng = random.Random(seed)
    tables = [random_table(rng, rows) for rows in (0, 1, 3, 12, 40, 120, 400)]
    fast = [latex.latex_table(t, f"t{i}") for i, t in enumerate(tables)]
    layouts = [LL.choose_layout([str(c) for c in t.columns], [latex.texts(t[c]) for c in t.columns],
                                [latex.is_numeric(t[c]) for c in t.columns]) for t in tables]
    monkeypatch.setattr(LL, "_fitting", plain_fitting)
    plain = [latex.latex_table(t, f"t{i}") for i, t in enumerate(tables)]
    plain_layouts = [LL.choose_layout([str(c) for c in t.columns], [latex.texts(t[c]) for c in t.columns],
                                      [latex.is_numeric(t[c]) for c in t.columns]) for t in tables]
    assert fast == plain
    assert layouts == plain_layouts
    assert any(x.long for x in layouts) or seed        # long tables are among them


def test_continued_equals_row_by_row():
    rng = random.Random(1)
    cells = [[random_text(rng, "ab ;,+", 400) for _ in range(50)] for _ in range(3)]
    out = [[] for _ in cells]
    for i in range(len(cells[0])):
        pieces = [LL._chunks(col[i]) for col in cells]
        for k in range(max(map(len, pieces))):
            for col, p in zip(out, pieces):
                col.append(p[k] if k < len(p) else "")
    assert LL._continued(cells) == out
    assert len(out[0]) > 50


def test_as_written_equals_formatting_every_value():
    rng = np.random.default_rng(6)
    x = np.concatenate([rng.random(5000), rng.random(300).round(7), [0.0, -0.0, 1.0, np.nan, 0.5, 0.9999995,
                                                                     5e-7, 0.1234565, 1e-300]])
    plain = np.array([float(f"{v:.6f}") for v in x])
    assert np.array_equal(as_written(x).view(np.int64), plain.view(np.int64))
    two = rng.random((40, 7))
    assert np.array_equal(as_written(two), np.array([[float(f"{v:.6f}") for v in row] for row in two]))
    assert as_written([]).shape == (0,)


def test_memberships_frame_equals_column_by_column():
    rng = np.random.default_rng(2)
    cases = [f"c{i}" for i in range(30)]
    ts = {f"TS{i}": rng.random(30) for i in range(1, 9)}
    frame = pd.DataFrame({"case": cases, "Y": as_written(rng.random(30) * 0 + 0.25), "IS": as_written(ts["TS1"])})
    for name, x in ts.items():
        frame[name] = np.array([float(f"{v:.6f}") for v in x])
    got = memberships_frame(cases, np.full(30, 0.25), ts["TS1"], ts)
    pd.testing.assert_frame_equal(got, frame, check_exact=True)
    assert list(memberships_frame(cases, np.zeros(30), np.zeros(30), {}).columns) == ["case", "Y", "IS"]


def test_necessity_cases_equal_a_truth_table_per_condition():
    study, _, calibrated = study_memberships("lipset")
    P = study.thresholds
    found = analyses(study, P)
    necessity = necessity_analysis(calibrated, found, 0.6, 0.3)      # low cut-offs: several flagged
    flagged = necessity[necessity["necessary"]]
    frames = []
    for a in found:
        for condition in flagged.loc[flagged["outcome"] == a.label, "condition"]:
            cases = smmr(None, a.truth_table(calibrated), cases="all", necessity=True, nec_cond=condition)
            if not cases.empty:
                frames.append(cases.rename(columns={"nec_membership": "condition_membership",
                                                    "outcome": "outcome_membership"})
                              .assign(outcome=a.label, necessary=condition))
    plain = pd.concat(frames, ignore_index=True).reindex(columns=CASE_COLUMNS)
    assert len(flagged) > 1 and len(plain)
    pd.testing.assert_frame_equal(necessity_cases(calibrated, found, necessity), plain, check_exact=True)
