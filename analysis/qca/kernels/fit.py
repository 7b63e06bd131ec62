"""The fit of many tied models, compiled (numba): ``analysis.qca.fit.models_fit`` without temporary arrays.

With thousands of tied models, each of tens of terms, over thousands of cases, the array form of
``analysis.qca.fit.models_fit`` builds models x terms x cases arrays several times over; here one loop per
model finds, case by case, the largest and second largest term membership (and which term holds
the largest), and sums over cases exactly as numpy does: numpy adds a contiguous float64 vector
by pairwise summation (blocks of 8 partial sums up to 128 elements, halves above; numpy's
``pairwise_sum`` in ``loops_utils.h``), and ``_pairwise`` repeats that order, so every inclS,
PRI, covS and covU is bit for bit the array form's (the tests compare them).

Formulas (``analysis.qca.fit``): the model's membership is the largest of its terms'; covU of a term
is covS of the model minus covS of the model without that term, whose membership is the second
largest where the term holds the largest and the largest elsewhere.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


def _block_sum(a, lo, n):
    """sum(a[lo:lo + n]) for n <= 128, as numpy: 8 partial sums in turn, then the rest."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    whole = n - n % 8
    while i < whole:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


def _pairwise(a, lo, n):
    """sum(a[lo:lo + n]) in numpy's pairwise order: blocks of at most 128 elements; above that
    the sum of the two halves (the first a multiple of 8 long).  Written without recursion (an
    explicit stack of (start, length, stage) frames): numba caches recursive functions badly."""
    if n <= 128:
        return _block_sum(a, lo, n)
    starts = np.empty(128, dtype=np.int64)
    lengths = np.empty(128, dtype=np.int64)
    stage = np.empty(128, dtype=np.int64)
    values = np.empty(128)
    sp, vp = 0, 0
    starts[0], lengths[0], stage[0] = lo, n, 0
    while sp >= 0:
        start, length = starts[sp], lengths[sp]
        if length <= 128:
            values[vp] = _block_sum(a, start, length)
            vp += 1
            sp -= 1
        elif stage[sp] == 0:
            stage[sp] = 1
            half = length // 2
            half -= half % 8
            starts[sp + 1], lengths[sp + 1], stage[sp + 1] = start, half, 0
            starts[sp + 2], lengths[sp + 2], stage[sp + 2] = start + half, length - half, 0
            sp += 2
        else:                               # both halves done: first half + second half
            values[vp - 2] = values[vp - 1] + values[vp - 2]
            vp -= 1
            sp -= 1
    return values[0]


def _fits(t, y, not_y, ptr, idx, sums, rest):
    """For model m (terms ``idx[ptr[m]:ptr[m + 1]]``, rows of ``t``): sums[m] = (sum min(M, Y),
    sum M, sum min(M, Y, ~Y)) with M the model's membership, and rest[q] = sum min(M without term
    q, Y) for each of its terms q.

    Without term q the summands change only where q holds the largest membership and the second
    largest, capped at Y, is smaller; a term with no such case has rest = sum min(M, Y) exactly
    (the same vector is summed), and the others are summed from a copy patched at their cases.
    Every sum is ``_pairwise``, numpy's order: the numbers are bit for bit those of the array form
    of ``analysis.qca.fit.models_fit`` (the tests compare them).
    """
    n = y.shape[0]
    top = np.empty(n)
    second = np.empty(n)
    first = np.empty(n, dtype=np.int64)
    xy = np.empty(n)
    buf = np.empty(n)
    changed = np.empty(n, dtype=np.int64)
    for m in range(ptr.shape[0] - 1):
        lo, hi = ptr[m], ptr[m + 1]
        size = hi - lo
        row = t[idx[lo]]
        for i in range(n):
            top[i] = row[i]
            second[i] = -1.0
            first[i] = 0
        for p in range(1, size):
            row = t[idx[lo + p]]
            for i in range(n):
                v = row[i]
                if v > top[i]:
                    second[i] = top[i]
                    top[i] = v
                    first[i] = p
                elif v > second[i]:
                    second[i] = v
        for i in range(n):
            xy[i] = min(top[i], y[i])
            buf[i] = min(xy[i], not_y[i])
        s_xy = _pairwise(xy, 0, n)
        sums[m, 0] = s_xy
        sums[m, 1] = _pairwise(top, 0, n)
        sums[m, 2] = _pairwise(buf, 0, n)
        if size == 1:
            continue
        start = np.zeros(size + 1, dtype=np.int64)       # cases where each term's removal matters
        for i in range(n):
            if min(second[i], y[i]) != xy[i]:
                start[first[i] + 1] += 1
        for p in range(size):
            start[p + 1] += start[p]
        fill = start[:size].copy()
        for i in range(n):
            if min(second[i], y[i]) != xy[i]:
                changed[fill[first[i]]] = i
                fill[first[i]] += 1
        for p in range(size):
            if start[p] == start[p + 1]:
                rest[lo + p] = s_xy
                continue
            for i in range(n):
                buf[i] = xy[i]
            for q in range(start[p], start[p + 1]):
                i = changed[q]
                buf[i] = min(second[i], y[i])
            rest[lo + p] = _pairwise(buf, 0, n)


@lru_cache(maxsize=1)
def compiled():
    """The compiled kernel, or None when numba is not installed (``analysis.qca.fit.models_fit`` then uses
    its array form).  Compiled once per machine (numba's cache), loaded once per process."""
    global _block_sum, _pairwise
    try:
        import numba
    except ImportError:
        return None
    _block_sum = numba.njit(cache=True)(_block_sum)    # the functions below call the compiled ones
    _pairwise = numba.njit(cache=True)(_pairwise)
    return numba.njit(cache=True, nogil=True)(_fits)
