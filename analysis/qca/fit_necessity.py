"""Parameters of fit of necessity (Ragin 2006; Schneider & Wagemann 2012, ch. 9; Dusa 2019, ch. 5).

With X the membership in a condition or expression and Y in the outcome, over all cases (Y a
subset of X):

    inclN = sum(min(X, Y)) / sum(Y)
    RoN   = sum(1 - X) / sum(1 - min(X, Y))                 relevance of necessity (Schneider &
                                                                      Wagemann 2012, p. 236)
    covN  = sum(min(X, Y)) / sum(X)

``NecessityFit`` is the record, ``necessity`` computes it for one condition or expression, and
``necessity_table`` for each condition and its negation.  The sufficiency measures are in
``analysis.qca.fit``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .expressions import term_string
from .fit import _Fit, ratio
from .sets import data_levels, outcome_membership, value_membership

__all__ = ["NecessityFit", "necessity", "necessity_table"]


@dataclass(frozen=True)
class NecessityFit(_Fit):
    """Parameters of fit of X as necessary for Y: inclN, RoN, covN.

    A frozen record; ``to_dict()`` gives its fields as a dict.

    Parameters
    ----------
    inclN : float
        Consistency of necessity, sum(min(X, Y)) / sum(Y).
    RoN : float
        Relevance of necessity, sum(1 - X) / sum(1 - min(X, Y)).
    covN : float
        Coverage of necessity, sum(min(X, Y)) / sum(X).

    Notes
    -----
    The formulas of R's ``pof(..., relation = "necessity")`` (Ragin 2006; RoN: Schneider &
    Wagemann 2012, p. 236; Dusa 2019, ch. 5); a ratio whose denominator is 0 is NaN.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, p. 236.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 5.

    Examples
    --------
    >>> NecessityFit(inclN=0.92, RoN=0.68, covN=0.71).inclN
    0.92
    """

    inclN: float
    RoN: float
    covN: float


def necessity(x, y) -> NecessityFit:
    """Parameters of fit of X as necessary for Y: inclN, RoN and covN.

    Parameters
    ----------
    x : array-like of float
        Memberships in the condition or expression X, one per case.
    y : array-like of float
        Memberships in the outcome Y (already negated for ~Y).

    Returns
    -------
    NecessityFit

    Notes
    -----
    Over all cases:

        inclN = sum(min(X, Y)) / sum(Y)                                     (Ragin 2006)
        RoN   = sum(1 - X) / sum(1 - min(X, Y))     (Schneider & Wagemann 2012, p. 236)
        covN  = sum(min(X, Y)) / sum(X)

    R's ``pof(..., relation = "necessity")`` (Dusa 2019, ch. 5); NaN where a denominator is 0.  R's
    ``pof`` sets any parameter below 0.00001 to 0; the engine reports the number as computed.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, p. 236.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 5.

    Examples
    --------
    >>> necessity([0.75, 1.0, 0.5], [0.5, 0.75, 0.5])
    NecessityFit(inclN=1.0, RoN=0.6, covN=0.7777777777777778)
    >>> from analysis.qca.datasets import load
    >>> lf = load("LF")
    >>> necessity(lf["STB"], lf["SURV"])
    NecessityFit(inclN=0.9201877934272302, RoN=0.6801181102362205, covN=0.7069431920649234)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    return NecessityFit(inclN=ratio(xy.sum(), y.sum()), RoN=ratio((1 - x).sum(), (1 - xy).sum()),
                        covN=ratio(xy.sum(), x.sum()))


def _literal_name(name, present):
    return term_string(((name, present),))


def necessity_table(data: pd.DataFrame, outcome: str, conditions, neg_out: bool = False) -> pd.DataFrame:
    """Each condition and its negation as necessary for the outcome: inclN, RoN, covN.

    Parameters
    ----------
    data : pandas.DataFrame
        Memberships, one row per case.
    outcome : str
        The outcome's column, ``"~Y"`` for its negation.
    conditions : sequence of str
        The conditions, in the order of the rows.
    neg_out : bool, default False
        Explain the negated outcome.

    Returns
    -------
    pandas.DataFrame
        Columns ``condition`` (``"X"`` or ``"~X"``), ``inclN``, ``RoN``, ``covN``; the conditions in
        the given order, then their negations.  With a multi-value condition (whole numbers, some
        2 or more), R's ``pofind`` table instead: every observed value of every condition in
        condition order, ``DEV[0]``, ``DEV[1]``, ..., ``URB[0]``, ``URB[1]`` (a fuzzy condition's
        values 0 and 1).

    Notes
    -----
    The formulas of ``necessity`` (Ragin 2006; RoN: Schneider & Wagemann 2012, p. 236).  R's
    ``pof(outcome = "Y", data = data)`` without ``setms`` computes the same table (its ``pofind``)
    but lists each negation just before its condition (``~A``, ``A``, ``~B``, ``B``, ...); the order
    here is that of the reference fixtures (``tests/fixtures/reference/studies/r_qca.R``) and of the
    command line's JSON.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, p. 236.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.75, 1.0, 0.5], "Y": [0.5, 0.75, 0.5]})
    >>> necessity_table(data, "Y", ["A"])
      condition     inclN  RoN      covN
    0         A  1.000000  0.6  0.777778
    1        ~A  0.428571  1.0  1.000000
    >>> from analysis.qca.datasets import load
    >>> necessity_table(load("LF"), "SURV", ["DEV", "STB"]).round(3)
      condition  inclN    RoN   covN
    0       DEV  0.831  0.811  0.775
    1       STB  0.920  0.680  0.707
    2      ~DEV  0.285  0.587  0.274
    3      ~STB  0.218  0.687  0.269
    """
    y = outcome_membership(data, outcome, neg_out)
    if data_levels(data[list(conditions)]):
        return _multivalue_table(data, conditions, y)
    rows = []
    for present in (True, False):
        for c in conditions:
            x = data[c].to_numpy(dtype=float)
            rows.append({"condition": _literal_name(c, present),
                         **necessity(x if present else 1 - x, y).to_dict()})
    return pd.DataFrame(rows, columns=["condition", "inclN", "RoN", "covN"])


def _multivalue_table(data: pd.DataFrame, conditions, y) -> pd.DataFrame:
    """R's ``pofind`` with a multi-value condition: every observed value of every condition
    (``DEV[0]``, ``DEV[1]``, ``DEV[2]``, ``URB[0]``, ...), in condition order; a fuzzy condition's
    values 0 and 1 (its negation and itself; R's ``pofind`` stops on fuzzy and multi-value
    conditions together)."""
    rows = []
    for c in conditions:
        x = data[c].to_numpy(dtype=float)
        values = np.unique(x).astype(int) if np.all(x == np.floor(x)) else np.array([0, 1])
        for v in values:
            rows.append({"condition": _literal_name(c, int(v)), **necessity(value_membership(x, int(v)), y).to_dict()})
    return pd.DataFrame(rows, columns=["condition", "inclN", "RoN", "covN"])
