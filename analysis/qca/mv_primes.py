"""Prime implicants of a multi-value truth table (mvQCA; Cronqvist & Berg-Schlosser 2009; Dusa 2019,
ch. 8).

An implicant fixes each condition at one of its values or leaves it out (minimised away); it is
stored as a row of digits, the value, or ``-1`` for a condition left out.  It covers a row when
the row has its value of every condition it fixes (``covers_mv``).  As for binary data
(``analysis.qca.primes``), an implicant is *allowed* when it covers no row to be avoided and
*prime* when it is allowed, covers a row to be explained and no implicant with one condition
fewer is allowed; a condition can be minimised away only when every one of its values is allowed
with the rest of the implicant (mvQCA's rule, R's ``C_QMC`` and CCubes on multi-value data).

``prime_implicants_mv`` finds them exactly on the array of all implicants, prod(L_j + 1) of them
(one axis per condition, with one entry per value and a last one for "left out"): whether an
implicant covers a row with some property is the OR over its values along each axis, computed for
all implicants at once by k vectorised passes (the binary engine's 3^k implicant arrays, with
L_j + 1 entries per axis instead of 3).  The binary engine's kernels are not used: binary data
keep their own paths (``analysis.qca.primes``).

>>> prime_implicants_mv([39, 47], [7, 15], (3, 2, 2, 2, 2)).tolist()
[[2, -1, -1, -1, -1]]
"""
from __future__ import annotations

import numpy as np

from .expressions import MVTerm
from .mv_rows import all_codes_mv, check_levels, radix, row_digits

__all__ = ["prime_implicants_mv", "covers_mv", "implicant_term_mv", "literal_count", "simplifying_assumptions_mv",
           "MINIMISED"]

MINIMISED = -1            # the digit of a condition an implicant leaves out


def _array_index(codes, levels) -> np.ndarray:
    """Position of each fully specified row in the implicant array (one axis of L + 1 per condition)."""
    return row_digits(codes, levels) @ radix([v + 1 for v in levels])


def _covers_any(flags: np.ndarray, levels) -> np.ndarray:
    """In place, for the implicant array ``flags``: each "left out" entry becomes the OR of the
    condition's values, axis by axis; then every implicant says whether it covers a flagged row."""
    for axis, n in enumerate(levels):
        before = (slice(None),) * axis
        flags[before + (n,)] = flags[before + (slice(0, n),)].any(axis=axis)
    return flags


def _flags(codes, levels, shape) -> np.ndarray:
    flags = np.zeros(shape, dtype=bool)
    codes = np.asarray(codes, dtype=np.int64)
    if len(codes):
        flags.reshape(-1)[_array_index(codes, levels)] = True
    return flags


def prime_implicants_mv(on_rows, off_rows, levels, through=None) -> np.ndarray:
    """Prime implicants that cover at least one row of ``on_rows`` and none of ``off_rows``.

    Parameters
    ----------
    on_rows : array-like of int
        The rows to explain (mixed-radix codes, ``analysis.qca.mv_rows``).
    off_rows : array-like of int
        The rows to avoid; the other rows are don't-cares (remainders, when they may be used).
    levels : sequence of int
        The number of values of each condition.
    through : array-like of int, optional
        Only the primes that cover one of these rows (a chart needs only the primes through the
        rows it must explain).

    Returns
    -------
    numpy.ndarray of int8, shape (n_primes, k)
        Each prime's value of each condition, ``MINIMISED`` (-1) where it leaves the condition
        out; fewer literals first, then by value (a condition left out after its values).

    Raises
    ------
    QCAError
        More implicants than exact minimisation works on (``mv_rows.check_levels``).

    Notes
    -----
    Allowed: covers no off row; prime: allowed, covers an on row, and no implicant that leaves out
    one more condition is allowed (Quine 1955; McCluskey 1956; for multi-value data Cronqvist &
    Berg-Schlosser 2009, Dusa 2019, ch. 8).  Computed on the array of every implicant
    (module docstring): the work is k x prod(L_j + 1).

    References
    ----------
    Quine, W. V. (1955). A way to simplify truth functions. *The American Mathematical Monthly*,
    62(9), 627-631.

    Cronqvist, L., & Berg-Schlosser, D. (2009). Multi-value QCA (mvQCA). In B. Rihoux & C. C. Ragin
    (Eds.), *Configurational Comparative Methods* (pp. 69-86). Sage.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    Rows 20111 and 21111 to explain, 00111 and 01111 to avoid (DEV with 3 values): DEV[2].

    >>> prime_implicants_mv([39, 47], [7, 15], (3, 2, 2, 2, 2)).tolist()
    [[2, -1, -1, -1, -1]]
    """
    levels = check_levels(levels)
    shape = tuple(v + 1 for v in levels)
    on = _covers_any(_flags(np.unique(np.asarray(on_rows, dtype=np.int64)), levels, shape), levels)
    allowed = ~_covers_any(_flags(off_rows, levels, shape), levels)
    prime = allowed & on
    for axis, n in enumerate(levels):
        before = (slice(None),) * axis
        raised = np.expand_dims(allowed[before + (n,)], axis)
        prime[before + (slice(0, n),)] &= ~raised
    index = np.array(np.unravel_index(np.flatnonzero(prime.reshape(-1)), shape)).T.reshape(-1, len(levels))
    digits = np.where(index == np.asarray(levels)[None, :], MINIMISED, index).astype(np.int8)
    order = np.lexsort(tuple(index[:, j] for j in range(len(levels) - 1, -1, -1)) + (literal_count(digits),))
    digits = digits[order]
    if through is None or len(digits) == 0:
        return digits
    return digits[covers_mv(digits, np.asarray(through, dtype=np.int64), levels).any(axis=1)]


def literal_count(implicants) -> np.ndarray:
    """The number of conditions each implicant fixes (its literals).

    Parameters
    ----------
    implicants : numpy.ndarray, shape (n, k)
        Digits, ``MINIMISED`` for a condition left out.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> literal_count(np.array([[2, -1, 1]])).tolist()
    [2]
    """
    return (np.asarray(implicants) != MINIMISED).sum(axis=1)


def covers_mv(implicants, codes, levels) -> np.ndarray:
    """Boolean matrix implicants x rows: does implicant i cover row j?

    Parameters
    ----------
    implicants : numpy.ndarray, shape (n, k)
        Digits, ``MINIMISED`` for a condition left out.
    codes : array-like of int
        Row codes.
    levels : sequence of int
        The number of values of each condition.

    Returns
    -------
    numpy.ndarray of bool, shape (n, len(codes))

    Notes
    -----
    An implicant covers a row when the row has its value of every condition it fixes; the prime
    implicant chart (Ragin 1987, ch. 6) is ``covers_mv(primes, positive, levels)``.

    Examples
    --------
    >>> covers_mv(np.array([[2, -1, -1, -1, -1]]), [39, 7], (3, 2, 2, 2, 2)).tolist()
    [[True, False]]
    """
    implicants = np.asarray(implicants, dtype=np.int64).reshape(-1, len(levels))
    digits = row_digits(codes, levels)
    out = np.empty((len(implicants), len(digits)), dtype=bool)
    step = max(1, 4_000_000 // max(1, len(digits) * len(levels)))
    for s in range(0, len(implicants), step):
        part = implicants[s:s + step, None, :]
        out[s:s + step] = ((part == MINIMISED) | (part == digits[None, :, :])).all(axis=2)
    return out


def implicant_term_mv(implicant, conditions) -> MVTerm:
    """An implicant as a term, R's ``DEV[2]*URB[0]``.

    Parameters
    ----------
    implicant : sequence of int
        Digits, ``MINIMISED`` for a condition left out.
    conditions : sequence of str
        The condition names.

    Returns
    -------
    MVTerm

    Notes
    -----
    The conditions in the truth table's order, every one written in brackets, as R prints the
    terms of a multi-value minimisation.

    Examples
    --------
    >>> str(implicant_term_mv([1, -1, -1, 0, -1], ["DEV", "URB", "LIT", "IND", "STB"]))
    'DEV[1]*IND[0]'
    """
    return MVTerm((c, int(d)) for c, d in zip(conditions, implicant) if d != MINIMISED)


def simplifying_assumptions_mv(levels, primes, index_sets, positive) -> list:
    """The remainders each model covers: its simplifying assumptions, as row codes.

    Parameters
    ----------
    levels : sequence of int
        The number of values of each condition.
    primes : numpy.ndarray
        The chart's primes (values, -1 for a condition left out).
    index_sets : sequence of sequences of int
        Each model as indices into ``primes``.
    positive : array-like of int
        The positive rows.

    Returns
    -------
    list of numpy.ndarray
        Per model, the sorted codes of the rows it covers that are not positive (R's ``$SA``).

    Examples
    --------
    >>> simplifying_assumptions_mv((3, 2), np.array([[2, -1]]), [(0,)], [5])[0].tolist()
    [4]
    """
    everything = all_codes_mv(levels)
    used = sorted({i for idx in index_sets for i in idx})
    position = {p: j for j, p in enumerate(used)}
    cov = covers_mv(primes[used], everything, levels) if used else np.zeros((0, len(everything)), dtype=bool)
    cov[:, np.asarray(positive, dtype=np.int64)] = False
    return [np.flatnonzero(cov[[position[i] for i in idx]].any(axis=0)) for idx in index_sets]
