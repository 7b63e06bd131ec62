"""The robustness measures of Oana & Schneider (2024), computed over every test solution.

Parts 3 to 5 of the protocol (the formulas: ``analysis.robustness``): fit-oriented robustness
(``fit_robustness``), case types and ratios (``case_types``, ``case_ratios``) and the stability
of core conditions (``core_conditions``, ``core_stability``).  Memberships enter as written
with 6 decimals (``as_written``), so that ``<analysis>_memberships.csv`` reproduces every figure.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..errors import StudyError
from ..qca import term_string
from ..qca.fit import ratio
from ..qca.sets import models_membership
from .plan import KIND_ORDER

__all__ = ["CASE_TYPES", "UNCLASSIFIED", "TIES", "RobustnessFit", "CaseRatios", "as_written", "fit_robustness",
           "case_types", "case_ratios", "solution_membership", "core_conditions", "core_stability",
           "memberships_frame"]

CASE_TYPES = ("robust typical", "shaky typical", "possible typical", "extreme deviant coverage",
              "robust deviant", "shaky deviant", "possible deviant", "irrelevant")
UNCLASSIFIED = "unclassified"
TIES = ("union", "first")


def as_written(x) -> np.ndarray:
    """Memberships as written with 6 decimals (what the memberships file holds):
    ``float(f"{v:.6f}")`` of every value, each distinct value (by its bits) written once.

    >>> as_written([0.1234567, 1.0, 0.1234567, -0.0]).tolist()
    [0.123457, 1.0, 0.123457, -0.0]
    """
    x = np.ascontiguousarray(x, dtype=float)
    bits, where = np.unique(x.reshape(-1).view(np.int64), return_inverse=True)
    return np.array([float(f"{v:.6f}") for v in bits.view(np.float64).tolist()])[where.reshape(-1)].reshape(x.shape)


def _columns(ts) -> np.ndarray:
    ts = np.asarray(ts, dtype=float)
    if ts.ndim == 1:
        ts = ts[:, None]
    if ts.shape[1] == 0:
        raise StudyError("robustness measures need at least one test solution")
    return ts


@dataclass(frozen=True)
class RobustnessFit:
    """The fit-oriented robustness measures (module docstring, part 3)."""

    RF_cov: float
    RF_cons: float
    RF_SC_minTS: float
    RF_SC_maxTS: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CaseRatios:
    """Counts of the case types (and ``unclassified``), RCR_typ, RCR_dev, RCC_Rank (part 4)."""

    case_types: dict
    RCR_typ: float
    RCR_dev: float
    RCC_Rank: int


def fit_robustness(y, IS, TS) -> RobustnessFit:
    """RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS (module docstring, part 3).

    ``y`` and ``IS`` are memberships of the cases; ``TS`` has one column per test solution.
    minTS and maxTS are taken over **every** column.

    >>> fit_robustness([0.9, 0.2], [0.8, 0.1], [[0.6], [0.1]])
    RobustnessFit(RF_cov=0.7777777777777777, RF_cons=1.0, RF_SC_minTS=0.7777777777777777, RF_SC_maxTS=0.7777777777777777)
    """
    y, IS, ts = np.asarray(y, float), np.asarray(IS, float), _columns(TS)
    lo, hi = ts.min(axis=1), ts.max(axis=1)
    rc = np.minimum(IS, lo)
    cov_is, cov_rc = ratio(np.minimum(IS, y).sum(), y.sum()), ratio(np.minimum(rc, y).sum(), y.sum())
    cons_is, cons_rc = ratio(np.minimum(IS, y).sum(), IS.sum()), ratio(np.minimum(rc, y).sum(), rc.sum())
    return RobustnessFit(RF_cov=ratio(cov_rc, cov_is) if cov_is == cov_is else float("nan"),
                         RF_cons=ratio(cons_is, cons_rc) if cons_rc == cons_rc and cons_is == cons_is else float("nan"),
                         RF_SC_minTS=ratio(np.minimum(IS, lo).sum(), np.maximum(IS, lo).sum()),
                         RF_SC_maxTS=ratio(np.minimum(IS, hi).sum(), np.maximum(IS, hi).sum()))


def _case_type(y, i, lo, hi) -> str:
    if y == 0.5 or i == 0.5:
        return UNCLASSIFIED
    t = i > 0.5
    ts = lo if t else hi
    if ts == 0.5:
        return UNCLASSIFIED
    kind = ("robust" if ts > 0.5 else "shaky") if t else ("possible" if ts > 0.5 else None)
    if y > 0.5:
        return f"{kind} typical" if kind else "extreme deviant coverage"
    return f"{kind} deviant" if kind else "irrelevant"


def case_types(y, IS, TS, cases=None) -> pd.DataFrame:
    """One row per case: Y, IS, minTS, maxTS and the case type (module docstring, part 4)."""
    y, IS, ts = np.asarray(y, float), np.asarray(IS, float), _columns(TS)
    lo, hi = ts.min(axis=1), ts.max(axis=1)
    cases = list(cases) if cases is not None else [str(i + 1) for i in range(len(y))]
    return pd.DataFrame({"case": cases, "Y": y, "IS": IS, "minTS": lo, "maxTS": hi,
                         "type": [_case_type(*v) for v in zip(y, IS, lo, hi)]})


def case_ratios(types) -> CaseRatios:
    """Counts of the eight case types (and ``unclassified``), RCR_typ, RCR_dev and RCC_Rank.

    ``types`` is ``case_types(...)`` or a sequence of type names.

    >>> case_ratios(["robust typical", "shaky typical", "irrelevant"]).RCC_Rank
    3
    """
    names = list(types["type"] if isinstance(types, pd.DataFrame) else types)
    n = {t: names.count(t) for t in CASE_TYPES + (UNCLASSIFIED,)}
    shaky = n["shaky typical"] + n["shaky deviant"]
    possible = n["possible typical"] + n["possible deviant"]
    rank = 1 if not shaky and not possible else 2 if not shaky else 3 if not possible else 4
    typical = n["robust typical"] + n["shaky typical"] + n["possible typical"]
    deviant = n["robust deviant"] + n["shaky deviant"] + n["possible deviant"]
    return CaseRatios(case_types=n, RCR_typ=ratio(n["robust typical"], typical),
                      RCR_dev=ratio(n["robust deviant"], deviant), RCC_Rank=rank)


def solution_membership(data: pd.DataFrame, models, ties: str = "union") -> np.ndarray:
    """Membership of every case in a solution with tied ``models``: max over terms of min over
    literals, over the union of the tied models (``ties="union"``) or the first (``"first"``)."""
    if ties not in TIES:
        raise StudyError(f"ties must be 'union' or 'first', got {ties!r}")
    return models_membership(data, list(models)[:1] if ties == "first" else list(models), len(data))


def core_conditions(parsimonious, conditions=None) -> list:
    """Literals (condition, present) in every tied parsimonious model (``Model`` or tuples of
    terms), in condition order.

    >>> core_conditions([((("A", True), ("B", False)),), ((("A", True),), (("C", True),))], ["A", "B", "C"])
    [('A', True)]
    """
    models = [{lit for term in getattr(m, "terms", m) for lit in term} for m in parsimonious]
    if not models:
        return []
    common = set.intersection(*models)
    order = {c: i for i, c in enumerate(conditions or sorted({c for c, _ in common}))}
    return sorted(common, key=lambda lit: (order.get(lit[0], len(order)), lit[0], not lit[1]))


def core_stability(initial_core, tests) -> pd.DataFrame:
    """For each kind of test and each core literal of the IS: in how many of that kind's test
    solutions it is still core.

    ``tests``: ``(kind, conditions, core)`` per test solution: its kind (``plan.KINDS``), the
    conditions it analyses and its core literals.  A test that leaves a condition out cannot
    keep it core and is not counted for it.  One row per kind (in ``plan.KIND_ORDER``) and
    literal: kind, condition, core_in, tests, share (NaN when no test of the kind keeps it).

    >>> core_stability([("A", True)], [("cut-offs", ("A", "B"), [("A", True)]),
    ...                                ("cut-offs", ("A", "B"), []), ("calibration", ("A", "B"), [("A", True)])])
              kind condition  core_in  tests  share
    0  calibration         A        1      1    1.0
    1     cut-offs         A        1      2    0.5
    """
    from_kinds = {}
    for kind, conditions, core in tests:
        from_kinds.setdefault(kind, []).append((set(conditions), set(core)))
    rows = []
    for kind in sorted(from_kinds, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER)):
        for lit in initial_core:
            judged = [core for conditions, core in from_kinds[kind] if lit[0] in conditions]
            hits = sum(lit in core for core in judged)
            rows.append({"kind": kind, "condition": term_string((lit,)), "core_in": hits, "tests": len(judged),
                         "share": ratio(hits, len(judged))})
    return pd.DataFrame(rows, columns=["kind", "condition", "core_in", "tests", "share"]).astype(
        {"core_in": int, "tests": int, "share": float})


def memberships_frame(cases, y, IS, TS: dict) -> pd.DataFrame:
    """``case``, ``Y``, ``IS``, ``TS1``..``TSk`` as written (6 decimals)."""
    columns = {"case": [str(c) for c in cases], "Y": as_written(y), "IS": as_written(IS)}
    if TS:
        written = as_written(np.column_stack([np.asarray(x, dtype=float) for x in TS.values()]))
        columns.update((name, written[:, j]) for j, name in enumerate(TS))
    return pd.DataFrame(columns)


