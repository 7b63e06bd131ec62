"""The scaffold proposes a multi-value condition for a column of categories 0, 1, 2, ... (R's rule
for such a column in ``truthTable``): R's ``LM`` (``data(LM)``, DEV 0/1/2) becomes a study whose
memberships are LM's columns, as coded, with DEV of kind multivalue marked proposed."""
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.pipeline.scaffold import MULTIVALUE, propose, scaffold
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

from conftest import REF

LM = REF / "mv" / "datasets" / "LM.csv"


@pytest.mark.parametrize("x, kind", [
    ([0, 1, 2, 2, 0], "multivalue"), ([0, 3, 1, 2, 9], "multivalue"),
    ([1, 2, 3, 2, 1], "direct"),          # no 0: a score (a Likert item), calibrated
    ([0, 4, 10, 2, 7], "direct"),         # more than ten values: R's multi-value limit
    ([0, 0.5, 2, 1, 2], "direct"),        # not whole numbers
    ([0, 1, 1, 0, 1], "crisp")])
def test_which_columns_are_proposed_as_multi_value(x, kind):
    assert propose(np.array(x, dtype=float))["kind"] == kind


def test_an_outcome_is_never_multi_value():
    assert propose(np.array([0, 1, 2, 2.0]), condition=False)["kind"] == "direct"


def test_lm_scaffolded_gives_back_its_columns(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path, notes = scaffold("lm", LM, folder=tmp_path)
    assert any("DEV" in n and "whole numbers 0 to 2" in n for n in notes), notes
    study = load_study(path)
    dev = study.calibrations["DEV"]
    assert (dev.kind, dev.thresholds, dev.proposed) == ("multivalue", (1, 2), MULTIVALUE.format(m="2"))
    assert {s: study.calibrations[s].kind for s in ("URB", "LIT", "IND", "STB", "SURV")} == dict.fromkeys(
        ("URB", "LIT", "IND", "STB", "SURV"), "crisp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calibrated = calibrate_measures(build_measures(study, load_raw(study)), study.calibrations)
    data = pd.read_csv(LM, index_col=0)
    assert calibrated[list(data.columns)].to_numpy(dtype=float).tolist() == data.to_numpy(dtype=float).tolist()
