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

``MULTIVERSE`` is this table in ``analysis.schema``'s terms; the cut-off values, the share of a
subsample and the condition sets are those the robustness tests take (``analysis.parameters``,
``analysis.robustness.settings``).  A section that names no second value for any choice (only
``size:``, or none at all) makes a grid of one specification, the study's own analysis; the run
says so and why (``ONE_SPECIFICATION``, in the notebook and in the findings).

>>> s = read_multiverse({"incl_cut": [0.75, 0.8], "anchor_shifts": [-0.05, 0, 0.05]}, "study.yml: multiverse")
>>> s.incl_cut, s.anchor_shifts, s.size
((0.75, 0.8), (-0.05, 0.0, 0.05), 1000)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import parameters
from ..robustness.settings import KEPT, condition_sets
from ..schema import FLAG, SEED, Fields, Integral, Interval, ListOf, Names, Real, Ref, validate

__all__ = ["KEYS", "MultiverseSettings", "MULTIVERSE", "ONE_SPECIFICATION", "read_multiverse"]

#: What a multiverse of one specification is, and why (its run's description says it).
ONE_SPECIFICATION = ("one specification only, the study's own analysis: the study file's multiverse section names no "
                     "second value for any choice (size alone, or no section, keeps every choice at the study's own "
                     "value), so it tests nothing beyond step 4; name anchor_shifts, cut-offs, cases or conditions "
                     "to vary them")


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


def _settings(s: dict) -> MultiverseSettings:
    cases, chosen = s.pop("cases", {}), s.pop("conditions", {})
    if "sets" in s:
        s["sets"] = tuple(s["sets"])
    return MultiverseSettings(**s, **cases, drop_one=chosen.get("drop_one", False),
                              condition_sets=chosen.get("sets", {}))


MULTIVERSE = Fields({
    "anchor_shifts": ListOf(Interval(Real, -0.5, 0.5, closed="neither", note="a share of the codebook range"),
                            non_empty=True, unique=True, into=tuple),
    "sets": Names(known=Ref("sets"), noun="set"),
    **parameters.CUT_LISTS,
    "cases": Fields({"leave_one_out": FLAG, "subsamples": Interval(Integral, 0, 100_000), "share": KEPT}),
    "conditions": condition_sets("set"),
    "size": Interval(Integral, 1, 10 ** 9),
    "seed": SEED,
    "chunk": Interval(Integral, 1, 1_000_000),
    "limit": Interval(Integral, 1, 10 ** 12),
}, into=_settings, default=MultiverseSettings())
KEYS = tuple(MULTIVERSE.fields)


def read_multiverse(value, where: str, conditions=(), sets=()) -> MultiverseSettings:
    """The multiverse section ``value`` (a mapping, or None), checked against the study's
    ``conditions`` and calibrated ``sets``; ``where`` names the section in every message."""
    if value is None:
        return MultiverseSettings()
    return validate(value, MULTIVERSE, where, conditions=list(conditions), sets=list(sets))
