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
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from . import kernels
from .errors import QCAError
from .limits import MAX_CONDITIONS
from .cuts import (CONTRADICTION, NEGATIVE, POSITIVE, TOLERANCE, at_least, check_cut, check_cuts, check_n_cut,
                   out_values)
from .rows import case_codes, row_bits, row_label
from .sets import outcome_label, outcome_membership, outcome_of

__all__ = ["MAX_CONDITIONS", "TABLE_COLUMNS", "TOLERANCE", "TruthTable", "at_least", "check_cut",
           "check_cuts", "check_n_cut", "check_table_columns", "out_values", "row_statistics", "truth_table",
           "validate_memberships", "warn_constant"]

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


def validate_memberships(data: pd.DataFrame, columns, source: str = "data") -> pd.DataFrame:
    """Check that ``columns`` exist and hold memberships in [0, 1]; return them as floats.

    Parameters
    ----------
    data : pandas.DataFrame
        The data, one row per case.
    columns : sequence of str
        The columns to check (conditions and outcome).
    source : str, default "data"
        The data's name for the messages (e.g. the file).

    Returns
    -------
    pandas.DataFrame
        The columns as floats, indexed as ``data``.

    Raises
    ------
    QCAError
        A missing column, a value that is not a number, a missing value, or a membership outside
        [0, 1]; the message names the column and the case.

    Notes
    -----
    Fuzzy-set QCA needs calibrated memberships (Ragin 2008, ch. 5); R's ``pof`` stops on a
    membership above 1 ("Set membership scores should be numbers between 0 and 1").

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> validate_memberships(load("LF"), ["DEV", "SURV"]).head(2)
           DEV  SURV
    case
    AU    0.81  0.05
    BE    0.99  0.95
    >>> validate_memberships(load("LR"), ["DEV"], "LR")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.qca.errors.QCAError: LR: column 'DEV', case 'AU': membership 720 is outside [0, 1]; ...
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise QCAError(f"{source}: column(s) {', '.join(missing)} not found; "
                       f"available: {', '.join(map(str, data.columns))}")
    if columns and len(set(columns)) == len(columns) and all(pd.api.types.is_float_dtype(data[c].dtype) for c in columns):
        values = data[list(columns)].to_numpy(dtype=float)
        if np.all((values >= 0) & (values <= 1)):          # fast path: floats, none missing, all in [0, 1]
            return pd.DataFrame(values, index=data.index, columns=list(columns))
    out = pd.DataFrame(index=data.index)
    for c in columns:
        col = pd.to_numeric(data[c], errors="coerce")
        bad = col.isna() & data[c].notna()
        if bad.any():
            case = data.index[bad.to_numpy()][0]
            raise QCAError(f"{source}: column {c!r}, case {case!r}: value {data[c][bad].iloc[0]!r} "
                           "is not a number; memberships must be numbers in [0, 1]")
        if col.isna().any():
            cases = ", ".join(map(str, data.index[col.isna().to_numpy()][:5]))
            raise QCAError(f"{source}: column {c!r} has missing values (cases {cases}); "
                           "fill them or remove the cases explicitly")
        outside = (col < 0) | (col > 1)
        if outside.any():
            case = data.index[outside.to_numpy()][0]
            raise QCAError(f"{source}: column {c!r}, case {case!r}: membership {col[outside].iloc[0]:g} "
                           "is outside [0, 1]; calibrate raw values first")
        out[c] = col.astype(float)
    return out


@dataclass(frozen=True)
class TruthTable:
    """A truth table with the data it was built from (R's ``truthTable`` object).

    ``table`` has one row per observed configuration: the condition values, ``OUT``, ``n``,
    ``incl``, ``PRI``, ``cases`` and ``DCC``, indexed by the row label (e.g. ``"10110"``); ``data``
    the cases' memberships.  Each access gives a copy (pandas' copy-on-write makes it cheap), so a
    truth table cannot be changed in place: ``exclude`` and ``dataclasses.replace`` make new ones.
    Build one with ``truth_table``.

    Parameters
    ----------
    rows : pandas.DataFrame
        The observed rows (read them as ``table``): ``code`` (the row code), one column per
        condition (1 or 0), ``OUT`` (``"1"``, ``"0"``, ``"C"`` or ``"?"``), ``n``, ``incl``, ``PRI``,
        ``cases`` and ``DCC`` (lists of case names).
    memberships : pandas.DataFrame
        The cases' memberships in the conditions and the outcome (read them as ``data``).
    conditions : list of str
        The conditions, in order (the first is the most significant bit of a row code).
    outcome : str
        The outcome's column.
    neg_out : bool
        Whether the outcome is its negation (``~Y``).
    incl_cut : tuple of float
        ``(incl1,)`` or ``(incl1, incl0)``.
    pri_cut : float
        The PRI cut-off.
    n_cut : int
        The frequency cut-off.
    boundary_cases : list of str, default []
        Cases with a condition membership of exactly 0.5: in no row.
    excluded : tuple of Exclusion, default ()
        The rows coded ``OUT = 0`` by ``exclude``, with their reasons.

    Attributes
    ----------
    table, data : pandas.DataFrame
        Copies of ``rows`` and ``memberships``.
    k : int
        The number of conditions.
    x, y : numpy.ndarray
        The condition memberships (cases x conditions) and the outcome's (negated for ~Y),
        read-only.
    positive : numpy.ndarray
        The codes of the rows to explain (``OUT = 1``).
    negative : numpy.ndarray
        The codes of the rows a minimisation must not cover: ``OUT = 0``, contradictions and the
        excluded rows.
    outcome_label : str
        ``"Y"`` or ``"~Y"``.

    Notes
    -----
    The truth table of Ragin (2008, ch. 7), Schneider & Wagemann (2012, ch. 7) and R's QCA (Dusa
    2019, ch. 7): see ``truth_table`` for the formulas and the differences from R.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 7.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 7.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> tt.positive.tolist(), tt.negative.tolist()
    ([21, 31], [0, 1, 4, 5, 22, 23, 30])
    >>> tt.cases_of(tt.positive)
    ['FI', 'IE', 'BE', 'CZ', 'NL', 'UK']
    >>> tt.exclude(["10101"]).table.loc["10101", "OUT"]
    '0'
    """

    rows: pd.DataFrame = field(repr=False)
    memberships: pd.DataFrame = field(repr=False)
    conditions: list
    outcome: str
    neg_out: bool
    incl_cut: tuple
    pri_cut: float
    n_cut: int
    boundary_cases: list = field(default_factory=list)
    excluded: tuple = ()          # ``remainders.Exclusion`` records: rows coded OUT = 0 (``exclude``)

    @property
    def k(self) -> int:
        """The number of conditions."""
        return len(self.conditions)

    @property
    def table(self) -> pd.DataFrame:
        """The observed rows (a copy: see the class docstring)."""
        return self.rows.copy(deep=False)

    @property
    def data(self) -> pd.DataFrame:
        """The memberships of the cases in the conditions and the outcome (a copy, as ``table``)."""
        return self.memberships.copy(deep=False)

    @cached_property
    def y(self) -> np.ndarray:
        """Outcome memberships (negated when ``neg_out``), computed once."""
        y = outcome_membership(self.memberships, self.outcome, self.neg_out)
        y.flags.writeable = False
        return y

    @cached_property
    def x(self) -> np.ndarray:
        """Condition memberships (cases x conditions), computed once."""
        x = self.memberships[self.conditions].to_numpy(dtype=float)
        x.flags.writeable = False
        return x

    def codes(self, out) -> np.ndarray:
        """Integer codes of the observed rows whose OUT is in ``out``.

        Parameters
        ----------
        out : container of str
            OUT values, e.g. ``{"1"}`` or ``{"0", "C"}``.

        Returns
        -------
        numpy.ndarray of int64
            Sorted row codes.
        """
        return np.array(sorted(int(c) for c, o in zip(self.rows["code"], self.rows["OUT"]) if o in out),
                        dtype=np.int64)

    @cached_property
    def positive(self) -> np.ndarray:
        """Rows to explain: OUT 1 (computed once, read-only: a truth table is not changed in place)."""
        codes = self.codes({POSITIVE})
        codes.flags.writeable = False
        return codes

    @cached_property
    def negative(self) -> np.ndarray:
        """Rows a minimisation must not cover: OUT 0, contradictions and the excluded rows."""
        codes = np.union1d(self.codes({NEGATIVE, CONTRADICTION}), self.excluded_codes)
        codes.flags.writeable = False
        return codes

    @property
    def excluded_codes(self) -> np.ndarray:
        """The codes of the excluded rows (``exclude``)."""
        return np.array([int(e.row, 2) for e in self.excluded], dtype=np.int64)

    def exclude(self, rows, reason: str = "excluded by the user") -> "TruthTable":
        """This truth table with ``rows`` kept out of the simplifying assumptions (R's ``exclude``).

        Each excluded row becomes a negative row (``OUT = 0``), an observed one included (see
        ``analysis.qca.remainders``); rows already excluded are kept with their first reason.

        Parameters
        ----------
        rows : str, sequence, mapping or DataFrame
            Labels such as ``"00110"``, expressions (their remainders), ``{row: reason}``, or a table
            with ``row`` and ``reason`` columns (``find_rows``, ``esa``); see
            ``remainders.exclusions``.
        reason : str, default "excluded by the user"
            The reason recorded for rows given without one.

        Returns
        -------
        TruthTable
            A new truth table (``self`` when nothing new is excluded), with ``excluded`` extended.

        Raises
        ------
        QCAError
            A row label of the wrong length, or an expression that cannot be parsed.

        Notes
        -----
        As R's ``truthTable(..., exclude =)`` up to 7 conditions, where R's truth table lists every
        row; with more than 7 conditions R lists only the observed rows, and excluding an observed
        positive row makes ``minimize`` stop ("There are no solutions, given these constraints"); the
        engine applies the rule R follows up to 7 conditions (the row becomes negative) at any number
        of conditions (``tests/fixtures/reference/enhanced/README.md``).
        """
        from .remainders import exclusions
        new = exclusions(self, rows, reason)
        known = {e.row for e in self.excluded}
        added = tuple(e for e in new if e.row not in known)
        if not added:
            return self
        table = self.table
        hit = table.index.isin([e.row for e in added])
        table.loc[hit, "OUT"] = NEGATIVE
        return replace(self, rows=table, excluded=tuple(sorted(self.excluded + added, key=lambda e: e.row)))

    @property
    def outcome_label(self) -> str:
        """The outcome as R writes it: ``"Y"``, or ``"~Y"`` when negated."""
        return outcome_label(self.outcome, self.neg_out)

    @cached_property
    def _cases_by_code(self) -> dict:
        return {int(code): list(cases) for code, cases in zip(self.rows["code"], self.rows["cases"])}

    def cases_of(self, codes) -> list:
        """Names of the cases in the rows ``codes`` (rows without cases contribute none).

        Parameters
        ----------
        codes : iterable of int
            Row codes.

        Returns
        -------
        list of str
            The cases, row by row in the order of ``codes``.
        """
        by_code = self._cases_by_code
        return [c for code in codes for c in by_code.get(int(code), ())]

    def to_records(self) -> list:
        """The observed rows in the command line's JSON form.

        Returns
        -------
        list of dict
            Per row: ``row`` (label), ``OUT``, ``n``, ``incl``, ``PRI``, ``cases``, ``DCC``.
        """
        return [{"row": label, "OUT": r.OUT, "n": int(r.n), "incl": r.incl, "PRI": r.PRI,
                 "cases": list(r.cases), "DCC": list(r.DCC)} for label, r in self.table.iterrows()]

    def __repr__(self) -> str:
        head = (f"Truth table: outcome {self.outcome_label}, conditions {', '.join(self.conditions)}; "
                f"incl_cut={self.cut_text()}, pri_cut={self.pri_cut:g}, n_cut={self.n_cut}\n")
        shown = self.table.drop(columns=["code"]).copy()
        for col in ("cases", "DCC"):
            shown[col] = shown[col].map(lambda cs: ",".join(cs))
        return head + shown.to_string(float_format=lambda v: f"{v:.3f}")

    def cut_text(self) -> str:
        """``incl_cut`` as written in reports: ``0.8``, or ``0.8/0.6`` for (incl1, incl0).

        Returns
        -------
        str
        """
        return f"{self.incl_cut[0]:g}" if len(self.incl_cut) == 1 else "/".join(f"{c:g}" for c in self.incl_cut)

    def _repr_html_(self) -> str:
        shown = self.table.drop(columns=["code"]).copy()
        for col in ("cases", "DCC"):
            shown[col] = shown[col].map(lambda cs: ", ".join(cs))
        return (f"<p><b>Truth table</b>: outcome {self.outcome_label}; incl_cut={self.cut_text()}, "
                f"pri_cut={self.pri_cut:g}, n_cut={self.n_cut}</p>"
                + shown.to_html(float_format=lambda v: f"{v:.3f}"))


def row_memberships(x: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    """Membership of each case (rows of ``x``) in each truth-table row ``codes``: cases x rows."""
    bits = row_bits(codes, k).astype(bool)                                         # rows x k
    out = np.empty((x.shape[0], len(codes)))
    chunk = max(1, 2_000_000 // max(1, x.shape[0] * k))
    for s in range(0, len(codes), chunk):
        b = bits[s:s + chunk]
        m = np.where(b[None, :, :], x[:, None, :], 1 - x[:, None, :])
        out[:, s:s + chunk] = m.min(axis=2)
    return out


def warn_constant(data: pd.DataFrame, conditions, source: str = "data") -> list:
    """Warn about every condition with the same membership in every case.

    Such a condition is legal but cannot distinguish configurations.

    Parameters
    ----------
    data : pandas.DataFrame
        The memberships.
    conditions : sequence of str
        The conditions to check.
    source : str, default "data"
        The data's name for the message.

    Returns
    -------
    list of str
        The constant conditions (one ``UserWarning`` each).

    Notes
    -----
    A set without variation is trivially necessary or irrelevant (Schneider & Wagemann 2012,
    ch. 9); R's ``truthTable`` does not warn about it.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warn_constant(pd.DataFrame({"A": [0.2, 0.2], "B": [0.1, 0.9]}), ["A", "B"])
    ['A']
    """
    constant = []
    for c in conditions:
        col = pd.to_numeric(data[c], errors="coerce")
        if col.notna().all() and col.nunique() == 1:
            warnings.warn(f"{source}: condition {c!r} has the same membership ({col.iloc[0]:g}) in every case; "
                          "it cannot distinguish configurations", stacklevel=3)
            constant.append(c)
    return constant


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
    if kernel is not None:
        n, s_xy, s_m, s_xyny = _row_sums_compiled(kernel, x, y, codes)
    else:
        rm = row_memberships(x, codes, x.shape[1]) if rm is None else rm  # cases x rows
        n = (rm > 0.5).sum(axis=0)
        xy = np.minimum(rm, y[:, None])
        s_xy, s_m = xy.sum(axis=0), rm.sum(axis=0)
        s_xyny = np.minimum(xy, 1 - y[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = np.where(s_m != 0, s_xy / np.where(s_m != 0, s_m, 1), np.nan)
        den = s_m - s_xyny
        pri = np.where(den != 0, (s_xy - s_xyny) / np.where(den != 0, den, 1), np.nan)
    return n, incl, pri


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
    mem = validate_memberships(data, conditions + [outcome])
    k = len(conditions)
    x = mem[conditions].to_numpy()
    y = outcome_membership(mem, outcome, neg_out)
    case_code = case_codes(x)
    on_boundary = (np.abs(x - 0.5) < TOLERANCE).any(axis=1)
    boundary = [str(c) for c in mem.index[on_boundary]]
    if boundary:
        warnings.warn(f"{len(boundary)} case(s) with a condition membership of exactly 0.5 belong to no "
                      f"truth table row: {', '.join(boundary)}", stacklevel=2)
    codes = np.unique(case_code)
    n, incl, pri = row_statistics(x, y, codes)
    out = out_values(n, incl, pri, cuts, pri_cut, n_cut)
    names = np.array([str(c) for c in mem.index], dtype=object)
    rows = []
    below = y < 0.5
    for j, code in enumerate(codes):
        in_row = (case_code == code) & ~on_boundary
        rows.append({"code": int(code), **dict(zip(conditions, (int(b) for b in row_label(code, k)))),
                     "OUT": out[j], "n": int(n[j]), "incl": float(incl[j]), "PRI": float(pri[j]),
                     "cases": list(names[in_row]), "DCC": list(names[in_row & below])})
    table = pd.DataFrame(rows)
    table.index = pd.Index([row_label(c, k) for c in codes], name="row")
    tt = TruthTable(rows=table, memberships=mem, conditions=conditions, outcome=outcome, neg_out=neg_out,
                    incl_cut=cuts, pri_cut=pri_cut, n_cut=n_cut, boundary_cases=boundary)
    return tt if exclude is None else tt.exclude(exclude)
