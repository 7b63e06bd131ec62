"""The multiverse's fast path equals its per-specification path (issue 28).

New codings are solved on a truth table built from the coding with numpy
(``analysis.multiverse.codings``), and claims that depend only on the models are judged once per combination of codings across chunks;
the chunks must be byte for byte those of the old path (the engine's ``truth_table`` on a pandas
frame, a cache per process, verdicts per chunk), on a few hundred PPIP specifications.  The old
path's rows are made once for the session (``conftest.PlainPPIP``: test_speed6_m1_shares holds the
shared-out run against the same rows, in the same xdist group).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis.coded as coded
import analysis.codings as old_codings
from analysis.multiverse import evaluate as ev, store
from analysis.qca.sets import outcome_membership

from conftest import PLAIN_SPECS


@pytest.fixture(scope="module")
def ppip(ppip_plain):
    assert len(ppip_plain.numbers) == PLAIN_SPECS
    return ppip_plain.universe, ppip_plain.numbers


@pytest.mark.xdist_group("mv-ppip-plain")          # with the other test of the session's plain rows
def test_the_fast_path_writes_the_bytes_of_the_per_specification_path(ppip, ppip_plain):
    universe, numbers = ppip
    old = pd.concat(ppip_plain.chunks, ignore_index=True)  # every coding through the engine's truth_table,
    ppip_plain.clear()                                     # claims judged afresh in each chunk
    half = len(numbers) // 2                               # two chunks: the second reuses the first's verdicts
    new = pd.concat([ev.evaluate(universe, numbers[:half]), ev.evaluate(universe, numbers[half:])],
                    ignore_index=True)
    assert ev._binary(universe) and len(coded._CACHE) > 0 and not old_codings._CACHE and ev._VERDICTS[universe]
    assert new.equals(old)
    assert store.to_parquet(new, {"set": "x"}) == store.to_parquet(old, {"set": "x"})
    assert new.filter(like="claim: ").notna().any().any()        # the claims were judged, not all null


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_the_table_built_from_the_coding_is_the_engines(ppip):
    universe, numbers = ppip
    idx = universe.grid.decode(numbers[:40])
    seen = excluded_seen = 0
    for vi in idx:
        spec = ev._Spec(universe, vi, {})
        kept = {s: v[spec.kept] for s, v in spec.columns.items()}
        frame = spec.frame(universe).iloc[spec.kept]
        x = np.column_stack([kept[c] for c in spec.conds])
        rows = old_codings.observed_rows(x)
        for a in universe.analyses:
            variant = ev.replace(a.with_conditions(spec.conds), cuts=ev.Cuts(*spec.cuts))
            y = outcome_membership(kept, a.outcome, a.neg_out)
            c = variant.cuts
            stats, pos, neg = old_codings.coding_statistics(x, y, c.incl, c.pri, c.n, rows)
            built, engine = coded.coded_table(variant, *stats), variant.truth_table(frame)
            same(built, engine, spec.conds)
            assert built.positive.tolist() == pos.tolist() and built.negative.tolist() == neg.tolist()
            out = np.asarray(stats[-1])                 # exclude an observed row of each kind and a remainder
            rows_out = [stats[0][out == o][:1] for o in ("1", "0", "?")]
            remainder = np.setdiff1d(np.arange(2 ** len(spec.conds)), stats[0])[:1]
            excluded = np.unique(np.concatenate([*rows_out, remainder])).astype(np.int64)
            labels = [format(int(c), f"0{len(spec.conds)}b") for c in excluded]
            same(coded.coded_table(variant, *stats, excluded), engine.exclude(labels), spec.conds)
            excluded_seen += len(excluded) > 0
            seen += 1
    assert seen == 40 * len(universe.analyses) and excluded_seen == seen


def same(built, engine, conditions):
    cols = ["code", *conditions, "OUT", "n", "incl", "PRI"]
    assert built.table[cols].equals(engine.table[cols])
    assert built.positive.tolist() == engine.positive.tolist()
    assert built.negative.tolist() == engine.negative.tolist()
    assert built.excluded == engine.excluded and built.outcome_label == engine.outcome_label
    assert (built.incl_cut, built.pri_cut, built.n_cut) == (engine.incl_cut, engine.pri_cut, engine.n_cut)
