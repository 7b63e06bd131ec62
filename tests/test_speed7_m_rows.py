"""A specification's fits in one numpy pass, the consistency claim's fits from each model's own
literal index, and the claims' verdicts kept by numbered models equal the plain path (issue 28,
round 7).

``analysis.multiverse.evaluate`` sums every solution's fit of a specification at once
(``_fill_fits``), fits a model for the consistency claim from its own terms' index into the
literal table (``_Reported.member``) and keeps a claim's verdict under the numbers of its
analyses' models (``_numbered``).  The plain path: ``sufficiency`` of each solution alone, each
model's membership found from its terms, the verdicts keyed by the models themselves and judged
afresh for every chunk.  Held on the three studies: the same frame, value for value.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.measures import build_measures
from analysis.multiverse import evaluate as ev, prepare
from analysis.multiverse.grid import sample
from analysis.qca import sufficiency
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]


def _plain_fits(row, fitted, fits):
    for (at, y), x in zip(fitted, fits):
        fit = sufficiency(x, y)
        row[at], row[at + 1] = fit.inclS, fit.covS


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
@pytest.mark.parametrize("name, size", [("lipset", 150), ("ppip", 300), ("pss", 100)])
def test_the_rows_are_the_plain_paths(name, size, monkeypatch):
    study = load_study(ROOT / "data" / name / "study.yml")
    u = prepare(study, build_measures(study, load_raw(study)), study.thresholds)
    numbers, _ = sample(u.grid, size, 7)
    fast = ev.evaluate(u, numbers)
    with monkeypatch.context() as m:
        m.setattr(ev, "_fill_fits", _plain_fits)
        m.setattr(ev._Reported, "member", lambda self, models, literals, member: member(models))
        m.setattr(ev, "_numbered", lambda signature: signature)
        m.setattr(ev, "_verdicts", lambda u: {})
        m.setattr(ev, "_REPORTED", {})
        plain = ev.evaluate(u, numbers)
    for col in plain.columns:
        pd.testing.assert_series_equal(fast[col], plain[col], check_exact=True, obj=col)
    assert fast.equals(plain)
    fits = fast.filter(like=": inclS").to_numpy()
    assert np.isfinite(fits).sum() > size                   # solutions were fitted
    if name == "ppip":
        assert fast["claim: consistency"].notna().sum() > size // 2
