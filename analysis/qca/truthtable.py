"""The truth table (Ragin 2008, ch. 7; Schneider & Wagemann 2012, ch. 7; Dusa 2019, ch. 7).

With k conditions there are 2^k logically possible configurations (rows).  A case's membership
in a row is the minimum over the conditions of its membership in the condition (row value 1) or
in its negation (row value 0).  Each case has membership above 0.5 in at most one row, its row.
For each row:

- ``n``: the number of cases with membership above 0.5 in the row;
- ``incl``: sufficiency consistency of the row for the outcome, sum(min(row, Y)) / sum(row), over
  *all* cases;
- ``PRI``: proportional reduction in inconsistency (see ``analysis.qca.fit``);
- ``OUT``: ``"1"`` when incl >= ``incl_cut`` and PRI >= ``pri_cut``; ``"0"`` otherwise; ``"C"``
  (contradiction) when a second cut-off ``incl_cut = (incl1, incl0)`` is given and
  incl0 <= incl < incl1; ``"?"`` (a logical remainder) when ``n < n_cut``;
- ``DCC``: the deviant cases for consistency in kind, the row's cases whose outcome membership
  is below 0.5 (R's ``truthTable(..., dcc = TRUE)``).

``exclude`` keeps rows out of the simplifying assumptions by coding them ``OUT = 0`` (R's
``truthTable(..., exclude =)``; ``analysis.qca.remainders``): the rows are recorded, with their
reasons, in ``TruthTable.excluded``.

Rows with no case are logical remainders.  The cut-offs are compared as R's QCA does, with a
tolerance of about 1.5e-8 so that a consistency printed as 0.8 meets ``incl_cut = 0.8``.

A case with a membership of exactly 0.5 in any condition lies on the boundary of two rows and
belongs to none: it counts in no row's ``n`` and is listed in no row; ``TruthTable`` records it in
``boundary_cases`` and a warning names it, as R's ``truthTable`` warns.  Rows are numbered by the
conditions' values read as a binary number, the first condition being the most significant bit.

This module builds the truth table (``truth_table``, with the rows' statistics ``row_statistics``);
the value it returns, ``TruthTable``, is in ``analysis.qca.truthtable_type``, the checks of the
memberships in ``analysis.qca.membership_checks`` and the cut-offs in ``analysis.qca.cuts``.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from . import kernels
from .cuts import TOLERANCE, check_cuts, out_values
from .errors import QCAError
from .expressions import outcome_of
from .limits import MAX_CONDITIONS
from .membership_checks import validate_memberships
from .mv_rows import case_codes_mv, multivalue_memberships, multivalue_levels, row_labels_mv, row_memberships_mv
from .rows import case_codes, row_bits, row_label
from .sets import outcome_membership
from .truthtable_type import TruthTable

__all__ = ["TABLE_COLUMNS", "check_table_columns", "outcomes_row_statistics", "row_memberships", "row_statistics", "truth_table"]

COMPILED_FROM = 2_000_000   # cases x rows x conditions from which the compiled row statistics are used


TABLE_COLUMNS = ("code", "OUT", "n", "incl", "PRI", "cases", "DCC")   # a truth table's own columns


def check_table_columns(conditions, source: str | None = None) -> None:
    """Refuse a condition named like one of a truth table's own columns.

    Parameters
    ----------
    conditions : sequence of str
        The condition names.
    source : str, optional
        The data's name (e.g. a file) for the message.

    Raises
    ------
    QCAError
        When a condition is called ``code``, ``OUT``, ``n``, ``incl``, ``PRI``, ``cases`` or
        ``DCC`` (``TABLE_COLUMNS``): beside those columns it would be confused with them.

    Notes
    -----
    R's ``truthTable`` takes a condition named ``OUT`` and then reads the output column in its
    place; the engine refuses the name instead.

    Examples
    --------
    >>> check_table_columns(["RISK", "OUT"], "data.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.qca.errors.QCAError: data.csv: condition 'OUT' has the name of a truth table column (...); rename it
    """
    clash = [name for name in conditions if str(name) in TABLE_COLUMNS]
    if clash:
        where = f"{source}: " if source else ""
        raise QCAError(f"{where}condition {clash[0]!r} has the name of a truth table column "
                       f"({', '.join(TABLE_COLUMNS)}); rename it")


def row_memberships(x: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    """Membership of each case (rows of ``x``) in each truth-table row ``codes``: cases x rows, the
    minimum over the conditions of x (value 1) or 1 - x (value 0), each row's taken from the
    cases' literals (x, then 1 - x) by one index."""
    bits = row_bits(codes, k).astype(bool)                                         # rows x k
    literals = np.concatenate([x, 1 - x], axis=1)                                  # cases x 2k
    index = np.where(bits, np.arange(k), k + np.arange(k))                         # rows x k: columns of literals
    out = np.empty((x.shape[0], len(codes)))
    chunk = max(1, 2_000_000 // max(1, x.shape[0] * k))
    for s in range(0, len(codes), chunk):
        out[:, s:s + chunk] = literals[:, index[s:s + chunk]].min(axis=2)
    return out


def row_statistics(x: np.ndarray, y: np.ndarray, codes: np.ndarray, rm: np.ndarray | None = None):
    """The statistics of the truth table rows ``codes``: n, incl and PRI.

    Parameters
    ----------
    x : numpy.ndarray of float, shape (cases, conditions)
        The cases' memberships in the conditions.
    y : numpy.ndarray of float
        The outcome's memberships (negated for ~Y).
    codes : numpy.ndarray of int
        The row codes (first condition the most significant bit).
    rm : numpy.ndarray, optional
        The cases' memberships in the rows (``row_memberships(x, codes, k)``), when the caller
        already has them (several outcomes over the same conditions).

    Returns
    -------
    tuple of numpy.ndarray
        ``(n, incl, PRI)``, one value per row; NaN where a denominator is 0.

    Notes
    -----
    With R the membership of a case in a row (min over conditions of x or 1 - x):

        n    = number of cases with R > 0.5
        incl = sum(min(R, Y)) / sum(R)
        PRI  = (sum(min(R, Y)) - sum(min(R, Y, ~Y))) / (sum(R) - sum(min(R, Y, ~Y)))

    over all cases (Ragin 2008, ch. 7; R's ``truthTable``, Dusa 2019, ch. 7).  Large tables
    (``COMPILED_FROM`` cases x rows x conditions, two rows or more) go to ``kernels.truthtable``:
    the same sums, bit for bit.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 7.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> import numpy as np
    >>> from analysis.qca.datasets import load
    >>> lf = load("LF")
    >>> x = lf[["DEV", "URB", "LIT", "IND", "STB"]].to_numpy()
    >>> n, incl, pri = row_statistics(x, lf["SURV"].to_numpy(), np.array([21, 31]))
    >>> n.tolist(), incl.round(3).tolist(), pri.round(3).tolist()
    ([2, 4], [0.804, 0.904], [0.719, 0.886])
    """
    kernel = None
    if rm is None and len(codes) >= 2 and x.size * len(codes) >= COMPILED_FROM:
        from .kernels import truthtable as truthtable_kernel
        kernel = truthtable_kernel.compiled()
    if kernel is None:
        rm = row_memberships(x, codes, x.shape[1]) if rm is None else rm  # cases x rows
        n, incl, pri = outcomes_row_statistics(rm, np.asarray(y)[None, :])
        return n, incl[0], pri[0]
    n, s_xy, s_m, s_xyny = _row_sums_compiled(kernel, x, y, codes)
    return (n, *_incl_pri(s_xy, s_m, s_xyny))


def outcomes_row_statistics(rm: np.ndarray, ys: np.ndarray):
    """``row_statistics`` of several outcomes over the same rows at once (the multiverse codes
    every analysis of a specification, and each negation, in one call).

    Parameters
    ----------
    rm : numpy.ndarray of float, shape (cases, rows)
        The cases' memberships in the rows (``row_memberships``).
    ys : numpy.ndarray of float, shape (outcomes, cases)
        The outcomes' memberships (negated where the outcome is).

    Returns
    -------
    tuple of numpy.ndarray
        ``(n, incl, PRI)``: ``n`` one value per row, ``incl`` and ``PRI`` one row per outcome;
        the formulas of ``row_statistics`` with its sums, bit for bit (summed over the cases in
        their order).

    Examples
    --------
    >>> import numpy as np
    >>> rm = np.array([[0.9, 0.1], [0.3, 0.7]]); ys = np.array([[0.8, 0.6], [0.2, 0.4]])
    >>> n, incl, pri = outcomes_row_statistics(rm, ys)
    >>> n.tolist(), incl.round(3).tolist()
    ([1, 1], [[0.917, 0.875], [0.417, 0.625]])
    """
    ys = np.asarray(ys)
    n = (rm > 0.5).sum(axis=0)
    xy = np.minimum(rm[None, :, :], ys[:, :, None])                  # outcomes x cases x rows
    s_xyny = np.minimum(xy, 1 - ys[:, :, None]).sum(axis=1)
    return (n, *_incl_pri(xy.sum(axis=1), rm.sum(axis=0), s_xyny))


def _incl_pri(s_xy, s_m, s_xyny) -> tuple:
    """incl and PRI from the rows' sums (NaN where a denominator is 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = np.where(s_m != 0, s_xy / np.where(s_m != 0, s_m, 1), np.nan)
        den = s_m - s_xyny
        pri = np.where(den != 0, (s_xy - s_xyny) / np.where(den != 0, den, 1), np.nan)
    return incl, pri


def _row_sums_compiled(kernel, x, y, codes):
    """``row_statistics``' four sums by the compiled kernel, the rows shared out among the cores."""
    from .kernels.truthtable import shared_prefix
    k = x.shape[1]
    order = np.argsort(codes, kind="stable")                # consecutive rows share leading conditions
    bits = row_bits(codes[order], k).astype(np.int8)
    shared = shared_prefix(bits)
    x, y = np.ascontiguousarray(x, dtype=float), np.ascontiguousarray(y, dtype=float)
    not_x, not_y = 1 - x, 1 - y
    rows = len(codes)
    n, s_xy, s_m, s_xyny = np.zeros(rows, dtype=np.int64), np.zeros(rows), np.zeros(rows), np.zeros(rows)
    edges = np.linspace(0, rows, min(kernels.threads(), rows) + 1).astype(np.int64)
    kernels.run_pieces(lambda piece: kernel(x, not_x, y, not_y, bits, shared, *piece, n, s_xy, s_m, s_xyny),
                     list(zip(edges[:-1], edges[1:])))
    back = np.empty(rows, dtype=np.int64)
    back[order] = np.arange(rows)
    return n[back], s_xy[back], s_m[back], s_xyny[back]


def truth_table(data: pd.DataFrame, outcome: str, conditions=None, incl_cut=1.0, pri_cut=0.0,
                n_cut=1, neg_out: bool = False, case_ids=None, exclude=None) -> TruthTable:
    """Build the truth table of ``data`` for ``outcome`` (R's ``truthTable``).

    Parameters
    ----------
    data : pandas.DataFrame
        Memberships in [0, 1], one row per case; its index (or ``case_ids``) names the cases.
    outcome : str
        The outcome's column; ``"~Y"`` for its negation, as R writes it.
    conditions : sequence of str, optional
        The conditions in order; default every column but the outcome.
    incl_cut : float or pair of float, default 1.0
        The consistency cut-off, or ``(incl1, incl0)``: rows with incl0 <= incl < incl1 are
        contradictions ``"C"``.  R's default is also 1.
    pri_cut : float, default 0.0
        The PRI cut-off (R's ``pri.cut = 0``).
    n_cut : int, default 1
        Rows with fewer cases are logical remainders ``"?"`` (R's ``n.cut = 1``).
    neg_out : bool, default False
        Explain the negated outcome (as ``"~Y"``; R's older ``neg.out``).
    case_ids : sequence, optional
        Case names to use instead of ``data``'s index.
    exclude : optional
        Rows to keep out of the simplifying assumptions (``TruthTable.exclude``).

    Returns
    -------
    TruthTable
        Its ``table`` lists the observed rows (R's ``complete = FALSE``), indexed by label, with the
        columns of the conditions, ``OUT``, ``n``, ``incl``, ``PRI``, ``cases`` and ``DCC``, plus
        ``code``.

    Raises
    ------
    QCAError
        An unknown outcome or condition, no condition, a condition listed twice or equal to the
        outcome, a condition named like a table column, more than ``MAX_CONDITIONS`` (16)
        conditions, a bad cut-off, no case, or a value that is not a membership in [0, 1].

    Warns
    -----
    UserWarning
        When a case has a condition membership of exactly 0.5 (it belongs to no row).

    Notes
    -----
    With k conditions there are 2^k rows.  A case belongs to the row in which its membership is
    above 0.5; for each row, with R a case's membership in it:

        n    = cases with R > 0.5
        incl = sum(min(R, Y)) / sum(R)                                   over all cases
        PRI  = (sum(min(R, Y)) - sum(min(R, Y, ~Y))) / (sum(R) - sum(min(R, Y, ~Y)))
        OUT  = "?" if n < n_cut, "C" if incl0 <= incl < incl1, "1" if incl >= incl1 and
               PRI >= pri_cut, else "0"                                  (``cuts.out_values``)
        DCC  = the row's cases with Y < 0.5 (deviant cases consistency in kind; R's ``dcc``)

    (Ragin 2008, ch. 7; Schneider & Wagemann 2012, ch. 7; Dusa 2019, ch. 7).  Cut-offs are
    compared with R's tolerance (``cuts.at_least``).

    Differences from R's ``truthTable(data, outcome, conditions, incl.cut = 1, n.cut = 1,
    pri.cut = 0, exclude, complete, ...)``: ``pri_cut`` comes before ``n_cut`` here (pass both by
    name); ``cases`` and ``DCC`` are always listed (R's ``show.cases``, ``dcc``); ``complete``,
    ``sort.by``, ``use.letters``, ``use.labels`` and ``inf.test`` are not implemented.  With two
    consistency cut-offs and ``n_cut >= 2`` R 3.25.1 assigns the contradictions with an index
    computed over the rows that reach ``n.cut`` but applied to all observed rows, so that the wrong
    rows become "C" (on ``LF``, SURV, ``incl.cut = c(0.8, 0.6)``, ``n.cut = 2``, R codes row 22
    "C" and row 24 "0"); the engine codes them "1" and "C", as the rule says.  When no row reaches
    ``n.cut`` R stops ("There are no configurations, using these cutoff values"); here the table is
    built and ``minimize`` reports the solution as undefined.  ``"~Y"`` and ``neg_out=True``
    together cancel (R negates once).  A condition named like a table column is refused.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 7.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 7.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2], "B": [0.7, 0.3, 0.1], "Y": [0.9, 0.7, 0.1]},
    ...                     index=["p", "q", "r"])
    >>> tt = truth_table(data, "Y", incl_cut=0.8)
    >>> tt.table[["OUT", "n", "cases"]]
        OUT  n cases
    row
    00    0  1   [r]
    10    1  1   [q]
    11    1  1   [p]
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> tt.table[["OUT", "n", "incl", "PRI", "cases"]].round(3)
          OUT  n   incl    PRI             cases
    row
    00000   0  3  0.216  0.000      [GR, PT, ES]
    00001   0  2  0.278  0.000          [IT, RO]
    00100   0  2  0.521  0.113          [HU, PL]
    00101   0  1  0.529  0.228              [EE]
    10101   1  2  0.804  0.719          [FI, IE]
    10110   0  1  0.378  0.040              [AU]
    10111   0  2  0.709  0.634          [FR, SE]
    11110   0  1  0.445  0.050              [DE]
    11111   1  4  0.904  0.886  [BE, CZ, NL, UK]
    >>> truth_table(load("LF"), "SURV", incl_cut=(0.8, 0.6), n_cut=2).table["OUT"].tolist()
    ['0', '0', '0', '?', '1', '?', 'C', '?', '1']
    """
    outcome, neg_out = outcome_of(outcome, neg_out)
    if outcome not in data.columns:
        raise QCAError(f"outcome {outcome!r} is not a column of the data; "
                       f"columns: {', '.join(map(str, data.columns))}")
    if conditions is None:
        conditions = [c for c in data.columns if c != outcome]
    conditions = list(conditions)
    if not conditions:
        raise QCAError("no conditions to analyse")
    if len(set(conditions)) != len(conditions):
        raise QCAError(f"conditions are listed twice: {conditions}")
    if outcome in conditions:
        raise QCAError(f"{outcome!r} is both the outcome and a condition")
    check_table_columns(conditions)
    if len(conditions) > MAX_CONDITIONS:
        raise QCAError(f"{len(conditions)} conditions: exact minimisation is limited to {MAX_CONDITIONS} "
                       "conditions (3^k implicants); reduce the number of conditions")
    cuts, pri_cut, n_cut = check_cuts(incl_cut, pri_cut, n_cut)
    if case_ids is not None:
        data = data.set_axis(pd.Index(case_ids))
    if len(data) == 0:
        raise QCAError("the data hold no cases")
    levels = multivalue_levels(data, conditions)
    mem = validate_memberships(data, conditions + [outcome]) if levels is None else \
        multivalue_memberships(data, conditions, outcome, levels)
    k = len(conditions)
    x = mem[conditions].to_numpy()
    y = outcome_membership(mem, outcome, neg_out)
    case_code = case_codes(x) if levels is None else case_codes_mv(x, levels)
    on_boundary = (np.abs(x - 0.5) < TOLERANCE).any(axis=1)
    boundary = [str(c) for c in mem.index[on_boundary]]
    if boundary:
        warnings.warn(f"{len(boundary)} case(s) with a condition membership of exactly 0.5 belong to no "
                      f"truth table row: {', '.join(boundary)}", stacklevel=2)
    codes = np.unique(case_code)
    n, incl, pri = row_statistics(x, y, codes, None if levels is None else row_memberships_mv(x, codes, levels))
    labels = [row_label(c, k) for c in codes] if levels is None else row_labels_mv(codes, levels)
    out = out_values(n, incl, pri, cuts, pri_cut, n_cut)
    names = np.array([str(c) for c in mem.index], dtype=object)
    rows = []
    below = y < 0.5
    for j, code in enumerate(codes):
        in_row = (case_code == code) & ~on_boundary
        rows.append({"code": int(code), **dict(zip(conditions, (int(b) for b in labels[j]))),
                     "OUT": out[j], "n": int(n[j]), "incl": float(incl[j]), "PRI": float(pri[j]),
                     "cases": list(names[in_row]), "DCC": list(names[in_row & below])})
    table = pd.DataFrame(rows)
    table.index = pd.Index(labels, name="row")
    tt = TruthTable(rows=table, memberships=mem, conditions=conditions, outcome=outcome, neg_out=neg_out,
                    incl_cut=cuts, pri_cut=pri_cut, n_cut=n_cut, boundary_cases=boundary, levels=levels or ())
    return tt if exclude is None else tt.exclude(exclude)
