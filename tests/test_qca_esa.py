"""The enhanced standard analysis against SetMethods 4.0's esa() followed by QCA's minimize()
(tests/fixtures/setmethods/esa, made by r_esa.R beside the fixtures)."""
import json

import pandas as pd
import pytest

from analysis.qca import solve, truth_table
from analysis.qca.datasets import load
from analysis.qca.enhanced import esa, necessary_conditions
from analysis.qca.errors import QCAError
from conftest import REF, ROOT

HERE = ROOT / "tests" / "fixtures" / "setmethods" / "esa"
CASES = sorted(p.stem for p in HERE.glob("*.json"))
DATA = {"EXPORT": lambda: load("SCHF"), "SURV": lambda: load("LF")}


def _fixture(name):
    ref = json.loads((HERE / f"{name}.json").read_text())
    if ref["outcome"] in DATA:
        data = DATA[ref["outcome"]]()
    else:
        data = pd.read_csv(REF / "enhanced" / "ppip_calibrated.csv", index_col=0)
    tt = truth_table(data, ref["outcome"], ref["conditions"], incl_cut=ref["incl_cut"], pri_cut=ref["pri_cut"])
    return ref, tt


def _key(model):
    return frozenset(frozenset(t.split("*")) for t in model)


@pytest.mark.parametrize("name", CASES)
def test_esa_then_minimize_equals_setmethods(name):
    ref, tt = _fixture(name)
    rows = esa(tt, nec_cond=ref["nec_cond"], untenable=ref["untenable"], csa=bool(ref["csa"]), ssr=False,
               observed=True)
    assert set(ref["csa"]) <= set(rows["row"])
    before = dict(zip(tt.table.index, tt.table["OUT"]))
    changed = sorted(r for r in rows["row"] if before.get(r, "?") != "0")
    assert changed == sorted(ref["changed"])          # the rows whose OUT SetMethods changed
    sols = solve(tt, ref["dir_exp"], exclude=rows)
    got = {_key(m.expression.split(" + ")): sorted(sa) for m, sa in zip(sols.parsimonious.models,
                                                                      sols.parsimonious.simplifying)}
    want = {_key(m): sorted(sa) for m, sa in zip(ref["parsimonious"]["models"], ref["parsimonious"]["SA"].values())}
    assert got == want
    blocks = {b.label: b for b in sols.intermediate}
    assert set(blocks) == {b["label"] for b in ref["intermediate"]}
    for rb in ref["intermediate"]:
        b = blocks[rb["label"]]
        assert {_key(m.expression.split(" + ")) for m in b.models} == {_key(m) for m in rb["models"]}
        assert (sorted(b.easy), sorted(b.difficult)) == (sorted(rb["EC"]), sorted(rb["DC"]))


def test_setmethods_also_flips_observed_rows_without_a_necessary_condition():
    """SetMethods' esa codes every row without EMP negative, observed positive rows included
    (its help page's example): the engine excludes remainders only unless observed=True."""
    ref, tt = _fixture("SCHF_help")
    positive_without_emp = [r for r, out in zip(tt.table.index, tt.table["OUT"]) if out == "1" and r[0] == "0"]
    assert positive_without_emp                      # the example has such rows ...
    assert set(positive_without_emp) <= set(ref["changed"])         # ... and SetMethods flips them
    mine = esa(tt, nec_cond=ref["nec_cond"], untenable=ref["untenable"], csa=True, ssr=False)
    assert not set(positive_without_emp) & set(mine["row"])
    assert solve(tt, exclude=mine).parsimonious.models[0].expression != " + ".join(ref["parsimonious"]["models"][0])


def test_remainder_rule_equals_setmethods_where_no_observed_row_lacks_the_condition():
    ref, tt = _fixture("ppip_MPV")
    lacking = [r for r in tt.table.index[tt.table["n"] >= 1] if r[0] == "0" or r[3] == "0"]
    observed_positive = [r for r in lacking if tt.table.loc[r, "OUT"] == "1"]
    assert not observed_positive
    a = esa(tt, nec_cond=ref["nec_cond"], ssr=False)
    b = esa(tt, nec_cond=ref["nec_cond"], ssr=False, observed=True)
    assert solve(tt, [1] * 5, exclude=a).parsimonious.models[0].expression == \
        solve(tt, [1] * 5, exclude=b).parsimonious.models[0].expression == "CONTRACT*RISK*KNOW + CONTRACT*KNOW*PUBLIC"


def test_necessary_conditions_found_at_the_cut_offs():
    tt = truth_table(pd.read_csv(REF / "enhanced" / "ppip_calibrated.csv", index_col=0), "MPV",
                     ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"], incl_cut=0.8, pri_cut=0.7)
    assert necessary_conditions(tt, 0.9, 0.5) == ["CONTRACT", "KNOW"]
    assert necessary_conditions(tt, 0.972, 0.5) == ["KNOW"]
    rows = esa(tt)                                   # default: those found at 0.9 / 0.5
    assert set(rows["kind"]) == {"necessary"}        # the four CSAs all lack CONTRACT
    assert rows["reason"].str.contains("CONTRACT").sum() == 9


def test_each_row_once_with_the_first_reason_that_applies():
    tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    rows = esa(tt, nec_cond={"STB": "stable governments are necessary (Lipset)"}, untenable={"~STB*DEV": "x"})
    assert rows["row"].is_unique and list(rows["row"]) == sorted(rows["row"])
    assert (rows.loc[rows["row"].str[4] == "0", "reason"] == "stable governments are necessary (Lipset)").all()
    assert not (rows["kind"] == "untenable").any()   # every ~STB*DEV remainder lacks STB already


@pytest.mark.parametrize("kwargs,message", [
    ({"nec_cond": ["NOPE"]}, "unknown condition 'NOPE'"),
    ({"untenable": [""]}, "is not an expression"),
])
def test_bad_expressions_are_refused(kwargs, message):
    tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    with pytest.raises(QCAError, match=message):
        esa(tt, **kwargs)
