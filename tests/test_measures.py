"""Measures (analysis.measures): the mean of each measure's indicators, reliability, descriptives."""

import pandas as pd
import pytest

from analysis.errors import StudyError
from analysis.measures import build_measures, check_measures, cronbach_alpha, descriptives, reliability

from conftest import CONDITIONS




def test_build_measures(study, raw):
    m = build_measures(study, raw)
    assert list(m.columns) == CONDITIONS + ["MPV", "PPV"]
    assert m.shape == (36, 7) and m.index.name == "case"
    items = study.measures["NORMS"].indicators
    assert m.loc["H01", "NORMS"] == pytest.approx(raw.loc["H01", items].mean())
    for name in m.columns:
        lo, hi = study.measures[name].range
        assert m[name].between(lo, hi).all()


def test_reliability(study, raw):
    r = reliability(study, raw)
    assert list(r.columns) == ["measure", "n_items", "cronbach_alpha"]
    assert list(r["measure"]) == CONDITIONS + ["MPV", "PPV"]
    assert (r["n_items"] == 3).all()
    assert r["cronbach_alpha"].between(0.6, 1.0).all()


def test_cronbach_alpha_known_value():
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4]})
    assert cronbach_alpha(items) == pytest.approx(1.0)
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3], "c": [1, 3, 2, 4]})
    k, total = 3, items.sum(axis=1).var()
    assert cronbach_alpha(items) == pytest.approx(k / (k - 1) * (1 - items.var().sum() / total))


def test_descriptives(study, raw):
    d = descriptives(build_measures(study, raw))
    assert list(d.columns) == ["measure", "n", "mean", "sd", "min", "max"] and (d["n"] == 36).all()


def test_a_constant_measure_is_refused(study, raw):
    m = build_measures(study, raw).assign(KNOW=4.0)
    with pytest.raises(StudyError, match="condition KNOW is constant"):
        check_measures(study, m)
    check_measures(study, build_measures(study, raw))
