"""The robustness sweep solves a coding on the truth table built from it (``analysis.coded``, the
multiverse's path, issue 28 round 5) instead of the engine's ``truth_table`` of the memberships
(``analysis.codings.solve_coding``): both give the same models and the same refusals, on the
three studies' analyses under the cut-offs, case deletions and condition sets the protocol tries,
each on fresh caches."""
from __future__ import annotations

import warnings
from dataclasses import replace

import pytest

import analysis.coded as coded
import analysis.codings as codings
from analysis.analyses import Cuts, analyses
from analysis.codings import observed_rows
from analysis.qca import Model
from analysis.qca.sets import outcome_membership
from test_robustness_speed_memberships import study_memberships

CUTS = [(0.75, 0.6, 1), (0.8, 0.7, 1), (0.85, 0.75, 2), (0.9, 0.8, 1), (0.95, 0.9, 3), (0.7, 0.5, 4)]


def _written(solved) -> tuple:
    """A ``Solved`` as the sweep reads it: the error, or every block's models as written."""
    if solved.error:
        return ("error", solved.error)
    m = solved.models
    return (tuple(map(str, m["complex"])), tuple(map(str, m["parsimonious"])),
            tuple((label, tuple(map(str, models))) for label, models in m["intermediate"]))


@pytest.mark.parametrize("name", [pytest.param("pss", marks=pytest.mark.slow),
                                  pytest.param("ppip", marks=pytest.mark.slow), "lipset"])
def test_coded_solutions_are_the_engines(name, monkeypatch):
    monkeypatch.setattr(coded, "_CACHE", {})
    monkeypatch.setattr(codings, "_CACHE", {})
    study, _, calibrated = study_memberships(name)
    cases = list(calibrated.index)
    kept_sets = [cases, cases[1:], cases[::2], cases[: len(cases) * 2 // 3]]
    compared, refused = 0, 0
    for a in analyses(study, study.thresholds):
        variants = [a] + ([a.with_conditions(a.conditions[1:])] if len(a.conditions) > 2 else [])
        for v in variants:
            for kept in kept_sets:
                frame = calibrated.loc[kept]
                x = frame[list(v.conditions)].to_numpy(dtype=float)
                y = outcome_membership(frame, v.outcome, v.neg_out)
                rows = observed_rows(x)
                for cuts in CUTS:
                    w = replace(v, cuts=Cuts(*cuts))
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        got = coded.solve_coded(w, x, y, rows)
                        ref = codings.solve_coding(w, frame, x, y, rows)
                    assert _written(got) == _written(ref), (name, w.label, v.conditions, len(kept), cuts)
                    compared += 1
                    refused += bool(ref.error)
    assert compared and 0 < refused < compared          # both kinds of answer were compared


def test_a_models_text_and_key_are_made_once():
    m = Model.parse("A*~B + C")
    assert str(m) == "A*~B + C" and str(m) is str(m) and m.key is m.key
    assert m.key == Model.parse("C + ~B*A").key != Model.parse("A*B + C").key
    assert m == Model.parse("A*~B + C") and replace(m, terms=m.terms[:1]).text == "A*~B"
