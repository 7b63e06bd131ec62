"""The claims of one multiverse specification, each judged once per combination of what it reads.

``analysis.multiverse.evaluate`` solves a specification's analyses; a claim's verdict
(``analysis.claims.claim_status``, the run's ledger rule) then depends on little of the
specification, and is kept in a dict shared by the chunks a process evaluates (``verdicts``):

* a claim about the models (``core``, ``contains``, ...): on the models of its analyses, their
  numbers (``_Reported.signature``);
* a ``consistency`` claim (``FIT``): on the models and whether each model's fit meets the
  claim's bounds (``analysis.claims.checks.fit_holds``; the fits are the ones ``claim_status``
  reads, ``sufficiency`` of the model on the specification's memberships);
* a membership claim (``necessary``, ``theory``): on the memberships it reads (the anchor choices
  of its sets, the cases kept) and, for ``theory``, the models.

A verdict not kept yet is ``claim_status`` itself.  ``Specification`` holds what one
specification's claims read; ``judge`` gives one claim's verdict.
"""
from __future__ import annotations

import weakref

from ..claims import claim_status
from ..claims.checks import fit_holds, solution_kind
from ..claims.memberships import check_necessary
from ..claims.schema import claim_conditions
from ..qca import Model
from ..qca.fit import sufficiency
from ..qca.sets import models_membership

__all__ = ["FIT", "MEMBERSHIPS", "MODELS", "Specification", "judge", "kind"]

MODELS, FIT, MEMBERSHIPS = "models", "fit", "memberships"
_FIT_CHECKS = ("consistency",)             # beyond the defaults a solution claim has no fit
_MEMBERSHIP_CHECKS = ("necessary", "theory")
_READS = weakref.WeakKeyDictionary()      # universe -> claim id -> the sets a membership claim reads
_EXPRESSIONS: dict = {}                    # the text of a necessary claim's expression -> its terms


def kind(check) -> str:
    """How a claim's verdict is kept (module docstring): ``MODELS``, ``FIT`` or ``MEMBERSHIPS``."""
    return MEMBERSHIPS if check["type"] in _MEMBERSHIP_CHECKS else FIT if check["type"] in _FIT_CHECKS else MODELS


class Specification:
    """What the claims of one specification read: its ``_Reported`` by analysis (``docs``), the
    outcomes' memberships (``ys``), the kept cases' memberships (``kept``: set -> array, and
    ``frame()``: as a frame), the literal table (or None: multi-value conditions) and the
    kept verdicts."""

    __slots__ = ("u", "spec", "docs", "ys", "kept", "frame", "literals", "verdicts")

    def __init__(self, u, spec, docs, ys, kept, frame, literals, verdicts):
        self.u, self.spec, self.docs, self.ys, self.kept = u, spec, docs, ys, kept
        self.frame, self.literals, self.verdicts = frame, literals, verdicts

    def member(self, models, n_cases):
        """The kept cases' membership in the union of ``models``' terms."""
        if self.literals is not None:
            return self.literals.membership(models)
        return models_membership(self.kept, models, n_cases)

    def model_member(self, name):
        """``member`` of a list of one of analysis ``name``'s models (from its own terms' index)."""
        doc, n_cases = self.docs[name], len(self.ys[name])
        return lambda ms: doc.member(ms, self.literals, lambda ms: self.member(ms, n_cases))


def judge(s: Specification, how: str, claim, names) -> bool:
    """The verdict of ``claim`` (as judged in this specification: ``beyond_defaults``), kept as
    ``how`` says (``kind``), about the analyses ``names``."""
    docs, verdicts = s.docs, s.verdicts
    if how == MODELS:
        key = (claim["id"], tuple(docs[n].signature for n in names))     # the verdict reads the documents only
        if key not in verdicts:
            verdicts[key] = claim_status(claim, {n: docs[n].claimed for n in names})[0]
        return verdicts[key]
    if how == FIT:
        return _fitted(s, claim, names)
    check = claim["check"]
    key = (MEMBERSHIPS, claim["id"], s.spec.kept_index, _reads(s.u, s.spec, claim),
           tuple(docs[n].signature for n in names) if check["type"] == "theory" else ())
    if key not in verdicts:
        verdict = _necessary(s, check) if check["type"] == "necessary" else None
        verdicts[key] = verdict if verdict is not None else \
            claim_status(claim, {n: docs[n].claimed for n in names}, None, s.frame())[0]
    return verdicts[key]


def _fitted(s: Specification, claim, names) -> bool:
    """A ``consistency`` claim's verdict: kept by its analyses' models and whether each model's fit
    (``sufficiency`` on this specification's memberships, as ``claim_status`` reads it) meets the
    claim (``fit_holds``); judged by ``claim_status`` on the fitted solutions when not kept."""
    check, what = claim["check"], solution_kind(claim["check"])
    holds = []
    for n in names:
        doc = s.docs[n]
        if doc.error:
            continue
        member, y, fits = s.model_member(n), s.ys[n], {}
        for m in _models(doc.solved.models, what):
            if id(m) not in fits:
                fits[id(m)] = fit_holds(check, sufficiency(member([m]), y))
            holds.append(fits[id(m)])
    key = (FIT, claim["id"], tuple(s.docs[n].signature for n in names), tuple(holds))
    if key not in s.verdicts:
        s.verdicts[key] = claim_status(claim, {n: s.docs[n].solved.solutions(s.ys[n], (what,), s.model_member(n))
                                               for n in names})[0]
    return s.verdicts[key]


def _models(models: dict, what: str):
    """The models of the ``what`` solution in the order the claims read them (every intermediate
    block's, in order)."""
    if what != "intermediate":
        return models[what]
    return [m for _, ms in models["intermediate"] for m in ms]


def _necessary(s: Specification, check):
    """A ``necessary`` claim's verdict on the kept cases' own arrays (no frame), or None when its
    expression is not one of the binary conditions' (``check_necessary`` on the frame)."""
    terms = _expression(check["expression"])
    if s.literals is None or not all(name in s.spec.conds for term in terms for name, _ in term):
        return None
    return check_necessary(check, s.kept, s.literals.membership([terms]))[0]


def _expression(text: str) -> tuple:
    """The terms of an expression (parsed once per text)."""
    if text not in _EXPRESSIONS:
        _EXPRESSIONS[text] = Model.parse(text).terms
    return _EXPRESSIONS[text]


def _reads(u, spec, claim) -> tuple:
    """The anchor choices of the sets whose memberships a membership claim reads: the conditions
    it names and the measured outcomes (a joint outcome is computed from them); a ``theory``
    claim also reads the conditions of the models, so every set's."""
    known = _READS.setdefault(u, {})
    key = str(claim["id"])
    if key not in known:
        check = claim["check"]
        known[key] = sorted(u.variants if check["type"] == "theory" else claim_conditions(check) | set(u.outcomes))
    return tuple(spec.shift.get(s, -1) for s in known[key])
