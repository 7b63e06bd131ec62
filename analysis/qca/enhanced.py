"""The enhanced standard analysis: which rows to keep out of the simplifying assumptions
(Schneider & Wagemann 2012, ch. 8.2; 2013; SetMethods' ``esa``).

The standard analysis lets the parsimonious and intermediate solutions rest on any helpful
logical remainder.  The *enhanced* standard analysis (ESA) first rules out the remainders that
make untenable assumptions:

- remainders that **contradict a necessary condition**: if X is necessary for Y, a remainder
  without X cannot be assumed sufficient for Y (a "simplifying assumption that contradicts claims
  of necessity");
- **untenable** remainders: configurations that cannot exist or contradict common sense, given
  as expressions (each with its reason);
- **contradictory simplifying assumptions** (CSA): remainders the parsimonious solutions of the
  outcome and of its negation both use (``find_rows(tt, 2)``);
- **simultaneous subset relations** (SSR): observed rows positive for both the outcome and its
  negation (``find_rows(tt, 3)``), kept out of both analyses.

``esa`` returns these rows with their reasons as a table that ``minimize``, ``solve`` and
``truth_table`` take as ``exclude``; ``necessary_conditions`` finds the necessary conditions at
given inclN and RoN cut-offs when none are given.

>>> from analysis.qca import solve, truth_table
>>> from analysis.qca.datasets import load
>>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
>>> rows = esa(tt, nec_cond=["STB"])
>>> rows.groupby("kind").size().to_dict()
{'CSA': 4, 'necessary': 12}
>>> solve(tt, exclude=rows).parsimonious
parsimonious solution: 1 model(s)
  M1: DEV*URB*STB + DEV*~IND*STB
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .errors import QCAError
from .fit_necessity import necessity_table
from .mv_remainders import expression_rows_mv, labels_of, sa_of
from .mv_rows import all_codes_mv
from .remainders import csa_codes, negation
from .remainders import expression_rows as binary_rows
from .expressions import parse

__all__ = ["esa", "esa_codes", "necessary_conditions"]

KINDS = ("necessary", "untenable", "CSA", "SSR")


def necessary_conditions(tt, incl_cut: float = 0.9, ron_cut: float = 0.5) -> list:
    """The conditions (and negations) necessary for the truth table's outcome.

    Parameters
    ----------
    tt : TruthTable
        The analysis' truth table (its data, outcome and conditions).
    incl_cut : float, default 0.9
        The inclN a necessary condition needs.
    ron_cut : float, default 0.5
        The RoN it needs.

    Returns
    -------
    list of str
        Literals such as ``"STB"`` or ``"~IND"`` with inclN >= ``incl_cut`` and RoN >= ``ron_cut``,
        in the necessity table's order (conditions, then negations).

    Notes
    -----
    From ``fit_necessity.necessity_table``: inclN = sum(min(X, Y)) / sum(Y), RoN = sum(1 - X) / sum(1 -
    min(X, Y)) (Schneider & Wagemann 2012, p. 236).  The defaults follow Schneider & Wagemann
    (2012, ch. 9): an inclN of at least 0.9 and a RoN that is not close to 0.  Single literals
    only; ``super_subset`` searches conjunctions and disjunctions.  The comparisons are exact (no
    tolerance).

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 9.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> necessary_conditions(truth_table(load("LF"), "SURV"), 0.9, 0.5)
    ['LIT', 'STB']
    """
    table = necessity_table(tt.data, tt.outcome, tt.conditions, neg_out=tt.neg_out)
    keep = (table["inclN"] >= incl_cut) & (table["RoN"] >= ron_cut)
    return table.loc[keep, "condition"].tolist()


def _named(items) -> list:
    """Expressions given as text, a list, or {expression: reason}: [(expression, reason or None)]."""
    if items is None:
        return []
    if isinstance(items, str):
        return [(items, None)]
    if isinstance(items, dict):
        return list(items.items())
    return [tuple(e) if isinstance(e, tuple) else (e, None) for e in items]


CSA_REASON = "contradictory simplifying assumption: used for both the outcome and its negation"
SSR_REASON = "simultaneous subset relation: consistent for both the outcome and its negation"


def esa_codes(conditions, positive, negative, neg_positive=(), neg_negative=(), nec_cond=(), untenable=(),
              csa: bool = True, ssr: bool = True, observed: bool = False, sa=None, levels=()) -> dict:
    """``esa``'s rule on codings: ``{row code: (kind, reason)}``.

    The positive and negative row codes of the outcome's truth table and of its negation's
    (``remainders.negation``) are enough: ``esa`` calls it with a truth table's codings, the
    robustness sweep and the multiverse with the codings they find without building the table, so
    that there is one rule for all.

    Parameters
    ----------
    conditions : sequence of str
        The conditions, in order.
    positive, negative : array-like of int
        The outcome's positive and negative rows; the other rows are remainders (fewer than
        ``n_cut`` cases, or none).
    neg_positive, neg_negative : array-like of int, default ()
        The negated outcome's positive and negative rows (for CSA and SSR).
    nec_cond : sequence of (str, str or None), default ()
        Necessary expressions with their reasons (None: a reason is written).
    untenable : sequence of (str, str or None), default ()
        Untenable expressions with their reasons.
    csa, ssr : bool, default True
        Also the contradictory simplifying assumptions and the simultaneous subset relations.
    observed : bool, default False
        Also observed rows without a necessary condition (SetMethods' ``esa``).
    sa : callable, optional
        A coding's simplifying assumptions (``remainders.csa_codes``).

    Returns
    -------
    dict
        ``{code: (kind, reason)}``, ``kind`` one of ``"necessary"``, ``"untenable"``, ``"CSA"``,
        ``"SSR"``: the first that applies, in that order.

    Raises
    ------
    QCAError
        A necessary or untenable expression that cannot be parsed or names an unknown condition.

    Notes
    -----
    See ``esa`` (Schneider & Wagemann 2012, ch. 8.2; 2013).

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2013). Doing justice to logical remainders in QCA: Moving
    beyond the Standard Analysis. *Political Research Quarterly*, 66(1), 211-220.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> rows = esa_codes(tt.conditions, tt.positive, tt.negative, nec_cond=[("STB", None)], csa=False, ssr=False)
    >>> sorted(rows)[:4], rows[2]
    ([2, 6, 8, 10], ('necessary', 'contradicts the necessary condition STB'))
    """
    k = len(conditions)
    positive, negative = np.asarray(positive, dtype=np.int64), np.asarray(negative, dtype=np.int64)
    conditions, levels = tuple(conditions), tuple(levels)
    remainder = np.ones(len(all_codes_mv(levels)) if levels else 1 << k, dtype=bool)   # row code -> a remainder?
    remainder[positive] = False
    remainder[negative] = False
    rows: dict = {}
    for expression, reason in nec_cond:
        lacking = ~_expression_mask(expression, conditions, levels)
        for code in np.flatnonzero(lacking if observed else lacking & remainder).tolist():
            rows.setdefault(code, ("necessary", reason or f"contradicts the necessary condition {expression}"))
    for expression, reason in untenable:
        for code in np.flatnonzero(_expression_mask(expression, conditions, levels) & remainder).tolist():
            rows.setdefault(code, ("untenable", reason or f"untenable: {expression}"))
    if csa:
        for code in csa_codes(positive, negative, neg_positive, neg_negative, k, sa):
            rows.setdefault(int(code), ("CSA", CSA_REASON))
    if ssr:
        for code in np.intersect1d(positive, np.asarray(neg_positive, dtype=np.int64)):
            rows.setdefault(int(code), ("SSR", SSR_REASON))
    return rows


@lru_cache(maxsize=4096)
def _expression_mask(expression: str, conditions: tuple, levels: tuple) -> np.ndarray:
    """Whether each row (by code) is a subset of ``expression`` (``remainders.expression_rows``;
    multi-value: ``mv_remainders.expression_rows_mv``), made once per expression and conditions
    (read-only): the robustness sweep and the multiverse ask for the same few thousands of times."""
    codes = expression_rows_mv(expression, conditions, levels) if levels else binary_rows(expression, conditions)
    mask = np.zeros(len(all_codes_mv(levels)) if levels else 1 << len(conditions), dtype=bool)
    mask[codes] = True
    mask.flags.writeable = False
    return mask


def esa(tt, nec_cond=None, untenable=None, csa: bool = True, ssr: bool = True, nec_incl: float = 0.9,
        nec_ron: float = 0.5, observed: bool = False) -> pd.DataFrame:
    """The rows the enhanced standard analysis keeps out of the simplifying assumptions.

    Parameters
    ----------
    tt : TruthTable
        The analysis' truth table.
    nec_cond : str, list or dict, optional
        Necessary conditions or expressions (``"STB"``, ``"STOCK + MA"``, ``"~IND"``), or a dict
        ``{expression: reason}``.  None: those ``necessary_conditions(tt, nec_incl, nec_ron)``
        finds; ``[]``: none.
    untenable : str, list or dict, optional
        Untenable remainders as expressions (``"BARGAIN*~OCCUP"``), ideally as ``{expression:
        reason}``: the remainders that are subsets of each are excluded.
    csa, ssr : bool, default True
        Also exclude the contradictory simplifying assumptions (``find_rows(tt, 2)``) and the
        simultaneous subset relations (``find_rows(tt, 3)``), found on ``tt`` as given.
    nec_incl, nec_ron : float
        The cut-offs of ``necessary_conditions`` when ``nec_cond`` is None.
    observed : bool, default False
        Also code observed rows without a necessary condition negative, as SetMethods' ``esa``
        does (see Notes).

    Returns
    -------
    pandas.DataFrame
        One row per excluded truth-table row: ``row`` (its label, ``"00110"``), ``kind``
        (``necessary``, ``untenable``, ``CSA`` or ``SSR``, the first that applies in that order)
        and ``reason``; pass it as ``exclude`` to ``minimize``, ``solve`` or ``truth_table``.

    Raises
    ------
    QCAError
        A necessary or untenable expression that is empty, cannot be parsed or names a
        condition not in the truth table.

    Notes
    -----
    A remainder contradicts a necessary expression X when X is false in it (its crisp values
    make every term of X false); an untenable remainder is a subset of the untenable expression.
    Remainders are the rows with fewer than ``n_cut`` cases, observed or not, those a
    minimisation may use.  SetMethods' ``esa(oldtt, nec_cond, untenable_LR, contrad_rows)``
    codes *every* row without a necessary condition negative, observed positive rows included;
    the enhanced standard analysis concerns remainders only (Schneider & Wagemann 2013), so the
    engine does that by default and follows SetMethods with ``observed=True`` (then ``esa``
    followed by ``minimize`` equals SetMethods' ``esa()`` followed by ``minimize``; with
    ``observed=False`` they differ only where an observed row lacks a necessary condition).
    SetMethods also accepts only a few shapes of necessary expressions (at most two literals in a
    conjunction of a disjunction); the engine takes any sum of products.  SetMethods' defaults
    exclude nothing (``nec_cond = c()``, ``contrad_rows = c()``: the CSA rows are given to it, e.g.
    from ``findRows(type = 2)``); here ``nec_cond=None`` finds the necessary conditions at
    ``nec_incl`` and ``nec_ron``, and ``csa`` and ``ssr`` find the CSA and SSR rows, unless
    switched off (``nec_cond=[]``, ``csa=False``, ``ssr=False``).

    References
    ----------
    Schneider, C. Q. and Wagemann, C. (2012) *Set-Theoretic Methods for the Social Sciences*,
    ch. 8.2. Cambridge University Press.
    Schneider, C. Q. and Wagemann, C. (2013) Doing justice to logical remainders in QCA: moving
    beyond the Standard Analysis. *Political Research Quarterly* 66(1), 211-220.
    Oana, I.-E., Schneider, C. Q. and Thomann, E. (2021) *Qualitative Comparative Analysis Using
    R*, ch. 4.4. Cambridge University Press (SetMethods' ``esa``).

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
    >>> esa(tt, nec_cond=[], untenable={"BARGAIN*~OCCUP": "no bargaining without occupational training"},
    ...     csa=False, ssr=False).head(2)
          row       kind                                      reason
    0  010000  untenable  no bargaining without occupational training
    1  010001  untenable  no bargaining without occupational training
    """
    necessary = necessary_conditions(tt, nec_incl, nec_ron) if nec_cond is None else nec_cond
    necessary, untenable = _named(necessary), _named(untenable)
    for expression, _ in necessary + untenable:
        _check(expression, tt)
    neg = negation(tt) if (csa or ssr) else tt
    rows = esa_codes(tt.conditions, tt.positive, tt.negative, neg.positive, neg.negative, necessary, untenable,
                     csa, ssr, observed, sa=sa_of(tt), levels=tt.levels)
    codes = sorted(rows)
    return pd.DataFrame([{"row": label, "kind": rows[c][0], "reason": rows[c][1]}
                         for c, label in zip(codes, labels_of(codes, tt))], columns=["row", "kind", "reason"])


def _check(expression, tt) -> None:
    if not isinstance(expression, str) or not expression.strip():
        raise QCAError(f"esa: {expression!r} is not an expression such as 'A + ~B' over {', '.join(tt.conditions)}")
    parse(expression, tt.conditions, dict(zip(tt.conditions, tt.levels)) if tt.levels else None)
