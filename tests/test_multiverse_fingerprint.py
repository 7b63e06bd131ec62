"""The multiverse's fingerprint names what the results depend on, not where the compendium lies.

Lipset's study has a ``memberships`` claim whose ``reference`` (published/LF.csv) the study file's
reading makes absolute.  The manifest's ``inputs`` hashed that absolute path, so the same study in
another folder (a fresh clone) wrote another manifest and other chunk metadata.  The fingerprint now
reads the reference by its file name and contents.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from analysis.measures import build_measures
from analysis.multiverse import universe as U
from analysis.multiverse.store import fingerprint
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]


def _fingerprint(folder: Path) -> str:
    study = load_study(folder / "study.yml")
    return fingerprint(U.prepare(study, build_measures(study, load_raw(study)), study.thresholds))


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name / "lipset"
    shutil.copytree(ROOT / "data" / "lipset", target)
    return target


def test_the_same_study_in_two_folders_has_one_fingerprint(tmp_path):
    study = load_study(_copy(tmp_path, "a") / "study.yml")
    references = [c["check"]["reference"] for c in study.claims if "reference" in c.get("check", {})]
    assert references and all(str(tmp_path / "a") in r for r in references)   # the case this is about
    assert _fingerprint(tmp_path / "a" / "lipset") == _fingerprint(_copy(tmp_path, "b"))


def test_another_reference_file_changes_the_fingerprint(tmp_path):
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    published = b / "published" / "LF.csv"
    published.chmod(0o644)
    published.write_text(published.read_text().replace("0.81", "0.82", 1))
    assert _fingerprint(a) != _fingerprint(b)
