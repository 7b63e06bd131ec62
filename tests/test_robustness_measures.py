"""The robustness measures (analysis.robustness.measures) on small hand-computed examples."""
import numpy as np
import pandas as pd
import pytest

from analysis.robustness import (CASE_TYPES, case_ratios, case_types, core_conditions, core_stability,
                                 fit_robustness, solution_membership)
from analysis.robustness.sweep import signature

# Three test solutions; TS2 (the middle one) holds the minimum of cases 1 and 4 and the maximum
# of case 3, so a minTS / maxTS built from the first and last test solution only is wrong.
Y = np.array([0.8, 0.6, 0.05, 0.9])
IS = np.array([0.7, 0.6, 0.2, 0.9])
TS = np.array([[0.9, 0.4, 0.8],
               [0.7, 0.8, 0.5],
               [0.1, 0.6, 0.3],
               [0.8, 0.2, 0.95]])


def test_fit_measures_by_hand():
    # minTS = (0.4, 0.5, 0.1, 0.2), maxTS = (0.9, 0.8, 0.6, 0.95), RC = min(IS, minTS) = minTS.
    f = fit_robustness(Y, IS, TS)
    cov_is, cov_rc = 2.25 / 2.35, 1.15 / 2.35            # sum min(X, Y) / sum Y
    cons_is, cons_rc = 2.25 / 2.4, 1.15 / 1.2            # sum min(X, Y) / sum X
    assert f.RF_cov == pytest.approx(cov_rc / cov_is)  # 1.15 / 2.25
    assert f.RF_cons == pytest.approx(cons_is / cons_rc)
    assert f.RF_SC_minTS == pytest.approx(1.2 / 2.4)
    assert f.RF_SC_maxTS == pytest.approx(2.4 / 3.25)


def test_min_and_max_over_every_test_solution_not_first_and_last():
    full = fit_robustness(Y, IS, TS)
    first_last = fit_robustness(Y, IS, TS[:, [0, 2]])
    # With TS1 and TS3 only: minTS = (0.8, 0.5, 0.1, 0.8), coincidence 2.1 / 2.5 = 0.84, not 0.5.
    assert first_last.RF_SC_minTS == pytest.approx(2.1 / 2.5)
    assert full.RF_SC_minTS == pytest.approx(0.5)
    assert full.RF_cov != pytest.approx(first_last.RF_cov)
    types = case_types(Y, IS, TS)
    assert types["minTS"].tolist() == [0.4, 0.5, 0.1, 0.2]
    assert types["maxTS"].tolist() == [0.9, 0.8, 0.6, 0.95]


# One case of each type (Y, IS, TS1, TS2, TS3); the deciding membership is always in TS2.
CASES = {
    "robust typical": (0.8, 0.7, 0.6, 0.7, 0.9),
    "shaky typical": (0.8, 0.7, 0.6, 0.3, 0.9),
    "possible typical": (0.7, 0.2, 0.1, 0.8, 0.3),
    "extreme deviant coverage": (0.9, 0.1, 0.1, 0.2, 0.3),
    "robust deviant": (0.2, 0.8, 0.7, 0.9, 0.6),
    "shaky deviant": (0.3, 0.6, 0.7, 0.4, 0.8),
    "possible deviant": (0.1, 0.3, 0.2, 0.6, 0.1),
    "irrelevant": (0.1, 0.2, 0.1, 0.1, 0.2),
}


def _types(rows):
    a = np.array(rows, dtype=float)
    return case_types(a[:, 0], a[:, 1], a[:, 2:], cases=[f"c{i}" for i in range(len(a))])


def test_the_eight_case_types_and_ratios():
    t = _types(list(CASES.values()))
    assert t["type"].tolist() == list(CASES)
    assert t["type"].tolist() == list(CASE_TYPES)
    r = case_ratios(t)
    assert r.case_types == {**{k: 1 for k in CASE_TYPES}, "unclassified": 0}
    assert r.RCR_typ == pytest.approx(1 / 3) and r.RCR_dev == pytest.approx(1 / 3)
    assert r.RCC_Rank == 4
    # From TS1 and TS3 alone the shaky and possible cases would look robust / irrelevant.
    a = np.array(list(CASES.values()))
    wrong = case_types(a[:, 0], a[:, 1], a[:, [2, 4]])
    assert wrong["type"].tolist()[1] == "robust typical" and wrong["type"].tolist()[2] == "extreme deviant coverage"


def test_half_membership_falls_in_no_type():
    t = _types([(0.5, 0.9, 0.8, 0.8, 0.8),     # Y = 0.5
                (0.8, 0.5, 0.8, 0.8, 0.8),     # IS = 0.5
                (0.8, 0.9, 0.5, 0.8, 0.8),     # IS > 0.5 and minTS = 0.5
                (0.8, 0.1, 0.2, 0.5, 0.3),     # IS < 0.5 and maxTS = 0.5
                (0.8, 0.9, 0.8, 0.8, 0.5 + 1e-9)])
    assert t["type"].tolist() == ["unclassified"] * 4 + ["robust typical"]
    assert case_ratios(t).case_types["unclassified"] == 4


@pytest.mark.parametrize("kinds, rank", [
    (["robust typical", "irrelevant"], 1),
    (["robust typical", "possible typical"], 2),
    (["robust typical", "possible deviant"], 2),
    (["robust typical", "shaky typical"], 3),
    (["robust deviant", "shaky deviant"], 3),
    (["shaky typical", "possible deviant"], 4),
])
def test_rcc_rank(kinds, rank):
    assert case_ratios(_types([CASES[k] for k in kinds])).RCC_Rank == rank


def test_ratios_without_denominator_are_nan():
    r = case_ratios(_types([CASES["robust typical"], CASES["irrelevant"]]))
    assert r.RCR_typ == 1.0 and np.isnan(r.RCR_dev)


def test_solution_membership_of_tied_models():
    data = pd.DataFrame({"A": [0.9, 0.2, 0.6], "B": [0.1, 0.7, 0.4], "C": [0.3, 0.8, 0.9]})
    m1 = ((("A", True),),)
    m2 = ((("B", True), ("C", True)),)
    assert solution_membership(data, [m1, m2]).tolist() == [0.9, 0.7, 0.6]      # union: max of both
    assert solution_membership(data, [m1, m2], ties="first").tolist() == [0.9, 0.2, 0.6]
    assert solution_membership(data, []).tolist() == [0, 0, 0]


def test_signature_compares_every_tied_model():
    a, b, c = ((("A", True),),), ((("B", True),),), ((("C", False),),)
    assert signature([a, b]) == signature([b, a])               # order of the models is irrelevant
    assert signature([a, b]) != signature([a, c])               # same first model, different ties
    assert signature([((("A", True), ("B", True)),)]) == signature([((("B", True), ("A", True)),)])


def test_core_conditions_and_stability():
    pars = [((("A", True), ("B", False)),), ((("A", True),), (("C", True),))]
    assert core_conditions(pars, ["A", "B", "C"]) == [("A", True)]   # in every tied model only
    core = [("A", True), ("B", False)]
    found = [[("A", True), ("B", False)], [("A", True)], [], [("A", True), ("B", True)]]
    t = core_stability(core, [("case deletion", ("A", "B"), c) for c in found])
    assert t["condition"].tolist() == ["A", "~B"] and set(t["kind"]) == {"case deletion"}
    assert t["core_in"].tolist() == [3, 1] and t["share"].tolist() == [0.75, 0.25]
    # per kind, in plan.KIND_ORDER; a test without a condition does not judge it
    kinds = core_stability(core, [("condition sets", ("A",), [("A", True)]), ("cut-offs", ("A", "B"), [("A", True)])])
    assert kinds[["kind", "condition", "core_in", "tests"]].values.tolist() == [
        ["cut-offs", "A", 1, 1], ["cut-offs", "~B", 0, 1], ["condition sets", "A", 1, 1], ["condition sets", "~B", 0, 0]]
    assert kinds["share"].isna().tolist() == [False, False, False, True]


