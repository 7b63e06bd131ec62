"""The truth table's row statistics, compiled (numba), for many cases and many observed rows.

``analysis.qca.truthtable.row_statistics`` builds the cases x rows matrix of memberships (each the minimum
over the k conditions of x or 1 - x) and then three more matrices of that size (min(row, Y),
min(row, Y, ~Y), row > 0.5) before summing them over the cases.  At 16 conditions and 5000 cases
that is 4,800 rows x 5,000 cases x 16 conditions, most of a second.  Here one loop per case
computes the case's membership in every observed row and adds it at once to the row's four
accumulators; no matrix is built.

Two savings, neither changing a number:

- the observed rows are sorted by code (the first condition is the most significant bit), so
  consecutive rows share their leading conditions; the minimum over those conditions (a prefix
  minimum, ``prefix[c]`` = min over the first c conditions) is kept from the previous row and only
  the conditions after the shared prefix are visited (a minimum is exact, in any order);
- the rows are shared out among the cores (the kernel releases the GIL), each row's sums being
  computed by one thread only.

The sums are bit for bit numpy's: summing a C-ordered cases x rows matrix over its first axis,
numpy adds the cases one after the other (the first case's value, then the second, ...) into each
row's total (with two rows or more; a single column is summed pairwise, so ``row_statistics``
keeps one-row tables, and small tables, on its array form).  The tests compare both forms.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


def _row_sums(x, not_x, y, not_y, bits, shared, lo, hi, n_above, s_xy, s_m, s_xyny):
    """For the rows ``lo`` to ``hi`` - 1 (``bits``: rows x k, 1 = the condition, 0 = its
    negation; ``shared[j]``: leading conditions row j has in common with row j - 1): the number
    of cases with membership above 0.5, sum min(M, Y), sum M and sum min(M, Y, ~Y) over cases.

    The cases are added one after the other into each row's totals, as numpy sums a C-ordered
    cases x rows matrix over its first axis: bit for bit the array form of
    ``analysis.qca.truthtable.row_statistics`` (the tests compare them)."""
    n, k = x.shape
    prefix = np.empty(k + 1)
    prefix[0] = np.inf
    for i in range(n):
        yi, nyi = y[i], not_y[i]
        for j in range(lo, hi):
            start = 0 if j == lo else shared[j]
            for c in range(start, k):
                v = x[i, c] if bits[j, c] else not_x[i, c]
                p = prefix[c]
                prefix[c + 1] = v if v < p else p
            m = prefix[k]
            xy = m if m < yi else yi
            xyny = xy if xy < nyi else nyi
            if i == 0:                     # numpy starts each total from the first case's value
                n_above[j] = 1 if m > 0.5 else 0
                s_xy[j], s_m[j], s_xyny[j] = xy, m, xyny
            else:
                if m > 0.5:
                    n_above[j] += 1
                s_xy[j] += xy
                s_m[j] += m
                s_xyny[j] += xyny


def shared_prefix(bits: np.ndarray) -> np.ndarray:
    """For each row (in the given order), how many leading conditions it shares with the row
    before it (0 for the first row)."""
    same = np.zeros(len(bits), dtype=np.int64)
    if len(bits) > 1:
        differ = bits[1:] != bits[:-1]
        first = np.where(differ.any(axis=1), differ.argmax(axis=1), bits.shape[1])
        same[1:] = first
    return same


@lru_cache(maxsize=1)
def compiled():
    """The compiled kernel, or None when numba is not installed (``analysis.qca.truthtable.row_statistics``
    then uses its array form).  Compiled once per machine (numba's cache), loaded once per process."""
    try:
        import numba
    except ImportError:
        return None
    return numba.njit(cache=True, nogil=True)(_row_sums)
