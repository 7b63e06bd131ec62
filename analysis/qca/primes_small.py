"""Prime implicants of a few conditions, read off tables of every implicant.

With k conditions there are 3^k implicants; for a few conditions (``SMALL_K``) a table of all
of them, in the canonical order of ``primes.prime_implicants`` (fewer literals first, then by the
ternary digits), with the rows each covers as bits (64-bit words, and one Python int per
implicant) and the implicants one literal larger (each literal minimised away in turn), is built
once per k.  The primes of an on-set and an off-set are then the definition applied to the whole
table at once: allowed (no off row covered), covering an on row (and a ``through`` row, when
given), and no implicant one literal larger allowed.  The answer is ``prime_implicants``' own,
array for array (tested against its other methods); a multiverse or robustness sweep finds the
primes of hundreds of thousands of tiny charts, where setting up those methods costs more than
the table look-up.  The same tables give each prime's rows as a Python int (``row_masks``), what
the small charts of ``analysis.qca.chart_bits`` are made of.

>>> small_primes([6, 7], [0, 1], 3)
array([[1, 2, 2],
       [2, 1, 2]], dtype=int8)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["SMALL_K", "small_primes", "small_prime_index", "row_bits_of", "codes_of_bits", "table_positions",
           "row_masks", "literal_counts", "digits_of", "implicant_rows"]

SMALL_K = 7          # up to this many conditions the tables are used (3^7 = 2187 implicants, 128 rows)
_WORD = (1 << 64) - 1


@lru_cache(maxsize=None)
def _table(k: int) -> tuple:
    """(digits, words, larger, ints, level, position) of every implicant of k conditions, in the
    canonical order: digits (3^k x k, int8; 2 = minimised away), the rows each covers (64-bit
    words, one array of 3^k per word, row r the bit r % 64 of word r // 64), per condition the
    index of the implicant with that literal minimised away (3^k: none), the rows as Python
    ints, the number of literals (Python ints) and the table index of each ternary number."""
    n = 3 ** k
    flat = np.arange(n)
    digits = np.zeros((n, k), dtype=np.int8)
    rest = flat.copy()
    for j in range(k - 1, -1, -1):
        digits[:, j] = rest % 3
        rest //= 3
    order = np.lexsort(tuple(digits[:, j] for j in range(k - 1, -1, -1)) + ((digits != 2).sum(axis=1),))
    digits = digits[order]
    rows = np.arange(1 << k)
    bits = (rows[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1               # rows x k, first condition high
    covered = ((digits[:, None, :] == 2) | (digits[:, None, :] == bits[None, :, :])).all(axis=2)   # implicants x rows
    n_words = max(1, (1 << k) // 64)
    words = np.zeros((n, n_words), dtype=np.uint64)
    for w in range(n_words):
        part = covered[:, w * 64:(w + 1) * 64]
        shifts = np.arange(part.shape[1], dtype=np.uint64)[None, :]
        words[:, w] = (part.astype(np.uint64) << shifts).sum(axis=1, dtype=np.uint64)
    ints = [sum(int(v) << (64 * w) for w, v in enumerate(row)) for row in words.tolist()]
    position = np.empty(n, dtype=np.int64)
    position[(digits.astype(np.int64) * 3 ** np.arange(k - 1, -1, -1)).sum(axis=1)] = np.arange(n)
    larger = np.full((n, k), n, dtype=np.int64)
    for j in range(k):
        has = digits[:, j] != 2
        raised = digits[has].astype(np.int64)
        raised[:, j] = 2
        larger[has, j] = position[(raised * 3 ** np.arange(k - 1, -1, -1)).sum(axis=1)]
    level = (digits != 2).sum(axis=1).tolist()
    columns = tuple(np.ascontiguousarray(words[:, w]) for w in range(n_words))      # one array per word
    for a in (digits, larger, position, *columns):
        a.flags.writeable = False
    return digits, columns, larger, tuple(ints), tuple(level), position


def row_bits_of(rows) -> int:
    """Row codes as one Python int (bit r for row r).

    >>> bin(row_bits_of([0, 3]))
    '0b1001'
    """
    out = 0
    for r in np.asarray(rows, dtype=np.int64).ravel().tolist():
        out |= 1 << r
    return out


def codes_of_bits(bits: int) -> np.ndarray:
    """The row codes of a Python int's set bits, ascending (int64).

    >>> codes_of_bits(0b1001).tolist()
    [0, 3]
    """
    if not bits:
        return np.zeros(0, dtype=np.int64)
    octets = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(octets, bitorder="little")).astype(np.int64, copy=False)


def _meets(words: tuple, bits: int) -> np.ndarray:
    """For every implicant, whether it covers a row of ``bits``."""
    out = (words[0] & np.uint64(bits & _WORD)) != 0
    for w in range(1, len(words)):
        out |= (words[w] & np.uint64((bits >> (64 * w)) & _WORD)) != 0
    return out


def small_prime_index(on_bits: int, off_bits: int, k: int, through_bits: int | None = None) -> np.ndarray:
    """The table indices (ascending: the canonical order) of the primes of the rows ``on_bits``
    against ``off_bits`` (Python ints, bit r for row r; ``through_bits``: as ``through``)."""
    _, words, larger, _, _, _ = _table(k)
    allowed = ~_meets(words, off_bits)
    prime = allowed & _meets(words, on_bits)
    if through_bits is not None:
        prime &= _meets(words, through_bits)
    prime &= ~np.append(allowed, False)[larger].any(axis=1)
    return np.flatnonzero(prime)


def small_primes(on_rows, off_rows, k: int, through=None) -> np.ndarray:
    """``prime_implicants(on_rows, off_rows, k, through)`` for ``k <= SMALL_K`` (module docstring)."""
    index = small_prime_index(row_bits_of(on_rows), row_bits_of(off_rows), k,
                              None if through is None else row_bits_of(through))
    return _table(k)[0][index]


def digits_of(index, k: int) -> np.ndarray:
    """The implicants at table ``index`` as rows of digits 0, 1, 2 (int8)."""
    return _table(k)[0][index]


def table_positions(implicants, k: int) -> list:
    """The table index of each implicant (rows of digits 0, 1, 2), as Python ints.

    >>> table_positions([[2, 2], [1, 2]], 2)
    [0, 2]
    """
    imp = np.asarray(implicants, dtype=np.int64).reshape(-1, k)
    return _table(k)[5][imp @ (3 ** np.arange(k - 1, -1, -1, dtype=np.int64))].tolist()


def row_masks(index, k: int) -> list:
    """The rows each implicant at table ``index`` covers, one Python int each (bit r: row r).

    >>> [bin(m) for m in row_masks(table_positions([[1, 2]], 2), 2)]
    ['0b1100']
    """
    ints = _table(k)[3]
    return [ints[i] for i in _ints(index)]


def literal_counts(index, k: int) -> list:
    """The number of literals of each implicant at table ``index``."""
    level = _table(k)[4]
    return [level[i] for i in _ints(index)]


def _ints(index) -> list:
    return index.tolist() if isinstance(index, np.ndarray) else list(index)


@lru_cache(maxsize=None)
def _by_masks(k: int) -> dict:
    """{(value, care): the rows the implicant covers, a Python int} for every implicant of k
    conditions (``primes.implicant_masks``' bit masks, the first condition the highest bit)."""
    digits, _, _, ints, _, _ = _table(k)
    w = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    value, care = ((digits == 1).astype(np.int64) @ w).tolist(), ((digits != 2).astype(np.int64) @ w).tolist()
    return dict(zip(zip(value, care), ints))


def implicant_rows(value: int, care: int, k: int) -> int:
    """The rows the implicant with bit masks ``value`` and ``care`` (``primes.implicant_masks``;
    ``value`` within ``care``) covers, as a Python int.

    >>> bin(implicant_rows(0b10, 0b10, 2))
    '0b1100'
    """
    return _by_masks(k)[(value, care)]
