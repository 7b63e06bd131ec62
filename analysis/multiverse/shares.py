"""Which worker evaluates which specification: shares of every chunk by the choices that decide
the codings, so that the workers' caches do not overlap.

Each worker keeps its own cache of solved codings (``analysis.coded``, ``analysis.multiverse.
codings``): when chunks go to whichever worker is free, every worker meets most codings of the
multiverse and solves them again (20,000 PPIP specifications on two workers: 30,744 solves of
21,919 distinct codings).  A coding's key holds the analysis' conditions, and its rows' codes
depend on the cut-offs, so codings of specifications that differ in the condition set or in a
cut-off rarely coincide (the same 20,000: 22,361 solves when each combination of conditions and
cut-offs has one worker).  ``Shares`` gives each combination (a *group*) to one of the workers,
the same for every chunk, and splits each chunk into one share per worker; the run puts the
rows back in the chunk's order, so the chunk's bytes do not depend on the split.

The groups are balanced by an estimate of their work, the same for any sample: every group holds
as many of the grid's specifications (the other choices' combinations), so its work is taken as
2^k for its k conditions (a truth table's rows); the largest go first, each to the least loaded
worker (ties: the lower group, the lower worker).

>>> from analysis.multiverse.grid import Choice, Grid
>>> g = Grid((Choice("incl_cut", "cut", (0.75, 0.8), "incl_cut"), Choice("cases", "cases", ("all", "-a")),
...           Choice("conditions", "conditions", ("all", "-A"))))
>>> s = Shares(g, (("A", "B"), ("B",)), 2)
>>> [part.tolist() for part in s.split(np.arange(8))]
[[0, 1, 2, 3], [4, 5, 6, 7]]
"""
from __future__ import annotations

import numpy as np

__all__ = ["Shares"]

DECIDING = ("conditions", "incl_cut", "pri_cut", "n_cut")       # the choices that a coding depends on


class Shares:
    """The worker of every specification of ``grid`` among ``workers`` (module docstring);
    ``condition_sets``: the conditions of each value of the ``conditions`` choice."""

    def __init__(self, grid, condition_sets, workers: int):
        self.grid, self.workers = grid, max(1, int(workers))
        names = [c.name for c in grid.choices]
        self.columns = [names.index(n) for n in DECIDING if n in names]
        self.shape = tuple(grid.shape[j] for j in self.columns)
        groups = int(np.prod(self.shape, dtype=np.int64))
        weight = np.ones(groups)
        if "conditions" in names:
            k = np.array([len(c) for c in condition_sets], dtype=float)
            per_value = np.exp2(k)
            weight = per_value[np.unravel_index(np.arange(groups), self.shape)[0]]
        load = np.zeros(self.workers)
        self.owner = np.zeros(groups, dtype=np.int64)
        for g in sorted(range(groups), key=lambda g: (-weight[g], g)):
            w = int(np.argmin(load))
            self.owner[g] = w
            load[w] += weight[g]

    def of(self, numbers) -> np.ndarray:
        """The worker of each specification number."""
        idx = self.grid.decode(numbers)
        if not self.columns:
            return np.zeros(len(idx), dtype=np.int64)
        return self.owner[np.ravel_multi_index(tuple(idx[:, j] for j in self.columns), self.shape)]

    def split(self, numbers) -> list:
        """The positions in ``numbers`` (one chunk) of each worker's share, in order."""
        owner = self.of(numbers)
        return [np.flatnonzero(owner == w) for w in range(self.workers)]
