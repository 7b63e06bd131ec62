"""A coding's cover kept for the process (``solutions.cover(keep=True)``, issue 28, round 9) is the
cover found afresh: the same primes, covers and primes left out, on random codings of 2 to 9
conditions (the small and the general primes); the kept primes are read-only and the refusal is raised again, naming the outcome."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.qca import UndefinedSolution
from analysis.qca.solutions import cover, minimize, parsimonious_sa, solve


def _coding(rng, k):
    rows = rng.permutation(1 << k)
    most = min(1 + (1 << k) // 3, 12)                      # small charts: no refusal for their size
    n_pos, n_neg = int(rng.integers(1, most)), int(rng.integers(0, most))
    return np.sort(rows[:n_pos]), np.sort(rows[n_pos:n_pos + n_neg])


def test_a_kept_cover_is_the_cover_found_afresh():
    rng = np.random.default_rng(9)
    kept_refusals = 0
    for t in range(80):
        k = int(rng.integers(2, 10))
        positive, negative = _coding(rng, k)
        for include, off in (("?", negative), ("", np.setdiff1d(np.arange(1 << k), positive))):
            try:
                fresh = cover(positive, off, k, include)
            except UndefinedSolution as why:
                with pytest.raises(UndefinedSolution, match="for Y:"):
                    cover(positive, off, k, include, label="Y", keep=True)
                assert "for the outcome:" in str(why)
                kept_refusals += 1
                continue
            kept = cover(positive, off, k, include, keep=True)
            again = cover(list(positive), list(off), k, include, keep=True)
            assert kept[0].tobytes() == fresh[0].tobytes() and kept[0].shape == fresh[0].shape
            assert kept[1:] == fresh[1:] and isinstance(kept[1], list)
            assert again[0] is kept[0] and not kept[0].flags.writeable
    assert kept_refusals                                   # codings without a negative row met


def test_solutions_without_fits_and_simplifying_assumptions_are_the_same_with_kept_covers():
    from analysis.qca import truth_table
    from analysis.qca.datasets import load
    tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    for _ in range(2):                                     # the second time from the kept covers
        assert [str(m) for m in minimize(tt, "?", fits=False).models] == ["DEV*~IND + URB*STB"]
        assert parsimonious_sa(tt.positive, tt.negative, tt.k).tolist() == [9, 11, 13, 15, 16, 17, 20, 24, 25, 27,
                                                                            28, 29]
        assert str(solve(tt, dir_exp="1,1,1,1,1", fits=False).intermediate[0].models[0]) == \
            "DEV*URB*LIT*STB + DEV*LIT*~IND*STB"
