"""Multi-value QCA against R's QCA 3.25.1: truth tables, pofind's necessity, every model of every
solution with its fit, simplifying assumptions and counterfactuals (tests/fixtures/reference/mv,
made by r_mv.R), from the API and the command line; R's C[2] notation; refusals."""
import json

import pandas as pd
import pytest

from analysis.qca import (QCAError, Model, document, membership, minimize, necessity_table, parse, pof, solve,
                          truth_table)
from analysis.qca.expressions import MVTerm, Term

from conftest import ROOT, assert_solution_equal, qca_cli

MV = ROOT / "tests" / "fixtures" / "reference" / "mv"
SPECS = json.loads((MV / "specs.json").read_text())
IDS = [s["id"] for s in SPECS]
TOL = 1e-9


def load(name):
    return pd.read_csv(MV / "datasets" / f"{name}.csv", index_col=0, keep_default_na=False)


def reference(spec):
    return json.loads((MV / f"{spec['id']}.json").read_text())


def analysed(spec):
    tt = truth_table(load(spec["dataset"]), spec["outcome"], spec["conditions"], incl_cut=spec["incl_cut"],
                     pri_cut=spec.get("pri_cut", 0), n_cut=spec.get("n_cut", 1))
    return tt, solve(tt, dir_exp=spec["dir_exp"])


@pytest.fixture(scope="module")
def results():
    return {s["id"]: analysed(s) for s in SPECS}


def doc(results, spec):
    tt, sols = results[spec["id"]]
    return document(tt, necessity_table(tt.data, spec["outcome"], tt.conditions), sols)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_truth_table_equals_r(results, spec):
    ref, got = reference(spec), doc(results, spec)
    rows = {r["row"]: r for r in got["truth_table"] if r["n"] > 0}       # as r_mv.R writes R's
    assert list(rows) == [r["row"] for r in ref["truth_table"]]          # R's order: by mixed-radix row number
    for r in ref["truth_table"]:
        g = rows[r["row"]]
        assert (g["OUT"], g["n"], g["cases"]) == (r["OUT"], r["n"], r["cases"]), r["row"]
        assert g["incl"] == pytest.approx(r["incl"], abs=TOL) and g["PRI"] == pytest.approx(r["PRI"], abs=TOL)
    assert got["levels"] == [int(load(spec["dataset"])[c].max()) + 1 if load(spec["dataset"])[c].max() >= 2 else 2
                             for c in spec["conditions"]]


@pytest.mark.parametrize("spec", [s for s in SPECS if "necessity" in reference(s)], ids=lambda s: s["id"])
def test_necessity_equals_rs_pofind(results, spec):
    ref, got = reference(spec), doc(results, spec)
    assert [n["condition"] for n in got["necessity"]] == [n["condition"] for n in ref["necessity"]]
    for g, r in zip(got["necessity"], ref["necessity"]):
        for k in ("inclN", "RoN", "covN"):
            assert g[k] == pytest.approx(r[k], abs=TOL), (r["condition"], k)


def test_some_references_mix_fuzzy_and_multi_value_conditions():
    """R's pofind stops on them (the necessity table is then the engine's alone), its truthTable and
    minimize do not: those are compared above."""
    mixed = [s["id"] for s in SPECS if "necessity_error" in reference(s)]
    assert set(mixed) >= {"gen1_Y", "gen2_Y", "gen3_Y"}


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@pytest.mark.parametrize("kind", ["complex", "parsimonious"])
def test_solutions_equal_r(results, spec, kind):
    ref, got = reference(spec), doc(results, spec)
    assert_solution_equal(ref["solutions"][kind], got["solutions"][kind])


def _all_dashes(spec):
    return all(str(e).strip() == "-" for e in spec["dir_exp"]) if isinstance(spec["dir_exp"], list) else False


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_intermediate_solution_equals_r(results, spec):
    """Every block's models, fits (not where every expectation is "-": R then reports the fit of
    each term as a model's, see analysis.qca.intermediate) and counterfactuals, matched by the pair
    of complex and parsimonious models it comes from (R may number the models otherwise)."""
    ref = reference(spec)["solutions"]["intermediate"]
    tt, sols = results[spec["id"]]
    ours = {}
    for b in sols.intermediate:
        c, p = int(b.label[1:b.label.index("P")]), int(b.label[b.label.index("P") + 1:])
        ours[(sols.complex.models[c - 1].key, sols.parsimonious.models[p - 1].key)] = b
    assert len(ours) == len(ref) == len(sols.intermediate)
    for r in ref:
        key = (Model.parse(" + ".join(r["complex_model"])).key, Model.parse(" + ".join(r["parsimonious_model"])).key)
        b = ours[key]
        assert_solution_equal(r, b.to_json(), fits=not _all_dashes(spec))
        assert (b.EC, b.DC) == (r["easy_counterfactuals"], r["difficult_counterfactuals"]), r["label"]


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_simplifying_assumptions_equal_r(results, spec):
    ref = reference(spec)["solutions"]["parsimonious"]
    tt, sols = results[spec["id"]]
    want = {Model.parse(" + ".join(m)).key: sa                    # R's $SA: M1 (M01 from ten models) ...
            for m, sa in zip(ref["models"], ref["simplifying_assumptions"].values())}
    have = {m.key: sa for m, sa in zip(sols.parsimonious.models, sols.parsimonious.simplifying)}
    assert have == want


def test_the_references_are_not_trivial():
    """The R references exercise what differs from binary data: several tied models, intermediate
    blocks, remainders, contradictions, n_cut, a case on a crossover, conditions of 3 to 5 values."""
    refs = [reference(s) for s in SPECS]
    assert max(len(r["solutions"]["parsimonious"]["models"]) for r in refs) >= 10
    assert sum(len(r["solutions"]["intermediate"]) for r in refs) >= 50
    assert any(row["OUT"] == "C" for r in refs for row in r["truth_table"])
    assert any(row["OUT"] == "?" for r in refs for row in r["truth_table"])
    assert {max(int(v) for row in r["truth_table"] for v in row["row"]) for r in refs} >= {2, 3, 4}
    assert "h03" not in {c for row in reference(SPECS[IDS.index("gen2_Y")])["truth_table"] for c in row["cases"]}


def test_command_line_json_equals_the_api_and_r(tmp_path):
    spec = SPECS[IDS.index("LM_SURV")]
    proc = qca_cli("--data", MV / "datasets" / "LM.csv", "--outcome", "SURV", "--incl-cut", "0.8",   # in-process
                   "--dir-exp", spec["dir_exp"], "--json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    tt, sols = analysed(spec)
    assert got == document(tt, necessity_table(tt.data, "SURV", tt.conditions), sols)
    ref = reference(spec)
    for kind in ("complex", "parsimonious", "intermediate"):
        assert_solution_equal(ref["solutions"][kind], got["solutions"][kind])
    assert got["solutions"]["parsimonious"]["models"] == [["DEV[2]", "DEV[1]*STB[1]"],
                                                          ["DEV[1]*IND[0]", "IND[1]*STB[1]"],
                                                          ["DEV[1]*STB[1]", "IND[1]*STB[1]"]]


def test_command_line_old_way_expectations_and_readable_output():
    proc = qca_cli("--data", MV / "datasets" / "LM.csv", "--outcome", "SURV", "--incl-cut", "1",
                   "--dir-exp", "2,1,1,-,1")
    assert proc.returncode == 0, proc.stderr
    assert "DEV[2]*LIT[1]*IND[1]*STB[1]" in proc.stdout and "21111" in proc.stdout
    ref = reference(SPECS[IDS.index("LM_SURV_oldway")])
    models = {m for b in ref["solutions"]["intermediate"] for m in map(" + ".join, b["models"])}
    assert any(m in proc.stdout for m in models)


# ---------------------------------------------------------------- notation: R's C[2]

def test_terms_are_written_and_read_as_r_writes_them():
    t = MVTerm([("DEV", 2), ("URB", False)])
    assert str(t) == "DEV[2]*URB[0]"
    assert Term.parse("DEV[2]*URB[0]").key == t.key == Term.parse("URB[0]*DEV{2}").key
    assert Term.parse("URB[1]").key == Term.parse("URB").key           # a binary condition's value 1 is itself
    m = Model.parse("DEV[2]*STB[1] + URB[1]")
    assert str(m) == "DEV[2]*STB[1] + URB[1]" and Model.from_json(m.to_json()).key == m.key
    assert [str(t) for t in parse("~DEV[2]*STB[1] + DEV[1,2]", levels={"DEV": 3})] == ["DEV[0,1]*STB[1]", "DEV[1,2]"]


def test_memberships_of_values():
    lm = load("LM")
    assert membership(lm, "DEV[2]").tolist() == (lm["DEV"] == 2).astype(float).tolist()
    assert membership(lm, "~DEV[2]").tolist() == (lm["DEV"] != 2).astype(float).tolist()
    assert membership(lm, "DEV[1,2]*URB[0] + STB[1]").tolist() == \
        (((lm.DEV >= 1) & (lm.URB == 0)) | (lm.STB == 1)).astype(float).tolist()
    assert pof("DEV[2] + DEV[1]*STB[1]", "SURV", lm)["inclN"].tolist() == [1.0]       # R's pof: 1, 1, 1
    assert pof("DEV[2]", "SURV", lm).iloc[0].tolist() == [0.625, 1.0, 1.0]


def test_a_negated_value_needs_the_number_of_values():
    with pytest.raises(QCAError, match="number of values of DEV"):
        parse("~DEV[2]")
    with pytest.raises(QCAError, match="values in its brackets"):
        parse("DEV[]")


# ---------------------------------------------------------------- refusals and the binary path

def test_raw_counts_are_not_taken_for_categories():
    data = pd.DataFrame({"A": [0, 12, 40], "B": [0.2, 0.8, 0.6], "Y": [0.1, 0.9, 0.7]})
    with pytest.raises(QCAError, match="'A' holds whole numbers up to 40.*calibrate"):
        truth_table(data, "Y")


def test_a_multi_value_outcome_is_refused():
    data = load("LM").assign(SURV=lambda d: d.DEV)
    with pytest.raises(QCAError, match="'SURV'.*outside \\[0, 1\\]"):
        truth_table(data, "SURV", ["URB", "LIT"])


def test_crisp_integer_data_stay_binary():
    lm = load("LM").drop(columns="DEV")
    tt = truth_table(lm, "SURV", incl_cut=0.8)
    assert not tt.multivalue and str(minimize(tt, include="?").models[0]) == "IND*STB"     # R: IND*STB -> SURV


def test_directional_expectations_are_checked():
    tt, _ = analysed(SPECS[0])
    with pytest.raises(QCAError, match="dir_exp for DEV: '3'"):
        solve(tt, dir_exp="3,1,1,1,1")
    with pytest.raises(QCAError, match="dir_exp has 2 value"):
        solve(tt, dir_exp="1,1")
    assert solve(tt, dir_exp={"DEV": [1, 2], "STB": 1}).dir_exp == ((1, 2), None, None, None, (1,))


def test_exclude_takes_multi_value_rows(results):
    tt, sols = results["LM_SURV"]
    sa = sols.parsimonious.simplifying[0]
    kept_out = solve(tt.exclude(sa[:3]))
    assert not set(sa[:3]) & {r for s in kept_out.parsimonious.simplifying for r in s}
    with pytest.raises(QCAError, match="not a row"):
        tt.exclude(["30111"])


def test_no_remainder_no_model_is_r_s_answer():
    data = pd.DataFrame({"D": [0, 1, 2, 2], "B": [1, 0, 1, 0], "Y": [0, 0, 1, 1]}, index=list("pqrs"))
    sols = solve(truth_table(data, "Y"), dir_exp="D[2], B[1]")
    assert [str(m) for m in sols.complex.models] == ["D[2]"] and sols.intermediate[0].EC == []
    assert sorted(sols.parsimonious.models[0].term_fits[0].cases) == ["r", "s"]
