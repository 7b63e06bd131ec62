"""The multiverse's shared-out run and its look-ups before the exclusions equal the plain
per-specification path (issue 28, round 6).

A run on local processes gives each process its share of every chunk (the condition sets and
cut-offs given to it: ``analysis.multiverse.shares``) and puts the rows back in order; each
process looks a coding up by what decides it before the exclusions of the enhanced standard
analysis are found (``analysis.multiverse.codings``).  Held here against the plain path: every
chunk evaluated whole in this process, every coding through the engine's ``truth_table`` and
``analysis.codings.solve_coding`` (no look-ups), the claims judged afresh in each chunk; the
chunks' bytes must be equal, on the three studies.  PPIP's plain rows are the session's
(``conftest.PlainPPIP``, which test_multiverse_speedpath holds the fast path against too).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analysis.measures import build_measures
from analysis.multiverse import evaluate as ev, prepare, run_multiverse, store
from analysis.multiverse.grid import Choice, Grid, sample
from analysis.multiverse.shares import Shares
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

from conftest import PLAIN_SPECS

ROOT = Path(__file__).resolve().parents[1]


def _study(name):
    study = load_study(ROOT / "data" / name / "study.yml")
    return study, build_measures(study, load_raw(study))


def _plain(universe, numbers, monkeypatch):
    """``evaluate`` without the look-ups: the engine's truth table for every coding, the claims
    judged afresh."""
    with monkeypatch.context() as m:
        m.setattr(ev, "_binary", lambda u: False)
        m.setattr(ev, "_verdicts", lambda u: {})
        return ev.evaluate(universe, numbers)


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
@pytest.mark.parametrize("name, size", [("lipset", 160),
                                        pytest.param("ppip", PLAIN_SPECS, marks=pytest.mark.xdist_group("mv-ppip-plain")),
                                        ("pss", 120)])
def test_a_shared_out_run_writes_the_chunks_of_the_plain_path(name, size, tmp_path, monkeypatch, request):
    study, measures = _study(name)
    settings = replace(study.multiverse, chunk=size // 4)
    plain = request.getfixturevalue("ppip_plain") if name == "ppip" else None     # made once for the session
    mv = run_multiverse(study, measures, study.thresholds, tmp_path / "mv", size=size, workers=2, progress=False,
                        settings=settings)
    assert mv.counts["ran"] == 4
    universe = prepare(study, measures, study.thresholds, settings)
    numbers, _ = sample(universe.grid, size, settings.seed)
    fingerprint = store.set_fingerprint(mv.manifest)
    owners = set()
    for j in range(4):
        part = numbers[j * settings.chunk:(j + 1) * settings.chunk]
        owners |= set(Shares(universe.grid, universe.condition_sets, 2).of(part).tolist())
        rows = plain.chunks[j] if plain is not None else _plain(universe, part, monkeypatch)
        assert plain is None or np.array_equal(plain.numbers[j * settings.chunk:(j + 1) * settings.chunk], part)
        want = store.to_parquet(rows, store.chunk_tag(fingerprint, j, part))
        assert store.chunk_path(mv.folder, j).read_bytes() == want, f"chunk {j}"
    assert owners == {0, 1}                                  # both processes had a share


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_codings_looked_up_before_the_exclusions_give_the_rows_of_the_plain_path(monkeypatch):
    study, measures = _study("ppip")
    universe = prepare(study, measures, study.thresholds)
    base, _ = sample(universe.grid, 60, 5)
    shape, names = universe.grid.shape, [c.name for c in universe.grid.choices]
    numbers = set()
    for idx in universe.grid.decode(base):                  # siblings: another anchor of a set or case subset
        numbers.add(int(np.ravel_multi_index(idx, shape)))
        for dim in ("anchors PUBLIC", "anchors PPV", "cases"):
            sibling = idx.copy()
            sibling[names.index(dim)] = (idx[names.index(dim)] + 1) % shape[names.index(dim)]
            numbers.add(int(np.ravel_multi_index(sibling, shape)))
    numbers = np.array(sorted(numbers))
    plain = _plain(universe, numbers, monkeypatch)
    ev._KNOWN.pop(universe, None)
    fast = ev.evaluate(universe, numbers)
    looked = len(ev._KNOWN[universe])
    assert looked < len(numbers) * len(universe.analyses)          # codings were met again and looked up
    assert fast.equals(plain)
    again = ev.evaluate(universe, numbers[::-1])                     # every coding looked up
    assert again.iloc[::-1].reset_index(drop=True).equals(plain) and len(ev._KNOWN[universe]) == looked


def test_every_specification_has_one_share_and_a_group_one_worker():
    grid = Grid((Choice("anchors A", "anchors", (-0.05, 0.0, 0.05), "A"),
                 Choice("incl_cut", "cut", (0.75, 0.8, 0.85), "incl_cut"), Choice("n_cut", "cut", (1, 2), "n_cut"),
                 Choice("cases", "cases", ("all", "-a", "-b")),
                 Choice("conditions", "conditions", ("all", "-A", "-B", "-C"))))
    sets = (("A", "B", "C"), ("B", "C"), ("A", "C"), ("A", "B"))
    for workers in (1, 2, 3, 5):
        shares = Shares(grid, sets, workers)
        numbers = np.arange(grid.size)
        split = shares.split(numbers)
        assert sorted(np.concatenate(split).tolist()) == list(range(grid.size))
        assert all(np.all(np.diff(s) > 0) for s in split)
        idx = grid.decode(numbers)
        owner = shares.of(numbers)
        groups = {}
        for (incl, n, cond), w in zip(idx[:, [1, 2, 4]].tolist(), owner.tolist()):
            assert groups.setdefault((incl, n, cond), w) == w              # one worker per group
        load = np.zeros(workers)
        for (incl, n, cond), w in groups.items():
            load[w] += 2 ** len(sets[cond])
        assert load.max() - load.min() <= 8                                # within the largest group
        assert len(set(owner.tolist())) == min(workers, len(groups))
