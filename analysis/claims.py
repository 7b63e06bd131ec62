"""The claims ledger: the study's substantive claims, checked against the solutions of this run.

A study file (``study.yml``) lists the claims a paper makes about its configurations, each with a
machine-checkable ``check``.  After the truth tables are minimised, ``evaluate_claims`` tests
every claim and reports ``pass`` or ``fail`` with the evidence, so that a reader sees at once
which statements the data at hand (and the chosen thresholds) support.  This is the logic of a
*replication ledger*: claims are stated before the analysis and are not edited to fit it.

Check types (``outcome`` names: ``MPV``, ``PPV``, and ``notMPV`` / ``~MPV`` for the negation)

``core``        ``{type: core, condition: CONTRACT, outcome: MPV, expect: true}``
                The condition (``~X`` for its absence) is a *core* condition: it appears in a
                term of the parsimonious solution (Fiss 2011: core conditions are those
                backed by the parsimonious solution).  ``expect: false`` claims it is not core.
``appears``     ``{type: appears, condition: RISK, outcomes: [MPV, PPV], solution: intermediate}``
                The condition appears in some term of the named solution (default:
                intermediate) for every listed outcome; ``expect: false`` claims it does not.
``consistency`` ``{type: consistency, outcomes: [MPV, PPV], solution: intermediate, min: 0.8}``
                Every model of the named solution reaches the minimum (``min``, optional
                ``max``) of a parameter of fit (``measure``: inclS by default, or PRI, covS).
``stable_core`` ``{type: stable_core, outcomes: [MPV, PPV], min: 0.8}``
                Every core condition of the initial solution stays core in at least ``min``
                (a share) of the robustness test solutions (``analysis.robustness``, part 5:
                core = in every tied parsimonious model).  It needs the robustness results,
                passed as ``stability``; the pipeline checks it in step 5
                (``notebooks/05_robustness``) and the ledger of step 4 marks it ``pending``.

Tied models (Dusa 2019, ch. 8; Baumgartner & Thiem 2017 on model ambiguity).  A truth table may
have several equally minimal models, and an intermediate solution one block per pair of complex
and parsimonious models.  Reporting one of them as "the" solution hides that ambiguity, so a
claim **passes only if it holds in every tied model** (of every intermediate block); when the
models disagree the evidence says so and names the models for which the claim fails.

A check of an unknown type, or a claim that names an outcome without results, raises
``QCAError`` (a mistake in the study file, not a finding).
"""
from __future__ import annotations

import pandas as pd

from .errors import QCAError
from .sets import parse, term_string

__all__ = ["evaluate_claims", "validate_claims", "CHECK_TYPES", "DEFERRED_TYPES", "outcome_key"]

CHECK_TYPES = ("core", "appears", "consistency", "stable_core")
DEFERRED_TYPES = ("stable_core",)
_SOLUTION_KINDS = ("complex", "parsimonious", "intermediate")
_MEASURES = ("inclS", "PRI", "covS")


def outcome_key(name: str) -> str:
    """``~MPV`` and ``notMPV`` name the same analysis: ``notMPV``."""
    name = str(name).strip()
    return "not" + name[1:].strip() if name.startswith("~") else name


def _literal(text: str):
    terms = parse(str(text))
    if len(terms) != 1 or len(terms[0]) != 1:
        raise QCAError(f"claim condition {text!r} must be one condition, e.g. RISK or ~RISK")
    return terms[0][0]


def _as_list(value):
    return [value] if isinstance(value, str) else list(value or [])


def _flag(check, key, default):
    v = check.get(key, default)
    if not isinstance(v, bool):
        raise QCAError(f"claim check {key!r} must be true or false, got {v!r}")
    return v


def _outcomes(check) -> list:
    out = _as_list(check.get("outcomes", [])) + _as_list(check.get("outcome", []))
    if not out:
        raise QCAError(f"claim check {check!r} names no outcome ('outcome' or 'outcomes')")
    return out


def validate_claims(claims, conditions=None, outcomes=None) -> None:
    """Check the form of every claim (ids, types, fields, names) without any results."""
    seen = set()
    for claim in claims or []:
        if not isinstance(claim, dict) or "id" not in claim or "check" not in claim:
            raise QCAError(f"claim {claim!r} needs an 'id', a 'text' and a 'check'")
        cid = str(claim["id"])
        if cid in seen:
            raise QCAError(f"claim id {cid} is used twice")
        seen.add(cid)
        check = claim["check"]
        if not isinstance(check, dict) or check.get("type") not in CHECK_TYPES:
            kind = check.get("type") if isinstance(check, dict) else check
            raise QCAError(f"claim {cid}: unknown check type {kind!r}; known: {', '.join(CHECK_TYPES)}")
        try:
            names = _outcomes(check)
            if check["type"] in ("core", "appears"):
                if "condition" not in check:
                    raise QCAError("needs a 'condition'")
                name, _ = _literal(check["condition"])
                if conditions is not None and name not in conditions:
                    raise QCAError(f"unknown condition {name!r}; conditions: {', '.join(conditions)}")
                _flag(check, "expect", True)
            if check["type"] == "stable_core":
                if not isinstance(check.get("min"), (int, float)) or isinstance(check.get("min"), bool) \
                        or not 0 <= check["min"] <= 1:
                    raise QCAError(f"'min' must be a share in [0, 1], got {check.get('min')!r}")
            if check["type"] != "core" and check.get("solution", "intermediate") not in _SOLUTION_KINDS:
                raise QCAError(f"solution must be one of {', '.join(_SOLUTION_KINDS)}")
            if check["type"] == "consistency":
                if check.get("measure", "inclS") not in _MEASURES:
                    raise QCAError(f"measure must be one of {', '.join(_MEASURES)}")
                if "min" not in check and "max" not in check:
                    raise QCAError("needs 'min' and/or 'max'")
                for key in ("min", "max"):
                    if key in check and not isinstance(check[key], (int, float)):
                        raise QCAError(f"{key!r} must be a number, got {check[key]!r}")
            if outcomes is not None:
                allowed = set(outcomes) | {"not" + o for o in outcomes}
                bad = [o for o in names if outcome_key(o) not in allowed]
                if bad:
                    raise QCAError(f"unknown outcome(s) {', '.join(map(str, bad))}; "
                                   f"outcomes: {', '.join(outcomes)} and their negations not<NAME>")
        except QCAError as e:
            raise QCAError(f"claim {cid}: {e}") from None


# ---- solutions, from objects or JSON, as plain lists of models -------------------------------

def _model_record(model) -> dict:
    if isinstance(model, dict):
        terms = [dict(parse(t)[0]) for t in model["model"]]
        fit = {k: model.get(k) for k in _MEASURES}
    else:
        terms = [dict(t) for t in model.terms]
        fit = {k: model.fit[k] for k in _MEASURES}
    return {"terms": terms, "fit": fit,
            "expression": " + ".join(term_string(tuple(t.items())) for t in terms)}


def _block_models(block) -> list:
    if isinstance(block, dict):
        if "fits" in block:
            return [_model_record(m) for m in block["fits"]]
        return [_model_record({"model": m}) for m in block["models"]]
    return [_model_record(m) for m in block.models]


def _solution_models(solutions, kind: str) -> list:
    """[(label, [model records])] for one kind of solution: one entry per block."""
    if isinstance(solutions, dict):
        sol = solutions.get("solutions", solutions)
        blocks = sol.get(kind)
        if kind == "intermediate":
            return [(b.get("label", f"I{i}"), _block_models(b)) for i, b in enumerate(blocks or [], 1)]
        return [(kind, _block_models(blocks))] if blocks else []
    if kind == "intermediate":
        return [(b.label, _block_models(b)) for b in solutions.intermediate]
    return [(kind, _block_models(getattr(solutions, kind)))]


def _results_for(results, name):
    key = outcome_key(name)
    table = {outcome_key(k): v for k, v in results.items()}
    if key not in table:
        raise QCAError(f"no results for outcome {name!r}; analysed: {', '.join(sorted(table))}")
    return table[key]


def _models(results, outcome, kind):
    blocks = _solution_models(_results_for(results, outcome), kind)
    if not blocks:
        raise QCAError(f"outcome {outcome}: no {kind} solution in the results"
                       + (" (solve with dir_exp)" if kind == "intermediate" else ""))
    out = []
    for label, models in blocks:
        for i, m in enumerate(models, 1):
            tag = f"{outcome} {kind}" + (f" {label}" if kind == "intermediate" else "")
            out.append((tag + (f" M{i}" if len(models) > 1 or kind == "intermediate" else ""), m))
    return out


def _contains(model, literal) -> bool:
    name, present = literal
    return any(t.get(name) == present for t in model["terms"])


# ---- the checks: each returns (holds, evidence) ---------------------------------------------

def _summarise(results_per_model, what_true, what_false, expect=True):
    """Combine per-model verdicts into one (holds, evidence), naming disagreement."""
    ok = [tag for tag, holds, _ in results_per_model if holds == expect]
    bad = [tag for tag, holds, _ in results_per_model if holds != expect]
    lines = [f"{tag}: {expr} -> {what_true if holds else what_false}"
             for tag, holds, expr in results_per_model]
    if ok and bad:
        lines.append(f"tied models disagree: the claim fails in {', '.join(bad)}")
    return not bad, "; ".join(lines)


def _check_core(check, results):
    literal = _literal(check["condition"])
    expect = _flag(check, "expect", True)
    shown = term_string((literal,))
    verdicts = []
    for outcome in _outcomes(check):
        for tag, m in _models(results, outcome, "parsimonious"):
            verdicts.append((tag, _contains(m, literal), m["expression"]))
    return _summarise(verdicts, f"{shown} core", f"{shown} not core", expect)


def _check_appears(check, results):
    literal = _literal(check["condition"])
    expect = _flag(check, "expect", True)
    kind = check.get("solution", "intermediate")
    shown = term_string((literal,))
    verdicts = []
    for outcome in _outcomes(check):
        for tag, m in _models(results, outcome, kind):
            verdicts.append((tag, _contains(m, literal), m["expression"]))
    return _summarise(verdicts, f"{shown} appears", f"{shown} absent", expect)


def _check_consistency(check, results):
    kind = check.get("solution", "intermediate")
    measure = check.get("measure", "inclS")
    lo, hi = check.get("min"), check.get("max")
    verdicts = []
    for outcome in _outcomes(check):
        for tag, m in _models(results, outcome, kind):
            v = m["fit"][measure]
            holds = v is not None and v == v and (lo is None or v >= lo) and (hi is None or v <= hi)
            verdicts.append((tag, holds, f"{m['expression']} ({measure} {v:.3f})"))
    bound = " and ".join(([f">= {lo:g}"] if lo is not None else []) + ([f"<= {hi:g}"] if hi is not None else []))
    return _summarise(verdicts, f"{measure} {bound}", f"{measure} not {bound}")


def _stability_rows(stability, outcome) -> list:
    if stability is None:
        raise QCAError("a stable_core check needs the robustness results (stability=...; step 5, "
                       "notebooks/05_robustness)")
    table = {outcome_key(k): v for k, v in stability.items()}
    key = outcome_key(outcome)
    if key not in table:
        raise QCAError(f"no robustness results for outcome {outcome!r}; analysed: {', '.join(sorted(table))}")
    rows = table[key]
    return rows.to_dict(orient="records") if isinstance(rows, pd.DataFrame) else list(rows)


def _check_stable_core(check, results, stability):
    lo = check["min"]
    holds, lines = True, []
    for outcome in _outcomes(check):
        rows = _stability_rows(stability, outcome)
        if not rows:
            holds = False
            lines.append(f"{outcome}: no core condition (no initial solution)")
            continue
        weak = [r["condition"] for r in rows if not (r["share"] is not None and r["share"] == r["share"]
                                                      and r["share"] >= lo)]
        holds &= not weak
        shares = ", ".join(f"{r['condition']} {r['share']:.3f}" for r in rows)
        lines.append(f"{outcome}: core in {shares} of {rows[0]['tests']} test solutions"
                     + (f" -> below {lo:g}: {', '.join(weak)}" if weak else f" -> all >= {lo:g}"))
    return holds, "; ".join(lines)


_CHECKS = {"core": _check_core, "appears": _check_appears, "consistency": _check_consistency}


def evaluate_claims(claims, results, stability=None) -> pd.DataFrame:
    """Test every claim against ``results``; one row per claim: id, text, status, evidence.

    ``results`` maps an outcome name (``MPV``, ``notMPV`` or ``~MPV``, ...) to its ``Solutions``
    (``analysis.solve``) or their JSON (``Solutions.to_json()``, or the command line's result
    with a ``solutions`` key).  ``status`` is ``"pass"`` only when the claim holds in *every*
    tied model of the solution it is about (every intermediate block, too); otherwise
    ``"fail"``, and ``evidence`` lists each model's verdict and says when tied models disagree.
    ``stability`` maps an outcome to its core-stability table (``analysis.robustness``:
    condition, core_in, tests, share), for ``stable_core`` checks.  Unknown check types or
    outcomes without results raise ``QCAError``.
    """
    validate_claims(claims)
    rows = []
    for claim in claims or []:
        check = claim["check"]
        try:
            if check["type"] == "stable_core":
                holds, evidence = _check_stable_core(check, results, stability)
            else:
                holds, evidence = _CHECKS[check["type"]](check, results)
        except QCAError as e:
            raise QCAError(f"claim {claim['id']}: {e}") from None
        rows.append({"id": str(claim["id"]), "text": str(claim.get("text", "")),
                     "status": "pass" if holds else "fail", "evidence": evidence})
    return pd.DataFrame(rows, columns=["id", "text", "status", "evidence"])
