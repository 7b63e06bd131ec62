"""The prime implicant chart solver (analysis.qca.chart): every minimum cover, against brute force,
integer programming and its own compiled search."""
import hashlib
import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.qca import QCAError
from analysis.qca import chart_search
from analysis.qca.chart import minimal_covers
from analysis.qca.chart_bounds import DUAL_SCALE, ReducedChart
from analysis.qca.chart_search import TooManySteps, covers_by_ilp, covers_by_search
from analysis.qca.kernels import search as search_kernel


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
    chart = random_chart(seed, n_rows, n_cols, 0.3)
    ch = ReducedChart(chart)
    w = np.array(ch.dual_weights(), dtype=np.int64)
    assert (w >= 0).all()
    assert (ch.matrix.astype(np.int64) @ w <= DUAL_SCALE).all()      # dual feasible, exactly
    assert -(-int(w.sum()) // DUAL_SCALE) <= ch.minimum_size()       # weak duality


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
    chart = random_chart(seed, n_rows, n_cols, 0.45)
    ch = ReducedChart(chart)
    size = ch.minimum_size()
    every = covers_by_search(ch, size, 10_000, 10 ** 6)
    assert sorted(map(sorted, covers_by_ilp(ch, size, 10_000))) == sorted(map(sorted, every))
    # seeded with the covers a stopped search had found, it adds exactly the missing ones
    known = every[: len(every) // 2]
    assert sorted(map(sorted, covers_by_ilp(ch, size, 10_000, known=known))) == sorted(map(sorted, every))


def test_a_stopped_search_hands_its_covers_to_integer_programming():
    chart = random_chart(3, 12, 10, 0.3)
    ch = ReducedChart(chart)
    size = ch.minimum_size()
    with pytest.raises(TooManySteps) as stop:
        covers_by_search(ch, size, 10_000, 1)
    assert all(len(c) == size for c in stop.value.found)
    # with a step budget of 1, minimal_covers must still return every minimum cover (via the ILP)
    assert minimal_covers(chart, max_nodes=1) == brute_force_minimum_covers(chart)


def _search_result(ch, size, max_models, max_nodes):
    """The covers found (by the compiled kernel on charts above chart_search.SMALL_CHART classes), or
    ("stopped", covers found so far) when the step budget ran out."""
    try:
        return covers_by_search(ch, size, max_models, max_nodes)
    except TooManySteps as stop:
        return ("stopped", stop.found)


def _readable_search(monkeypatch, ch, size, max_models, max_nodes):
    """The same, by the readable (pure Python) search: the compiled kernel switched off."""
    with monkeypatch.context() as m:
        m.setattr(search_kernel, "compiled", lambda: None)
        return _search_result(ch, size, max_models, max_nodes)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("budget", [10 ** 6, 40])
def test_compiled_search_equals_the_readable_search(monkeypatch, seed, budget):
    # charts above chart_search.SMALL_CHART classes go to the compiled kernel: it must find the same covers in
    # the same order, and stop at the same step when the budget (40 steps + 20 per cover) runs out
    assert search_kernel.compiled() is not None, "numba is a dependency (requirements.lock)"
    rng = np.random.default_rng(seed)
    chart = random_chart(seed, int(rng.integers(30, 60)), int(rng.integers(12, 40)), float(rng.uniform(0.08, 0.25)))
    ch = ReducedChart(chart)
    assert len(ch.cls_cover) > chart_search.SMALL_CHART
    size = ch.minimum_size()
    readable = _readable_search(monkeypatch, ch, size, 10 ** 5, budget)
    assert _search_result(ch, size, 10 ** 5, budget) == readable
    whole = readable if budget == 10 ** 6 else _readable_search(monkeypatch, ch, size, 10 ** 5, 10 ** 6)
    assert isinstance(whole, list) and whole                   # the large budget finds every cover
    if budget == 40:                                            # the small one: all of them, or a prefix
        covers = readable[1] if isinstance(readable, tuple) else readable
        assert covers == whole[:len(covers)] and (isinstance(readable, tuple) or covers == whole)


@pytest.mark.parametrize("seed", range(6))
def test_compiled_search_resumes_exactly_after_a_full_buffer_or_a_chunk(monkeypatch, seed):
    # a buffer of 2 covers and chunks of 5 steps: the kernel returns and is called again many
    # times; the covers must be those of one uninterrupted run
    chart = random_chart(100 + seed, 60, 30, 0.08)     # 30 to 173 covers each
    ch = ReducedChart(chart)
    size = ch.minimum_size()
    whole = _search_result(ch, size, 10 ** 5, 10 ** 6)
    original = search_kernel.Search.__init__
    monkeypatch.setattr(chart_search, "KERNEL_CHUNK", 5)
    monkeypatch.setattr(search_kernel.Search, "__init__",
                        lambda self, *a, **kw: original(self, *a, **{**kw, "buffer_rows": 2}))
    assert _search_result(ch, size, 10 ** 5, 10 ** 6) == whole
    assert len(whole) > 2


@pytest.mark.parametrize("seed", range(5))
def test_compiled_search_equals_integer_programming_on_larger_charts(seed):
    # an independent oracle: one integer programme per cover, with no-good cuts
    chart = random_chart(200 + seed, 45, 30, 0.12)
    ch = ReducedChart(chart)
    size = ch.minimum_size()
    searched = covers_by_search(ch, size, 2000, 10 ** 6)
    assert len(searched) <= 2000
    assert sorted(map(sorted, covers_by_ilp(ch, size, 2000))) == sorted(map(sorted, searched))


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


ILP_SEEDS = range(5)
ILP_COVERS = Path(__file__).parent / "fixtures" / "chart_ilp" / "minimal_covers.json"


def ilp_chart(seed):
    return random_chart(300 + seed, 60, 36, 0.09)


def chart_digest(chart) -> str:
    return hashlib.sha256(np.ascontiguousarray(chart, dtype=bool).tobytes() + str(chart.shape).encode()).hexdigest()


@pytest.mark.parametrize("seed", ILP_SEEDS)     # seed 0: no cover of the LP bound's size
@pytest.mark.parametrize("max_nodes", [10 ** 6, 3])
def test_minimal_covers_of_larger_charts_equal_integer_programming(seed, max_nodes):
    # the whole path: forced primes, re-splitting, the search at the LP lower bound first (the
    # minimum when covers of that size exist, else integer programming proves the minimum),
    # and with a budget of 3 steps the hand-over to integer programming; the oracle enumerates
    # every minimum cover of the unsplit chart by integer programming alone, once, into a
    # fixture (tests/fixtures/chart_ilp/make.py: 10-40 s a chart)
    chart = ilp_chart(seed)
    oracle = json.loads(ILP_COVERS.read_text())[str(seed)]
    assert oracle["chart_sha256"] == chart_digest(chart), "not the chart the fixture enumerated: run its make.py"
    assert minimal_covers(chart, max_nodes=max_nodes) == [tuple(c) for c in oracle["covers"]]
