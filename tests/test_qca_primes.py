"""Prime implicants (analysis.qca.primes): the three methods against each other and the definition."""
import numpy as np
import pytest

from analysis.qca import primes as pr
from analysis.qca.primes import covers, prime_implicants
from analysis.qca.primes_merge import primes_by_merging


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
        merged = primes_by_merging(np.unique(on), k, limit=10 ** 9)
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
