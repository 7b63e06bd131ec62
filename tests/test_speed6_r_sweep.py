"""Round 6 (helper R): the robustness sweep runs the analyses of one set of memberships together
(``analysis.robustness.sweep.analyse_runs``: the memberships read, the observed rows found and
the literal tables made once for them) and gives what running each alone gives.

* the protocol of each study (ranges, test solutions, memberships, measures, claims) with the
  shared work equals the protocol with every run analysed alone (``analyse`` one run at a time,
  in the runs' order), on one process and on two;
* ``analyse_runs`` returns every run's own result, and when runs fail it raises the error of
  the first failing run in the runs' order, as running them in order would.
"""
from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd
import pytest

import analysis.robustness.sweep as sweep
from analysis.analyses import Analysis, Cuts, analyses
from analysis.errors import INPUT_ERRORS
from analysis.robustness import Protocol
from test_robustness_speed_memberships import study_memberships


def one_at_a_time(runs, solution="intermediate"):
    """The plain sweep: every run analysed alone, in the runs' order."""
    for i, r in enumerate(runs):
        yield i, sweep.analyse(r, solution)


def protocol(name, workers):
    study, measures, calibrated = study_memberships(name)
    s = replace(study.robustness, max_steps=3, drop_cases_max=6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Protocol(calibrated, measures, analyses(study, study.thresholds), study.condition_anchors, study.scales,
                      s, workers=workers, progress=False, calibration=study.calibration) as p:
            return p.results(), p.claims(study.claims), p.sweep.done


def record(r) -> tuple:
    """Everything a ``Robustness`` holds, as text and bytes (NaN written alike)."""
    frames = tuple(f.to_csv() for f in (r.ranges, r.memberships, r.types, r.stability, r.tests_frame()))
    tests = tuple((s.name, t.status, t.error, t.signature, t.membership.tobytes(), t.first.tobytes())
                  for s, t in r.tests)
    return frames, repr(r.fit), repr(r.ratios), r.core, r.initial.signature, tests


def same(fast, ref):
    (f_results, f_claims, f_done), (r_results, r_claims, r_done) = fast, ref
    assert list(f_results) == list(r_results) and len(r_results) and f_done == r_done > 0
    assert [record(r) for r in f_results.values()] == [record(r) for r in r_results.values()]
    assert f_claims.to_csv() == r_claims.to_csv() and len(r_claims)


@pytest.mark.parametrize("name", ["lipset", pytest.param("ppip", marks=pytest.mark.slow),
                                  pytest.param("pss", marks=pytest.mark.slow)])
def test_shared_runs_equal_runs_alone(name, monkeypatch):
    fast = protocol(name, workers=1)
    monkeypatch.setattr(sweep, "analyse_runs", one_at_a_time)
    same(fast, protocol(name, workers=1))


@pytest.mark.slow
def test_shared_runs_on_two_processes_equal_one():
    same(protocol("lipset", workers=2), protocol("lipset", workers=1))


def runs_on_two_frames():
    data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1, 0.7], "B": [0.2, 0.9, 0.8, 0.1, 0.6],
                         "Y": [0.9, 0.9, 0.3, 0.2, 0.8]}, index=["p", "q", "r", "s", "t"])
    other = data.assign(A=[0.3, 0.8, 0.6, 0.1, 0.9])
    a = Analysis("Y", "Y", False, ("A", "B"), Cuts(0.8), (1, 1))
    b = Analysis("~Y", "Y", True, ("A", "B"), Cuts(0.8), ())
    return data, other, a, b


def test_analyse_runs_gives_each_run_its_own_result():
    data, other, a, b = runs_on_two_frames()
    runs = [sweep.Run(a, data), sweep.Run(a, other), sweep.Run(b, data, drop=("q",)), sweep.Run(a, data, drop=("q",)),
            sweep.Run(a, other, cut_settings=(Cuts(0.7), Cuts(0.9))), sweep.Run(b, data)]
    got = dict(sweep.analyse_runs(runs, "complex"))
    assert sorted(got) == list(range(len(runs)))
    for i, r in enumerate(runs):
        alone = sweep.analyse(r, "complex")
        for g, e in zip(got[i] if isinstance(got[i], list) else [got[i]], alone if isinstance(alone, list) else [alone]):
            assert (g.status, g.error, g.signature, g.membership.tobytes(), g.first.tobytes()) == \
                (e.status, e.error, e.signature, e.membership.tobytes(), e.first.tobytes())


def test_analyse_runs_raises_the_first_failing_runs_error():
    data, other, a, b = runs_on_two_frames()
    bad = other.assign(Y=[0.9, 1.5, 0.3, 0.2, 0.8])                      # case q: outside [0, 1]
    runs = [sweep.Run(a, data), sweep.Run(a, bad), sweep.Run(b, data)]  # b: intermediate without expectations
    with pytest.raises(INPUT_ERRORS) as alone:
        sweep.analyse(runs[1])
    with pytest.raises(INPUT_ERRORS) as other_error:
        sweep.analyse(runs[2])
    assert str(alone.value) != str(other_error.value)
    with pytest.raises(INPUT_ERRORS) as found:
        list(sweep.analyse_runs(runs))
    assert str(found.value) == str(alone.value)
    with pytest.raises(INPUT_ERRORS) as found:
        with sweep.Sweep(workers=1, progress=False) as s:
            s.map(runs)
    assert str(found.value) == str(alone.value)
