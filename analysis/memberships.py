"""Memberships: every measure calibrated into a set as its study file says, R's way.

Each set has a kind (``SetCalibration``, the measure's ``kind:`` in the study file), each equal
to R (``tests/test_calibration_kinds.py``):

- ``direct`` (the default): three anchors (Ragin 2008, ch. 5; R's ``calibrate(x, type = "fuzzy",
  thresholds = c(e, c, i))``, ``analysis.qca.calibrate``) map to memberships 0.05, 0.5 and 0.95;
- ``calibrated``: the column is already a membership (a published table), used exactly as given,
  checked in [0, 1];
- ``crisp``: one threshold, 0/1 (R's ``calibrate(x, type = "crisp", thresholds = t)``);
- ``multivalue``: several thresholds, categories 0..k-1 as integers (R's crisp calibration with
  several thresholds; the value form multi-value QCA reads);
- ``indirect``: thresholds whose intervals get target memberships 0, 1/m, ..., 1, smoothed by R's
  fractional polynomial model (``calibrate(x, method = "indirect")``) or by SetMethods' binomial
  one (``indirectCalibration``).

The semantics of the fuzzy kinds are R's (Dusa 2019, ch. 4):

- **anchors are substantive**: they say what it means to be fully in, fully out of, or neither
  in nor out of the set, so they may lie outside the values observed in the data.  When every
  case falls on one side of a crossover, the set hardly varies in kind and ``calibration_notes``
  says so;
- **a case exactly on a crossover** has membership 0.5, the point of maximal ambiguity: it
  belongs to no truth-table row (Ragin 2008, p. 30).  Calibration warns and names it, and
  ``calibration_notes`` repeats it for the calibration notebook and the findings.

A study file's ``strict:`` turns either into an error (``analysis.studyfile.Strict``).
Anchors proposed from the data (``python -m analysis.pipeline --new``) and not yet given a
substantive reason draw one warning a run.  ``calibration_summary`` gives the skewness check of
every set of memberships in [0, 1].

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
from .qca import calibrate, calibrate_crisp, calibrate_indirect, indirect_calibration, indirect_targets
from .qca.rnumeric import r_round

__all__ = ["Calibration", "SetCalibration", "KINDS", "MODELS", "calibrate_set", "calibrate_measures",
           "cases_on_crossover", "calibration_notes", "calibration_summary", "SKEW_SHARE"]

KINDS = ("direct", "calibrated", "crisp", "multivalue", "indirect")
MODELS = ("fractional_polynomial", "binomial")    # indirect: R's QCA, SetMethods

SKEW_SHARE = 80        # % of cases on one side of 0.5 from which a set counts as skewed
_HALF = 1e-12          # a membership this close to 0.5 is on the crossover


@dataclass(frozen=True)
class Calibration:
    """How a study calibrates: ``idm``, the membership at the inclusion anchor (R's 0.95), and
    ``decimals``, the rounding of the memberships (None: none, as R)."""

    idm: float = 0.95
    decimals: int | None = None


@dataclass(frozen=True)
class SetCalibration:
    """How one set is calibrated: its ``kind`` (``KINDS``) and what the kind needs: ``anchors``
    (direct), ``thresholds`` (crisp, multivalue, indirect), ``model`` (indirect); ``proposed``:
    how anchors were proposed from the data while no substantive reason is given (None once one
    is)."""

    kind: str = "direct"
    anchors: tuple = None
    thresholds: tuple = None
    model: str = "fractional_polynomial"
    proposed: str = None

    @property
    def fuzzy(self) -> bool:
        """Memberships in [0, 1] (not crisp or multi-value categories)."""
        return self.kind in ("direct", "calibrated", "indirect")

    def describe(self) -> str:
        """The calibration in a few words, as R would be called.

        >>> SetCalibration("multivalue", thresholds=(2.0, 5.0)).describe()
        'multi-value: categories 0-2 at thresholds 2, 5 (R: calibrate(type = "crisp"))'
        """
        th = ", ".join(f"{t:g}" for t in self.thresholds or ())
        if self.kind == "direct":
            return "direct: anchors " + ", ".join(f"{a:g}" for a in self.anchors) + ' (R: calibrate(type = "fuzzy"))'
        if self.kind == "crisp":
            return f'crisp: 1 from {th} (R: calibrate(type = "crisp"))'
        if self.kind == "multivalue":
            return f"multi-value: categories 0-{len(self.thresholds)} at thresholds {th} (R: calibrate(type = \"crisp\"))"
        if self.kind == "indirect":
            how = ('R: calibrate(method = "indirect")' if self.model == "fractional_polynomial"
                   else "SetMethods: indirectCalibration")
            return f"indirect: targets cut at {th} ({how})"
        return "calibrated: memberships used as given"


def _as_kind(spec) -> SetCalibration:
    return spec if isinstance(spec, SetCalibration) else SetCalibration("direct", anchors=tuple(spec))


def calibrate_set(x, anchors, calibration: Calibration | None = None, name: str | None = None) -> np.ndarray:
    """One set's memberships: ``anchors`` (e, c, i) or a ``SetCalibration`` of any kind, with the
    study's ``idm`` (direct) and ``decimals`` (the fuzzy kinds calibrated here; R's ``round``).

    >>> calibrate_set([468.0], (400, 550, 900), Calibration(idm=0.952574, decimals=2)).tolist()
    [0.16]
    >>> calibrate_set([1.0, 4.0, 9.0], SetCalibration("multivalue", thresholds=(2, 5))).tolist()
    [0, 1, 2]
    """
    c, spec = calibration or Calibration(), _as_kind(anchors)
    x = np.asarray(x, dtype=float)
    if spec.kind == "calibrated":
        return x                                      # a published membership: exactly as given
    if spec.kind in ("crisp", "multivalue"):
        return np.asarray(calibrate_crisp(x, spec.thresholds, name=name))
    if spec.kind == "indirect" and spec.model == "binomial":
        member = indirect_calibration(x, indirect_targets(x, spec.thresholds), name=name)
    elif spec.kind == "indirect":
        member = calibrate_indirect(x, spec.thresholds, name=name)
    else:
        member = calibrate(x, spec.anchors, idm=c.idm, name=name)
    return member if c.decimals is None else r_round(member, c.decimals)


def cases_on_crossover(calibrated: pd.DataFrame) -> dict:
    """{set: [cases]} for the sets in which some case has a membership of exactly 0.5."""
    out = {}
    for name in calibrated.columns:
        on = np.abs(calibrated[name].to_numpy(dtype=float) - 0.5) < _HALF
        if on.any():
            out[name] = [str(c) for c in calibrated.index[on]]
    return out


def _crossover_text(spec: SetCalibration) -> str:
    return f"lie exactly on the crossover {spec.anchors[1]:g}" if spec.kind == "direct" else (
        "have the membership 0.5 as given" if spec.kind == "calibrated" else "calibrate to exactly 0.5")


def _check_given(where, name, values: pd.Series) -> None:
    """A set used as given must hold memberships in [0, 1]."""
    outside = ~values.astype(float).between(0, 1)
    if outside.any():
        case = values.index[outside.to_numpy()][0]
        raise StudyError(f"{where}measure {name}: case {case}: {values[case]:g} is not a membership in [0, 1], "
                         "which a set of kind 'calibrated' is used as; give another kind (direct, crisp, ...)")


def calibrate_measures(measures: pd.DataFrame, anchors: dict, strict=None, source: str = "",
                       calibration: Calibration | None = None) -> pd.DataFrame:
    """Every set named in ``anchors`` (name -> (e, c, i), or a ``SetCalibration`` of any kind:
    ``Study.calibrations``) calibrated from its raw measure with the study's ``calibration``
    choices (``calibrate_set``).

    Returns the memberships, one column per set in the order of ``anchors`` (crisp and
    multi-value sets as integers), indexed by the case ids.  A case exactly on a crossover is named
    in a warning; with ``strict.cases_on_crossover`` it is an error, and with
    ``strict.anchors_outside_data`` so is an anchor outside the measure's observed values.  Anchors
    proposed from the data and not yet given a reason draw one warning for all the sets.
    ``source`` (e.g. the study's name) starts every message.
    """
    where = f"{source}: " if source else ""
    specs = {n: _as_kind(a) for n, a in anchors.items()}
    missing = [n for n in specs if n not in measures.columns]
    if missing:
        raise StudyError(f"{where}calibration: column(s) {', '.join(missing)} not in the measures")
    out = pd.DataFrame(index=pd.Index(measures.index.astype(str), name="case"))
    for name, spec in specs.items():
        x = measures[name].to_numpy(dtype=float)
        if spec.kind == "direct" and strict is not None and strict.anchors_outside_data:
            lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
            for label, a in zip(("exclusion", "crossover", "inclusion"), spec.anchors):
                if not lo <= a <= hi:
                    raise StudyError(f"{where}measure {name}: {label} anchor {a:g} lies outside the observed range "
                                   f"[{lo:g}, {hi:g}], which the study file refuses (strict.anchors_outside_data); "
                                   "choose anchors inside the data or drop the option")
        if spec.kind == "calibrated":
            _check_given(where, name, measures[name])
        out[name] = calibrate_set(x, spec, calibration, name=name)
    for name, cases in cases_on_crossover(out).items():
        if strict is not None and strict.cases_on_crossover:
            spec = specs[name]
            why = (f"calibrate to exactly 0.5 (value {spec.anchors[1]:g} equals the crossover)" if spec.kind == "direct"
                   else f"{_crossover_text(spec)} (membership 0.5)")
            raise StudyError(f"{where}measure {name}: case(s) {', '.join(cases)} {why} "
                             "and would belong to no truth-table row, which the study file "
                             "refuses (strict.cases_on_crossover); move the crossover or drop the option")
        warnings.warn(f"{where}measure {name}: case(s) {', '.join(cases)} {_crossover_text(specs[name])} "
                      "(membership 0.5) and belong to no truth-table row", UserWarning, stacklevel=2)
    proposed = [n for n, spec in specs.items() if spec.proposed]
    if proposed:
        warnings.warn(f"{where}measure(s) {', '.join(proposed)}: anchors proposed from the data "
                      f"({specs[proposed[0]].proposed}), with no substantive reason yet; give each an anchor_reason "
                      "in the study file (anchors are substantive decisions)", UserWarning, stacklevel=2)
    return out


def calibration_notes(measures: pd.DataFrame, calibrated: pd.DataFrame, anchors: dict) -> list:
    """What a reader of the calibration should know, one sentence a note: sets whose cases all
    fall on one side of the crossover, and cases exactly on a crossover (``anchors``: as for
    ``calibrate_measures``; multi-value sets have no crossover)."""
    notes, specs = [], {n: _as_kind(a) for n, a in anchors.items()}
    for name, spec in specs.items():
        if spec.kind == "multivalue":
            continue
        above = (calibrated[name] > 0.5).to_numpy()
        below = (calibrated[name] < 0.5).to_numpy()
        x = measures[name].to_numpy(dtype=float)
        span = f"observed {x.min():g} to {x.max():g}" + (f", crossover {spec.anchors[1]:g}" if spec.kind == "direct"
                                                         else "")
        if not above.any():
            notes.append(f"{name}: no case is in the set (membership above 0.5; {span}): the set does not vary "
                         "in kind, and an outcome like this leaves nothing to explain")
        elif not below.any():
            notes.append(f"{name}: no case is out of the set (membership below 0.5; {span}): the set does not "
                         "vary in kind")
    for name, cases in cases_on_crossover(calibrated[list(specs)]).items():
        which = "case " + cases[0] if len(cases) == 1 else "cases " + ", ".join(cases)
        text = _crossover_text(specs[name])
        if len(cases) == 1:
            text = text.replace("lie ", "lies ", 1).replace("have ", "has ", 1).replace("calibrate ", "calibrates ", 1)
        notes.append(f"{name}: {which} {text} (membership 0.5) and belong" + ("s" if len(cases) == 1 else "") +
                     " to no truth-table row")
    return notes


def calibration_summary(calibrated: pd.DataFrame) -> pd.DataFrame:
    """Skewness of every set: mean membership, % of cases above 0.5, cases at exactly 0.5.

    A set in which (almost) every case is in, or out, gives trivial or unstable subset relations;
    Schneider & Wagemann (2012, p. 232-250) and Oana, Schneider & Thomann (2021, ch. 2) advise
    to inspect sets with more than about 80 % (or fewer than 20 %) of cases above 0.5.

    Multi-value sets (categories beyond 1, not memberships) are left out.

    >>> calibration_summary(pd.DataFrame({"A": [0.9, 0.2, 0.5, 0.7], "M": [0, 2, 1, 2]}))
      set  mean_membership  pct_above_0.5  n_at_0.5  skewed
    0   A            0.575           50.0         1   False
    """
    calibrated = calibrated[[c for c in calibrated.columns if calibrated[c].max() <= 1]]
    above = (calibrated > 0.5).mean() * 100
    rows = pd.DataFrame({"set": calibrated.columns, "mean_membership": calibrated.mean().to_numpy(),
                         "pct_above_0.5": above.to_numpy(),
                         "n_at_0.5": (np.abs(calibrated - 0.5) < _HALF).sum().to_numpy()})
    rows["skewed"] = (rows["pct_above_0.5"] > SKEW_SHARE) | (rows["pct_above_0.5"] < 100 - SKEW_SHARE)
    return rows
