"""The minimisation of a few conditions on Python ints (``primes_small``, ``chart_bits``,
``cover_small``, the small paths of ``solve_chart``, ``intermediate`` and
``simplifying_assumptions``) against the engine's general methods on the same problems: the
primes by the 3^k implicant arrays or around rows (``primes_small.SMALL_K`` = 0), every chart by
the reduced chart's search (``chart_small.SMALL_SETS`` = 0).  Random truth tables of 1 to 7
conditions with few cases (so that many rows are remainders), random cut-offs, directional
expectations and exclusions: the solutions (every model, their order, their fits, the primes and
covers, the primes beyond R's CCubes depth, the simplifying assumptions, every intermediate
block's easy and difficult counterfactuals, the reasons a solution does not exist), the
parsimonious simplifying assumptions and the enhanced standard analysis' rows must be identical.
"""
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

import analysis.qca.chart_bits as chart_bits
import analysis.qca.chart_small as chart_small
import analysis.qca.primes_small as primes_small
from analysis.qca import QCAError, solve, truth_table
from analysis.qca.chart import minimal_covers, solve_chart
from analysis.qca.chart_bits import bit_covers, depth_of_bits
from analysis.qca.enhanced import esa_codes
from analysis.qca.primes import covers, prime_implicants
from analysis.qca.remainders import negation
from analysis.qca.solutions import parsimonious_sa


@contextmanager
def _general(monkeypatch):
    """A context in which the engine takes its general methods only."""
    with monkeypatch.context() as m:
        m.setattr(primes_small, "SMALL_K", 0)
        m.setattr(chart_small, "SMALL_SETS", 0)
        yield


def _table(rng, k):
    n = int(rng.integers(2, 3 * k + 6))
    x = np.round(rng.random((n, k)), 2)
    x[x == 0.5] = 0.51
    y = np.round(np.clip(np.maximum(np.minimum(x[:, 0], x[:, -1]), rng.random(n) ** 1.5), 0, 1), 2)
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(k)], index=[f"c{i}" for i in range(n)])
    df["Y"] = y
    cut = float(rng.choice([0.6, 0.7, 0.75, 0.8, 0.9]))
    return truth_table(df, "Y", incl_cut=cut, n_cut=int(rng.choice([1, 1, 2])), neg_out=bool(rng.random() < 0.3))


def _record(sols) -> list:
    """Everything a solution holds, as plain values."""
    out = [sols.complex.undefined, sols.parsimonious.undefined, sols.parsimonious.primes_beyond_depth]
    for s in (sols.complex, sols.parsimonious, *sols.intermediate):
        out.append((s.kind, s.label, [str(m) for m in s.models], [m.fit for m in s.models],
                    [m.term_fits for m in s.models], s.covers,
                    None if s.primes is None else (s.primes.dtype.str, s.primes.tolist())))
        if s.kind == "intermediate":
            out.append((s.easy_codes.dtype.str, s.easy_codes.tolist(), s.difficult_codes.tolist(), s.EC, s.DC))
    out.append([(c.dtype.str, c.tolist()) for c in sols.parsimonious.simplifying_codes])
    return out


def test_solutions_of_a_few_conditions_are_those_of_the_general_methods(monkeypatch):
    rng = np.random.default_rng(62)
    compared = blocks = defined = 0
    for _ in range(300):
        k = int(rng.integers(1, primes_small.SMALL_K + 1))
        tt = _table(rng, k)
        dir_exp = [rng.choice([1, 0, "-"]) for _ in range(k)]
        exclude = None
        if rng.random() < 0.3 and k > 1:
            exclude = [format(int(c), f"0{k}b") for c in rng.choice(1 << k, int(rng.integers(1, 3)), replace=False)]
        fast = solve(tt, dir_exp, exclude=exclude)
        with _general(monkeypatch):
            general = solve(tt, dir_exp, exclude=exclude)
        assert _record(fast) == _record(general)
        compared += 1
        defined += not fast.undefined
        blocks += len(fast.intermediate)
    assert compared == 300 and defined > 100 and blocks > 100


def test_simplifying_assumptions_and_esa_rows_are_those_of_the_general_methods(monkeypatch):
    rng = np.random.default_rng(63)
    found = 0
    for _ in range(200):
        k = int(rng.integers(1, primes_small.SMALL_K + 1))
        tt = _table(rng, k)
        neg = negation(tt)
        nec = [(f"C{int(rng.integers(k))}", None)] if rng.random() < 0.5 else []
        args = (tt.conditions, tt.positive, tt.negative, neg.positive, neg.negative, nec)
        fast = (parsimonious_sa(tt.positive, tt.negative, k), esa_codes(*args))
        with _general(monkeypatch):
            general = (parsimonious_sa(tt.positive, tt.negative, k), esa_codes(*args))
        if general[0] is None:
            assert fast[0] is None
        else:
            assert fast[0].dtype == general[0].dtype and fast[0].tolist() == general[0].tolist()
            found += len(general[0]) > 0
        assert fast[1] == general[1]
    assert found > 50


def test_bit_covers_are_the_minimum_covers_of_the_search(monkeypatch):
    """Charts of random prime implicant problems (rows to explain, rows to avoid, remainders) and
    charts of many ties (every row covered by several primes)."""
    rng = np.random.default_rng(64)
    answered = 0
    for trial in range(1200):
        k = int(rng.integers(2, primes_small.SMALL_K + 1))
        order = rng.permutation(1 << k)
        a = int(rng.integers(1, (1 << k) // 2 + 1))
        on, off = order[:a], order[a:a + int(rng.integers(0, (1 << k) - a + 1))]
        primes = prime_implicants(on, off, k)
        chart = covers(primes, on, k)
        if trial % 3 == 0 and k <= 5:           # ties: each prime also covers random other rows
            chart |= rng.random(chart.shape) < 0.3
        masks = [sum(1 << int(r) for r in on[row]) for row in chart]
        fast = bit_covers(masks, primes_small.row_bits_of(on))
        with _general(monkeypatch):
            try:
                searched = minimal_covers(chart)
            except QCAError:                    # too many tied models: the bit search gave up before
                assert fast is None
                continue
        if fast is not None:
            answered += 1
            assert fast == searched
    assert answered > 1000
    assert bit_covers([0b01], 0b11) is None                 # a row no prime covers: left to minimal_covers
    assert bit_covers([0b01], 0) == [()]


def test_a_chart_beyond_the_bit_search_is_solved_by_minimal_covers(monkeypatch):
    rng = np.random.default_rng(65)
    for _ in range(200):
        k = int(rng.integers(2, primes_small.SMALL_K + 1))
        order = rng.permutation(1 << k)
        a = int(rng.integers(1, (1 << k) // 2 + 1))
        b = int(rng.integers(a, (1 << k) + 1))
        on, off = order[:a], order[a:b]
        primes = prime_implicants(on, off, k)
        expected = solve_chart(primes, on, k)
        monkeypatch.setattr(chart_bits, "BIT_NODES", 0)           # every bit search gives up at once
        fallen_back = solve_chart(primes, on, k)
        monkeypatch.undo()
        assert np.array_equal(expected[0], fallen_back[0]) and expected[1] == fallen_back[1]


@pytest.mark.parametrize("levels, masks, target, k, depth", [
    ([1, 2], [0b01, 0b10], 0b11, 5, 4),          # covered at level 2; levels 3 and 4 add nothing
    ([1, 4], [0b01, 0b10], 0b11, 6, 6),          # covered at level 4; 5 and 6 add nothing: k
    ([1, 1], [0b01, 0b10], 0b11, 3, 3),          # covered at level 1; 2 and 3 add nothing
    ([2, 3], [0b01, 0b00], 0b11, 7, 7),          # never covered: every level
])
def test_the_ccubes_depth_of_bits(levels, masks, target, k, depth):
    assert depth_of_bits(levels, masks, target, k) == depth
