"""Every minimum cover of a small prime implicant chart, the rows as the bits of Python ints.

The charts of a few conditions (``primes_small.SMALL_K``: at most 128 rows) are what a
multiverse or a robustness sweep solves hundreds of thousands of times.  Each prime is the
Python int of the rows it covers; the rows to explain are one int too.  ``bit_covers`` finds the
covers with the fewest primes: the primes that alone cover some row are in every cover; for
the rows they leave, by iterative deepening (each size s from the bound below), a depth-first
search branches on the lowest row not yet covered, over the primes that cover it, each branch
leaving out the primes of the branches before it (so that no set is found twice), and prunes a
branch whose remaining rows cannot be covered by the primes it may still take (each covers at
most as many rows as the largest prime, which also bounds the size from below).  The first
size with a cover is the minimum; every cover of that size is found.  This is the definition
of what ``chart.minimal_covers`` returns (every cover with the fewest primes, sorted), so the
answer is the same as its search (``chart_search``), which costs more to set up than a small
chart takes to enumerate; ``bit_covers`` gives up (None) after ``BIT_NODES`` search steps, and
the chart is then left to ``minimal_covers`` (which answers, or refuses, as it does for any
chart).

>>> bit_covers([0b011, 0b110, 0b101, 0b011], 0b111)
[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
"""
from __future__ import annotations

from .work import Meter

__all__ = ["BIT_NODES", "bit_covers", "depth_of_bits"]

BIT_NODES = 20_000     # search steps (all sizes together) before a chart is left to minimal_covers


class _Stop(Exception):
    """The search passed ``BIT_NODES`` steps."""


def bit_covers(masks: list, target: int, meter: Meter | None = None) -> list | None:
    """Every minimum cover of the rows ``target`` by the primes ``masks`` (Python ints), as sorted
    tuples of prime indices, the list sorted; ``[()]`` for no row; None when some row is covered
    by no prime (``minimal_covers`` then says so) or the search would take more than
    ``BIT_NODES`` steps (module docstring).  The steps, times the chart's primes and rows, are
    spent on ``meter``."""
    if not target:
        return [()]
    masks = [m & target for m in masks]
    union = 0
    for m in masks:
        union |= m
    if union != target:
        return None
    by_row: dict = {}                    # each row's primes, ascending
    for i, m in enumerate(masks):
        while m:
            low = m & -m
            by_row.setdefault(low, []).append(i)
            m ^= low
    forced = sorted({c[0] for c in by_row.values() if len(c) == 1})   # in every cover
    rest = target
    for i in forced:
        rest &= ~masks[i]
    widest = max(m.bit_count() for m in masks)
    steps = [0]
    for size in range(-(-rest.bit_count() // widest), len(masks) + 1):
        found: list = []
        try:
            _search(masks, by_row, widest, rest, 0, tuple(forced), size, found, steps)
        except _Stop:
            return None
        if found:
            if meter is not None:
                meter.spend(steps[0] * (len(masks) + target.bit_count()))
            return sorted(tuple(sorted(c)) for c in found)
    return None


def _search(masks, by_row, widest, rest, banned, chosen, left, found, steps) -> None:
    """Every set of ``left`` more primes (none of ``banned``, a bit per prime) that covers the
    rows ``rest``, added to ``chosen`` and appended to ``found``."""
    if not rest:
        found.append(chosen)
        return
    if left * widest < rest.bit_count():
        return
    candidates = by_row[rest & -rest]
    steps[0] += len(candidates)
    if steps[0] > BIT_NODES:
        raise _Stop
    if left == 1:                         # the last prime must cover every row left
        found.extend(chosen + (i,) for i in candidates if not (banned >> i) & 1 and not rest & ~masks[i])
        return
    for i in candidates:
        bit = 1 << i
        if not banned & bit:
            banned |= bit                 # in this branch; left out of the branches after it
            _search(masks, by_row, widest, rest & ~masks[i], banned, chosen + (i,), left - 1, found, steps)


def depth_of_bits(levels: list, masks: list, target: int, k: int) -> int:
    """The complexity up to which R's CCubes search collects primes, from each prime's number of
    literals ``levels`` and the rows to explain it covers ``masks`` (Python ints); ``target``:
    all of those rows; ``k`` conditions.  The rule of ``chart.depth_of_levels`` (CCubes stops two
    consecutive levels without a new prime after the primes found cover every row to explain;
    Dusa 2018).

    >>> depth_of_bits([1, 2], [0b01, 0b10], 0b11, 5)
    4
    """
    covered, counter = 0, 0
    for depth in range(1, k + 1):
        here = False
        for level, m in zip(levels, masks):
            if level == depth:
                covered |= m
                here = True
        if covered & target == target:
            counter = 0 if here else counter + 1
        if counter > 1:
            return depth
    return k
