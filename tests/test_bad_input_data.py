"""The bad-input catalogue: every kind of input the compendium cannot analyse is refused before any
notebook runs, with one line ``error: ...`` naming the file, column, case or parameter and what to
do, and exit status 2 -- from the pipeline (``python -m analysis.pipeline``) and, where the kind
applies to a membership file, from the engine's command line (``python -m analysis.qca``).

Most cases call the pipeline's ``main`` in-process: validation fails before papermill starts, so
each costs milliseconds.  ``test_real_command_lines`` runs a few of them as real subprocesses.
(Further study-file checks are in test_studyfile.py, further engine command line checks in test_qca_cli.py.)

This file: the data file, and data read without a silent wrong answer.  The study file and the
calibration are in test_bad_input_study.py, parameters, folders and real command lines in
test_bad_input_run.py; the helpers (``pipeline_error``, ``cli_error``, ...) in conftest.py.
"""
import sys

import pandas as pd

from analysis import pipeline
from analysis.qca import __main__ as qca
from conftest import CSV, MEMBERSHIPS, STUDY, cli_error, data_file, has, pipeline_error, setcell, text_file


# --------------------------------------------------------- the data file

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


# ------------------------------------------------ no silent wrong answer

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


def test_the_engine_names_the_file_of_a_membership_out_of_range(capsys, tmp_path):
    path = text_file(tmp_path, MEMBERSHIPS.replace("0.8,0.9", "0.8,1.9"), "m.csv")
    line = cli_error(capsys, "--data", path, "--outcome", "Y")
    has(line, "m.csv", "'B'", "c2", "outside [0, 1]")
    assert "data:" not in line
