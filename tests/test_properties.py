"""Invariants of the minimisation on random data (hypothesis), and the chart solver against brute force."""
import importlib
from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import QCAError, membership, negate, solve, truth_table
from analysis import primes as pr
from analysis.minimize import minimal_covers
from analysis.primes import covers, prime_implicants

mz = importlib.import_module("analysis.minimize")   # the package re-exports a function of that name

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


def _search_result(ch, size, max_models, max_nodes):
    """The covers found (by the compiled kernel on charts above SMALL_CHART classes), or
    ("stopped", covers found so far) when the step budget ran out."""
    try:
        return mz._covers_by_search(ch, size, max_models, max_nodes)
    except mz._TooManySteps as stop:
        return ("stopped", stop.found)


def _readable_search(monkeypatch, ch, size, max_models, max_nodes):
    """The same, by the readable (pure Python) search: the compiled kernel switched off."""
    from analysis import search_kernel
    with monkeypatch.context() as m:
        m.setattr(search_kernel, "compiled", lambda: None)
        return _search_result(ch, size, max_models, max_nodes)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("budget", [10 ** 6, 40])
def test_compiled_search_equals_the_readable_search(monkeypatch, seed, budget):
    # charts above SMALL_CHART classes go to the compiled kernel: it must find the same covers in
    # the same order, and stop at the same step when the budget (40 steps + 20 per cover) runs out
    from analysis import search_kernel
    from analysis.minimize import SMALL_CHART, _Chart
    assert search_kernel.compiled() is not None, "numba is a dependency (requirements.lock)"
    rng = np.random.default_rng(seed)
    chart = random_chart(seed, int(rng.integers(30, 60)), int(rng.integers(12, 40)), float(rng.uniform(0.08, 0.25)))
    ch = _Chart(chart)
    assert len(ch.cls_cover) > SMALL_CHART
    size = ch.minimum_size()
    readable = _readable_search(monkeypatch, ch, size, 10 ** 5, budget)
    assert _search_result(ch, size, 10 ** 5, budget) == readable
    assert readable != [] and readable != ("stopped", []) or budget == 40


@pytest.mark.parametrize("seed", range(6))
def test_compiled_search_resumes_exactly_after_a_full_buffer_or_a_chunk(monkeypatch, seed):
    # a buffer of 2 covers and chunks of 5 steps: the kernel returns and is called again many
    # times; the covers must be those of one uninterrupted run
    from analysis import search_kernel
    chart = random_chart(100 + seed, 60, 30, 0.08)     # 30 to 173 covers each
    ch = mz._Chart(chart)
    size = ch.minimum_size()
    whole = _search_result(ch, size, 10 ** 5, 10 ** 6)
    original = search_kernel.Search.__init__
    monkeypatch.setattr(mz, "KERNEL_CHUNK", 5)
    monkeypatch.setattr(search_kernel.Search, "__init__",
                        lambda self, *a, **kw: original(self, *a, **{**kw, "buffer_rows": 2}))
    assert _search_result(ch, size, 10 ** 5, 10 ** 6) == whole
    assert len(whole) > 2


@pytest.mark.parametrize("seed", range(5))
def test_compiled_search_equals_integer_programming_on_larger_charts(seed):
    # an independent oracle: one integer programme per cover, with no-good cuts
    chart = random_chart(200 + seed, 45, 30, 0.12)
    ch = mz._Chart(chart)
    size = ch.minimum_size()
    searched = mz._covers_by_search(ch, size, 2000, 10 ** 6)
    assert len(searched) <= 2000
    assert sorted(map(sorted, mz._covers_by_ilp(ch, size, 2000, 120))) == sorted(map(sorted, searched))


def _pairs_chart(pairs):
    """Column 2j+1 is covered only by two primes of identical coverage (one class of 2); the
    last prime covers every even column and joins the chart into one part: 2^pairs models."""
    chart = np.zeros((2 * pairs + 1, 2 * pairs), dtype=bool)
    for j in range(pairs):
        chart[2 * j:2 * j + 2, 2 * j:2 * j + 2] = True
    chart[-1, 0::2] = True
    return chart


@pytest.mark.parametrize("pairs", [20, 60])
def test_tied_models_are_counted_through_merged_primes(pairs):
    # the single class-level cover stands for 2^pairs models: refused before they are built
    with pytest.raises(QCAError, match="more than 100000 tied minimal models; the problem is too large to "
                                       "enumerate exactly"):
        minimal_covers(_pairs_chart(pairs))
    assert len(minimal_covers(_pairs_chart(5))) == 2 ** 5


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("chunk, compiled_from, threads", [(4_000_000, 10 ** 12, 1), (1000, 10 ** 12, 1),
                                                           (4_000_000, 0, 1), (4_000_000, 0, 3)])
@pytest.mark.parametrize("n", [5, 257, 9001])
def test_fit_of_many_models_is_bit_for_bit_the_fit_of_each(monkeypatch, seed, chunk, compiled_from, threads, n):
    # array form (in one pass, or a few models per pass) and compiled kernel (compiled_from 0, on
    # one thread or models shared among 3): the same floats as the one-model functions, to the
    # last bit (numpy's pairwise summation order, also for more than 8192 cases)
    from analysis import fit as fit_module
    from analysis.fit import models_fit, sufficiency, unique_coverage
    monkeypatch.setattr(fit_module, "CHUNK_FLOATS", chunk)
    monkeypatch.setattr(fit_module, "COMPILED_FROM", compiled_from)
    monkeypatch.setattr(fit_module, "_threads", lambda: threads)
    rng = np.random.default_rng(seed)
    terms = np.round(rng.random((12, n)), 2)
    y = np.round(rng.random(n), 2)
    models = [tuple(rng.choice(12, size=int(rng.integers(1, 8)), replace=False)) for _ in range(40)]
    fits, cov_u = models_fit(terms, y, models)
    for model, fit, u in zip(models, fits, cov_u):
        members = terms[list(model)]
        assert fit == sufficiency(members.max(axis=0), y)
        assert u.tolist() == unique_coverage(members, y).tolist()


def _cycle_chart(m):
    """Columns 0..m-1 on a cycle; prime j covers columns j and j+1, and every prime has a twin of
    identical coverage.  No column has a single class, so the search must run; for even m the
    minimum covers are the 2 alternating class sets, each standing for 2^(m/2) models."""
    chart = np.zeros((2 * m, m), dtype=bool)
    for j in range(m):
        for twin in (2 * j, 2 * j + 1):
            chart[twin, [j, (j + 1) % m]] = True
    return chart


@pytest.mark.parametrize("m, max_models", [(20, 1000), (40, 100_000)])   # 20 classes: readable search; 40: compiled
def test_the_search_counts_models_through_merged_primes(m, max_models):
    assert len(minimal_covers(_cycle_chart(8))) == 2 * 2 ** 4
    with pytest.raises(QCAError, match=f"more than {max_models} tied minimal models; the problem is too large "
                                       "to enumerate exactly; simplify the truth table"):
        minimal_covers(_cycle_chart(m), max_models=max_models)


@pytest.mark.parametrize("seed", range(5))     # seed 0: no cover of the LP bound's size
@pytest.mark.parametrize("max_nodes", [10 ** 6, 3])
def test_minimal_covers_of_larger_charts_equal_integer_programming(seed, max_nodes):
    # the whole path: forced primes, re-splitting, the search at the LP lower bound first (the
    # minimum when covers of that size exist, else integer programming proves the minimum),
    # and with a budget of 3 steps the hand-over to integer programming; the oracle enumerates
    # every minimum cover of the unsplit chart by integer programming alone
    chart = random_chart(300 + seed, 60, 36, 0.09)
    ch = mz._Chart(chart)
    every = mz._covers_by_ilp(ch, ch.minimum_size(), 5000, 120)
    expected = sorted({tuple(sorted(m)) for cover in every for m in product(*[ch.members[c] for c in cover])})
    assert minimal_covers(chart, max_nodes=max_nodes) == expected


def _primes_by_arrays(monkeypatch, on, off, k):
    """prime_implicants on the 3^k implicant arrays: merging and the around-rows method switched off
    (they stay off for the rest of the test unless switched on again)."""
    monkeypatch.setattr(pr, "MERGE_FROM", 99)
    monkeypatch.setattr(pr, "AROUND_ROWS_SHARE", 10 ** 12)
    return prime_implicants(on, off, k)


@pytest.mark.parametrize("seed", range(4))
def test_primes_by_merging_equal_the_3k_arrays(monkeypatch, seed):
    # without remainders (every other row in the off-set) primes may come from Quine-McCluskey
    # merging of the positive rows (used from MERGE_FROM conditions): the same primes, same order
    rng = np.random.default_rng(seed)
    for _ in range(60):
        k = int(rng.integers(1, 10))
        on = rng.choice(2 ** k, size=int(rng.integers(1, 2 ** k + 1)), replace=False)
        if rng.random() < 0.5:                       # structured: positive rows with a free condition
            on = np.union1d(on, on ^ (1 << int(rng.integers(0, k))))
        off = np.setdiff1d(np.arange(2 ** k), on)
        by_arrays = _primes_by_arrays(monkeypatch, on, off, k)
        monkeypatch.setattr(pr, "AROUND_ROWS_SHARE", 1)
        monkeypatch.setattr(pr, "MERGE_FROM", 0)
        merged = pr._primes_by_merging(np.unique(on), k, limit=10 ** 9)
        assert merged is not None
        assert np.array_equal(pr._canonical(merged, k), by_arrays)
        assert np.array_equal(prime_implicants(on, off, k), by_arrays)   # with the fallback limit


@pytest.mark.parametrize("seed", range(4))
def test_primes_around_rows_equal_the_3k_arrays(monkeypatch, seed):
    # the primes through given rows, found around each row (zeta transform over the 2^k subsets,
    # on 64-bit words from 3 conditions), equal the 3^k arrays' primes that cover one of those rows
    rng = np.random.default_rng(seed)
    for _ in range(40):
        k = int(rng.integers(1, 12))
        labels = rng.choice(3, 2 ** k, p=rng.dirichlet([1, 1, 1]))     # 0 off, 1 on, 2 don't care
        on, off = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
        if len(on) == 0:
            continue
        through = rng.choice(on, size=int(rng.integers(1, len(on) + 1)), replace=False)
        by_arrays = _primes_by_arrays(monkeypatch, on, off, k)
        assert len(by_arrays)
        wanted = covers(by_arrays, through, k).any(axis=1)
        assert np.array_equal(prime_implicants(on, off, k, through=through), by_arrays[wanted])
        around = pr._canonical(pr._primes_around_rows(np.unique(through), off, k), k)
        assert np.array_equal(around, by_arrays[wanted])
        assert np.array_equal(pr._canonical(pr._primes_around_rows(on, off, k), k), by_arrays)


def test_covers_by_bit_masks_is_the_digit_definition():
    rng = np.random.default_rng(11)
    for k in range(1, 13):
        implicants = rng.integers(0, 3, (40, k)).astype(np.int8)
        codes = rng.integers(0, 2 ** k, 300)
        bits = (codes[:, None] >> np.arange(k - 1, -1, -1)) & 1
        want = ((implicants[:, None, :] == 2) | (implicants[:, None, :] == bits[None, :, :])).all(axis=2)
        assert np.array_equal(covers(implicants, codes, k), want)


def _easy_counterfactuals_by_pairs(k, c_primes, p_primes, sa, expectations):
    """The easy counterfactuals as R's QCA describes them, pair by pair (the readable form)."""
    selection = []
    for comp in c_primes:
        for pars in p_primes:
            if all(p == 2 or p == c for p, c in zip(pars, comp)):      # pars is a superset of comp
                res = comp.copy()
                for j, (cv, pv) in enumerate(zip(comp, pars)):
                    if cv != 2 and pv == 2 and expectations[j] is not None and expectations[j] != cv:
                        res[j] = 2
                selection.append(res)
    if not selection or not len(sa):
        return np.array([], dtype=np.int64)
    return sa[covers(np.array(selection), sa, k).any(axis=0)]


@pytest.mark.parametrize("seed", range(3))
def test_easy_counterfactuals_on_bit_masks_equal_the_pairwise_rule(seed):
    from analysis import solutions
    rng = np.random.default_rng(seed)
    for _ in range(200):
        k = int(rng.integers(1, 9))
        c_primes = rng.integers(0, 3, (int(rng.integers(1, 5)), k)).astype(np.int8)
        p_primes = np.where(rng.random(c_primes.shape) < 0.5, 2, c_primes).astype(np.int8)  # supersets
        p_primes = np.vstack([p_primes, rng.integers(0, 3, (2, k)).astype(np.int8)])       # and others
        sa = np.sort(rng.choice(2 ** k, size=int(rng.integers(0, 2 ** k + 1)), replace=False)).astype(np.int64)
        expectations = [[None, 0, 1][int(rng.integers(0, 3))] for _ in range(k)]
        got = solutions._easy_counterfactuals(k, c_primes, p_primes, sa, expectations)
        want = _easy_counterfactuals_by_pairs(k, c_primes, p_primes, sa, expectations)
        assert np.array_equal(got, want) and got.dtype == want.dtype


def test_simplifying_assumptions_on_packed_bits_are_the_covered_remainders():
    from analysis import solutions
    rng = np.random.default_rng(4)
    for k in range(1, 12):
        primes = rng.integers(0, 3, (12, k)).astype(np.int8)
        positive = rng.choice(2 ** k, size=max(1, 2 ** k // 4), replace=False)
        models = [sorted(rng.choice(12, size=int(rng.integers(1, 5)), replace=False).tolist()) for _ in range(6)]
        cov = covers(primes, np.arange(2 ** k), k)
        cov[:, positive] = False
        want = [np.flatnonzero(cov[m].any(axis=0)) for m in models]
        got = solutions._simplifying(k, primes, models, positive)
        assert all(np.array_equal(a, b) for a, b in zip(got, want))


def test_a_slow_intermediate_solution_is_refused_with_what_was_done(monkeypatch):
    # past INTERMEDIATE_SECONDS the intermediate solution stops with an error that says how far
    # it got (here the limit is below zero, so it stops after its first block)
    from analysis import solutions
    rng = np.random.default_rng(11)
    x = np.round(rng.random((60, 5)), 2)
    x[x == 0.5] = 0.51
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(5)])
    df["Y"] = np.round(np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3])), 2)
    tt = truth_table(df, "Y", incl_cut=0.75)
    sols = solve(tt, dir_exp=[1] * 5)
    assert len(sols.intermediate) >= 2
    monkeypatch.setattr(solutions, "INTERMEDIATE_SECONDS", -1.0)
    with pytest.raises(QCAError, match=rf"not finished after -1 s \(1 of {len(sols.intermediate)} blocks"):
        solve(tt, dir_exp=[1] * 5)


def test_no_expectation_at_all_gives_each_complex_model_without_counterfactuals():
    # as R's QCA does when every dir.exp is "-": block CcPp is the c-th complex model, with no
    # easy and no difficult counterfactual (the block rests on no remainder)
    rng = np.random.default_rng(37)
    x = np.round(rng.random((40, 5)), 2)
    x[x == 0.5] = 0.51
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(5)])
    df["Y"] = np.round(np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3])), 2)
    sols = solve(truth_table(df, "Y", incl_cut=0.75), dir_exp=["-"] * 5)
    n_c, n_p = len(sols.complex.models), len(sols.parsimonious.models)
    assert n_c >= 2 and n_p >= 2 and any(len(s) for s in sols.parsimonious.simplifying)
    assert [b.label for b in sols.intermediate] == [f"C{c}P{p}" for c in range(1, n_c + 1) for p in range(1, n_p + 1)]
    for b in sols.intermediate:
        c = int(b.label[1:b.label.index("P")])
        assert [m.terms for m in b.models] == [sols.complex.models[c - 1].terms]
        assert b.easy == [] and b.difficult == []


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("k, n, rows", [(2, 1, 2), (3, 40, 5), (6, 257, 40), (9, 3001, 300), (12, 9001, 2)])
@pytest.mark.parametrize("threads", [1, 3])
def test_compiled_row_statistics_are_bit_for_bit_the_array_form(monkeypatch, seed, k, n, rows, threads):
    # the compiled kernel (shared prefixes of sorted rows, rows split among threads) against the
    # cases x rows matrices summed by numpy, to the last bit; memberships include exact 0, 1 and
    # values near 0.5, rows come in any order
    from analysis import fit as fit_module
    from analysis import truthtable as tt_module
    monkeypatch.setattr(fit_module, "_threads", lambda: threads)
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
