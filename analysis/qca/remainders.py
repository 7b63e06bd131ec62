"""Logical remainders that must not become simplifying assumptions: R's ``findRows`` and the
rows a minimisation ``exclude``s (Schneider & Wagemann 2012, ch. 8; 2013; Dusa 2019, ch. 8.6).

The parsimonious solution may use any logical remainder (an unobserved configuration, or one
with fewer than ``n_cut`` cases) that helps to minimise: a *simplifying assumption*.  The
enhanced standard analysis keeps three kinds of remainders out of them:

- **untenable** remainders: configurations that cannot exist or contradict what is known, given
  as an expression (``find_rows(tt, 1, "A*~B")``: the remainders that are subsets of it), and
  remainders that contradict a necessary condition X (the remainders of ``~X``);
- **contradictory simplifying assumptions** (CSA, type 2): remainders that the parsimonious
  solution of the outcome and that of its negation both use;
- **simultaneous subset relations** (SSR, type 3): observed rows consistent enough to be
  positive for the outcome and for its negation.

``find_rows`` returns these rows as labels (``"00110"``, the first condition first, as the truth
table writes them) in the order of their codes, R's ``findRows`` numbers minus one written in
binary.  ``minimize(tt, exclude=rows)``, ``solve(tt, exclude=rows)`` and ``truth_table(...,
exclude=rows)`` then code those rows as negative (``OUT = 0``), as R's ``truthTable(exclude =)``
does: they can no longer be simplifying assumptions.  As in R (up to 7 conditions, where R's
truth table lists every row), an excluded row that was observed becomes negative too, so that
``exclude`` also applies to simultaneous subset relations; with more than 7 conditions R stops
("There are no solutions, given these constraints") when an observed positive row is excluded,
the engine keeps the same rule as with fewer.

>>> import pandas as pd
>>> from analysis.qca import truth_table
>>> from analysis.qca.datasets import load
>>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
>>> find_rows(tt, 1, "~DEV*URB")[:3]
['01000', '01001', '01010']
>>> find_rows(tt, 2)
['01001', '01011', '01101', '01111', '10000', '10100', '11000', '11100']
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .errors import QCAError
from .primes import covers_masks
from .rows import all_codes, weights
from .expressions import parse
from .mv_remainders import codes_of, expression_rows_mv, labels_of, sa_of
from .mv_rows import label_codes

__all__ = ["Exclusion", "FIND_ROWS_TYPES", "csa_codes", "exclusions", "expression_rows", "find_rows", "negation"]

#: ``find_rows``' types, as R's ``findRows(type = 0, 1, 2, 3)``, with what each returns.
FIND_ROWS_TYPES = {0: "all of types 1, 2 and 3", 1: "remainders that are subsets of the expression",
                   2: "contradictory simplifying assumptions", 3: "simultaneous subset relations"}
WIDE = 7            # from this many conditions on, R's truth table keeps only rows with n >= n_cut


@dataclass(frozen=True)
class Exclusion:
    """One truth table row kept out of the simplifying assumptions, and why.

    Parameters
    ----------
    row : str
        The row's label, e.g. ``"00110"`` (first condition first; R's row number minus one in
        binary).
    reason : str
        Why it is excluded (``"remainder of ~DEV*URB"``, a CSA, an SSR, a reason given by the
        user).

    Notes
    -----
    The rows the enhanced standard analysis keeps out of the simplifying assumptions (Schneider &
    Wagemann 2012, ch. 8.2; 2013); ``TruthTable.excluded`` and ``Solutions.excluded`` hold them,
    and the command line's JSON lists them under ``exclude``.  R's ``exclude`` takes row numbers
    without reasons.

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2013). Doing justice to logical remainders in QCA: Moving
    beyond the Standard Analysis. *Political Research Quarterly*, 66(1), 211-220.

    Examples
    --------
    >>> Exclusion("00110", "untenable").to_json()
    {'row': '00110', 'reason': 'untenable'}
    """

    row: str          # the row's label, e.g. "00110"
    reason: str

    def to_json(self) -> dict:
        """The record as ``{"row": ..., "reason": ...}``."""
        return {"row": self.row, "reason": self.reason}


def expression_rows(expression: str, conditions) -> np.ndarray:
    """The codes of the rows (of all 2^k) in which a crisp sum of products is true.

    These are the rows that are subsets of the expression.

    Parameters
    ----------
    expression : str
        A sum of products over ``conditions``, e.g. ``"~DEV*URB + STB"``.
    conditions : sequence of str
        The truth table's conditions, in its order.

    Returns
    -------
    numpy.ndarray
        Sorted row codes (the first condition the most significant bit).

    Raises
    ------
    QCAError
        When the expression cannot be parsed or names a condition not in ``conditions``.

    Notes
    -----
    A row is a subset of a sum of products when one of its terms is true in the row's crisp
    values; a term with X*~X is true in no row.  R's ``findRows(type = 1)`` expands the expression
    the same way (admisc's ``translate``, then every value of the conditions a term leaves out).

    Examples
    --------
    >>> expression_rows("A*~C", ["A", "B", "C"]).tolist()
    [4, 6]
    >>> expression_rows("~DEV*URB + STB", ["DEV", "URB", "LIT", "IND", "STB"])[:5].tolist()
    [1, 3, 5, 7, 8]
    """
    conditions = list(conditions)
    k = len(conditions)
    bit = dict(zip(conditions, weights(k).tolist()))
    value, care = [], []
    for term in parse(expression, conditions):
        v = c = 0
        clash = False
        for name, present in term:
            if c & bit[name] and bool(v & bit[name]) != present:
                clash = True            # X*~X: no row
            c |= bit[name]
            v |= bit[name] if present else 0
        if not clash:
            value.append(v)
            care.append(c)
    if not value:
        return np.zeros(0, dtype=np.int64)
    hit = covers_masks(np.array(value, dtype=np.int64), np.array(care, dtype=np.int64), all_codes(k))
    return np.flatnonzero(hit.any(axis=0)).astype(np.int64)


def _observed(tt) -> np.ndarray:
    """R's ``tt$indexes``: the rows that hold a case (from 8 conditions on, those with at least
    ``n_cut`` cases)."""
    table = tt.table
    keep = table["n"] >= tt.n_cut if tt.k > WIDE else np.ones(len(table), dtype=bool)
    return np.asarray(table["code"][keep], dtype=np.int64)


def negation(tt):
    """The truth table of the negated outcome, as R's ``findRows`` builds it.

    Parameters
    ----------
    tt : TruthTable
        The analysis' truth table.

    Returns
    -------
    TruthTable
        On the same data and conditions, with the same ``pri_cut``, ``n_cut`` and exclusions, for
        ``~Y`` (``Y`` when ``tt``'s outcome is already negated), with the last consistency cut-off
        as its only one.

    Notes
    -----
    R's ``findRows`` (types 0, 2, 3) calls ``truthTable`` again with the outcome negated and
    ``incl.cut = rev(incl.cut)``: with two cut-offs ``(incl1, incl0)`` the reversal makes ``incl0``
    the cut-off for OUT = 1 and leaves no row between the two, so ``incl0`` is the only one that
    matters.  R's ``findRows`` also takes other cut-offs for the negation (``...``); the engine
    does not.  Warnings (boundary cases) are not repeated.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.6.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> neg = negation(truth_table(load("LF"), "SURV", incl_cut=0.8))
    >>> neg.outcome_label, neg.incl_cut, neg.positive.tolist()
    ('~SURV', (0.8,), [0, 1, 4, 5, 22, 30])
    """
    from .truthtable import truth_table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        neg = truth_table(tt.data, tt.outcome, tt.conditions, incl_cut=tt.incl_cut[-1], pri_cut=tt.pri_cut,
                          n_cut=tt.n_cut, neg_out=not tt.neg_out)
    return neg.exclude(tt.excluded) if tt.excluded else neg


def csa_codes(positive, negative, neg_positive, neg_negative, k: int, sa=None) -> np.ndarray:
    """The contradictory simplifying assumptions of two codings, the outcome's and its negation's.

    Parameters
    ----------
    positive, negative : array-like of int
        The outcome's positive and negative row codes.
    neg_positive, neg_negative : array-like of int
        The negated outcome's positive and negative row codes.
    k : int
        The number of conditions.
    sa : callable, optional
        ``sa(positive, negative, k)``: a coding's simplifying assumptions, or None when its
        parsimonious solution does not exist (default ``solutions.parsimonious_sa``, or a cached
        twin).

    Returns
    -------
    numpy.ndarray of int64
        The sorted codes of the remainders both parsimonious solutions use (over all their tied
        models); empty when either solution does not exist.

    Notes
    -----
    A contradictory simplifying assumption (CSA) is a remainder assumed sufficient for both the
    outcome and its negation (Schneider & Wagemann 2012, ch. 8.2; 2013): R's ``findRows(type =
    2)`` intersects the union of ``$SA`` of ``minimize(include = "?")`` for the outcome and for its
    negation.  Where either solution does not exist R's ``findRows`` stops with ``minimize``'s
    error; here there is no CSA.

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 8.2.

    Schneider, C. Q., & Wagemann, C. (2013). Doing justice to logical remainders in QCA: Moving
    beyond the Standard Analysis. *Political Research Quarterly*, 66(1), 211-220.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> neg = negation(tt)
    >>> csa_codes(tt.positive, tt.negative, neg.positive, neg.negative, tt.k).tolist()
    [9, 11, 13, 15, 16, 20, 24, 28]
    """
    if sa is None:
        from .solutions import parsimonious_sa as sa
    mine = sa(positive, negative, k)
    theirs = sa(neg_positive, neg_negative, k) if mine is not None else None
    if mine is None or theirs is None:
        return np.zeros(0, dtype=np.int64)
    return np.intersect1d(mine, theirs)


def find_rows(tt, type: int = 1, expression: str | None = None, observed: bool = False) -> list:
    """Rows of a truth table that should not be simplifying assumptions (R's ``findRows``).

    Parameters
    ----------
    tt : TruthTable
        The truth table of the analysis (with any exclusions already made).
    type : {0, 1, 2, 3}, default 1
        1: remainders that are subsets of ``expression`` (untenable remainders, or those that
        contradict a necessary condition X: ``expression="~X"``); 2: contradictory simplifying
        assumptions (CSA), the remainders used by the parsimonious solutions of both the outcome
        and its negation; 3: simultaneous subset relations (SSR), the observed rows that are
        positive (``OUT = 1``) for both; 0: all three.
    expression : str, optional
        A sum of products over the conditions; required for types 0 and 1.
    observed : bool, default False
        Type 1: also return observed rows that are subsets of the expression.

    Returns
    -------
    list of str
        Row labels such as ``"00110"`` (first condition first), sorted by code: R's row numbers
        minus one, written in binary.

    Raises
    ------
    QCAError
        A type other than 0-3, no expression for types 0 and 1, or an expression that cannot be
        parsed.

    Notes
    -----
    The negation's truth table is built as R builds it (``negation``): the same data, conditions,
    ``pri_cut``, ``n_cut`` and exclusions, with the consistency cut-offs reversed.  A remainder
    is a subset of a sum of products when one of its terms is true in the row.  R's remainders
    (type 1) are the rows without a case (from 8 conditions on, the rows with fewer than
    ``n_cut`` cases too); rows with cases below ``n_cut`` are remainders of the minimisation
    but, up to 7 conditions, not of ``findRows``.  When the parsimonious solution of the
    outcome or of its negation does not exist (R's ``findRows`` stops with ``minimize``'s
    error), it makes no simplifying assumption: no CSA.

    R's argument order is ``findRows(obj, expression = "", observed = FALSE, type = 1)``: pass
    ``type`` and ``expression`` by name when porting R code.  R also takes a numeric matrix as
    ``obj`` and extra cut-offs for the negation; the engine takes a truth table only.

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2013). Doing justice to logical remainders in QCA: Moving
    beyond the Standard Analysis. *Political Research Quarterly*, 66(1), 211-220.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.6.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> find_rows(tt, 2)
    ['01001', '01011', '01101', '01111', '10000', '10100', '11000', '11100']
    >>> find_rows(tt, 3)
    []
    >>> len(find_rows(tt, 0, "~STB"))
    16
    """
    if type not in FIND_ROWS_TYPES:
        raise QCAError(f"find_rows type must be 0, 1, 2 or 3 ({'; '.join(f'{t}: {w}' for t, w in FIND_ROWS_TYPES.items())}), "
                       f"got {type!r}")
    if type in (0, 1) and not (isinstance(expression, str) and expression.strip()):
        raise QCAError(f"find_rows type {type} needs an expression (e.g. '~A*B'): the remainders that are its subsets")
    found = []
    if type in (0, 1):
        rows = expression_rows_mv(expression, tt.conditions, tt.levels) if tt.levels else \
            expression_rows(expression, tt.conditions)
        found.append(rows if observed else np.setdiff1d(rows, _observed(tt)))
    if type in (0, 2, 3):
        neg = negation(tt)
    if type in (0, 2):
        found.append(csa_codes(tt.positive, tt.negative, neg.positive, neg.negative, tt.k, sa_of(tt)))
    if type in (0, 3):
        found.append(np.intersect1d(tt.positive, neg.positive))
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return labels_of(codes, tt)


def _label(item, k: int, conditions, levels=()) -> list | None:
    """A row label ("00110") as [code]; None when ``item`` is not a label."""
    text = item.strip()
    if levels and text.isdigit():
        return label_codes([text], levels, "exclude: row").tolist()
    if len(text) == k and set(text) <= {"0", "1"}:
        return [int(text, 2)]
    if set(text) <= set("0123456789") and text:
        raise QCAError(f"exclude: {item!r} is not a row of {k} conditions ({', '.join(conditions)}): give rows as "
                       f"the truth table writes them, {k} digits 0/1 such as {'0' * (k - 1) + '1'!r} (R's row number "
                       "r is the row r - 1 written in binary)")
    return None


def exclusions(tt, exclude, reason: str = "excluded by the user") -> tuple:
    """The rows ``exclude`` names, as ``Exclusion`` records (no row twice, in code order).

    Parameters
    ----------
    tt : TruthTable
        The truth table whose rows are named.
    exclude : str, sequence, mapping, DataFrame or None
        Row labels (``"00110"``) or expressions (their remainders, as ``find_rows(tt, 1,
        expression)``), one or a list; a mapping ``{row or expression: reason}``; a table with
        a ``row`` and a ``reason`` column (``esa``'s); or ``Exclusion`` records.
    reason : str, default "excluded by the user"
        The reason recorded for rows given without one (an expression's rows get
        ``"remainder of <expression>"``).

    Returns
    -------
    tuple of Exclusion
        Empty for None.

    Raises
    ------
    QCAError
        A label of the wrong length (e.g. R's row number ``"22"``: give ``"10101"``), something
        that is neither a label nor an expression, or a table without a ``row`` column.

    Notes
    -----
    R's ``truthTable(exclude =)`` takes row numbers or an expression (whose remainders
    ``findRows`` finds); here rows are labels, the number minus one in binary (Dusa 2019, ch. 8.6).

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.6.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> [e.row for e in exclusions(tt, ["00110", "~DEV*URB*LIT*IND*STB"])]
    ['00110', '01111']
    >>> exclusions(tt, {"~DEV*URB*LIT*IND*STB": "untenable"})
    (Exclusion(row='01111', reason='untenable'),)
    """
    if exclude is None:
        return ()
    if hasattr(exclude, "columns"):                       # a DataFrame with row (and reason)
        if "row" not in exclude.columns:
            raise QCAError("exclude: a table of rows needs a 'row' column (and a 'reason' column)")
        reasons = exclude["reason"] if "reason" in exclude.columns else [reason] * len(exclude)
        items = list(zip(exclude["row"], reasons))
    elif isinstance(exclude, dict):
        items = list(exclude.items())
    elif isinstance(exclude, (str, Exclusion)):
        items = [exclude]
    else:
        items = list(exclude)
    out: dict = {}
    for item in items:
        if isinstance(item, Exclusion):
            item = (item.row, item.reason)
        text, why = item if isinstance(item, tuple) else (item, reason)
        if not isinstance(text, str):
            raise QCAError(f"exclude: {text!r} is not a row label such as '00110' or an expression; give rows as the "
                           "truth table writes them")
        codes = _label(text, tt.k, tt.conditions, tt.levels)
        if codes is None:
            codes = codes_of(find_rows(tt, 1, text), tt).tolist()
            why = why if why != reason else f"remainder of {text}"
        for code in codes:
            out.setdefault(code, Exclusion(labels_of([code], tt)[0], str(why)))
    return tuple(out[c] for c in sorted(out))
