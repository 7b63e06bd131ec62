"""The plan of the robustness tests: which test solutions and which sensitivity ranges
(Oana & Schneider 2024, parts 1 and 2 of the protocol; ``analysis.robustness``).

``alternatives`` lists the test solutions a study's robustness settings name (TS1..TSk);
``range_plan`` the parameters whose sensitivity ranges are sought, each with its step and its
allowed values; ``steps`` the values one range tries in one direction.

>>> from analysis.robustness.settings import RobustnessSettings
>>> plan = range_plan(RobustnessSettings(), {"A": (2.0, 4.0, 6.0)}, {"A": (1, 7)},
...                   {"incl_cut": 0.8, "pri_cut": 0.7, "n_cut": 1}, n_cases=20)
>>> [(p.parameter, round(p.step, 2)) for p in plan]
[('A exclusion', 0.3), ('A crossover', 0.3), ('A inclusion', 0.3), ('incl_cut', 0.01), ('pri_cut', 0.01), ('n_cut', 1)]
>>> steps(plan[1], +1, max_steps=10)[0][:2]
[(1, 4.3), (2, 4.6)]
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..parameters import CUTS, THRESHOLDS
from ..qca import percentile_anchors
from .settings import DROP_SEED, RobustnessSettings

__all__ = ["ANCHORS", "KINDS", "KIND_ORDER", "Alternative", "RangeParameter", "alternatives", "dropped_cases",
           "qcaert_alternatives", "range_plan", "steps", "subsample"]

ANCHORS = ("exclusion", "crossover", "inclusion")
#: The kind of each test solution, by what it changes, in the order the findings report them: a
#: claim's robustness is reported per kind, so that many tests of one kind (36 case deletions)
#: cannot outvote a few of another (two cut-offs).
KINDS = {"anchors": "calibration", "incl_cut": "cut-offs", "pri_cut": "cut-offs", "n_cut": "cut-offs",
         "drop": "case deletion", "subsample": "subsamples", "conditions": "condition sets",
         "random": "random draws"}
KIND_ORDER = tuple(dict.fromkeys(KINDS.values()))


@dataclass(frozen=True)
class Alternative:
    """One test solution: what changes against the initial analysis."""

    name: str                      # TS1, TS2, ...
    change: str                    # "anchors", "incl_cut", "pri_cut", "n_cut", "drop", "subsample",
    #                                "conditions", "random"
    description: str
    anchors: dict = None           # condition -> (e, c, i), replacing the study's
    incl_cut: float = None
    pri_cut: float = None
    n_cut: int = None
    drop: tuple = ()
    conditions: tuple = None       # another condition set (None: the study's)

    @property
    def kind(self) -> str:
        """The kind of test (``KINDS``): calibration, cut-offs, case deletion, subsamples,
        condition sets or random draws."""
        return KINDS[self.change]


@dataclass(frozen=True)
class RangeParameter:
    """One parameter whose sensitivity range is sought."""

    parameter: str                 # "CONTRACT exclusion", "incl_cut", ...
    measure: str                   # condition name, or "" for a cut-off
    which: str                     # exclusion / crossover / inclusion / incl_cut / pri_cut / n_cut
    value: float
    step: float
    low: float                     # allowed values
    high: float
    anchors: tuple = None          # the condition's chosen anchors

    def candidate(self, j: int, direction: int):
        """The value ``j`` steps away (direction -1 or +1), or None outside the allowed values."""
        v = round(self.value + direction * j * self.step, 10)
        if self.which == "n_cut":
            v = int(round(v))
        if not self.low <= v <= self.high:
            return None
        if self.anchors is not None:
            new = list(self.anchors)
            new[ANCHORS.index(self.which)] = v
            e, c, i = new
            increasing = self.anchors[0] < self.anchors[2]
            if not ((e < c < i) if increasing else (e > c > i)):
                return None
        return v


def alternatives(settings: RobustnessSettings, anchors: dict, cuts: dict, measures: pd.DataFrame, cases,
                 scales: dict | None = None) -> list:
    """The test solutions ``settings`` name, numbered TS1..TSk.

    ``anchors`` maps each condition to its chosen (exclusion, crossover, inclusion), whose order
    says whether the set is increasing; ``cuts`` holds the initial ``incl_cut``, ``pri_cut``,
    ``n_cut`` (an alternative equal to them is no test); ``measures`` the raw measures (for the
    percentile anchors); ``cases`` the case ids (for dropping each in turn).
    """
    specs = []
    for q in settings.anchor_percentiles:
        moved = {c: percentile_anchors(measures[c].to_numpy(dtype=float), q=q, increasing=a[0] < a[2])
                 for c, a in anchors.items()}
        text = "/".join(f"{p:g}" for p in q)
        specs.append(Alternative("", "anchors", f"condition anchors at the {text} percentiles", anchors=moved))
    for key in CUTS:
        for v in getattr(settings, key):
            if v != cuts[key]:
                specs.append(Alternative("", key, f"{key} = {v:g}", **{key: v}))
    if settings.drop_cases:
        for case, note in dropped_cases(cases, settings.drop_cases_max):
            specs.append(Alternative("", "drop", f"case {case} dropped{note}", drop=(str(case),)))
    specs += qcaert_alternatives(settings, anchors, cuts, cases, scales)
    return [replace(spec, name=f"TS{i}") for i, spec in enumerate(specs, 1)]


def qcaert_alternatives(settings: RobustnessSettings, anchors: dict, cuts: dict, cases, scales=None) -> list:
    """The tests qcaERT adds to the protocol: repeated subsampling (seeded subsets of
    ``subsample_share`` of the cases), alternative condition sets (each condition left out,
    named sets) and random draws of the anchors and cut-offs within the study file's ranges.

    >>> from analysis.robustness.settings import RobustnessSettings
    >>> s = RobustnessSettings(subsample_draws=1, subsample_share=0.5, drop_one_condition=True)
    >>> [(a.change, a.description) for a in qcaert_alternatives(s, {"A": (1, 2, 3), "B": (1, 2, 3)},
    ...                                                          {}, ["p", "q", "r", "s"])]
    [('subsample', 'subsample 1: 2 of 4 cases (seed 20250101)'), ('conditions', 'without A'), ('conditions', 'without B')]
    """
    cases = [str(c) for c in cases]
    out = []
    for j in range(1, settings.subsample_draws + 1):
        kept = set(subsample(len(cases), settings.subsample_share, settings.seed, j).tolist())
        text = f"subsample {j}: {len(kept)} of {len(cases)} cases (seed {settings.seed})"
        out.append(Alternative("", "subsample", text, drop=tuple(c for i, c in enumerate(cases) if i not in kept)))
    conditions = list(anchors)
    if settings.drop_one_condition and len(conditions) > 1:
        out += [Alternative("", "conditions", f"without {c}", conditions=tuple(x for x in conditions if x != c))
                for c in conditions]
    for name, members in settings.condition_sets.items():
        out.append(Alternative("", "conditions", f"condition set {name}: {', '.join(members)}",
                               conditions=tuple(c for c in conditions if c in members)))
    rng = np.random.default_rng([settings.seed, 0])
    ranges = settings.random_ranges
    for j in range(1, settings.random_draws + 1):
        shift = ranges.get("anchor_shift", 0.0)
        moved = {}
        for c, a in anchors.items():
            d = float(rng.uniform(-shift, shift)) if shift else 0.0
            lo, hi = (scales or {}).get(c, (0.0, 0.0))
            moved[c] = tuple(round(v + d * (hi - lo), 6) for v in a)
        drawn = {}
        for key in CUTS:
            if key in ranges:
                lo, hi = ranges[key]
                drawn[key] = int(rng.integers(lo, hi + 1)) if key == "n_cut" else round(float(rng.uniform(lo, hi)), 3)
        text = ", ".join([f"anchors moved by up to {shift:g} of their range"] * bool(shift)
                         + [f"{k} = {v:g}" for k, v in drawn.items()])
        out.append(Alternative("", "random", f"random draw {j}: {text or 'the initial settings'}",
                               anchors=moved if shift else None, **drawn))
    return out


def subsample(n: int, share: float, seed: int, j: int) -> np.ndarray:
    """Subsample ``j`` of ``n`` cases: ``round(share * n)`` of them (at least one), drawn without
    replacement with ``numpy.random.default_rng([seed, j])``, as positions in the data's order
    (the one rule of qcaERT's repeated subsampling here, for the protocol and the multiverse).

    >>> subsample(10, 0.5, 1, 1).tolist() == subsample(10, 0.5, 1, 1).tolist(), len(subsample(10, 0.5, 1, 2))
    (True, 5)
    """
    keep = max(1, int(round(share * n)))
    return np.sort(np.random.default_rng([seed, j]).choice(n, size=keep, replace=False))


def dropped_cases(cases, most: int) -> list:
    """(case, note) for the case-deletion tests: every case, or, with more than ``most`` cases, a
    sample of ``most`` of them drawn with ``settings.DROP_SEED``, in the data's order, each noted
    as one of the sample (so the output says that not every case was dropped).

    >>> dropped_cases(["a", "b", "c"], 5)
    [('a', ''), ('b', ''), ('c', '')]
    >>> [c for c, _ in dropped_cases([f"k{i}" for i in range(10)], 3)]
    ['k0', 'k1', 'k4']
    """
    cases = [str(c) for c in cases]
    if len(cases) <= most:
        return [(c, "") for c in cases]
    chosen = np.sort(np.random.default_rng(DROP_SEED).choice(len(cases), size=most, replace=False))
    note = f" (one of {most} cases drawn at random from {len(cases)}, seed {DROP_SEED})"
    return [(cases[i], note) for i in chosen]


def range_plan(settings: RobustnessSettings, anchors: dict, scales: dict, cuts: dict, n_cases: int) -> list:
    """The anchors of every condition and the three cut-offs, with their steps and limits.

    An anchor's step is ``settings.anchor_steps`` of its measure's codebook range (``scales``:
    condition -> (min, max)); the cut-offs move by ``settings.cut_steps`` within the thresholds'
    allowed values (``analysis.parameters``) and, for ``n_cut``, up to the number of cases.
    """
    out = []
    for c, chosen in anchors.items():
        lo, hi = scales[c]
        step = settings.anchor_steps * (hi - lo)
        for which, v in zip(ANCHORS, chosen):
            out.append(RangeParameter(f"{c} {which}", c, which, float(v), step, lo, hi, anchors=tuple(chosen)))
    for key in ("incl_cut", "pri_cut"):
        t = THRESHOLDS[key]
        out.append(RangeParameter(key, "", key, float(cuts[key]), float(settings.cut_steps[key]), t.low, t.high))
    out.append(RangeParameter("n_cut", "", "n_cut", int(cuts["n_cut"]), int(settings.cut_steps["n_cut"]), 1, n_cases))
    return out


def steps(p: RangeParameter, direction: int, max_steps: int) -> tuple:
    """([(j, value)] for j = 1, 2, ... while allowed, and how the list ends: limit / max_steps)."""
    values = []
    for j in range(1, max_steps + 1):
        v = p.candidate(j, direction)
        if v is None:
            return values, "limit"
        values.append((j, v))
    return values, "max_steps"


