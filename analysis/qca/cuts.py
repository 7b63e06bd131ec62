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
           "check_n_cut", "out_codes", "out_index", "out_values", "OUT"]

# The values of a row's OUT, as R's truthTable writes them.
POSITIVE, NEGATIVE, CONTRADICTION, REMAINDER = "1", "0", "C", "?"

TOLERANCE = 1.4901161193847656e-08  # sqrt(machine epsilon), R's all.equal tolerance


def at_least(x, cut):
    """Whether x >= cut, up to ``TOLERANCE`` (R's ``admisc::agteb``).

    Parameters
    ----------
    x : float or array-like of float
        The value, e.g. a row's consistency, or several (element by element).
    cut : float
        The cut-off, e.g. ``incl_cut``.

    Returns
    -------
    bool or numpy.ndarray of bool
        True when ``x > cut`` or ``|x - cut| < TOLERANCE`` (False for NaN); an array for an array.

    Notes
    -----
    admisc's ``agteb(a, b)`` is ``(a + tol) > b`` with ``tol = sqrt(.Machine$double.eps)``
    (about 1.49e-8, ``TOLERANCE``): a consistency printed as 0.8 but stored as 0.79999999 meets
    ``incl.cut = 0.8`` in R's ``truthTable``, and here.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> at_least(0.79999999, 0.8), at_least(0.7999, 0.8)
    (True, False)
    """
    v = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore"):
        out = (v > cut) | (np.abs(v - cut) < TOLERANCE)
    return bool(out) if out.ndim == 0 else out


def check_cut(name, value, low=0.0, high=1.0) -> float:
    """A cut-off as a float in [low, high]; otherwise a ``QCAError`` naming it.

    The one check of a cut-off's value, used by the engine and by the study side's parameters.

    Parameters
    ----------
    name : str
        The cut-off's name in the message (``"incl_cut"``, ``"pri_cut"``).
    value : float, int or str
        The value as given; a string that reads as a number is accepted.
    low, high : float, default 0.0 and 1.0
        The allowed range, both ends included.

    Returns
    -------
    float

    Raises
    ------
    QCAError
        When ``value`` is a bool, not a number, NaN or outside [low, high].

    Notes
    -----
    R's ``truthTable`` stops on an ``incl.cut`` outside [0, 1] ("The inclusion cut-off(s) should be
    bound to the interval [0, 1]", ``verify.tt``) but does not check ``pri.cut``; the engine checks
    every cut-off the same way and also refuses a bool (``True`` would otherwise read as 1).

    Examples
    --------
    >>> check_cut("pri_cut", "0.7")
    0.7
    >>> check_cut("incl_cut", 1.2)
    Traceback (most recent call last):
    ...
    analysis.qca.errors.QCAError: incl_cut must lie in [0, 1], got 1.2
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
    """A frequency cut-off as an int of at least 1; otherwise a ``QCAError`` naming it.

    Parameters
    ----------
    value : int, float or str
        The value as given; ``2.0`` and ``"2"`` are accepted as 2.
    name : str, default "n_cut"
        The name in the message.

    Returns
    -------
    int

    Raises
    ------
    QCAError
        When ``value`` is a bool, not a whole number, or below 1.

    Notes
    -----
    R's ``truthTable(n.cut = 1)`` has the same default and meaning: rows with fewer cases are
    logical remainders (``OUT = "?"``).

    Examples
    --------
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
    """Validated cut-offs of a truth table: ``((incl1[, incl0]), pri_cut, n_cut)``.

    Parameters
    ----------
    incl_cut : float or pair of float
        One consistency cut-off, or two ``(incl1, incl0)`` with ``incl1 >= incl0`` (R's
        ``incl.cut = c(ic1, ic0)``): rows with incl0 <= incl < incl1 are contradictions ``"C"``.
    pri_cut : float
        The PRI cut-off, in [0, 1].
    n_cut : int
        The frequency cut-off, at least 1.

    Returns
    -------
    tuple
        ``(cuts, pri_cut, n_cut)``: ``cuts`` a tuple of one or two floats.

    Raises
    ------
    QCAError
        A value out of range, more than two consistency cut-offs, or ``incl1 < incl0``.

    Notes
    -----
    Each value is checked by ``check_cut`` or ``check_n_cut``.  R takes the pair in the same order,
    ``incl.cut = c(ic1, ic0)`` (Dusa 2019, ch. 7), but does not check that ic1 >= ic0 (its check
    is commented out in ``verify.tt``); the engine refuses the pair the wrong way round.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> check_cuts(0.8, 0.7, 1)
    ((0.8,), 0.7, 1)
    >>> check_cuts([0.8, 0.6], 0, 2)
    ((0.8, 0.6), 0.0, 2)
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
    """OUT of each truth table row: ``"?"``, ``"C"``, ``"1"`` or ``"0"`` (R's ``truthTable`` rule).

    Parameters
    ----------
    n : sequence of int
        Each row's number of cases (membership above 0.5).
    incl, pri : sequence of float
        Each row's consistency (inclS) and PRI.
    incl_cut : float or pair of float
        ``incl1`` or ``(incl1, incl0)``.
    pri_cut : float
        The PRI cut-off.
    n_cut : int
        The frequency cut-off.

    Returns
    -------
    list of str
        One OUT per row.

    Notes
    -----
    In this order: ``"?"`` (a logical remainder) when n < n_cut; ``"C"`` when incl0 <= incl < incl1
    (only with two cut-offs); ``"1"`` when incl >= incl1 and PRI >= pri_cut; ``"0"`` otherwise.
    The comparisons ``>=`` use R's tolerance (``at_least``); ``incl < incl1`` is exact, as in R
    (Dusa 2019, ch. 7).  With two cut-offs and ``n_cut >= 2``, R 3.25.1 assigns the contradictions
    with an index computed over the rows that reach ``n.cut`` but applied to all observed rows, so
    that the wrong rows become "C"; the engine applies the rule as stated
    (``tests/fixtures/reference/enhanced/README.md``).

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> out_values([3, 3, 1], [0.9, 0.7, 0.95], [0.8, 0.6, 0.9], 0.8, 0.0, 2)
    ['1', '0', '?']
    >>> out_values([2, 2, 2], [0.9, 0.7, 0.5], [0.9, 0.7, 0.5], (0.8, 0.6), 0.0, 1)
    ['1', 'C', '0']
    """
    return out_codes(n, incl, pri, incl_cut, pri_cut, n_cut).tolist()


def out_codes(n, incl, pri, incl_cut, pri_cut: float, n_cut: int) -> np.ndarray:
    """``out_values`` as an array of the same shape as ``incl`` (one character per row; ``incl``
    and ``pri`` may hold several outcomes' rows, one outcome per line, with ``n`` shared): the
    multiverse codes every analysis of a specification at once.

    >>> out_codes([3, 1], [[0.9, 0.95], [0.7, 0.2]], [[0.8, 0.9], [0.6, 0.1]], 0.8, 0.0, 2).tolist()
    [['1', '?'], ['0', '?']]
    """
    return OUT[out_index(n, incl, pri, incl_cut, pri_cut, n_cut)]


OUT = np.array([POSITIVE, NEGATIVE, CONTRADICTION, REMAINDER])     # out_index -> OUT value


def out_index(n, incl, pri, incl_cut, pri_cut: float, n_cut: int) -> np.ndarray:
    """``out_codes`` as small integers, each the position of the row's OUT value in ``OUT`` (0:
    ``"1"``, 1: ``"0"``, 2: ``"C"``, 3: ``"?"``), one byte each.

    >>> out_index([3, 1], [[0.9, 0.95], [0.7, 0.2]], [[0.8, 0.9], [0.6, 0.1]], 0.8, 0.0, 2).tolist()
    [[0, 3], [1, 3]]
    """
    cuts = tuple(np.atleast_1d(incl_cut).tolist())
    ic1, ic0 = cuts[0], (cuts[1] if len(cuts) > 1 else 1.0)
    incl, pri = np.asarray(incl, dtype=float), np.asarray(pri, dtype=float)
    with np.errstate(invalid="ignore"):
        contradiction = (incl < ic1) & at_least(incl, ic0)
    out = (~(at_least(incl, ic1) & at_least(pri, pri_cut))).astype(np.uint8)       # 0: "1", 1: "0"
    out[contradiction] = 2
    out[np.broadcast_to(np.asarray(n) < n_cut, incl.shape)] = 3
    return out
