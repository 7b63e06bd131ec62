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

>>> read_settings({"incl_cut": [0.75], "drop_cases": True}, "study.yml: robustness").max_steps
10
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import parameters
from ..qca import QCAError

__all__ = ["DROP_SEED", "KEYS", "RobustnessSettings", "flag", "fraction", "keyed_mapping", "read_settings"]

KEYS = ("anchor_percentiles", "incl_cut", "pri_cut", "n_cut", "drop_cases", "drop_cases_max", "anchor_steps",
        "cut_steps", "max_steps", "subsamples", "condition_sets", "random_draws", "seed")
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


def _fail(where, msg):
    raise QCAError(f"{where}: {msg}")


def _whole(value, low, high) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _share(where, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 0.5:
        _fail(where, f"must lie strictly between 0 and 0.5, got {value!r}")
    return float(value)


def _list(where, value) -> list:
    if not isinstance(value, list):
        _fail(where, f"must be a list, got {value!r}")
    return value


def read_settings(value, where: str, conditions=None) -> RobustnessSettings:
    """The robustness section ``value`` (a mapping, or None), checked; ``where`` names it in
    every message (e.g. ``data/ppip/study.yml: robustness``)."""
    if value is None:
        return RobustnessSettings()
    if not isinstance(value, dict):
        _fail(where, "must be a mapping")
    unknown = [str(k) for k in value if k not in KEYS]
    if unknown:
        _fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(KEYS)}")
    percentiles = []
    for q in _list(f"{where}.anchor_percentiles", value.get("anchor_percentiles", [])):
        if (not isinstance(q, list) or len(q) != 3
                or not all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in q)
                or not 0 <= q[0] < q[1] < q[2] <= 100):
            _fail(f"{where}.anchor_percentiles", f"each entry must be three increasing percentiles, got {q!r}")
        percentiles.append(tuple(q))
    cuts = {key: tuple(parameters.check(key, v, f"{where}.{key}") for v in _list(f"{where}.{key}", value.get(key, [])))
            for key in parameters.CUTS}
    if "drop_cases" in value:
        flag(f"{where}.drop_cases", value["drop_cases"])
    steps = value.get("cut_steps", {})
    if not isinstance(steps, dict) or any(k not in parameters.CUTS for k in steps):
        _fail(f"{where}.cut_steps", f"must map incl_cut, pri_cut and/or n_cut to a step, got {steps!r}")
    cut_steps = dict(DEFAULT_CUT_STEPS)
    for key in ("incl_cut", "pri_cut"):
        if key in steps:
            cut_steps[key] = _share(f"{where}.cut_steps.{key}", steps[key])
    if "n_cut" in steps:
        if not _whole(steps["n_cut"], 1, float("inf")):
            _fail(f"{where}.cut_steps.n_cut", f"must be a whole number of at least 1, got {steps['n_cut']!r}")
        cut_steps["n_cut"] = steps["n_cut"]
    drop_max = value.get("drop_cases_max", 200)
    if not _whole(drop_max, 1, 100_000):
        _fail(f"{where}.drop_cases_max", f"must be a whole number from 1 to 100000, got {drop_max!r}")
    max_steps = value.get("max_steps", 10)
    if not _whole(max_steps, 1, 100):
        _fail(f"{where}.max_steps", f"must be a whole number from 1 to 100, got {max_steps!r}")
    extra = _qcaert_tests(value, where)
    for name, members in extra["condition_sets"].items():
        unknown = [c for c in members if conditions is not None and c not in conditions]
        if unknown:
            _fail(f"{where}.condition_sets.sets.{name}", f"unknown condition(s) {', '.join(unknown)}; "
                                                         f"the study's: {', '.join(conditions)}")
    return RobustnessSettings(anchor_percentiles=tuple(percentiles), **cuts, **extra,
                              drop_cases=bool(value.get("drop_cases", False)), drop_cases_max=drop_max,
                              anchor_steps=_share(f"{where}.anchor_steps", value["anchor_steps"])
                              if "anchor_steps" in value else 0.05,
                              cut_steps=cut_steps, max_steps=max_steps)


def flag(where, value) -> bool:
    """A true/false setting; ``where`` names it in the error."""
    if not isinstance(value, bool):
        _fail(where, "must be true or false")
    return value


def fraction(where, value) -> float:
    """A share strictly between 0 and 1 (of the cases kept by a subsample); ``where`` names it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        _fail(where, f"must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def keyed_mapping(where, value, keys) -> dict:
    """``value`` checked to be a mapping with no key outside ``keys``; ``where`` names it."""
    if not isinstance(value, dict):
        _fail(where, f"must be a mapping of {', '.join(keys)}, got {value!r}")
    unknown = [str(k) for k in value if k not in keys]
    if unknown:
        _fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(keys)}")
    return value


def _range(where, value, key) -> tuple:
    if not isinstance(value, list) or len(value) != 2:
        _fail(where, f"must be [lowest, highest], got {value!r}")
    lo, hi = (parameters.check(key, v, where) for v in value)
    if lo > hi:
        _fail(where, f"lowest {lo:g} is above highest {hi:g}")
    return lo, hi


def _qcaert_tests(value, where) -> dict:
    """The qcaERT-style tests: subsamples, condition sets, random draws (module docstring)."""
    out = {}
    sub = keyed_mapping(f"{where}.subsamples", value.get("subsamples", {}), ("draws", "share"))
    if sub:
        if not _whole(sub.get("draws", 10), 1, 10_000):
            _fail(f"{where}.subsamples.draws", f"must be a whole number from 1 to 10000, got {sub.get('draws')!r}")
        out.update(subsample_draws=sub.get("draws", 10),
                   subsample_share=fraction(f"{where}.subsamples.share", sub.get("share", 0.9)))
    cs = keyed_mapping(f"{where}.condition_sets", value.get("condition_sets", {}), ("drop_one", "sets"))
    flag(f"{where}.condition_sets.drop_one", cs.get("drop_one", False))
    sets = cs.get("sets", {})
    if not isinstance(sets, dict) or not all(isinstance(v, list) and v and all(isinstance(c, str) for c in v)
                                             for v in sets.values()):
        _fail(f"{where}.condition_sets.sets", f"must map a name to a list of conditions, got {sets!r}")
    out.update(drop_one_condition=bool(cs.get("drop_one", False)),
               condition_sets={str(k): tuple(v) for k, v in sets.items()})
    rd = keyed_mapping(f"{where}.random_draws", value.get("random_draws", {}),
                  ("draws", "anchor_shift", "incl_cut", "pri_cut", "n_cut"))
    if rd:
        if not _whole(rd.get("draws", 10), 1, 10_000):
            _fail(f"{where}.random_draws.draws", f"must be a whole number from 1 to 10000, got {rd.get('draws')!r}")
        ranges = {"anchor_shift": _share(f"{where}.random_draws.anchor_shift", rd["anchor_shift"])
                  if "anchor_shift" in rd else 0.0}
        ranges.update({k: _range(f"{where}.random_draws.{k}", rd[k], k) for k in parameters.CUTS if k in rd})
        out.update(random_draws=rd.get("draws", 10), random_ranges=ranges)
    if "seed" in value and not _whole(value["seed"], 0, 2 ** 32 - 1):
        _fail(f"{where}.seed", f"must be a whole number from 0 to 2**32-1, got {value['seed']!r}")
    out["seed"] = value.get("seed", DROP_SEED)
    return out
