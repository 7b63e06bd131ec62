"""Cluster diagnostics (analysis.qca.clustered) against SetMethods 4.0 ``cluster()``:
tests/fixtures/setmethods/cluster/cluster.json, written by r_cluster.R next to it (R is not
needed here)."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.qca import solve, truth_table
from analysis.qca.clustered import EPSILON, cluster
from analysis.qca.datasets import load
from analysis.qca.errors import QCAError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "setmethods" / "cluster" / "cluster.json"
REF = json.loads(FIXTURE.read_text())
TOL = 1e-9
CONDITIONS = ["EMP", "BARGAIN", "UNI", "OCCUP", "STOCK", "MA"]
SCHLF_ENTRIES = {e["name"]: e for e in REF["schlf"]}
PANEL_ENTRIES = {e["name"]: e for e in REF["panel"]["results"]}


def as_list(x):
    return [x] if isinstance(x, (str, int, float)) else list(x)


def label(text):
    """SetMethods' 'NewZealand (4) ' -> ('NewZealand', 4)."""
    name, n = text.strip().rsplit(" (", 1)
    return name, int(n.rstrip(")"))


def term_key(term):
    return frozenset(term.replace(" ", "").split("*"))


def expected(entry):
    """SetMethods' numbers of one set as {(measure, level, id): (n or None, value)}."""
    clusters = [label(c) for c in as_list(entry["cluster_ids"])]
    units = [label(u) for u in as_list(entry["unit_ids"])]
    out = {("consistency", "pooled", ""): (None, entry["POCOS"]),
           ("coverage", "pooled", ""): (None, entry["cov_pooled"]),
           ("distance", "between", ""): (None, entry["dBP"]), ("distance", "within", ""): (None, entry["dWP"])}
    for measure, between, within in (("consistency", "BECOS", "WICONS"), ("coverage", "cov_between", "cov_within")):
        out.update({(measure, "between", c): (n, v) for (c, n), v in zip(clusters, as_list(entry[between]))})
        out.update({(measure, "within", u): (n, v) for (u, n), v in zip(units, as_list(entry[within]))})
    return out


def assert_same(ours: pd.DataFrame, entry):
    """Every number of one set (rows of ``ours``) equals SetMethods' to TOL, the same ids and n."""
    want = expected(entry)
    got = {(r.measure, r.level, str(r.id)): (r.n, r.value) for r in ours.itertuples(index=False)}
    assert set(got) == set(want)
    for key, (n, value) in want.items():
        assert got[key][1] == pytest.approx(value, abs=TOL), key
        if n is not None:
            assert got[key][0] == n, key


@lru_cache(maxsize=None)
def schlf_solution(negated):
    tt = truth_table(load("SCHLF"), "EXPORT", CONDITIONS, incl_cut=0.9, neg_out=negated)
    return solve(tt, dir_exp=[0] * 6)


@lru_cache(maxsize=None)
def panel():
    return pd.DataFrame(REF["panel"]["data"])


@pytest.mark.parametrize("name", [n for n, e in SCHLF_ENTRIES.items() if e["kind"] == "solution"])
def test_solution_terms_equal_setmethods(name):
    entry = SCHLF_ENTRIES[name]
    sols = schlf_solution(entry["outcome"].startswith("~"))
    # SetMethods ignores necessity for a minimize result: compare with sufficiency
    ours = cluster(load("SCHLF"), sols, entry["outcome"], "COUNTRY", "YEAR", wicons=True, models=entry["sol"])
    terms = {term_key(s): part for s, part in ours.groupby("set") if s != "(model)"}
    assert set(terms) == {term_key(t["term"]) for t in entry["terms"]}
    for t in entry["terms"]:
        assert_same(terms[term_key(t["term"])], t)


def test_setmethods_ignores_necessity_for_a_solution():
    with_nec, without = SCHLF_ENTRIES["sol_yi_1_necessity"], SCHLF_ENTRIES["sol_yi_1"]
    assert with_nec["terms"] == without["terms"]          # R: the same (sufficiency) numbers
    panel_data, sols = load("SCHLF"), schlf_solution(False)
    suf = cluster(panel_data, sols, "EXPORT", "COUNTRY", "YEAR", models="first")
    nec = cluster(panel_data, sols, "EXPORT", "COUNTRY", "YEAR", models="first", necessity=True)

    def pooled(frame):
        rows = (frame.set == suf.set[0]) & (frame.level == "pooled") & (frame.measure == "consistency")
        return frame[rows].value.item()

    assert pooled(suf) == pytest.approx(without["terms"][0]["POCOS"], abs=TOL)
    assert pooled(nec) == pytest.approx(without["terms"][0]["cov_pooled"], abs=TOL)   # necessity: covS as inclN
    assert set(nec.relation) == {"necessity"}


@pytest.mark.parametrize("name,sol", [("model_yi_1", "c1p1i1"), ("model_ni_c1p2", "c1p2i1")])
def test_model_row_equals_setmethods_on_the_model_expression(name, sol):
    entry = SCHLF_ENTRIES[name]
    ours = cluster(load("SCHLF"), schlf_solution(entry["outcome"].startswith("~")), entry["outcome"], "COUNTRY",
                   "YEAR", wicons=True, models=sol)
    assert ours.query("set != '(model)'").model.nunique() == 1
    assert_same(ours[ours.set == "(model)"], entry)


@pytest.mark.parametrize("name", [n for n, e in SCHLF_ENTRIES.items() if e["kind"] in ("expression", "vector")])
def test_expressions_and_vectors_equal_setmethods(name):
    entry, data = SCHLF_ENTRIES[name], load("SCHLF")
    necessity = bool(entry.get("necessity", False))
    if entry["kind"] == "vector":
        x = 1 - data["EMP"] if entry["results"] == "~EMP" else data["EMP"]
        ours = cluster(None, x.to_numpy(), data["EXPORT"].to_numpy(), data["COUNTRY"].to_numpy(),
                       data["YEAR"].to_numpy(), necessity=necessity, wicons=True)
    else:
        ours = cluster(data, entry["results"], entry["outcome"], "COUNTRY", "YEAR", necessity=necessity, wicons=True)
    assert set(ours.relation) == {"necessity" if necessity else "sufficiency"}
    assert_same(ours, entry)


def test_random_panel_solution_equals_setmethods():
    data = panel()
    tt = truth_table(data, "Y", ["A", "B", "C"], incl_cut=0.75)
    sol = solve(tt).parsimonious
    assert [m.expression for m in sol.models] == [" + ".join(m) for m in REF["panel"]["solution"]]
    entry = PANEL_ENTRIES["panel_solution"]
    ours = cluster(data, sol, "Y", "UNIT", "YEAR", wicons=True, models="first")
    for t in entry["terms"]:
        assert_same(ours[ours.set == t["term"]], t)
    assert_same(ours[ours.set == "(model)"], PANEL_ENTRIES["panel_model"])


@pytest.mark.parametrize("name", [n for n, e in PANEL_ENTRIES.items() if e["kind"] == "expression"])
def test_random_panel_expressions_equal_setmethods(name):
    entry = PANEL_ENTRIES[name]
    ours = cluster(panel(), entry["results"], entry["outcome"], "UNIT", "YEAR",
                   necessity=bool(entry.get("necessity", False)), wicons=True)
    assert_same(ours, entry)


def test_zero_over_zero_reads_as_one_as_in_setmethods():
    """U03 is never in A (within consistency 0/0); no Y in 2006 (between coverage 0/0)."""
    data = panel()
    assert (data.loc[data.UNIT == "U03", "A"] == 0).all() and (data.loc[data.YEAR == 2006, "Y"] == 0).all()
    ours = cluster(data, "A", "Y", "UNIT", "YEAR", wicons=True).set_index(["measure", "level", "id"]).value
    entry = PANEL_ENTRIES["panel_a_suf"]
    units = [label(u)[0] for u in entry["unit_ids"]]
    years = [label(c)[0] for c in entry["cluster_ids"]]
    assert entry["WICONS"][units.index("U03")] == pytest.approx(1) == ours["consistency", "within", "U03"]
    assert entry["cov_between"][years.index("2006")] == pytest.approx(1) == ours["coverage", "between", 2006]
    assert len(data) == 8 * 6 - 5          # unbalanced: missing unit-years count as 0
    # no Y in 2006: consistency e / (sum(A) + e), not 0, with SetMethods' e = 1e-10
    tiny = entry["BECOS"][years.index("2006")]
    assert 0 < tiny < 1e-10 and ours["consistency", "between", 2006] == pytest.approx(tiny, rel=1e-9)


def test_setmethods_adds_up_duplicated_unit_cluster_cases_we_refuse():
    entry = REF["duplicate"][0]
    data = load("SCHLF")
    twice = pd.concat([data, data.iloc[[0]]], ignore_index=True)
    with pytest.raises(QCAError, match="unit_id 'Australia' and cluster_id 1990: 2 cases share"):
        cluster(twice, "EMP", "EXPORT", "COUNTRY", "YEAR")
    # SetMethods' number: Australia's 1990 memberships counted twice in one cell of xtabs()
    year = data[data.YEAR == 1990]
    x, y = year.EMP.to_numpy().copy(), year.EXPORT.to_numpy().copy()
    first = np.flatnonzero(year.index == 0)[0]
    x[first], y[first] = 2 * x[first], 2 * y[first]
    summed = (np.minimum(x, y).sum() + EPSILON) / (x.sum() + EPSILON)
    years = [label(c)[0] for c in entry["cluster_ids"]]
    assert entry["BECOS"][years.index("1990")] == pytest.approx(summed, abs=TOL)


def test_wicons_false_leaves_out_the_within_rows():
    out = cluster(load("SCHLF"), "EMP", "EXPORT", "COUNTRY", "YEAR")
    assert set(out.level) == {"pooled", "between"}
    assert list(out.columns) == ["block", "model", "set", "relation", "measure", "level", "id", "n", "value"]
    assert len(cluster(load("SCHLF"), schlf_solution(False), "EXPORT", "COUNTRY", "YEAR").groupby(
        ["block", "model"])) == 4                      # every tied model by default


def test_distance_is_zero_when_every_cluster_has_the_pooled_consistency():
    data = pd.DataFrame({"U": ["a", "b", "a", "b"], "C": [1, 1, 2, 2], "X": [0.8, 0.6, 0.8, 0.6],
                         "Y": [0.9, 0.3, 0.9, 0.3]})
    out = cluster(data, "X", "Y", "U", "C").set_index(["measure", "level", "id"]).value
    assert out["consistency", "between", 1] == out["consistency", "between", 2] == pytest.approx(1.1 / 1.4)
    assert 0 < out["distance", "between", ""] < 1e-9      # not exactly 0: the 1e-10 added to each share
    assert not math.isnan(out["coverage", "pooled", ""])


@pytest.mark.parametrize("kwargs,message", [
    ({"unit_id": "NATION"}, "unit_id: column 'NATION' not found"),
    ({"cluster_id": "WAVE"}, "cluster_id: column 'WAVE' not found"),
    ({"outcome": "EXPORTS"}, "outcome: column 'EXPORTS' not found"),
    ({"results": "EMP*WAGES"}, "results: .*unknown condition 'WAGES'"),
    ({"cluster_id": pd.Categorical([1990] * 76, categories=[1990, 2010])}, "cluster_id: category 2010 has no cases"),
    ({"unit_id": [None] + ["x"] * 75}, "unit_id: case 0 has no value"),
    ({"cluster_id": [1990] * 10}, "cluster_id: 10 values for 76 cases"),
    ({"results": [0.5] * 75}, "results: give one membership per case"),
])
def test_bad_input_is_one_clear_error(kwargs, message):
    args = {"data": load("SCHLF"), "results": "EMP", "outcome": "EXPORT", "unit_id": "COUNTRY",
            "cluster_id": "YEAR", **kwargs}
    with pytest.raises(QCAError, match=message) as error:
        cluster(**args)
    assert "\n" not in str(error.value)
