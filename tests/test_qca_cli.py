"""The command line: readable output, JSON, and one clear line for every kind of bad input.

In-process (``analysis.qca.__main__.main(argv)``, what ``python -m analysis.qca`` calls); the first
test runs the real process (its exit status and output), as do test_bad_input_run.test_real_command_lines
(bad input) and test_qca_parity.test_command_line_json_equals_in_process_result (JSON)."""
import json
import subprocess
import sys

import pytest

from conftest import REF, ROOT, qca_cli as run

LF = str(REF / "datasets" / "LF.csv")


def test_readable_output_lists_truth_table_and_solutions():
    p = subprocess.run([sys.executable, "-m", "analysis.qca", "--data", LF, "--outcome", "SURV", "--dir-exp", "1,1,1,1,1"],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    for text in ("Truth table", "complex solution", "parsimonious solution", "intermediate C1P1",
                 "DEV*~IND", "URB*STB", "easy counterfactuals"):
        assert text in p.stdout


def test_dir_exp_may_start_with_no_expectation():
    # "-" first: argparse would read the value as an option; with no expectation at all, each
    # intermediate block is a complex model without easy or difficult counterfactuals (as R)
    p = run("--data", LF, "--outcome", "SURV", "--dir-exp", "-,-,-,-,-")
    assert p.returncode == 0, p.stderr
    assert "intermediate C1P1" in p.stdout
    assert "easy counterfactuals: none" in p.stdout and "difficult counterfactuals: none" in p.stdout
    p = run("--data", LF, "--outcome", "SURV", "--dir-exp", "-,1,1,1,1", "--json")
    assert p.returncode == 0, p.stderr
    assert '"intermediate"' in p.stdout


def write(tmp_path, text):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    return str(f)


BAD = {
    "missing file": (lambda t: ["--data", str(t / "nope.csv"), "--outcome", "Y"], "file not found"),
    "missing outcome column": (lambda t: ["--data", LF, "--outcome", "NOPE"], "NOPE"),
    "unknown condition": (lambda t: ["--data", LF, "--outcome", "SURV", "--conditions", "DEV,XYZ"], "XYZ"),
    "non-numeric membership": (lambda t: ["--data", write(t, "case,A,B,Y\nc1,0.2,x,0.3\nc2,0.8,0.9,0.9\n"),
                                          "--outcome", "Y"], "case 'c1', column 'B'"),
    "membership above 1": (lambda t: ["--data", write(t, "case,A,B,Y\nc1,0.2,1.4,0.3\nc2,0.8,0.9,0.9\n"),
                                      "--outcome", "Y"], "outside [0, 1]"),
    "missing value": (lambda t: ["--data", write(t, "case,A,B,Y\nc1,0.2,,0.3\nc2,0.8,0.9,0.9\n"),
                                 "--outcome", "Y"], "missing values"),
    "duplicate case": (lambda t: ["--data", write(t, "case,A,B,Y\nc1,0.2,0.1,0.3\nc1,0.8,0.9,0.9\n"),
                                  "--outcome", "Y"], "duplicate case"),
    "wrong number of dir-exp": (lambda t: ["--data", LF, "--outcome", "SURV", "--dir-exp", "1,1"], "dir_exp has 2"),
    "bad dir-exp value": (lambda t: ["--data", LF, "--outcome", "SURV", "--dir-exp", "1,1,2,1,1"], "'2' is not 1, 0 or -"),
    "incl-cut above 1": (lambda t: ["--data", LF, "--outcome", "SURV", "--incl-cut", "1.2"], "incl_cut must lie in"),
    "pri-cut below 0": (lambda t: ["--data", LF, "--outcome", "SURV", "--pri-cut", "-0.1"], "pri_cut must lie in"),
    "non-numeric cut": (lambda t: ["--data", LF, "--outcome", "SURV", "--incl-cut", "high"], "--incl-cut must be a number"),
    "n-cut zero": (lambda t: ["--data", LF, "--outcome", "SURV", "--n-cut", "0"], "n_cut must be"),
    "reversed incl-cut pair": (lambda t: ["--data", LF, "--outcome", "SURV", "--incl-cut", "0.6,0.9"],
                               "incl_cut (incl1, incl0) must have incl1 >= incl0"),
    "unknown option": (lambda t: ["--data", LF, "--outcome", "SURV", "--incl-cutt", "0.9"], "did you mean --incl-cut?"),
    "abbreviated option": (lambda t: ["--dat", LF, "--outcome", "SURV"], "unrecognized arguments: --dat; did you "
                                                                          "mean --data?"),
    "empty file": (lambda t: ["--data", write(t, ""), "--outcome", "Y"], "the file is empty"),
    "boolean membership": (lambda t: ["--data", write(t, "case,A,B,Y\nc1,True,0.9,0.3\nc2,False,0.9,0.5\n"),
                                      "--outcome", "Y"], "case 'c1', column 'A': value 'True' is not a number"),
    "expression as a column name": (lambda t: ["--data", write(t, "case,~A,B,Y\nc1,0.1,0.9,0.3\nc2,0.2,0.9,0.5\n"),
                                               "--outcome", "Y"], "column name '~A' cannot name a set"),
    "control character in a case id": (lambda t: ["--data", write(t, "case,A,B,Y\nc\x001,0.1,0.9,0.3\n"),
                                                  "--outcome", "Y"], "control character"),
    "a line with one field too many": (lambda t: ["--data", write(t, "case,A,B,Y\nc1,0.1,0.9,0.3\nc2,0,5,0.9,0.5\n"),
                                                  "--outcome", "Y"], "line 3 has more fields than the header"),
    "header but no cases": (lambda t: ["--data", write(t, "case,A,B,Y\n"), "--outcome", "Y"], "no cases"),
    "duplicate column name": (lambda t: ["--data", write(t, "case,A,A,Y\nc1,0.2,0.3,0.4\n"), "--outcome", "Y"],
                              "'A' appear more than once"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_gives_one_clear_line(tmp_path, name):
    make_args, expected = BAD[name]
    p = run(*make_args(tmp_path))
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), p.stderr
    assert not lines[0].startswith("error: unexpected"), lines[0]   # a bug, not bad input
    assert expected in lines[0]
    assert "Traceback" not in p.stderr


def test_too_many_conditions_is_refused(tmp_path):
    header = ",".join(f"C{i}" for i in range(17))
    rows = "\n".join(f"c{j}," + ",".join("0.7" if (i + j) % 2 else "0.2" for i in range(17)) + ",0.9" for j in range(4))
    p = run("--data", write(tmp_path, f"case,{header},Y\n{rows}\n"), "--outcome", "Y")
    assert p.returncode == 2 and "limited to 16 conditions" in p.stderr


def test_boundary_case_warns_and_is_listed_in_no_row(tmp_path):
    data = write(tmp_path, "case,A,B,Y\nc1,0.5,0.9,0.9\nc2,0.8,0.9,0.9\nc3,0.1,0.2,0.1\nc4,0.2,0.9,0.2\n")
    p = run("--data", data, "--outcome", "Y", "--json")
    assert p.returncode == 0, p.stderr
    assert "warning:" in p.stderr and "c1" in p.stderr
    tt = json.loads(p.stdout)["truth_table"]
    assert all("c1" not in r["cases"] for r in tt)
    assert json.loads(p.stdout)["boundary_cases"] == ["c1"]


def test_constant_condition_warns(tmp_path):
    data = write(tmp_path, "case,A,B,Y\nc1,0.7,0.9,0.9\nc2,0.7,0.1,0.2\nc3,0.7,0.8,0.7\nc4,0.7,0.2,0.1\n")
    p = run("--data", data, "--outcome", "Y", "--json")
    assert p.returncode == 0, p.stderr
    assert "condition 'A' has the same membership (0.7) in every case" in p.stderr


@pytest.mark.parametrize("name, text, undefined", [
    # R's truthTable answers and minimize stops: the engine answers what is defined, exit 0
    ("no row positive", "case,A,B,Y\nc1,0.2,0.9,0.3\nc2,0.8,0.9,0.45\nc3,0.7,0.1,0.4\n",
     {"complex", "parsimonious", "intermediate"}),
    ("no row negative", "case,A,B,C,Y\nc1,0.9,0.9,0.9,0.95\nc2,0.9,0.9,0.1,0.9\nc3,0.1,0.9,0.9,0.9\n",
     {"parsimonious", "intermediate"}),
])
def test_undefined_solutions_are_said_and_the_rest_returned(tmp_path, name, text, undefined):
    p = run("--data", write(tmp_path, text), "--outcome", "Y", "--dir-exp", ",".join("1" * (text.count(",", 0,
            text.index("\n")) - 1)), "--json")
    assert p.returncode == 0, p.stderr
    result = json.loads(p.stdout)
    assert result["truth_table"] and result["necessity"]
    assert set(result["solutions"]["undefined"]) == undefined
    if "complex" not in undefined:           # e.g. Quine's table: no negative row, complex models exist
        assert result["solutions"]["complex"]["models"] == [["A*B", "B*C"]]
    readable = run("--data", write(tmp_path, text), "--outcome", "Y")
    assert readable.returncode == 0 and "parsimonious solution: undefined (" in readable.stdout


def test_no_row_with_n_cut_cases_is_said_as_such(tmp_path):
    # R's truthTable stops: "There are no configurations, using these cutoff values"
    text = "case,A,B,Y\nc1,0.9,0.9,0.9\nc2,0.8,0.1,0.9\nc3,0.1,0.9,0.2\n"
    p = run("--data", write(tmp_path, text), "--outcome", "Y", "--n-cut", "2", "--json")
    assert p.returncode == 0, p.stderr
    result = json.loads(p.stdout)
    assert {r["OUT"] for r in result["truth_table"]} == {"?"}
    assert "no truth table row has n_cut = 2 case(s) or more" in result["solutions"]["undefined"]["complex"]


def test_case_ids_are_names_as_written(tmp_path):
    # Namibia's code NA is a name, 001 and 1.0 are not numbers: nothing is converted
    data = write(tmp_path, "case,A,B,Y\nNA,0.9,0.8,0.9\n001,0.1,0.2,0.1\n1.0,0.8,0.1,0.7\n1,0.2,0.9,0.3\n")
    p = run("--data", data, "--outcome", "Y", "--json")
    assert p.returncode == 0, p.stderr
    cases = sorted(c for r in json.loads(p.stdout)["truth_table"] for c in r["cases"])
    assert cases == ["001", "1", "1.0", "NA"]
