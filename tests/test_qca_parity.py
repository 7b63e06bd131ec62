"""The engine against R's QCA 3.25.1 on published data: truth tables, necessity, every model, every fit."""
import json
import subprocess
import sys

import pytest

from analysis.qca import document, necessity_table, solve, truth_table

from conftest import REF, ROOT, assert_solution_equal, assert_truth_table_and_necessity_equal, load_dataset

SPECS = json.loads((REF / "specs.json").read_text())


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
    assert_truth_table_and_necessity_equal(ref, run_spec(spec))


@pytest.mark.parametrize("spec", SPECS, ids=[s["id"] for s in SPECS])
@pytest.mark.parametrize("kind", ["complex", "parsimonious", "intermediate"])
def test_solutions_equal_r(spec, kind):
    ref = json.loads((REF / "qca" / f"{spec['id']}.json").read_text())
    assert_solution_equal(ref["solutions"][kind], run_spec(spec)["solutions"][kind])


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
