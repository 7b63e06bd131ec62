"""qcaERT's tests in the robustness protocol: repeated subsampling, alternative condition sets,
random draws of the settings (analysis.robustness.plan.qcaert_alternatives)."""

import pandas as pd
import pytest
from test_robustness_protocol import clinics, protocol  # noqa: F401  (the fixture and its run)

from analysis.errors import StudyError
from analysis.robustness import RobustnessSettings, plan
from analysis.robustness.settings import read_settings


def test_subsamples_keep_the_share_of_cases_and_depend_on_the_seed_only(clinics):  # noqa: F811
    study, measures, calibrated = clinics
    cases = list(calibrated.index)
    s = RobustnessSettings(subsample_draws=4, subsample_share=0.75, seed=11)
    first = plan.qcaert_alternatives(s, study.condition_anchors, {}, cases)
    again = plan.qcaert_alternatives(s, study.condition_anchors, {}, cases)
    other = plan.qcaert_alternatives(RobustnessSettings(subsample_draws=4, subsample_share=0.75, seed=12),
                                     study.condition_anchors, {}, cases)
    kept = round(0.75 * len(cases))
    assert [a.drop for a in first] == [a.drop for a in again]
    assert [a.drop for a in first] != [a.drop for a in other]
    assert all(len(cases) - len(a.drop) == kept and set(a.drop) <= set(cases) for a in first)
    assert len({a.drop for a in first}) == 4          # four different subsamples


def test_condition_sets_solve_with_their_conditions_and_judge_only_the_core_they_keep(clinics):  # noqa: F811
    study = clinics[0]
    conditions = list(study.conditions)
    settings = RobustnessSettings(drop_one_condition=True, condition_sets={"first two": tuple(conditions[:2])})
    R = protocol(clinics, settings)
    r = R[next(iter(R))]
    assert [s.description for s, _ in r.tests] == [f"without {c}" for c in conditions] + \
        [f"condition set first two: {', '.join(conditions[:2])}"]
    for spec, result in r.tests:
        used = {name for m in result.models for t in m.terms for name, _ in t}
        assert used <= set(spec.conditions)
    # core stability of the condition-set tests: a test judges only the core conditions it keeps
    sets = r.stability[r.stability["kind"] == "condition sets"].set_index("condition")
    for lit, row in sets.iterrows():
        name = lit.lstrip("~")
        keeping = [s for s, _ in r.tests if name in s.conditions]
        assert row["tests"] == len(keeping) and row["core_in"] <= row["tests"]


def test_random_draws_stay_within_their_ranges(clinics):  # noqa: F811
    study = clinics[0]
    ranges = {"anchor_shift": 0.1, "incl_cut": (0.75, 0.9), "n_cut": (1, 3)}
    s = RobustnessSettings(random_draws=25, random_ranges=ranges, seed=3)
    draws = plan.qcaert_alternatives(s, study.condition_anchors, {}, ["a", "b"], study.scales)
    assert len(draws) == 25 and {d.change for d in draws} == {"random"}
    assert all(0.75 <= d.incl_cut <= 0.9 and d.n_cut in (1, 2, 3) and d.pri_cut is None for d in draws)
    for d in draws:
        for c, moved in d.anchors.items():
            lo, hi = study.scales[c]
            shift = [m - a for m, a in zip(moved, study.condition_anchors[c])]
            assert max(shift) - min(shift) < 1e-5                     # the three anchors move together
            assert abs(shift[0]) <= 0.1 * (hi - lo) + 1e-6
    assert len({d.incl_cut for d in draws}) > 5                       # really drawn


def test_random_draws_run_in_the_protocol(clinics):  # noqa: F811
    s = RobustnessSettings(random_draws=3, random_ranges={"anchor_shift": 0.05, "incl_cut": (0.75, 0.85)}, seed=5)
    R = protocol(clinics, s)
    r = R[next(iter(R))]
    assert [spec.change for spec, _ in r.tests] == ["random"] * 3
    assert r.stability["tests"].eq(3).all()


def test_the_study_file_names_the_bad_key():
    with pytest.raises(StudyError, match=r"robustness.condition_sets.sets.theory: unknown condition\(s\) ZZZ"):
        read_settings({"condition_sets": {"sets": {"theory": ["A", "ZZZ"]}}}, "s.yml: robustness", ["A", "B"])
    with pytest.raises(StudyError, match=r"robustness.random_draws.incl_cut: lowest 0.9 is above highest 0.8"):
        read_settings({"random_draws": {"incl_cut": [0.9, 0.8]}}, "s.yml: robustness")
    with pytest.raises(StudyError, match=r"robustness.subsamples.share: got 1.5; must lie strictly between 0 and 1"):
        read_settings({"subsamples": {"share": 1.5}}, "s.yml: robustness")


def test_every_claim_is_judged_in_every_test_solution_by_the_ledger_s_rule(clinics):  # noqa: F811
    """Protocol.claims: the ledger on each test's own solutions; a test without a condition a claim
    names, and a stable_core claim, cannot judge it (blank); the shares count per kind."""
    from analysis.analyses import analyses
    from analysis.claims import claim_status
    from analysis.robustness import Protocol
    from analysis.robustness.claims import claim_shares
    study, measures, calibrated = clinics
    settings = RobustnessSettings(incl_cut=(0.75, 0.9), drop_cases=True, drop_one_condition=True, max_steps=1)
    with Protocol(calibrated, measures, analyses(study, study.thresholds), study.condition_anchors, study.scales,
                  settings, workers=1, progress=False) as p:
        table = p.claims(study.claims)
        tested = p.tested
    assert len(table) == len(p.specs) * len(study.claims)
    kinds = dict(zip(table["test"], table["kind"]))
    assert {kinds[s.name] for s in p.specs} == {"cut-offs", "case deletion", "condition sets"}
    for row in table.itertuples():
        spec = next(s for s in p.specs if s.name == row.test)
        claim = next(c for c in study.claims if c["id"] == row.claim)
        named = {claim["check"].get("condition", "").lstrip("~")} - {""}
        if claim["check"]["type"] == "stable_core" or (spec.conditions and not named <= set(spec.conditions)):
            assert row.holds is pd.NA, (row.test, row.claim)
            continue
        docs = {name: tested[name][spec.name].document for name in tested}
        data = calibrated.drop(index=list(spec.drop)) if spec.drop else calibrated
        assert bool(row.holds) == claim_status(claim, docs, None, data)[0], (row.test, row.claim)
    shares = claim_shares(table).set_index(["claim", "kind"])
    wait = table[table["claim"] == "wait-core"]
    assert shares.loc[("wait-core", "all tests"), "judged"] == int(wait["holds"].notna().sum())
    assert shares.loc[("wait-core", "all tests"), "holds"] == int(wait["holds"].fillna(False).sum())
    assert shares.loc[("stable", "all tests"), "judged"] == 0
