"""Prime implicants of a few conditions, read off tables of every implicant.

With k conditions there are 3^k implicants; for a few conditions (``SMALL_K``) a table of all
of them, in the canonical order of ``primes.prime_implicants`` (fewer literals first, then by the
ternary digits), with the rows each covers as the bits of one integer and the implicants one
literal larger (each literal minimised away in turn), is built once per k.  The primes of an
on-set and an off-set are then the definition applied to the whole table at once: allowed (no
off row covered), covering an on row (and a ``through`` row, when given), and no implicant one
literal larger allowed.  The answer is ``prime_implicants``' own, array for array (tested against
its other methods); a multiverse or robustness sweep finds the primes of hundreds of thousands
of tiny charts, where setting up those methods costs more than the table look-up.

>>> small_primes([6, 7], [0, 1], 3)
array([[1, 2, 2],
       [2, 1, 2]], dtype=int8)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["SMALL_K", "small_primes"]

SMALL_K = 6          # up to this many conditions the tables are used (3^6 = 729 implicants, 64 rows)


@lru_cache(maxsize=None)
def _table(k: int) -> tuple:
    """(digits, masks, larger) of every implicant of k conditions, in the canonical order:
    digits (3^k x k, int8; 2 = minimised away), the rows each covers (uint64 bits) and, per
    condition, the index of the implicant with that literal minimised away (3^k: none)."""
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
    masks = (covered.astype(np.uint64) << rows.astype(np.uint64)[None, :]).sum(axis=1, dtype=np.uint64)
    position = np.empty(n, dtype=np.int64)
    position[(digits.astype(np.int64) * 3 ** np.arange(k - 1, -1, -1)).sum(axis=1)] = np.arange(n)
    larger = np.full((n, k), n, dtype=np.int64)
    for j in range(k):
        has = digits[:, j] != 2
        raised = digits[has].astype(np.int64)
        raised[:, j] = 2
        larger[has, j] = position[(raised * 3 ** np.arange(k - 1, -1, -1)).sum(axis=1)]
    for a in (digits, masks, larger):
        a.flags.writeable = False
    return digits, masks, larger


def _bits(rows) -> np.uint64:
    out = 0
    for r in np.asarray(rows, dtype=np.int64).ravel().tolist():
        out |= 1 << r
    return np.uint64(out)


def small_primes(on_rows, off_rows, k: int, through=None) -> np.ndarray:
    """``prime_implicants(on_rows, off_rows, k, through)`` for ``k <= SMALL_K`` (module docstring)."""
    digits, masks, larger = _table(k)
    allowed = (masks & _bits(off_rows)) == 0
    prime = allowed & ((masks & _bits(on_rows)) != 0)
    if through is not None:
        prime &= (masks & _bits(through)) != 0
    prime &= ~np.append(allowed, False)[larger].any(axis=1)
    return digits[prime]
