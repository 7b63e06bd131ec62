"""Truth-table rows as integer codes: the one home of the row code.

With k conditions a configuration (a truth-table row) gives each condition the value 1
(present) or 0 (absent).  The engine stores a row as the integer whose binary digits are those
values, the **first condition the most significant bit** (Ragin 2008, ch. 7; R's QCA numbers
its rows the same way, from 1): with conditions A, B, C the row A*~B*C is ``0b101 = 5`` and is
labelled ``"101"``.  A case belongs to the row in which its membership is above 0.5 (Ragin
2008, p. 131): its row code has bit j set where its membership in condition j is above 0.5.

>>> import numpy as np
>>> case_codes(np.array([[0.9, 0.2, 0.7], [0.1, 0.6, 0.4]]))
array([5, 2])
>>> row_labels([5, 2], 3)
['101', '010']
>>> row_bits(np.array([5]), 3)
array([[1, 0, 1]])
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["weights", "case_codes", "row_bits", "row_label", "row_labels", "all_codes", "other_codes"]


def weights(k: int) -> np.ndarray:
    """The value of each condition's bit in a row code: 2^(k-1), ..., 2, 1.

    Parameters
    ----------
    k : int
        The number of conditions.

    Returns
    -------
    numpy.ndarray of int64
        ``k`` weights, the first condition's (the most significant bit) first.

    Notes
    -----
    Rows are numbered as R's QCA numbers them (its row number is the code plus one; Dusa 2019,
    ch. 7): the conditions' values read as a binary number, the first condition first.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> weights(3).tolist()
    [4, 2, 1]
    """
    return np.int64(1) << np.arange(k - 1, -1, -1, dtype=np.int64)


def case_codes(x: np.ndarray) -> np.ndarray:
    """The row code of each case: bit j set where the case's membership in condition j is above 0.5.

    Parameters
    ----------
    x : array-like of float, shape (cases, conditions)
        Memberships of the cases in the conditions.

    Returns
    -------
    numpy.ndarray of int64
        One row code per case.

    Notes
    -----
    A case belongs to the truth table row in which its membership is above 0.5 (Ragin 2008,
    p. 131); its membership in that row is min over conditions of x (value 1) or 1 - x (value 0).
    A case with a membership of exactly 0.5 gets the bit 0 here; ``truth_table`` puts such a case
    in no row (``boundary_cases``), as R's ``truthTable`` does.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 7.

    Examples
    --------
    >>> case_codes([[0.9, 0.2, 0.7], [0.1, 0.6, 0.4]]).tolist()
    [5, 2]
    """
    x = np.asarray(x, dtype=float)
    return ((x > 0.5) * weights(x.shape[1])).sum(axis=1).astype(np.int64)


def row_bits(codes, k: int) -> np.ndarray:
    """Each row code's condition values (1 present, 0 absent), first condition first.

    Parameters
    ----------
    codes : array-like of int
        Row codes.
    k : int
        The number of conditions.

    Returns
    -------
    numpy.ndarray of int64, shape (len(codes), k)

    Notes
    -----
    The inverse of the row code (module docstring): bit k - 1 - j of the code is condition j.

    Examples
    --------
    >>> row_bits([5, 2], 3).tolist()
    [[1, 0, 1], [0, 1, 0]]
    """
    return (np.asarray(codes, dtype=np.int64)[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1


def row_label(code: int, k: int) -> str:
    """A row code as its label, the condition values as digits, first condition first.

    Parameters
    ----------
    code : int
        The row code.
    k : int
        The number of conditions (the label's length).

    Returns
    -------
    str
        ``"101"`` for code 5 with three conditions; ``""`` when ``k`` is 0.

    Notes
    -----
    R's ``truthTable`` numbers the same row ``code + 1`` (row 6 for ``"101"``); the engine writes
    rows by their labels everywhere (``find_rows``, ``exclude``, ``$SA``, ``$EC``, ``$DC``).

    Examples
    --------
    >>> row_label(5, 3)
    '101'
    """
    return format(int(code), f"0{k}b") if k else ""


def row_labels(codes, k: int) -> list:
    """Row codes as labels such as ``"10110"`` (first condition first).

    Parameters
    ----------
    codes : array-like of int
        Row codes, each below 2^k.
    k : int
        The number of conditions.

    Returns
    -------
    list of str

    Notes
    -----
    The same labels as ``row_label``, from a table of all 2^k labels built once per k.

    Examples
    --------
    >>> row_labels([0, 5, 7], 3)
    ['000', '101', '111']
    """
    return _label_table(k)[np.asarray(codes, dtype=np.int64)].tolist()


def all_codes(k: int) -> np.ndarray:
    """Every row code of k conditions, 0 .. 2^k - 1.

    Parameters
    ----------
    k : int
        The number of conditions.

    Returns
    -------
    numpy.ndarray of int64
        ``2**k`` codes in increasing order (R's truth table rows 1 .. 2^k).

    Notes
    -----
    With ``complete = TRUE`` R's ``truthTable`` lists these rows; the engine's table lists the
    observed rows and uses these codes for the remainders.

    Examples
    --------
    >>> all_codes(2).tolist()
    [0, 1, 2, 3]
    """
    return np.arange(2 ** k, dtype=np.int64)


def other_codes(codes, k: int) -> np.ndarray:
    """The row codes of k conditions not in ``codes``, ascending: ``np.setdiff1d(all_codes(k),
    codes)`` without sorting (the rows not to be explained, when no remainder may be used).

    >>> other_codes([0, 3], 2).tolist()
    [1, 2]
    """
    keep = np.ones(2 ** k, dtype=bool)
    keep[np.asarray(codes, dtype=np.int64)] = False
    return np.flatnonzero(keep).astype(np.int64, copy=False)


@lru_cache(maxsize=32)
def _label_table(k: int) -> np.ndarray:
    """The label of every row code 0 .. 2^k - 1."""
    digits = (row_bits(all_codes(k), k).astype(np.uint8) + ord("0"))
    return np.array([bytes(row).decode() for row in digits], dtype=object)
