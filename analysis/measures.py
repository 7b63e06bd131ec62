"""Measures: the raw indicators of each condition and outcome combined into one raw score.

Each measure is the mean of its indicators (all indicators of a measure share a unit, so the
mean is meaningful).  ``reliability`` gives Cronbach's (1951) alpha of every multi-item measure
and ``descriptives`` the distribution of every measure on its raw scale; ``check_measures``
refuses a measure that does not vary.

>>> from pathlib import Path
>>> from analysis.rawdata import load_raw
>>> from analysis.studyfile import load_study
>>> study = load_study(Path(__file__).parent.parent / "data" / "ppip" / "study.yml")
>>> build_measures(study, load_raw(study)).round(2).iloc[:2, :3]
      CONTRACT  NORMS  RISK
case
H01      13.00   4.89  4.60
H02      15.67   2.65  1.76
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import StudyError

__all__ = ["build_measures", "cronbach_alpha", "reliability", "descriptives", "check_measures"]


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
