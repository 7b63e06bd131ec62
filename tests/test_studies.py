"""The compendium's studies: every study found in the studies' folder (data/, or
$COMPENDIUM_STUDIES) loads and runs through the notebooks with every output, one command runs
them all; Lipset's published data regenerate the published table and solutions (held against R's
QCA) and PSS runs through the same notebooks.  Nothing here lists the studies: a study added by
files is tested with the others (tests/test_scaffold.py adds two)."""
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from analysis.errors import StudyError
from analysis.pipeline.studies import default_out, studies_folder, study_file, study_files
from analysis.studyfile import load_study

from analysis.report.findings_text import summary_markdown

from conftest import REF, ROOT, assert_solution_equal, assert_truth_table_and_necessity_equal, readme_findings

pytestmark = pytest.mark.slow      # runs whole studies (make test runs it; -m 'not slow' skips it)


@pytest.fixture(scope="module")
def lipset(study_runs):
    return study_runs("lipset")


@pytest.fixture(scope="module")
def pss(study_runs):
    return study_runs("pss")


NAMES = [p.parent.name for p in study_files()]        # found, never listed


def test_every_study_is_found_and_loads():
    folder = studies_folder()
    assert NAMES == sorted(p.name for p in folder.iterdir() if (p / "study.yml").is_file() and p.name[0] != ".")
    for name in NAMES:
        assert study_file(name) == folder / name / "study.yml"
        assert load_study(study_file(name)).name == name
    with pytest.raises(StudyError, match=re.escape(f"no study named '{NAMES[0]}x'") + ".*" + re.escape(", ".join(NAMES))):
        study_file(NAMES[0] + "x")


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xdist_group(n)) for n in NAMES])
def test_every_study_runs_through_the_notebooks(study_runs, name):
    """Any valid study: a default run writes the memberships of every set, one solution file per
    analysis (each outcome and its negation), the findings, and says whether its data are a stand-in."""
    study = load_study(study_file(name))
    out = study_runs(name)
    calibrated = pd.read_csv(out / "tables" / "calibrated.csv", index_col="case")
    assert list(calibrated.columns) == study.sets + list(study.joint)
    f = json.loads((out / "findings.json").read_text())
    assert f["synthetic"] is study.synthetic and ("SYNTHETIC" in (out / "findings.md").read_text()) is study.synthetic
    for outcome in study.analysed_outcomes:
        for analysis in (outcome, "not" + outcome):
            assert (out / "solutions" / f"{analysis}.json").is_file(), analysis
    assert [c["id"] for c in f["claims"]] == [c["id"] for c in study.claims]


def test_changed_runs_get_their_own_folder():
    assert str(default_out("ppip", {}, None)) == "results/ppip"
    assert str(default_out("ppip", {"incl_cut": 0.85, "n_cut": 2}, None)) == "results/ppip-incl_cut=0.85-n_cut=2"
    # exact values and a digest of another data file: two different runs never share a folder
    assert default_out("ppip", {"incl_cut": 0.8500004}, None) != default_out("ppip", {"incl_cut": 0.85}, None)
    a, b = default_out("ppip", {}, "a/cases.csv"), default_out("ppip", {}, "b/cases.csv")
    assert a != b and a.name.startswith("ppip-data=cases-") and b.name.startswith("ppip-data=cases-")


@pytest.mark.xdist_group("lipset")
def test_lipset_regenerates_the_published_fuzzy_table(lipset):
    calibrated = pd.read_csv(lipset / "tables" / "calibrated.csv", index_col="case")
    published = pd.read_csv(study_file("lipset").parent / "published" / "LF.csv", index_col="case")
    pd.testing.assert_frame_equal(calibrated[published.columns], published, check_exact=False, atol=1e-9)


@pytest.mark.xdist_group("lipset")
@pytest.mark.parametrize("analysis, reference", [("SURV", "LF_SURV")])
def test_lipset_solutions_equal_r_on_the_published_table(lipset, analysis, reference):
    ref = json.loads((REF / "qca" / f"{reference}.json").read_text())
    got = json.loads((lipset / "solutions" / f"{analysis}.json").read_text())
    assert_truth_table_and_necessity_equal(ref, got)
    for kind in ("complex", "parsimonious", "intermediate"):
        assert_solution_equal(ref["solutions"][kind], got["solutions"][kind])


@pytest.mark.xdist_group("lipset")
def test_lipset_ledger_shows_the_published_results(lipset):
    f = json.loads((lipset / "findings.json").read_text())
    assert f["synthetic"] is False and "SYNTHETIC" not in (lipset / "findings.md").read_text()
    status = {c["id"]: c["status"] for c in f["claims"]}
    assert status == {"calibration-lf": "pass", "complex-surv": "pass", "parsimonious-surv": "pass",
                      "intermediate-surv": "pass", "development-core": "pass", "stability-everywhere": "pass"}


@pytest.mark.xdist_group("pss")
def test_pss_runs_through_the_same_notebooks_with_every_output(pss):
    """Three measured outcomes and their intersection VALUE, each with its negation, all through
    the same notebooks; every claim judged and labelled as the compendium's reading (the stand-in
    decides which hold: this test pins no verdict)."""
    f = json.loads((pss / "findings.json").read_text())
    assert f["synthetic"] is True and "SYNTHETIC" in (pss / "findings.md").read_text()
    assert f["joint_outcomes"] == {"VALUE": "ECON*SOC*ENV"}
    study = load_study(study_file("pss"))
    assert [c["id"] for c in f["claims"]] == [c["id"] for c in study.claims]
    assert {c["status"] for c in f["claims"]} <= {"pass", "fail"}
    assert {c["basis"] for c in f["claims"]} == {"interpretation"}
    assert all(c.get("reading") for c in f["claims"])
    for name in ("ECON", "SOC", "ENV", "VALUE"):
        for analysis in (name, "not" + name):
            solved = not json.loads((pss / "solutions" / f"{analysis}.json").read_text()).get("error")
            assert (pss / "figures" / f"configurations_{analysis}.png").is_file() == solved, analysis
            assert (pss / "robustness" / f"{analysis}_fit.json").is_file()
    for figure in ("calibration", "configurations", "robustness_ranges", "robustness_xy"):
        assert (pss / "figures" / f"{figure}.png").is_file(), figure


def test_every_study_at_once_under_one_folder(tmp_path):
    """The whole regeneration: every study side by side, each in its own folder, one summary line.
    (Run with one tiny notebook so that the test checks the runner, not the studies again.)  A
    session that runs test_scaffold's nested session leaves this test to it, where it runs over
    these studies and three more (conftest.pytest_collection_modifyitems)."""
    books = tmp_path / "books"
    books.mkdir()
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('study = None\nout = None\ndata = None', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell('from pathlib import Path\nPath(out, "ran.txt").write_text(study)')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, books / "01_step.ipynb")
    proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--notebooks", str(books), "--out",
                           str(tmp_path / "all")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in NAMES:
        assert (tmp_path / "all" / name / "ran.txt").read_text().endswith(f"{name}/study.yml")
        assert f"{name}: results written to" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"{len(NAMES)} of {len(NAMES)} studies regenerated under")


@pytest.mark.parametrize("name", ["lipset", "pss"])
def test_the_readme_shows_what_a_fresh_run_finds(request, name):
    out = request.getfixturevalue(name)
    fresh = summary_markdown(json.loads((out / "findings.json").read_text()))
    assert readme_findings(name) == fresh, f"README.md's findings of {name} are out of date; paste:\n{fresh}"
