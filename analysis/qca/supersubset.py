"""Necessary (or sufficient) conjunctions and disjunctions of conditions: R's ``superSubset``.

A condition X is necessary for Y when Y is a subset of X (inclN high).  A single condition is
rarely necessary, but a union of conditions may be (a *functional equivalent*), and an
intersection of conditions that is necessary says that each of them is (Schneider & Wagemann
2012, ch. 3 and 9; Dusa 2019, ch. 5.4).  ``super_subset`` searches every combination of up to
``depth`` literals of different conditions, as R's ``superSubset`` does (``C_superSubset``,
QCA 3.25.1):

- level by level, k = 1, 2, ..., ``depth`` conditions; within a level the combinations of
  conditions in lexicographic order, and for each its 2^k literal patterns (``~X`` before
  ``X``, the first condition varying slowest);
- **necessity**: the conjunction (minimum) is kept when inclN >= ``incl_cut`` and covN >=
  ``cov_cut``; otherwise the disjunction (maximum) is kept when it passes the same two cuts and
  contains no conjunction or disjunction kept at an earlier level (it would be a trivial
  superset of it);
- **sufficiency**: the conjunction is kept when inclS >= ``incl_cut`` and covS >= ``cov_cut``
  and it contains no conjunction kept at an earlier level;
- the search stops, from the 4th level on, after a level that keeps nothing (once something has
  been kept);
- finally the kept expressions need RoN >= ``ron_cut`` (necessity) or PRI >= ``pri_cut``
  (sufficiency).

``incl_cut`` and ``cov_cut`` are compared with R's tolerance (``at_least``), ``ron_cut`` and
``pri_cut`` exactly, as R does.  Conjunctions are listed first, then disjunctions, each in the
order found.  A necessary expression must make theoretical sense (Schneider & Wagemann 2012,
p. 74); the search only finds candidates.
"""
from __future__ import annotations

from itertools import combinations, product

import numpy as np
import pandas as pd

from .errors import QCAError
from .cuts import TOLERANCE
from .expressions import outcome_of
from .membership_checks import validate_memberships
from .mv_rows import multivalue_levels, multivalue_memberships
from .sets import outcome_membership

__all__ = ["super_subset"]

RELATIONS = ("necessity", "sufficiency")


def _ratio(num, den):
    """num / den, 0 when both are 0 (R's ``C_superSubset``), NaN when only the denominator is."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((num == 0) & (den == 0), 0.0, num / den)


def _contains(literals: frozenset, kept: list) -> bool:
    """Whether ``literals`` (the (condition, value) pairs of an expression) include every literal
    of an expression of ``kept`` (each such a set): a superset of it."""
    return any(other <= literals for other in kept)


def _level(x, y, conds, nec: bool, levels):
    """Fit of every literal pattern of the conditions ``conds``: memberships (patterns x cases)
    of the conjunctions and disjunctions, and the sums R's search uses.  A pattern gives each
    condition a value, the first condition varying slowest: ``~X`` (0) before ``X`` (1) for a
    binary condition (``levels`` 2), the values 0 to L - 1 (membership ``X == v``) for a
    multi-value one."""
    patterns = np.array(list(product(*(range(levels[c]) for c in conds))))
    cols = x[:, list(conds)]                                                          # cases x k
    lit = np.where(patterns[:, None, :] == 1, cols[None, :, :], 1 - cols[None, :, :])  # patterns x cases x k
    multi = np.array([levels[c] > 2 for c in conds])
    if multi.any():
        lit = np.where(multi[None, None, :], (cols[None, :, :] == patterns[:, None, :]).astype(float), lit)
    out = []
    for m in (lit.min(axis=2), lit.max(axis=2)):
        my = np.minimum(m, y)
        s = {"x": m.sum(axis=1), "xy": my.sum(axis=1)}
        if nec:
            s["ron"] = _ratio((1 - m).sum(axis=1), (1 - my).sum(axis=1))
        else:
            prisum = np.minimum(my, 1 - y).sum(axis=1)
            s["pri"] = _ratio(s["xy"] - prisum, s["x"] - prisum)
        out.append(s)
    return patterns, out[0], out[1]


def super_subset(data: pd.DataFrame, outcome: str, conditions=None, relation: str = "necessity",
                 incl_cut: float = 1, cov_cut: float = 0, ron_cut: float = 0, pri_cut: float = 0,
                 depth: int | None = None, neg_out: bool = False) -> pd.DataFrame:
    """Necessary (or sufficient) conjunctions and disjunctions of literals (R's ``superSubset``).

    Parameters
    ----------
    data : pandas.DataFrame
        Memberships, one row per case.
    outcome : str
        The outcome's column; ``"~Y"`` for its negation (or ``neg_out=True``).
    conditions : sequence of str, optional
        Default: every other column.
    relation : {"necessity", "sufficiency"}, default "necessity"
        As R's default.
    incl_cut : float, default 1
        The inclN (necessity) or inclS (sufficiency) an expression needs; R's default 1.
    cov_cut : float, default 0
        The covN (necessity) or covS (sufficiency) an expression needs; R's default 0.
    ron_cut : float, default 0
        Necessity: the RoN a kept expression needs; R's default 0.
    pri_cut : float, default 0
        Sufficiency: the PRI a kept expression needs; R's default 0.
    depth : int, optional
        The most conditions in an expression (default: all, as R).
    neg_out : bool, default False
        Explain the negated outcome.

    Returns
    -------
    pandas.DataFrame
        One row per expression: ``expression``, then ``inclN``, ``RoN``, ``covN`` (necessity) or
        ``inclS``, ``PRI``, ``covS`` (sufficiency); conjunctions (``A*~B``) first, then disjunctions
        (``A + ~B``), in the order R finds them.

    Raises
    ------
    QCAError
        An unknown relation or outcome, no condition, a cut-off that is not a number in [0, 1], a
        ``depth`` that is not a whole number of at least 1, or data that are not memberships.

    Notes
    -----
    For an expression with membership X (the minimum over its literals for a conjunction, the
    maximum for a disjunction) and outcome Y: inclN = sum(min(X, Y)) / sum(Y), RoN = sum(1 - X) /
    sum(1 - min(X, Y)), covN = sum(min(X, Y)) / sum(X); inclS = covN, covS = inclN and PRI =
    (sum(min(X, Y)) - sum(min(X, Y, 1 - Y))) / (sum(X) - sum(min(X, Y, 1 - Y))) (Ragin 2006;
    Schneider & Wagemann 2012, p. 236; Dusa 2019, ch. 5).  A ratio 0/0 is 0, as in R.  The search
    order and the rules that drop redundant expressions are R's (module docstring).

    The argument order is R's, ``superSubset(data, outcome, conditions, relation = "necessity",
    incl.cut = 1, cov.cut = 0, ron.cut = 0, pri.cut = 0, depth = NULL)``; ``use.letters``,
    ``use.labels`` and ``add`` are not implemented.  A necessary expression must make theoretical
    sense (Schneider & Wagemann 2012, p. 74); the search only finds candidates.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 3 and 9.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 5.4 (``superSubset``).

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> super_subset(load("LF"), "SURV", incl_cut=0.9, ron_cut=0.6, depth=2).round(3)
      expression  inclN   RoN   covN
    0        STB  0.920  0.68  0.707
    1    LIT*STB  0.915  0.80  0.793
    >>> super_subset(load("LF"), "SURV", relation="sufficiency", incl_cut=0.85, depth=2).round(3)
      expression  inclS    PRI   covS
    0    DEV*STB  0.869  0.848  0.824
    1    URB*STB  0.874  0.845  0.520
    >>> super_subset(load("CVF"), "PROTEST", incl_cut=0.9, cov_cut=0.6).head(3).round(3)
                       expression  inclN    RoN   covN
    0                      GEOCON  0.904  0.492  0.624
    1  DEMOC + ETHFRACT + ~GEOCON  0.930  0.470  0.626
    2  DEMOC + ~ETHFRACT + POLDIS  0.918  0.506  0.637


    With a multi-value condition (``DEV`` cut at 550 and 850 into 0, 1, 2) every literal is a
    value, in R's notation (R's ``superSubset`` prints the same):

    >>> from analysis.qca.calibration import calibrate_crisp
    >>> mixed = load("LF").assign(DEV=calibrate_crisp(load("LR")["DEV"], [550, 850]))
    >>> super_subset(mixed, "SURV", incl_cut=0.9, ron_cut=0.6, depth=2).round(3)
          expression  inclN   RoN   covN
    0         STB[1]  0.920  0.68  0.707
    1  LIT[1]*STB[1]  0.915  0.80  0.793
    """
    if relation not in RELATIONS:
        raise QCAError(f"relation must be 'necessity' or 'sufficiency', got {relation!r}")
    outcome, neg_out = outcome_of(outcome, neg_out)
    if outcome not in data.columns:
        raise QCAError(f"outcome {outcome!r} is not a column of the data; columns: {', '.join(map(str, data.columns))}")
    conditions = [c for c in data.columns if c != outcome] if conditions is None else list(conditions)
    if not conditions:
        raise QCAError("no conditions to search")
    for name, v in (("incl_cut", incl_cut), ("cov_cut", cov_cut), ("ron_cut", ron_cut), ("pri_cut", pri_cut)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or not 0 <= float(v) <= 1:
            raise QCAError(f"{name} must be a number in [0, 1], got {v!r}")
    depth = len(conditions) if depth is None else depth
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise QCAError(f"depth must be a whole number of at least 1, got {depth!r}")
    depth = min(int(depth), len(conditions))
    mv = multivalue_levels(data, conditions)
    if mv is None:
        mem, levels = validate_memberships(data, conditions + [outcome]), [2] * len(conditions)
    else:
        mem, levels = multivalue_memberships(data, conditions, outcome, mv), list(mv)
    x = mem[conditions].to_numpy()
    y = outcome_membership(mem, outcome, neg_out)
    nec = relation == "necessity"
    incl = float(incl_cut) - TOLERANCE
    cov = float(cov_cut) - TOLERANCE if cov_cut > 0 else 0.0
    y_sum = y.sum()
    conj, disj = [], []                 # (literals {condition: value}, fit)
    k, going = 1, True
    while k <= depth and going:
        if conj or disj:
            going = k <= 3
        earlier_conj = [frozenset(lit.items()) for lit, _ in conj]        # what a new expression may not contain
        earlier_disj = [frozenset(lit.items()) for lit, _ in disj]
        for combo in combinations(range(len(conditions)), k):
            patterns, mn, mx = _level(x, y, combo, nec, levels)
            c_incl, c_cov = _ratio(mn["xy"], y_sum), _ratio(mn["xy"], mn["x"])     # inclN, covN of each pattern
            if not nec:
                c_incl, c_cov = c_cov, c_incl                                      # inclS, covS
            passed = (c_incl >= incl) & (c_cov >= cov)
            if nec:
                d_incl, d_cov = _ratio(mx["xy"], y_sum), _ratio(mx["xy"], mx["x"])
                d_passed = (d_incl >= incl) & (d_cov >= cov) & ~passed
            for j in np.flatnonzero(passed | d_passed if nec else passed):        # in the patterns' order
                literals = {conditions[c]: int(v) for c, v in zip(combo, patterns[j])}
                if passed[j]:
                    if nec or not _contains(frozenset(literals.items()), earlier_conj):
                        third = mn["ron"][j] if nec else mn["pri"][j]
                        conj.append((literals, (float(c_incl[j]), float(third), float(c_cov[j]))))
                        going = True
                elif not _contains(items := frozenset(literals.items()), earlier_conj) \
                        and not _contains(items, earlier_disj):
                    disj.append((literals, (float(d_incl[j]), float(mx["ron"][j]), float(d_cov[j]))))
                    going = True
        k += 1
    columns = ["expression", "inclN", "RoN", "covN"] if nec else ["expression", "inclS", "PRI", "covS"]
    rows = [[_write(lit, "*", mv), *fit] for lit, fit in conj] + [[_write(lit, " + ", mv), *fit] for lit, fit in disj]
    out = pd.DataFrame(rows, columns=columns)
    keep = out[columns[2]] >= (ron_cut if nec else pri_cut)
    return out[keep].reset_index(drop=True)


def _write(literals: dict, join: str, multivalue) -> str:
    """``A*~B`` (binary data) or, when a condition is multi-value, R's ``DEV[2]*URB[0]``."""
    if multivalue:
        return join.join(f"{c}[{v}]" for c, v in literals.items())
    return join.join(c if v else "~" + c for c, v in literals.items())
