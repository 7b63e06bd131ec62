"""The bad-input catalogue (see test_bad_input_data.py): a run's parameters and options, its raw
data folder and output folder, and the same refusals from real command lines.
"""
import shutil
import subprocess
import sys

import pytest
import yaml

from analysis import pipeline
from analysis.qca import __main__ as qca
from conftest import CSV, MEMBERSHIPS, ROOT, STUDY, cli_error, data_file, has, pipeline_error, text_file


# ------------------------------------------------------------ parameters

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


def test_unknown_options_are_one_line_with_the_nearest(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        pipeline.main(["--stdy", str(STUDY)])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --stdy" in err[0] and "did you mean --study?" in err[0]


# -------------------------------------------- raw data and output folder

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


# ---------------------------------------------------- real command lines

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
