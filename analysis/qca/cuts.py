"""The cut-offs of a truth table: their checks and the rule that codes a row's OUT.

A row is positive (``OUT = "1"``) when its consistency reaches ``incl_cut`` and its PRI
``pri_cut``, a contradiction (``"C"``) when a second consistency cut-off is given and the row's
lies between the two, a logical remainder (``"?"``) when it holds fewer than ``n_cut`` cases, and
negative (``"0"``) otherwise (R's ``truthTable``; Dusa 2019, ch. 7).  The cut-offs are compared as
R's QCA does, with a tolerance of about 1.5e-8 (``at_least``), so that a consistency printed as
0.8 meets ``incl_cut = 0.8``.  ``check_cut``, ``check_n_cut`` and ``check_cuts`` are the one check
of a cut-off's value, used by the engine and by the study side's parameters.
"""
from __future__ import annotations

import numpy as np

from .errors import QCAError

__all__ = ["TOLERANCE", "POSITIVE", "NEGATIVE", "CONTRADICTION", "REMAINDER", "at_least", "check_cut", "check_cuts",
           "check_n_cut", "out_values"]

# The values of a row's OUT, as R's truthTable writes them.
POSITIVE, NEGATIVE, CONTRADICTION, REMAINDER = "1", "0", "C", "?"

TOLERANCE = 1.4901161193847656e-08  # sqrt(machine epsilon), R's all.equal tolerance


def at_least(x, cut) -> bool:
    """x >= cut, up to ``TOLERANCE`` (R's admisc::agteb).

    >>> at_least(0.79999999, 0.8), at_least(0.7999, 0.8)
    (True, False)
    """
    return bool(x > cut or abs(x - cut) < TOLERANCE)


def check_cut(name, value, low=0.0, high=1.0) -> float:
    """A cut-off as a float in [low, high]; otherwise a QCAError naming it (the one check of a
    cut-off's value, used by the engine and by the study side's parameters).

    >>> check_cut("pri_cut", "0.7")
    0.7
    """
    if isinstance(value, bool):
        raise QCAError(f"{name} must be a number, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise QCAError(f"{name} must be a number, got {value!r}") from None
    if not low <= v <= high or np.isnan(v):
        raise QCAError(f"{name} must lie in [{low:g}, {high:g}], got {value!r}")
    return v


def check_n_cut(value, name="n_cut") -> int:
    """A frequency cut-off as an int of at least 1; otherwise a QCAError naming it.

    >>> check_n_cut(2.0)
    2
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if isinstance(value, bool) or not v.is_integer() or v < 1:
        raise QCAError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(v)


def check_cuts(incl_cut, pri_cut, n_cut) -> tuple:
    """Validated cut-offs: ((incl1[, incl0]), pri_cut, n_cut); a QCAError names the bad one.

    >>> check_cuts(0.8, 0.7, 1)
    ((0.8,), 0.7, 1)
    """
    cuts = tuple(np.atleast_1d(incl_cut).tolist())
    if not 1 <= len(cuts) <= 2:
        raise QCAError("incl_cut takes one value or two (incl1, incl0)")
    cuts = tuple(check_cut("incl_cut", c) for c in cuts)
    if len(cuts) == 2 and cuts[0] < cuts[1]:
        raise QCAError(f"incl_cut (incl1, incl0) must have incl1 >= incl0: rows with incl0 <= incl < incl1 are "
                       f"contradictions; got {cuts[0]:g}, {cuts[1]:g}; swap them")
    return cuts, check_cut("pri_cut", pri_cut), check_n_cut(n_cut)


def out_values(n, incl, pri, incl_cut, pri_cut: float, n_cut: int) -> list:
    """OUT of each row: "?" below ``n_cut``, "C" for incl0 <= incl < incl1, "1" when incl and PRI
    reach their cut-offs, else "0" (R's ``truthTable`` rule; see the module docstring).

    >>> out_values([3, 3, 1], [0.9, 0.7, 0.95], [0.8, 0.6, 0.9], 0.8, 0.0, 2)
    ['1', '0', '?']
    """
    cuts = tuple(np.atleast_1d(incl_cut).tolist())
    ic1, ic0 = cuts[0], (cuts[1] if len(cuts) > 1 else 1.0)
    out = []
    for nj, ij, pj in zip(n, incl, pri):
        if nj < n_cut:
            out.append(REMAINDER)
        elif ij < ic1 and at_least(ij, ic0):
            out.append(CONTRADICTION)
        else:
            out.append(POSITIVE if at_least(ij, ic1) and at_least(pj, pri_cut) else NEGATIVE)
    return out
