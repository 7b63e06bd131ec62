"""A study file: the codebook, calibration anchors, cut-offs and claims of one fsQCA study.

An fsQCA study is more than a data matrix.  Before any truth table is built, the researcher
decides which raw indicators measure each condition and outcome, how they are combined, and
where the three qualitative anchors of every set lie (Ragin 2008, *Redesigning Social Inquiry*,
ch. 4-5; Schneider & Wagemann 2012, *Set-Theoretic Methods for the Social Sciences*, ch. 1.2).
Those decisions, with their reasons, are written in one YAML file (e.g. ``data/ppip/study.yml``)
so that they are explicit, reviewable and varied by the robustness checks (Oana & Schneider
2021, "Robustness tests in QCA", *Sociological Methods & Research*).

The steps from raw data to memberships:

``load_study(path)``
    Reads the study file with ``yaml.safe_load`` and validates it: measures with their label,
    role (condition or outcome), indicators, unit, codebook range and anchors (exclusion,
    crossover, inclusion; strictly monotone, inside the range), the cut-offs of the analysis
    (``incl_cut``, ``pri_cut``, ``n_cut``, and ``necessity_incl`` / ``necessity_ron`` for
    necessity, Schneider & Wagemann 2012, ch. 9; Dusa 2019, *QCA with R*, ch. 5), directional
    expectations and the claims a ledger checks.  Any problem raises ``QCAError`` naming the file
    and the field.
``load_raw(study)``
    Reads the raw case data (CSV) and checks it against the codebook: every indicator present
    (a misspelled column gets a "did you mean"), unique case ids, numbers only, no missing
    values (nothing is dropped silently), values inside the codebook range.
``build_measures(study, raw)``
    Each measure is the mean of its indicators (all indicators of a measure share a unit).
``reliability(study, raw)``
    Cronbach's alpha of each multi-item measure (Cronbach 1951).
``calibrate_measures(study, measures)``
    Direct calibration of every measure with its anchors (``analysis.calibration.calibrate``,
    Ragin 2008, ch. 5).  A case exactly at a crossover (membership 0.5) belongs to no
    truth-table row, so it is an error here: move the crossover.
"""
from __future__ import annotations

import csv
import difflib
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .calibration import calibrate
from .errors import QCAError
from .truthtable import MAX_CONDITIONS

__all__ = ["Study", "Measure", "load_study", "load_raw", "build_measures", "reliability",
           "calibrate_measures", "check_measures", "check_outcomes", "TOP_LEVEL_KEYS", "CLAIM_TYPES"]

REQUIRED_KEYS = ("name", "title", "synthetic", "data", "case_id", "measures", "conditions", "outcomes",
                 "thresholds")
OPTIONAL_KEYS = ("notice", "source", "dir_exp", "claims", "robustness")
TOP_LEVEL_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
MEASURE_KEYS = ("label", "role", "indicators", "combine", "unit", "range", "anchors", "anchor_reason")
MEASURE_REQUIRED = ("label", "role", "indicators", "unit", "range", "anchors", "anchor_reason")
THRESHOLD_KEYS = ("incl_cut", "pri_cut", "n_cut", "necessity_incl", "necessity_ron")
CLAIM_TYPES = {
    "core": ("condition", "outcome", "expect"),
    "appears": ("condition", "outcomes"),
    "consistency": ("outcomes", "solution", "min"),
    "stable_core": ("outcomes", "min"),
}
SOLUTION_KINDS = ("complex", "parsimonious", "intermediate")
ROBUSTNESS_KEYS = ("anchor_percentiles", "incl_cut", "pri_cut", "n_cut", "drop_cases", "anchor_steps", "cut_steps",
                   "max_steps")


@dataclass
class Measure:
    """One condition or outcome: how it is measured and calibrated."""

    name: str
    label: str
    role: str                 # "condition" or "outcome"
    indicators: list          # raw CSV columns, averaged
    combine: str              # "mean"
    unit: str
    anchors: tuple            # (exclusion, crossover, inclusion)
    anchor_reason: str
    range: tuple = None       # codebook range (min, max) of every indicator


@dataclass
class Study:
    """A validated study file (see ``load_study``)."""

    name: str
    title: str
    notice: str
    synthetic: bool
    folder: Path
    data_path: Path
    case_id: str
    conditions: list
    outcomes: list
    measures: dict
    labels: dict
    thresholds: dict
    dir_exp: dict
    claims: list
    robustness: dict
    raw: dict = field(repr=False)
    path: Path = None         # the study file itself


# --------------------------------------------------------------------------- study file

def _fail(path, where, msg):
    raise QCAError(f"{path}: {where}: {msg}")


def _number(path, where, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(path, where, f"must be a number, got {value!r}")
    return float(value)


def _text(path, where, value) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(path, where, f"must be a non-empty text, got {value!r}")
    return value.strip()


def _names(path, where, value) -> list:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        _fail(path, where, f"must be a non-empty list of names, got {value!r}")
    dup = sorted({v for v in value if value.count(v) > 1})
    if dup:
        _fail(path, where, f"lists {', '.join(dup)} more than once")
    return list(value)


def _read_yaml(path: Path) -> dict:
    if not path.is_file():
        raise QCAError(f"{path}: study file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise QCAError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    except UnicodeDecodeError:
        raise QCAError(f"{path}: not a UTF-8 text file") from None
    if not isinstance(raw, dict):
        raise QCAError(f"{path}: the study file must be a YAML mapping of fields, got {type(raw).__name__}")
    unknown = [k for k in raw if k not in TOP_LEVEL_KEYS]
    if unknown:
        raise QCAError(f"{path}: unknown field(s) {', '.join(map(str, unknown))}; "
                       f"allowed: {', '.join(TOP_LEVEL_KEYS)}")
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise QCAError(f"{path}: missing required field(s) {', '.join(missing)}")
    return raw


def _anchors(path, where, value, rng) -> tuple:
    if not isinstance(value, list) or len(value) != 3:
        _fail(path, where, f"must be three numbers [exclusion, crossover, inclusion], got {value!r}")
    e, c, i = (_number(path, where, v) for v in value)
    if not (e < c < i or e > c > i):
        _fail(path, where, f"{[e, c, i]} is not strictly monotone (need exclusion < crossover < inclusion, "
                           "or > for a decreasing set)")
    lo, hi = rng
    if min(e, i) < lo or max(e, i) > hi:
        _fail(path, where, f"{[e, c, i]} lies outside the measure's range [{lo:g}, {hi:g}]")
    return (e, c, i)


def _measure(path, name, spec) -> Measure:
    where = f"measures.{name}"
    if not isinstance(spec, dict):
        _fail(path, where, "must be a mapping of label, role, indicators, unit, range, anchors, anchor_reason")
    unknown = [k for k in spec if k not in MEASURE_KEYS]
    if unknown:
        _fail(path, where, f"unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(MEASURE_KEYS)}")
    missing = [k for k in MEASURE_REQUIRED if k not in spec]
    if missing:
        _fail(path, where, f"missing required key(s) {', '.join(missing)}")
    role = spec["role"]
    if role not in ("condition", "outcome"):
        _fail(path, f"{where}.role", f"must be 'condition' or 'outcome', got {role!r}")
    combine = spec.get("combine", "mean")
    if combine != "mean":
        _fail(path, f"{where}.combine", f"only 'mean' is supported, got {combine!r}")
    rng = spec["range"]
    if not isinstance(rng, list) or len(rng) != 2:
        _fail(path, f"{where}.range", f"must be [min, max], got {rng!r}")
    rng = tuple(_number(path, f"{where}.range", v) for v in rng)
    if not rng[0] < rng[1]:
        _fail(path, f"{where}.range", f"min must be below max, got {list(rng)}")
    return Measure(name=name, label=_text(path, f"{where}.label", spec["label"]), role=role,
                   indicators=_names(path, f"{where}.indicators", spec["indicators"]), combine=combine,
                   unit=_text(path, f"{where}.unit", spec["unit"]),
                   anchors=_anchors(path, f"{where}.anchors", spec["anchors"], rng),
                   anchor_reason=_text(path, f"{where}.anchor_reason", spec["anchor_reason"]), range=rng)


def _measures(path, raw, case_id) -> dict:
    specs = raw["measures"]
    if not isinstance(specs, dict) or not specs:
        _fail(path, "measures", "must be a non-empty mapping from short names to measure definitions")
    measures = {str(name): _measure(path, str(name), spec) for name, spec in specs.items()}
    seen = {}
    for m in measures.values():
        for col in m.indicators:
            if col == case_id:
                _fail(path, f"measures.{m.name}.indicators", f"{col!r} is the case id column")
            if col in seen:
                _fail(path, f"measures.{m.name}.indicators", f"{col!r} is already an indicator of {seen[col]}")
            seen[col] = m.name
    return measures


def _roles(path, raw, measures) -> tuple:
    conditions = _names(path, "conditions", raw["conditions"])
    outcomes = _names(path, "outcomes", raw["outcomes"])
    both = [n for n in conditions if n in outcomes]
    if both:
        _fail(path, "conditions/outcomes", f"{', '.join(both)} is used both as condition and as outcome")
    for field_name, names, role in (("conditions", conditions, "condition"), ("outcomes", outcomes, "outcome")):
        unknown = [n for n in names if n not in measures]
        if unknown:
            _fail(path, field_name, f"unknown name(s) {', '.join(unknown)}; defined measures: {', '.join(measures)}")
        wrong = [n for n in names if measures[n].role != role]
        if wrong:
            _fail(path, field_name, f"{', '.join(wrong)} has role {measures[wrong[0]].role!r} in measures, "
                                    f"not {role!r}")
    if len(conditions) > MAX_CONDITIONS:
        _fail(path, "conditions", f"{len(conditions)} conditions; the exact engine handles at most {MAX_CONDITIONS} "
                                  "(a truth table of 2^k rows, 3^k implicants): drop or combine conditions")
    unused = [n for n in measures if n not in conditions and n not in outcomes]
    if unused:
        _fail(path, "measures", f"{', '.join(unused)} is listed in neither conditions nor outcomes")
    return conditions, outcomes


def _thresholds(path, value) -> dict:
    if not isinstance(value, dict):
        _fail(path, "thresholds", f"must be a mapping of {', '.join(THRESHOLD_KEYS)}")
    unknown = [k for k in value if k not in THRESHOLD_KEYS]
    missing = [k for k in THRESHOLD_KEYS if k not in value]
    if unknown or missing:
        _fail(path, "thresholds", f"unknown key(s) {', '.join(map(str, unknown)) or 'none'}, missing key(s) "
                                  f"{', '.join(missing) or 'none'}; needs exactly {', '.join(THRESHOLD_KEYS)}")
    out = {}
    for key in THRESHOLD_KEYS:
        v = _number(path, f"thresholds.{key}", value[key])
        if key == "n_cut":
            if not v.is_integer() or v < 1:
                _fail(path, "thresholds.n_cut", f"must be a whole number of at least 1, got {value[key]!r}")
            out[key] = int(v)
        elif not 0 <= v <= 1:
            _fail(path, f"thresholds.{key}", f"must lie in [0, 1], got {value[key]!r}")
        else:
            out[key] = v
    return out


def _dir_exp(path, value, conditions) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        _fail(path, "dir_exp", "must map conditions to 1, 0 or \"-\"")
    out = {}
    for cond, exp in value.items():
        if cond not in conditions:
            _fail(path, f"dir_exp.{cond}", f"unknown condition; conditions: {', '.join(conditions)}")
        if isinstance(exp, bool) or exp not in (1, 0, "-"):
            _fail(path, f"dir_exp.{cond}", f"must be 1, 0 or \"-\" (quoted in YAML), got {exp!r}")
        out[cond] = exp
    return out


def _claim(path, i, claim, conditions, outcomes) -> dict:
    where = f"claims[{i}]"
    if not isinstance(claim, dict):
        _fail(path, where, "must be a mapping with id, text and check")
    missing = [k for k in ("id", "text", "check") if k not in claim]
    if missing:
        _fail(path, where, f"missing key(s) {', '.join(missing)}")
    where = f"claims[{i}] ({claim['id']})"
    check = claim["check"]
    if not isinstance(check, dict) or check.get("type") not in CLAIM_TYPES:
        kind = check.get("type") if isinstance(check, dict) else check
        _fail(path, f"{where}.check.type", f"unknown check type {kind!r}; allowed: {', '.join(CLAIM_TYPES)}")
    keys = CLAIM_TYPES[check["type"]]
    missing = [k for k in keys if k not in check]
    extra = [k for k in check if k not in keys and k != "type"]
    if missing or extra:
        _fail(path, f"{where}.check", f"a {check['type']!r} check needs exactly type, {', '.join(keys)}; "
                                      f"missing: {', '.join(missing) or 'none'}; unknown: {', '.join(extra) or 'none'}")
    if "condition" in check and check["condition"] not in conditions:
        _fail(path, f"{where}.check.condition", f"unknown condition {check['condition']!r}")
    if "outcome" in check and check["outcome"] not in outcomes:
        _fail(path, f"{where}.check.outcome", f"unknown outcome {check['outcome']!r}")
    if "outcomes" in check:
        names = check["outcomes"] if isinstance(check["outcomes"], list) else [check["outcomes"]]
        bad = [o for o in names if o not in outcomes] or ([] if names else ["(empty list)"])
        if bad:
            _fail(path, f"{where}.check.outcomes", f"unknown outcome(s) {', '.join(map(str, bad))}")
    if "expect" in check and not isinstance(check["expect"], bool):
        _fail(path, f"{where}.check.expect", f"must be true or false, got {check['expect']!r}")
    if "solution" in check and check["solution"] not in SOLUTION_KINDS:
        _fail(path, f"{where}.check.solution", f"must be one of {', '.join(SOLUTION_KINDS)}")
    if "min" in check and not 0 <= _number(path, f"{where}.check.min", check["min"]) <= 1:
        _fail(path, f"{where}.check.min", f"must lie in [0, 1], got {check['min']!r}")
    return claim


def _claims(path, value, conditions, outcomes) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        _fail(path, "claims", "must be a list of {id, text, check}")
    claims = [_claim(path, i, c, conditions, outcomes) for i, c in enumerate(value)]
    ids = [c["id"] for c in claims]
    dup = sorted({str(x) for x in ids if ids.count(x) > 1})
    if dup:
        _fail(path, "claims", f"duplicate claim id(s) {', '.join(dup)}")
    return claims


def _robustness(path, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        _fail(path, "robustness", "must be a mapping")
    unknown = [k for k in value if k not in ROBUSTNESS_KEYS]
    if unknown:
        _fail(path, "robustness", f"unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(ROBUSTNESS_KEYS)}")
    for q in value.get("anchor_percentiles", []):
        if (not isinstance(q, list) or len(q) != 3
                or not all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in q)
                or not 0 <= q[0] < q[1] < q[2] <= 100):
            _fail(path, "robustness.anchor_percentiles", f"each entry must be three increasing percentiles, got {q!r}")
    for key in ("incl_cut", "pri_cut"):
        for v in value.get(key, []):
            if not 0 <= _number(path, f"robustness.{key}", v) <= 1:
                _fail(path, f"robustness.{key}", f"must lie in [0, 1], got {v!r}")
    for v in value.get("n_cut", []):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            _fail(path, "robustness.n_cut", f"must be whole numbers of at least 1, got {v!r}")
    if "drop_cases" in value and not isinstance(value["drop_cases"], bool):
        _fail(path, "robustness.drop_cases", "must be true or false")
    if "anchor_steps" in value and not 0 < _number(path, "robustness.anchor_steps", value["anchor_steps"]) < 0.5:
        _fail(path, "robustness.anchor_steps", "must lie strictly between 0 and 0.5")
    steps = value.get("cut_steps", {})
    if not isinstance(steps, dict) or any(k not in ("incl_cut", "pri_cut", "n_cut") for k in steps):
        _fail(path, "robustness.cut_steps", f"must map incl_cut, pri_cut and/or n_cut to a step, got {steps!r}")
    for key in ("incl_cut", "pri_cut"):
        if key in steps and not 0 < _number(path, f"robustness.cut_steps.{key}", steps[key]) < 0.5:
            _fail(path, f"robustness.cut_steps.{key}", "must lie strictly between 0 and 0.5")
    if "n_cut" in steps and (isinstance(steps["n_cut"], bool) or not isinstance(steps["n_cut"], int)
                             or steps["n_cut"] < 1):
        _fail(path, "robustness.cut_steps.n_cut", f"must be a whole number of at least 1, got {steps['n_cut']!r}")
    if "max_steps" in value and (isinstance(value["max_steps"], bool) or not isinstance(value["max_steps"], int)
                                 or not 1 <= value["max_steps"] <= 100):
        _fail(path, "robustness.max_steps", f"must be a whole number from 1 to 100, got {value['max_steps']!r}")
    return dict(value)


def load_study(path) -> Study:
    """Read and validate a study file; every problem raises ``QCAError`` naming file and field."""
    path = Path(path).resolve()
    raw = _read_yaml(path)
    synthetic = raw["synthetic"]
    if not isinstance(synthetic, bool):
        _fail(path, "synthetic", f"must be true or false, got {synthetic!r}")
    notice = raw.get("notice", "")
    if synthetic and not (isinstance(notice, str) and notice.strip()):
        _fail(path, "notice", "a synthetic study needs a notice saying the data are a stand-in")
    case_id = _text(path, "case_id", raw["case_id"])
    measures = _measures(path, raw, case_id)
    conditions, outcomes = _roles(path, raw, measures)
    folder = path.parent
    return Study(name=_text(path, "name", raw["name"]), title=_text(path, "title", raw["title"]),
                 notice=str(notice).strip(), synthetic=synthetic, folder=folder,
                 data_path=(folder / _text(path, "data", raw["data"])).resolve(), case_id=case_id,
                 conditions=conditions, outcomes=outcomes, measures=measures,
                 labels={n: m.label for n, m in measures.items()},
                 thresholds=_thresholds(path, raw["thresholds"]),
                 dir_exp=_dir_exp(path, raw.get("dir_exp"), conditions),
                 claims=_claims(path, raw.get("claims"), conditions, outcomes),
                 robustness=_robustness(path, raw.get("robustness")), raw=raw, path=path)


# --------------------------------------------------------------------------- raw data

def _indicators(study) -> list:
    return [col for name in study.conditions + study.outcomes for col in study.measures[name].indicators]


_BINARY = {b"PK\x03\x04": "an Excel workbook or other zip file", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) file",
           b"%PDF": "a PDF file"}


def _read_csv(path: Path, case_id: str) -> pd.DataFrame:
    if path.is_dir():
        raise QCAError(f"{path}: is a folder, not a raw data CSV file; give the CSV file itself")
    if not path.is_file():
        raise QCAError(f"{path}: raw data file not found; check the path (or the study file's 'data' field)")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise QCAError(f"{path}: cannot open the raw data file: {exc.strerror}") from None
    for magic, what in _BINARY.items():
        if head.startswith(magic):
            raise QCAError(f"{path}: cannot read the CSV: this is {what}; save the sheet as CSV (comma-separated, "
                           "UTF-8) and pass that file")
    try:  # utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a byte-order mark
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise QCAError(f"{path}: cannot read the CSV: it is not UTF-8 text; save it as CSV UTF-8 "
                       "(comma-separated)") from None
    except pd.errors.EmptyDataError:
        raise QCAError(f"{path}: cannot read the CSV: the file is empty; it needs a header line "
                       f"({case_id!r} and the codebook columns) and one line per case") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise QCAError(f"{path}: cannot read the CSV: {' '.join(str(exc).split())}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if case_id not in frame.columns:
        hint = _suggest(case_id, frame.columns)
        if not hint and len(frame.columns) == 1 and any(sep in frame.columns[0] for sep in ";\t|"):
            hint = "; the file seems to use ';', tab or '|' between values: save it comma-separated"
        raise QCAError(f"{path}: case id column {case_id!r} not found{hint}")
    if len(frame) == 0:
        raise QCAError(f"{path}: has a header but no cases; add one line per case")
    return frame


def _suggest(name, candidates) -> str:
    close = difflib.get_close_matches(name, [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _header(path: Path) -> list:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        return [h.strip() for h in next(csv.reader(fh), [])]


def _check_columns(path, frame, expected, case_id, measures=()):
    header = _header(path)
    dups = sorted({h for h in header if header.count(h) > 1})
    if dups:
        raise QCAError(f"{path}: column(s) {', '.join(dups)} appear more than once in the header")
    extra = [c for c in frame.columns if c not in expected and c != case_id]
    calibrated = [m for m in measures if m in frame.columns]
    if calibrated and not any(col in frame.columns for col in expected):
        raise QCAError(f"{path}: holds columns named like measures ({', '.join(calibrated)}) but none of the "
                       "codebook's raw indicators: it looks like calibrated memberships; the pipeline needs the raw "
                       "data (see the codebook), memberships go to python -m analysis.qca --data FILE --outcome Y")
    for col in expected:
        if col not in frame.columns:
            raise QCAError(f"{path}: codebook column {col!r} is missing{_suggest(col, extra)}")
    if extra:
        warnings.warn(f"{path}: column(s) {', '.join(map(str, extra))} are not in the codebook and are ignored",
                      UserWarning, stacklevel=3)


def _check_cases(path, ids: pd.Series) -> pd.Index:
    blank = ids.isna() | (ids.fillna("").str.strip() == "")
    if blank.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(blank.to_numpy())[:5])
        raise QCAError(f"{path}: empty case id on line(s) {rows}")
    ids = ids.str.strip()
    dup = sorted(ids[ids.duplicated()].unique())
    if dup:
        raise QCAError(f"{path}: duplicate case id(s) {', '.join(dup)}")
    return pd.Index(ids, name="case")


def _numeric(path, frame: pd.DataFrame, columns) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        text = frame[col]
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() & text.notna()
        if bad.any():
            case = frame.index[bad.to_numpy()][0]
            raise QCAError(f"{path}: case {case!r}, column {col!r}: value {text[bad].iloc[0]!r} is not a number")
        out[col] = values.astype(float)
    missing = out.isna()
    if missing.any().any():
        cases = [str(c) for c in out.index[missing.any(axis=1).to_numpy()]]
        cols = [str(c) for c in out.columns[missing.any(axis=0).to_numpy()]]
        raise QCAError(f"{path}: missing values in column(s) {', '.join(cols)} for case(s) {', '.join(cases)}; "
                       "fill them or remove the cases explicitly (nothing is dropped silently)")
    return out


def _check_ranges(path, study, data: pd.DataFrame):
    for name in study.conditions + study.outcomes:
        m = study.measures[name]
        lo, hi = m.range
        for col in m.indicators:
            outside = (data[col] < lo) | (data[col] > hi)
            if outside.any():
                case = data.index[outside.to_numpy()][0]
                raise QCAError(f"{path}: case {case!r}, column {col!r}: value {data.at[case, col]:g} is outside "
                               f"the codebook range [{lo:g}, {hi:g}] ({m.unit})")


def load_raw(study: Study, path=None) -> pd.DataFrame:
    """The raw indicators, one row per case (index ``case``), checked against the codebook.

    Reads ``path`` (default ``study.data_path``) and never writes it.  Columns not in the codebook
    are ignored with a warning; every other problem raises ``QCAError`` naming the file.
    """
    path = Path(path).resolve() if path is not None else study.data_path
    frame = _read_csv(path, study.case_id)
    expected = _indicators(study)
    _check_columns(path, frame, expected, study.case_id, study.conditions + study.outcomes)
    frame.index = _check_cases(path, frame[study.case_id])
    data = _numeric(path, frame, expected)
    _check_ranges(path, study, data)
    return data


# --------------------------------------------------------------------------- measures and calibration

def _need_columns(study, raw, columns, what):
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise QCAError(f"{study.name}: {what}: column(s) {', '.join(missing)} not in the data")


def build_measures(study: Study, raw: pd.DataFrame) -> pd.DataFrame:
    """One column per measure (conditions, then outcomes): the mean of its indicators."""
    out = pd.DataFrame(index=raw.index)
    for name in study.conditions + study.outcomes:
        items = study.measures[name].indicators
        _need_columns(study, raw, items, f"measure {name}")
        out[name] = raw[items].astype(float).mean(axis=1)
    out.index.name = "case"
    return out


def cronbach_alpha(items: pd.DataFrame) -> float:
    """alpha = k / (k - 1) * (1 - sum of item variances / variance of the sum score)."""
    k = items.shape[1]
    total = items.sum(axis=1).var(ddof=1)
    if k < 2 or not total > 0:
        return float("nan")
    return float(k / (k - 1) * (1 - items.var(ddof=1).sum() / total))


def reliability(study: Study, raw: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's (1951) alpha of every measure with two or more indicators.

    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.  Values of about 0.7 or more are commonly read as
    acceptable internal consistency of a multi-item measure.
    """
    rows = []
    for name in study.conditions + study.outcomes:
        items = study.measures[name].indicators
        if len(items) < 2:
            continue
        _need_columns(study, raw, items, f"reliability of {name}")
        rows.append({"measure": name, "n_items": len(items), "cronbach_alpha": cronbach_alpha(raw[items])})
    return pd.DataFrame(rows, columns=["measure", "n_items", "cronbach_alpha"])


def _anchors_for(study, anchors) -> dict:
    chosen = {n: study.measures[n].anchors for n in study.conditions + study.outcomes}
    for name, value in (anchors or {}).items():
        if name not in chosen:
            raise QCAError(f"{study.name}: anchors given for unknown measure {name!r}; measures: {', '.join(chosen)}")
        try:
            chosen[name] = tuple(float(v) for v in value)
        except (TypeError, ValueError):
            raise QCAError(f"{study.name}: anchors for {name} must be three numbers, got {value!r}") from None
        if len(chosen[name]) != 3:
            raise QCAError(f"{study.name}: anchors for {name} must be three numbers, got {value!r}")
    return chosen


def calibrate_measures(study: Study, measures: pd.DataFrame, anchors=None) -> pd.DataFrame:
    """Direct calibration (Ragin 2008, ch. 5) of every measure: memberships in [0, 1].

    ``anchors`` optionally maps measure names to (exclusion, crossover, inclusion) that replace
    the study's (used by robustness checks).  Anchors outside a measure's observed range and
    memberships of exactly 0.5 raise ``QCAError``.
    """
    chosen = _anchors_for(study, anchors)
    _need_columns(study, measures, list(chosen), "calibration")
    out = pd.DataFrame(index=pd.Index(measures.index.astype(str), name="case"))
    for name, (e, c, i) in chosen.items():
        x = measures[name].to_numpy(dtype=float)
        lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
        for label, a in (("exclusion", e), ("crossover", c), ("inclusion", i)):
            if not lo <= a <= hi:
                raise QCAError(f"{study.name}: measure {name}: {label} anchor {a:g} lies outside the observed "
                               f"range [{lo:g}, {hi:g}]; choose anchors inside the data")
        member = calibrate(x, (e, c, i), name=name)
        half = np.flatnonzero(member == 0.5)
        if half.size:
            cases = ", ".join(str(out.index[j]) for j in half)
            raise QCAError(f"{study.name}: measure {name}: case(s) {cases} calibrate to exactly 0.5 (value {c:g} "
                           "equals the crossover) and would belong to no truth-table row; move the crossover "
                           "slightly so that no case sits on it")
        out[name] = member
    return out


def check_measures(study: Study, measures: pd.DataFrame) -> None:
    """Refuse measures that cannot be calibrated into a set that distinguishes cases.

    A constant measure (every case the same value) and a measure whose cases all lie on one side
    of the crossover give a set without variation: nothing for a truth table to compare, and an
    outcome that no case belongs to leaves nothing to explain.  Each raises ``QCAError`` naming
    the measure and what to do; run it before ``calibrate_measures``.
    """
    for name in study.conditions + study.outcomes:
        m = study.measures[name]
        kind = "outcome" if name in study.outcomes else "condition"
        x = measures[name].to_numpy(dtype=float)
        lo, hi = float(np.min(x)), float(np.max(x))
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            raise QCAError(f"{study.name}: {kind} {name} is constant (every case has the value {lo:g}): a set "
                           "without variation cannot distinguish cases; check the indicators "
                           f"{', '.join(m.indicators)} or drop the {kind}")
        e, c, i = m.anchors
        above = (x > c) if i > c else (x < c)
        if not above.any() or above.all():
            if not above.any():
                side = "at or below" if i > c else "at or above"
            else:
                side = "above" if i > c else "below"
            members = "no case is" if not above.any() else "every case is"
            raise QCAError(f"{study.name}: {kind} {name}: {members} in the set (membership above 0.5): every value "
                           f"lies {side} the crossover {c:g} (observed range [{lo:g}, {hi:g}]); check the data, or "
                           "move the crossover anchor inside the data")


def check_outcomes(study: Study, calibrated: pd.DataFrame) -> None:
    """Refuse an outcome (after calibration) that no case has a membership above 0.5 in."""
    for name in study.outcomes:
        if not (calibrated[name] > 0.5).any():
            raise QCAError(f"{study.name}: outcome {name}: no case has a membership above 0.5 (highest "
                           f"{calibrated[name].max():.3f}), so there is nothing to explain; check the data and the "
                           "outcome's anchors")
