"""The multiverse workers' cheaper forms equal what they replaced (issue 28, round 8).

* ``row_memberships`` takes each row's literals from one table of x and 1 - x, instead of a
  ``where`` of the row's bits over every case and condition; ``observed_rows`` counts the cases'
  codes instead of sorting them (``np.unique``): the same arrays, byte for byte;
* ``out_codes`` is ``OUT[out_index(...)]``: the same characters as the three ``np.where`` it
  replaced, on random rows with values at the cut-offs' tolerance and NaN;
* a ``consistency`` claim's verdict is kept by its analyses' models and whether each model's fit
  meets the claim (``judge.FIT``): equal to ``claim_status`` on the fitted solutions, judged
  afresh for every specification;
* the caches keep their newer half when full (``analysis.bounded``): the rows do not change.
"""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

import analysis.coded as coded
import analysis.enhanced as enhanced
from analysis.claims import claim_status
from analysis.claims.schema import beyond_defaults
from analysis.codings import observed_rows
from analysis.multiverse import codings as mv_codings, evaluate as ev
from analysis.qca.cuts import CONTRADICTION, NEGATIVE, OUT, POSITIVE, REMAINDER, at_least, out_codes, out_index
from analysis.qca.rows import case_codes, row_bits
from analysis.qca.truthtable import outcomes_row_statistics, row_memberships

def _where_memberships(x, codes, k):
    bits = row_bits(codes, k).astype(bool)
    return np.where(bits[None, :, :], x[:, None, :], 1 - x[:, None, :]).min(axis=2)


def test_row_memberships_and_observed_rows_are_the_where_and_unique_forms():
    rng = np.random.default_rng(8)
    for t in range(200):
        k, n = int(rng.integers(1, 9)), int(rng.integers(0, 50))
        x = rng.random((n, k)).round(int(rng.integers(1, 4)))
        if n and t % 3 == 0:
            x[rng.integers(n)] = 0.5                                  # a case in no row
        codes, rm = observed_rows(x)
        expected = np.unique(case_codes(x))
        assert codes.dtype == expected.dtype and np.array_equal(codes, expected)
        assert rm.tobytes() == _where_memberships(x, expected, k).tobytes()
        every = np.arange(2 ** k)
        assert row_memberships(x, every, k).tobytes() == _where_memberships(x, every, k).tobytes()


def _where_out(n, incl, pri, incl_cut, pri_cut, n_cut):
    cuts = tuple(np.atleast_1d(incl_cut).tolist())
    ic1, ic0 = cuts[0], (cuts[1] if len(cuts) > 1 else 1.0)
    incl, pri = np.asarray(incl, dtype=float), np.asarray(pri, dtype=float)
    n = np.broadcast_to(np.asarray(n), incl.shape)
    with np.errstate(invalid="ignore"):
        contradiction = (incl < ic1) & at_least(incl, ic0)
    out = np.where(at_least(incl, ic1) & at_least(pri, pri_cut), POSITIVE, NEGATIVE)
    out = np.where(contradiction, CONTRADICTION, out)
    return np.where(n < n_cut, REMAINDER, out)


def test_out_codes_from_out_index_are_the_where_form():
    rng = np.random.default_rng(28)
    seen = set()
    for t in range(1500):
        rows, lines = int(rng.integers(0, 12)), int(rng.integers(1, 4))
        n = rng.integers(0, 4, rows)
        incl = rng.choice([0.5, 0.75, 0.8, 0.79999999, 0.8000001, 0.85, 1.0, np.nan], (lines, rows))
        pri = rng.choice([0.5, 0.6, 0.7, 0.69999999, 0.8, np.nan], (lines, rows))
        cut = (0.8, 0.6) if t % 2 else float(rng.choice([0.75, 0.8, 1.0]))
        one = t % 3 == 0
        args = (n, incl[0] if one else incl, pri[0] if one else pri, cut, 0.7, int(rng.integers(1, 3)))
        expected, got = _where_out(*args), out_codes(*args)
        assert got.dtype == expected.dtype and got.shape == expected.shape and got.tobytes() == expected.tobytes()
        assert np.array_equal(OUT[out_index(*args)], expected)
        seen.update(expected.ravel().tolist())
    assert seen == {POSITIVE, NEGATIVE, CONTRADICTION, REMAINDER}


@pytest.fixture(scope="module")
def ppip(ppip_plain):
    return ppip_plain.universe, ppip_plain.numbers[:120]      # the session's PPIP universe and sample


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_the_consistency_verdicts_kept_by_their_fits_are_claim_status_afresh(ppip):
    u, numbers = ppip
    claim = next(c for c in u.claims if c["check"]["type"] == "consistency")
    names = ev._about(u, claim)
    got = ev.evaluate(u, numbers)[f"claim: {claim['id']}"].tolist()
    expected = []
    for vi in u.grid.decode(numbers):
        spec = ev._Spec(u, vi, {})
        kept = {s: v[spec.kept] for s, v in spec.columns.items()}
        frame = pd.DataFrame(kept, index=pd.Index([u.cases[i] for i in spec.kept], name="case"))
        x = np.column_stack([kept[c] for c in spec.conds])
        reported, ys = ev._solved(u, spec, kept, lambda: frame, (x, *observed_rows(x)))
        docs = {a.name: (r, y) for a, r, y in zip(u.analyses, reported, ys)}
        judged = beyond_defaults(claim, spec.conds)
        expected.append(None if judged is None else claim_status(judged, {
            n: docs[n][0].solved.document(kept, docs[n][1], ("intermediate",)) for n in names})[0])
    assert got == expected
    assert True in got and False in got                   # both verdicts met: the fits decide


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_caches_that_keep_their_newer_half_when_full_give_the_same_rows(ppip, monkeypatch):
    u, numbers = ppip
    ev._KNOWN.pop(u, None)
    whole = ev.evaluate(u, numbers)
    ev._KNOWN.pop(u, None)
    for module, name in ((mv_codings, "KNOWN_LIMIT"), (coded, "_CACHE_LIMIT"), (ev, "_REPORTED_LIMIT"),
                         (enhanced, "_SA_LIMIT")):
        monkeypatch.setattr(module, name, 16)
    for module, name in ((coded, "_CACHE"), (ev, "_REPORTED"), (ev, "_SIGNATURES"), (enhanced, "_EXCLUDED"),
                         (enhanced, "_SA_CACHE")):
        monkeypatch.setattr(module, name, {})                   # every cache filled afresh, past its limit
    monkeypatch.setattr(ev, "_verdicts", lambda u: {})
    small = ev.evaluate(u, numbers)
    assert 0 < len(ev._KNOWN[u]) <= 16 and 0 < len(coded._CACHE) <= 16 and len(ev._REPORTED) <= 16
    assert small.equals(whole)
    ev._KNOWN.pop(u, None)


def test_each_distinct_outcome_line_coded_once_gives_every_lines_own_values():
    rng = np.random.default_rng(5)
    for t in range(100):
        cases, rows = int(rng.integers(2, 30)), int(rng.integers(1, 12))
        rm = rng.random((cases, rows)).round(2)
        ys = rng.random((int(rng.integers(1, 6)), cases)).round(2)
        ys = np.concatenate((ys, 1 - ys[: int(rng.integers(0, len(ys) + 1))]))   # some lines negated
        lines = np.concatenate((ys, 1 - ys))                                        # twice the same line: 1 - Y
        cuts = (float(rng.choice([0.75, 0.8])), 0.7, int(rng.integers(1, 3)))
        n, incl, pri = outcomes_row_statistics(rm, lines)
        got = mv_codings._coded(rm, lines, cuts)
        for a, b in zip(got, (n, incl, pri, out_index(n, incl, pri, *cuts))):
            assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
