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
- ``outcome`` or ``outcomes``: one name or a list; an outcome ``MPV``, its negation ``notMPV``
  or ``~MPV``;
- ``expect``: true or false; ``solution``: complex, parsimonious or intermediate;
- ``measure``: inclS, PRI or covS; ``min``, ``max``: numbers (``stable_core``: a share in
  [0, 1]; ``equifinality``: a whole number of configurations, at least 1);
- ``conditions``: a list of conditions or absences (``[CONTRACT, NORMS]``);
- ``groups``: names of the study file's ``groups`` (``[strategic, collaborative]``), each a list
  of conditions; ``resolve_groups`` puts the lists in place when the study file is read.
- ``models``: the published models, each a list of terms or one expression
  (``[[DEV*URB*LIT*STB, DEV*LIT*~IND*STB]]`` or ``["DEV*~IND + URB*STB"]``); ``fit``: the
  published fit of the model(s), a mapping of inclS, PRI and/or covS (or one per model);
- ``reference``: a file of published memberships (first column the cases, then sets), relative
  to the study file; ``sets``: the sets to compare (default: every set of the file).

``analysis.claims.checks`` says what each type checks.

>>> validate_claims([{"id": "c1", "text": "RISK is core", "check":
...                   {"type": "core", "condition": "~RISK", "outcome": "notMPV"}}], ["RISK"], ["MPV"])
>>> outcome_key("~MPV")
'notMPV'
"""
from __future__ import annotations

from dataclasses import dataclass

from ..qca import QCAError, SOLUTION_KINDS, parse

__all__ = ["CheckType", "CHECK_TYPES", "MEASURES", "validate_claims", "outcome_key", "outcomes_of", "literal",
           "resolve_groups", "resolve_references", "model_terms"]

MEASURES = ("inclS", "PRI", "covS")


@dataclass(frozen=True)
class CheckType:
    """One type of check: the fields it needs and those it may have."""

    name: str
    needs: tuple
    may: tuple = ()


CHECK_TYPES = {t.name: t for t in (
    CheckType("core", ("condition", "outcome"), ("expect",)),
    CheckType("appears", ("condition", "outcome"), ("expect", "solution")),
    CheckType("consistency", ("outcome",), ("solution", "measure", "min", "max")),
    CheckType("stable_core", ("outcome", "min")),
    CheckType("contains", ("conditions", "outcome"), ("expect", "solution")),
    CheckType("combines", ("groups", "outcome"), ("solution",)),
    CheckType("equifinality", ("outcome",), ("min", "solution")),
    CheckType("conjunctural", ("outcome",), ("solution",)),
    CheckType("solution", ("outcome", "models"), ("solution", "fit", "decimals")),
    CheckType("memberships", ("reference",), ("decimals", "sets")),
    CheckType("necessary", ("expression", "outcome"), ("inclN", "RoN", "expect")),
    CheckType("theory", ("theory", "outcome"), ("solution", "set", "measure", "min", "max")),
)}
THEORY_SETS = ("T", "S", "T*S", "~T*S", "T*~S", "~T*~S")
_OUTCOME_FIELDS = ("outcome", "outcomes")        # "outcome" in ``needs`` stands for either


def outcome_key(name: str) -> str:
    """``~MPV`` and ``notMPV`` name the same analysis: ``notMPV``."""
    name = str(name).strip()
    return "not" + name[1:].strip() if name.startswith("~") else name


def outcomes_of(check: dict) -> list:
    """The outcome names a check is about (``outcome`` and ``outcomes`` together)."""
    out = []
    for key in _OUTCOME_FIELDS:
        value = check.get(key, [])
        out += [value] if isinstance(value, str) else list(value or [])
    return out


def literal(text) -> tuple:
    """A claim's ``condition`` as one literal ``(name, present)``: ``RISK`` or ``~RISK``."""
    terms = parse(str(text))
    if len(terms) != 1 or len(terms[0]) != 1:
        raise QCAError(f"condition {text!r} must be one condition, e.g. RISK or ~RISK")
    return terms[0][0]


def _fields(check, kind: CheckType):
    allowed = set(kind.needs) | set(kind.may) | {"type"} | (set(_OUTCOME_FIELDS) if "outcome" in kind.needs else set())
    missing = [f for f in kind.needs if f != "outcome" and f not in check]
    if "outcome" in kind.needs and not any(check.get(f) for f in _OUTCOME_FIELDS):
        missing.append("outcome")
    if kind.name in ("consistency", "theory") and "min" not in check and "max" not in check:
        missing.append("min or max")
    extra = [str(f) for f in check if f not in allowed]
    if missing or extra:
        needs = ", ".join("outcome (or outcomes)" if f == "outcome" else f for f in kind.needs)
        raise QCAError(f"a {kind.name!r} check needs type, {needs}; missing: {', '.join(missing) or 'none'}; "
                       f"unknown: {', '.join(extra) or 'none'}")


def _number(check, key, low=None, high=None):
    v = check[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
        raise QCAError(f"{key!r} must be a number, got {v!r}")
    if (low is not None and v < low) or (high is not None and v > high):
        raise QCAError(f"{key!r} must be a share in [{low:g}, {high:g}], got {v!r}")


def _known_condition(text, conditions):
    name, _ = literal(text)
    if conditions is not None and name not in conditions:
        raise QCAError(f"unknown condition {name!r}; conditions: {', '.join(conditions)}")


def _check_groups(value, conditions, groups):
    """``groups``: two or more group names (of the study file's ``groups``), or the resolved
    mapping of group names to conditions."""
    if isinstance(value, dict):
        named = value
    elif isinstance(value, list) and all(isinstance(g, str) for g in value):
        if groups is None:
            raise QCAError("'groups' names groups, but the study file defines no 'groups'")
        unknown = [g for g in value if g not in groups]
        if unknown:
            raise QCAError(f"unknown group(s) {', '.join(unknown)}; groups: {', '.join(groups) or 'none'}")
        named = {g: groups[g] for g in value}
    else:
        raise QCAError(f"'groups' must be a list of group names, got {value!r}")
    if len(named) < 2:
        raise QCAError(f"'groups' needs two or more groups, got {len(named)}")
    for members in named.values():
        if not isinstance(members, (list, tuple)) or not members:
            raise QCAError(f"a group must be a non-empty list of conditions, got {members!r}")
        for c in members:
            _known_condition(c, conditions)


def model_terms(model) -> list:
    """A published model as its list of terms: ``"A*B + C"`` or ``["A*B", "C"]``."""
    terms = model.split("+") if isinstance(model, str) else list(model)
    return [str(t).strip() for t in terms]


def _check_models(models, conditions):
    if not isinstance(models, list) or not models:
        raise QCAError(f"'models' must be a non-empty list of models (each a list of terms or an expression), "
                       f"got {models!r}")
    for model in models:
        if not isinstance(model, (str, list)) or not model:
            raise QCAError(f"a model must be a list of terms or an expression such as 'A*B + C', got {model!r}")
        for term in model_terms(model):
            for name, _ in (parse(term)[0] if term else ()):
                if conditions is not None and name not in conditions:
                    raise QCAError(f"model {model!r}: unknown condition {name!r}; conditions: {', '.join(conditions)}")


def _check_expression(value, key, conditions):
    if not isinstance(value, str) or not value.strip():
        raise QCAError(f"{key!r} must be an expression such as 'A*~B + C', got {value!r}")
    parse(value, conditions)


def _check_fit(fit, n_models):
    fits = fit if isinstance(fit, list) else [fit]
    if isinstance(fit, list) and len(fit) != n_models:
        raise QCAError(f"'fit' lists {len(fit)} fits for {n_models} model(s); give one mapping, or one per model")
    for f in fits:
        if not isinstance(f, dict) or not f or any(k not in MEASURES for k in f):
            raise QCAError(f"'fit' must map {', '.join(MEASURES)} to numbers, got {f!r}")
        for k, v in f.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise QCAError(f"fit {k} must be a number, got {v!r}")


def _check_values(check, conditions, outcomes, groups=None):
    if "condition" in check:
        _known_condition(check["condition"], conditions)
    if "conditions" in check:
        value = check["conditions"]
        if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
            raise QCAError(f"'conditions' must be a non-empty list of conditions, got {value!r}")
        for c in value:
            _known_condition(c, conditions)
    if "groups" in check:
        _check_groups(check["groups"], conditions, groups)
    if "expect" in check and not isinstance(check["expect"], bool):
        raise QCAError(f"'expect' must be true or false, got {check['expect']!r}")
    if "solution" in check and check["solution"] not in SOLUTION_KINDS:
        raise QCAError(f"solution must be one of {', '.join(SOLUTION_KINDS)}, got {check['solution']!r}")
    if "measure" in check and check["measure"] not in MEASURES:
        raise QCAError(f"measure must be one of {', '.join(MEASURES)}, got {check['measure']!r}")
    for key in ("min", "max"):
        if key in check:
            _number(check, key, *((0, 1) if check["type"] == "stable_core" else ()))
    if "models" in check:
        _check_models(check["models"], conditions)
    for key in ("expression", "theory"):
        if key in check:
            _check_expression(check[key], key, conditions)
    for key in ("inclN", "RoN"):
        if key in check:
            _number(check, key, 0, 1)
    if "set" in check and check["set"] not in THEORY_SETS:
        raise QCAError(f"set must be one of {', '.join(THEORY_SETS)}, got {check['set']!r}")
    if "fit" in check:
        _check_fit(check["fit"], len(check.get("models") or []))
    if "decimals" in check and (isinstance(check["decimals"], bool) or check["decimals"] not in range(0, 13)):
        raise QCAError(f"'decimals' must be a whole number from 0 to 12, got {check['decimals']!r}")
    if "reference" in check and (not isinstance(check["reference"], str) or not check["reference"].strip()):
        raise QCAError(f"'reference' must name a file, got {check['reference']!r}")
    if "sets" in check and (not isinstance(check["sets"], list) or not all(isinstance(x, str) for x in check["sets"])):
        raise QCAError(f"'sets' must be a list of set names, got {check['sets']!r}")
    if check["type"] == "equifinality" and "min" in check and (check["min"] != int(check["min"]) or check["min"] < 1):
        raise QCAError(f"'min' must be a whole number of configurations, at least 1, got {check['min']!r}")
    names = outcomes_of(check)
    bad = [o for o in names if not isinstance(o, str)]
    if bad:
        raise QCAError(f"outcomes must be names, got {bad[0]!r}")
    if outcomes is not None:
        allowed = set(outcomes) | {"not" + o for o in outcomes}
        unknown = [o for o in names if outcome_key(o) not in allowed]
        if unknown:
            raise QCAError(f"unknown outcome(s) {', '.join(map(str, unknown))}; outcomes: {', '.join(outcomes)} "
                           "and their negations not<NAME> or ~<NAME>")


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
    for claim in claims or []:
        check = claim["check"]
        if isinstance(check.get("reference"), str):
            path = (folder / check["reference"]).resolve()
            if not path.is_file():
                raise QCAError(f"claim {claim['id']}: reference {check['reference']!r} not found (looked for {path})")
            claim = {**claim, "check": {**check, "reference": str(path)}}
        out.append(claim)
    return out


def validate_claims(claims, conditions=None, outcomes=None, where: str = "claims", groups=None) -> None:
    """Check the form of every claim (ids, texts, types, fields, names) without any results.

    ``conditions`` and ``outcomes`` (the study's) check the names, ``groups`` (the study's
    ``{group: [conditions]}``) the group names of ``combines`` checks; ``where`` starts every
    message (e.g. ``data/ppip/study.yml: claims``), followed by the claim's position and id.
    """
    if claims is None:
        return
    if not isinstance(claims, list):
        raise QCAError(f"{where}: must be a list of {{id, text, check}}")
    seen = set()
    for i, claim in enumerate(claims):
        at = f"{where}[{i}]"
        if not isinstance(claim, dict):
            raise QCAError(f"{at}: must be a mapping with id, text and check")
        missing = [k for k in ("id", "text", "check") if k not in claim]
        if missing:
            raise QCAError(f"{at}: missing key(s) {', '.join(missing)}")
        unknown = [str(k) for k in claim if k not in ("id", "text", "check")]
        if unknown:
            raise QCAError(f"{at}: unknown key(s) {', '.join(unknown)}; a claim has id, text and check")
        cid = str(claim["id"])
        at = f"{where}[{i}] ({cid})"
        if cid in seen:
            raise QCAError(f"{at}: claim id {cid} is used twice")
        seen.add(cid)
        if not isinstance(claim["text"], str) or not claim["text"].strip():
            raise QCAError(f"{at}.text: must be a non-empty text")
        check = claim["check"]
        kind = CHECK_TYPES.get(check.get("type")) if isinstance(check, dict) else None
        if kind is None:
            found = check.get("type") if isinstance(check, dict) else check
            raise QCAError(f"{at}.check.type: unknown check type {found!r}; known: {', '.join(CHECK_TYPES)}")
        try:
            _fields(check, kind)
            _check_values(check, conditions, outcomes, groups)
        except QCAError as e:
            raise QCAError(f"{at}.check: {e}") from None
