"""The minimisation of a few conditions on Python ints: the primes up to R's CCubes depth, and
the simplifying assumptions of a chart's covers.

For ``k <= primes_small.SMALL_K`` conditions every set of rows is one Python int (bit r for row
r, at most 128 bits) and every implicant is a position in ``primes_small``'s table, which holds
the rows it covers and its number of literals.  ``solutions.cover`` and
``cover_models.simplifying_assumptions`` take these steps for such tables: the same rules as
for any number of conditions (``solutions.ccubes_depth``, ``chart.depth_of_levels``; a model's
simplifying assumptions are the rows its primes cover that are not positive), without the
numpy calls whose set-up costs more than a chart of a few dozen rows takes.  The answers are
those of the general steps (tested: ``tests/test_speed6_m2_small.py``).

>>> primes, index, left_out = primes_to_depth([6, 7], [0, 1], 3, ccubes=True)
>>> primes.tolist(), left_out
([[1, 2, 2], [2, 1, 2]], 0)
>>> [codes.tolist() for codes in small_simplifying_assumptions(3, primes, [(0,), (1,)], [6, 7])]
[[4, 5], [2, 3]]
"""
from __future__ import annotations

from .chart_bits import depth_of_bits
from .primes_small import (codes_of_bits, digits_of, literal_counts, row_bits_of, row_masks, small_prime_index,
                           table_positions)

__all__ = ["primes_to_depth", "small_simplifying_assumptions"]


def primes_to_depth(positive, off, k: int, ccubes: bool) -> tuple:
    """The primes of ``positive`` against ``off`` (row codes), with ``ccubes`` only those up to R's
    CCubes depth (``solutions.ccubes_depth``): ``(primes, table positions, primes left out)``."""
    on = row_bits_of(positive)
    index = small_prime_index(on, row_bits_of(off), k)
    left_out = 0
    if ccubes and len(index):
        levels = literal_counts(index, k)
        depth = depth_of_bits(levels, [m & on for m in row_masks(index, k)], on, k)
        keep = [level <= depth for level in levels]
        left_out = len(keep) - sum(keep)
        index = index[keep] if left_out else index
    return digits_of(index, k), index, left_out


def small_simplifying_assumptions(k: int, primes, index_sets, positive) -> list:
    """``cover_models.simplifying_assumptions`` for ``k <= primes_small.SMALL_K``: per model, the
    sorted codes of the rows its primes cover that are not positive."""
    masks = row_masks(table_positions(primes, k), k) if len(primes) else []
    not_positive = ~row_bits_of(positive)
    out = []
    for idx in index_sets:
        union = 0
        for i in idx:
            union |= masks[i]
        out.append(codes_of_bits(union & not_positive))
    return out
