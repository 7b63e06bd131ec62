"""The truth table as a value (R's ``truthTable`` object): ``TruthTable``.

Its observed rows with their ``OUT``, ``n``, ``incl``, ``PRI``, cases and deviant cases, the
memberships it was built from, the rows to explain and to avoid (``positive``, ``negative``), the
rows kept out of the simplifying assumptions (``exclude``), and its printing (``repr``, HTML, the
command line's JSON records).  It is built by ``analysis.qca.truthtable.truth_table``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from .cuts import CONTRADICTION, NEGATIVE, POSITIVE
from .expressions import outcome_label
from .mv_rows import label_codes
from .sets import outcome_membership

__all__ = ["TruthTable"]


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
    levels : tuple of int, default ()
        A multi-value truth table's number of values of each condition (``analysis.qca.mv_rows``:
        its rows are mixed-radix codes and labels such as ``"20111"``); empty when every condition
        is binary.

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
    >>> from analysis.qca import truth_table
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
    levels: tuple = ()            # multi-value: the number of values of each condition (``mv_rows``)

    @property
    def k(self) -> int:
        """The number of conditions."""
        return len(self.conditions)

    @property
    def multivalue(self) -> bool:
        """Whether a condition is multi-value (``levels``: rows are mixed-radix codes)."""
        return bool(self.levels)

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
        if self.levels:
            return label_codes([e.row for e in self.excluded], self.levels)
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
        head = (f"Truth table: outcome {self.outcome_label}, conditions {', '.join(self._named())}; "
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

    def _named(self) -> list:
        """The conditions, a multi-value one with its number of values: ``DEV (3 values)``."""
        levels = self.levels or (2,) * self.k
        return [c if v == 2 else f"{c} ({v} values)" for c, v in zip(self.conditions, levels)]

    def _repr_html_(self) -> str:
        shown = self.table.drop(columns=["code"]).copy()
        for col in ("cases", "DCC"):
            shown[col] = shown[col].map(lambda cs: ", ".join(cs))
        return (f"<p><b>Truth table</b>: outcome {self.outcome_label}; incl_cut={self.cut_text()}, "
                f"pri_cut={self.pri_cut:g}, n_cut={self.n_cut}</p>"
                + shown.to_html(float_format=lambda v: f"{v:.3f}"))
