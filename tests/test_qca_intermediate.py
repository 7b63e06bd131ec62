"""The intermediate solution (analysis.qca.intermediate) and the simplifying assumptions
(analysis.qca.cover_models): the bit-mask forms against the rules as R's QCA states them."""
import numpy as np
import pandas as pd
import pytest

from analysis.qca import QCAError, solve, truth_table
from analysis.qca import intermediate
from analysis.qca.cover_models import simplifying_assumptions
from analysis.qca.primes import covers


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
    rng = np.random.default_rng(seed)
    for _ in range(200):
        k = int(rng.integers(1, 9))
        c_primes = rng.integers(0, 3, (int(rng.integers(1, 5)), k)).astype(np.int8)
        p_primes = np.where(rng.random(c_primes.shape) < 0.5, 2, c_primes).astype(np.int8)  # supersets
        p_primes = np.vstack([p_primes, rng.integers(0, 3, (2, k)).astype(np.int8)])       # and others
        sa = np.sort(rng.choice(2 ** k, size=int(rng.integers(0, 2 ** k + 1)), replace=False)).astype(np.int64)
        expectations = [[None, 0, 1][int(rng.integers(0, 3))] for _ in range(k)]
        got = intermediate._easy_counterfactuals(k, c_primes, p_primes, sa, expectations)
        want = _easy_counterfactuals_by_pairs(k, c_primes, p_primes, sa, expectations)
        assert np.array_equal(got, want) and got.dtype == want.dtype


def test_simplifying_assumptions_on_packed_bits_are_the_covered_remainders():
    rng = np.random.default_rng(4)
    for k in range(1, 12):
        primes = rng.integers(0, 3, (12, k)).astype(np.int8)
        positive = rng.choice(2 ** k, size=max(1, 2 ** k // 4), replace=False)
        models = [sorted(rng.choice(12, size=int(rng.integers(1, 5)), replace=False).tolist()) for _ in range(6)]
        cov = covers(primes, np.arange(2 ** k), k)
        cov[:, positive] = False
        want = [np.flatnonzero(cov[m].any(axis=0)) for m in models]
        got = simplifying_assumptions(k, primes, models, positive)
        assert all(np.array_equal(a, b) for a, b in zip(got, want))


def test_an_intermediate_solution_past_its_work_limit_is_refused_with_what_was_done(monkeypatch):
    # past INTERMEDIATE_WORK chart entries searched the intermediate solution stops with an error
    # that says how far it got (here the limit is below zero, so it stops after its first block)
    rng = np.random.default_rng(11)
    x = np.round(rng.random((60, 5)), 2)
    x[x == 0.5] = 0.51
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(5)])
    df["Y"] = np.round(np.maximum(np.minimum(x[:, 0], x[:, 1]), np.minimum(x[:, 2], 1 - x[:, 3])), 2)
    tt = truth_table(df, "Y", incl_cut=0.75)
    sols = solve(tt, dir_exp=[1] * 5)
    assert len(sols.intermediate) >= 2
    monkeypatch.setattr(intermediate, "INTERMEDIATE_WORK", -1)
    with pytest.raises(QCAError, match=rf"more than the -1 allowed \(1 of {len(sols.intermediate)} blocks"):
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
