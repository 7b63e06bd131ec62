"""The thresholds of a run: their one schema, for the study file, ``--set`` and the notebooks.

An fsQCA run has five thresholds (Schneider & Wagemann 2012, ch. 5, 7 and 9; Dusa 2019, ch. 5
and 7): a truth-table row is positive when its consistency reaches ``incl_cut`` and its PRI
``pri_cut``, and a remainder when it holds fewer than ``n_cut`` cases; a condition counts as
necessary when its inclN reaches ``necessity_incl`` and its RoN ``necessity_ron``.  The study
file states them (``thresholds:``); ``python -m analysis.pipeline --set name=value`` and the
notebooks' parameters cells change them for one run; the robustness tests and the multiverse
list alternatives to them.  Every value, wherever it comes from, is checked against its one
constraint in ``THRESHOLDS`` (``analysis.schema``):

==================  =============  ===========================================================
name                allowed        why
==================  =============  ===========================================================
``incl_cut``        [0.5, 1]       below 0.5 a row is more inconsistent than consistent: no
                                   sufficiency claim can rest on it
``pri_cut``         [0, 1]
``n_cut``           1, 2, ...      a row with no case is always a remainder
``necessity_incl``  [0.5, 1]       as ``incl_cut``, for necessity
``necessity_ron``   [0, 1]
==================  =============  ===========================================================

A value may be written as text (``--set incl_cut=0.85``, a notebook parameter).

>>> check("incl_cut", "0.85")
0.85
>>> parse_sets(["n_cut=2"])
{'n_cut': 2}
>>> check("incl_cut", 0.3, "study.yml: thresholds.incl_cut")
Traceback (most recent call last):
...
analysis.schema.SchemaError: study.yml: thresholds.incl_cut: got 0.3; must lie in [0.5, 1] (the sufficiency ...)
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

from .schema import AT_LEAST_ONE, SHARE, Fields, Interval, ListOf, Real, fail, validate

__all__ = ["Threshold", "THRESHOLDS", "CUTS", "TABLE", "CUT_LISTS", "CUT_RANGES", "check", "read_thresholds", "resolve",
           "parse_sets"]

CONSISTENCY = Interval(Real, 0.5, 1)      # below 0.5 a row or condition is more inconsistent than consistent


@dataclass(frozen=True)
class Threshold:
    """One threshold: its name, its constraint (range and kind) and its meaning."""

    name: str
    constraint: Interval
    meaning: str

    def __post_init__(self):
        object.__setattr__(self, "constraint", self.constraint.but(text=True, note=self.meaning))

    @property
    def kind(self) -> str:
        """"number" or "integer"."""
        return "integer" if self.constraint.kind is Integral else "number"

    @property
    def low(self):
        return self.constraint.low

    @property
    def high(self):
        """The upper bound (None: none)."""
        return self.constraint.high


THRESHOLDS = {t.name: t for t in (
    Threshold("incl_cut", CONSISTENCY, "the sufficiency consistency a truth table row needs for OUT = 1"),
    Threshold("pri_cut", SHARE, "the PRI a truth table row needs for OUT = 1"),
    Threshold("n_cut", AT_LEAST_ONE, "the cases a row needs not to be a logical remainder"),
    Threshold("necessity_incl", CONSISTENCY, "the inclN a condition needs to count as necessary"),
    Threshold("necessity_ron", SHARE, "the RoN a necessary condition needs to be relevant"),
)}
CUTS = ("incl_cut", "pri_cut", "n_cut")       # the thresholds of a truth table
TABLE = Fields({name: t.constraint for name, t in THRESHOLDS.items()}, required=tuple(THRESHOLDS))




def _lowest_first(pair, where, context):
    if pair[0] > pair[1]:
        fail(where, f"lowest {pair[0]:g} is above highest {pair[1]:g}", "give [lowest, highest]")


# the alternatives the robustness tests and the multiverse try: lists of values, and [lowest, highest] ranges
CUT_LISTS = {k: ListOf(THRESHOLDS[k].constraint, unique=True, into=tuple, default=()) for k in CUTS}
CUT_RANGES = {k: ListOf(THRESHOLDS[k].constraint, length=2, rules=(_lowest_first,), into=tuple,
                        what="[lowest, highest]") for k in CUTS}


def _parameter(name, where: str = ""):
    if name not in THRESHOLDS:
        fail(where, f"unknown parameter {name!r}", f"allowed: {', '.join(THRESHOLDS)}")
    return THRESHOLDS[name]


def check(name, value, where: str = ""):
    """``value`` as the threshold ``name`` (a float, or an int for ``n_cut``; text is read as a
    number); otherwise a ``SchemaError`` naming ``where`` (e.g. ``study.yml: thresholds.incl_cut``)
    or the parameter, its allowed values and its meaning."""
    return validate(value, _parameter(name, where).constraint, where or f"parameter {name}")


def read_thresholds(value, where: str) -> dict:
    """The study file's ``thresholds:`` mapping, every threshold present and checked."""
    return validate(value, TABLE, where)


def resolve(thresholds: dict, **given) -> dict:
    """The thresholds of a run: ``thresholds`` (the study's), replaced by any given (not None)
    value, every value checked."""
    for name in given:
        _parameter(name)
    return {name: check(name, thresholds[name] if given.get(name) is None else given[name])
            for name in THRESHOLDS}


def parse_sets(items) -> dict:
    """``--set NAME=VALUE`` items as {name: checked value}; a name given twice is refused (which
    value was meant cannot be known)."""
    out, given = {}, {}
    for item in items or []:
        if "=" not in item:
            fail("--set", f"got {item!r}", f"write NAME=VALUE with NAME one of {', '.join(THRESHOLDS)}")
        name, value = (s.strip() for s in item.split("=", 1))
        if name in given:
            fail(f"--set {name}", f"given twice ({given[name]!r} and {value!r})", "give each parameter once")
        given[name] = value
        out[name] = validate(value, _parameter(name, "--set").constraint, f"--set {name}")
    return out
