"""The engine against R's QCA 3.25.1 on published data: truth tables, necessity, every model, every fit."""
import json
import subprocess
import sys

import pytest

from analysis.qca import document, necessity_table, solve, truth_table

from conftest import REF, ROOT, load_dataset

TOL = 1e-6
SPECS = json.loads((REF / "specs.json").read_text())


def term_key(term):
    return frozenset(term.replace(" ", "").split("*"))


def models_by_key(block):
    blocks = block if isinstance(block, list) else [block]
    out = {}
    for b in blocks:
        fits = {frozenset(map(term_key, f["model"])): f for f in b["fits"]}
        for m in b["models"]:
            key = frozenset(map(term_key, m))
            out[key] = fits[key]
    return out


def analysed(data, outcome, incl_cut, pri_cut=0, n_cut=1, neg_out=False, dir_exp=None):
    """One analysis through the engine's public API, as the command line's JSON."""
    tt = truth_table(data, outcome, incl_cut=incl_cut, pri_cut=pri_cut, n_cut=n_cut, neg_out=neg_out)
    return document(tt, necessity_table(tt.data, outcome, tt.conditions, neg_out=neg_out), solve(tt, dir_exp))


def run_spec(spec):
    data = load_dataset(spec["dataset"].split("/")[-1])
    return analysed(data, spec["outcome"], incl_cut=spec["incl_cut"], pri_cut=spec.get("pri_cut", 0),
                    n_cut=spec.get("n_cut", 1), neg_out=spec.get("neg_out", False), dir_exp=spec.get("dir_exp"))


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
def test_truth_table_and_necessity_equal_r(spec):
    ref = json.loads((REF / "qca" / f"{spec['id']}.json").read_text())
    got = run_spec(spec)
    rows = {r["row"]: r for r in got["truth_table"] if r["n"] > 0}
    assert set(rows) == {r["row"] for r in ref["truth_table"]}
    for r in ref["truth_table"]:
        g = rows[r["row"]]
        assert (g["OUT"], g["n"], sorted(g["cases"])) == (r["OUT"], r["n"], sorted(r["cases"]))
        assert g["incl"] == pytest.approx(r["incl"], abs=TOL)
        assert g["PRI"] == pytest.approx(r["PRI"], abs=TOL)
    nec = {n["condition"]: n for n in got["necessity"]}
    for n in ref["necessity"]:
        for k in ("inclN", "RoN", "covN"):
            assert nec[n["condition"]][k] == pytest.approx(n[k], abs=TOL), (n["condition"], k)


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
@pytest.mark.parametrize("kind", ["complex", "parsimonious", "intermediate"])
def test_solutions_equal_r(spec, kind):
    ref = json.loads((REF / "qca" / f"{spec['id']}.json").read_text())
    got = run_spec(spec)
    want, have = models_by_key(ref["solutions"][kind]), models_by_key(got["solutions"][kind])
    assert set(have) == set(want)
    for key, rf in want.items():
        gf = have[key]
        for k in ("inclS", "PRI", "covS"):
            assert gf[k] == pytest.approx(rf[k], abs=TOL)
        terms = {term_key(t["term"]): t for t in gf["terms"]}
        for rt in rf["terms"]:
            for k in ("inclS", "PRI", "covS", "covU"):
                assert terms[term_key(rt["term"])][k] == pytest.approx(rt[k], abs=TOL), (rt["term"], k)


def test_command_line_json_equals_in_process_result():
    spec = SPECS[0]
    cmd = [sys.executable, "-m", "analysis.qca", "--data", str(REF / spec["dataset"]), "--outcome",
           spec["outcome"], "--incl-cut", str(spec["incl_cut"]), "--dir-exp", spec["dir_exp"], "--json"]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(p.stdout) == run_spec(spec)


def test_parsed_expectations_with_no_expectation_are_accepted(lipset):
    result = analysed(lipset, "SURV", incl_cut=0.8, dir_exp=[1, None, "-", 1, 1])
    assert result["dir_exp"] == [1, "-", "-", 1, 1]
    assert result["solutions"]["intermediate"]
