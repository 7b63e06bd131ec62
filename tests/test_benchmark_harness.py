"""The benchmark harness's bookkeeping (no timing is asserted anywhere in the tests)."""
import math

import pandas as pd
import pytest

from benchmarks.run import make_problem, r_stops_too, r_subsets_log10, target_check


def test_problems_are_reproducible_from_their_seed():
    a, b = make_problem(6, 50, 1), make_problem(6, 50, 1)
    pd.testing.assert_frame_equal(a, b)
    assert not make_problem(6, 50, 2).equals(a)
    assert list(a.columns) == [f"C{i}" for i in range(1, 7)] + ["Y"]
    assert ((a >= 0) & (a <= 1)).all().all() and not (a.drop(columns="Y") == 0.5).any().any()


@pytest.mark.parametrize("primes, size, expected", [(6, 4, math.log10(15)), (181, 35, math.log10(math.comb(181, 35))),
                                                    (7, 7, 0.0), (1, 1, 0.0)])
def test_r_subsets_counts_the_k_subsets_of_the_primes(primes, size, expected):
    assert r_subsets_log10(primes, size) == round(expected, 1)


def _record(k, positive, negative, complex_status="ok", pars_status="ok", time=0.01):
    stage = lambda st: {"status": st, "time": time} if st == "ok" else {"status": st, "message": "m"}
    return {"k": k, "n": 500, "truth_table": {"status": "ok", "positive": positive, "negative": negative},
            "complex": stage(complex_status), "parsimonious": stage(pars_status)}


def test_r_stops_too_only_where_r_raises_the_same_error():
    every_row_positive = _record(4, 16, 0, "refused", "refused")
    assert r_stops_too("complex", every_row_positive) and r_stops_too("parsimonious", every_row_positive)
    remainders_left = _record(8, 219, 0, "refused", "refused")      # R's complex solution exists here
    assert not r_stops_too("complex", remainders_left) and r_stops_too("parsimonious", remainders_left)
    assert not r_stops_too("parsimonious", _record(8, 200, 19))


def test_target_check_separates_r_stopping_from_the_engine_refusing():
    chk = target_check("complex", _record(4, 16, 0, "refused", "refused"))
    assert chk["met"] is None and chk["r_stops_too"]
    chk = target_check("complex", _record(8, 219, 0, "refused", "refused"))
    assert chk["met"] is False and "r_stops_too" not in chk
    assert target_check("complex", _record(4, 5, 11, time=0.05))["met"] is True
    assert target_check("complex", _record(4, 5, 11, time=0.5))["met"] is False
    assert target_check("complex", {**_record(12, 5, 11), "n": 50}) == {"r": None, "target": None, "met": None}


def test_the_robustness_sweep_benchmark_runs_on_the_study_as_it_is():
    """The benchmark must follow the study (it once missed the joint outcomes); no time asserted."""
    import subprocess
    import sys
    from pathlib import Path
    r = subprocess.run([sys.executable, "-m", "benchmarks.robustness_sweep"], cwd=Path(__file__).parent.parent,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-500:]
    assert "perturbed analyses" in r.stdout.splitlines()[-1]
