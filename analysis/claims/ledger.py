"""The claims ledger: the study's substantive claims, checked against the solutions of this run.

After the truth tables are minimised and the robustness tests run, ``ledger`` tests every claim
of the study file and reports ``pass`` or ``fail`` with the evidence, so that a reader sees at
once which statements the data at hand (and the chosen thresholds) support.  This is the logic
of a *replication ledger*: claims are stated before the analysis and are not edited to fit it.
A claim passes only if it holds in every tied model (``analysis.claims.checks``).

>>> results = {"Y": {"parsimonious": {"models": [["A*B"]]}}}
>>> claims = [{"id": "a", "text": "A is core", "check": {"type": "core", "condition": "A", "outcome": "Y"}}]
>>> evaluate_claims(claims, results)[["id", "status", "evidence"]]
  id status                               evidence
0  a   pass  Y parsimonious: A*B -> A core
"""
from __future__ import annotations

import pandas as pd

from ..errors import INPUT_ERRORS, StudyError
from ..qca import Solutions
from .checks import CHECKS, check_stable_core, solution_kind
from .memberships import check_memberships, check_necessary, check_theory
from .schema import outcome_key, outcomes_of, validate_claims

__all__ = ["COLUMNS", "claim_status", "evaluate_claims", "ledger"]

COLUMNS = ["id", "text", "basis", "status", "evidence"]


def _row(claim, holds, evidence) -> dict:
    return {"id": str(claim["id"]), "text": str(claim.get("text", "")),
            "basis": str(claim.get("basis", "interpretation")), "status": "pass" if holds else "fail",
            "evidence": evidence}


def _verdict(claim, results, stability, memberships=None) -> tuple:
    check = claim["check"]
    try:
        if check["type"] == "stable_core":
            return check_stable_core(check, stability)
        if check["type"] == "memberships":
            return check_memberships(check, memberships)
        if check["type"] == "necessary":
            return check_necessary(check, memberships)
        if check["type"] == "theory":
            return check_theory(check, results, memberships)
        return CHECKS[check["type"]](check, results)
    except INPUT_ERRORS as e:
        raise StudyError(f"claim {claim['id']}: {e}") from None


def evaluate_claims(claims, results, stability=None, memberships=None) -> pd.DataFrame:
    """Test every claim against ``results``; one row per claim: id, text, basis, status, evidence.

    ``results`` maps an outcome name (``MPV``, ``notMPV`` or ``~MPV``, ...) to its ``Solutions``
    (``analysis.qca.solve``) or their JSON (``Solutions.to_json()``, or the command line's result
    with a ``solutions`` key).  ``status`` is ``"pass"`` only when the claim holds in *every*
    tied model of the solution it is about (every intermediate block, too); otherwise
    ``"fail"``, and ``evidence`` lists each model's verdict and says when tied models disagree.
    ``stability`` maps an outcome to its core-stability table (``analysis.robustness``:
    condition, core_in, tests, share), for ``stable_core`` checks; ``memberships`` the calibrated
    memberships, for ``memberships`` checks.  A malformed claim or an
    outcome without results raises ``StudyError``.
    """
    validate_claims(claims)
    rows = [_row(claim, *_verdict(claim, results, stability, memberships)) for claim in claims or []]
    return pd.DataFrame(rows, columns=COLUMNS)


def ledger(claims, documents: dict, stability: dict, memberships=None) -> pd.DataFrame:
    """The ledger of a run: ``documents`` maps each analysis to its ``solutions/<analysis>.json``
    (with an ``error`` when it has no solution), ``stability`` each analysis to its
    core-stability records, ``memberships`` holds the calibrated memberships (step 2).  A claim
    about an analysis without a solution fails, with the reason as its evidence (no solution is
    evidence against every claim about it)."""
    return pd.DataFrame([_row(claim, *claim_status(claim, documents, stability, memberships))
                         for claim in claims or []], columns=COLUMNS)


def claim_status(claim, documents: dict, stability=None, memberships=None) -> tuple:
    """(holds, evidence) of one claim against the documents of a run (``ledger``'s rule).  A
    document may also be the engine's ``Solutions`` (the multiverse's, kept in memory: read as
    its JSON would be, without writing and parsing it)."""
    check = claim["check"]
    kind = solution_kind(check)
    reasons = {}
    for o in outcomes_of(check) if kind else ():
        key = outcome_key(o)
        doc = next((d for name, d in documents.items() if outcome_key(name) == key), None)
        if doc is None:
            continue
        if _failed(doc):
            reasons[key] = f"no solution ({doc['error']})"
        elif kind in _undefined(doc):
            reasons[key] = f"no {kind} solution ({_undefined(doc)[kind]})"
    if reasons:
        return False, "; ".join(f"{n}: {why}" for n, why in reasons.items())
    solutions = {name: doc for name, doc in documents.items() if not _failed(doc)}
    return _verdict(claim, solutions, stability, memberships)


def _failed(document) -> bool:
    """Whether an analysis has no solution (its document holds the ``error``; a ``Solutions`` has one)."""
    return not isinstance(document, Solutions) and "error" in document


def _undefined(document) -> dict:
    """{kind: reason} of the solutions that do not exist, from a solution document."""
    if isinstance(document, Solutions):
        return document.undefined
    return (document.get("solutions", document) or {}).get("undefined", {}) or {}
