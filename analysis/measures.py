"""Measures: each condition's and outcome's codebook entry, and its raw indicators combined into
one raw score.

A measure (``Measure``; the study file's ``measures.<NAME>``, checked against ``MEASURE``) names
its raw indicators, their unit and codebook range, and how its set is calibrated: its ``kind``
(``analysis.memberships.KINDS``) with the anchors or thresholds the kind needs and the reason for
them.  Each measure is the mean of its indicators (all indicators of a measure share a unit, so
the mean is meaningful); a set of kind ``calibrated`` is one column of memberships, used as
given.  ``reliability`` gives Cronbach's (1951) alpha of every multi-item measure and
``descriptives`` the distribution of every measure on its raw scale; ``check_measures`` refuses a
measure that does not vary.

>>> from pathlib import Path
>>> from analysis.rawdata import load_raw
>>> from analysis.studyfile import load_study
>>> study = load_study(Path(__file__).parent.parent / "data" / "lipset" / "study.yml")
>>> build_measures(study, load_raw(study)).iloc[:2, :3]
         DEV   URB   LIT
case
AU     720.0  33.4  98.0
BE    1098.0  60.5  94.4
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import StudyError
from .memberships import KINDS, MODELS, SetCalibration
from .schema import NUMBER, TEXT, Fields, ListOf, Names, Options, fail, needs

__all__ = ["Measure", "MEASURE", "MEASURE_KEYS", "build_measures", "cronbach_alpha", "reliability", "descriptives",
           "check_measures"]


@dataclass(frozen=True)
class Measure:
    """One condition or outcome: how it is measured and calibrated (``MEASURE``)."""

    name: str
    label: str
    role: str                 # "condition" or "outcome"
    indicators: list          # raw CSV columns, averaged
    combine: str = "mean"
    unit: str = "membership"
    anchors: tuple = None     # (exclusion, crossover, inclusion): kind direct
    anchor_reason: str = ""   # why these anchors or thresholds
    range: tuple = (0.0, 1.0)  # codebook range (min, max) of every indicator
    kind: str = "direct"      # analysis.memberships.KINDS
    thresholds: tuple = None  # kinds crisp, multivalue, indirect
    model: str = "fractional_polynomial"   # kind indirect: R's QCA, or SetMethods' "binomial"
    proposed: str = None      # how the anchors were proposed from the data (python -m analysis.pipeline --new)

    @property
    def calibration(self) -> SetCalibration:
        """How the set is calibrated; ``proposed`` only while no reason is given."""
        return SetCalibration(self.kind, self.anchors, self.thresholds, self.model,
                              self.proposed if not self.anchor_reason else None)


# --------------------------------------------------------------------------- the study file's measures

#: What each kind needs (besides label, role, indicators) and what it may not have.
NEEDS = {"direct": ("unit", "range", "anchors"), "crisp": ("unit", "range", "thresholds"),
         "multivalue": ("unit", "range", "thresholds"), "indirect": ("unit", "range", "thresholds"),
         "calibrated": ()}
ONLY = {"anchors": ("direct",), "thresholds": ("crisp", "multivalue", "indirect"), "model": ("indirect",),
        "proposed": ("direct", "crisp", "multivalue", "indirect")}


def _kind_needs(m, where, context):          # runs last: every key is checked
    kind = m["kind"]
    missing = [k for k in NEEDS[kind] if k not in m]
    if missing:
        fail(where, f"a set of kind {kind!r} needs {', '.join(missing)}", "give them (see the README's study file "
                                                                          "reference)")
    wrong = [k for k, kinds in ONLY.items() if k in m and kind not in kinds]
    if wrong:
        fail(f"{where}.{wrong[0]}", f"a set of kind {kind!r} has no {wrong[0]}",
             f"remove it, or use kind {' or '.join(ONLY[wrong[0]])}")
    if "range" in m and not m["range"][0] < m["range"][1]:
        fail(f"{where}.range", f"min {m['range'][0]:g} is not below max {m['range'][1]:g}", "give [min, max]")
    if kind == "calibrated" and (len(m["indicators"]) != 1 or tuple(m.get("range", (0, 1))) != (0, 1)):
        fail(where, "a set of kind 'calibrated' is one column of memberships in [0, 1]",
             "give one indicator (and range [0, 1], or none)")


@needs("range", "anchors")
def _anchors_in_range(m, where, context):
    if "anchors" not in m or "range" not in m:
        return                                  # _kind_needs says what is missing
    (e, c, i), (lo, hi) = m["anchors"], m["range"]
    if not (e < c < i or e > c > i):
        fail(f"{where}.anchors", f"{[e, c, i]} is not strictly monotone",
             "need exclusion < crossover < inclusion, or > for a decreasing set")
    if min(e, i) < lo or max(e, i) > hi:
        fail(f"{where}.anchors", f"{[e, c, i]} lies outside the measure's range [{lo:g}, {hi:g}]",
             "move the anchors inside it, or correct the range")


@needs("kind", "range", "thresholds", "model")
def _thresholds(m, where, context):
    if "thresholds" not in m or "range" not in m:
        return
    th, (lo, hi), kind = m["thresholds"], m["range"], m["kind"]
    at = f"{where}.thresholds"
    if kind == "crisp" and len(th) != 1:
        fail(at, f"{len(th)} thresholds; a crisp set has one (0 below it, 1 from it)",
             "give one, or use kind multivalue for categories")
    if kind == "multivalue" and len(th) < 2:
        fail(at, "one threshold makes a crisp set", "give two or more, or use kind crisp")
    if any(b <= a for a, b in zip(th, th[1:])):
        fail(at, f"{list(th)} is not strictly increasing", "list the thresholds from low to high")
    if th[0] < lo or th[-1] > hi:
        fail(at, f"{list(th)} lies outside the measure's range [{lo:g}, {hi:g}]", "move them inside it")
    if kind == "indirect" and m.get("model", "fractional_polynomial") == "fractional_polynomial" and lo < 0:
        fail(f"{where}.range", f"[{lo:g}, {hi:g}] holds negative values; R's indirect method fits log(x)",
             "use model: binomial (SetMethods), or a scale of non-negative values")


@needs("kind", "anchor_reason", "proposed")
def _reason_given(m, where, context):
    if m["kind"] != "calibrated" and "anchor_reason" not in m and "proposed" not in m:
        fail(where, "missing required key(s) anchor_reason", "say why these anchors or thresholds: they are "
                                                              "substantive decisions")


MEASURE = Fields({
    "label": TEXT,
    "role": Options("condition", "outcome"),
    "indicators": Names(noun="column"),
    "combine": Options("mean", note="only 'mean' is supported", default="mean"),
    "unit": TEXT,
    "range": ListOf(NUMBER, length=2, into=tuple, what="[min, max]"),
    "kind": Options(*KINDS, default="direct"),
    "anchors": ListOf(NUMBER, length=3, into=tuple, what="three numbers [exclusion, crossover, inclusion]"),
    "thresholds": ListOf(NUMBER, non_empty=True, into=tuple, what="a non-empty list of numbers"),
    "model": Options(*MODELS),
    "anchor_reason": TEXT,
    "proposed": TEXT,
}, required=("label", "role", "indicators"), rules=(_anchors_in_range, _thresholds, _reason_given, _kind_needs))
MEASURE_KEYS = tuple(MEASURE.fields)


def _need_columns(study, raw, columns, what):
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise StudyError(f"{study.name}: {what}: column(s) {', '.join(missing)} not in the data")


def build_measures(study, raw: pd.DataFrame) -> pd.DataFrame:
    """One column per measure (conditions, then outcomes): the mean of its indicators."""
    out = pd.DataFrame(index=raw.index)
    for name in study.sets:
        items = study.measures[name].indicators
        _need_columns(study, raw, items, f"measure {name}")
        out[name] = raw[items].astype(float).mean(axis=1)
    out.index.name = "case"
    return out


def cronbach_alpha(items: pd.DataFrame) -> float:
    """alpha = k / (k - 1) * (1 - sum of item variances / variance of the sum score)."""
    k = items.shape[1]
    total = items.sum(axis=1).var(ddof=1)
    if k < 2 or not total > 0:
        return float("nan")
    return float(k / (k - 1) * (1 - items.var(ddof=1).sum() / total))


def reliability(study, raw: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's (1951) alpha of every measure with two or more indicators.

    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.  Values of about 0.7 or more are commonly read as
    acceptable internal consistency of a multi-item measure.
    """
    rows = []
    for name in study.sets:
        items = study.measures[name].indicators
        if len(items) < 2:
            continue
        _need_columns(study, raw, items, f"reliability of {name}")
        rows.append({"measure": name, "n_items": len(items), "cronbach_alpha": cronbach_alpha(raw[items])})
    return pd.DataFrame(rows, columns=["measure", "n_items", "cronbach_alpha"])


def descriptives(measures: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation, minimum and maximum of every measure (raw scale)."""
    return pd.DataFrame({"measure": measures.columns, "n": len(measures),
                         "mean": measures.mean().to_numpy(), "sd": measures.std(ddof=1).to_numpy(),
                         "min": measures.min().to_numpy(), "max": measures.max().to_numpy()})


def check_measures(study, measures: pd.DataFrame) -> None:
    """Refuse a constant measure: every case has the same raw value, so its set cannot
    distinguish cases (a data error more often than a finding); ``QCAError`` names the measure,
    its indicators and what to do."""
    for name in study.sets:
        m = study.measures[name]
        kind = "outcome" if name in study.outcomes else "condition"
        x = measures[name].to_numpy(dtype=float)
        lo, hi = float(np.min(x)), float(np.max(x))
        if hi - lo <= 1e-12 * max(1.0, abs(hi)):
            raise StudyError(f"{study.name}: {kind} {name} is constant (every case has the value {lo:g}): a set "
                           "without variation cannot distinguish cases; check the indicators "
                           f"{', '.join(m.indicators)} or drop the {kind}")
