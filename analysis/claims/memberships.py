"""Claims checked on the run's memberships: published memberships, necessity and theory evaluation.

``memberships`` compares the calibrated memberships with a published table; ``necessary`` the
necessity of a condition or expression for an outcome (inclN and RoN, ``analysis.qca.necessity``);
``theory`` a theory's expectation against the solution (``analysis.qca.theory_evaluation``).
Each returns ``(holds, evidence)`` as the checks of ``analysis.claims.checks``.

>>> import pandas as pd
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2], "B": [0.9, 0.1, 0.3], "Y": [0.8, 0.7, 0.1]}, index=["p", "q", "r"])
>>> check_necessary({"type": "necessary", "expression": "A", "outcome": "Y"}, data)
(True, 'Y: A inclN 1.000, RoN 0.786 -> necessary (inclN >= 0.9, RoN >= 0.5)')
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import StudyError
from ..qca import membership, necessity
from ..qca.theory import theory_evaluation
from .checks import solution_models, summarise
from .schema import outcome_key, outcomes_of

__all__ = ["check_memberships", "check_necessary", "check_theory"]


def _need(memberships, what):
    if memberships is None:
        raise StudyError(f"a {what} check needs the run's calibrated memberships (memberships=...; step 2)")


def _outcome(memberships, name) -> np.ndarray:
    """The memberships of outcome ``name`` (``notY``: 1 - Y) from a frame or a mapping {set: array}."""
    key = outcome_key(name)
    negated = key.startswith("not") and key[3:] in memberships and key not in memberships
    column = key[3:] if negated else key
    if column not in memberships:
        raise StudyError(f"outcome {name!r} is not among the memberships ({', '.join(map(str, memberships))})")
    y = np.asarray(memberships[column], dtype=float)
    return 1 - y if negated else y


def check_necessary(check, memberships, x=None):
    """``necessary``: inclN and RoN of the expression for each outcome reach the given values.
    ``x``: the cases' membership in the expression, when the caller has it (the multiverse: then
    ``memberships`` may be a mapping {set: array} of the same cases)."""
    _need(memberships, "necessary")
    lo_incl, lo_ron = float(check.get("inclN", 0.9)), float(check.get("RoN", 0.5))
    expression = check["expression"]
    x = membership(memberships, expression).to_numpy() if x is None else x
    rows = []
    for outcome in outcomes_of(check):
        fit = necessity(x, _outcome(memberships, outcome))
        holds = fit.inclN >= lo_incl and fit.RoN >= lo_ron
        rows.append((outcome, holds, f"{expression} inclN {fit.inclN:.3f}, RoN {fit.RoN:.3f}"))
    bounds = f"inclN >= {lo_incl:g}, RoN >= {lo_ron:g}"
    return summarise(rows, f"necessary ({bounds})", f"not necessary ({bounds})", check.get("expect", True))


def check_theory(check, results, memberships):
    """``theory``: the chosen intersection of theory and solution has its fit within bounds in
    every tied model; the evidence names the intersection's cases."""
    _need(memberships, "theory")
    chosen, measure = check.get("set", "T*S"), check.get("measure", "covS")
    lo, hi = check.get("min"), check.get("max")
    kind = check.get("solution", "intermediate")
    rows = []
    for outcome in outcomes_of(check):
        y = _outcome(memberships, outcome)
        frame = memberships.assign(_Y=y)
        for tag, m in solution_models(results, outcome, kind):
            table = theory_evaluation(check["theory"], m, frame, "_Y").set_index("set")
            v = table.at[chosen, measure]
            holds = v == v and (lo is None or v >= lo) and (hi is None or v <= hi)
            cases = ", ".join(table.at[chosen, "cases_in"]) or "none"
            rows.append((tag, holds, f"{m} ({chosen} {measure} {v:.3f}; cases with the outcome: {cases})"))
    bound = " and ".join(([f">= {lo:g}"] if lo is not None else []) + ([f"<= {hi:g}"] if hi is not None else []))
    return summarise(rows, f"{chosen} {measure} {bound}", f"{chosen} {measure} not {bound}")


def check_memberships(check, memberships):
    """``memberships``: the calibrated memberships equal a published table at its decimals."""
    from ..qca.csvdata import case_ids, numbers, read_text        # the one CSV reader
    if memberships is None:
        raise StudyError("a memberships check needs the run's calibrated memberships (memberships=...; step 2)")
    path = check["reference"]
    frame = read_text(path, "reference memberships")
    frame.index = case_ids(frame, frame.columns[0], path, name=str(frame.columns[0]))
    sets = check.get("sets") or [c for c in frame.columns[1:]]
    unknown = [x for x in sets if x not in frame.columns or x not in memberships.columns]
    if unknown:
        raise StudyError(f"{path}: set(s) {', '.join(unknown)} not in both the reference and the memberships")
    ref = numbers(frame, sets, path)
    digits = int(check.get("decimals", 2))
    cases = [c for c in ref.index if c in memberships.index]
    missing = [c for c in ref.index if c not in memberships.index]
    got = memberships.loc[cases, sets].astype(float).round(digits)
    diff = (got - ref.loc[cases, sets]).abs() > 10 ** -(digits + 3)
    cells = [f"{c} {x}: {got.at[c, x]:.{digits}f} for {ref.at[c, x]:.{digits}f}" for c in cases for x in sets
             if diff.at[c, x]]
    name = Path(path).name
    if missing or cells:
        return False, (f"{len(cells)} of {len(cases) * len(sets)} memberships differ from {name} at {digits} decimals"
                       + (f": {'; '.join(cells[:8])}" + (" ..." if len(cells) > 8 else "") if cells else "")
                       + (f"; cases of {name} not in the data: {', '.join(missing)}" if missing else ""))
    return True, f"all {len(cases) * len(sets)} memberships ({len(cases)} cases, {', '.join(sets)}) equal {name} at {digits} decimals"
