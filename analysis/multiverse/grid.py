"""The grid of specifications: one choice per dimension, every combination numbered.

Each dimension of the multiverse (``Choice``) has a short list of values: an anchor shift for
every set, each cut-off, the cases, the conditions.  A *specification* takes one value of each,
and the grid holds every combination: its size is the product of the dimensions' lengths.
Specifications are numbered 0 .. size-1 in mixed radix (the last dimension changes fastest),
so that a specification is known from its number alone: chunks of numbers can be handed to any
worker, sampled, and resumed without the grid ever being held in memory.

>>> g = Grid((Choice("incl_cut", "cut", (0.75, 0.8), "incl_cut"), Choice("n_cut", "cut", (1, 2), "n_cut")))
>>> g.size, g.decode([0, 1, 3]).tolist()
(4, [[0, 0], [0, 1], [1, 1]])
>>> g.labels(2)
{'incl_cut': 0.8, 'n_cut': 1}
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import StudyError

__all__ = ["Choice", "Grid", "build_grid", "sample"]


@dataclass(frozen=True)
class Choice:
    """One dimension of the multiverse: its name, what it changes, its values."""

    name: str            # "anchors MPV", "incl_cut", "cases", "conditions"
    kind: str            # "anchors", "cut", "cases" or "conditions"
    values: tuple        # shift (anchors), value (cut), label (cases, conditions)
    target: str = ""     # the set (anchors) or the cut-off (cut)


@dataclass(frozen=True)
class Grid:
    """Every combination of the choices' values (module docstring)."""

    choices: tuple

    @property
    def shape(self) -> tuple:
        return tuple(len(c.values) for c in self.choices)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=object))

    def decode(self, numbers) -> np.ndarray:
        """The value index of every dimension for each specification number (rows)."""
        numbers = np.asarray(numbers, dtype=np.int64)
        out = np.empty((len(numbers), len(self.choices)), dtype=np.int64)
        rest = numbers.copy()
        for j in range(len(self.choices) - 1, -1, -1):
            out[:, j] = rest % self.shape[j]
            rest //= self.shape[j]
        return out

    def labels(self, number: int) -> dict:
        """A specification's value of every dimension, by dimension name."""
        idx = self.decode([number])[0]
        return {c.name: c.values[i] for c, i in zip(self.choices, idx)}


def build_grid(settings, study_sets, cuts: dict, cases, conditions) -> Grid:
    """The grid of ``settings`` (``MultiverseSettings``): an anchor dimension for each set in
    ``study_sets`` (or ``settings.sets``) when more than one shift is named, the cut-offs
    (the study's ``cuts`` when not named), the cases and the condition sets."""
    choices = []
    if len(settings.anchor_shifts) > 1:
        for s in settings.sets or study_sets:
            choices.append(Choice(f"anchors {s}", "anchors", settings.anchor_shifts, s))
    for key in ("incl_cut", "pri_cut", "n_cut"):
        choices.append(Choice(key, "cut", tuple(getattr(settings, key)) or (cuts[key],), key))
    case_values = ["all"]
    if settings.leave_one_out:
        case_values += [f"-{c}" for c in cases]
    case_values += [f"subsample {j}" for j in range(1, settings.subsamples + 1)]
    choices.append(Choice("cases", "cases", tuple(case_values)))
    cond_values = ["all"]
    if settings.drop_one:
        cond_values += [f"-{c}" for c in conditions]
    cond_values += list(settings.condition_sets)
    if len(set(cond_values)) != len(cond_values):
        raise StudyError("multiverse: a named condition set is called like another condition choice "
                       f"({', '.join(cond_values)}); rename it")
    choices.append(Choice("conditions", "conditions", tuple(cond_values)))
    return Grid(tuple(choices))


def sample(grid: Grid, size: int, seed: int) -> tuple:
    """The specification numbers to run: every one (``range``) when the grid has at most ``size``,
    else ``size`` of them drawn without replacement (seeded), in increasing order; and whether
    it is a sample.

    >>> g = Grid((Choice("a", "cut", tuple(range(10))),))
    >>> sample(g, 20, 1)
    (range(0, 10), False)
    >>> numbers, sampled = sample(g, 3, 1); sampled, len(numbers)
    (True, 3)
    """
    if grid.size <= size:
        return range(grid.size), False
    rng = np.random.default_rng(seed)
    if grid.size <= 50_000_000:
        chosen = rng.choice(grid.size, size=size, replace=False)
    else:                       # too many to permute: draw with rejection of repeats
        seen: set = set()
        while len(seen) < size:
            seen.update(int(v) for v in rng.integers(0, grid.size, size=size - len(seen)))
        chosen = np.fromiter(seen, dtype=np.int64)
    return np.sort(np.asarray(chosen, dtype=np.int64)), True
