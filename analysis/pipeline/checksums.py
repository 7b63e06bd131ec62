"""The raw data's SHA-256 checksums: nothing in the compendium writes under ``data/*/raw/``
(``analysis.guard``).

The files of a ``raw/`` folder are checked at every run against the SHA-256 sums recorded next
to them in ``SHA256SUMS`` (``sha256sum`` format, so ``sha256sum -c SHA256SUMS`` checks the same
file); after a deliberate replacement, ``python -m analysis.pipeline --record-checksums``
records them anew, the only write next to the raw data, and only of that file.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

from ..errors import StudyError
from ..guard import CHECKSUMS, own_raw_folder, recorded_sums, write_file
from ..rawdata import sha256
from ..studyfile import load_study
from .layout import DEFAULT_STUDY, ROOT

__all__ = ["CHECKSUMS", "verify_checksums", "record_checksums"]


def _record_command(data_path, study_path=None) -> str:
    path = Path(study_path or DEFAULT_STUDY).resolve()
    if data_path and Path(data_path).resolve().parent != (path.parent / "raw").resolve():
        folder = Path(data_path).resolve().parent        # the compendium records only a study's own raw folder
        return f"sha256sum (cd {folder} && sha256sum -- * > {CHECKSUMS})"
    study = path.parent.name if path == (ROOT / "data" / path.parent.name / "study.yml") else str(study_path)
    return f"python -m analysis.pipeline --study {study} --record-checksums" + (f" --data {data_path}" if data_path else "")


def _raw_folder(data_file: Path):
    """The folder whose checksums guard ``data_file``: a ``raw/`` folder or one holding SHA256SUMS."""
    folder = data_file.parent
    return folder if folder.name == "raw" or (folder / CHECKSUMS).is_file() else None


def _read_checksums(path: Path, data_path) -> dict:
    return recorded_sums(path, f"re-record the checksums with {_record_command(data_path)}")


def verify_checksums(data_file, data_path=None, study_path=None):
    """Check the raw files next to ``data_file`` against their recorded SHA-256 sums.

    Only files in a ``raw/`` folder (or a folder holding ``SHA256SUMS``) are guarded; a raw folder
    without ``SHA256SUMS`` gets a warning (nothing to compare with yet); a data file
    elsewhere (``--data other.csv``) is not checked, but its checksum is still reported in the
    findings.  Returns the checksum file used, or None.  A missing, unlisted or changed file raises
    ``StudyError`` saying how to restore it or, after a deliberate replacement, to re-record.
    """
    data_file = Path(data_file).resolve()
    folder = _raw_folder(data_file)
    if folder is None or not data_file.is_file():
        return None                       # a missing file is reported by load_raw
    sums_file = folder / CHECKSUMS
    record = _record_command(data_path, study_path)
    if not sums_file.is_file():
        warnings.warn(f"{folder}: raw data folder without {CHECKSUMS}, so a later change to its files cannot be "
                      f"detected; record their checksums once with {record}", UserWarning, stacklevel=2)
        return None
    sums = _read_checksums(sums_file, data_path)
    if data_file.name not in sums:
        raise StudyError(f"{data_file}: not listed in {sums_file}; if this is new raw data, record its checksum "
                       f"with {record}")
    for name in [data_file.name] + sorted(n for n in sums if n != data_file.name):
        f = folder / name
        if not f.is_file():
            raise StudyError(f"{f}: listed in {sums_file} but missing; restore it (e.g. git checkout -- {f}) or, if "
                           f"it was removed deliberately, re-record with {record}")
        actual = sha256(f)
        if actual != sums[name]:
            raise StudyError(f"{f}: SHA-256 {actual[:12]}... differs from {sums[name][:12]}... recorded in "
                           f"{sums_file}: the raw data changed; restore the original (e.g. git checkout -- {f}) or, "
                           f"if you replaced it deliberately, re-record with {record}")
    return sums_file


def record_checksums(study_path=DEFAULT_STUDY, data_path=None, log=sys.stderr) -> Path:
    """Write ``SHA256SUMS`` (``sha256sum`` format) for every file in the data file's folder.

    The one deliberate write next to the raw data, and only of the checksum file: run it after
    replacing the raw data on purpose.  ``sha256sum -c SHA256SUMS`` checks the same file.  Only
    the study's own raw folder, ``<study folder>/raw`` (``analysis.guard.own_raw_folder``): never
    the folder of a ``--data`` file elsewhere, nor of another study's data.
    """
    study = load_study(study_path)
    data_file = Path(data_path).resolve() if data_path else study.data_path
    folder = own_raw_folder(study, data_file)
    if not data_file.is_file():
        raise StudyError(f"{data_file}: raw data file not found; nothing to record")
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.name != CHECKSUMS and not f.name.startswith("."))
    text = "".join(f"{sha256(f)}  {f.name}\n" for f in files)
    write_file(folder / CHECKSUMS, text.encode("utf-8"))
    print(f"recorded the SHA-256 of {len(files)} file(s) in {folder / CHECKSUMS}:", file=log)
    print(text, end="", file=log)
    return folder / CHECKSUMS
