"""Parameters of fit (analysis.qca.fit): by hand, as records, and many models at once bit for bit."""
import numpy as np
import pandas as pd
import pytest

from analysis.qca import fit as fit_module
from analysis.qca import kernels
from analysis.qca.fit import SufficiencyFit, models_fit, sufficiency, unique_coverage
from analysis.qca.fit_necessity import NecessityFit, necessity
from analysis.qca.fit_pof import pof


def test_sufficiency_and_necessity_by_hand():
    x, y = np.array([0.2, 0.8, 0.6, 1.0]), np.array([0.4, 0.6, 0.9, 0.7])
    xy = np.minimum(x, y)
    s = sufficiency(x, y)
    assert isinstance(s, SufficiencyFit)
    assert s.inclS == pytest.approx(xy.sum() / x.sum()) and s.covS == pytest.approx(xy.sum() / y.sum())
    xyny = np.minimum(xy, 1 - y).sum()
    assert s.PRI == pytest.approx((xy.sum() - xyny) / (x.sum() - xyny))
    n = necessity(x, y)
    assert isinstance(n, NecessityFit) and n.to_dict() == {"inclN": n.inclN, "RoN": n.RoN, "covN": n.covN}
    assert n.RoN == pytest.approx((1 - x).sum() / (1 - xy).sum())


def test_a_zero_denominator_is_nan_as_in_r():
    s = sufficiency([0.0, 0.0], [0.3, 0.9])
    assert np.isnan(s.inclS) and s.covS == 0.0


def test_pof_of_a_model_adds_unique_coverage_and_the_model_row():
    data = pd.DataFrame({"A": [0.9, 0.1, 0.8], "B": [0.1, 0.9, 0.7], "Y": [0.9, 0.8, 0.9]})
    table = pof(["A", "B"], "Y", data, relation="sufficiency")
    assert list(table.index) == ["A", "B", "model"] and "covU" in table.columns
    assert table.loc["A", "covU"] == pytest.approx(unique_coverage([data.A, data.B], data.Y)[0])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("chunk, compiled_from, threads", [(4_000_000, 10 ** 12, 1), (1000, 10 ** 12, 1),
                                                           (4_000_000, 0, 1), (4_000_000, 0, 3)])
@pytest.mark.parametrize("n", [5, 257, 9001])
def test_fit_of_many_models_is_bit_for_bit_the_fit_of_each(monkeypatch, seed, chunk, compiled_from, threads, n):
    # array form (in one pass, or a few models per pass) and compiled kernel (compiled_from 0, on
    # one thread or models shared among 3): the same floats as the one-model functions, to the
    # last bit (numpy's pairwise summation order, also for more than 8192 cases)
    monkeypatch.setattr(fit_module, "CHUNK_FLOATS", chunk)
    monkeypatch.setattr(fit_module, "COMPILED_FROM", compiled_from)
    monkeypatch.setattr(kernels, "threads", lambda: threads)
    rng = np.random.default_rng(seed)
    terms = np.round(rng.random((12, n)), 2)
    y = np.round(rng.random(n), 2)
    models = [tuple(rng.choice(12, size=int(rng.integers(1, 8)), replace=False)) for _ in range(40)]
    fits, cov_u = models_fit(terms, y, models)
    for model, fit, u in zip(models, fits, cov_u):
        members = terms[list(model)]
        assert fit == sufficiency(members.max(axis=0), y)
        assert u.tolist() == unique_coverage(members, y).tolist()
