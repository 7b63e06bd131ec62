"""The claims ledger (analysis.claims): claims can pass, and, above all, they can fail."""
import numpy as np
import pandas as pd
import pytest

from analysis.errors import StudyError
from analysis import solve, truth_table
from analysis.claims import evaluate_claims, outcome_key, validate_claims


def _fit(model, incl=0.9):
    return {"model": list(model), "inclS": incl, "PRI": incl - 0.05, "covS": 0.7,
            "terms": [{"term": t, "inclS": incl, "PRI": incl - 0.05, "covS": 0.5, "covU": 0.1, "cases": []}
                      for t in model]}


def _solutions(parsimonious, intermediate, incl=0.9):
    """Solutions JSON (as Solutions.to_json()) with the given tied models."""
    return {"complex": {"models": [intermediate[0]], "fits": [_fit(intermediate[0], incl)]},
            "parsimonious": {"models": parsimonious, "fits": [_fit(m, incl) for m in parsimonious]},
            "intermediate": [{"label": "C1P1", "models": intermediate, "fits": [_fit(m, incl) for m in intermediate],
                              "easy_counterfactuals": [], "difficult_counterfactuals": []}]}


def _claim(check, cid="c"):
    return {"id": cid, "text": "a claim", "check": check}


RESULTS = {
    "MPV": _solutions([["CONTRACT*KNOW", "RISK*PUBLIC"]], [["CONTRACT*KNOW*PUBLIC", "RISK*PUBLIC*~NORMS"]]),
    "PPV": _solutions([["NORMS*RISK"]], [["NORMS*RISK*KNOW"]], incl=0.75),
    "notMPV": _solutions([["~CONTRACT"]], [["~CONTRACT*~KNOW"]]),
}


def test_core_claim_passes_and_fails():
    ledger = evaluate_claims([
        _claim({"type": "core", "condition": "CONTRACT", "outcome": "MPV", "expect": True}, "yes"),
        _claim({"type": "core", "condition": "NORMS", "outcome": "MPV", "expect": True}, "no"),
        _claim({"type": "core", "condition": "NORMS", "outcome": "MPV", "expect": False}, "not-core"),
    ], RESULTS)
    assert list(ledger.columns) == ["id", "text", "basis", "status", "evidence"]
    assert set(ledger["basis"]) == {"interpretation"}        # a claim that does not say: the compendium's reading
    assert ledger.set_index("id")["status"].to_dict() == {"yes": "pass", "no": "fail", "not-core": "pass"}
    assert "NORMS not core" in ledger.set_index("id").at["no", "evidence"]


def test_peripheral_condition_is_not_core():
    # ~NORMS is in the intermediate MPV solution only: it appears, but it is not core.
    ledger = evaluate_claims([
        _claim({"type": "core", "condition": "~NORMS", "outcome": "MPV", "expect": True}, "core"),
        _claim({"type": "appears", "condition": "~NORMS", "outcomes": ["MPV"]}, "appears"),
    ], RESULTS)
    assert ledger["status"].tolist() == ["fail", "pass"]


def test_appears_must_hold_for_every_outcome():
    ledger = evaluate_claims([
        _claim({"type": "appears", "condition": "RISK", "outcomes": ["MPV", "PPV"]}, "risk"),
        _claim({"type": "appears", "condition": "PUBLIC", "outcomes": ["MPV", "PPV"]}, "public"),
    ], RESULTS)
    assert ledger["status"].tolist() == ["pass", "fail"]
    evidence = ledger.at[1, "evidence"]
    assert "MPV intermediate C1P1" in evidence and "PUBLIC absent" in evidence


def test_consistency_claim_can_fail():
    ledger = evaluate_claims([
        _claim({"type": "consistency", "outcomes": ["MPV", "PPV"], "solution": "intermediate", "min": 0.8}),
    ], RESULTS)
    assert ledger.at[0, "status"] == "fail"
    assert "inclS 0.750" in ledger.at[0, "evidence"]
    ok = evaluate_claims([_claim({"type": "consistency", "outcomes": ["MPV"], "solution": "intermediate",
                                  "min": 0.8})], RESULTS)
    assert ok.at[0, "status"] == "pass"


def test_claim_passes_only_if_every_tied_model_agrees():
    tied = {"MPV": _solutions([["CONTRACT*KNOW"], ["NORMS*KNOW"]], [["CONTRACT*KNOW*RISK"]])}
    ledger = evaluate_claims([
        _claim({"type": "core", "condition": "KNOW", "outcome": "MPV", "expect": True}, "both"),
        _claim({"type": "core", "condition": "CONTRACT", "outcome": "MPV", "expect": True}, "one"),
    ], tied)
    assert ledger["status"].tolist() == ["pass", "fail"]
    evidence = ledger.at[1, "evidence"]
    assert "tied models disagree" in evidence
    assert "parsimonious M2" in evidence and "CONTRACT not core" in evidence


def test_negated_outcome_names():
    assert outcome_key("~MPV") == outcome_key("notMPV") == "notMPV"
    ledger = evaluate_claims([_claim({"type": "core", "condition": "~CONTRACT", "outcome": "~MPV"})], RESULTS)
    assert ledger.at[0, "status"] == "pass"


def test_unknown_type_and_missing_results_raise():
    with pytest.raises(StudyError, match="unknown check type 'sufficient'"):
        evaluate_claims([_claim({"type": "sufficient", "outcome": "MPV"})], RESULTS)
    with pytest.raises(StudyError, match="no results for outcome 'notPPV'"):
        evaluate_claims([_claim({"type": "core", "condition": "RISK", "outcome": "notPPV"})], RESULTS)
    with pytest.raises(StudyError, match="used twice"):
        validate_claims([_claim({"type": "core", "condition": "A", "outcome": "Y"}, "x")] * 2)
    with pytest.raises(StudyError, match="unknown condition 'RSIK'"):
        validate_claims([_claim({"type": "core", "condition": "RSIK", "outcome": "MPV"})],
                        ["CONTRACT", "RISK"], ["MPV"])


def test_engine_solutions_objects_and_json_agree():
    rng = np.random.default_rng(7)
    x = pd.DataFrame(rng.uniform(0, 1, (30, 3)).round(2), columns=["A", "B", "C"],
                     index=[f"c{i}" for i in range(30)])
    x[(x - 0.5).abs() < 0.01] = 0.3
    x["Y"] = np.maximum(np.minimum(x.A, x.B), x.C * 0.9).round(2)
    sols = solve(truth_table(x, "Y", ["A", "B", "C"], incl_cut=0.8), [1, 1, 1])
    claims = [_claim({"type": "core", "condition": c, "outcome": "Y"}, c) for c in "ABC"]
    claims.append(_claim({"type": "consistency", "outcomes": ["Y"], "solution": "parsimonious", "min": 0.99}, "hi"))
    from_objects = evaluate_claims(claims, {"Y": sols})
    from_json = evaluate_claims(claims, {"Y": sols.to_json()})
    pd.testing.assert_frame_equal(from_objects, from_json)
    pars = {lit for m in sols.parsimonious.models for t in m.terms for lit in t}
    expected = ["pass" if (c, True) in pars else "fail" for c in "ABC"]
    assert from_objects["status"].tolist()[:3] == expected


def test_stable_core_claim_passes_and_fails():
    def rows(kind, **cores):
        return [{"kind": kind, "condition": c, "core_in": k, "tests": n, "share": k / n} for c, (k, n) in cores.items()]
    stability = {"MPV": pd.DataFrame(rows("cut-offs", CONTRACT=(5, 5), RISK=(5, 5))
                                     + rows("case deletion", CONTRACT=(36, 36), RISK=(25, 36))),
                 "PPV": rows("cut-offs", NORMS=(5, 5)) + rows("case deletion", NORMS=(35, 36))}
    claims = [_claim({"type": "stable_core", "outcomes": ["MPV", "PPV"], "min": 0.8}, "both"),
              _claim({"type": "stable_core", "outcomes": ["PPV"], "min": 0.8}, "ppv"),
              _claim({"type": "stable_core", "outcomes": ["~PPV"], "min": 0.8}, "none")]
    ledger = evaluate_claims(claims[:2], RESULTS, stability=stability).set_index("id")
    assert ledger["status"].to_dict() == {"both": "fail", "ppv": "pass"}
    assert "below 0.8: RISK (case deletion)" in ledger.at["both", "evidence"]
    assert "case deletion: NORMS 35/36" in ledger.at["ppv", "evidence"]
    # Per kind: 36 deletions cannot outvote two cut-offs (38 of 40 tests overall would pass 0.8).
    outvoted = {"PPV": rows("cut-offs", NORMS=(0, 2)) + rows("case deletion", NORMS=(36, 36))}
    verdict = evaluate_claims(claims[1:2], RESULTS, stability=outvoted)
    assert verdict.at[0, "status"] == "fail" and "below 0.8: NORMS (cut-offs)" in verdict.at[0, "evidence"]
    with pytest.raises(StudyError, match="robustness results"):
        evaluate_claims(claims[:1], RESULTS)
    with pytest.raises(StudyError, match="no robustness results"):
        evaluate_claims(claims[2:], RESULTS, stability=stability)
    empty = evaluate_claims(claims[1:2], RESULTS, stability={"PPV": []})
    assert empty.at[0, "status"] == "fail"
    untested = evaluate_claims(claims[1:2], RESULTS, stability={"PPV": [{"condition": "NORMS", "core_in": 0,
                                                                            "tests": 0, "share": None}]})
    assert untested.at[0, "status"] == "fail" and "core in no test" in untested.at[0, "evidence"]
    with pytest.raises(StudyError, match="min"):
        validate_claims([_claim({"type": "stable_core", "outcomes": ["MPV"], "min": 1.5})])


# ---- the claim types of issue 16: each passes where it holds and fails where it does not ------

GROUPS = {"strategic": ["CONTRACT", "NORMS", "RISK"], "collaborative": ["KNOW", "PUBLIC"]}
MORE = {
    "MPV": RESULTS["MPV"],
    "PPV": _solutions([["NORMS*RISK"], ["NORMS*KNOW"]], [["NORMS*RISK*KNOW"], ["NORMS*KNOW"]]),
    "BOTH": _solutions([["CONTRACT*NORMS"]], [["CONTRACT*NORMS*KNOW", "RISK"]]),
}


def _status(checks):
    claims = [_claim(c, str(i)) for i, c in enumerate(checks)]
    validate_claims(claims, ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"], ["MPV", "PPV", "BOTH"])
    return evaluate_claims(claims, MORE)["status"].tolist()


def test_core_in_every_listed_outcome():
    assert _status([{"type": "core", "condition": "NORMS", "outcomes": ["PPV", "BOTH"]},
                    {"type": "core", "condition": "CONTRACT", "outcomes": ["MPV", "BOTH"]},
                    {"type": "core", "condition": "CONTRACT", "outcomes": ["MPV", "PPV"]},
                    {"type": "core", "condition": "RISK", "outcomes": ["MPV", "PPV"]}]) == ["pass", "pass", "fail", "fail"]


def test_contains_needs_the_conditions_together_in_one_configuration():
    assert _status([{"type": "contains", "conditions": ["CONTRACT", "NORMS"], "outcome": "BOTH"},
                    {"type": "contains", "conditions": ["CONTRACT", "RISK"], "outcome": "BOTH"},
                    {"type": "contains", "conditions": ["CONTRACT", "RISK"], "outcome": "BOTH", "expect": False},
                    {"type": "contains", "conditions": ["RISK", "~NORMS"], "outcome": "MPV"}]) == \
        ["pass", "fail", "pass", "pass"]


def test_combines_needs_a_present_condition_of_each_group_in_every_configuration():
    claims = [_claim({"type": "combines", "groups": GROUPS, "outcomes": ["MPV", "PPV"]}, "yes"),
              _claim({"type": "combines", "groups": GROUPS, "outcome": "BOTH"}, "no")]
    ledger = evaluate_claims(claims, MORE).set_index("id")
    assert ledger["status"].to_dict() == {"yes": "pass", "no": "fail"}
    assert "RISK has no collaborative condition" in ledger.at["no", "evidence"]


def test_equifinality_counts_configurations_in_every_tied_model():
    assert _status([{"type": "equifinality", "outcome": "MPV"},
                    {"type": "equifinality", "outcome": "PPV", "min": 1},
                    {"type": "equifinality", "outcome": "PPV"}]) == ["pass", "pass", "fail"]


def test_conjunctural_fails_on_a_single_condition_term():
    assert _status([{"type": "conjunctural", "outcomes": ["MPV", "PPV"]},
                    {"type": "conjunctural", "outcome": "BOTH"},
                    {"type": "conjunctural", "outcome": "PPV", "solution": "parsimonious"}]) == ["pass", "fail", "pass"]


def test_tied_models_that_disagree_are_named():
    ledger = evaluate_claims([_claim({"type": "contains", "conditions": ["RISK"], "outcome": "PPV"})], MORE)
    assert ledger.at[0, "status"] == "fail"
    assert "tied models disagree: the claim fails in PPV intermediate C1P1 M2" in ledger.at[0, "evidence"]


@pytest.mark.parametrize("check, message", [
    ({"type": "combines", "groups": ["strategic"], "outcome": "MPV"}, "two or more groups"),
    ({"type": "combines", "groups": ["strategic", "other"], "outcome": "MPV"}, "unknown group(s) other"),
    ({"type": "contains", "conditions": "CONTRACT", "outcome": "MPV"}, "non-empty list of conditions"),
    ({"type": "contains", "conditions": ["TRUST"], "outcome": "MPV"}, "unknown condition 'TRUST'"),
    ({"type": "equifinality", "outcome": "MPV", "min": 1.5}, "whole number of configurations"),
    ({"type": "conjunctural", "outcome": "MPV", "min": 2}, "unknown: min"),
])
def test_new_claim_types_are_validated(check, message):
    with pytest.raises(StudyError) as err:
        validate_claims([_claim(check)], ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"], ["MPV"],
                        groups={"strategic": GROUPS["strategic"]})
    assert message in str(err.value)


def test_a_claim_on_a_solution_that_does_not_exist_fails_with_the_reason():
    from analysis.claims import ledger
    docs = {"MPV": {"solutions": {**RESULTS["MPV"], "intermediate": [],
                                  "undefined": {"intermediate": "no row is negative"}}}}
    out = ledger([_claim({"type": "equifinality", "outcome": "MPV"})], docs, {})
    assert out.at[0, "status"] == "fail" and "no intermediate solution (no row is negative)" in out.at[0, "evidence"]


def test_peripheral_claim_needs_the_intermediate_and_not_the_parsimonious_solution():
    results = {"Y": {"parsimonious": {"models": [["A"]]}, "complex": {"models": [["A*B*C"]]},
                     "intermediate": [{"label": "C1P1", "models": [["A*B"]]}]}}
    claims = [_claim({"type": "peripheral", "condition": "B", "outcome": "Y"}, "b"),
              _claim({"type": "peripheral", "condition": "A", "outcome": "Y"}, "a"),
              _claim({"type": "peripheral", "condition": "C", "outcome": "Y"}, "c")]
    ledger = evaluate_claims(claims, results, ).set_index("id")
    assert ledger["status"].to_dict() == {"b": "pass", "a": "fail", "c": "fail"}
    assert "A core" in ledger.at["a", "evidence"] and "C absent" in ledger.at["c", "evidence"]
