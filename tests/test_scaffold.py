"""A study of your own from one file (``python -m analysis.pipeline --new``): the study file's
codebook from the columns, the raw copy and its checksums, the kinds from the values, the
refusals; scaffolded from a published table of memberships (Emmenegger's d.Emm) and from crisp
data (Krook), the studies run at once and their solutions equal R's QCA; with them added as
further studies (in a copy of data/, never in data/ itself), the study tests pass."""
import io
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import pipeline
from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.pipeline.checksums import verify_checksums
from analysis.pipeline.scaffold import PROPOSAL, propose, scaffold
from analysis.pipeline.studies import ENVIRONMENT, study_file, study_files
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

from conftest import REF, ROOT, RUNS, assert_solution_equal, assert_truth_table_and_necessity_equal

FIX = REF / "calibration_kinds"
EMME, KROOK = FIX / "emme.csv", FIX / "krook.csv"
LR = REF / "datasets" / "LR.csv"
BY_HAND = "test_a_notebook_run_by_hand_with_changed_parameters_writes_its_own_folder"     # tests/test_notebooks.py


@pytest.fixture
def studies(tmp_path, monkeypatch):
    """An empty folder of studies, named by COMPENDIUM_STUDIES (so data/ is never written)."""
    folder = tmp_path / "studies"
    folder.mkdir()
    monkeypatch.setenv(ENVIRONMENT, str(folder))
    return folder


def new(capsys, *args) -> tuple:
    code = pipeline.main(["--new", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.err


def refused(capsys, folder, *args) -> str:
    """Exit 2, one line 'error: ...', and nothing written into the studies' folder."""
    before = sorted(p.name for p in folder.iterdir())
    code, err = new(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    assert "unexpected" not in lines[0] and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == before        # no study, no hidden work folder left
    return lines[0]


def test_a_published_table_becomes_a_study_of_calibrated_sets(studies, capsys):
    code, err = new(capsys, "emme", "--data", EMME)
    assert code == 0, err
    path = study_file("emme")
    assert path == studies / "emme" / "study.yml" and [p.parent.name for p in study_files()] == ["emme"]
    study = load_study(path)
    assert study.case_id == "case" and study.outcomes == ["JSR"] and study.conditions == list("SCLRPV")
    assert {c.kind for c in study.calibrations.values()} == {"calibrated"} and study.anchors == {}
    assert (studies / "emme" / "raw" / "emme.csv").read_bytes() == EMME.read_bytes()
    assert verify_checksums(study.data_path) == studies / "emme" / "raw" / "SHA256SUMS"
    calibrated = calibrate_measures(build_measures(study, load_raw(study)), study.calibrations)
    published = pd.read_csv(EMME, index_col="case")
    assert np.array_equal(calibrated.to_numpy(), published[calibrated.columns].to_numpy())   # exactly as given
    text = path.read_text()
    for words in ("kind calibrated: memberships already calibrated", "used exactly as given", "R's defaults pri_cut 0",
                  "PROPOSED FROM", "a case exactly on a", "multivalue", "indirect"):
        assert words in text, words
    assert "emme" in (studies / "emme" / "README.md").read_text() and "warning" not in err
    assert "run it with: python -m analysis.pipeline --study emme" in err


def test_crisp_columns_become_crisp_sets_and_raw_ones_get_proposed_anchors(studies, capsys):
    code, err = new(capsys, "krook", "--data", KROOK, "--outcome", "WNP", "--conditions", "ES,QU,WS")
    assert code == 0, err
    study = load_study(study_file("krook"))
    assert study.conditions == ["ES", "QU", "WS"] and {c.kind for c in study.calibrations.values()} == {"crisp"}
    code, err = new(capsys, "lipset_raw", "--data", LR, "--outcome", "SURV")
    assert code == 0, err
    study = load_study(study_file("lipset_raw"))
    assert all(c.kind == "direct" and c.proposed == PROPOSAL for c in study.calibrations.values())
    warned = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warned) == 1 and "DEV, URB, LIT, IND, STB, SURV: anchors proposed from the data" in warned[0]
    # the run warns the same one line, until every proposed measure has a reason
    log = io.StringIO()
    pipeline.validate(study.path, None, {}, log=log)
    assert sum("anchors proposed from the data" in line for line in log.getvalue().splitlines()) == 1
    spec = yaml.safe_load(study.path.read_text())
    for m in spec["measures"].values():
        m["anchor_reason"] = "Substantive."
    study.path.write_text(yaml.safe_dump(spec, sort_keys=False))
    log = io.StringIO()
    pipeline.validate(study.path, None, {}, log=log)
    assert "proposed" not in log.getvalue()


def test_proposed_anchors_are_monotone_and_no_case_sits_on_the_crossover():
    rng = np.random.default_rng(3)
    for x in (rng.integers(1, 11, 25).astype(float), rng.normal(50, 10, 40).round(1), np.array([3.0, 5, 7, 9, 11]),
              np.array([2.0, 2, 2, 2, 9]), np.array([1.0, 5, 5, 5, 5]), rng.exponential(3, 31).round(2) + 1.5):
        p = propose(x)
        e, c, i = p["anchors"]
        assert p["kind"] == "direct" and e < c < i and p["range"][0] <= e and i <= p["range"][1], x
        assert not (x == c).any(), x
    assert propose([3.0, 5, 7, 9, 11])["anchors"] == [3.4, 8.0, 10.6]        # median 7 lies on a case: halfway to 9
    assert propose([0, 1, 1])["kind"] == "crisp" and propose([0, 0.5, 1])["kind"] == "calibrated"


def write(tmp_path, text, name="cases.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("args, fragment", [
    (["../up", "--data", EMME], "not a plain study name"),
    ([".hidden", "--data", EMME], "not a plain study name"),
    (["a/b", "--data", EMME], "not a plain study name"),
    (["s.yml", "--data", EMME], "not a plain study name"),
    (["fine"], "give the data file with --data"),
    (["fine", "--data", EMME, "--study", "lipset"], "leave out --study"),
    (["fine", "--data", EMME, "--set", "incl_cut=0.9"], "leave out --set"),
    (["fine", "--data", EMME, "--outcome", "XYZ"], "'XYZ' not a column"),
    (["fine", "--data", EMME, "--outcome", "JSR", "--conditions", "S,JSR"], "both name JSR"),
    (["fine", "--data", EMME, "--conditions", "S,S"], "names a column twice"),
    (["fine", "--data", "nope.csv"], "nope.csv"),
])
def test_bad_options_are_refused_in_one_line_writing_nothing(studies, capsys, args, fragment):
    assert fragment in refused(capsys, studies, *args)


@pytest.mark.parametrize("content, fragment", [
    ("case,A,Y\nc1,0.2,0.3\nc2,,0.9\n", "missing values in column(s) A"),
    ("case,A,Y\nc1,0.2,0.3\nc1,0.4,0.9\n", "c1"),
    ("case,A,Y\nc1,0.2,0.3\nc2,high,0.9\n", "'high' is not a number"),
    ("case,,Y\nc1,0.2,0.3\nc2,0.4,0.9\n", "column 2 of the header has no name"),
    ("case,A\nc1,0.2\nc2,0.4\n", "at least two columns"),
    ("case,A,B C,Y\nc1,0.2,1,0.3\nc2,0.4,2,0.9\n", "column 'B C' cannot name a set"),
    ("case,A,Y\nc1,5,0.3\nc2,5,0.9\n", "constant"),
    ("case,A,Y\nc1,inf,0.3\nc2,5,0.9\n", "infinite"),
])
def test_a_file_the_pipeline_would_refuse_is_refused(studies, tmp_path, capsys, content, fragment):
    assert fragment in refused(capsys, studies, "fine", "--data", write(tmp_path, content))


def test_numbers_of_any_size_are_written_as_numbers(studies, tmp_path, capsys):
    """YAML 1.1 reads 1e+308 as a text: the study file writes 1.0e+308, and the study loads."""
    code, err = new(capsys, "tiny", "--data", write(tmp_path, "case,A,Y\nc1,1e-9,0.3\nc2,3e-7,0.9\nc3,2,0.1\n"
                                                                 "c4,1e308,0.7\n"))
    assert code == 0, err
    study = load_study(study_file("tiny"))
    assert study.measures["A"].range == (1e-9, 1e308) and "range: [1.0e-09, 1.0e+308]" in study.path.read_text()


def test_an_existing_study_is_never_replaced(studies, tmp_path, capsys):
    (studies / "taken").mkdir()
    (studies / "taken" / "mine.txt").write_text("the user's")
    assert "exists; choose another name" in refused(capsys, studies, "taken", "--data", EMME)
    assert (studies / "taken" / "mine.txt").read_text() == "the user's"
    code, _ = new(capsys, "emme", "--data", EMME)
    assert code == 0 and "exists" in refused(capsys, studies, "emme", "--data", KROOK)
    assert (studies / "emme" / "raw" / "emme.csv").read_bytes() == EMME.read_bytes()


def test_too_many_conditions_are_refused_before_anything_is_written(studies, tmp_path, capsys):
    header = ",".join(f"C{i}" for i in range(18))
    rows = "\n".join(f"c{j}," + ",".join(str((i * j) % 7 / 7) for i in range(18)) for j in range(6))
    assert "18 conditions" in refused(capsys, studies, "wide", "--data", write(tmp_path, f"case,{header},Y\n" + "\n".join(
        r + ",0.5" for r in rows.splitlines()) + "\n"))


def test_options_that_need_new_are_refused(studies, capsys):
    code = pipeline.main(["--outcome", "JSR", "--data", str(EMME)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: --outcome and --conditions go with --new NAME")


# ---------------------------------------------------------------------- run at once, equal to R

@pytest.fixture(scope="module")
def with_new_studies(tmp_path_factory):
    """A copy of data/ with further studies added by their files alone (data/ itself is never
    written): the two the scaffold writes, and the test study clinics, written by hand."""
    folder = tmp_path_factory.mktemp("studies") / "data"
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns(".*"))
    for name, csv in (("emme", EMME), ("krook", KROOK)):
        scaffold(name, csv, folder=folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / "studies" / "clinics", folder / "clinics")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name, outcome", [("emme", "JSR"), ("krook", "WNP")])
def test_a_scaffolded_study_runs_at_once_and_equals_r(with_new_studies, study_runs, name, outcome):
    out = study_runs(with_new_studies / name / "study.yml")     # the nested session below reuses it
    for analysis in (outcome, "not" + outcome):
        got = json.loads((out / "solutions" / f"{analysis}.json").read_text())
        ref = json.loads((FIX / f"{name}_{analysis}.json").read_text())
        assert_truth_table_and_necessity_equal(ref, got)
        for kind in ("complex", "parsimonious"):
            assert_solution_equal(ref["solutions"][kind], got["solutions"][kind])
        # every expectation "-": R 3.25.1 misreports that block's fit (tests/fixtures/reference/studies/README.md)
        assert_solution_equal(ref["solutions"]["intermediate"], got["solutions"]["intermediate"], fits=False)
    findings = json.loads((out / "findings.json").read_text())
    assert findings["synthetic"] is False and set(findings["solutions"]) == {outcome, "not" + outcome}


@pytest.mark.slow
@pytest.mark.after_the_runs
def test_the_study_tests_pass_with_the_new_studies_added(with_new_studies, study_runs):
    """The reviewer's check: new studies left in the studies' folder while the study tests run.
    The nested session reuses this session's default runs of studies with the same content
    (conftest.study_runs: every study here is a copy of one the session runs anyway)."""
    assert {"clinics", "emme", "krook", "lipset", "ppip", "pss"} <= {p.parent.name for p in study_files(with_new_studies)}
    # Less one test that names its study (lipset) and reads no other: this session runs it on the
    # same code path, and here it would only run notebook 04 of the same data once more.
    proc = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests/test_studies.py",
                           "tests/test_notebooks.py", "--deselect", f"tests/test_notebooks.py::{BY_HAND}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=3000,
                          env={**os.environ, ENVIRONMENT: str(with_new_studies), RUNS: str(study_runs.folder)})
    failures = proc.stdout[proc.stdout.find("= FAILURES ="):][:3000]          # the first failure's own lines
    assert proc.returncode == 0, failures + "\n...\n" + proc.stdout[-1500:]
    for name in ("clinics", "emme", "krook"):           # the tests over every study ran over the new ones
        assert f"test_every_study_runs_through_the_notebooks[{name}] PASSED" in proc.stdout
    # the whole regeneration over all six studies: this session leaves it to the nested one (conftest.AT_ONCE)
    assert "test_studies.py::test_every_study_at_once_under_one_folder PASSED" in proc.stdout
    assert BY_HAND not in proc.stdout and "test_no_code_cell_names_a_studys_sets[04_sufficiency] PASSED" in proc.stdout


def test_a_multiverse_of_one_specification_says_so_and_why(studies, tmp_path, capsys):
    from analysis.multiverse import run_multiverse
    from analysis.multiverse.settings import ONE_SPECIFICATION
    assert new(capsys, "emme", "--data", EMME)[0] == 0
    path = study_file("emme")
    text = path.read_text()
    path.write_text(text[:text.index("# one specification per choice")] + "multiverse:\n  size: 50\n")
    study = load_study(path)
    measures = build_measures(study, load_raw(study))
    M = run_multiverse(study, measures, study.thresholds, tmp_path / "mv", workers=1, progress=False)
    assert M.manifest["grid_size"] == 1 and M.description == ONE_SPECIFICATION
    assert "names no second value for any choice" in M.description and "size alone" in M.description
    path.write_text(text)                                    # the scaffold's own section: three cut-offs
    study = load_study(path)
    M = run_multiverse(study, measures, study.thresholds, tmp_path / "mv3", workers=1, progress=False)
    assert M.manifest["grid_size"] == 3 and M.description.startswith("all 3 specifications")


def test_a_table_written_by_r_with_its_row_names_is_scaffolded(studies, capsys, tmp_path):
    # R's write.csv(NF) (row.names = TRUE): the first header field is empty, the row names are the cases
    emme = pd.read_csv(EMME, dtype=str)
    written = tmp_path / "from_r.csv"
    body = emme.rename(columns={emme.columns[0]: ""})
    written.write_text(body.to_csv(index=False, quoting=1), encoding="utf-8")
    assert written.read_text(encoding="utf-8").startswith('"",')
    code, err = new(capsys, "fromr", "--data", written, "--outcome", emme.columns[-1])
    assert code == 0, err
    study = load_study(study_file("fromr"))
    raw = load_raw(study)
    assert list(raw.index) == list(emme[emme.columns[0]])
    assert emme.columns[-1] in study.outcomes
