"""Complex and parsimonious solutions of a multi-value truth table (mvQCA; Cronqvist &
Berg-Schlosser 2009; Dusa 2019, ch. 8).

The same procedure as for binary data (``analysis.qca.solutions``), on mixed-radix rows: the
prime implicants of the positive rows that cover no row to avoid (``mv_primes``), R's CCubes
depth on the parsimonious solution (``chart.depth_of_levels``), and every minimal cover of the
prime implicant chart (``chart.minimal_covers``, the binary engine's exact cover search: a chart
is a chart).  ``minimize`` and ``solve`` send a multi-value truth table here; the models' terms
are ``MVTerm``s, written as R writes them (``DEV[2]*STB[1]``), and their fits are computed on the
cases' memberships in each value (``sets.value_membership``).

>>> import pandas as pd
>>> from analysis.qca import truth_table, minimize
>>> data = pd.DataFrame({"D": [0, 1, 2, 2], "B": [1, 0, 1, 0], "Y": [0, 0, 1, 1]}, index=list("pqrs"))
>>> minimize(truth_table(data, "Y"), include="?")
parsimonious solution: 1 model(s)
  M1: D[2]
"""
from __future__ import annotations

import numpy as np

from .chart import depth_of_levels, minimal_covers
from .cover_models import fit_models
from .errors import QCAError, UndefinedSolution
from .models import Solution
from .mv_primes import MINIMISED, covers_mv, literal_count, prime_implicants_mv, simplifying_assumptions_mv
from .mv_rows import all_codes_mv
from .truthtable_type import TruthTable
from .work import Meter

__all__ = ["cover_mv", "solve_chart_mv", "minimize_mv", "parsimonious_sa_mv"]


def solve_chart_mv(primes: np.ndarray, rows, levels, meter: Meter | None = None) -> tuple:
    """The chart of multi-value ``primes`` against the rows to explain, and every minimal cover.

    Parameters
    ----------
    primes : numpy.ndarray, shape (n, k)
        Prime implicants (values, -1 for a condition left out).
    rows : array-like of int
        The row codes to explain (the chart's columns).
    levels : sequence of int
        The number of values of each condition.
    meter : work.Meter, optional
        Shared search work (``chart.minimal_covers``).

    Returns
    -------
    tuple
        ``(primes, covers)``: the primes that cover at least one of ``rows`` and every minimal
        cover as indices into them.

    Notes
    -----
    The binary engine's ``chart.solve_chart`` with the multi-value covering rule (``covers_mv``).

    Examples
    --------
    >>> primes = np.array([[2, -1], [1, 1], [-1, 1]], dtype=np.int8)
    >>> solve_chart_mv(primes, [4, 5, 3], (3, 2))[1]      # A[2] with either prime for row 3
    [(0, 1), (0, 2)]
    """
    chart = covers_mv(primes, rows, levels)
    keep = chart.any(axis=1)
    return primes[keep], minimal_covers(chart[keep], meter=meter)


def cover_mv(positive, off, levels, include: str = "?", search: str = "ccubes", label: str = "the outcome") -> tuple:
    """Every minimal model of a multi-value coding: the positive rows covered, the ``off`` rows avoided.

    Parameters
    ----------
    positive : array-like of int
        The rows to explain (mixed-radix codes).
    off : array-like of int
        The rows to avoid; the other rows are remainders, used with ``include="?"``.
    levels : sequence of int
        The number of values of each condition.
    include : {"?", ""}, default "?"
        ``"?"``: remainders may be used (with ``search="ccubes"``, only to R's CCubes depth).
    search : {"ccubes", "complete"}, default "ccubes"
        As ``solutions.minimize``.
    label : str, default "the outcome"
        The outcome's name in the message of ``UndefinedSolution``.

    Returns
    -------
    tuple
        ``(primes, covers, left_out)`` as ``solutions.cover``.

    Raises
    ------
    UndefinedSolution
        When no row is negative (every condition would be minimised away).
    QCAError
        An unknown ``search``, or a chart too large to solve exactly.

    Notes
    -----
    The Quine-McCluskey procedure on multi-value rows (Cronqvist & Berg-Schlosser 2009; Dusa 2019,
    ch. 8): prime implicants (``prime_implicants_mv``), then every minimal cover of their chart.

    Examples
    --------
    >>> cover_mv([39, 47], [7, 15], (3, 2, 2, 2, 2))[:2]
    (array([[ 2, -1, -1, -1, -1]], dtype=int8), [(0,)])
    """
    if search not in ("ccubes", "complete"):
        raise QCAError("search must be 'ccubes' (as R) or 'complete'")
    positive = np.asarray(positive, dtype=np.int64)
    primes = prime_implicants_mv(positive, off, levels)
    left_out = 0
    if include == "?" and search == "ccubes":
        level = literal_count(primes)
        keep = level <= depth_of_levels(level, covers_mv(primes, positive, levels), len(levels))
        left_out = int((~keep).sum())
        primes = primes[keep]
    if (primes == MINIMISED).all(axis=1).any():
        raise UndefinedSolution(f"no truth table row is negative for {label}: every configuration is "
                                "positive or a remainder, so all conditions are minimised away; check the cut-offs")
    primes, found = solve_chart_mv(primes, positive, levels)
    return primes, found, left_out


def parsimonious_sa_mv(positive, negative, levels):
    """Every simplifying assumption of every tied parsimonious model of a multi-value coding.

    Parameters
    ----------
    positive, negative : array-like of int
        The positive and negative rows; the others are remainders.
    levels : sequence of int
        The number of values of each condition.

    Returns
    -------
    numpy.ndarray of int64 or None
        Sorted codes; None when the parsimonious solution does not exist.

    Notes
    -----
    ``solutions.parsimonious_sa`` on multi-value rows: what ``find_rows(tt, 2)`` intersects for the
    outcome and its negation (contradictory simplifying assumptions).

    Examples
    --------
    >>> parsimonious_sa_mv([5], [0, 1], (3, 2)).tolist()    # A[2] covers row 5 and remainder 4
    [4]
    """
    positive = np.asarray(positive, dtype=np.int64)
    if len(positive) == 0:
        return None
    try:
        primes, found, _ = cover_mv(positive, negative, levels)
    except UndefinedSolution:
        return None
    codes = simplifying_assumptions_mv(levels, primes, found, positive)
    return np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)


def minimize_mv(tt: TruthTable, include: str = "", search: str = "ccubes", fits: bool = True) -> Solution:
    """The complex (``include=""``) or parsimonious (``"?"``) solution of a multi-value truth table.

    ``solutions.minimize`` checks the truth table (a row to explain, the cut-offs) and sends a
    multi-value one here.

    Parameters
    ----------
    tt : TruthTable
        A multi-value truth table (``tt.levels``), with at least one positive row.
    include : {"", "?"}, default ""
        As ``minimize``.
    search : {"ccubes", "complete"}, default "ccubes"
        As ``minimize``.
    fits : bool, default True
        False leaves the models without their parameters of fit.

    Returns
    -------
    Solution
        Every tied minimal model with its fit, the chart's primes (values, -1 for a condition left
        out) and covers, ``levels``.

    Raises
    ------
    UndefinedSolution
        No row is negative.
    QCAError
        An unknown ``search``, or a problem too large to solve exactly.

    Notes
    -----
    R's ``minimize`` on multi-value data (Dusa 2019, ch. 8): the complex solution uses no remainder
    (every row not positive is avoided), the parsimonious one every remainder that helps, to R's
    CCubes depth.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.qca import truth_table
    >>> data = pd.DataFrame({"D": [0, 1, 2, 2], "B": [1, 0, 1, 0], "Y": [0, 0, 1, 1]}, index=list("pqrs"))
    >>> minimize_mv(truth_table(data, "Y")).models[0].expression
    'D[2]'
    """
    positive = tt.positive
    off = tt.negative if include == "?" else np.setdiff1d(all_codes_mv(tt.levels), positive)
    primes, found, left_out = cover_mv(positive, off, tt.levels, include, search, tt.outcome_label)
    return Solution(kind="complex" if include == "" else "parsimonious",
                    models=fit_models(tt, primes, found, positive, None if fits else False), primes=primes,
                    covers=tuple(found), primes_beyond_depth=left_out, k=tt.k, positive=positive, levels=tt.levels)
