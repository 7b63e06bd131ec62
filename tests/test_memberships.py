"""Memberships (analysis.memberships): R's semantics by default, the stricter rules on request."""
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.errors import StudyError
from analysis.memberships import calibrate_measures, calibration_notes, calibration_summary, cases_on_crossover
from analysis.qca import calibrate
from analysis.studyfile import Strict

from conftest import CONDITIONS, REF




@pytest.fixture(scope="module")
def lipset_raw():
    df = pd.read_csv(REF / "datasets" / "LR.csv")
    return df.set_index(df.columns[0])


def test_calibrate_measures(study, measures):
    mem = calibrate_measures(measures, study.anchors)
    assert list(mem.columns) == CONDITIONS + ["MPV", "PPV"]
    assert mem.index.name == "case" and list(mem.index[:1]) == ["H01"]
    values = mem.to_numpy()
    assert ((values >= 0) & (values <= 1)).all() and not (values == 0.5).any()
    for name in mem.columns:  # the anchors spread cases over both sides of the crossover
        assert (mem[name] > 0.5).any() and (mem[name] < 0.5).any()
    np.testing.assert_array_equal(mem["NORMS"], calibrate(measures["NORMS"].to_numpy(), study.anchors["NORMS"]))


def test_anchors_outside_the_observed_values_are_accepted_as_in_r(study, measures):
    # anchors are substantive: R's calibrate() takes them wherever they lie
    anchors = {"PUBLIC": (25, 50.05, 99.5)}
    assert measures["PUBLIC"].min() < 25 and measures["PUBLIC"].max() < 99.5
    mem = calibrate_measures(measures, anchors)
    np.testing.assert_array_equal(mem["PUBLIC"], calibrate(measures["PUBLIC"].to_numpy(), anchors["PUBLIC"]))
    with pytest.raises(StudyError, match=r"PUBLIC: inclusion anchor 99.5 lies outside the observed range.*strict"):
        calibrate_measures(measures, anchors, Strict(anchors_outside_data=True), "ppip")


def test_a_case_on_the_crossover_is_kept_with_a_warning_as_in_r(lipset_raw):
    # Lipset's raw data: STB = 5 for FR and IE, the crossover of the anchors (10, 5, 2)
    anchors = {"STB": (10, 5, 2)}
    with pytest.warns(UserWarning, match=r"STB: case\(s\) FR, IE lie exactly on the crossover 5"):
        mem = calibrate_measures(lipset_raw, anchors, source="lipset")
    assert mem.loc[["FR", "IE"], "STB"].tolist() == [0.5, 0.5]
    assert cases_on_crossover(mem) == {"STB": ["FR", "IE"]}
    notes = calibration_notes(lipset_raw, mem, anchors)
    assert notes == ["STB: cases FR, IE lie exactly on the crossover 5 (membership 0.5) and belong to no "
                     "truth-table row"]
    with pytest.raises(StudyError, match=r"lipset: measure STB: case\(s\) FR, IE calibrate to exactly 0.5.*strict"):
        calibrate_measures(lipset_raw, anchors, Strict(cases_on_crossover=True), "lipset")


def test_a_set_on_one_side_of_its_crossover_gets_a_note(lipset_raw):
    anchors = {"DEV": (100, 200, 300), "LIT": (20, 30, 40)}       # every country above both crossovers
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mem = calibrate_measures(lipset_raw, anchors)
    notes = calibration_notes(lipset_raw, mem, anchors)
    assert len(notes) == 2 and all("no case is out of the set" in n for n in notes)
    assert notes[0].startswith("DEV:") and "crossover 200" in notes[0]


def test_an_unknown_measure_is_named(measures):
    with pytest.raises(StudyError, match="TRUST"):
        calibrate_measures(measures, {"TRUST": (1, 2, 3)})


def test_calibration_summary_flags_skewed_sets():
    table = calibration_summary(pd.DataFrame({"A": [0.9, 0.8, 0.7, 0.6, 0.2], "B": [0.9, 0.1, 0.5, 0.2, 0.7]}))
    assert table["skewed"].tolist() == [False, False]
    table = calibration_summary(pd.DataFrame({"A": [0.9] * 9 + [0.1]}))
    assert table.at[0, "skewed"] and table.at[0, "pct_above_0.5"] == 90
