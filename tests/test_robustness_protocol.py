"""The robustness protocol (analysis.robustness.protocol): it takes memberships, anchors and
settings, not a study; it works with no test solution at all; its plan follows the settings."""
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyses import analyses
from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.rawdata import load_raw
from analysis.report.figures import robustness_xy_plot
from analysis.robustness import RobustnessSettings, run_protocol
from analysis.robustness import plan
from analysis.robustness.tables import robustness_tests
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
CLINICS = ROOT / "tests" / "fixtures" / "studies" / "clinics" / "study.yml"


@pytest.fixture(scope="module")
def clinics():
    study = load_study(CLINICS)
    measures = build_measures(study, load_raw(study))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")              # C03 lies on the WAIT crossover
        calibrated = calibrate_measures(measures, study.anchors)
    return study, measures, calibrated


def protocol(clinics, settings):
    study, measures, calibrated = clinics
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_protocol(calibrated, measures, analyses(study, study.thresholds), study.condition_anchors,
                            study.scales, settings, workers=1, progress=False)


def test_no_test_solution_gives_nan_fit_and_empty_tables(clinics):
    R = protocol(clinics, RobustnessSettings(max_steps=2))
    assert list(R) == ["SAT", "notSAT"]
    r = R["SAT"]
    assert r.tests == [] and all(math.isnan(v) for v in r.fit.to_dict().values())
    tests = robustness_tests(R)
    assert tests.empty and tests["same_as_IS"].dtype == bool
    assert tests[~tests["same_as_IS"]].columns.tolist() == tests.columns.tolist()
    assert r.stability["tests"].tolist() == [0] * len(r.stability)
    robustness_xy_plot({"SAT": r.types})                            # draws an empty panel


def test_the_plan_follows_the_settings(clinics):
    study, measures, calibrated = clinics
    cuts = {"incl_cut": 0.8, "pri_cut": 0.6, "n_cut": 1}
    settings = RobustnessSettings(incl_cut=(0.75, 0.8), drop_cases=True, anchor_percentiles=((10, 50, 90),))
    specs = plan.alternatives(settings, study.condition_anchors, cuts, measures, list(calibrated.index))
    assert [s.change for s in specs] == ["anchors", "incl_cut"] + ["drop"] * len(calibrated)   # 0.8 is no test
    assert [s.name for s in specs[:3]] == ["TS1", "TS2", "TS3"]
    wait = specs[0].anchors["WAIT"]
    assert wait[0] > wait[1] > wait[2]                             # a decreasing set stays decreasing
    params = plan.range_plan(settings, study.condition_anchors, study.scales, cuts, len(calibrated))
    assert [p.parameter for p in params][:3] == ["STAFF exclusion", "STAFF crossover", "STAFF inclusion"]
    assert params[3].step == pytest.approx(0.05 * 90)               # WAIT's codebook range [0, 90]


def test_dropping_each_case_in_turn(clinics):
    R = protocol(clinics, RobustnessSettings(drop_cases=True, max_steps=1))
    r = R["SAT"]
    assert len(r.tests) == 14 and list(r.memberships.columns[:3]) == ["case", "Y", "IS"]
    assert 0 <= r.fit.RF_SC_minTS <= 1 and r.ratios.RCC_Rank in (1, 2, 3, 4)
    assert isinstance(r.types, pd.DataFrame) and len(r.types) == 14
