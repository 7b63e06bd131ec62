"""Calibration against R's calibrate() and on hand-checked cases."""
import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import QCAError, calibrate, calibrate_crisp, calibrate_indirect, percentile_anchors

from conftest import REF

REFS = json.loads((REF / "calibration_LR.json").read_text())


@pytest.mark.parametrize("ref", REFS, ids=[r["column"] for r in REFS])
def test_direct_method_equals_r(ref):
    got = calibrate(ref["raw"], thresholds=tuple(ref["thresholds"]))
    np.testing.assert_allclose(got, ref["membership"], atol=1e-6, rtol=0)


def test_anchors_map_to_idm_half_and_one_minus_idm():
    got = calibrate([10, 20, 40], thresholds=(10, 20, 40))
    np.testing.assert_allclose(got, [0.05, 0.5, 0.95], atol=1e-12)
    # the log-odds at the inclusion anchor are ln(0.95/0.05)
    assert math.log(got[2] / (1 - got[2])) == pytest.approx(math.log(19))


def test_decreasing_set_mirrors_increasing():
    x = np.linspace(0, 30, 31)
    up = calibrate(x, thresholds=(5, 15, 25))
    down = calibrate(x, thresholds=(25, 15, 5))
    np.testing.assert_allclose(up + down, 1.0, atol=1e-12)


@pytest.mark.parametrize("bad", [(1, 1, 2), (3, 2, 4), (1, 3, 2), (5, 5, 5)])
def test_non_monotone_anchors_are_an_error(bad):
    with pytest.raises(QCAError, match="strictly monotone"):
        calibrate([1, 2, 3], thresholds=bad)


def test_missing_and_non_numeric_values_are_named():
    with pytest.raises(QCAError, match="GDP: 1 missing"):
        calibrate(pd.Series([1.0, None, 3.0], name="GDP"), thresholds=(1, 2, 3))
    with pytest.raises(QCAError, match="not numeric"):
        calibrate(["a", "b"], thresholds=(1, 2, 3))


def test_series_keeps_its_index():
    s = pd.Series([1, 2, 3], index=["a", "b", "c"], name="X")
    assert list(calibrate(s, thresholds=(1, 2, 3)).index) == ["a", "b", "c"]


def test_crisp_counts_thresholds_reached():
    assert list(calibrate_crisp([1, 2, 3, 4, 5], thresholds=[3])) == [0, 0, 1, 1, 1]
    assert list(calibrate_crisp([1, 2, 3, 4, 5], thresholds=[2, 4])) == [0, 1, 1, 2, 2]
    with pytest.raises(QCAError, match="outside the range"):
        calibrate_crisp([1, 2, 3], thresholds=[7])


def test_percentile_anchors():
    x = np.arange(101)
    assert percentile_anchors(x) == (5.0, 50.0, 95.0)
    assert percentile_anchors(x, increasing=False) == (95.0, 50.0, 5.0)
    with pytest.raises(QCAError):
        percentile_anchors([1, 1, 1, 1])


def test_indirect_method_is_monotone_and_tracks_targets():
    x = np.linspace(1, 100, 60)
    m = calibrate_indirect(x, thresholds=[20, 40, 60, 80])
    assert np.all(np.diff(m) >= -1e-9)
    assert m[0] < 0.1 and m[-1] > 0.9
    assert ((m >= 0) & (m <= 1)).all()
