"""A study file: the codebook, calibration anchors, thresholds, expectations and claims of one
fsQCA study, read and checked once.

An fsQCA study is more than a data matrix.  Before any truth table is built, the researcher
decides which raw indicators measure each condition and outcome, how they are combined, and
where the three qualitative anchors of every set lie (Ragin 2008, *Redesigning Social Inquiry*,
ch. 4-5; Schneider & Wagemann 2012, *Set-Theoretic Methods for the Social Sciences*, ch. 1.2).
Those decisions, with their reasons, are written in one YAML file (e.g. ``data/ppip/study.yml``)
so that they are explicit, reviewable and varied by the robustness checks (Oana & Schneider
2024).  The README's "Study file reference" lists every key.

``load_study(path)`` reads the file with YAML's safe loader (plain values only: no tags, a key
given twice is an error, not the last value silently, and values nest at most ``MAX_DEPTH``
levels) and checks everything it can without the data against ``STUDY``, the study file's one
description (``analysis.schema``): its fields here (the conditions and outcomes; directional
expectations, groups, calibration and ``strict`` options), the measures' (``analysis.measures``:
label, role, indicators, unit, codebook range, the set's kind with its anchors or thresholds and
the reason for them),
and the tables of its sections where their records live: the thresholds
(``analysis.parameters``), joint outcomes (``analysis.joint``), the enhanced standard analysis
(``analysis.enhanced``), the claims (``analysis.claims.schema``), the robustness alternatives
(``analysis.robustness.settings``), the multiverse (``analysis.multiverse.settings``) and the
stand-in (``analysis.standin.design``).  Any problem is one line naming the file and the field
(``analysis.schema.SchemaError``).

>>> from pathlib import Path
>>> study = load_study(Path(__file__).parent.parent / "data" / "ppip" / "study.yml")
>>> study.conditions, study.outcomes
(['CONTRACT', 'NORMS', 'RISK', 'KNOW', 'PUBLIC'], ['MPV', 'PPV'])
>>> study.anchors["NORMS"]
(2.5, 4.0, 5.5)
"""
from __future__ import annotations

import copy
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import parameters
from .bounded import make_room
from .claims.schema import CLAIMS, resolve_groups, resolve_references
from .claims.verdicts import VERDICT, VerdictRule
from .enhanced import ESA, EnhancedAnalysis
from .joint import JOINT_OUTCOMES
from .measures import MEASURE, MEASURE_KEYS, Measure
from .memberships import Calibration
from .multiverse.settings import MULTIVERSE, MultiverseSettings
from .qca import MAX_CONDITIONS
from .qca.csvdata import invisible
from .qca.truthtable import TABLE_COLUMNS
from .robustness.settings import ROBUSTNESS, RobustnessSettings
from .schema import (DECIMALS, FLAG, SET_NAME, TEXT, Either, Fields, Integral, Interval, ListOf, MappingOf, Name, Names,
                     Options, Real, Ref, SchemaError, Text, With, child, fail, needs, show, validate)
from .standin.design import STANDIN

__all__ = ["MAX_DEPTH", "MEASURE_KEYS", "STUDY", "TOP_LEVEL_KEYS", "Measure", "Strict", "Study", "load_study"]

MAX_DEPTH = 32             # a study file nests a few levels (claims[i].check.models[j]); a deeper one is refused


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
    verdict: VerdictRule = VerdictRule()         # how far a claim must hold to be robust (``analysis.claims.verdicts``)
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
    def calibrations(self) -> dict:
        """How each set is calibrated (``analysis.memberships.SetCalibration``: its kind)."""
        return {n: self.measures[n].calibration for n in self.sets}

    @property
    def anchors(self) -> dict:
        """The anchors (exclusion, crossover, inclusion) of each set calibrated by the direct method
        (what the robustness tests and the multiverse move; sets of other kinds keep theirs)."""
        return {n: tuple(self.measures[n].anchors) for n in self.sets if self.measures[n].kind == "direct"}

    @property
    def condition_anchors(self) -> dict:
        """The anchors of the conditions calibrated by the direct method (what the robustness tests move)."""
        return {n: a for n, a in self.anchors.items() if n in self.conditions}

    @property
    def scales(self) -> dict:
        """Each set's codebook range (min, max)."""
        return {n: tuple(self.measures[n].range) for n in self.sets}

    def codebook(self) -> pd.DataFrame:
        """The measures: role, label, indicators, unit, calibration (kind), anchors (e, c, i) of a
        direct set and the reason for the anchors or thresholds."""
        rows = []
        for name in self.sets:
            m = self.measures[name]
            e, c, i = m.anchors or (None, None, None)
            rows.append({"measure": name, "role": m.role, "label": m.label, "indicators": ", ".join(m.indicators),
                         "unit": m.unit, "calibration": m.calibration.describe(), "exclusion": e, "crossover": c,
                         "inclusion": i, "anchor_reason": " ".join(m.anchor_reason.split()) or (
                             f"none yet: proposed from the data ({m.proposed})" if m.proposed else "")})
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- reading

class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader (plain values only) that refuses a key given twice in one mapping (YAML
    would keep the last), a tag (``!!python/object/apply:...``) and values nested deeper than
    ``MAX_DEPTH``; merge keys (``<<: *defaults``) are YAML's own and accepted."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise SchemaError(f"line {self.peek_event().start_mark.line + 1}: values nested more than {MAX_DEPTH} "
                                  "levels deep; a study file needs a few levels: flatten it")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_undefined(self, node):
        raise SchemaError(f"line {node.start_mark.line + 1}: the tag {node.tag} is not allowed; a study file holds "
                          "plain texts, numbers, true/false, lists and mappings: remove the tag")

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key, line = self.construct_object(key_node, deep=deep), key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)):
                raise SchemaError(f"line {line}: a key must be a name, got {type(key).__name__}; write a plain name")
            if key in seen:
                raise SchemaError(f"key {key!r} is given twice (lines {seen[key]} and {line}); keep one")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(None, _UniqueKeyLoader.construct_undefined)    # every tag YAML does not define


_PARSED: dict = {}          # a study file's text -> its YAML data (_parsed)
_PARSED_LIMIT = 16


def _parsed(text: str):
    """The YAML data of a study file's ``text``, parsed once per process (a study's notebooks run
    in one process and each reads its study file: PSS's took 28 ms a parse) and given to each
    caller as its own copy (``copy.deepcopy``, which keeps YAML's aliases shared as the parse does);
    a text that does not parse raises each time, as it did."""
    if text not in _PARSED:
        loader = _UniqueKeyLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        make_room(_PARSED, _PARSED_LIMIT)
        _PARSED[text] = data
    return copy.deepcopy(_PARSED[text])


def _read_yaml(path: Path):
    if path.is_dir():
        fail(path, "is a folder, not a study file", "give the study.yml itself")
    if path.exists() and not path.is_file():            # /dev/null, /dev/zero, a pipe: never read
        fail(path, "is not a regular file (a device, a pipe or a socket), so it cannot be the study file",
             "give the study.yml itself")
    if not path.is_file():
        fail(path, "study file not found", "check the path (a study's file is data/<study>/study.yml)")
    try:
        return _parsed(path.read_text(encoding="utf-8"))
    except SchemaError as exc:
        fail(path, str(exc))
    except OSError as exc:
        fail(path, f"cannot read the study file: {exc.strerror}")
    except yaml.YAMLError as exc:
        fail(path, f"not valid YAML: {' '.join(str(exc).split())}")
    except UnicodeDecodeError:
        fail(path, "not a UTF-8 text file", "save it as UTF-8")
    except ValueError:                         # Python reads no integer of more than 4300 digits
        fail(path, "a number is too large to read (thousands of digits)", "write it with fewer digits")


# --------------------------------------------------------------------------- the description

NAME_LENGTH = 100       # a study's name, so that its run folders' names fit a file system's 255 bytes


class FolderName(Text):
    """A study's name: a text that names its results folder as it is (no separator, no '..', not
    hidden, no control, zero-width, bidirectional or other invisible character, at most
    ``NAME_LENGTH`` characters); returned in Unicode's composed form (NFC), so that one name
    typed two ways is one folder."""

    def check(self, value, where, context):
        name = unicodedata.normalize("NFC", super().check(value, where, context))
        bad = next((c for c in name if c in "/\\" or invisible(c)), None)
        if name in (".", ".."):
            fail(where, f"{name!r} names a folder above it", "use a plain folder name")
        if bad is not None:
            fail(where, f"{show(name)} holds " + (repr(bad) if bad in "/\\" else f"the invisible U+{ord(bad):04X}"),
                 "use a plain folder name of letters, digits, '-', '_' and '.'")
        if name.startswith("."):
            fail(where, f"{show(name)} starts with '.', which names a hidden folder", "start it with a letter or digit")
        if len(name) > NAME_LENGTH:
            fail(where, f"a name of {len(name)} characters", f"use at most {NAME_LENGTH}")
        return name




@needs("case_id", "measures")
def _case_column_apart(study, where, context):
    """No measure is named like the case column; every indicator is one measure's, not the case id."""
    seen, case_id, at = {}, study["case_id"], child(where, "measures")
    for name, m in study["measures"].items():
        if name in (case_id, "case"):
            fail(f"{at}.{name}", f"{name!r} is the name of the case column (every table has a 'case' column and the "
                                 "raw data a case id column)", "rename the measure")
        for col in m.indicators:
            if col == case_id or col in seen:
                fail(f"{at}.{name}.indicators", f"{col!r} is " + (
                    "the case id column" if col == case_id else f"already an indicator of {seen[col]}"),
                     "give each indicator to one measure")
            seen[col] = name


@needs("measures", "conditions", "outcomes")
def _one_role_each(study, where, context):
    """Each measure is a condition or an outcome, as its role says; the conditions fit a truth table."""
    measures, conditions, outcomes = study["measures"], study["conditions"], study["outcomes"]
    both = [n for n in conditions if n in outcomes]
    if both:
        fail(child(where, "conditions/outcomes"), f"{', '.join(both)} is used both as condition and as outcome",
             "keep each in one list")
    for key, names, role in (("conditions", conditions, "condition"), ("outcomes", outcomes, "outcome")):
        wrong = [n for n in names if measures[n].role != role]
        if wrong:
            fail(child(where, key), f"{', '.join(wrong)} has role {measures[wrong[0]].role!r} in measures, not "
                                    f"{role!r}", "correct the role or the list")
    clash = [n for n in conditions if n in TABLE_COLUMNS]
    if clash:
        fail(child(where, "conditions"), f"{clash[0]!r} has the name of a truth table column "
                                         f"({', '.join(TABLE_COLUMNS)})", "rename the measure")
    if len(conditions) > MAX_CONDITIONS:
        fail(child(where, "conditions"), f"{len(conditions)} conditions; the exact engine handles at most "
                                         f"{MAX_CONDITIONS} (a truth table of 2^k rows, 3^k implicants)",
             "drop or combine conditions")
    unused = [n for n in measures if n not in conditions and n not in outcomes]
    if unused:
        fail(child(where, "measures"), f"{', '.join(unused)} is listed in neither conditions nor outcomes",
             "list it, or remove the measure")


@needs("synthetic", "notice")
def _synthetic_says_so(study, where, context):
    if study["synthetic"] and not study["notice"]:
        fail(child(where, "notice"), "missing", "a synthetic study needs a notice saying the data are a stand-in")


CONDITIONS = Ref("conditions")
_VALUE = Interval(Integral, 0, 9)            # a multi-value set's category (analysis.qca.mv_rows.MAX_LEVELS)
DIR_EXP = Either({int: _VALUE, str: Options("-", what='1, 0 or "-" (quoted in YAML)'),
                  list: ListOf(_VALUE, non_empty=True, unique=True, into=tuple)},
                 what='1, 0 or "-" (quoted in YAML); for a multi-value set its expected value(s), e.g. 2 or [1, 2]')


@needs("dir_exp", "measures", "outcomes")
def _multi_value_sets(study, where, context):
    """A multi-value set is a condition (R's truthTable takes a binary outcome); an expectation
    beyond 0 and 1 is one of its categories."""
    for y in study["outcomes"]:
        if study["measures"][y].kind == "multivalue":
            fail(child(child(where, "measures"), y), "an outcome of kind 'multivalue'; an outcome is a binary set "
                 "(R's truthTable)", "give it kind crisp (one threshold) or a fuzzy kind")
    for c, v in study["dir_exp"].items():
        m = study["measures"][c]
        top = len(m.thresholds) if m.kind == "multivalue" else 1
        bad = [x for x in (v if isinstance(v, tuple) else (v,)) if x != "-" and x > top]
        if bad or (isinstance(v, tuple) and m.kind != "multivalue"):
            fail(child(child(where, "dir_exp"), c), f"got {show(list(v) if isinstance(v, tuple) else v)}; {c} "
                 + (f"has the categories 0 to {top}" if m.kind == "multivalue" else "is a binary set"),
                 "give one of its values" if m.kind == "multivalue" else 'give 1, 0 or "-"')


STUDY = Fields({
    "name": FolderName(),
    "title": TEXT,
    "source": TEXT,
    "synthetic": FLAG,
    "notice": Text(empty=True, default=""),
    "data": TEXT,
    "case_id": TEXT,
    "measures": MappingOf(MEASURE, keys=SET_NAME, at_least=1,
                          into=lambda ms: {n: Measure(name=n, **m) for n, m in ms.items()},
                          what="a non-empty mapping from short names to measure definitions"),
    "conditions": Names(known=Ref("measures"), noun="measure"),
    "outcomes": Names(known=Ref("measures"), noun="measure"),
    "thresholds": parameters.TABLE,
    "calibration": Fields({"idm": Interval(Real, 0.5, 1, closed="neither"), "decimals": DECIMALS},
                          none_is_absent=True, into=lambda c: Calibration(**c), default=Calibration()),
    "joint_outcomes": With(JOINT_OUTCOMES, taken=lambda s: list(s["measures"])),
    "groups": MappingOf(Names(known=CONDITIONS, noun="condition"), at_least=1, default={},
                        into=lambda g: {str(k): v for k, v in g.items()},
                        what="a mapping of group names to conditions"),
    "dir_exp": MappingOf(DIR_EXP, keys=Name(known=CONDITIONS, noun="condition"), default={},
                         what='a mapping of conditions to 1, 0 or "-"'),
    "esa": ESA,
    "claims": With(CLAIMS, outcomes=lambda s: s["outcomes"] + list(s["joint_outcomes"])),
    "verdict": VERDICT,
    "robustness": ROBUSTNESS,
    "multiverse": With(MULTIVERSE, sets=lambda s: [n for n in s["conditions"] + s["outcomes"]
                                                   if s["measures"][n].kind == "direct"]),   # sets with anchors
    "strict": Fields({"anchors_outside_data": FLAG, "cases_on_crossover": FLAG}, into=lambda s: Strict(**s),
                     default=Strict()),
    "standin": With(STANDIN, n_indicators=lambda s: {n: len(m.indicators) for n, m in s["measures"].items()}),
}, required=("name", "title", "synthetic", "data", "case_id", "measures", "conditions", "outcomes", "thresholds"),
    rules=(_synthetic_says_so, _case_column_apart, _one_role_each, _multi_value_sets), noun="field", none_is_absent=True, context=True,
    what="a YAML mapping of fields")
TOP_LEVEL_KEYS = tuple(STUDY.fields)


def load_study(path) -> Study:
    """Read and validate a study file.

    Parameters
    ----------
    path : str or Path
        The study file (``data/<study>/study.yml``).

    Returns
    -------
    Study
        The study, every value checked once (``STUDY``); any problem raises ``SchemaError`` naming
        the file and the field, e.g. ``data/ppip/study.yml: measures.NORMS.anchors: ...``.

    Examples
    --------
    >>> load_study("nope/study.yml")
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: .../nope/study.yml: study file not found; check the path (...)
    """
    path = Path(path).resolve()
    raw = _read_yaml(path)
    s = validate(raw, STUDY, path, folder=path.parent)
    measures = s["measures"]
    return Study(name=s["name"], title=s["title"], notice=s["notice"], synthetic=s["synthetic"], folder=path.parent,
                 data_path=(path.parent / s["data"]).resolve(), case_id=s["case_id"], conditions=s["conditions"],
                 outcomes=s["outcomes"], measures=measures, labels={n: m.label for n, m in measures.items()},
                 thresholds=s["thresholds"], dir_exp=s["dir_exp"],
                 claims=resolve_references(resolve_groups(s["claims"], s["groups"]), path.parent),
                 robustness=s["robustness"], multiverse=s["multiverse"], strict=s["strict"], joint=s["joint_outcomes"],
                 groups=s["groups"], standin=s.get("standin"), calibration=s["calibration"], esa=s["esa"], verdict=s["verdict"], raw=raw,
                 path=path)
