"""One specification of the multiverse, end to end: memberships, truth tables, solutions, claims.

A ``Universe`` holds what every specification shares, prepared once: each set's memberships
under each of its anchor choices (``calibrate_set`` on the raw measures, the study's own
calibration), the case subsets, the condition sets, the analyses, the claims.  ``evaluate``
runs a list of specification numbers and returns one row per specification:

* the value of every choice;
* for every analysis: the number of tied models of its intermediate solution, the consistency
  (inclS) and coverage (covS) of the solution (the union of its tied models, as the robustness
  protocol takes it), and the models themselves as text, with the parsimonious ones;
* for every claim of the ledger: whether it holds (``analysis.claims.ledger``, the same rule as
  the run's ledger: in every tied model), or nothing (null) when the specification cannot test it
  (it names a condition the specification leaves out; ``stable_core`` claims, which are about
  the robustness tests themselves);
* for every core condition of the study's own solution (``core: MPV: CONTRACT``): whether it is
  core (in every tied parsimonious model) in this specification.

The truth tables of a specification's analyses (they share its conditions, cases and cut-offs)
are coded together with the engine's own rules, their negations' too
(``analysis.multiverse.codings.solve_specification``); a coding seen before reuses its
minimisation (a cache in each worker process: the models depend on the truth table only
through its coding), a new one is solved with ``solve`` on a
truth table built from the coding with numpy (a multi-value condition: the engine's
``truth_table``, checked against the coding, ``analysis.codings``).  Fits are always recomputed
from the specification's memberships (``analysis.literals``).  A claim about the models
is judged once per combination of its analyses' models, a ``consistency`` claim once per
combination of the models and of whether each model's fit meets it, a claim about memberships
once per combination of the memberships it reads (its conditions' and the outcomes' anchors,
the cases): ``analysis.multiverse.judge``.
``tests/test_multiverse_reference.py`` holds every column against a specification-by-
specification reference.
"""
from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..claims import outcome_key, outcomes_of
from ..claims.schema import beyond_defaults
from ..memberships import SetCalibration, calibrate_set
from ..joint import joint_memberships
from ..analyses import Cuts
from ..bounded import make_room
from ..qca.fit import ratio
from ..qca.outcomes import outcome_of
from ..robustness.measures import core_conditions
from ..codings import binary_rows, observed_rows, solve_coding
from .codings import solve_specification
from ..literals import LiteralTable, terms_index
from .grid import Grid
from .judge import Specification, judge, kind
from .table import frame

__all__ = ["SOLUTION", "Universe", "evaluate", "evaluate_rows"]

SOLUTION = "intermediate"        # the solution whose fit and models each row reports
_REPORTED: dict = {}
_REPORTED_LIMIT = 50_000
_SIGNATURES: dict = {}                     # _signature -> its number (_numbered)
_NUMBERS = itertools.count()


@dataclass(frozen=True, eq=False)
class Universe:
    """What every specification of one multiverse shares (see the module docstring)."""

    grid: Grid
    cases: tuple
    conditions: tuple
    outcomes: tuple                 # measured outcomes
    joint: dict                     # joint outcome -> analysis.joint.JointOutcome
    analyses: tuple                 # analysis.analyses.Analysis records at the study's settings
    variants: dict = field(repr=False)   # set -> memberships (one row per anchor choice; last: the study's)
    case_subsets: tuple = field(repr=False)   # per value of the cases choice: kept case positions
    condition_sets: tuple = ()      # per value of the conditions choice: the conditions
    claims: tuple = ()
    base_cuts: dict = field(default_factory=dict)
    core: tuple = ()                # (analysis, literal): the core conditions of the study's solution

    @property
    def claim_ids(self) -> list:
        return [str(c["id"]) for c in self.claims]


def _models_text(models) -> str:
    return " | ".join(str(m) for m in models)


class _Spec:
    """The memberships of one specification (a row of value indices)."""

    def __init__(self, u: Universe, idx, joint_cache: dict):
        values = {c.name: (c, i) for c, i in zip(u.grid.choices, idx)}
        self.shift = {c.target: i for c, i in values.values() if c.kind == "anchors"}
        self.cuts = tuple(u.base_cuts[k] if k not in values else values[k][0].values[values[k][1]]
                          for k in ("incl_cut", "pri_cut", "n_cut"))
        self.kept_index = values["cases"][1] if "cases" in values else 0
        self.kept = u.case_subsets[self.kept_index]
        self.conds = u.condition_sets[values["conditions"][1]] if "conditions" in values else u.conditions
        self.columns = {s: v[self.shift.get(s, -1)] for s, v in u.variants.items()}
        key = tuple(self.shift.get(o, -1) for o in u.outcomes)
        if u.joint and key not in joint_cache:
            joint = joint_memberships(pd.DataFrame({o: self.columns[o] for o in u.outcomes}), u.joint)
            joint_cache[key] = {name: joint[name].to_numpy() for name in u.joint}
        self.columns.update(joint_cache.get(key, {}))

    def frame(self, u: Universe) -> pd.DataFrame:
        """The memberships of every case (not only those kept) under this specification."""
        return pd.DataFrame(self.columns, index=pd.Index(u.cases, name="case"))


@dataclass(frozen=True)
class _Reported:
    """What a specification row reports of one solved coding (computed once per coding)."""

    solved: object                 # codings.Solved
    claimed: object                # the solutions as the claims read them (``Solved.solutions``)
    signature: int                 # the models as a key (``_signature``, numbered): what a claim about them reads
    chosen: tuple = ()             # the models of SOLUTION, every block's
    solution: str = ""
    models: int = 0                # tied models of SOLUTION (each once)
    parsimonious: str = ""
    core: frozenset = frozenset()  # the literals in every tied parsimonious model
    index: object = None           # ``terms_index`` of the chosen models (binary literals), or None
    each: dict = field(default_factory=dict, compare=False)   # id of a model -> its own ``terms_index``

    def member(self, models, literals, member):
        """``member(models)`` for a list of one of this coding's models: its own terms' index
        into ``literals`` (``terms_index``, made once per model), else ``member`` itself."""
        if literals is None or len(models) != 1:
            return member(models)
        m = models[0]
        if id(m) not in self.each:
            self.each[id(m)] = (m, terms_index(self.solved.key[1], [m]))    # the model kept: its id stays its own
        index = self.each[id(m)][1]
        return literals.take(index) if index is not None else member(models)

    @property
    def error(self) -> str:
        return self.solved.error


def _signature(solved) -> tuple:
    """The models of every solution (or the error) as a key, to judge a claim about the models
    once per combination of them: each block's models in order, each term with its type."""
    if solved.error:
        return ("error", solved.error)
    m = solved.models
    blocks = [("complex", m["complex"]), ("parsimonious", m["parsimonious"]), *m["intermediate"]]
    return tuple((label, tuple(tuple((type(t), t) for t in model.terms) for model in models))
                 for label, models in blocks)


def _numbered(signature: tuple) -> int:
    """A number for ``signature`` (``_signature``): equal signatures, one number; a number is never
    given to another signature, even once the numbers are emptied (a verdict kept under an old
    number is then not found again, never found for other models)."""
    number = _SIGNATURES.get(signature)
    if number is None:
        make_room(_SIGNATURES, _REPORTED_LIMIT)
        number = _SIGNATURES[signature] = next(_NUMBERS)
    return number


def _reported(solved) -> _Reported:
    """What a row reports of ``solved``, made once per solve: kept by the identity of its models'
    dict, which the ``Solved`` of another coding solved at once shares (``analysis.coded.solve_key``
    gives it with its own key by ``dataclasses.replace``; a row reads the models, the error and
    the conditions, never the rest of the key).  The entry holds the first ``Solved``, and so the
    dict, so that its ``id`` is not given to another object while it is kept."""
    value = _REPORTED.get(id(solved.models))
    if value is None:
        if solved.error:
            value = _Reported(solved, solved.document(), _numbered(_signature(solved)))
        else:
            chosen = tuple(m for _, ms in solved.models[SOLUTION] for m in ms)
            parsimonious = solved.models["parsimonious"]
            value = _Reported(solved, solved.solutions(), _numbered(_signature(solved)), chosen, _models_text(chosen),
                              len({m.key for m in chosen}), _models_text(parsimonious),
                              frozenset(core_conditions(parsimonious)), terms_index(solved.key[1], chosen))
        make_room(_REPORTED, _REPORTED_LIMIT)
        _REPORTED[id(solved.models)] = value
    return value


def _binary(u: Universe) -> bool:
    """Whether every condition is binary (memberships in [0, 1]; no multi-value condition),
    computed once per universe: then a new coding's truth table is built from the coding
    (``analysis.multiverse.codings``)."""
    if u not in _BINARY:
        _BINARY[u] = all(float(np.nanmax(u.variants[c], initial=0.0)) <= 1 for c in u.conditions)
    return _BINARY[u]


def _variants(u: Universe, conds: tuple, cuts: tuple) -> list:
    """The analyses with a specification's conditions and cut-offs (made once per combination)."""
    known = _VARIANTS.setdefault(u, {})
    if (conds, cuts) not in known:
        known[(conds, cuts)] = [replace(a.with_conditions(conds), cuts=Cuts(*cuts)) for a in u.analyses]
    return known[(conds, cuts)]


def _solved(u: Universe, spec: _Spec, kept_cols: dict, kept_frame, rows) -> tuple:
    """Every analysis' ``_Reported`` and outcome memberships in this specification."""
    ys = _outcomes(u, kept_cols)
    variants = _variants(u, spec.conds, spec.cuts)
    if _binary(u) and rows[1] is not None:
        solved = solve_specification(variants, rows[0], ys, rows[1:], _KNOWN.setdefault(u, {}), spec.conds)
    else:
        solved = [solve_coding(v, kept_frame, rows[0], y, rows[1:]) for v, y in zip(variants, ys)]
    return [_reported(s) for s in solved], list(ys)


def _outcomes(u: Universe, kept_cols: dict) -> np.ndarray:
    """Every analysis' outcome memberships, one line each (``outcome_membership``: 1 - Y for a
    negated outcome), in one array; the analyses' outcome columns found once per universe."""
    if u not in _OUTCOMES:
        pairs = [outcome_of(a.outcome, a.neg_out) for a in u.analyses]
        _OUTCOMES[u] = ([name for name, _ in pairs], np.array([negated for _, negated in pairs], dtype=bool))
    names, negated = _OUTCOMES[u]
    ys = np.array([kept_cols[name] for name in names], dtype=float)
    ys[negated] = 1 - ys[negated]
    return ys


def _row(u: Universe, spec: _Spec, verdicts: dict) -> list:
    """A specification's values of the analyses', claims' and core columns (``columns`` after the
    choices), in order."""
    kept_cols = {s: v[spec.kept] for s, v in spec.columns.items()}
    frames = {}

    def kept_frame():
        if "f" not in frames:
            frames["f"] = pd.DataFrame(kept_cols, index=pd.Index([u.cases[i] for i in spec.kept], name="case"))
        return frames["f"]
    row = []
    docs, ys = {}, {}
    x = np.column_stack([kept_cols[c] for c in spec.conds])
    binary = _binary(u)
    rows = (x, *(binary_rows(x) if binary else observed_rows(x)))        # shared by every analysis (same conditions)
    literals = LiteralTable(x, spec.conds) if binary else None
    judged = Specification(u, spec, docs, ys, kept_cols, kept_frame, literals, verdicts)
    fitted, fits = [], []
    for a, solved, y in zip(u.analyses, *_solved(u, spec, kept_cols, kept_frame, rows)):
        ys[a.name] = y
        docs[a.name] = solved
        if solved.error:
            row += (0, np.nan, np.nan, "", "")
            continue
        fitted.append((len(row) + 1, y))
        fits.append(literals.take(solved.index) if literals and solved.index is not None
                    else judged.member(solved.chosen, len(y)))
        row += (solved.models, None, None, solved.solution, solved.parsimonious)
    _fill_fits(row, fitted, fits)
    for entry in _plan(u, spec.conds):
        row.append(None if entry is None else judge(judged, *entry))
    for name, lit in u.core:
        solved = docs[name]
        row.append(None if lit[0] not in spec.conds else False if solved.error else lit in solved.core)
    return row


def _fill_fits(row: list, fitted: list, fits: list) -> None:
    """Put each solution's inclS and covS (``sufficiency``: sum(min(X, Y)) / sum(X) and / sum(Y))
    at ``row[at]`` and ``row[at + 1]`` for each ``(at, y)`` of ``fitted``, ``fits`` holding the
    solutions' memberships X: every sum of the specification's solutions in one numpy pass (each
    over the cases in their order, as ``sufficiency`` sums them)."""
    if not fitted:
        return
    x = np.array(fits, dtype=float)
    y = np.array([y for _, y in fitted], dtype=float)
    s_xy, s_x, s_y = np.minimum(x, y).sum(axis=1), x.sum(axis=1), y.sum(axis=1)
    for (at, _), xy, sx, sy in zip(fitted, s_xy, s_x, s_y):
        row[at], row[at + 1] = ratio(xy, sx), ratio(xy, sy)


_ABOUT = weakref.WeakKeyDictionary()      # universe -> claim id -> the analyses it is about
_BINARY = weakref.WeakKeyDictionary()     # universe -> whether every condition is binary
_VARIANTS = weakref.WeakKeyDictionary()   # universe -> (conditions, cut-offs) -> the analyses
_KNOWN = weakref.WeakKeyDictionary()      # universe -> solve_specification's look-ups (tag: conditions, cut-offs)
_JOINT = weakref.WeakKeyDictionary()      # universe -> outcomes' anchor choices -> joint outcomes' memberships
_OUTCOMES = weakref.WeakKeyDictionary()   # universe -> each analysis' outcome column, and whether it is negated
_PLANS = weakref.WeakKeyDictionary()      # universe -> conditions -> each claim's (kind, claim as judged, analyses)
_VERDICTS = weakref.WeakKeyDictionary()   # universe -> (claim, what it reads) -> verdict, across chunks


def _verdicts(u: Universe) -> dict:
    """The claims' verdicts by what each reads (``analysis.multiverse.judge``: its analyses' models,
    their fits' verdicts, the memberships): shared by every chunk this process evaluates of ``u``
    (a claim is judged once per combination of what it reads, not once per specification or
    chunk)."""
    known = _VERDICTS.setdefault(u, {})
    make_room(known, _REPORTED_LIMIT)
    return known


def _about(u: Universe, claim) -> list:
    """The analyses a claim is about (computed once per claim and universe)."""
    known = _ABOUT.setdefault(u, {})
    key = str(claim["id"])
    if key not in known:
        wanted = {outcome_key(o) for o in outcomes_of(claim["check"])}
        known[key] = [a.name for a in u.analyses if outcome_key(a.name) in wanted]
    return known[key]


def _plan(u: Universe, conds: tuple) -> list:
    """For each claim, in a specification with the conditions ``conds``: None when the claim is not
    judged there (``beyond_defaults``), else (how its verdict is kept: ``judge.kind``, the claim as
    judged, the analyses it is about); made once per condition set."""
    known = _PLANS.setdefault(u, {})
    if conds not in known:
        plan = []
        for claim in u.claims:
            judged = beyond_defaults(claim, conds)
            plan.append(None if judged is None else (kind(judged["check"]), judged, _about(u, judged)))
        known[conds] = plan
    return known[conds]


def evaluate(u: Universe, numbers) -> pd.DataFrame:
    """One row per specification number (module docstring), in the order given."""
    numbers = np.asarray(list(numbers), dtype=np.int64)
    return frame(u, numbers, evaluate_rows(u, numbers))


def evaluate_rows(u: Universe, numbers) -> list:
    """``evaluate``'s rows as lists of the values after the choices' (what a worker sends back)."""
    joint_cache, verdicts = _JOINT.setdefault(u, {}), _verdicts(u)
    return [_row(u, _Spec(u, vi, joint_cache), verdicts) for vi in u.grid.decode(np.asarray(numbers, dtype=np.int64))]


def calibrated_variants(measures: pd.DataFrame, anchors: dict, scales: dict, shifts, calibration, sets) -> dict:
    """Each set's memberships under each anchor shift (rows), then under the study's own anchors
    (last row): the three anchors move together by ``shift`` x the codebook range.  ``anchors``:
    set -> (e, c, i) or ``SetCalibration`` (``Study.calibrations``); a set of another kind than
    direct has no anchors to move and keeps its own memberships."""
    out = {}
    for s, spec in anchors.items():
        own = spec if isinstance(spec, SetCalibration) else SetCalibration(anchors=tuple(spec))
        x = measures[s].to_numpy(dtype=float)
        lo, hi = scales[s]
        rows = [calibrate_set(x, tuple(v + d * (hi - lo) for v in own.anchors), calibration, s)
                for d in (shifts if s in sets and own.kind == "direct" else ())]
        rows.append(calibrate_set(x, own, calibration, s))
        out[s] = np.vstack(rows)
    return out
