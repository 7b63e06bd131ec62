"""The thresholds of a run: their one schema, for the study file, ``--set`` and the notebooks.

An fsQCA run has five thresholds (Schneider & Wagemann 2012, ch. 5, 7 and 9; Dusa 2019, ch. 5
and 7): a truth-table row is positive when its consistency reaches ``incl_cut`` and its PRI
``pri_cut``, and a remainder when it holds fewer than ``n_cut`` cases; a condition counts as
necessary when its inclN reaches ``necessity_incl`` and its RoN ``necessity_ron``.  The study
file states them (``thresholds:``); ``python -m analysis.pipeline --set name=value`` and the
notebooks' parameters cells change them for one run.  Every value, wherever it comes from, is
checked by ``check`` against ``THRESHOLDS``:

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

The value itself is checked by the engine's rules (``analysis.qca.truthtable.check_cut`` and
``check_n_cut``), with this schema's range and a label that says where the value came from.

>>> check("incl_cut", "0.85")
0.85
>>> parse_sets(["n_cut=2"])
{'n_cut': 2}
"""
from __future__ import annotations

from dataclasses import dataclass

from .qca import QCAError
from .qca.truthtable import check_cut, check_n_cut

__all__ = ["Threshold", "THRESHOLDS", "CUTS", "check", "read_thresholds", "resolve", "parse_sets"]


@dataclass(frozen=True)
class Threshold:
    """One threshold of the schema: its kind, allowed range and meaning."""

    name: str
    kind: str            # "number" or "integer"
    low: float
    high: float | None   # None: no upper bound
    meaning: str


THRESHOLDS = {t.name: t for t in (
    Threshold("incl_cut", "number", 0.5, 1.0, "sufficiency consistency a truth table row needs for OUT = 1"),
    Threshold("pri_cut", "number", 0.0, 1.0, "PRI a truth table row needs for OUT = 1"),
    Threshold("n_cut", "integer", 1, None, "cases a row needs not to be a logical remainder"),
    Threshold("necessity_incl", "number", 0.5, 1.0, "inclN a condition needs to count as necessary"),
    Threshold("necessity_ron", "number", 0.0, 1.0, "RoN a necessary condition needs to be relevant"),
)}
CUTS = ("incl_cut", "pri_cut", "n_cut")       # the thresholds of a truth table


def check(name, value, where: str = ""):
    """``value`` as the threshold ``name`` (a float, or an int for ``n_cut``); otherwise a
    ``QCAError`` naming ``where`` (e.g. ``study.yml: thresholds.incl_cut``) or the parameter,
    its meaning and its allowed values."""
    if name not in THRESHOLDS:
        raise QCAError(f"{where + ': ' if where else ''}unknown parameter {name!r}; allowed: {', '.join(THRESHOLDS)}")
    t = THRESHOLDS[name]
    label = f"{where or 'parameter ' + name} ({t.meaning})"
    if t.kind == "integer":
        return check_n_cut(value, label)
    return check_cut(label, value, t.low, t.high)


def read_thresholds(value, where: str) -> dict:
    """The study file's ``thresholds:`` mapping, every threshold present and checked."""
    if not isinstance(value, dict):
        raise QCAError(f"{where}: must be a mapping of {', '.join(THRESHOLDS)}")
    unknown = [k for k in value if k not in THRESHOLDS]
    missing = [k for k in THRESHOLDS if k not in value]
    if unknown or missing:
        raise QCAError(f"{where}: unknown key(s) {', '.join(map(str, unknown)) or 'none'}, missing key(s) "
                       f"{', '.join(missing) or 'none'}; needs exactly {', '.join(THRESHOLDS)}")
    return {name: check(name, value[name], f"{where}.{name}") for name in THRESHOLDS}


def resolve(thresholds: dict, **given) -> dict:
    """The thresholds of a run: ``thresholds`` (the study's), replaced by any given (not None)
    value, every value checked."""
    unknown = [k for k in given if k not in THRESHOLDS]
    if unknown:
        raise QCAError(f"unknown parameter {unknown[0]!r}; allowed: {', '.join(THRESHOLDS)}")
    return {name: check(name, thresholds[name] if given.get(name) is None else given[name])
            for name in THRESHOLDS}


def parse_sets(items) -> dict:
    """``--set NAME=VALUE`` items as {name: checked value}."""
    out = {}
    for item in items or []:
        if "=" not in item:
            raise QCAError(f"--set needs NAME=VALUE, got {item!r}; names: {', '.join(THRESHOLDS)}")
        name, value = (s.strip() for s in item.split("=", 1))
        if name not in THRESHOLDS:
            raise QCAError(f"--set: unknown parameter {name!r}; allowed: {', '.join(THRESHOLDS)}")
        out[name] = check(name, value)
    return out
