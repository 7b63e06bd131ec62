"""A study's name is its own: a copy of a study file that keeps another study's name is refused
before its run could replace that study's results (``analysis.pipeline.studies.study_name``)."""
import shutil
from pathlib import Path

import pytest

from analysis import pipeline
from analysis.errors import StudyError
from analysis.pipeline import multiverse_cli
from analysis.pipeline.studies import ENVIRONMENT, study_name
from conftest import pipeline_error

ROOT = Path(__file__).resolve().parent.parent


def _copy(folder: Path, study: str = "pss") -> Path:
    shutil.copytree(ROOT / "data" / study, folder)
    return folder / "study.yml"


def _error(capsys, main, argv) -> str:
    code = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def test_a_copy_keeping_another_studys_name_is_refused_before_anything_is_written(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # the default results/ of a run would be made here
    path = _copy(tmp_path / "mine")             # name: pss, as data/pss/study.yml
    line = _error(capsys, pipeline.main, ["--study", str(path)])
    assert "name: 'pss' is the name of the study" in line and str(ROOT / "data" / "pss" / "study.yml") in line
    assert "give this study a name of its own" in line
    line = _error(capsys, multiverse_cli.main, ["--study", str(path), "--size", "2"])
    assert "name: 'pss' is the name of the study" in line
    assert not (ROOT / "results" / "pss-multiverse-size=2").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_study_of_the_studies_folder_is_named_as_its_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path))
    _copy(tmp_path / "pss")
    path = _copy(tmp_path / "mine")             # a second study named pss: its run would go to <out>/pss
    with pytest.raises(StudyError, match=r"name: 'pss' differs from its folder's name \('mine'\).*write name: mine"):
        study_name(path)
    line = _error(capsys, pipeline.main, ["--out", str(tmp_path / "out")])
    assert "differs from its folder's name ('mine')" in line
    assert not (tmp_path / "out").exists()
    path.write_text(path.read_text(encoding="utf-8").replace("\nname: pss\n", "\nname: mine\n"), encoding="utf-8")
    assert study_name(path) == "mine" and study_name(tmp_path / "pss" / "study.yml") == "pss"


def test_an_explicit_output_folder_takes_a_copy_of_any_name(capsys, tmp_path):
    """With --out the run's folder is the user's choice: an altered copy of a study keeps its
    name (the bad-input tests run such copies) and goes on to be checked as any study is."""
    path = _copy(tmp_path / "mine", "ppip")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nstrict:\n  anchors_outside_data: true\n", encoding="utf-8")
    line = pipeline_error(capsys, tmp_path, "--study", path)      # --out tmp_path/out
    assert "measure CONTRACT" in line and "strict.anchors_outside_data" in line
    with pytest.raises(StudyError):
        study_name(path)                       # only the default folder needs a name of its own
