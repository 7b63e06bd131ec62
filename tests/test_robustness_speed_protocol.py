"""The robustness sweep's fast paths give what the plain ones give, value for value, on the three
studies: a protocol run with the fast paths (literal tables, codings solved from the coding alone
(``analysis.coded``), the solutions kept in memory for the claims) equals one run with the
engine's ``models_membership`` and ``truth_table`` on fresh caches: ranges, test solutions, memberships,
fit- and case-oriented measures, core stability and the claims' verdicts."""
from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import analysis.codings as codings
import analysis.robustness.sweep as sweep
from analysis.analyses import analyses
from analysis.qca.sets import models_membership
from analysis.robustness import Protocol
from test_robustness_speed_memberships import study_memberships


def run(name):
    study, measures, calibrated = study_memberships(name)
    s = replace(study.robustness, max_steps=2, drop_cases_max=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Protocol(calibrated, measures, analyses(study, study.thresholds), study.condition_anchors, study.scales,
                      s, workers=1, progress=False, calibration=study.calibration) as p:
            return p.results(), p.claims(study.claims)


def plain(monkeypatch):
    """The engine's memberships and truth tables (every coding solved on its frame, none from the
    coding alone), documents for the claims, and fresh caches."""
    def members(x, conditions):
        columns = {c: x[:, j] for j, c in enumerate(conditions)}
        return lambda models: models_membership(columns, models, x.shape[0])

    def solve(a, kept, x, y, rows, binary):
        return codings.solve_coding(a, kept, x, y, rows)            # engine truth_table on the frame
    monkeypatch.setattr(sweep, "members", members)
    monkeypatch.setattr(codings.Solved, "solutions",                # the claims read JSON-like documents
                        lambda self, y, fitted, member: self.document(None, y, fitted, member))
    monkeypatch.setattr(sweep, "_solve", solve)
    monkeypatch.setattr(codings, "_CACHE", {})


@pytest.mark.parametrize("name", [pytest.param("pss", marks=pytest.mark.slow),
                                  pytest.param("ppip", marks=pytest.mark.slow), "lipset"])
def test_the_fast_protocol_equals_the_plain_one(name, monkeypatch):
    monkeypatch.setattr(codings, "_CACHE", {})
    fast, fast_claims = run(name)
    plain(monkeypatch)
    ref, ref_claims = run(name)
    assert list(fast) == list(ref) and len(ref)
    for key, r in ref.items():
        f = fast[key]
        for frame in ("ranges", "memberships", "types", "stability"):
            pd.testing.assert_frame_equal(getattr(f, frame), getattr(r, frame), check_exact=True)
        pd.testing.assert_frame_equal(f.tests_frame(), r.tests_frame(), check_exact=True)
        assert np.array_equal(np.array(list(f.fit.to_dict().values())), np.array(list(r.fit.to_dict().values())),
                              equal_nan=True)
        assert (repr(f.ratios), f.core) == (repr(r.ratios), r.core)        # repr: NaN equals NaN
        assert f.initial.signature == r.initial.signature
        assert [(s.name, t.signature, t.membership.tobytes(), t.first.tobytes()) for s, t in f.tests] == \
            [(s.name, t.signature, t.membership.tobytes(), t.first.tobytes()) for s, t in r.tests]
    assert len(ref_claims) == len(fast_claims)
    pd.testing.assert_frame_equal(fast_claims, ref_claims, check_exact=True)
