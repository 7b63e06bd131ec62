"""The claim schema: the one place where the form of a claim in a study file is defined and checked.

A study file lists the claims a paper makes about its configurations (``claims:``), each with an
``id``, a ``text`` and a machine-checkable ``check``.  A check has a ``type`` and the fields
that type takes (``CHECK_TYPES``):

==================  ========================================  ====================================
type                needs                                     may have
==================  ========================================  ====================================
``core``            ``condition``, ``outcome(s)``             ``expect`` (true)
``appears``         ``condition``, ``outcome(s)``             ``expect`` (true), ``solution``
                                                              (intermediate)
``peripheral``      ``condition``, ``outcome(s)``
``consistency``     ``outcome(s)``, ``min`` and/or ``max``    ``solution`` (intermediate),
                                                              ``measure`` (inclS; or PRI, covS)
``stable_core``     ``outcome(s)``, ``min`` (a share)
``contains``        ``conditions`` (a list), ``outcome(s)``   ``expect`` (true), ``solution``
``combines``        ``groups`` (two or more), ``outcome(s)``  ``solution``
``equifinality``    ``outcome(s)``                            ``min`` (2), ``solution``
``conjunctural``    ``outcome(s)``                            ``solution``
``solution``        ``outcome``, ``models``                   ``solution`` (intermediate), ``fit``,
                                                              ``decimals`` (3)
``memberships``     ``reference`` (a CSV of memberships)      ``decimals`` (2), ``sets``
``necessary``       ``expression``, ``outcome(s)``            ``inclN`` (0.9), ``RoN`` (0.5),
                                                              ``expect`` (true)
``theory``          ``theory``, ``outcome(s)``, ``min``       ``solution``, ``set`` (T*S),
                    and/or ``max``                            ``measure`` (covS)
==================  ========================================  ====================================

Field forms, accepted for every type that takes the field:

- ``condition``: a condition of the study or its absence, ``RISK`` or ``~RISK``;
- ``outcome`` or ``outcomes`` (not both): one name or a list; an outcome ``MPV``, its negation
  ``notMPV`` or ``~MPV``;
- ``expect``: true or false; ``solution``: complex, parsimonious or intermediate;
- ``measure``: inclS, PRI or covS; ``min``, ``max``: shares in [0, 1], ``min`` not above
  ``max`` (``equifinality``'s ``min``: a whole number of configurations, at least 1);
- ``conditions``: a list of conditions or absences (``[CONTRACT, NORMS]``);
- ``groups``: names of the study file's ``groups`` (``[strategic, collaborative]``), each a list
  of conditions; ``resolve_groups`` puts the lists in place when the study file is read.
- ``models``: the published models, each a list of terms or one expression
  (``[[DEV*URB*LIT*STB, DEV*LIT*~IND*STB]]`` or ``["DEV*~IND + URB*STB"]``); ``fit``: the
  published fit of the model(s), a mapping of inclS, PRI and/or covS (or one per model);
- ``reference``: a file of published memberships (first column the cases, then sets), relative
  to the study file; ``sets``: the sets to compare (default: every set of the file).

Besides ``id``, ``text`` and ``check`` a claim may say where it comes from: ``basis`` (``BASES``:
``abstract``, the article's abstract says it; ``article``, its text; ``published``, a published
table or solution; ``interpretation``, the default: the compendium's reading of the article),
``quote`` (the article's words it reads) and ``reading`` (for an interpretation: how the
compendium turns those words into the check, and what other reading there is).

``FORMS`` says each field's form once (``analysis.schema``); a ``CheckType`` picks its fields,
may replace a form and adds its rules; ``CLAIMS`` is the ``claims:`` list.  ``analysis.claims.checks``
says what each type checks.

>>> validate_claims([{"id": "c1", "text": "RISK is core", "check":
...                   {"type": "core", "condition": "~RISK", "outcome": "notMPV"}}], ["RISK"], ["MPV"])
>>> outcome_key("~MPV")
'notMPV'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import INPUT_ERRORS, StudyError
from ..qca import SOLUTION_KINDS, parse
from ..schema import (DECIMALS, FLAG, SHARE, TEXT, AT_LEAST_ONE, Constraint, Either, Expression, Fields, Integral,
                      Interval, ListOf, MappingOf, Name, Names, Options, Ref, Text, child, fail, show, validate)

__all__ = ["BASES", "DEFAULTS_ONLY", "beyond_defaults", "claim_conditions", "CheckType", "CHECK_TYPES", "CLAIMS", "FORMS", "MEASURES", "validate_claims", "outcome_key", "outcomes_of",
           "literal", "resolve_groups", "resolve_references", "model_terms"]

MEASURES = ("inclS", "PRI", "covS")
THEORY_SETS = ("T", "S", "T*S", "~T*S", "T*~S", "~T*~S")
OUTCOME = ("outcome", "outcomes")        # one of them: an outcome or a list of outcomes
BOUNDS = ("min", "max")                  # at least one of them


def outcome_key(name: str) -> str:
    """``~MPV`` and ``notMPV`` name the same analysis: ``notMPV``."""
    name = str(name).strip()
    return "not" + name[1:].strip() if name.startswith("~") else name


def outcomes_of(check: dict) -> list:
    """The outcome names a check is about (``outcome`` and ``outcomes`` together)."""
    out = []
    for key in OUTCOME:
        value = check.get(key, [])
        out += [value] if isinstance(value, str) else list(value or [])
    return out


#: Claims judged at the study's own settings only: a ``memberships`` claim is about the calibration
#: with the published anchors (other anchors give other memberships by definition), a
#: ``stable_core`` claim about the robustness tests themselves.  The robustness tests and the
#: multiverse do not judge them.
DEFAULTS_ONLY = ("memberships", "stable_core")


def beyond_defaults(claim, conditions):
    """The claim as a robustness test or a multiverse specification with ``conditions`` judges
    it, or None when it cannot: a claim judged at the study's settings only (``DEFAULTS_ONLY``)
    or naming a condition left out.  A ``solution`` claim is judged by its models alone: its
    published fit values change with any other choice by definition.

    >>> c = {"id": "s", "check": {"type": "solution", "outcome": "Y", "models": ["A"], "fit": {"inclS": 0.9}}}
    >>> beyond_defaults(c, ["A", "B"])["check"]
    {'type': 'solution', 'outcome': 'Y', 'models': ['A']}
    >>> beyond_defaults(c, ["B"]) is None
    True
    """
    check = claim["check"]
    if check["type"] in DEFAULTS_ONLY or not claim_conditions(check) <= set(conditions):
        return None
    if check["type"] == "solution" and "fit" in check:
        return {**claim, "check": {k: v for k, v in check.items() if k != "fit"}}
    return claim


def claim_conditions(check) -> set:
    """The conditions a claim's check names (``condition``, ``conditions``, ``groups``,
    ``expression``, ``theory``, a published solution's ``models``): a test or specification
    without one of them cannot judge it.

    >>> sorted(claim_conditions({"type": "contains", "conditions": ["A", "~B"], "outcome": "Y"}))
    ['A', 'B']
    """
    names = []
    if "condition" in check:
        names.append(check["condition"])
    for key in ("expression", "theory"):
        if key in check:
            names += [n for term in parse(check[key]) for n, _ in term]
    names += list(check.get("conditions") or [])
    for model in check.get("models") or []:                   # a published solution's conditions
        names += [n for t in model_terms(model) for term in parse(t) for n, _ in term]
    groups = check.get("groups")
    if isinstance(groups, dict):
        names += [c for members in groups.values() for c in members]
    return {str(n).lstrip("~").strip() for n in names}


def literal(text) -> tuple:
    """A claim's ``condition`` as one literal ``(name, present)``: ``RISK`` or ``~RISK``."""
    terms = parse(str(text))
    if len(terms) != 1 or len(terms[0]) != 1:
        raise StudyError(f"condition {text!r} must be one condition, e.g. RISK or ~RISK")
    return terms[0][0]


def model_terms(model) -> list:
    """A published model as its list of terms: ``"A*B + C"`` or ``["A*B", "C"]``."""
    terms = model.split("+") if isinstance(model, str) else list(model)
    return [str(t).strip() for t in terms]


class Literal(Constraint):
    """One condition of the study or its absence: ``RISK`` or ``~RISK`` (``literal``)."""

    def describe(self) -> str:
        return self.what or "one condition or its absence, e.g. RISK or ~RISK"

    def check(self, value, where, context):
        try:
            name, _ = literal(value) if isinstance(value, str) else literal("")
        except INPUT_ERRORS:
            self.reject(value, where)
        Name(known=Ref("conditions"), noun="condition").check(name, where, context)
        return value


class Outcome(Constraint):
    """An outcome the study analyses, or its negation (``notMPV``, ``~MPV``)."""

    def describe(self) -> str:
        return self.what or "an outcome name"

    def check(self, value, where, context):
        known = Ref("outcomes").names(context)
        if not isinstance(value, str):
            self.reject(value, where)
        if known is not None and outcome_key(value) not in set(known) | {"not" + o for o in known}:
            fail(where, f"unknown outcome {value!r}",
                 f"allowed: {', '.join(known)} and their negations not<NAME> or ~<NAME>")
        return value


class Reference(Text):
    """A file relative to the study file's folder (the context's ``folder``): its absolute path."""

    def check(self, value, where, context):
        text = super().check(value, where, context)
        if context.get("folder") is None:
            return text
        path = (Path(context["folder"]) / text).resolve()
        if not path.is_file():
            fail(where, f"{text!r} not found (looked for {path})", "name a file relative to the study file")
        return str(path)


def _one_outcome_field(check, where, context):
    if "outcome" in check and "outcomes" in check:
        fail(where, "both outcome and outcomes are given", "give outcome (one name) or outcomes (a list), not both")


def _min_not_above_max(check, where, context):
    if "min" in check and "max" in check and check["min"] > check["max"]:
        fail(where, f"min {check['min']:g} is above max {check['max']:g}", "give min <= max")


def _fit_per_model(check, where, context):
    fit, models = check.get("fit"), check.get("models") or []
    if isinstance(fit, list) and len(fit) != len(models):
        fail(child(where, "fit"), f"lists {len(fit)} fits for {len(models)} model(s)",
             "give one mapping, or one per model")


CONDITIONS = Ref("conditions")
OUTCOMES = Either({str: Outcome(), list: ListOf(Outcome(), non_empty=True)}, what="an outcome or a list of outcomes")
FIT = MappingOf(SHARE, keys=Options(*MEASURES), at_least=1, what=f"a mapping of {', '.join(MEASURES)} to numbers")
FORMS = {                                # each field's form, for every type that takes it ("type": below)
    "condition": Literal(), "outcome": OUTCOMES, "outcomes": OUTCOMES,
    "expect": FLAG, "solution": Options(*SOLUTION_KINDS), "measure": Options(*MEASURES), "set": Options(*THEORY_SETS),
    "min": SHARE, "max": SHARE, "inclN": SHARE, "RoN": SHARE, "decimals": DECIMALS,
    "conditions": ListOf(Literal(), non_empty=True, what="a non-empty list of conditions"),
    "groups": Either({list: Names(known=Ref("groups"), noun="group", at_least=2),
                      dict: MappingOf(Names(known=CONDITIONS, noun="condition"), at_least=2)},
                     what="a list of two or more groups"),
    "models": ListOf(Either({str: Expression(CONDITIONS),
                             list: ListOf(Expression(CONDITIONS, terms=1), non_empty=True)},
                            what="a list of terms or an expression such as 'A*B + C'"),
                     non_empty=True, what="a non-empty list of models"),
    "fit": Either({dict: FIT, list: ListOf(FIT)}, what="a mapping of inclS, PRI and/or covS, or one per model"),
    "reference": Reference(strip=False, what="a file name, relative to the study file"), "sets": Names(noun="set"),
    "expression": Expression(CONDITIONS), "theory": Expression(CONDITIONS),
}


@dataclass(frozen=True)
class CheckType:
    """One type of check: the fields it needs (a tuple in it: at least one of those), those it
    may have, the ``forms`` that replace the common ones (``FORMS``) and its ``rules``."""

    name: str
    needs: tuple
    may: tuple = ()
    forms: dict = field(default_factory=dict)
    rules: tuple = ()

    @cached_property
    def table(self) -> Fields:
        """The check's table: its fields, in ``analysis.schema``'s terms."""
        keys = ["type"] + [k for n in self.needs for k in ((n,) if isinstance(n, str) else n)] + list(self.may)
        return Fields({k: self.forms.get(k, FORMS[k]) for k in keys}, required=("type", *self.needs),
                      rules=((_one_outcome_field,) if OUTCOME in self.needs else ()) + self.rules)

    def describe(self) -> str:
        return f"a {self.name!r} check needs type, " + ", ".join(
            n if isinstance(n, str) else " or ".join(n) for n in self.needs) + \
            (f" and may have {', '.join(self.may)}" if self.may else "")


CHECK_TYPES = {t.name: t for t in (
    CheckType("core", ("condition", OUTCOME), ("expect",)),
    CheckType("appears", ("condition", OUTCOME), ("expect", "solution")),
    CheckType("peripheral", ("condition", OUTCOME)),
    CheckType("consistency", (OUTCOME, BOUNDS), ("solution", "measure"), rules=(_min_not_above_max,)),
    CheckType("stable_core", (OUTCOME, "min")),
    CheckType("contains", ("conditions", OUTCOME), ("expect", "solution")),
    CheckType("combines", ("groups", OUTCOME), ("solution",)),
    CheckType("equifinality", (OUTCOME,), ("min", "solution"),
              forms={"min": AT_LEAST_ONE.but(what="a whole number of configurations, at least 1")}),
    CheckType("conjunctural", (OUTCOME,), ("solution",)),
    CheckType("solution", (OUTCOME, "models"), ("solution", "fit", "decimals"), rules=(_fit_per_model,)),
    CheckType("memberships", ("reference",), ("decimals", "sets")),
    CheckType("necessary", ("expression", OUTCOME), ("inclN", "RoN", "expect")),
    CheckType("theory", ("theory", OUTCOME, BOUNDS), ("solution", "set", "measure"), rules=(_min_not_above_max,)),
)}
FORMS["type"] = Options(*CHECK_TYPES)    # (``Check`` reads the type first, to choose the table)


class Check(Constraint):
    """A claim's check: a ``type`` of ``CHECK_TYPES`` and the fields that type takes."""

    def check(self, value, where, context):
        if not isinstance(value, dict):
            fail(where, f"got {show(value)}", "must be a mapping with a type and the fields of that type")
        kind = CHECK_TYPES.get(value.get("type")) if isinstance(value.get("type"), str) else None
        if kind is None:
            fail(child(where, "type"), f"unknown check type {show(value.get('type'))}",
                 f"allowed: {', '.join(CHECK_TYPES)}")
        missing, unknown = kind.table.problems(value)
        if missing or unknown:
            fail(where, f"missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'}",
                 kind.describe())
        return kind.table.check(value, where, context)


def _claim_id(claim):
    """A claim's id as its path shows it: ``claims[3] (risk-core)``."""
    cid = claim.get("id") if isinstance(claim, dict) else None
    return cid.strip()[:60] if isinstance(cid, str) else show(cid) if isinstance(cid, int) else None


def _unique_ids(claims, where, context):
    seen = set()
    for i, claim in enumerate(claims):
        if str(claim["id"]) in seen:
            fail(f"{where}[{i}] ({claim['id']})", f"claim id {claim['id']} is used twice",
                 "give every claim its own id")
        seen.add(str(claim["id"]))


#: Where a claim comes from: the words of the article's abstract, the article's text, a published
#: result (data or solution), or the compendium's own reading of the article (the default: a claim
#: not attributed to the article is never presented as the article's).
BASES = ("abstract", "article", "published", "interpretation")
CLAIMS = ListOf(Fields({"id": Either({str: TEXT, int: Interval(Integral)}, what="a name such as risk-core"),
                        "text": TEXT, "check": Check(),
                        "basis": Options(*BASES, default="interpretation"), "quote": TEXT, "reading": TEXT},
                       required=("id", "text", "check")),
                label=_claim_id, rules=(_unique_ids,), default=[], what="a list of {id, text, check}")


def resolve_groups(claims, groups) -> list:
    """The claims with every ``groups`` list of names replaced by ``{name: [conditions]}`` from
    the study file's ``groups`` (validated claims; the others are returned as they are)."""
    out = []
    for claim in claims or []:
        check = claim["check"]
        if isinstance(check.get("groups"), list):
            check = {**check, "groups": {g: list(groups[g]) for g in check["groups"]}}
            claim = {**claim, "check": check}
        out.append(claim)
    return out


def resolve_references(claims, folder) -> list:
    """The claims with every ``reference`` file made absolute (relative to the study ``folder``)."""
    out = []
    for i, claim in enumerate(claims or []):
        check = claim["check"]
        if isinstance(check.get("reference"), str):
            where = f"claims[{i}] ({claim['id']}).check.reference"
            claim = {**claim, "check": {**check, "reference": validate(check["reference"], FORMS["reference"], where,
                                                                         folder=folder)}}
        out.append(claim)
    return out


def validate_claims(claims, conditions=None, outcomes=None, where: str = "claims", groups=None) -> None:
    """Check the form of every claim (ids, texts, types, fields, names) without any results.

    ``conditions`` and ``outcomes`` (the study's) check the names, ``groups`` (the study's
    ``{group: [conditions]}``) the group names of ``combines`` checks; ``where`` starts every
    message (e.g. ``data/ppip/study.yml: claims``), followed by the claim's position and id.

    >>> validate_claims([{"id": "c", "text": "t", "check": {"type": "consistency", "outcome": "Y", "min": 2}}])
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: claims[0] (c).check.min: got 2; must lie in [0, 1]
    """
    if claims is not None:
        validate(claims, CLAIMS, where, conditions=conditions, outcomes=outcomes,
                 groups=groups if groups is not None else {})
