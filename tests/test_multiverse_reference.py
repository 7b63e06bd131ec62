"""The multiverse's batched path equals a specification-by-specification reference (issue 28).

``analysis.multiverse.evaluate`` codes every analysis of a specification at once, caches the
exclusions of the enhanced standard analysis by coding, the answer of a coding without positive
rows by what it depends on, the membership claims by the memberships they read, and solves small
prime implicant charts by trying their sets of primes and finds the primes of a few conditions
in a table of every implicant.  The reference here does none of that:
for each specification it builds the engine's truth table on a pandas frame of the kept cases,
finds the exclusions with ``analysis.enhanced.exclusions`` (the engine's ``esa`` on the truth
table, the necessary conditions by the engine's ``necessity``), solves with ``solve``, the
engine's other prime implicant methods and the chart search alone, fits with
``models_membership`` and judges every claim afresh.  Every column of every row must be equal,
on a few hundred PPIP specifications chosen so that the caches are hit (siblings that differ in
one choice only).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis.enhanced as enhanced
import analysis.qca.chart_small as chart_small
import analysis.qca.primes_small as primes_small
from analysis.claims import claim_status
from analysis.claims.schema import beyond_defaults
from analysis.codings import solved_of
from analysis.measures import build_measures
import analysis.coded as coded
from analysis.multiverse import evaluate as ev, prepare, table
from analysis.multiverse.grid import sample
from analysis.qca import necessity, solve, sufficiency, term_string
from analysis.qca.chart import minimal_covers
from analysis.qca.primes import prime_implicants
from analysis.qca.sets import models_membership, outcome_membership
from analysis.rawdata import load_raw
from analysis.robustness.measures import core_conditions
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]
BASE = 70                 # random specifications, each with three siblings


@pytest.fixture(scope="module")
def ppip():
    study = load_study(ROOT / "data" / "ppip" / "study.yml")
    universe = prepare(study, build_measures(study, load_raw(study)), study.thresholds)
    base, _ = sample(universe.grid, BASE, 11)
    shape, names = universe.grid.shape, [c.name for c in universe.grid.choices]
    rng = np.random.default_rng(3)
    numbers = set()
    for idx in universe.grid.decode(base):
        numbers.add(int(np.ravel_multi_index(idx, shape)))
        for dim in ("incl_cut", "conditions", "pri_cut"):        # the same cases and anchors: caches hit
            j = names.index(dim)
            sibling = idx.copy()
            sibling[j] = rng.integers(shape[j])
            numbers.add(int(np.ravel_multi_index(sibling, shape)))
    return universe, np.array(sorted(numbers), dtype=np.int64)


def _necessary_by_engine(x, y, conditions, incl_cut, ron_cut):
    """The literals the engine's ``necessity`` finds necessary, one at a time."""
    out = []
    for present in (True, False):
        for j, c in enumerate(conditions):
            fit = necessity(x[:, j] if present else 1 - x[:, j], y)
            if fit.inclN >= incl_cut and fit.RoN >= ron_cut:
                out.append(c if present else "~" + c)
    return out


def _reference_row(u, number, vi):
    spec = ev._Spec(u, vi, {})
    kept = {s: v[spec.kept] for s, v in spec.columns.items()}
    frame = pd.DataFrame(kept, index=pd.Index([u.cases[i] for i in spec.kept], name="case"))
    row, docs, ys = {"spec": number}, {}, {}
    for a in u.analyses:
        variant = ev.replace(a.with_conditions(spec.conds), cuts=ev.Cuts(*spec.cuts))
        tt = variant.truth_table(frame)
        excluded = enhanced.exclusions(variant.esa, tt, variant.necessity)["row"].tolist()
        solved = solved_of(lambda: solve(tt, list(variant.dir_exp), fits=False, exclude=excluded or None), None)
        y = outcome_membership(kept, a.outcome, a.neg_out)
        docs[a.name], ys[a.name] = solved, y
        chosen = solved.chosen("intermediate")
        if solved.error:
            values = (0, np.nan, np.nan, "", "")
        else:
            fit = sufficiency(models_membership(kept, chosen, len(y)), y)
            every = [m for _, ms in solved.models["intermediate"] for m in ms]
            values = (len(chosen), fit.inclS, fit.covS, " | ".join(map(str, every)),
                      " | ".join(map(str, solved.models["parsimonious"])))
        row.update(zip((f"{a.name}: {k}" for k in ("models", "inclS", "covS", "solution", "parsimonious")), values))
    for claim in u.claims:
        judged = beyond_defaults(claim, spec.conds)
        holds = None
        if judged is not None:
            names = ev._about(u, claim)
            kind = judged["check"].get("solution", "intermediate")
            fitted = (kind,) if judged["check"]["type"] == "consistency" else ()
            documents = {n: docs[n].document(kept, ys[n], fitted) for n in names}
            holds = claim_status(judged, documents, None, frame)[0]
        row[f"claim: {claim['id']}"] = holds
    for name, lit in u.core:
        solved = docs[name]
        row[f"core: {name}: {term_string((lit,))}"] = (
            None if lit[0] not in spec.conds else False if solved.error else
            lit in core_conditions(solved.models["parsimonious"]))
    for c, i in zip(u.grid.choices, vi):
        row[c.name] = c.values[i]
    return row


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_the_batched_path_gives_every_column_of_the_reference(ppip, monkeypatch):
    universe, numbers = ppip
    assert len(numbers) >= 200
    coded._CACHE.clear()
    new = ev.evaluate(universe, numbers)
    full = [k for k in coded._CACHE if k[0] not in ("rows", "nothing to explain")]
    reduced = [coded._solved_rows(k) for k in full]
    assert len({r for r in reduced if r is not None}) < sum(r is not None for r in reduced)   # codings shared a solve
    with monkeypatch.context() as m:
        m.setattr(enhanced, "necessary_literals", _necessary_by_engine)
        m.setattr(chart_small, "SMALL_SETS", 0)                      # the chart search alone
        m.setattr(primes_small, "SMALL_K", 0)                        # the primes by the engine's other methods
        rows = [_reference_row(universe, int(n), vi) for n, vi in zip(numbers, universe.grid.decode(numbers))]
    old = pd.DataFrame(rows, columns=table.columns(universe)).astype(table.column_types(universe))
    for col in old.columns:
        pd.testing.assert_series_equal(new[col], old[col], check_exact=True, obj=col)
    assert new.equals(old)
    assert new.filter(like="claim: ").notna().sum().sum() > len(numbers)       # claims were judged
    assert (new.filter(like=": models") == 0).any().any() and (new.filter(like=": models") > 0).any().any()


def test_necessary_literals_of_several_outcomes_are_the_engines():
    rng = np.random.default_rng(4)
    for _ in range(300):
        cases, k = int(rng.integers(2, 60)), int(rng.integers(1, 6))
        x = np.round(rng.random((cases, k)), 2)
        ys = np.round(rng.random((4, cases)) ** 0.3, 2)
        conds = [f"C{j}" for j in range(k)]
        found = enhanced.outcomes_necessary_literals(x, ys, conds, 0.8, 0.5)
        assert found == [_necessary_by_engine(x, y, conds, 0.8, 0.5) for y in ys]


def test_small_charts_have_the_covers_of_the_search(monkeypatch):
    rng = np.random.default_rng(5)
    tried = 0
    for _ in range(3000):
        p, c = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        chart = rng.random((p, c)) < rng.uniform(0.15, 0.7)
        chart[rng.integers(0, p, c), np.arange(c)] = True
        fast = chart_small.small_covers(chart, 100_000)
        with monkeypatch.context() as m:
            m.setattr(chart_small, "SMALL_SETS", 0)
            searched = minimal_covers(chart)
        if fast is not None and not chart.all(axis=1).any():
            tried += 1
            assert fast == searched
    assert tried > 1000


def test_a_coding_without_positive_rows_answers_as_the_engine(ppip):
    universe, numbers = ppip
    coded._CACHE.clear()
    ev.evaluate(universe, numbers[:40])
    shortcuts = [k for k in coded._CACHE if k[0] == "nothing to explain"]
    assert shortcuts                                                     # the shortcut was taken


def test_primes_of_a_few_conditions_are_those_of_the_other_methods(monkeypatch):
    rng = np.random.default_rng(7)
    found = 0
    for _ in range(3000):
        k = int(rng.integers(1, primes_small.SMALL_K + 1))
        order = rng.permutation(1 << k)
        a, b = sorted(rng.integers(0, (1 << k) + 1, 2))
        on, off = order[:a], order[a:b]
        through = rng.choice(on, int(rng.integers(1, len(on) + 1)), replace=False) if len(on) and rng.random() < 0.3 \
            else None
        table = prime_implicants(on, off, k, through)
        with monkeypatch.context() as m:
            m.setattr(primes_small, "SMALL_K", 0)                   # the engine's other methods
            other = prime_implicants(on, off, k, through)
        assert table.dtype == other.dtype and table.shape == other.shape and np.array_equal(table, other)
        found += len(other) > 0
    assert found > 2000
