"""The multiverse judges its claims on the models in memory (issue 28): the same verdicts and evidence.

``analysis.multiverse.evaluate`` hands ``claim_status`` the engine's ``Solutions`` built from a
coding's models (``Solved.solutions``), where the run's ledger reads their JSON document
(``Solved.document``), and judges a ``necessary`` claim on the kept cases' arrays
(``check_necessary(check, columns, x)``) instead of a pandas frame.  Both must give the same
(holds, evidence) as the document and the frame, claim by claim, on every coding a few hundred
PPIP specifications meet (solutions without models, one, or several tied ones; errors).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.claims import claim_status
from analysis.claims.memberships import check_necessary
from analysis.claims.schema import beyond_defaults
from analysis.literals import LiteralTable
from analysis.measures import build_measures
from analysis.multiverse import evaluate as ev, prepare
from analysis.multiverse.grid import sample
from analysis.qca import Model
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ppip():
    study = load_study(ROOT / "data" / "ppip" / "study.yml")
    universe = prepare(study, build_measures(study, load_raw(study)), study.thresholds)
    numbers, _ = sample(universe.grid, 240, 5)
    return universe, numbers


def _specs(u, numbers):
    for vi in u.grid.decode(numbers):
        spec = ev._Spec(u, vi, {})
        kept = {s: v[spec.kept] for s, v in spec.columns.items()}
        yield spec, kept, pd.DataFrame(kept, index=pd.Index([u.cases[i] for i in spec.kept], name="case"))


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
def test_claims_on_the_models_in_memory_equal_those_on_their_documents(ppip):
    u, numbers = ppip
    judged = fitted = errors = 0
    for spec, kept, frame in _specs(u, numbers[:120]):
        x = np.column_stack([kept[c] for c in spec.conds])
        rows = (x, *ev.observed_rows(x))
        reported, ys = ev._solved(u, spec, kept, lambda: frame, rows)
        solved = {a.name: r.solved for a, r in zip(u.analyses, reported)}
        ys = dict(zip((a.name for a in u.analyses), ys))
        errors += sum(bool(s.error) for s in solved.values())
        literals = LiteralTable(x, spec.conds)
        for claim in u.claims:
            claim = beyond_defaults(claim, spec.conds)
            if claim is None or claim["check"]["type"] in ("stable_core", "necessary"):
                continue
            names = ev._about(u, claim)
            kind = claim["check"].get("solution", "intermediate")
            fit = (kind,) if claim["check"]["type"] == "consistency" else ()
            member = {n: (lambda ms, n=n: literals.membership(ms)) for n in names}
            documents = {n: solved[n].document(kept, ys[n], fit, member[n]) for n in names}
            memory = {n: solved[n].solutions(ys[n], fit, member[n]) for n in names}
            assert claim_status(claim, memory, None, frame) == claim_status(claim, documents, None, frame)
            judged += 1
            fitted += bool(fit)
    assert judged > 1000 and fitted > 100 and errors > 0


def test_a_necessary_claim_on_arrays_equals_the_claim_on_the_frame(ppip):
    u, numbers = ppip
    checks = [c["check"] for c in u.claims if c["check"]["type"] == "necessary"]
    checks += [{**checks[0], "expression": "~" + checks[0]["expression"]},
               {**checks[0], "expression": "RISK*~KNOW + PUBLIC", "inclN": 0.5, "RoN": 0.3}]
    seen = set()
    for spec, kept, frame in _specs(u, numbers):
        literals = LiteralTable(np.column_stack([kept[c] for c in spec.conds]), spec.conds)
        for check in checks:
            terms = Model.parse(check["expression"]).terms
            if not all(name in spec.conds for term in terms for name, _ in term):
                continue
            got = check_necessary(check, kept, literals.membership([terms]))
            assert got == check_necessary(check, frame)
            seen.add(got[0])
    assert seen == {True, False}
