"""Prime implicants: the implicants of the rows to be explained that cannot be made larger.

The first half of the Quine-McCluskey procedure as QCA uses it (Quine 1952, 1955; McCluskey
1956; Ragin 1987, ch. 6; Dusa 2019, ch. 8); ``analysis.qca.chart`` solves the prime implicant
chart.  Rows (configurations) are integer codes, the first condition the most significant bit.

- **Implicants.**  With k conditions, an implicant gives each condition the value 0 (absent),
  1 (present) or "-" (minimised away), stored as a row of digits 0, 1, 2, or as two bit masks
  (the conditions it fixes and their values, ``implicant_masks``).  It covers a row when the row
  agrees with it on every fixed condition (``covers``).
- **Prime implicants.**  An implicant is *allowed* when it covers no row of the off-set (rows to
  be avoided: negative rows, and for the complex solution every remainder).  It is *prime* when
  it is allowed, covers at least one row to be explained, and no implicant with one literal
  fewer is allowed.  ``prime_implicants`` finds them exactly by the cheapest of three methods,
  which give the same primes (tested against each other and against the definition):

  1. *The 3^k implicant arrays.*  All 3^k implicants as a k-dimensional array with 3 entries per
     axis.  For any property of rows, whether an implicant covers a row with that property is
     the OR over the rows it covers, computed for all implicants at once by k vectorised passes,
     one per axis, where entry "-" becomes the OR of entries 0 and 1 (a separable transform,
     like a zeta transform on each axis).
  2. *Around each row* (``_primes_around_rows``), when the rows to be covered are few against
     3^k (many conditions, few cases; the intermediate solution, whose chart needs only primes
     through the positive rows): the same kind of transform on the 2^k sets of conditions that
     can be minimised away around one row.
  3. *By merging rows* (``primes_merge.primes_by_merging``), as Quine and McCluskey did, when
     there is no remainder to use (complex solution) from ``MERGE_FROM`` conditions: the work
     grows with the positive rows, not with 3^k.

Limit: more than ``MAX_CONDITIONS`` conditions raise ``QCAError``.
"""
from __future__ import annotations

import sys

import numpy as np

from . import primes_small
from .primes_merge import implicant_digits, primes_by_merging
from .errors import QCAError
from .limits import MAX_CONDITIONS
from .rows import weights

__all__ = ["prime_implicants", "covers", "covers_masks", "implicant_masks", "implicant_literals"]

MERGE_FROM = 12          # conditions from which primes without remainders come from merging rows
AROUND_ROWS_SHARE = 1    # primes are sought around each row when rows x 2^k <= 3^k / this


def _minterm_index(codes: np.ndarray, k: int) -> np.ndarray:
    """Position in the 3^k implicant array of each fully specified row code (binary -> ternary)."""
    codes = np.asarray(codes, dtype=np.int64)
    idx = np.zeros(len(codes), dtype=np.int64)
    for j in range(k):
        bit = (codes >> (k - 1 - j)) & 1
        idx += bit * 3 ** (k - 1 - j)
    return idx


def _covers_any(flags: np.ndarray, k: int) -> np.ndarray:
    """For every implicant, whether it covers some row flagged in ``flags`` (flat, length 3^k)."""
    a = flags.reshape((3,) * k) if k else flags
    for axis in range(k):
        zero = np.take(a, 0, axis=axis)
        one = np.take(a, 1, axis=axis)
        idx = [slice(None)] * k
        idx[axis] = 2
        a[tuple(idx)] = zero | one
    return a.reshape(-1)


def _flags(codes, k) -> np.ndarray:
    f = np.zeros(3 ** k, dtype=bool)
    f[_minterm_index(codes, k)] = True
    return f


def prime_implicants(on_rows, off_rows, k: int, through=None) -> np.ndarray:
    """Prime implicants that cover at least one row of ``on_rows`` and none of ``off_rows``.

    Parameters
    ----------
    on_rows : array-like of int
        The rows to explain (codes, first condition the most significant bit).
    off_rows : array-like of int
        The rows to avoid.  Rows in neither set are don't-cares (logical remainders when they are
        to be used).
    k : int
        The number of conditions.
    through : array-like of int, optional
        Rows of ``on_rows``: only the primes that cover one of them are returned (a chart needs
        only the primes that cover a row it must explain).

    Returns
    -------
    numpy.ndarray of int8, shape (n_primes, k)
        Entries 0 (absent), 1 (present) or 2 (minimised away), in a canonical order: fewer
        literals first, then by the ternary digits.

    Raises
    ------
    QCAError
        More than ``MAX_CONDITIONS`` conditions.

    Notes
    -----
    An implicant is allowed when it covers no off row; it is prime when it is allowed, covers an
    on row and no implicant with one literal fewer is allowed (Quine 1952, 1955; McCluskey 1956;
    Ragin 1987, ch. 6; Dusa 2019, ch. 8).  Three exact methods give the same primes (tested
    against each other and against the definition; module docstring): by merging rows when there
    is no don't-care and every on-row is to be covered (from ``MERGE_FROM`` conditions), else
    around each row to be covered when those rows are few, else on the 3^k implicant arrays.  R's
    QCA finds the primes with its CCubes algorithm (Dusa 2018); on the parsimonious solution it
    stops at a depth that ``solutions.ccubes_depth`` reproduces.

    References
    ----------
    Quine, W. V. (1952). The problem of simplifying truth functions. *The American Mathematical
    Monthly*, 59(8), 521-531.

    Quine, W. V. (1955). A way to simplify truth functions. *The American Mathematical Monthly*,
    62(9), 627-631.

    McCluskey, E. J. (1956). Minimization of Boolean functions. *Bell System Technical Journal*,
    35(6), 1417-1444.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    Rows 110 and 111 to explain, 000 and 001 to avoid, the rest don't-cares (k = 3): the primes
    are A (``1--``) and B (``-1-``).

    >>> prime_implicants([6, 7], [0, 1], 3)
    array([[1, 2, 2],
           [2, 1, 2]], dtype=int8)

    On ``LF`` (SURV, incl_cut 0.8) with every remainder allowed: DEV*~IND and URB*STB.

    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> prime_implicants(tt.positive, tt.negative, tt.k)
    array([[1, 2, 2, 0, 2],
           [2, 1, 2, 2, 1]], dtype=int8)
    """
    if k > MAX_CONDITIONS:
        raise QCAError(f"{k} conditions: exact minimisation is limited to {MAX_CONDITIONS}")
    if 0 < k <= primes_small.SMALL_K:          # a few conditions: a table of every implicant (primes_small)
        return primes_small.small_primes(on_rows, off_rows, k, through)
    on_rows, off_rows = np.unique(np.asarray(on_rows, dtype=np.int64)), np.asarray(off_rows, dtype=np.int64)
    if through is None and k >= MERGE_FROM and len(on_rows) + len(np.unique(off_rows)) == 2 ** k:
        merged = primes_by_merging(on_rows, k, limit=3 ** k // 256)
        if merged is not None:
            return _canonical(merged, k)
    rows = on_rows if through is None else np.unique(np.asarray(through, dtype=np.int64))
    if len(rows) * 2 ** k * AROUND_ROWS_SHARE <= 3 ** k:
        return _canonical(_primes_around_rows(rows, off_rows, k), k)
    on = _covers_any(_flags(on_rows, k), k)
    allowed = ~_covers_any(_flags(off_rows, k), k)
    prime = allowed & on
    a = allowed.reshape((3,) * k)
    p = prime.reshape((3,) * k)
    for axis in range(k):
        raised_allowed = np.take(a, 2, axis=axis)
        for digit in (0, 1):
            idx = [slice(None)] * k
            idx[axis] = digit
            p[tuple(idx)] &= ~raised_allowed
    flat = np.flatnonzero(p.reshape(-1))
    digits = np.zeros((len(flat), k), dtype=np.int8)
    rest = flat.copy()
    for j in range(k - 1, -1, -1):
        digits[:, j] = rest % 3
        rest //= 3
    return _through(_canonical(digits, k), through, k)


def _through(primes: np.ndarray, through, k: int) -> np.ndarray:
    """The primes that cover at least one row of ``through`` (all of them when it is None)."""
    if through is None or len(primes) == 0:
        return primes
    return primes[covers(primes, np.asarray(through, dtype=np.int64), k).any(axis=1)]


def _primes_around_rows(rows: np.ndarray, off_rows: np.ndarray, k: int) -> np.ndarray:
    """Every prime implicant that covers one of ``rows``, found around each row in turn.

    An implicant covering row r is r with a set S of conditions minimised away (S a k-bit mask);
    it covers the rows r XOR T for every subset T of S.  It is allowed when none of them is in
    the off-set, and prime when no larger set S | {b} is allowed (a larger allowed implicant
    would also cover r).  For each r the flags "r XOR T is off" over all 2^k masks T are a
    permutation of the off-set's flags; their OR over subsets (a zeta transform on the Boolean
    lattice, k vectorised passes) says for every S whether the implicant is allowed.  The work
    is (number of rows) x k x 2^k, against k x 3^k for the implicant arrays: much less when the
    rows to be explained are few (the intermediate solution, where the easy counterfactuals are
    part of the on-set but the chart needs only primes through the positive rows).
    """
    n = 1 << k
    off = np.zeros(n, dtype=bool)
    off[off_rows] = True
    masks = np.arange(n, dtype=np.int64)
    step = max(1, (1 << 21) >> k)
    keys = []
    for start in range(0, len(rows), step):
        chunk = rows[start:start + step]
        hit = off[chunk[:, None] ^ masks[None, :]]     # hit[i, T]: row chunk[i] XOR T is off
        _or_over_subsets(hit)                           # hit[i, S]: implicant (chunk[i], S) covers an off row
        allowed = ~hit
        i, mask = np.nonzero(allowed & ~_allowed_above(allowed))
        mask = mask.astype(np.int64)
        keys.append((mask << k) | (chunk[i] & ~mask))
    key = np.unique(np.concatenate(keys)) if keys else np.zeros(0, dtype=np.int64)
    return implicant_digits(key & (n - 1), key >> k, k)


# Flags over the 2^k subsets S of conditions, one row of flags per row code; subset S is the
# column whose index has the bits of S.  Both transforms below are the k passes of a zeta
# transform; the first 3 bits (neighbours within 8 bytes) are done with shifts on 64-bit words
# of 8 flags, the others on those words directly: 8 flags per operation.
_WITHIN_WORD = [np.uint64(0x00FF00FF00FF00FF), np.uint64(0x0000FFFF0000FFFF), np.uint64(0x00000000FFFFFFFF)]
_WORDS = sys.byteorder == "little"


def _passes(flags: np.ndarray):
    """For each bit b of the subset index: (low, high), views of the flags of the subsets
    without and with bit b; for bits 0-2, whose two flags share a 64-bit word, (words, b)."""
    m, n = flags.shape
    k = n.bit_length() - 1
    if _WORDS and k >= 3:
        words = flags.view(np.uint64)
        for b in range(3):
            yield words, b
        for b in range(3, k):
            view = words.reshape(m, n >> (b + 1), 2, 1 << (b - 3))
            yield view[:, :, 0, :], view[:, :, 1, :]
    else:
        for b in range(k):
            view = flags.reshape(m, n >> (b + 1), 2, 1 << b)
            yield view[:, :, 0, :], view[:, :, 1, :]


def _or_over_subsets(flags: np.ndarray) -> None:
    """In place: flags[S] becomes the OR of flags[T] over every subset T of S."""
    for low, high in _passes(flags):
        if isinstance(high, int):          # bit `high` within a word of 8 flags
            low |= (low & _WITHIN_WORD[high]) << np.uint64(8 << high)
        else:
            high |= low


def _allowed_above(allowed: np.ndarray) -> np.ndarray:
    """above[S]: some S | {b} with b not in S is allowed (then S is not maximal)."""
    above = np.zeros_like(allowed)
    for (low, high), (out_low, _) in zip(_passes(allowed), _passes(above)):
        if isinstance(high, int):
            out_low |= (low >> np.uint64(8 << high)) & _WITHIN_WORD[high]
        else:
            out_low |= high
    return above


def _canonical(digits: np.ndarray, k: int) -> np.ndarray:
    """Implicants (rows of 0/1/2 digits) in the canonical order: fewer literals first, then by
    the ternary digits."""
    n_literals = (digits != 2).sum(axis=1)
    order = np.lexsort(tuple(digits[:, j] for j in range(k - 1, -1, -1)) + (n_literals,))
    return digits[order]


def covers(implicants: np.ndarray, codes, k: int) -> np.ndarray:
    """Boolean matrix implicants x rows: does implicant i cover row code j?

    Parameters
    ----------
    implicants : numpy.ndarray, shape (n, k)
        Rows of digits 0, 1, 2 (2 = minimised away).
    codes : array-like of int
        Row codes.
    k : int
        The number of conditions.

    Returns
    -------
    numpy.ndarray of bool, shape (n, len(codes))

    Notes
    -----
    An implicant is a pair of bit masks, the conditions it fixes (``care``) and their values; it
    covers a row when the row agrees with the values on the fixed bits: ``(row XOR value) AND care
    == 0``, one integer operation per implicant and row.  The prime implicant chart (Ragin 1987,
    ch. 6) is ``covers(primes, positive, k)``.

    Examples
    --------
    >>> covers([[1, 2, 2], [2, 1, 2]], [6, 7, 4], 3).tolist()
    [[True, True, True], [True, True, False]]
    """
    return covers_masks(*implicant_masks(implicants, k), codes)


def covers_masks(value: np.ndarray, care: np.ndarray, codes) -> np.ndarray:
    """``covers`` for implicants given as bit masks (``implicant_masks``).

    Parameters
    ----------
    value, care : numpy.ndarray of int64
        Each implicant's values and the conditions it fixes, as bit masks.
    codes : array-like of int
        Row codes.

    Returns
    -------
    numpy.ndarray of bool, shape (len(value), len(codes))

    Notes
    -----
    ``(code XOR value) AND care == 0``, in chunks of about four million entries.

    Examples
    --------
    >>> covers_masks(*implicant_masks([[1, 2, 2]], 3), [6, 3]).tolist()
    [[True, False]]
    """
    codes = np.asarray(codes, dtype=np.int64)
    out = np.empty((len(value), len(codes)), dtype=bool)
    step = max(1, 4_000_000 // max(1, len(codes)))
    for s in range(0, len(value), step):
        out[s:s + step] = ((codes[None, :] ^ value[s:s + step, None]) & care[s:s + step, None]) == 0
    return out


def implicant_masks(implicants: np.ndarray, k: int):
    """Implicants (rows of 0/1/2 digits) as (value, care) bit masks, first condition the highest bit.

    Parameters
    ----------
    implicants : array-like, shape (n, k)
        Rows of digits 0, 1, 2.
    k : int
        The number of conditions.

    Returns
    -------
    tuple of numpy.ndarray of int64
        ``(value, care)``: the bits of the conditions present, and of the conditions fixed.

    Notes
    -----
    The row code convention of ``analysis.qca.rows`` (first condition the most significant bit).

    Examples
    --------
    >>> [m.tolist() for m in implicant_masks([[1, 2, 0]], 3)]
    [[4], [5]]
    """
    imp = np.asarray(implicants, dtype=np.int64).reshape(-1, k)
    w = weights(k)
    return (imp == 1).astype(np.int64) @ w, (imp != 2).astype(np.int64) @ w


def implicant_literals(implicant, conditions) -> tuple:
    """An implicant's literals as ``((condition, present), ...)`` in condition order.

    Parameters
    ----------
    implicant : sequence of int
        Digits 0 (absent), 1 (present), 2 (minimised away), one per condition.
    conditions : sequence of str
        The condition names.

    Returns
    -------
    tuple of (str, bool)

    Notes
    -----
    The term as R writes it: the conditions in the truth table's order, ``~`` for absence.

    Examples
    --------
    >>> implicant_literals([1, 2, 2, 0, 2], ["DEV", "URB", "LIT", "IND", "STB"])
    (('DEV', True), ('IND', False))
    """
    return tuple((c, bool(d)) for c, d in zip(conditions, implicant) if d != 2)
