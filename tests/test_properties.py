"""Invariants of the minimisation on random data (hypothesis), and the chart solver against brute force."""
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import QCAError, membership, negate, solve, truth_table
from analysis.minimize import covers, minimal_covers, prime_implicants

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def fuzzy_data(draw):
    k = draw(st.integers(2, 5))
    n = draw(st.integers(6, 30))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    rng = np.random.default_rng(seed)
    x = np.round(rng.random((n, k)), 2)
    x[x == 0.5] = 0.51
    y = np.round(np.clip(np.maximum(np.minimum(x[:, 0], x[:, 1]), rng.random(n) * 0.6), 0, 1), 2)
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(k)], index=[f"k{i}" for i in range(n)])
    df["Y"] = y
    return df, draw(st.sampled_from([0.7, 0.75, 0.8, 0.9])), draw(st.booleans())


def solved(df, incl_cut, neg_out):
    tt = truth_table(df, "Y", incl_cut=incl_cut, neg_out=neg_out)
    k = tt.k
    try:
        return tt, solve(tt, dir_exp=[1] * (k - 1) + ["-"])
    except QCAError:
        return tt, None


def model_digits(model, conditions):
    return np.array([[2 if c not in dict(t) else int(dict(t)[c]) for c in conditions] for t in model.terms])


@given(fuzzy_data())
@SETTINGS
def test_every_model_covers_every_positive_row_and_no_negative_row(case):
    tt, sols = solved(*case)
    if sols is None:
        return
    blocks = [sols.complex, sols.parsimonious] + sols.intermediate
    for block in blocks:
        for m in block.models:
            cov = covers(model_digits(m, tt.conditions), np.concatenate([tt.positive, tt.negative]), tt.k)
            npos = len(tt.positive)
            assert cov[:, :npos].any(axis=0).all()
            assert not cov[:, npos:].any()


@given(fuzzy_data())
@SETTINGS
def test_complex_terms_are_implied_by_parsimonious_primes_and_solutions_nest(case):
    tt, sols = solved(*case)
    if sols is None:
        return
    everything = np.arange(2 ** tt.k)
    p_primes = sols.parsimonious.primes
    for m in sols.complex.models:
        for t in model_digits(m, tt.conditions):
            assert any(all(p == 2 or p == c for p, c in zip(pr, t)) for pr in p_primes)
    # rows covered: complex within intermediate within its parsimonious model
    c_rows = {frozenset(everything[covers(model_digits(m, tt.conditions), everything, tt.k).any(axis=0)])
              for m in sols.complex.models}
    for block in sols.intermediate:
        p_model = sols.parsimonious.models[int(block.label.split("P")[1]) - 1]
        p_rows = set(everything[covers(model_digits(p_model, tt.conditions), everything, tt.k).any(axis=0)])
        for m in block.models:
            i_rows = set(everything[covers(model_digits(m, tt.conditions), everything, tt.k).any(axis=0)])
            assert i_rows <= p_rows
            assert any(c <= i_rows for c in c_rows)


@given(fuzzy_data())
@SETTINGS
def test_fits_lie_in_unit_interval_and_tied_models_have_equal_size(case):
    tt, sols = solved(*case)
    if sols is None:
        return
    for block in [sols.complex, sols.parsimonious] + sols.intermediate:
        assert len({len(m.terms) for m in block.models}) == 1
        table = block.fit_table()
        values = table[["inclS", "PRI", "covS", "covU"]].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        assert ((values >= -1e-12) & (values <= 1 + 1e-12)).all()


@given(st.lists(st.floats(0, 1), min_size=1, max_size=20))
def test_double_negation_is_identity(xs):
    x = np.array(xs)
    np.testing.assert_allclose(negate(negate(x)), x, atol=1e-15)
    df = pd.DataFrame({"A": x})
    np.testing.assert_allclose(membership(df, "~~A"), x)


def brute_force_minimum_covers(chart):
    n_rows, n_cols = chart.shape
    for size in range(1, n_rows + 1):
        found = [c for c in combinations(range(n_rows), size) if chart[list(c)].any(axis=0).all()]
        if found:
            return sorted(found)
    return []


def random_chart(seed, n_rows, n_cols, density):
    """A random primes x columns chart in which every column has at least one prime."""
    rng = np.random.default_rng(seed)
    chart = rng.random((n_rows, n_cols)) < density
    chart[rng.integers(0, n_rows, n_cols), np.arange(n_cols)] = True
    return chart


@given(st.integers(0, 10 ** 6), st.integers(2, 9), st.integers(1, 8))
@settings(max_examples=150, deadline=None)
def test_chart_solver_finds_exactly_the_brute_force_minimum_covers(seed, n_rows, n_cols):
    rng = np.random.default_rng(seed)
    chart = rng.random((n_rows, n_cols)) < 0.4
    if rng.random() < 0.3:
        chart[1] = chart[0]          # identical primes: both must appear in separate models
    chart[rng.integers(0, n_rows, n_cols), np.arange(n_cols)] = True
    assert minimal_covers(chart) == brute_force_minimum_covers(chart)


@given(st.integers(0, 10 ** 6), st.integers(8, 14), st.integers(6, 12))
@settings(max_examples=40, deadline=None)
def test_larger_sparse_charts_equal_brute_force(seed, n_rows, n_cols):
    # sparse charts with long minimum covers: the LP dual bound prunes here, so it must not cut
    # off any minimum cover
    chart = random_chart(seed, n_rows, n_cols, 0.2)
    assert minimal_covers(chart) == brute_force_minimum_covers(chart)


@given(st.integers(0, 10 ** 6), st.integers(2, 30), st.integers(1, 25))
@settings(max_examples=60, deadline=None)
def test_dual_weights_are_feasible_and_bound_the_minimum(seed, n_rows, n_cols):
    from analysis.minimize import DUAL_SCALE, _Chart
    chart = random_chart(seed, n_rows, n_cols, 0.3)
    ch = _Chart(chart)
    w = np.array(ch.dual_weights(), dtype=np.int64)
    assert (w >= 0).all()
    assert (ch.matrix.astype(np.int64) @ w <= DUAL_SCALE).all()      # dual feasible, exactly
    assert -(-int(w.sum()) // DUAL_SCALE) <= ch.minimum_size()       # weak duality


def test_primes_agree_with_brute_force_definition():
    rng = np.random.default_rng(7)
    k = 4
    for _ in range(30):
        labels = rng.integers(0, 3, 2 ** k)          # 1 on-set, 0 off-set, 2 don't care
        on, off = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
        if len(on) == 0:
            continue
        got = {tuple(p) for p in prime_implicants(on, off, k)}
        allimp = [tuple(int(d) for d in np.base_repr(i, 3).zfill(k)) for i in range(3 ** k)]
        cov = covers(np.array(allimp), np.arange(2 ** k), k)
        ok = {imp for imp, row in zip(allimp, cov) if not row[off].any() and row[on].any()}
        def raised(imp):
            return [imp[:j] + (2,) + imp[j + 1:] for j in range(k) if imp[j] != 2]
        allowed = {imp for imp, row in zip(allimp, cov) if not row[off].any()}
        want = {imp for imp in ok if not any(r in allowed for r in raised(imp))}
        assert got == want


def test_too_many_tied_models_is_an_error_not_a_partial_answer():
    # 6 independent columns, each coverable by 3 identical-coverage primes: 3^6 = 729 models
    chart = np.zeros((18, 6), dtype=bool)
    for j in range(6):
        chart[3 * j:3 * j + 3, j] = True
    assert len(minimal_covers(chart)) == 729
    with pytest.raises(QCAError, match="more than 100 tied minimal models"):
        minimal_covers(chart, max_models=100)


@given(st.integers(0, 10 ** 6), st.integers(3, 9), st.integers(2, 8))
@settings(max_examples=60, deadline=None)
def test_integer_programming_enumeration_equals_the_search(seed, n_rows, n_cols):
    from analysis.minimize import _Chart, _covers_by_ilp, _covers_by_search
    chart = random_chart(seed, n_rows, n_cols, 0.45)
    ch = _Chart(chart)
    size = ch.minimum_size()
    every = _covers_by_search(ch, size, 10_000, 10 ** 6)
    assert sorted(map(sorted, _covers_by_ilp(ch, size, 10_000, 60))) == sorted(map(sorted, every))
    # seeded with the covers a stopped search had found, it adds exactly the missing ones
    known = every[: len(every) // 2]
    assert sorted(map(sorted, _covers_by_ilp(ch, size, 10_000, 60, known=known))) == sorted(map(sorted, every))


def test_a_stopped_search_hands_its_covers_to_integer_programming():
    from analysis.minimize import _Chart, _covers_by_search, _TooManySteps
    chart = random_chart(3, 12, 10, 0.3)
    ch = _Chart(chart)
    size = ch.minimum_size()
    with pytest.raises(_TooManySteps) as stop:
        _covers_by_search(ch, size, 10_000, 1)
    assert all(len(c) == size for c in stop.value.found)
    # with a step budget of 1, minimal_covers must still return every minimum cover (via the ILP)
    assert minimal_covers(chart, max_nodes=1) == brute_force_minimum_covers(chart)
