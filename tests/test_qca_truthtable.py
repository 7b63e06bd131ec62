"""The truth table (analysis.qca.truthtable): rows, cut-offs, boundary cases, and the compiled row
statistics bit for bit the array form."""

import numpy as np
import pandas as pd
import pytest

from analysis.qca import QCAError, kernels, truth_table
from analysis.qca import truthtable as tt_module
from analysis.qca.cuts import check_cuts, out_values


def test_rows_are_coded_as_r_does():
    data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.3], "B": [0.7, 0.3, 0.1, 0.6], "Y": [0.9, 0.7, 0.1, 0.2]},
                        index=list("pqrs"))
    tt = truth_table(data, "Y", incl_cut=0.8)
    assert list(tt.table.index) == ["00", "01", "10", "11"]
    assert tt.table.loc["11", "cases"] == ["p"] and tt.table.loc["11", "OUT"] == "1"
    assert tt.outcome_label == "Y" and tt.k == 2


def test_a_case_on_the_crossover_belongs_to_no_row_with_a_warning():
    data = pd.DataFrame({"A": [0.5, 0.8, 0.2], "Y": [0.9, 0.7, 0.1]}, index=["x", "y", "z"])
    with pytest.warns(UserWarning, match="x"):
        tt = truth_table(data, "Y")
    assert tt.boundary_cases == ["x"] and all("x" not in cs for cs in tt.table["cases"])


def test_contradictions_and_remainders():
    assert out_values([3, 3, 3, 1], [0.9, 0.7, 0.5, 0.9], [0.9, 0.9, 0.9, 0.9], (0.8, 0.6), 0.0, 2) == \
        ["1", "C", "0", "?"]


@pytest.mark.parametrize("args, message", [((1.2, 0, 1), "incl_cut must lie in"), ((0.8, -0.1, 1), "pri_cut"),
                                           ((0.8, 0, 0), "n_cut"), ((0.8, 0, True), "n_cut"),
                                           ((True, 0, 1), "incl_cut must be a number")])
def test_bad_cut_offs_are_named(args, message):
    with pytest.raises(QCAError, match=message):
        check_cuts(*args)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k, n, rows", [(2, 1, 2), (3, 40, 5), (6, 257, 40), (9, 3001, 300), (12, 9001, 2)])
@pytest.mark.parametrize("threads", [1, 3])
def test_compiled_row_statistics_are_bit_for_bit_the_array_form(monkeypatch, seed, k, n, rows, threads):
    # the compiled kernel (shared prefixes of sorted rows, rows split among threads) against the
    # cases x rows matrices summed by numpy, to the last bit; memberships include exact 0, 1 and
    # values near 0.5, rows come in any order
    monkeypatch.setattr(kernels, "threads", lambda: threads)
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 1.0, 0.49, 0.51, 0.5000001], size=(n, k))
    mixed = rng.random((n, k)) < 0.7
    x[mixed] = np.round(rng.random(int(mixed.sum())), int(rng.integers(1, 6)))
    y = np.round(rng.random(n), 3)
    codes = rng.choice(2 ** k, size=min(rows, 2 ** k), replace=False)
    monkeypatch.setattr(tt_module, "COMPILED_FROM", 10 ** 15)
    arrays = tt_module.row_statistics(x, y, codes)
    monkeypatch.setattr(tt_module, "COMPILED_FROM", 0)
    compiled = tt_module.row_statistics(x, y, codes)
    for a, c in zip(arrays, compiled):
        assert a.dtype == c.dtype and a.tobytes() == c.tobytes()
