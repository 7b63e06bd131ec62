"""Memberships: every measure calibrated into a fuzzy set with its anchors, R's way.

Direct calibration (Ragin 2008, ch. 5; R's ``calibrate(x, type = "fuzzy", thresholds = c(e, c,
i))``, ``analysis.qca.calibrate``) maps each measure's three anchors to memberships 0.05, 0.5 and
0.95.  The semantics are R's (Dusa 2019, ch. 4):

- **anchors are substantive**: they say what it means to be fully in, fully out of, or neither
  in nor out of the set, so they may lie outside the values observed in the data.  When every
  case falls on one side of a crossover, the set hardly varies in kind and ``calibration_notes``
  says so;
- **a case exactly on a crossover** has membership 0.5, the point of maximal ambiguity: it
  belongs to no truth-table row (Ragin 2008, p. 30).  Calibration warns and names it, and
  ``calibration_notes`` repeats it for the calibration notebook and the findings.

A study file's ``strict:`` turns either into an error (``analysis.studyfile.Strict``).
``calibration_summary`` gives the skewness check of every set.

Two choices of the direct method are a study's to make (its ``calibration:``, a ``Calibration``):
``idm``, the membership at the inclusion anchor (R's default 0.95, log-odds 2.944; Ragin's
fsQCA software uses log-odds 3, ``idm`` = 0.952574), and ``decimals``, rounding the memberships
as a published table prints them (none by default, as R).  ``calibrate_set`` is the one place
where both are applied, for the calibration step and for the robustness tests alike.

>>> import pandas as pd, warnings
>>> measures = pd.DataFrame({"DEV": [320.0, 550.0, 1098.0]}, index=["PT", "X", "BE"])
>>> with warnings.catch_warnings(record=True) as caught:
...     calibrated = calibrate_measures(measures, {"DEV": (400, 550, 900)})
>>> calibrated.round(2)["DEV"].tolist()
[0.01, 0.5, 0.99]
>>> str(caught[0].message)
'measure DEV: case(s) X lie exactly on the crossover 550 (membership 0.5) and belong to no truth-table row'
>>> calibration_notes(measures, calibrated, {"DEV": (400, 550, 900)})
['DEV: case X lies exactly on the crossover 550 (membership 0.5) and belongs to no truth-table row']
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import StudyError
from .qca import calibrate

__all__ = ["Calibration", "calibrate_set", "calibrate_measures", "cases_on_crossover", "calibration_notes",
           "calibration_summary", "SKEW_SHARE"]

SKEW_SHARE = 80        # % of cases on one side of 0.5 from which a set counts as skewed
_HALF = 1e-12          # a membership this close to 0.5 is on the crossover


@dataclass(frozen=True)
class Calibration:
    """How a study calibrates: ``idm``, the membership at the inclusion anchor (R's 0.95), and
    ``decimals``, the rounding of the memberships (None: none, as R)."""

    idm: float = 0.95
    decimals: int | None = None


def calibrate_set(x, anchors, calibration: Calibration | None = None, name: str | None = None) -> np.ndarray:
    """One set's memberships: ``analysis.qca.calibrate`` with the study's ``idm``, rounded to its
    ``decimals`` if it names them.

    >>> calibrate_set([468.0], (400, 550, 900), Calibration(idm=0.952574, decimals=2)).tolist()
    [0.16]
    """
    c = calibration or Calibration()
    member = calibrate(np.asarray(x, dtype=float), anchors, idm=c.idm, name=name)
    return member if c.decimals is None else np.round(member, c.decimals)


def cases_on_crossover(calibrated: pd.DataFrame) -> dict:
    """{set: [cases]} for the sets in which some case has a membership of exactly 0.5."""
    out = {}
    for name in calibrated.columns:
        on = np.abs(calibrated[name].to_numpy(dtype=float) - 0.5) < _HALF
        if on.any():
            out[name] = [str(c) for c in calibrated.index[on]]
    return out


def calibrate_measures(measures: pd.DataFrame, anchors: dict, strict=None, source: str = "",
                       calibration: Calibration | None = None) -> pd.DataFrame:
    """Direct calibration of every measure named in ``anchors`` (name -> (e, c, i)), with the
    study's ``calibration`` choices (``calibrate_set``).

    Returns the memberships, one column per measure in the order of ``anchors``, indexed by the
    case ids.  A case exactly on a crossover is named in a warning; with
    ``strict.cases_on_crossover`` it is an error, and with ``strict.anchors_outside_data`` so is
    an anchor outside the measure's observed values.  ``source`` (e.g. the study's name) starts
    every message.
    """
    where = f"{source}: " if source else ""
    missing = [n for n in anchors if n not in measures.columns]
    if missing:
        raise StudyError(f"{where}calibration: column(s) {', '.join(missing)} not in the measures")
    out = pd.DataFrame(index=pd.Index(measures.index.astype(str), name="case"))
    for name, (e, c, i) in anchors.items():
        x = measures[name].to_numpy(dtype=float)
        if strict is not None and strict.anchors_outside_data:
            lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
            for label, a in (("exclusion", e), ("crossover", c), ("inclusion", i)):
                if not lo <= a <= hi:
                    raise StudyError(f"{where}measure {name}: {label} anchor {a:g} lies outside the observed range "
                                   f"[{lo:g}, {hi:g}], which the study file refuses (strict.anchors_outside_data); "
                                   "choose anchors inside the data or drop the option")
        out[name] = calibrate_set(x, (e, c, i), calibration, name=name)
    for name, cases in cases_on_crossover(out).items():
        c = anchors[name][1]
        if strict is not None and strict.cases_on_crossover:
            raise StudyError(f"{where}measure {name}: case(s) {', '.join(cases)} calibrate to exactly 0.5 (value {c:g} "
                           "equals the crossover) and would belong to no truth-table row, which the study file "
                           "refuses (strict.cases_on_crossover); move the crossover or drop the option")
        warnings.warn(f"{where}measure {name}: case(s) {', '.join(cases)} lie exactly on the crossover {c:g} "
                      "(membership 0.5) and belong to no truth-table row", UserWarning, stacklevel=2)
    return out


def calibration_notes(measures: pd.DataFrame, calibrated: pd.DataFrame, anchors: dict) -> list:
    """What a reader of the calibration should know, one sentence a note: sets whose cases all
    fall on one side of the crossover, and cases exactly on a crossover."""
    notes = []
    for name, (e, c, i) in anchors.items():
        above = (calibrated[name] > 0.5).to_numpy()
        below = (calibrated[name] < 0.5).to_numpy()
        x = measures[name].to_numpy(dtype=float)
        span = f"observed {x.min():g} to {x.max():g}, crossover {c:g}"
        if not above.any():
            notes.append(f"{name}: no case is in the set (membership above 0.5; {span}): the set does not vary "
                         "in kind, and an outcome like this leaves nothing to explain")
        elif not below.any():
            notes.append(f"{name}: no case is out of the set (membership below 0.5; {span}): the set does not "
                         "vary in kind")
    for name, cases in cases_on_crossover(calibrated).items():
        which = "case " + cases[0] + " lies" if len(cases) == 1 else "cases " + ", ".join(cases) + " lie"
        notes.append(f"{name}: {which} exactly on the crossover {anchors[name][1]:g} (membership 0.5) and "
                     "belong" + ("s" if len(cases) == 1 else "") + " to no truth-table row")
    return notes


def calibration_summary(calibrated: pd.DataFrame) -> pd.DataFrame:
    """Skewness of every set: mean membership, % of cases above 0.5, cases at exactly 0.5.

    A set in which (almost) every case is in, or out, gives trivial or unstable subset relations;
    Schneider & Wagemann (2012, p. 232-250) and Oana, Schneider & Thomann (2021, ch. 2) advise
    to inspect sets with more than about 80 % (or fewer than 20 %) of cases above 0.5.

    >>> calibration_summary(pd.DataFrame({"A": [0.9, 0.2, 0.5, 0.7]}))
      set  mean_membership  pct_above_0.5  n_at_0.5  skewed
    0   A            0.575           50.0         1   False
    """
    above = (calibrated > 0.5).mean() * 100
    rows = pd.DataFrame({"set": calibrated.columns, "mean_membership": calibrated.mean().to_numpy(),
                         "pct_above_0.5": above.to_numpy(),
                         "n_at_0.5": (np.abs(calibrated - 0.5) < _HALF).sum().to_numpy()})
    rows["skewed"] = (rows["pct_above_0.5"] > SKEW_SHARE) | (rows["pct_above_0.5"] < 100 - SKEW_SHARE)
    return rows
