"""Necessity on multi-value data against R's QCA 3.25.1: superSubset's necessary (and sufficient)
conjunctions and disjunctions of values, in R's order and C[2] notation
(tests/fixtures/reference/mv/supersubset.json, made by r_mv_supersubset.R); pof refuses a bare
multi-value condition as R does."""
import json

import pandas as pd
import pytest

from analysis.qca import QCAError, esa, membership, pof, solve, super_subset, truth_table
from analysis.qca.mv_remainders import codes_of

from conftest import ROOT

MV = ROOT / "tests" / "fixtures" / "reference" / "mv"
REFS = json.loads((MV / "supersubset.json").read_text())


def load(name):
    return pd.read_csv(MV / "datasets" / f"{name}.csv", index_col=0, keep_default_na=False)


@pytest.mark.parametrize("ref", REFS, ids=[r["id"] for r in REFS])
def test_super_subset_equals_r(ref):
    got = super_subset(load(ref["dataset"]), ref["outcome"], ref["conditions"],
                       relation=ref.get("relation", "necessity"), incl_cut=ref["incl_cut"],
                       cov_cut=ref.get("cov_cut", 0), ron_cut=ref.get("ron_cut", 0), pri_cut=ref.get("pri_cut", 0),
                       depth=ref.get("depth"))
    assert got["expression"].tolist() == ref["expressions"]
    for column, values in ref["fit"].items():
        assert got[column].tolist() == pytest.approx(values, abs=1e-9), column


def test_the_references_hold_multi_value_expressions_of_both_kinds():
    exprs = [e for r in REFS for e in r["expressions"]]
    assert len(REFS) >= 9 and len(exprs) >= 150
    assert any("*" in e for e in exprs) and any(" + " in e for e in exprs)
    assert any("[2]" in e for e in exprs) and any("[3]" in e for e in exprs)
    assert {r.get("relation", "necessity") for r in REFS} == {"necessity", "sufficiency"}


def test_binary_data_keep_the_tilde_notation():
    lm = load("LM").drop(columns="DEV")
    assert super_subset(lm, "SURV", incl_cut=0.9, ron_cut=0.5)["expression"].tolist()[:2] == ["LIT", "STB"]


def test_a_bare_multi_value_condition_is_refused_as_r_refuses_it():
    """R's pof: 'Part(s) of the expression refer to multi-value data.'  DEV holds 0, 1, 2: read as
    a membership it would give numbers for a set that does not exist."""
    lm = load("LM")
    for expression in ("DEV", "~DEV + URB", "STB*DEV"):
        with pytest.raises(QCAError, match="DEV is multi-value.*DEV\\[2\\]"):
            membership(lm, expression)
    with pytest.raises(QCAError, match="DEV is multi-value"):
        pof(["DEV", "URB"], "SURV", lm)
    assert pof(["DEV[2]", "STB[1]", "DEV[2] + STB[1]"], "SURV", lm)["inclN"].tolist() == [0.625, 1.0, 1.0]   # R's


# ---------------------------------------------------------------- the enhanced standard analysis

ESA = json.loads((MV / "esa.json").read_text())


@pytest.mark.parametrize("ref", ESA, ids=[r["id"] for r in ESA])
def test_esa_on_multi_value_rows_equals_r_s_find_rows(ref):
    """Each kind of exclusion apart and all together, as row codes (R's findRows row number - 1):
    remainders lacking a necessary value, untenable remainders, CSAs and SSRs."""
    tt = truth_table(load(ref["dataset"]), ref["outcome"], ref["conditions"], incl_cut=ref["incl_cut"])
    assert tt.multivalue

    def codes(**kw):
        args = dict(nec_cond=[], untenable=None, csa=False, ssr=False) | kw
        return set(codes_of(esa(tt, **args)["row"], tt).tolist())
    assert codes(nec_cond=ref["necessary"]) == set(ref["necessary_rows"]) != set()
    assert codes(untenable=[ref["untenable"]]) == set(ref["untenable_rows"]) != set()
    assert codes(csa=True) == set(ref["csa_rows"]) != set()
    assert codes(ssr=True) == set(ref["ssr_rows"])
    every = set().union(*(ref[k] for k in ("necessary_rows", "untenable_rows", "csa_rows", "ssr_rows")))
    assert codes(nec_cond=ref["necessary"], untenable=[ref["untenable"]], csa=True, ssr=True) == every
    kept_out = solve(tt, exclude=esa(tt, nec_cond=ref["necessary"]))
    assert not every & {int(c) for s in kept_out.parsimonious.simplifying_codes for c in s}
