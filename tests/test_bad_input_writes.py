"""Nothing of the user's is ever written (analysis.guard), by any entry point: the pipeline, the
multiverse, the stand-in and --record-checksums.  Each refusal is one line ``error: ...`` and exit
status 2, and the user's files (a thesis.docx, a manifest.json, a SHA256SUMS, raw CSVs) are byte
for byte as before.  Output names are exact and unique; study names are plain folder names.

The entry points run in-process on a copy of the compendium's data in a temporary folder, and
``analysis.guard`` is pointed at that copy (its ``data/`` and a stand-in for its code), so that a
broken rule would write there, never into the real data/, results/ or code; the real places are
checked with the pure ``check_place``.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from analysis import guard
from analysis import pipeline
from analysis.errors import StudyError
from analysis.pipeline.multiverse_cli import main as multiverse
from analysis.pipeline.standin_cli import main as standin
from analysis.pipeline.studies import default_out
from analysis.runs import run_folder
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict:
    """Every path under ``folder`` with its bytes (None for a folder)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def one_error(capsys, code, *words) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "unexpected" not in lines[0] and "Traceback" not in err
    for w in words:
        assert w in lines[0], f"{w!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A copy of the compendium's studies (data/lipset, data/ppip, data/pss with their raw
    folders and SHA256SUMS) and a stand-in for its code, which analysis.guard guards."""
    root = tmp_path / "repo"
    for name in ("lipset", "ppip", "pss"):
        shutil.copytree(ROOT / "data" / name, root / "data" / name)
    (root / "analysis" / "qca").mkdir(parents=True)
    (root / "analysis" / "qca" / "engine.py").write_text("# the code\n")
    monkeypatch.setattr(guard, "ROOT", root)
    monkeypatch.setattr(guard, "DATA", root / "data")
    monkeypatch.setattr(guard, "CODE", (root / "analysis", root / "notebooks", root / "tests"))
    return root


@pytest.fixture
def user(tmp_path) -> Path:
    """A user's folder: a thesis, a manifest.json, a SHA256SUMS of their own and a raw CSV."""
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"PK\x03\x04 chapter one, precious")
    (folder / "manifest.json").write_text('{"mine": true}\n')
    return folder


def study(repo, name) -> str:
    return str(repo / "data" / name / "study.yml")


def lipset_multiverse(repo, out, *options) -> int:
    """The multiverse's command line on the copy of the Lipset study (a small sample)."""
    return multiverse(["--study", study(repo, "lipset"), "--size", "6", "--workers", "1", "--out", str(out), *options])


def earlier_results(tmp_path, name: str) -> Path:
    """The results folder of an earlier pipeline run of study ``name`` (marked as such)."""
    out = guard.mark(tmp_path / "results" / name, guard.PIPELINE, name)
    (out / "findings.json").write_text(f'{{"study": "{name}"}}\n')
    return out


def study_copy(tmp_path, study: str, **changes) -> Path:
    """A copy of the folder of ``study`` outside data/, its study file changed by ``changes``."""
    folder = tmp_path / f"copy-of-{study}"
    shutil.copytree(ROOT / "data" / study, folder)
    spec = yaml.safe_load((folder / "study.yml").read_text(encoding="utf-8"))
    spec.update(changes)
    (folder / "study.yml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder / "study.yml"


# ------------------------------------------------------------ the real places are guarded

@pytest.mark.parametrize("place", ["analysis/qca", "notebooks", "tests", ".", "data/lipset/raw", "data/lipset",
                                   "data/new-results"])
def test_the_real_data_and_code_are_guarded(place):
    with pytest.raises(StudyError) as e:
        guard.check_place(ROOT / place)
    assert "\n" not in str(e.value) and str((ROOT / place).resolve()) in str(e.value)


def test_results_are_not_guarded_as_code():
    assert guard.check_place(ROOT / "results" / "ppip") == (ROOT / "results" / "ppip").resolve()


# ------------------------------------------------------------ the multiverse

@pytest.mark.parametrize("place", ["data/lipset/raw", "data/lipset", "data/new", "analysis/qca", "analysis"])
def test_the_multiverse_writes_nothing_inside_data_or_the_code(capsys, repo, place):
    before = snapshot(repo)
    code = lipset_multiverse(repo, repo / place)
    one_error(capsys, code, str(repo / place))
    assert snapshot(repo) == before


@pytest.mark.parametrize("restart", [[], ["--restart"]], ids=["resume", "restart"])
def test_the_multiverse_refuses_a_users_folder_holding_a_manifest(capsys, repo, user, restart):
    before = snapshot(user)
    code = lipset_multiverse(repo, user, *restart)
    one_error(capsys, code, str(user), "manifest.json", "choose a new or empty folder")
    assert snapshot(user) == before


def test_the_multiverse_refuses_a_pipelines_folder(capsys, repo, tmp_path):
    out = earlier_results(tmp_path, "lipset")
    before = snapshot(out)
    code = lipset_multiverse(repo, out, "--restart")
    one_error(capsys, code, "python -m analysis.pipeline", "not the output of python -m analysis.multiverse")
    assert snapshot(out) == before


# ------------------------------------------------------------ the stand-in

def test_the_standin_never_overwrites_another_studys_raw_file(capsys, repo):
    before = snapshot(repo)
    code = standin(["--study", study(repo, "ppip"), "--out", str(repo / "data" / "pss" / "raw" / "cases.csv")])
    one_error(capsys, code, "pss/raw/cases.csv", "not the data file of study 'ppip'")
    assert snapshot(repo) == before


def test_the_standin_of_a_study_copy_pointing_at_another_studys_raw_file(capsys, repo, tmp_path):
    copy = study_copy(tmp_path, "ppip", data=str(repo / "data" / "pss" / "raw" / "cases.csv"))
    before = snapshot(repo)
    one_error(capsys, standin(["--study", str(copy)]), "pss/raw/cases.csv", "outside the study's folder")
    assert snapshot(repo) == before


def test_the_standin_rewrites_its_own_data_file_only_with_the_recorded_bytes(capsys, repo):
    raw = repo / "data" / "ppip" / "raw" / "cases.csv"
    recorded = raw.read_bytes()
    assert standin(["--study", study(repo, "ppip")]) == 0               # the same bytes: nothing written
    assert "unchanged" in capsys.readouterr().out and raw.read_bytes() == recorded
    raw.write_bytes(recorded.replace(b"H01,", b"H01x,"))               # damaged: restored to what is recorded
    assert standin(["--study", study(repo, "ppip")]) == 0
    assert raw.read_bytes() == recorded
    capsys.readouterr()
    spec = yaml.safe_load((repo / "data" / "ppip" / "study.yml").read_text())   # another seed: refused, unchanged
    spec["standin"]["seed"] += 1
    (repo / "data" / "ppip" / "study.yml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    before = snapshot(repo / "data" / "ppip" / "raw")
    one_error(capsys, standin(["--study", study(repo, "ppip")]), "SHA256SUMS records other bytes", "--out new.csv",
              "--record-checksums")
    assert snapshot(repo / "data" / "ppip" / "raw") == before


@pytest.mark.parametrize("target", ["thesis.docx", "manifest.json", "folder", "code"])
def test_the_standin_never_overwrites_a_users_file_or_the_code(capsys, repo, user, target):
    out = {"folder": user, "code": repo / "analysis" / "qca" / "engine.py"}.get(target, user / target)
    before, code_before = snapshot(user), snapshot(repo / "analysis")
    one_error(capsys, standin(["--study", study(repo, "ppip"), "--out", str(out)]), str(out))
    assert snapshot(user) == before and snapshot(repo / "analysis") == code_before


def test_the_standin_writes_a_new_file(capsys, repo, tmp_path):
    out = tmp_path / "new" / "cases.csv"
    assert standin(["--study", study(repo, "ppip"), "--out", str(out)]) == 0
    assert out.read_bytes() == (repo / "data" / "ppip" / "raw" / "cases.csv").read_bytes()


# ------------------------------------------------------------ --record-checksums

def test_checksums_are_never_recorded_next_to_a_data_file_elsewhere(capsys, repo, user):
    (user / "SHA256SUMS").write_text("0" * 64 + "  cases.csv\n")
    shutil.copy(repo / "data" / "ppip" / "raw" / "cases.csv", user / "cases.csv")
    before = snapshot(user)
    code = pipeline.main(["--study", study(repo, "ppip"), "--record-checksums", "--data", str(user / "cases.csv")])
    one_error(capsys, code, str(user / "cases.csv"), "own raw folder", "nothing was recorded")
    assert snapshot(user) == before


def test_checksums_of_a_study_copy_pointing_at_another_studys_raw_data(capsys, repo, tmp_path):
    copy = study_copy(tmp_path, "lipset", data=str(repo / "data" / "lipset" / "raw" / "LR.csv"))
    before = snapshot(repo)
    one_error(capsys, pipeline.main(["--study", str(copy), "--record-checksums"]), "own raw folder")
    assert snapshot(repo) == before


def test_checksums_are_recorded_in_the_studys_own_raw_folder(capsys, repo):
    raw = repo / "data" / "lipset" / "raw"
    recorded = (raw / "SHA256SUMS").read_bytes()
    (raw / "SHA256SUMS").unlink()
    assert pipeline.main(["--study", study(repo, "lipset"), "--record-checksums"]) == 0
    assert (raw / "SHA256SUMS").read_bytes() == recorded


# ------------------------------------------------------------ the pipeline

def test_the_pipeline_refuses_a_folder_holding_findings_and_a_thesis(capsys, repo, user):
    (user / "findings.json").write_text('{"claims_passed": 3}\n')
    before = snapshot(user)
    code = pipeline.main(["--study", study(repo, "lipset"), "--out", str(user)])
    one_error(capsys, code, str(user), "does not hold the results of an earlier run", "choose a new or empty folder")
    assert snapshot(user) == before


def test_a_study_is_never_written_into_another_studys_results(capsys, repo, tmp_path):
    other = earlier_results(tmp_path, "ppip")
    before = snapshot(other)
    code = pipeline.main(["--study", study(repo, "lipset"), "--out", str(other)])
    one_error(capsys, code, "study 'ppip'", "not the output of python -m analysis.pipeline for study 'lipset'")
    one_error(capsys, lipset_multiverse(repo, other), "study 'ppip'")
    assert snapshot(other) == before


@pytest.mark.parametrize("place", ["data/lipset/raw", "data/lipset", "data/new", "analysis/qca", "."])
def test_the_pipeline_writes_nothing_inside_data_or_the_code(capsys, repo, place):
    before = snapshot(repo)
    one_error(capsys, pipeline.main(["--study", study(repo, "lipset"), "--out", str(repo / place)]))
    assert snapshot(repo) == before


def test_every_study_into_a_users_folder_is_refused(capsys, user):
    before = snapshot(user)
    one_error(capsys, pipeline.main(["--out", str(user)]), "thesis", "choose a new or empty folder")
    assert snapshot(user) == before


def test_a_marker_that_is_not_one_is_refused(capsys, repo, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / guard.MARKER).write_text("mine\n")
    (out / "notes.txt").write_text("notes\n")
    before = snapshot(out)
    one_error(capsys, pipeline.main(["--study", study(repo, "lipset"), "--out", str(out)]), guard.MARKER)
    assert snapshot(out) == before


def _one_notebook(folder: Path) -> Path:
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("study = None\nout = None\ndata = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('from pathlib import Path\nPath(out, "ran.txt").write_text("ran")')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01_step.ipynb")
    return folder


@pytest.mark.slow                     # starts a notebook kernel twice
def test_a_runs_own_folder_is_marked_and_replaced_by_the_next_run(tmp_path):
    books, out = _one_notebook(tmp_path / "books"), tmp_path / "out"
    cmd = [sys.executable, "-m", "analysis.pipeline", "--study", "lipset", "--notebooks", str(books), "--out", str(out)]
    for _ in range(2):                   # the second run replaces the folder the first one marked
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        marker = json.loads((out / guard.MARKER).read_text())     # sealed: the run's files listed
        assert marker == {"by": guard.PIPELINE, "study": "lipset", "files": guard._files(out)}
        assert "ran.txt" in marker["files"] and (out / "ran.txt").read_text() == "ran"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books", "out"]


# ------------------------------------------------------------ output names and study names

def test_output_names_are_exact_and_unique():
    assert default_out("ppip", {"incl_cut": 0.8500004}, None) != default_out("ppip", {"incl_cut": 0.85}, None)
    assert default_out("ppip", {}, "a/cases.csv") != default_out("ppip", {}, "b/cases.csv")
    assert run_folder("ppip", {"incl_cut": 0.9}, None, "results", kind="multiverse").name == \
        "ppip-multiverse-incl_cut=0.9"
    odd = run_folder("ppip", {}, "a/\u202ecases\u200b.csv", "results").name     # a stem that is not plain: its digest
    assert odd.startswith("ppip-data=") and odd.isascii() and "cases" not in odd
    long = run_folder("p" * 100, {"n_cut": 10 ** 300}, None, "results").name
    assert len(long) <= 200 and long != run_folder("p" * 100, {"n_cut": 10 ** 300 + 1}, None, "results").name


def test_the_multiverses_default_folder_names_what_it_changes(capsys, tmp_path, monkeypatch):
    seen = []

    def stop(study, measures, parameters, out, **options):     # the folder it was given, then stop
        seen.append(Path(out))
        raise StudyError("stopped by the test")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("analysis.pipeline.multiverse_cli.run_multiverse", stop)
    for args in ([], ["--set", "incl_cut=0.8500004"], ["--set", "incl_cut=0.85"], ["--size", "7"]):
        assert multiverse(["--study", "lipset", *args]) == 2
        assert "stopped by the test" in capsys.readouterr().err
    assert [p.name for p in seen] == ["lipset-multiverse", "lipset-multiverse-incl_cut=0.8500004",
                                      "lipset-multiverse-incl_cut=0.85", "lipset-multiverse-size=7"]
    assert all(json.loads((tmp_path / p / guard.MARKER).read_text()) == {"by": guard.MULTIVERSE, "study": "lipset"}
               for p in seen)


@pytest.mark.parametrize("name, words", [
    ("../../x", "'/'"), ("a/b", "'/'"), ("a\\b", "'\\\\'"), ("..", "names a folder above it"),
    ("x\u200by", "U+200B"), ("x\u202ey", "U+202E"), ("x\u2066y", "U+2066"), ("x\u3164y", "U+3164"),
    ("x\ufe0fy", "U+FE0F"), ("x\ty", "U+0009"), (".hidden", "hidden folder"), ("x" * 101, "at most 100"),
])
def test_a_study_name_is_a_plain_folder_name(tmp_path, name, words):
    path = study_copy(tmp_path, "lipset", name=name)
    with pytest.raises(StudyError) as e:
        load_study(path)
    assert "\n" not in str(e.value) and "name" in str(e.value) and words in str(e.value)


def test_a_study_name_typed_two_ways_is_one_folder(tmp_path):
    path = study_copy(tmp_path, "lipset", name="cafe\u0301")
    assert load_study(path).name == "caf\u00e9"
