"""The bad-input catalogue: every kind of input the compendium cannot analyse is refused before any
notebook runs, with one line ``error: ...`` naming the file, column, case or parameter and what to
do, and exit status 2 -- from the pipeline (``python -m analysis.pipeline``) and, where the kind
applies to a membership file, from the engine's command line (``python -m analysis.qca``).

Most cases call the pipeline's ``main`` in-process: validation fails before papermill starts, so
each costs milliseconds.  ``test_real_command_lines`` runs a few of them as real subprocesses.
(Further study-file checks are in test_studyfile.py, further engine command line checks in test_qca_cli.py.)
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis import pipeline
from analysis.qca import __main__ as qca

ROOT = Path(__file__).resolve().parent.parent
STUDY = ROOT / "data" / "ppip" / "study.yml"
CSV = ROOT / "data" / "ppip" / "raw" / "cases.csv"


# ------------------------------------------------------------------------------- helpers

def data_file(tmp_path, edit=None, name="cases.csv") -> Path:
    """A copy of the raw data outside any raw/ folder (so not checksum-guarded), edited."""
    df = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    if edit is not None:
        df = edit(df)
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def text_file(tmp_path, content, name="cases.csv") -> Path:
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return path


def study_file(tmp_path, edit) -> Path:
    """A copy of the study file reading the real raw data, edited by ``edit(spec)``."""
    spec = yaml.safe_load(STUDY.read_text())
    spec["data"] = str(CSV)
    edit(spec)
    folder = tmp_path / "study"
    folder.mkdir(exist_ok=True)
    path = folder / "study.yml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def pipeline_error(capsys, tmp_path, *args) -> str:
    """Run the pipeline's command line in-process; expect exit 2 and one line naming the problem."""
    out = tmp_path / "out"
    study = [] if "--study" in map(str, args) else ["--study", "ppip"]
    code = pipeline.main([*study, *map(str, args), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.strip().splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not lines[0].startswith("error: unexpected"), lines[0]   # a bug, not bad input
    assert "Traceback" not in err
    assert not out.exists()
    return lines[0]


def cli_error(capsys, *args) -> str:
    """Run the engine's command line in-process; expect exit 2 and one line ``error: ...``."""
    code = qca.main([*map(str, args)])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not lines[0].startswith("error: unexpected"), lines[0]   # a bug, not bad input
    return lines[0]


def has(line, *words):
    for w in words:
        assert w in line, f"{w!r} not in {line!r}"


def setcell(row, col, value):
    def edit(d):
        d.loc[row, col] = value
        return d
    return edit


MEMBERSHIPS = "case,A,B,Y\nc1,0.2,0.1,0.3\nc2,0.8,0.9,0.9\nc3,0.7,0.2,0.6\nc4,0.1,0.8,0.2\n"


# ---------------------------------------------------------------------- the data file

def test_missing_data_file(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--data", tmp_path / "nope.csv"), "nope.csv", "raw data file not found")
    has(cli_error(capsys, "--data", tmp_path / "nope.csv", "--outcome", "Y"), "nope.csv", "not found")


def test_data_path_is_a_folder(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--data", tmp_path), str(tmp_path), "is a folder")
    has(cli_error(capsys, "--data", tmp_path, "--outcome", "Y"), "is a folder")


def test_unreadable_csv_not_utf8(capsys, tmp_path):
    path = text_file(tmp_path, b"case,A\n\xff\xfe\x00garbage\x00\xff,1\n")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "cannot read the CSV", "UTF-8")
    has(cli_error(capsys, "--data", path, "--outcome", "Y"), "cases.csv")


def test_excel_workbook_instead_of_csv(capsys, tmp_path):
    path = text_file(tmp_path, b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), name="cases.xlsx")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.xlsx", "Excel", "save the sheet as CSV")


def test_empty_file(capsys, tmp_path):
    path = text_file(tmp_path, "")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "empty")
    has(cli_error(capsys, "--data", path, "--outcome", "Y"), "cases.csv", "the file is empty")


def test_header_but_no_cases(capsys, tmp_path):
    path = text_file(tmp_path, CSV.read_text().splitlines()[0] + "\n")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "no cases")
    has(cli_error(capsys, "--data", text_file(tmp_path, "case,A,B,Y\n", "m.csv"), "--outcome", "Y"), "no cases")


def test_semicolon_separated_file(capsys, tmp_path):
    path = text_file(tmp_path, CSV.read_text().replace(",", ";"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "'case' not found", "comma-separated")


def test_byte_order_mark_is_accepted(capsys, tmp_path):
    """Not an error: spreadsheet programs write UTF-8 CSV with a byte-order mark."""
    path = text_file(tmp_path, b"\xef\xbb\xbf" + CSV.read_bytes())
    study, _ = pipeline.validate(STUDY, path, {})
    assert study.name == "ppip"


def test_case_id_column_missing(capsys, tmp_path):
    path = data_file(tmp_path, lambda d: d.rename(columns={"case": "hotline"}))
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "case id column 'case' not found")


def test_codebook_column_missing(capsys, tmp_path):
    path = data_file(tmp_path, lambda d: d.drop(columns="risk_sharing"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "codebook column 'risk_sharing' is missing")


def test_codebook_column_misspelled(capsys, tmp_path):
    path = data_file(tmp_path, lambda d: d.rename(columns={"know_data_exchange": "know_data_exchnage"}))
    has(pipeline_error(capsys, tmp_path, "--data", path), "'know_data_exchange' is missing",
        "did you mean 'know_data_exchnage'")


def test_extra_column_warns_and_is_ignored(capsys, tmp_path):
    """Not an error: a column the codebook does not know is named in a warning and ignored."""
    path = data_file(tmp_path, lambda d: d.assign(interviewer="x"))
    study, _ = pipeline.validate(STUDY, path, {}, log=sys.stderr)
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "interviewer" in err and "ignored" in err


def test_duplicate_column_in_header(capsys, tmp_path):
    lines = CSV.read_text().splitlines()
    path = text_file(tmp_path, "\n".join(f"{line},{line.split(',')[7]}" for line in lines) + "\n")
    has(pipeline_error(capsys, tmp_path, "--data", path), "risk_plan", "more than once")
    has(cli_error(capsys, "--data", text_file(tmp_path, "case,A,A,Y\nc1,0.2,0.3,0.4\n", "m.csv"), "--outcome", "Y"),
        "'A' appear more than once")


def test_duplicate_case_ids(capsys, tmp_path):
    path = data_file(tmp_path, setcell(7, "case", "H02"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "duplicate case id", "H02")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS.replace("c2", "c1"), "m.csv"), "--outcome", "Y"),
        "duplicate case", "c1")


def test_empty_case_id(capsys, tmp_path):
    path = data_file(tmp_path, setcell(10, "case", ""))
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "empty case id", "line(s) 12")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS.replace("c3", ""), "m.csv"), "--outcome", "Y"),
        "empty case id", "line(s) 4")


def test_non_numeric_cell(capsys, tmp_path):
    path = data_file(tmp_path, setcell(4, "norms_trust", "5,5"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "case 'H05'", "column 'norms_trust'", "'5,5'",
        "not a number")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS.replace("0.9", "high"), "m.csv"),
                  "--outcome", "Y"), "'B'", "c2")


def test_missing_values_name_cases_and_columns(capsys, tmp_path):
    path = data_file(tmp_path, lambda d: setcell(20, "mpv_ontime_pct", "NA")(setcell(3, "risk_plan", "")(d)))
    line = pipeline_error(capsys, tmp_path, "--data", path)
    has(line, "missing values", "risk_plan", "mpv_ontime_pct", "H04", "H21", "nothing is dropped silently")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS.replace("0.9,", ","), "m.csv"),
                  "--outcome", "Y"), "missing values")


def test_value_outside_codebook_range(capsys, tmp_path):
    path = data_file(tmp_path, setcell(8, "public_open_data_pct", "130"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "case 'H09'", "public_open_data_pct", "130",
        "codebook range [0, 100]")


def test_infinite_value(capsys, tmp_path):
    path = data_file(tmp_path, setcell(0, "ppv_fairness", "inf"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "case 'H01'", "ppv_fairness", "inf", "range [1, 7]")


def test_calibrated_memberships_given_to_the_pipeline(capsys, tmp_path):
    path = text_file(tmp_path, "case,CONTRACT,NORMS,RISK,KNOW,PUBLIC,MPV,PPV\nH01,0.9,0.8,0.7,0.6,0.9,0.95,0.8\n")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "calibrated memberships", "analysis.qca")


def test_membership_outside_unit_interval(capsys, tmp_path):
    """Pre-calibrated data are the engine command line's input; memberships must lie in [0, 1]."""
    path = text_file(tmp_path, MEMBERSHIPS.replace("0.8,0.9", "0.8,1.9"), "m.csv")
    has(cli_error(capsys, "--data", path, "--outcome", "Y"), "'B'", "c2", "outside [0, 1]")


def test_constant_condition(capsys, tmp_path):
    def edit(d):
        for col in ("know_joint_training", "know_data_exchange", "know_joint_solving"):
            d[col] = "5.00"
        return d
    has(pipeline_error(capsys, tmp_path, "--data", data_file(tmp_path, edit)), "condition KNOW is constant", "5",
        "know_joint_training")


def test_outcome_with_no_case_above_half(capsys, tmp_path):
    # R's semantics: the set is legal (the calibration notebook notes it); the pipeline refuses only
    # when no analysis of the run has a positive row; the engine's command line warns and answers
    def edit(d):
        for col in ("ppv_transparency", "ppv_participation", "ppv_fairness"):
            d[col] = d[col].astype(float).clip(upper=3.9).map("{:.2f}".format)
        return d
    study, _ = pipeline.validate(STUDY, data_file(tmp_path, edit), {})
    assert study.name == "ppip"
    data = text_file(tmp_path, MEMBERSHIPS.replace("0.9\n", "0.4\n").replace("0.6\n", "0.3\n"), "m.csv")
    assert qca.main(["--data", str(data), "--outcome", "Y", "--json"]) == 0
    has(capsys.readouterr().err, "warning: ", "outcome Y", "no case has membership above 0.5")


def test_condition_with_every_case_in_the_set(capsys, tmp_path):
    # accepted: R calibrates it; the calibration notebook notes that the set does not vary in kind
    def edit(d):
        for col in ("contract_service_clauses", "contract_performance_clauses", "contract_data_clauses"):
            d[col] = (d[col].astype(float) + 13).clip(upper=30).map("{:g}".format)
        return d
    assert pipeline.validate(STUDY, data_file(tmp_path, edit), {})[0].name == "ppip"


# ---------------------------------------------------------------------- calibration

def test_anchors_not_strictly_monotone(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["measures"]["RISK"].update(anchors=[2.5, 5.5, 4.0]))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "measures.RISK.anchors", "strictly monotone")


def test_anchors_outside_codebook_range(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["measures"]["PUBLIC"].update(anchors=[20, 50.05, 120]))
    has(pipeline_error(capsys, tmp_path, "--study", study), "measures.PUBLIC.anchors", "outside the measure's range")


def test_anchor_outside_the_data(capsys, tmp_path):
    # accepted, as R accepts it (anchors are substantive); refused only when the study file asks
    study = study_file(tmp_path, lambda s: s["measures"]["MPV"].update(anchors=[50, 85.05, 99.9]))
    assert pipeline.validate(study, None, {})[0].measures["MPV"].anchors == (50, 85.05, 99.9)
    # the stand-in's fewest contract clauses (7.7 on average) lie above the exclusion anchor 5
    study = study_file(tmp_path, lambda s: s.update(strict={"anchors_outside_data": True}))
    has(pipeline_error(capsys, tmp_path, "--study", study), "measure CONTRACT", "exclusion anchor 5",
        "outside the observed range", "strict.anchors_outside_data")


def test_membership_exactly_one_half(capsys, tmp_path):
    # R warns and keeps the case (in no truth-table row); refused only when the study file asks
    from analysis.measures import build_measures
    from analysis.rawdata import load_raw
    from analysis.studyfile import load_study
    s = load_study(STUDY)
    value = float(build_measures(s, load_raw(s)).loc["H07", "NORMS"])
    study = study_file(tmp_path, lambda spec: spec["measures"]["NORMS"].update(anchors=[2.0, value, 6.5]))
    pipeline.validate(study, None, {}, log=sys.stderr)
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "H07" in err and "crossover" in err and "no truth-table row" in err
    study = study_file(tmp_path, lambda spec: spec["measures"]["NORMS"].update(anchors=[2.0, value, 6.5])
                       or spec.update(strict={"cases_on_crossover": True}))
    has(pipeline_error(capsys, tmp_path, "--study", study), "measure NORMS", "H07", "exactly 0.5",
        "strict.cases_on_crossover")


# ---------------------------------------------------------------------- the study file

def test_study_file_missing(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--study", tmp_path / "nope.yml"), "nope.yml", "study file not found")


def test_study_file_not_valid_yaml(capsys, tmp_path):
    path = text_file(tmp_path, "name: ppip\nconditions: [CONTRACT, NORMS\n", "study.yml")
    has(pipeline_error(capsys, tmp_path, "--study", path), "study.yml", "not valid YAML")


def test_study_file_not_a_mapping(capsys, tmp_path):
    path = text_file(tmp_path, "- CONTRACT\n- NORMS\n", "study.yml")
    has(pipeline_error(capsys, tmp_path, "--study", path), "study.yml", "mapping")


def test_study_unknown_field(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s.update(treshold={"incl_cut": 0.8}))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "treshold", "allowed")


def test_unknown_condition(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["conditions"].append("TRUST"))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "conditions", "TRUST")


def test_unknown_outcome(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s.update(outcomes=["MPV", "PVV"]))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "outcomes", "PVV")


def test_duplicate_condition_names(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["conditions"].append("NORMS"))
    has(pipeline_error(capsys, tmp_path, "--study", study), "conditions", "NORMS", "more than once")


def test_directional_expectation_for_unknown_condition(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["dir_exp"].update(TRUST=1))
    has(pipeline_error(capsys, tmp_path, "--study", study), "dir_exp.TRUST", "unknown condition")


def test_cut_off_outside_unit_interval_in_study(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["thresholds"].update(pri_cut=7))
    has(pipeline_error(capsys, tmp_path, "--study", study), "thresholds.pri_cut", "[0, 1]")


def test_malformed_claim(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["claims"][2]["check"].pop("outcome"))
    has(pipeline_error(capsys, tmp_path, "--study", study), "claims[2]", "norms-ppv", "missing: outcome")


def test_more_conditions_than_the_engine_handles(capsys, tmp_path):
    def edit(s):
        template = s["measures"]["CONTRACT"]
        for i in range(12):
            s["measures"][f"C{i}"] = dict(template, indicators=[f"c{i}"])
            s["conditions"].append(f"C{i}")
    study = study_file(tmp_path, edit)
    has(pipeline_error(capsys, tmp_path, "--study", study), "conditions", "17 conditions", "at most 16")
    header = ",".join(f"C{i}" for i in range(17))
    rows = "\n".join(f"c{j}," + ",".join("0.7" if (i + j) % 2 else "0.2" for i in range(17)) + ",0.9"
                     for j in range(4))
    data = text_file(tmp_path, f"case,{header},Y\n{rows}\n", "m.csv")
    has(cli_error(capsys, "--data", data, "--outcome", "Y"), "limited to 16 conditions")


# ---------------------------------------------------------------------- parameters

def test_unknown_parameter_in_set(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "inclcut=0.9"), "inclcut", "allowed", "incl_cut")


def test_parameter_not_a_number(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "incl_cut=0,85"), "incl_cut", "number", "'0,85'")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS, "m.csv"), "--outcome", "Y", "--incl-cut", "0,8x"),
        "incl")


def test_cut_off_outside_unit_interval_in_set(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "pri_cut=1.3"), "pri_cut", "[0, 1]", "1.3")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS, "m.csv"), "--outcome", "Y", "--pri-cut", "-0.2"),
        "pri_cut must lie in")


def test_n_cut_below_one(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "n_cut=0"), "n_cut", "at least 1")
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS, "m.csv"), "--outcome", "Y", "--n-cut", "0"),
        "n_cut must be")


def test_n_cut_fractional(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "n_cut=1.5"), "n_cut", "whole number")


def test_n_cut_above_number_of_cases(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "n_cut=37"), "n_cut = 37", "exceeds the number of cases (36)")


def test_no_truth_table_row_passes_the_cut_offs(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "n_cut=30"), "no truth-table row passes", "n_cut = 30",
        "lower the cut-offs")
    # the engine's command line answers as R does: the truth table, and why there is no solution
    weak = MEMBERSHIPS.replace("0.9,0.9", "0.9,0.6").replace("0.2,0.6", "0.2,0.3")
    assert qca.main(["--data", str(text_file(tmp_path, weak, "m.csv")), "--outcome", "Y", "--incl-cut", "0.95"]) == 0
    has(capsys.readouterr().out, "complex solution: undefined (no truth table row has OUT = 1")


def test_set_without_value(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "incl_cut"), "NAME=VALUE")


# ---------------------------------------------------------------------- raw data and output folder

@pytest.fixture
def guarded_study(tmp_path):
    """A study whose data sit in a raw/ folder with recorded checksums (as data/ppip/)."""
    folder = tmp_path / "study"
    (folder / "raw").mkdir(parents=True)
    shutil.copy(CSV, folder / "raw" / "cases.csv")
    spec = yaml.safe_load(STUDY.read_text())
    (folder / "study.yml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return folder / "study.yml"


def test_raw_data_changed_since_checksums_recorded(capsys, tmp_path, guarded_study):
    assert pipeline.main(["--study", str(guarded_study), "--record-checksums"]) == 0
    sums = (guarded_study.parent / "raw" / "SHA256SUMS").read_text()
    assert sums.endswith("  cases.csv\n") and len(sums.split()[0]) == 64
    capsys.readouterr()
    pipeline.validate(guarded_study, None, {})                # recorded: passes
    raw = guarded_study.parent / "raw" / "cases.csv"
    raw.write_text(raw.read_text().replace("H01,15,", "H01,16,"))
    line = pipeline_error(capsys, tmp_path, "--study", guarded_study)
    has(line, "cases.csv", "SHA-256", "differs", "SHA256SUMS", "git checkout", "--record-checksums")
    assert pipeline.main(["--study", str(guarded_study), "--record-checksums"]) == 0
    pipeline.validate(guarded_study, None, {})                # deliberately re-recorded: passes


def test_raw_folder_without_checksums(capsys, tmp_path, guarded_study):
    # a new study's raw folder has nothing recorded yet: a warning that says how to record, not a refusal
    pipeline.validate(guarded_study, None, {}, log=sys.stderr)
    err = capsys.readouterr().err
    has(err, "warning: ", "raw data folder without SHA256SUMS", f"--study {guarded_study} --record-checksums")


def test_output_folder_inside_raw_data(capsys, tmp_path):
    code = pipeline.main(["--study", "ppip", "--out", str(CSV.parent / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    has(err, "--out", "raw data folder", "nothing is ever written there")
    assert not (CSV.parent / "out").exists()


def test_output_folder_holding_the_inputs(capsys, tmp_path):
    code = pipeline.main(["--study", "ppip", "--out", str(STUDY.parent.parent)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    has(err, "--out", "study.yml", "choose a separate results folder")


def test_output_folder_with_unrelated_files(capsys, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_text("precious")
    code = pipeline.main(["--study", "ppip", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "does not hold the results of an earlier run" in err
    assert (out / "chapter1.docx").read_text() == "precious"


# ---------------------------------------------------------------------- real command lines

@pytest.mark.parametrize("kind", ["missing column", "constant condition", "unknown parameter", "bad yaml"])
def test_real_command_lines(tmp_path, kind):
    """The same refusals from real processes: exit 2, one line on stderr, nothing written."""
    if kind == "missing column":
        args, words = ["--data", data_file(tmp_path, lambda d: d.drop(columns="ppv_fairness"))], ["ppv_fairness"]
    elif kind == "constant condition":
        args = ["--data", data_file(tmp_path, lambda d: d.assign(norms_trust="4", norms_reciprocity="4",
                                                                  norms_solidarity="4"))]
        words = ["NORMS is constant"]
    elif kind == "unknown parameter":
        args, words = ["--set", "incl=0.9"], ["'incl'"]
    else:
        args, words = ["--study", text_file(tmp_path, "name: [\n", "study.yml")], ["not valid YAML"]
    study = [] if "--study" in map(str, args) else ["--study", "ppip"]
    proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", *study, *map(str, args), "--out", str(tmp_path / "o")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert not lines[0].startswith("error: unexpected"), lines[0]   # a bug, not bad input
    has(lines[0], *words)
    assert not (tmp_path / "o").exists()
    if kind == "missing column":  # the engine's command line refuses a raw file as memberships, too
        cli = subprocess.run([sys.executable, "-m", "analysis.qca", "--data", str(args[1]), "--outcome", "MPV"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert cli.returncode == 2 and cli.stderr.count("\n") == 1 and "MPV" in cli.stderr


# ---------------------------------------------------------------------- no silent wrong answer

def test_case_ids_are_read_as_written(tmp_path):
    # NA (Namibia's code), null, 001, 1 and 1.0 are five names: none is missing, none a number
    from analysis.rawdata import load_raw
    from analysis.report.tables import read_table, save_table
    from analysis.studyfile import load_study
    ids = ["NA", "null", "001", "1", "1.0"]

    def edit(d):
        d.loc[:4, "case"] = ids
        return d
    raw = load_raw(load_study(STUDY), data_file(tmp_path, edit))
    assert list(raw.index[:5]) == ids
    save_table(raw.iloc[:, :2], tmp_path / "run", "measures", index=True)
    assert list(read_table(tmp_path / "run", "measures", index="case").index[:5]) == ids


def test_a_trailing_comma_on_every_line_is_read_correctly(tmp_path):
    # some programs end every line with a comma: the data are the same, not shifted by a column
    from analysis.rawdata import load_raw
    from analysis.studyfile import load_study
    path = text_file(tmp_path, "".join(line + ",\n" for line in CSV.read_text().splitlines()))
    study = load_study(STUDY)
    pd.testing.assert_frame_equal(load_raw(study, path), load_raw(study))


def test_a_line_with_a_field_too_many_is_named(capsys, tmp_path):
    lines = CSV.read_text().splitlines()
    lines[5] += ",7"
    path = text_file(tmp_path, "\n".join(lines) + "\n")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "line 6 has more fields than the header")


def test_a_control_character_in_a_case_id(capsys, tmp_path):
    path = data_file(tmp_path, setcell(3, "case", "H\x0004"))
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", "line 5", "control character")


def test_more_cases_than_the_notebooks_are_made_for(capsys, tmp_path):
    from analysis.rawdata import MAX_CASES
    lines = CSV.read_text().splitlines()
    rows = [f"K{i}," + lines[1].split(",", 1)[1] for i in range(MAX_CASES + 1)]
    path = text_file(tmp_path, lines[0] + "\n" + "\n".join(rows) + "\n")
    has(pipeline_error(capsys, tmp_path, "--data", path), "cases.csv", f"more than {MAX_CASES} cases",
        "python -m analysis.qca")


@pytest.mark.parametrize("name", ["~RISK", "A*B", "D+E", "1RISK", "RISK LEVEL"])
def test_a_set_name_that_is_an_expression(capsys, tmp_path, name):
    # a condition '~RISK' would be printed as '~~RISK' and read as the absence of RISK
    def edit(s):
        s["measures"][name] = s["measures"].pop("RISK")
        s["conditions"] = [name if c == "RISK" else c for c in s["conditions"]]
        s["dir_exp"][name] = s["dir_exp"].pop("RISK")
        s["claims"] = []
    has(pipeline_error(capsys, tmp_path, "--study", study_file(tmp_path, edit)), "study.yml", f"measures.{name}",
        "cannot name a set")


def test_a_condition_named_like_the_case_column(capsys, tmp_path):
    def edit(s):
        s["measures"]["case"] = s["measures"].pop("RISK")
        s["conditions"] = ["case" if c == "RISK" else c for c in s["conditions"]]
        s["dir_exp"]["case"] = s["dir_exp"].pop("RISK")
        s["claims"] = []
    has(pipeline_error(capsys, tmp_path, "--study", study_file(tmp_path, edit)), "measures.case",
        "name of the case column")


def test_a_condition_named_like_a_truth_table_column(capsys, tmp_path):
    def edit(s):
        s["measures"]["OUT"] = s["measures"].pop("RISK")
        s["conditions"] = ["OUT" if c == "RISK" else c for c in s["conditions"]]
        s["dir_exp"]["OUT"] = s["dir_exp"].pop("RISK")
        s["claims"] = []
    has(pipeline_error(capsys, tmp_path, "--study", study_file(tmp_path, edit)), "study.yml", "conditions",
        "'OUT' has the name of a truth table column", "rename")


def test_the_engine_refuses_a_condition_named_like_a_truth_table_column(capsys, tmp_path):
    path = text_file(tmp_path, "case,A,n,Y\nc1,0.1,0.9,0.3\nc2,0.8,0.9,0.5\n", "m.csv")
    has(cli_error(capsys, "--data", path, "--outcome", "Y"), "m.csv", "condition 'n'", "truth table column")


def test_a_key_given_twice_in_the_study_file(capsys, tmp_path):
    text = STUDY.read_text().replace("  incl_cut: 0.8\n", "  incl_cut: 0.8\n  incl_cut: 0.95\n")
    path = text_file(tmp_path, text.replace("data: raw/cases.csv", f"data: {CSV}"), "study.yml")
    has(pipeline_error(capsys, tmp_path, "--study", path), "study.yml", "'incl_cut' is given twice", "keep one")


def test_a_threshold_outside_its_range_names_the_file_and_field(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["thresholds"].update(incl_cut=0.3))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "thresholds.incl_cut", "[0.5, 1]", "0.3")


def test_the_engine_names_the_file_of_a_membership_out_of_range(capsys, tmp_path):
    path = text_file(tmp_path, MEMBERSHIPS.replace("0.8,0.9", "0.8,1.9"), "m.csv")
    line = cli_error(capsys, "--data", path, "--outcome", "Y")
    has(line, "m.csv", "'B'", "c2", "outside [0, 1]")
    assert "data:" not in line


def test_unknown_options_are_one_line_with_the_nearest(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        pipeline.main(["--stdy", str(STUDY)])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --stdy" in err[0] and "did you mean --study?" in err[0]
