"""A study file: the codebook, calibration anchors, thresholds, expectations and claims of one
fsQCA study, read and checked once.

An fsQCA study is more than a data matrix.  Before any truth table is built, the researcher
decides which raw indicators measure each condition and outcome, how they are combined, and
where the three qualitative anchors of every set lie (Ragin 2008, *Redesigning Social Inquiry*,
ch. 4-5; Schneider & Wagemann 2012, *Set-Theoretic Methods for the Social Sciences*, ch. 1.2).
Those decisions, with their reasons, are written in one YAML file (e.g. ``data/ppip/study.yml``)
so that they are explicit, reviewable and varied by the robustness checks (Oana & Schneider
2024).  The README's "Study file reference" lists every key.

``load_study(path)`` reads the file with YAML's safe loader (a key given twice is an error, not
the last value silently) and checks everything it can without
the data: the measures (label, role, indicators, unit, codebook range, anchors strictly monotone
and inside the range, the reason for them), conditions and outcomes, the thresholds
(``analysis.parameters``), directional expectations, the claims (``analysis.claims.schema``),
the robustness alternatives (``analysis.robustness.settings``) and the ``strict`` options.  Any
problem raises ``QCAError`` naming the file and the field.

>>> from pathlib import Path
>>> study = load_study(Path(__file__).parent.parent / "data" / "ppip" / "study.yml")
>>> study.conditions, study.outcomes
(['CONTRACT', 'NORMS', 'RISK', 'KNOW', 'PUBLIC'], ['MPV', 'PPV'])
>>> study.anchors["NORMS"]
(2.5, 4.005, 5.5)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import parameters
from .enhanced import EnhancedAnalysis, read_esa
from .claims.schema import resolve_groups, resolve_references, validate_claims
from .joint import read_joint_outcomes
from .memberships import Calibration
from .multiverse.settings import MultiverseSettings, read_multiverse
from .qca import MAX_CONDITIONS, QCAError, is_set_name
from .qca.truthtable import check_table_columns
from .robustness.settings import RobustnessSettings, read_settings
from .standin.design import read_design

__all__ = ["MEASURE_KEYS", "TOP_LEVEL_KEYS", "Measure", "Strict", "Study", "load_study"]

REQUIRED_KEYS = ("name", "title", "synthetic", "data", "case_id", "measures", "conditions", "outcomes",
                 "thresholds")
OPTIONAL_KEYS = ("notice", "source", "calibration", "joint_outcomes", "groups", "dir_exp", "esa", "claims",
                 "robustness", "multiverse", "strict", "standin")
TOP_LEVEL_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
MEASURE_KEYS = ("label", "role", "indicators", "combine", "unit", "range", "anchors", "anchor_reason")
MEASURE_REQUIRED = ("label", "role", "indicators", "unit", "range", "anchors", "anchor_reason")
STRICT_KEYS = ("anchors_outside_data", "cases_on_crossover")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Strict:
    """Stricter rules than R's, for those who want them (the study file's ``strict:``).

    ``anchors_outside_data``: refuse anchors outside the observed values of a measure (R accepts
    them: anchors are substantive).  ``cases_on_crossover``: refuse a case whose membership is
    exactly 0.5 (R warns; the case belongs to no truth-table row).
    """

    anchors_outside_data: bool = False
    cases_on_crossover: bool = False


@dataclass(frozen=True)
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
    robustness: RobustnessSettings
    multiverse: MultiverseSettings = MultiverseSettings()   # the multiverse's choices (``analysis.multiverse``)
    strict: Strict = Strict()
    joint: dict = field(default_factory=dict)    # {name: JointOutcome}, analysed after the outcomes
    groups: dict = field(default_factory=dict)   # {group: [conditions]}, e.g. for ``combines`` claims
    standin: object = None    # the stand-in's data-generating process (``analysis.standin.Design``)
    calibration: Calibration = Calibration()   # idm and rounding of the direct method (R's by default)
    esa: EnhancedAnalysis = EnhancedAnalysis()   # the enhanced standard analysis (``analysis.enhanced``)
    raw: dict = field(default=None, repr=False)
    path: Path = None         # the study file itself

    @property
    def sets(self) -> list:
        """The conditions, then the outcomes."""
        return self.conditions + self.outcomes

    @property
    def analysed_outcomes(self) -> list:
        """The outcomes analysed: the measured ones, then the joint outcomes."""
        return self.outcomes + list(self.joint)

    @property
    def anchors(self) -> dict:
        """Each set's calibration anchors (exclusion, crossover, inclusion)."""
        return {n: tuple(self.measures[n].anchors) for n in self.sets}

    @property
    def condition_anchors(self) -> dict:
        """The conditions' anchors (what the robustness tests move)."""
        return {n: tuple(self.measures[n].anchors) for n in self.conditions}

    @property
    def scales(self) -> dict:
        """Each set's codebook range (min, max)."""
        return {n: tuple(self.measures[n].range) for n in self.sets}

    def codebook(self) -> pd.DataFrame:
        """The measures: role, label, indicators, unit, anchors (e, c, i) and their justification."""
        rows = []
        for name in self.sets:
            m = self.measures[name]
            e, c, i = m.anchors
            rows.append({"measure": name, "role": m.role, "label": m.label, "indicators": ", ".join(m.indicators),
                         "unit": m.unit, "exclusion": e, "crossover": c, "inclusion": i,
                         "anchor_reason": " ".join(m.anchor_reason.split())})
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- reading

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


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.safe_load that refuses a key given twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise QCAError(f"key {key!r} is given twice (lines {seen[key]} and {key_node.start_mark.line + 1}); "
                               "keep one")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict:
    if path.is_dir():
        raise QCAError(f"{path}: is a folder, not a study file; give the study.yml itself")
    if not path.is_file():
        raise QCAError(f"{path}: study file not found")
    try:
        loader = _UniqueKeyLoader(path.read_text(encoding="utf-8"))       # a SafeLoader: no code runs
        try:
            raw = loader.get_single_data()
        finally:
            loader.dispose()
    except QCAError as exc:
        raise QCAError(f"{path}: {exc}") from None
    except OSError as exc:
        raise QCAError(f"{path}: cannot read the study file: {exc.strerror}") from None
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
    for name in specs:
        if not is_set_name(name):
            _fail(path, f"measures.{name}", "cannot name a set in an expression: use letters, digits, '_' and '.', "
                                            "starting with a letter (no '~', '*', '+' or spaces)")
        if str(name) in (case_id, "case"):
            _fail(path, f"measures.{name}", f"{name!r} is the name of the case column (every table has a 'case' "
                                            "column and the raw data a case id column); rename the measure")
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
    try:
        check_table_columns(conditions)
    except QCAError as e:
        _fail(path, "conditions", f"{e} (the measure)")
    if len(conditions) > MAX_CONDITIONS:
        _fail(path, "conditions", f"{len(conditions)} conditions; the exact engine handles at most {MAX_CONDITIONS} "
                                  "(a truth table of 2^k rows, 3^k implicants): drop or combine conditions")
    unused = [n for n in measures if n not in conditions and n not in outcomes]
    if unused:
        _fail(path, "measures", f"{', '.join(unused)} is listed in neither conditions nor outcomes")
    return conditions, outcomes


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


def _groups(path, value, conditions) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        _fail(path, "groups", "must map group names to lists of conditions")
    for name, members in value.items():
        members = _names(path, f"groups.{name}", members)
        unknown = [c for c in members if c not in conditions]
        if unknown:
            _fail(path, f"groups.{name}", f"unknown condition(s) {', '.join(unknown)}; conditions: "
                                          f"{', '.join(conditions)}")
    return {str(k): list(v) for k, v in value.items()}


def _calibration(path, value) -> Calibration:
    if value is None:
        return Calibration()
    if not isinstance(value, dict) or any(k not in ("idm", "decimals") for k in value):
        _fail(path, "calibration", f"must map idm and/or decimals to numbers, got {value!r}")
    idm = _number(path, "calibration.idm", value.get("idm", 0.95))
    if not 0.5 < idm < 1:
        _fail(path, "calibration.idm", f"must lie strictly between 0.5 and 1, got {idm:g}")
    decimals = value.get("decimals")
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 12):
        _fail(path, "calibration.decimals", f"must be a whole number from 0 to 12 (or left out), got {decimals!r}")
    return Calibration(idm=idm, decimals=decimals)


def _strict(path, value) -> Strict:
    if value is None:
        return Strict()
    if not isinstance(value, dict):
        _fail(path, "strict", f"must map {' and/or '.join(STRICT_KEYS)} to true or false")
    unknown = [str(k) for k in value if k not in STRICT_KEYS]
    if unknown:
        _fail(path, "strict", f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(STRICT_KEYS)}")
    for k, v in value.items():
        if not isinstance(v, bool):
            _fail(path, f"strict.{k}", f"must be true or false, got {v!r}")
    return Strict(**value)


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
    joint = read_joint_outcomes(raw.get("joint_outcomes"), outcomes, measures, f"{path}: joint_outcomes")
    groups = _groups(path, raw.get("groups"), conditions)
    validate_claims(raw.get("claims"), conditions, outcomes + list(joint), where=f"{path}: claims", groups=groups)
    folder = path.parent
    try:
        claims = resolve_references(resolve_groups(raw.get("claims"), groups), folder)
    except QCAError as e:
        _fail(path, "claims", str(e))
    return Study(name=_text(path, "name", raw["name"]), title=_text(path, "title", raw["title"]),
                 notice=str(notice).strip(), synthetic=synthetic, folder=folder,
                 data_path=(folder / _text(path, "data", raw["data"])).resolve(), case_id=case_id,
                 conditions=conditions, outcomes=outcomes, measures=measures,
                 labels={n: m.label for n, m in measures.items()},
                 thresholds=parameters.read_thresholds(raw["thresholds"], f"{path}: thresholds"),
                 dir_exp=_dir_exp(path, raw.get("dir_exp"), conditions),
                 claims=claims, joint=joint, groups=groups,
                 standin=None if raw.get("standin") is None else read_design(
                     raw["standin"], conditions, outcomes, {n: len(m.indicators) for n, m in measures.items()},
                     f"{path}: standin"),
                 robustness=read_settings(raw.get("robustness"), f"{path}: robustness", conditions),
                 multiverse=read_multiverse(raw.get("multiverse"), f"{path}: multiverse", conditions,
                                            conditions + outcomes),
                 strict=_strict(path, raw.get("strict")), calibration=_calibration(path, raw.get("calibration")),
                 esa=read_esa(raw.get("esa"), f"{path}: esa", conditions),
                 raw=raw, path=path)
