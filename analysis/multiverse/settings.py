"""The ``multiverse:`` section of a study file: the defensible choices and their plausible values.

A multiverse analysis (Steegen, Tuerlinckx, Gelman & Vanpaemel 2016) runs every combination of
the choices a researcher could defensibly have made, instead of one; a specification curve
(Simonsohn, Simmons & Nelson 2020) shows the results of all of them.  In fsQCA the choices are
the calibration anchors of every set, the truth table's cut-offs, the cases analysed and the
conditions (Oana & Schneider 2024 test them one at a time; qcaERT adds subsamples and
condition sets).  Every key is optional; a choice not named keeps the study's own value.

======================= ======================================================== ============
key                     values                                                   default
======================= ======================================================== ============
``anchor_shifts``       shares of a measure's codebook range by which its three  ``[0]``
                        anchors move together (one choice per set: each
                        condition and measured outcome), e.g. ``[-0.05, 0, 0.05]``
``sets``                the sets whose anchors move (default: every condition    all
                        and measured outcome)
``incl_cut``            consistency cut-offs                                     study's
``pri_cut``             PRI cut-offs                                             study's
``n_cut``               frequency cut-offs                                       study's
``cases``               ``{leave_one_out: true, subsamples: 10, share: 0.9}``:   all cases
                        all cases, each case left out in turn, seeded subsamples
                        of ``share`` of the cases
``conditions``          ``{drop_one: true, sets: {name: [A, B, C]}}``: all       all
                        conditions, each left out in turn, named sets
``size``                the specifications ``make reproduce`` runs: every one    1000
                        when the grid has at most ``size``, else a seeded random
                        sample of ``size`` (the run says so)
``seed``                the seed of the sample and of the subsamples             20261201
``chunk``               specifications per chunk file (``analysis.multiverse``)  500
``limit``               the most specifications a full run (``python -m            1000000
                        analysis.multiverse --full``) runs: a larger grid is
                        sampled (seeded) to ``limit``, and the run says so
======================= ======================================================== ============

>>> s = read_multiverse({"incl_cut": [0.75, 0.8], "anchor_shifts": [-0.05, 0, 0.05]}, "study.yml: multiverse")
>>> s.incl_cut, s.anchor_shifts, s.size
((0.75, 0.8), (-0.05, 0.0, 0.05), 1000)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import parameters
from ..qca import QCAError
from ..robustness.settings import flag, fraction, keyed_mapping

__all__ = ["KEYS", "MultiverseSettings", "read_multiverse"]

KEYS = ("anchor_shifts", "sets", "incl_cut", "pri_cut", "n_cut", "cases", "conditions", "size", "seed", "chunk",
        "limit")
CASE_KEYS = ("leave_one_out", "subsamples", "share")
CONDITION_KEYS = ("drop_one", "sets")


@dataclass(frozen=True)
class MultiverseSettings:
    """The choices of a multiverse (see the module docstring); ``()`` keeps the study's value."""

    anchor_shifts: tuple = (0.0,)
    sets: tuple = None                       # None: every condition and measured outcome
    incl_cut: tuple = ()
    pri_cut: tuple = ()
    n_cut: tuple = ()
    leave_one_out: bool = False
    subsamples: int = 0
    share: float = 0.9
    drop_one: bool = False
    condition_sets: dict = field(default_factory=dict)
    size: int = 1000
    seed: int = 20261201
    chunk: int = 500
    limit: int = 1_000_000


def _fail(where, msg):
    raise QCAError(f"{where}: {msg}")


def _whole(where, value, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(where, f"must be a whole number from {low} to {high}, got {value!r}")
    return value


def _values(where, value) -> list:
    if not isinstance(value, list) or not value:
        _fail(where, f"must be a non-empty list, got {value!r}")
    if len(set(map(repr, value))) != len(value):
        _fail(where, f"lists a value twice: {value!r}")
    return value


def _shifts(where, value) -> tuple:
    out = []
    for v in _values(where, value):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not -0.5 < v < 0.5:
            _fail(where, f"each shift must be a share of the codebook range between -0.5 and 0.5, got {v!r}")
        out.append(float(v))
    return tuple(out)


def _names(where, value, known) -> tuple:
    names = _values(where, value)
    unknown = [str(n) for n in names if n not in known]
    if unknown:
        _fail(where, f"unknown set(s) {', '.join(unknown)}; the study's: {', '.join(known)}")
    return tuple(names)


def read_multiverse(value, where: str, conditions=(), sets=()) -> MultiverseSettings:
    """The multiverse section ``value`` (a mapping, or None), checked against the study's
    ``conditions`` and calibrated ``sets``; ``where`` names the section in every message."""
    if value is None:
        return MultiverseSettings()
    value = keyed_mapping(where, value, KEYS)
    cuts = {k: tuple(parameters.check(k, v, f"{where}.{k}") for v in _values(f"{where}.{k}", value[k]))
            for k in parameters.CUTS if k in value}
    cases = keyed_mapping(f"{where}.cases", value.get("cases", {}), CASE_KEYS)
    chosen = keyed_mapping(f"{where}.conditions", value.get("conditions", {}), CONDITION_KEYS)
    named = chosen.get("sets", {})
    if not isinstance(named, dict):
        _fail(f"{where}.conditions.sets", f"must map a name to a list of conditions, got {named!r}")
    condition_sets = {}
    for name, members in named.items():
        members = _names(f"{where}.conditions.sets.{name}", members, list(conditions))
        if len(members) < 1:
            _fail(f"{where}.conditions.sets.{name}", "must name at least one condition")
        condition_sets[str(name)] = members
    return MultiverseSettings(
        anchor_shifts=_shifts(f"{where}.anchor_shifts", value.get("anchor_shifts", [0])),
        sets=_names(f"{where}.sets", value["sets"], list(sets)) if "sets" in value else None,
        **cuts, leave_one_out=flag(f"{where}.cases.leave_one_out", cases.get("leave_one_out", False)),
        subsamples=_whole(f"{where}.cases.subsamples", cases.get("subsamples", 0), 0, 100_000),
        share=fraction(f"{where}.cases.share", cases.get("share", 0.9)),
        drop_one=flag(f"{where}.conditions.drop_one", chosen.get("drop_one", False)), condition_sets=condition_sets,
        size=_whole(f"{where}.size", value.get("size", 1000), 1, 10 ** 9),
        seed=_whole(f"{where}.seed", value.get("seed", 20261201), 0, 2 ** 32 - 1),
        chunk=_whole(f"{where}.chunk", value.get("chunk", 500), 1, 1_000_000),
        limit=_whole(f"{where}.limit", value.get("limit", 1_000_000), 1, 10 ** 12))
