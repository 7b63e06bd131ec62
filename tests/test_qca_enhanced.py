"""Parity with R's QCA 3.25.1 on the enhanced standard analysis: findRows of every type,
minimize(exclude =) for the three solutions, the simplifying assumptions ($SA), the easy and
difficult counterfactuals ($i.sol$...$EC, $DC) and superSubset with its cut-offs and depth.

The reference is tests/fixtures/reference/enhanced/qca/<id>.json, made by r_enhanced.R (beside
it) from specs.json, on the public reference sets, SetMethods' SCHF, the clinics test study and
the PPIP stand-in's memberships.
"""
import json
import warnings

import pandas as pd
import pytest

from analysis.qca import find_rows, solve, super_subset, truth_table
from conftest import REF, assert_solution_equal, models_by_key, qca_cli, term_key

HERE = REF / "enhanced"
SPECS = json.loads((HERE / "specs.json").read_text())


def _data(spec):
    d = pd.read_csv(HERE / spec["dataset"], keep_default_na=False, na_values=[])
    return d.set_index(d.columns[0])


def _tt(spec):
    d = _data(spec)
    conds = spec["conditions"].split(",") if spec.get("conditions") else [c for c in d.columns if c != spec["outcome"]]
    cuts = [float(c) for c in str(spec["incl_cut"]).split(",")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return truth_table(d, spec["outcome"], conds, incl_cut=cuts if len(cuts) > 1 else cuts[0],
                           pri_cut=spec.get("pri_cut", 0), n_cut=spec.get("n_cut", 1), neg_out=spec["neg_out"])


def _ref(spec):
    return json.loads((HERE / "qca" / f"{spec['id']}.json").read_text())


def _ids(specs):
    return [s["id"] for s in specs]


def _key(model):
    return frozenset(map(term_key, model))


def _check_blocks(ref, sols, tt):
    """Models, fits, SA per model, EC and DC per intermediate block, and the rows' OUT."""
    assert "error" not in ref["complex"] and "error" not in ref["parsimonious"]
    got = sols.to_json()
    assert_solution_equal(ref["complex"], got["complex"])
    assert_solution_equal(ref["parsimonious"], got["parsimonious"])
    want_sa = {_key(m): sorted(sa) for m, sa in zip(ref["parsimonious"]["models"], ref["parsimonious"]["SA"].values())}
    have_sa = {_key(m): sorted(sa) for m, sa in zip(got["parsimonious"]["models"], sols.parsimonious.simplifying)}
    assert have_sa == want_sa
    if "intermediate" in ref:
        assert "error" not in ref["intermediate"][0], ref["intermediate"][0]
        by_label = {b["label"]: b for b in got["intermediate"]}
        assert set(by_label) == {b["label"] for b in ref["intermediate"]}
        for rb in ref["intermediate"]:
            gb = by_label[rb["label"]]
            assert set(models_by_key(gb)) == set(models_by_key(rb)), rb["label"]
            assert_solution_equal(rb, gb, fits=not _all_dash(sols))
            assert (sorted(gb["easy_counterfactuals"]), sorted(gb["difficult_counterfactuals"])) == \
                   (sorted(rb["EC"]), sorted(rb["DC"])), rb["label"]
    if "tt_out" in ref:
        out = dict(zip(tt.exclude(sols.excluded).table.index, tt.exclude(sols.excluded).table["OUT"]))
        assert {r: out[r] for r in ref["tt_out"]} == ref["tt_out"]


def _all_dash(sols):
    """R misreports the fit of intermediate blocks whose expectations are all '-' (see
    tests/fixtures/reference/studies/README.md): compare their models only."""
    return sols.dir_exp is not None and all(e is None for e in sols.dir_exp)


@pytest.mark.parametrize("spec", SPECS, ids=_ids(SPECS))
def test_find_rows_equals_r(spec):
    tt = _tt(spec)
    for ref in _ref(spec)["find_rows"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = find_rows(tt, ref["type"], ref.get("expression"))
        assert got == list(ref["rows"]), (ref["type"], ref.get("expression"))


@pytest.mark.parametrize("spec", SPECS, ids=_ids(SPECS))
def test_solutions_and_counterfactuals_equal_r(spec):
    tt = _tt(spec)
    _check_blocks(_ref(spec)["solutions"], solve(tt, spec.get("dir_exp")), tt)


@pytest.mark.parametrize("spec", SPECS, ids=_ids(SPECS))
def test_exclude_equals_r(spec):
    tt = _tt(spec)
    for ref in _ref(spec)["exclude"]:
        given = ref["given"]
        rows = find_rows(tt, 2) if given == "CSA" else find_rows(tt, 3) if given == "SSR" else given
        sols = solve(tt, spec.get("dir_exp"), exclude=rows)
        assert [e.row for e in sols.excluded] == sorted(ref["rows"]), given
        _check_blocks(ref, sols, tt)


SUPER = [(s, o) for s in SPECS for o in _ref(s).get("super_subset", [])]


@pytest.mark.parametrize("spec,ref", SUPER, ids=[f"{s['id']}-{i}" for i, (s, _) in enumerate(SUPER)])
def test_super_subset_equals_r(spec, ref):
    o = ref["settings"]
    d = _data(spec)
    conds = spec["conditions"].split(",") if spec.get("conditions") else [c for c in d.columns if c != spec["outcome"]]
    got = super_subset(d, ("~" if o.get("neg") else "") + spec["outcome"], conds,
                       relation=o.get("relation", "necessity"), incl_cut=o.get("incl_cut", 1),
                       cov_cut=o.get("cov_cut", 0), ron_cut=o.get("ron_cut", 0), pri_cut=o.get("pri_cut", 0),
                       depth=o.get("depth"))
    want = pd.DataFrame(ref["rows"]) if ref["rows"] else pd.DataFrame(columns=got.columns)
    assert list(got["expression"]) == list(want["expression"])
    for col in got.columns[1:]:
        assert got[col].tolist() == pytest.approx(want[col].tolist(), abs=1e-9), col


def test_enhanced_analysis_changes_the_ppip_stand_in_as_r_says():
    """The issue's example: MPV's parsimonious term RISK*KNOW rests on four CSAs without CONTRACT;
    with them excluded the solution is CONTRACT*RISK*KNOW + CONTRACT*KNOW*PUBLIC."""
    spec = next(s for s in SPECS if s["id"] == "ppip_MPV")
    tt = _tt(spec)
    assert solve(tt).parsimonious.models[0].expression == "RISK*KNOW + CONTRACT*KNOW*PUBLIC"
    csa = find_rows(tt, 2)
    assert csa == ["00110", "00111", "01110", "01111"]
    assert solve(tt, exclude=csa).parsimonious.models[0].expression == "CONTRACT*RISK*KNOW + CONTRACT*KNOW*PUBLIC"


def _cli(*args):
    return qca_cli(*args)          # in-process (the real process: test_qca_cli)


def test_command_line_find_rows_and_exclude_equal_r():
    spec = next(s for s in SPECS if s["id"] == "ppip_MPV")
    ref = _ref(spec)
    base = ["--data", str(HERE / "ppip_calibrated.csv"), "--outcome", "MPV", "--conditions", spec["conditions"],
            "--incl-cut", "0.8", "--pri-cut", "0.7"]
    proc = _cli(*base, "--find-rows", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ref["find_rows"][0]["rows"]
    proc = _cli(*base, "--find-rows", "0", "--expression", "~CONTRACT + ~KNOW", "--json")
    assert json.loads(proc.stdout) == ref["find_rows"][3]["rows"]
    rows = ",".join(ref["exclude"][0]["rows"])
    proc = _cli(*base, "--exclude", rows, "--dir-exp", "1,1,1,1,1", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [e["row"] for e in doc["exclude"]] == ref["exclude"][0]["rows"]
    assert all(e["reason"] for e in doc["exclude"])
    assert_solution_equal(ref["exclude"][0]["parsimonious"], doc["solutions"]["parsimonious"])
    assert_solution_equal(ref["exclude"][0]["intermediate"], doc["solutions"]["intermediate"])


@pytest.mark.parametrize("args,message", [
    (["--find-rows", "4"], "--find-rows must be 0, 1, 2 or 3"),
    (["--find-rows", "1"], "needs an expression"),
    (["--exclude", "0011"], "is not a row of 5 conditions"),
    (["--exclude", "00110,21"], "is not a row of 5 conditions"),
])
def test_command_line_refuses_bad_rows(args, message):
    proc = _cli("--data", str(HERE / "ppip_calibrated.csv"), "--outcome", "MPV",
                "--conditions", "CONTRACT,NORMS,RISK,KNOW,PUBLIC", *args)
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
