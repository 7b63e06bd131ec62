"""The multiverse workers' look-ups shared more widely give the same rows (issue 28, round 9).

* ``solve_specification``'s look-up of a coding leaves the cut-offs out of its key when the
  coding has a solution (its models do not depend on them: ``analysis.coded``'s cache is keyed by
  the coding alone); a refusal, whose message names the cut-offs, stays keyed with them;
* ``evaluate._reported`` is made once per solve: the ``Solved`` of another coding solved at once
  (``dataclasses.replace`` of it with its own key, ``analysis.coded.solve_key``) shares it.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import analysis.coded as coded
from analysis.multiverse import codings as mv_codings, evaluate as ev


@pytest.fixture(scope="module")
def ppip(ppip_plain):
    """The session's PPIP universe and 20 of its sampled specifications, each under every incl_cut
    and n_cut value (specifications that differ only in their cut-offs)."""
    u = ppip_plain.universe
    names = [c.name for c in u.grid.choices]
    idx = u.grid.decode(ppip_plain.numbers[:20])
    variants = []
    for row in idx:
        for incl in range(u.grid.shape[names.index("incl_cut")]):
            for n in range(u.grid.shape[names.index("n_cut")]):
                v = row.copy()
                v[names.index("incl_cut")], v[names.index("n_cut")] = incl, n
                variants.append(v)
    return u, np.ravel_multi_index(np.array(variants).T, u.grid.shape).astype(np.int64)


def _counted(monkeypatch):
    calls = []
    solve_key = mv_codings.solve_key
    monkeypatch.setattr(mv_codings, "solve_key", lambda *a: calls.append(1) or solve_key(*a))
    return calls


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_codings_looked_up_without_their_cut_offs_give_the_rows_looked_up_with_them(ppip, monkeypatch):
    u, numbers = ppip
    ev._KNOWN.pop(u, None)
    calls = _counted(monkeypatch)
    shared = ev.evaluate(u, numbers)
    without = len(calls)
    keys = list(ev._KNOWN[u])
    assert any(len(k) == 6 for k in keys) and any(len(k) == 7 for k in keys)   # solutions, and refusals
    assert all(ev._KNOWN[u][k].error for k in keys if len(k) == 7)
    ev._KNOWN.pop(u, None)
    calls.clear()
    solve = ev.solve_specification                  # the tag names the cut-offs too: the old look-up
    monkeypatch.setattr(ev, "solve_specification", lambda a, x, ys, rows, known, tag: solve(
        a, x, ys, rows, known, (tag, a[0].cuts)))
    apart = ev.evaluate(u, numbers)
    assert shared.equals(apart)
    assert without < len(calls)                     # the cut-offs left out: codings found again
    ev._KNOWN.pop(u, None)


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_a_coding_solved_with_another_shares_its_report(ppip, monkeypatch):
    u, numbers = ppip
    ev.evaluate(u, numbers[:12])
    monkeypatch.setattr(ev, "_REPORTED", {})
    fields = ("claimed", "signature", "chosen", "solution", "models", "parsimonious", "core")
    solved = [s for s in coded._CACHE.values() if not s.error][:5] + [s for s in coded._CACHE.values() if s.error][:2]
    assert len(solved) == 7
    for s in solved:
        other = replace(s, key=s.key[:2] + (b"other",) + s.key[3:])
        shared = ev._reported(s)
        assert ev._reported(other) is shared and ev._reported(s) is shared
        ev._REPORTED.clear()
        afresh = ev._reported(other)
        assert afresh is not shared and afresh.solved is other
        for name in fields:
            assert repr(getattr(afresh, name)) == repr(getattr(shared, name)), name
        assert afresh.error == shared.error
        assert (afresh.index is None) == (shared.index is None)
        assert afresh.index is None or np.array_equal(afresh.index, shared.index)
