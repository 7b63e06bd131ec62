"""Every minimum cover of a small prime implicant chart, by trying its sets of primes in order.

Most charts of a multiverse or a robustness sweep (a few conditions) are tiny: a handful of
primes, covered by two or three of them.  For such a chart the covers with the fewest primes
are found directly: every set of one prime, then of two, ... is tried (the columns as bits of a
Python int) until some cover the chart; all of that size are the minimum covers.  This is the
definition of what ``chart.minimal_covers`` returns, so the answer is the same as its search
(``chart_bounds.ReducedChart``, ``chart_search``), which costs more to set up than a small chart
takes to enumerate.  ``small_covers`` gives up (None) when more than ``SMALL_SETS`` sets would
be tried, or when the covers exceed ``max_models`` (the search then answers, or refuses).

>>> import numpy as np
>>> small_covers(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool), 100)
[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
"""
from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

from .work import Meter

__all__ = ["SMALL_SETS", "small_covers"]

SMALL_SETS = 400        # the most sets of primes tried before the chart is left to the search


def small_covers(chart: np.ndarray, max_models: int, meter: Meter | None = None) -> list | None:
    """Every minimum cover of ``chart`` (primes x columns, bool; no prime covering every column)
    as sorted tuples of prime indices, the list sorted; None when the chart is not small (module
    docstring).  The sets tried, times the chart's primes and columns, are spent on ``meter``."""
    p, n_cols = chart.shape
    if p == 0 or n_cols == 0:
        return None
    packed = np.packbits(chart, axis=1, bitorder="little")
    masks = [int.from_bytes(row.tobytes(), "little") for row in packed]
    full = (1 << n_cols) - 1
    tried = 0
    for size in range(1, p + 1):
        tried += comb(p, size)
        if tried > SMALL_SETS:
            return None
        found = [c for c in combinations(range(p), size) if _union(masks, c) == full]
        if found:
            if len(found) > max_models:
                return None
            if meter is not None:
                meter.spend(tried * (p + n_cols))
            return found
    return None


def _union(masks, chosen) -> int:
    out = 0
    for i in chosen:
        out |= masks[i]
    return out
