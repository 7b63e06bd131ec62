"""The robustness section of a study file: which alternatives the robustness tests try.

``robustness:`` in a study file (every key optional):

====================== =========================================================== =========
key                    meaning                                                     default
====================== =========================================================== =========
``anchor_percentiles`` test solutions with every condition's anchors at these       none
                       sample percentiles, e.g. ``[[10, 50, 90]]``
``incl_cut``           test solutions at these consistency cut-offs                 none
``pri_cut``            ... PRI cut-offs                                             none
``n_cut``              ... frequency cut-offs                                       none
``drop_cases``         a test solution with each case dropped in turn (with more     false
                       than ``drop_cases_max`` cases: that many, drawn at random,
                       seed ``DROP_SEED``, and the tests say so)
``drop_cases_max``     the most case-deletion tests                                 200
``anchor_steps``       sensitivity ranges: an anchor's step as a share of the       0.05
                       measure's codebook range
``cut_steps``          steps of ``incl_cut``, ``pri_cut``, ``n_cut``                 0.01, 0.01, 1
``max_steps``          steps tried in each direction                                10
``subsamples``         qcaERT's repeated subsampling: ``{draws: 10, share: 0.9}``,  none
                       test solutions on seeded random subsets of the cases
``condition_sets``     alternative condition sets: ``{drop_one: true, sets: {name:  none
                       [A, B, C]}}``: each condition left out in turn, and
                       theory-specific sets
``random_draws``       random draws of the settings: ``{draws: 10, anchor_shift:    none
                       0.05, incl_cut: [0.75, 0.85], pri_cut: [...], n_cut: [1,
                       2]}``: every condition's anchors moved together by a
                       uniform share of its codebook range within
                       ±``anchor_shift``, each cut-off uniform within its range
``seed``               the seed of the subsamples and the random draws              DROP_SEED
====================== =========================================================== =========

``ROBUSTNESS`` is this table in ``analysis.schema``'s terms; the cut-off values are those of
``analysis.parameters``, and ``STEP``, ``KEPT`` and ``condition_sets`` serve the multiverse too.

>>> read_settings({"subsamples": {"share": 1.5}}, "study.yml: robustness")
Traceback (most recent call last):
...
analysis.schema.SchemaError: study.yml: robustness.subsamples.share: got 1.5; must lie strictly between 0 and 1
>>> read_settings({"incl_cut": [0.75], "drop_cases": True}, "study.yml: robustness").max_steps
10
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import parameters
from ..schema import (AT_LEAST_ONE, FLAG, SEED, Fields, Integral, Interval, ListOf, MappingOf, Names, Real, Ref, fail,
                      show, validate)

__all__ = ["DROP_SEED", "KEYS", "RobustnessSettings", "STEP", "KEPT", "condition_sets", "read_settings", "ROBUSTNESS"]

DROP_SEED = 20250101       # the seed of the sample of cases dropped when there are more than drop_cases_max
DEFAULT_CUT_STEPS = {"incl_cut": 0.01, "pri_cut": 0.01, "n_cut": 1}


@dataclass(frozen=True)
class RobustnessSettings:
    """The alternatives of the robustness tests (see the module docstring)."""

    anchor_percentiles: tuple = ()
    incl_cut: tuple = ()
    pri_cut: tuple = ()
    n_cut: tuple = ()
    drop_cases: bool = False
    drop_cases_max: int = 200
    anchor_steps: float = 0.05
    cut_steps: dict = field(default_factory=lambda: dict(DEFAULT_CUT_STEPS))
    max_steps: int = 10
    subsample_draws: int = 0
    subsample_share: float = 0.9
    drop_one_condition: bool = False
    condition_sets: dict = field(default_factory=dict)
    random_draws: int = 0
    random_ranges: dict = field(default_factory=dict)      # anchor_shift, incl_cut, pri_cut, n_cut
    seed: int = DROP_SEED


STEP = Interval(Real, 0, 0.5, closed="neither")     # a step or shift, as a share of a measure's codebook range
KEPT = Interval(Real, 0, 1, closed="neither")       # the share of the cases a subsample keeps
DRAWS = Interval(Integral, 1, 10_000)


def condition_sets(noun: str = "condition") -> Fields:
    """``{drop_one: true, sets: {name: [A, B, C]}}``: each condition left out in turn, and named
    sets of the study's conditions (here ``condition_sets``, the multiverse's ``conditions``);
    ``noun`` names an unknown member in the message.

    >>> validate({"sets": {"t": ["A", "Z"]}}, condition_sets(), "s.yml: robustness.condition_sets", conditions=["A"])
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: s.yml: robustness.condition_sets.sets.t: unknown condition(s) Z; allowed: A
    """
    return Fields({"drop_one": FLAG, "sets": MappingOf(Names(known=Ref("conditions"), noun=noun),
                                                       into=lambda sets: {str(k): tuple(v) for k, v in sets.items()})})


def _increasing(q, where, context):
    if not 0 <= q[0] < q[1] < q[2] <= 100:
        fail(where, f"{show(list(q))} is not three increasing percentiles", "give [low, middle, high] within [0, 100]")


def _settings(s: dict) -> RobustnessSettings:
    sub, sets, draws = s.get("subsamples") or {}, s.get("condition_sets", {}), s.get("random_draws") or {}
    return RobustnessSettings(
        anchor_percentiles=s.get("anchor_percentiles", ()), **{k: s[k] for k in parameters.CUTS},
        drop_cases=s.get("drop_cases", False), drop_cases_max=s.get("drop_cases_max", 200),
        anchor_steps=s.get("anchor_steps", 0.05), cut_steps={**DEFAULT_CUT_STEPS, **s.get("cut_steps", {})},
        max_steps=s.get("max_steps", 10),
        **({"subsample_draws": sub.get("draws", 10), "subsample_share": sub.get("share", 0.9)} if sub else {}),
        drop_one_condition=sets.get("drop_one", False), condition_sets=sets.get("sets", {}),
        **({"random_draws": draws.get("draws", 10),
            "random_ranges": {"anchor_shift": draws.get("anchor_shift", 0.0),
                              **{k: draws[k] for k in parameters.CUTS if k in draws}}} if draws else {}),
        seed=s.get("seed", DROP_SEED))


ROBUSTNESS = Fields({
    "anchor_percentiles": ListOf(ListOf(Interval(Real, 0, 100, keep=True), length=3, rules=(_increasing,), into=tuple,
                                        what="three increasing percentiles [low, middle, high]"), into=tuple),
    **parameters.CUT_LISTS,
    "drop_cases": FLAG,
    "drop_cases_max": Interval(Integral, 1, 100_000),
    "anchor_steps": STEP,
    "cut_steps": Fields({"incl_cut": STEP, "pri_cut": STEP, "n_cut": AT_LEAST_ONE}),
    "max_steps": Interval(Integral, 1, 100),
    "subsamples": Fields({"draws": DRAWS, "share": KEPT}),
    "condition_sets": condition_sets(),
    "random_draws": Fields({"draws": DRAWS, "anchor_shift": STEP, **parameters.CUT_RANGES}),
    "seed": SEED,
}, into=_settings, default=RobustnessSettings())
KEYS = tuple(ROBUSTNESS.fields)


def read_settings(value, where: str, conditions=None) -> RobustnessSettings:
    """The robustness section ``value`` (a mapping, or None) checked against the study's
    ``conditions``; ``where`` names it in every message (e.g. ``data/ppip/study.yml: robustness``)."""
    return RobustnessSettings() if value is None else validate(value, ROBUSTNESS, where, conditions=conditions)
