"""Theory evaluation (analysis.qca.theory) against SetMethods 4.0 ``theory.evaluation`` and QCA
3.25.1 ``modelFit``: tests/fixtures/setmethods/theory/theory.json, written by r_theory.R next to
it (R is not needed here)."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.qca import membership, solve, sufficiency, truth_table
from analysis.qca.datasets import load
from analysis.qca.errors import QCAError
from analysis.qca.theory import SETS, solution_models, theory_evaluation, theory_memberships

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "setmethods" / "theory" / "theory.json"
REF = json.loads(FIXTURE.read_text())
CASES = {c["name"]: c for c in REF["cases"]}
TOL = 1e-9
# SetMethods' names -> ours
SM_ROWS = {"Theory": "T", "Sol.Formula": "S", "T*S": "T*S", "~T*S": "~T*S", "T*~S": "T*~S", "~T*~S": "~T*~S"}
SM_INTERSECTIONS = {"TE": "T*S", "tE": "~T*S", "Te": "T*~S", "te": "~T*~S"}
MF_ROWS = {"theory": "T", "model": "S", "model*theory": "T*S", "model*~theory": "~T*S",
           "~model*theory": "T*~S", "~model*~theory": "~T*~S"}
# SetMethods' case lists: (set, outcome side)
SM_CASES = {"TSY": ("T*S", "in"), "~TSY": ("~T*S", "in"), "T~SY": ("T*~S", "in"), "~T~SY": ("~T*~S", "in"),
            "TS~Y": ("T*S", "out"), "~TS~Y": ("~T*S", "out"), "T~S~Y": ("T*~S", "out"),
            "~T~S~Y": ("~T*~S", "out")}


def as_list(x):
    return [x] if isinstance(x, (str, int, float)) else list(x)


def num(x):
    return math.nan if x is None or x in ("NA", "NaN") else float(x)


def model_key(expression):
    """A model as a set of terms, each a set of literals: independent of the order."""
    return frozenset(frozenset(t.replace(" ", "").split("*")) for t in expression.split("+"))


@lru_cache(maxsize=None)
def analysis(name):
    """(truth table, solution) of one fixture case, by the engine."""
    c = CASES[name]
    tt = truth_table(load(c["dataset"]), c["outcome"].lstrip("~"), c["conditions"], incl_cut=c["incl_cut"],
                     neg_out=c["outcome"].startswith("~"))
    sols = solve(tt, dir_exp=c["dir_exp"])
    return tt, (sols if c["solution"] == "intermediate" else sols.parsimonious)


@lru_cache(maxsize=None)
def evaluation(name):
    tt, sol = analysis(name)
    return theory_evaluation(CASES[name]["theory"], sol, tt)


def ours_by_model(name):
    """{model key: {set: row}} of our evaluation over every model."""
    tt, sol = analysis(name)
    keys = {(b, m): model_key(x.expression) for b, m, x in solution_models(sol)}
    out = {}
    for r in evaluation(name).itertuples(index=False):
        out.setdefault(keys[(r.block, r.model)], {})[r.set] = r
    return out


def crisp_rows(conditions):
    """Every configuration of the conditions as 0/1 memberships."""
    k = len(conditions)
    bits = (np.arange(2 ** k)[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1
    return pd.DataFrame(bits.astype(float), columns=conditions)


def crisp(expression, rows):
    return np.zeros(len(rows), bool) if expression in ("", "-") else membership(rows, expression).to_numpy() > 0.5


NAMES = sorted(CASES)


@pytest.mark.parametrize("name", NAMES)
def test_every_model_of_modelfit_is_evaluated(name):
    ours = ours_by_model(name)
    theirs = [model_key(m["model"]) for m in CASES[name]["modelfit"]]
    assert len(ours) == len(theirs) and set(ours) == set(theirs)
    assert len(evaluation(name)) == len(SETS) * len(theirs)


def setmethods_entries():
    return [(n, i) for n in NAMES for i in range(len(CASES[n]["setmethods"]))]


@pytest.mark.parametrize("name,i", setmethods_entries())
def test_memberships_equal_setmethods_data(name, i):
    c, sm = CASES[name], CASES[name]["setmethods"][i]
    tt, sol = analysis(name)
    ours = theory_memberships(c["theory"], sol, tt, models=sm["sol"])
    chosen = solution_models(sol, sm["sol"])[0][2]
    sm_terms = [r for r in sm["fit_exact"]["rows"] if r not in SM_ROWS]
    assert model_key(chosen.expression) == model_key(" + ".join(sm_terms))      # SetMethods' sol = k
    assert list(ours.index) == as_list(sm["cases_order"])
    for col, ours_col in {**SM_ROWS, "Outcome": "Y"}.items():
        np.testing.assert_allclose(ours[ours_col].to_numpy(), [num(v) for v in sm["data"][col]], rtol=0, atol=TOL)


@pytest.mark.parametrize("name,i", setmethods_entries())
def test_fit_equals_setmethods(name, i):
    c, sm = CASES[name], CASES[name]["setmethods"][i]
    tt, sol = analysis(name)
    ours = theory_evaluation(c["theory"], sol, tt, models=sm["sol"]).set_index("set")
    exact, printed = sm["fit_exact"], sm["fit_printed"]
    for j, row in enumerate(exact["rows"]):
        if row in SM_ROWS:
            for k in ("inclS", "PRI", "covS"):
                assert ours.loc[SM_ROWS[row], k] == pytest.approx(num(exact[k][j]), abs=TOL), (row, k)
                # SetMethods prints QCAfit's numbers with format(digits = 3): 3 decimals at least
                assert abs(ours.loc[SM_ROWS[row], k] - num(printed[k][j])) <= 5e-4 + 1e-12, (row, k)


@pytest.mark.parametrize("name,i", setmethods_entries())
def test_cases_equal_setmethods_but_inconsistent_most_likely(name, i):
    c, sm = CASES[name], CASES[name]["setmethods"][i]
    tt, sol = analysis(name)
    ours = theory_evaluation(c["theory"], sol, tt, models=sm["sol"]).set_index("set")
    for key, (s, side) in SM_CASES.items():
        got = list(ours.loc[s, f"cases_{side}"])
        assert ours.loc[s, f"n_{side}"] == len(got)
        if key == "TS~Y":
            # SetMethods reads column 'T*E', which does not exist: always empty.  Its own
            # memberships ($data) give the cases the method means: T*S > 0.5 and Y < 0.5
            assert as_list(sm["cases"][key]) == []
            ts, y = np.array(sm["data"]["T*S"], float), np.array(sm["data"]["Outcome"], float)
            meant = [n for n, a, b in zip(as_list(sm["cases_order"]), ts, y) if a > 0.5 and b < 0.5]
            assert got == meant
        else:
            assert got == as_list(sm["cases"][key]), key


def test_setmethods_fixture_misses_inconsistent_most_likely_cases():
    sm = CASES["schf_intermediate"]["setmethods"][0]
    assert as_list(sm["cases"]["TS~Y"]) == []
    ours = theory_evaluation("~EMP*MA", *reversed(analysis("schf_intermediate")), models="first")
    row = ours.set_index("set").loc["T*S"]
    assert row.cases_out == ("Switzerland_90", "Australia_95", "Australia_99", "Australia_03")
    assert row.type_out == "inconsistent most likely"


def modelfit_entries():
    return [(n, i) for n in NAMES for i in range(len(CASES[n]["modelfit"]))]


@pytest.mark.parametrize("name,i", modelfit_entries())
def test_theory_and_model_fit_equal_modelfit(name, i):
    mf = CASES[name]["modelfit"][i]
    ours = ours_by_model(name)[model_key(mf["model"])]
    for j, row in enumerate(mf["rows"]):
        if row in ("theory", "model"):
            for k in ("inclS", "PRI", "covS"):
                assert getattr(ours[MF_ROWS[row]], k) == pytest.approx(num(mf[k][j]), abs=TOL), (row, k)
    assert ours["T"].expression == mf["theory"] or model_key(ours["T"].expression) == model_key(mf["theory"])


@pytest.mark.parametrize("name,i", modelfit_entries())
def test_modelfit_fits_its_simplified_expressions(name, i):
    """modelFit's intersections: the fit of the memberships of its simplified expressions."""
    tt, _ = analysis(name)
    mf = CASES[name]["modelfit"][i]
    for j, row in enumerate(mf["rows"]):
        if row in mf["intersections"]:
            expression = mf["intersections"][row]
            x = np.zeros(len(tt.y)) if expression == "-" else membership(tt.data, expression).to_numpy()
            fit = sufficiency(x, tt.y)
            for k in ("inclS", "PRI"):
                assert num(mf[k][j]) == pytest.approx(getattr(fit, k), abs=TOL, nan_ok=True), (row, k)
            covs = math.nan if math.isnan(fit.inclS) else fit.covS    # modelFit: covS NA where inclS is
            assert num(mf["covS"][j]) == pytest.approx(covs, abs=TOL, nan_ok=True)


def test_modelfit_differs_from_direct_fuzzy_intersection():
    """X*~X = 0 in modelFit's simplification, not for fuzzy sets: SCHF, ~EMP*MA, model M1."""
    tt, sol = analysis("schf_intermediate")
    mf = CASES["schf_intermediate"]["modelfit"][0]
    ours = ours_by_model("schf_intermediate")[model_key(mf["model"])]["T*S"]
    j = mf["rows"].index("model*theory")
    theirs = (num(mf["inclS"][j]), num(mf["PRI"][j]), num(mf["covS"][j]))
    assert theirs == pytest.approx((0.867, 0.715, 0.339), abs=5e-4)
    assert (ours.inclS, ours.PRI, ours.covS) == pytest.approx((0.871, 0.726, 0.375), abs=5e-4)
    direct = theory_memberships("~EMP*MA", sol, tt, models="first").loc["Canada_90"]
    simplified = membership(tt.data, mf["intersections"]["model*theory"]).loc["Canada_90"]
    assert (direct["T"], direct["S"], direct["T*S"], simplified) == pytest.approx((0.31, 0.62, 0.31, 0.21))
    assert tt.data.loc["Canada_90", "MA"] == pytest.approx(0.31)   # min(MA, ~MA) = 0.31, not 0


@pytest.mark.parametrize("name,i", modelfit_entries())
def test_expressions_are_the_crisp_intersections(name, i):
    """Our minimal sums of products and modelFit's / SetMethods' expressions: the same Boolean
    function on every configuration; ours has no more terms than modelFit's."""
    c, mf = CASES[name], CASES[name]["modelfit"][i]
    rows = crisp_rows(c["conditions"])
    ours = ours_by_model(name)[model_key(mf["model"])]
    t, s = crisp(c["theory"], rows), crisp(mf["model"], rows)
    cells = {"T*S": t & s, "~T*S": ~t & s, "T*~S": t & ~s, "~T*~S": ~t & ~s}
    for row, s_name in MF_ROWS.items():
        if row in mf["intersections"]:
            np.testing.assert_array_equal(crisp(ours[s_name].expression, rows), cells[s_name])
            np.testing.assert_array_equal(crisp(mf["intersections"][row], rows), cells[s_name])
            if mf["intersections"][row] != "-":
                assert len(ours[s_name].expression.split("+")) <= len(mf["intersections"][row].split("+"))
    sm = [e for e in c["setmethods"] if model_key(" + ".join(r for r in e["fit_exact"]["rows"] if r not in SM_ROWS))
          == model_key(mf["model"])]
    for e in sm:
        for key, s_name in SM_INTERSECTIONS.items():
            np.testing.assert_array_equal(crisp(e["intersections"][key], rows), cells[s_name])


def test_first_and_numbered_models_follow_setmethods_sol():
    tt, sol = analysis("schf_intermediate")
    first = theory_evaluation("~EMP*MA", sol, tt, models="first")
    assert set(first.model) == {"M1"} and set(first.block) == {"C1P1"} and len(first) == len(SETS)
    second = theory_evaluation("~EMP*MA", sol, tt, models=2)
    every = evaluation("schf_intermediate")
    pd.testing.assert_frame_equal(second.reset_index(drop=True),
                                  every[every.model == "M2"].reset_index(drop=True))
    tt_n, sol_n = analysis("schf_negated")
    blocks = theory_evaluation("~STOCK*~MA", sol_n, tt_n, models="c1p2i1")
    assert set(blocks.block) == {"C1P2"} and set(evaluation("schf_negated").block) == {"C1P1", "C1P2"}


def test_dataframe_and_negated_outcome_equal_truth_table():
    tt, sol = analysis("schf_negated")
    via_frame = theory_evaluation("~STOCK*~MA", sol, load("SCHF"), "~EXPORT")
    pd.testing.assert_frame_equal(via_frame, evaluation("schf_negated"))


def test_crisp_data_give_the_same_memberships_as_the_expressions():
    """On crisp data X*~X = 0 holds, so the direct intersections equal the expressions'."""
    tt, sol = analysis("schf_intermediate")
    crisp_data = (tt.data > 0.5).astype(float)
    frame = theory_memberships("~EMP*MA", sol, crisp_data, "EXPORT", models="first")
    out = theory_evaluation("~EMP*MA", sol, crisp_data, "EXPORT", models="first").set_index("set")
    for s in SETS[2:]:
        np.testing.assert_array_equal(frame[s].to_numpy(), membership(crisp_data, out.loc[s, "expression"]).to_numpy())


@pytest.mark.parametrize("call,message", [
    (lambda tt, sol: theory_evaluation("~EMP*WAGES", sol, tt), "theory: .*unknown condition 'WAGES'"),
    (lambda tt, sol: theory_evaluation("~EMP*", sol, tt), "theory: "),
    (lambda tt, sol: theory_evaluation("~EMP*MA", sol, tt, models="best"), "models: "),
    (lambda tt, sol: theory_evaluation("~EMP*MA", sol, tt, models=9), "models: there is no model 9"),
    (lambda tt, sol: theory_evaluation("~EMP*MA", sol, load("SCHF")), "outcome: None is not a column"),
    (lambda tt, sol: theory_evaluation("~EMP*MA", "EMP", tt), "solution: "),
])
def test_bad_input_is_one_clear_error(call, message):
    tt, sol = analysis("schf_intermediate")
    with pytest.raises(QCAError, match=message) as error:
        call(tt, sol)
    assert "\n" not in str(error.value)


def test_solutions_without_intermediate_need_a_block():
    tt, _ = analysis("schf_parsimonious")
    with pytest.raises(QCAError, match="pass sols.parsimonious"):
        theory_evaluation("EMP", solve(tt), tt)
