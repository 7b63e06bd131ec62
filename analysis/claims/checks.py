"""What each type of claim checks, against the solutions of a run.

Every check returns ``(holds, evidence)``.  Check types (the schema: ``analysis.claims.schema``):

``core``        ``{type: core, condition: CONTRACT, outcome: MPV, expect: true}``
                The condition (``~X`` for its absence) is a *core* condition: it appears in a
                term of the parsimonious solution (Fiss 2011: core conditions are those
                backed by the parsimonious solution).  ``expect: false`` claims it is not core.
``appears``     ``{type: appears, condition: RISK, outcomes: [MPV, PPV], solution: intermediate}``
                The condition appears in some term of the named solution (default:
                intermediate) for every listed outcome; ``expect: false`` claims it does not.
``peripheral``  ``{type: peripheral, condition: CONTRACTUAL, outcome: VALUE}``
                The condition is *peripheral* (Fiss 2011): it appears in every tied model of
                the intermediate solution but in no term of the parsimonious solution (it
                supports the core conditions, backed by the easy counterfactuals only).
``consistency`` ``{type: consistency, outcomes: [MPV, PPV], solution: intermediate, min: 0.8}``
                Every model of the named solution reaches the minimum (``min``, optional
                ``max``) of a parameter of fit (``measure``: inclS by default, or PRI, covS).
``contains``    ``{type: contains, conditions: [CONTRACT, NORMS], outcome: MPV_PPV}``
                Some configuration (term) of the named solution (default: intermediate)
                contains every listed condition (``~X``: its absence) together;
                ``expect: false`` claims that none does.
``combines``    ``{type: combines, groups: [strategic, collaborative], outcomes: [MPV, PPV]}``
                Every configuration of the named solution (default: intermediate) contains a
                condition, present, of each group (the study file's ``groups``).
``equifinality`` ``{type: equifinality, outcomes: [MPV, PPV], min: 2}``
                The named solution (default: intermediate) has at least ``min`` (default 2)
                configurations: several paths to the outcome (Ragin 1987; Fiss 2011).
``conjunctural`` ``{type: conjunctural, outcomes: [MPV, PPV]}``
                No configuration of the named solution (default: intermediate) is a single
                condition: conditions are sufficient only in combination (conjunctural
                causation; Schneider & Wagemann 2012, ch. 3.3).
``solution``    ``{type: solution, outcome: SURV, solution: complex, models: [...], fit: {...}}``
                The solution is exactly the published one: the same tied models (each the same
                set of terms, in any order), and, if ``fit`` is given, each model's fit equal to
                the published values at their ``decimals`` (3 by default).
``memberships`` ``{type: memberships, reference: raw/LF.csv, decimals: 2}``
                The calibrated memberships equal a published table, every case and set of it
                (or the listed ``sets``), rounded to ``decimals`` (2 by default); it needs the
                run's memberships (``memberships``).
``necessary``   ``{type: necessary, expression: CONTRACT, outcome: MPV, inclN: 0.9, RoN: 0.5}``
                The condition or expression is necessary for the outcome: inclN and RoN at
                least the given values (0.9 and 0.5 by default); ``expect: false`` claims it
                is not; it needs the run's memberships (``analysis.claims.memberships``).
``theory``      ``{type: theory, theory: CONTRACT*NORMS, outcome: MPV, set: T*S, measure: covS, min: 0.5}``
                The theory's expectation T against the solution S (``theory_evaluation``): in
                every tied model the fit (``measure``, covS by default) of the chosen
                intersection (``set``: T*S by default; T, S, ~T*S, T*~S, ~T*~S) lies within
                ``min``/``max``; the evidence names the cases of each intersection.
``stable_core`` ``{type: stable_core, outcomes: [MPV, PPV], min: 0.8}``
                Every core condition of the initial solution stays core in at least ``min``
                (a share) of the robustness test solutions of each kind (calibration, cut-offs,
                case deletion, subsamples, condition sets, random draws; ``analysis.robustness``:
                core = in every tied parsimonious model); it needs the robustness results
                (``stability``).

Tied models (Dusa 2019, ch. 8; Baumgartner & Thiem 2017 on model ambiguity).  A truth table may
have several equally minimal models, and an intermediate solution one block per pair of complex
and parsimonious models.  Reporting one of them as "the" solution hides that ambiguity, so a
claim **passes only if it holds in every tied model** (of every intermediate block); when the
models disagree the evidence says so and names the models for which the claim fails.

Solutions are read from the engine's objects (``Solutions``) or from their JSON (the
``solutions`` of ``solutions/<analysis>.json``): ``solution_models`` gives both as plain records.
"""
from __future__ import annotations

import pandas as pd

from ..errors import StudyError
from ..qca import Model, Solutions, Term, term_string
from .schema import MEASURES, literal, model_terms, outcome_key, outcomes_of

__all__ = ["CHECKS", "fit_holds", "solution_models", "check_stable_core", "solution_kind", "summarise"]


# ---- solutions, from objects or JSON, as the engine's models ---------------------------------

def _solutions(value) -> Solutions:
    """The engine's ``Solutions``, from the objects or from their JSON (read once)."""
    return value if isinstance(value, Solutions) else Solutions.from_json(value)


def _blocks(solutions: Solutions, kind: str) -> list:
    """[(label, models)] for one kind of solution: one entry per block."""
    if kind == "intermediate":
        return [(b.label, list(b.models)) for b in solutions.intermediate]
    block = getattr(solutions, kind)
    return [(kind, list(block.models))] if block.models else []


def _results_for(results, name):
    key = outcome_key(name)
    table = {outcome_key(k): v for k, v in results.items()}
    if key not in table:
        raise StudyError(f"no results for outcome {name!r}; analysed: {', '.join(sorted(table))}")
    return table[key]


def solution_models(results, outcome, kind) -> list:
    """[(tag, Model)] for every tied model of the ``kind`` solution of ``outcome``; the tag names
    the model as the evidence shows it (``MPV intermediate C1P1 M2``)."""
    blocks = _blocks(_solutions(_results_for(results, outcome)), kind)
    if not blocks:
        raise StudyError(f"outcome {outcome}: no {kind} solution in the results"
                       + (" (solve with dir_exp)" if kind == "intermediate" else ""))
    out = []
    for label, models in blocks:
        for i, m in enumerate(models, 1):
            tag = f"{outcome} {kind}" + (f" {label}" if kind == "intermediate" else "")
            out.append((tag + (f" M{i}" if len(models) > 1 or kind == "intermediate" else ""), m))
    return out


def solution_kind(check) -> str | None:
    """The solution a check is about: parsimonious for ``core``, the ``solution`` field (default
    intermediate) for the others, None for ``stable_core`` and ``memberships`` (they read the
    robustness results and the memberships)."""
    if check["type"] in ("stable_core", "memberships", "necessary"):
        return None
    return "parsimonious" if check["type"] == "core" else check.get("solution", "intermediate")


def _contains(model, lit) -> bool:
    return any(lit in t for t in model.terms)


# ---- the checks: each returns (holds, evidence) ---------------------------------------------

def summarise(results_per_model, what_true, what_false, expect=True):
    """Combine per-model verdicts into one (holds, evidence), naming disagreement."""
    ok = [tag for tag, holds, _ in results_per_model if holds == expect]
    bad = [tag for tag, holds, _ in results_per_model if holds != expect]
    lines = [f"{tag}: {expr} -> {what_true if holds else what_false}"
             for tag, holds, expr in results_per_model]
    if ok and bad:
        same = {t.split()[0] for t in bad} & {t.split()[0] for t in ok}     # one outcome's models
        lines.append(("tied models disagree: " if same else "") + f"the claim fails in {', '.join(bad)}")
    return not bad, "; ".join(lines)


def _literal_in(check, results, kind, present_word, absent_word):
    lit = literal(check["condition"])
    shown = term_string((lit,))
    verdicts = [(tag, _contains(m, lit), str(m))
                for outcome in outcomes_of(check) for tag, m in solution_models(results, outcome, kind)]
    return summarise(verdicts, f"{shown} {present_word}", f"{shown} {absent_word}", check.get("expect", True))


def _check_core(check, results):
    return _literal_in(check, results, "parsimonious", "core", "not core")


def _check_appears(check, results):
    return _literal_in(check, results, check.get("solution", "intermediate"), "appears", "absent")


def _check_peripheral(check, results):
    appears = _literal_in(check, results, "intermediate", "appears", "absent")
    not_core = _literal_in({**check, "expect": False}, results, "parsimonious", "core", "not core")
    return appears[0] and not_core[0], f"{appears[1]}; {not_core[1]}"


def _per_model(check, results, verdict):
    """[(tag, holds, shown)] over every tied model of every outcome of ``check``; ``verdict(model)``
    gives (holds, what to show after the expression)."""
    kind = solution_kind(check)
    rows = []
    for outcome in outcomes_of(check):
        for tag, m in solution_models(results, outcome, kind):
            holds, note = verdict(m)
            rows.append((tag, holds, str(m) + (f" ({note})" if note else "")))
    return rows


def _check_contains(check, results):
    lits = [literal(c) for c in check["conditions"]]
    shown = "*".join(term_string((lit,)) for lit in lits)

    def verdict(m):
        hits = [t for t in m.terms if all(lit in t for lit in lits)]
        return bool(hits), ", ".join(map(str, hits))
    return summarise(_per_model(check, results, verdict), f"a configuration with {shown}",
                      f"no configuration with {shown}", check.get("expect", True))


def _check_combines(check, results):
    groups = check["groups"]

    def verdict(m):
        missing = []
        for t in m.terms:
            lacking = [g for g, members in groups.items() if not any(literal(c) in t for c in members)]
            if lacking:
                missing.append(f"{t} has no {' and no '.join(lacking)} condition")
        return not missing, "; ".join(missing)
    names = " and ".join(groups)
    return summarise(_per_model(check, results, verdict), f"every configuration combines {names}",
                      f"not every configuration combines {names}")


def _check_equifinality(check, results):
    lo = int(check.get("min", 2))

    def verdict(m):
        return len(m.terms) >= lo, f"{len(m.terms)} configuration(s)"
    return summarise(_per_model(check, results, verdict), f"at least {lo} configurations",
                      f"fewer than {lo} configurations")


def _check_conjunctural(check, results):
    def verdict(m):
        single = [str(t) for t in m.terms if len(t) == 1]
        return not single, ("single-condition term " + ", ".join(single)) if single else ""
    return summarise(_per_model(check, results, verdict), "no single-condition configuration",
                      "a single condition is sufficient on its own")


def fit_holds(check, fit) -> bool:
    """Whether one model's fit (``SufficiencyFit``, or None) meets a ``consistency`` check: its
    ``measure`` (inclS by default) a number within ``min`` and ``max``."""
    v = None if fit is None else getattr(fit, check.get("measure", "inclS"))
    lo, hi = check.get("min"), check.get("max")
    return v is not None and v == v and (lo is None or v >= lo) and (hi is None or v <= hi)


def _check_consistency(check, results):
    measure = check.get("measure", "inclS")
    lo, hi = check.get("min"), check.get("max")

    def verdict(m):
        v = None if m.fit is None else getattr(m.fit, measure)
        return fit_holds(check, m.fit), f"{measure} {v:.3f}"
    bound = " and ".join(([f">= {lo:g}"] if lo is not None else []) + ([f"<= {hi:g}"] if hi is not None else []))
    return summarise(_per_model(check, results, verdict), f"{measure} {bound}", f"{measure} not {bound}")


def _check_solution(check, results):
    kind = check.get("solution", "intermediate")
    digits = int(check.get("decimals", 3))
    expected = [_published(m) for m in check["models"]]
    fits = check.get("fit")
    fits = fits if isinstance(fits, list) else [fits or {}] * len(expected)
    holds, lines = True, []
    for outcome in outcomes_of(check):
        found = {}
        for _, m in solution_models(results, outcome, kind):
            found.setdefault(m.key, m)
        missing = [m for m in check["models"] if _published(m) not in found]
        extra = [str(m) for key, m in found.items() if key not in expected]
        shown = "; ".join(_with_fit(m, digits) for m in found.values())
        ok = not missing and not extra
        wrong_fit = []
        for key, fit in zip(expected, fits):
            if key in found:
                for k, v in fit.items():
                    got = getattr(found[key].fit, k)
                    if got is None or round(got, digits) != round(float(v), digits):
                        wrong_fit.append(f"{k} {got:.{digits}f} for {float(v):.{digits}f}")
        ok &= not wrong_fit
        holds &= ok
        what = f"{outcome} {kind}: {shown or 'no model'}"
        if missing or extra:
            what += (f" -> differs from the published models: missing {', '.join(' + '.join(model_terms(m)) for m in missing) or 'none'}"
                     f", not published {', '.join(extra) or 'none'}")
        elif wrong_fit:
            what += f" -> published models, but fit differs: {', '.join(wrong_fit)}"
        else:
            what += " -> the published models" + (" and fit" if any(fits) else "")
        lines.append(what)
    return holds, "; ".join(lines)


def _published(model) -> frozenset:
    """A published model (a list of terms or an expression) as ``Model.key``."""
    return Model(terms=tuple(Term.parse(t) for t in model_terms(model))).key


def _with_fit(m, digits) -> str:
    if m.fit is None:
        return str(m)
    return f"{m} (" + ", ".join(f"{k} {getattr(m.fit, k):.{digits}f}" for k in MEASURES
                               if getattr(m.fit, k) == getattr(m.fit, k)) + ")"


def _stability_rows(stability, outcome) -> list:
    if stability is None:
        raise StudyError("a stable_core check needs the robustness results (stability=...; step 5, "
                       "notebooks/05_robustness)")
    table = {outcome_key(k): v for k, v in stability.items()}
    key = outcome_key(outcome)
    if key not in table:
        raise StudyError(f"no robustness results for outcome {outcome!r}; analysed: {', '.join(sorted(table))}")
    rows = table[key]
    return rows.to_dict(orient="records") if isinstance(rows, pd.DataFrame) else list(rows)


def check_stable_core(check, stability):
    """``stable_core``: every core condition stays core in at least ``min`` of the test solutions
    of **each kind** (calibration, cut-offs, case deletion, ...; ``analysis.robustness.plan.KINDS``),
    so that many tests of one kind cannot outvote a few of another; a kind whose tests all leave
    a condition out does not judge it."""
    lo = check["min"]
    holds, lines = True, []
    for outcome in outcomes_of(check):
        rows = _stability_rows(stability, outcome)
        if not rows:
            holds = False
            lines.append(f"{outcome}: no core condition, or no robustness test solution to hold it against")
            continue
        kinds = {}
        for r in rows:
            kinds.setdefault(r.get("kind", "all tests"), []).append(r)
        weak, parts = [], []
        for kind, group in kinds.items():
            judged = [r for r in group if r["tests"]]
            weak += [f"{r['condition']} ({kind})" for r in judged
                     if not (r["share"] is not None and r["share"] == r["share"] and r["share"] >= lo)]
            if judged:
                parts.append(f"{kind}: " + ", ".join(f"{r['condition']} {r['core_in']}/{r['tests']}" for r in judged))
        holds &= bool(parts) and not weak
        lines.append(f"{outcome}: core in " + "; ".join(parts or ["no test"])
                     + (f" -> below {lo:g}: {', '.join(weak)}" if weak else f" -> every kind >= {lo:g}"))
    return holds, "; ".join(lines)


CHECKS = {"core": _check_core, "appears": _check_appears, "peripheral": _check_peripheral, "consistency": _check_consistency,
          "contains": _check_contains, "combines": _check_combines, "equifinality": _check_equifinality,
          "conjunctural": _check_conjunctural, "solution": _check_solution}
