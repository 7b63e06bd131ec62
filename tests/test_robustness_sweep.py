"""The sweep of perturbed analyses (analysis.robustness.sweep): its coding equals the truth table,
parallel equals serial, and no solution is membership 0."""
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.qca import truth_table
from analysis.rawdata import load_raw
from analysis.analyses import Analysis, Cuts
from analysis.codings import coding
from analysis.robustness.sweep import Result, Run, Sweep, analyse, recode
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def calibrated():
    """The stand-in's memberships, computed from the raw data (no earlier pipeline run needed)."""
    study = load_study(ROOT / "data" / "ppip" / "study.yml")
    return calibrate_measures(build_measures(study, load_raw(study)), study.anchors)


CONDS = ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"]


@pytest.mark.parametrize("outcome, neg", [("MPV", False), ("PPV", True)])
def test_coding_equals_truth_table(calibrated, outcome, neg):
    tt = truth_table(calibrated, outcome, CONDS, incl_cut=0.8, neg_out=neg)
    y = calibrated[outcome].to_numpy()
    y = 1 - y if neg else y
    x = calibrated[CONDS].to_numpy()
    for incl in (0.6, 0.75, 0.8, 0.85, 0.9, 1.0):
        for pri in (0.0, 0.5, 0.7):
            for n in (1, 2, 3):
                ref = truth_table(calibrated, outcome, CONDS, incl_cut=incl, pri_cut=pri, n_cut=n, neg_out=neg)
                pos, negative = coding(x, y, incl, pri, n)
                assert pos.tolist() == ref.positive.tolist() and negative.tolist() == ref.negative.tolist()
                assert recode(tt, incl, pri, n).table["OUT"].tolist() == ref.table["OUT"].tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.6, 0.8, 1.0])] * 4), min_size=3, max_size=12),
       st.sampled_from([0.5, 0.75, 0.8, 1.0]), st.sampled_from([0.0, 0.6]), st.sampled_from([1, 2]))
def test_coding_equals_truth_table_on_random_data(rows, incl, pri, n):
    data = pd.DataFrame(rows, columns=["A", "B", "C", "Y"], index=[f"c{i}" for i in range(len(rows))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = truth_table(data, "Y", ["A", "B", "C"], incl_cut=incl, pri_cut=pri, n_cut=n)
    pos, neg = coding(data[["A", "B", "C"]].to_numpy(), data["Y"].to_numpy(), incl, pri, n)
    assert pos.tolist() == ref.positive.tolist() and neg.tolist() == ref.negative.tolist()


def test_parallel_sweep_equals_serial_in_order(calibrated):
    def analysis(y, neg, ic):
        return Analysis(("not" if neg else "") + y, y, neg, tuple(CONDS), Cuts(ic, 0.7), tuple(["-"] * 5 if neg else [1] * 5))
    tasks = [Run(analysis(y, neg, ic), calibrated, drop=drop)
             for y in ("MPV", "PPV") for neg in (False, True) for ic in (0.8, 0.9) for drop in ((), ("H01",))]
    tasks.append(Run(analysis("MPV", False, 0.8), calibrated,
                     cut_settings=(Cuts(0.8, 0.7, 1), Cuts(0.99, 0.7, 1), Cuts(0.8, 0.7, 5))))
    with Sweep(workers=2, progress=False) as sweep:
        parallel = sweep.map(tasks)
    serial = [analyse(t) for t in tasks]
    assert len(parallel) == len(tasks)
    for p, s in zip(parallel[:-1] + parallel[-1], serial[:-1] + serial[-1]):
        assert isinstance(p, Result) and p.signature == s.signature
        assert np.array_equal(p.membership, s.membership)
    # a cut-off without positive row: no solution, membership 0 everywhere
    assert parallel[-1][1].status == "none" and not parallel[-1][1].membership.any()
