"""The raw case data of a study: read, checked against the codebook, never written.

``load_raw(study)`` reads the raw case data (CSV) and checks it against the study file's
codebook: every indicator present (a misspelled column gets a "did you mean"), unique case ids,
numbers only, no missing values (nothing is dropped silently), values inside the codebook range.
Any problem raises ``StudyError`` naming the file, the column and the case.  ``provenance``
records what a run read: the file's name, its SHA-256 checksum and the number of cases.

>>> from pathlib import Path
>>> from analysis.studyfile import load_study
>>> raw = load_raw(load_study(Path(__file__).parent.parent / "data" / "ppip" / "study.yml"))
>>> raw.shape, raw.index[0]
((36, 21), 'H01')
"""
from __future__ import annotations

import difflib
import hashlib
import warnings
from pathlib import Path

import pandas as pd

from .errors import StudyError
from .qca.csvdata import case_ids, numbers, read_text

__all__ = ["load_raw", "provenance", "sha256", "MAX_CASES"]


def _indicators(study) -> list:
    return [col for name in study.sets for col in study.measures[name].indicators]


def _read_csv(path: Path, case_id: str) -> pd.DataFrame:
    frame = read_text(path, "raw data file")
    if case_id not in frame.columns:
        hint = _suggest(case_id, frame.columns)
        if not hint and len(frame.columns) == 1 and any(sep in frame.columns[0] for sep in ";\t|"):
            hint = "; the file seems to use ';', tab or '|' between values: save it comma-separated"
        raise StudyError(f"{path}: case id column {case_id!r} not found{hint}")
    return frame


def _suggest(name, candidates) -> str:
    close = difflib.get_close_matches(name, [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_columns(path, frame, expected, case_id, measures=()):
    extra = [c for c in frame.columns if c not in expected and c != case_id]
    calibrated = [m for m in measures if m in frame.columns]
    if calibrated and not any(col in frame.columns for col in expected):
        raise StudyError(f"{path}: holds columns named like measures ({', '.join(calibrated)}) but none of the "
                       "codebook's raw indicators: it looks like calibrated memberships; the pipeline needs the raw "
                       "data (see the codebook), memberships go to python -m analysis.qca --data FILE --outcome Y")
    for col in expected:
        if col not in frame.columns:
            raise StudyError(f"{path}: codebook column {col!r} is missing{_suggest(col, extra)}")
    if extra:
        warnings.warn(f"{path}: column(s) {', '.join(map(str, extra))} are not in the codebook and are ignored",
                      UserWarning, stacklevel=3)


def _numeric(path, frame: pd.DataFrame, columns) -> pd.DataFrame:
    out = numbers(frame, columns, path)
    missing = out.isna()
    if missing.any().any():
        cases = [str(c) for c in out.index[missing.any(axis=1).to_numpy()]]
        cols = [str(c) for c in out.columns[missing.any(axis=0).to_numpy()]]
        raise StudyError(f"{path}: missing values in column(s) {', '.join(cols)} for case(s) {', '.join(cases)}; "
                       "fill them or remove the cases explicitly (nothing is dropped silently)")
    return out


def _check_ranges(path, study, data: pd.DataFrame):
    for name in study.sets:
        m = study.measures[name]
        lo, hi = m.range
        for col in m.indicators:
            outside = (data[col] < lo) | (data[col] > hi)
            if outside.any():
                case = data.index[outside.to_numpy()][0]
                raise StudyError(f"{path}: case {case!r}, column {col!r}: value {data.at[case, col]:g} is outside "
                               f"the codebook range [{lo:g}, {hi:g}] ({m.unit})")


MAX_CASES = 100_000     # cases a study's notebooks are made for (they write a row per case, repeat the analysis)


def _check_size(path: Path) -> None:
    """Refuse, before reading it, a file with more than ``MAX_CASES`` lines of cases."""
    if not path.is_file():
        return                                 # read_text says what is wrong
    lines = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            if lines > MAX_CASES + 1:
                raise StudyError(f"{path}: more than {MAX_CASES} cases: the study's notebooks write a row per case "
                               "in tables and figures and repeat the analysis hundreds of times in the robustness "
                               "tests, which is beyond what they are made for; analyse memberships of many cases "
                               "with python -m analysis.qca, or study a sample")


def load_raw(study, path=None) -> pd.DataFrame:
    """The raw indicators, one row per case (index ``case``), checked against the codebook.

    Reads ``path`` (default ``study.data_path``) and never writes it.  Columns not in the codebook
    are ignored with a warning; every other problem raises ``StudyError`` naming the file.
    """
    path = Path(path).resolve() if path is not None else study.data_path
    _check_size(path)
    frame = _read_csv(path, study.case_id)
    expected = _indicators(study)
    _check_columns(path, frame, expected, study.case_id, study.sets)
    frame.index = case_ids(frame, study.case_id, path)
    data = _numeric(path, frame, expected)
    _check_ranges(path, study, data)
    return data


def sha256(path) -> str:
    """The SHA-256 checksum of a file, as hex digits."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def provenance(study, data_path, raw: pd.DataFrame) -> dict:
    """What the run read: study name, data file name, its SHA-256 checksum, number of cases."""
    path = Path(data_path) if data_path is not None else study.data_path
    return {"study": study.name, "title": " ".join(study.title.split()), "synthetic": study.synthetic,
            "notice": " ".join(study.notice.split()) if study.synthetic else "",
            "data_file": path.name, "data_sha256": sha256(path), "n_cases": int(len(raw))}


