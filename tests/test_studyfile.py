"""The study file (analysis.studyfile): every problem is a StudyError naming file and field."""
import shutil
from pathlib import Path

import pytest
import yaml

from analysis.errors import StudyError
from analysis.robustness.settings import RobustnessSettings
from analysis.studyfile import Measure, Strict, Study, load_study

from conftest import CONDITIONS, CSV, STUDY



@pytest.fixture
def spec():
    return yaml.safe_load(STUDY.read_text())


def write_study(tmp_path, spec) -> Path:
    """A copy of the study (with its data) in tmp_path, with ``spec`` as the study file."""
    (tmp_path / "raw").mkdir(exist_ok=True)
    shutil.copy(CSV, tmp_path / "raw" / "cases.csv")
    path = tmp_path / "study.yml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def expect_error(tmp_path, spec, *fragments):
    path = write_study(tmp_path, spec)
    with pytest.raises(StudyError) as err:
        load_study(path)
    msg = str(err.value)
    assert "study.yml" in msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_study_loads(study):
    assert isinstance(study, Study)
    assert study.name == "ppip" and study.synthetic is True
    assert "synthetic" in study.notice.lower()
    assert study.conditions == CONDITIONS and study.outcomes == ["MPV", "PPV"]
    assert study.folder == STUDY.parent.resolve()
    assert study.data_path == CSV.resolve() and study.case_id == "case"
    assert study.thresholds == {"incl_cut": 0.8, "pri_cut": 0.7, "n_cut": 1,
                                "necessity_incl": 0.9, "necessity_ron": 0.5}
    assert study.dir_exp == {c: 1 for c in CONDITIONS}
    assert study.labels["NORMS"] == "Shared relational norms"
    assert isinstance(study.robustness, RobustnessSettings)
    assert study.robustness.anchor_percentiles == ((10, 50, 90),) and study.robustness.max_steps == 10
    assert study.strict == Strict() and study.anchors["NORMS"] == (2.5, 4, 5.5)
    assert study.scales["PUBLIC"] == (0.0, 100.0) and study.sets == CONDITIONS + ["MPV", "PPV"]
    assert study.raw["name"] == "ppip"
    assert len(study.claims) == 17


def test_measures_are_typed(study):
    m = study.measures["CONTRACT"]
    assert isinstance(m, Measure) and m.role == "condition" and m.combine == "mean"
    assert isinstance(m.anchors, tuple) and len(m.anchors) == 3
    assert all(isinstance(a, float) for a in m.anchors)
    assert len(m.indicators) == 3 and m.anchor_reason
    assert study.measures["PPV"].role == "outcome"


def test_missing_file(tmp_path):
    with pytest.raises(StudyError, match="not found"):
        load_study(tmp_path / "nope.yml")


def test_invalid_yaml(tmp_path):
    path = tmp_path / "study.yml"
    path.write_text("name: ppip\nmeasures: [unclosed\n")
    with pytest.raises(StudyError, match=r"study\.yml: not valid YAML"):
        load_study(path)


def test_missing_required_field(tmp_path, spec):
    del spec["conditions"]
    expect_error(tmp_path, spec, "missing required field", "conditions")


def test_unknown_top_level_key(tmp_path, spec):
    spec["condtions"] = CONDITIONS
    msg = expect_error(tmp_path, spec, "condtions", "allowed:")
    assert "conditions" in msg.split("allowed:")[1]


def test_unknown_condition(tmp_path, spec):
    spec["conditions"] = CONDITIONS + ["TRUST"]
    expect_error(tmp_path, spec, "conditions", "TRUST")


def test_unknown_outcome(tmp_path, spec):
    spec["outcomes"] = ["MPV", "VALUE"]
    expect_error(tmp_path, spec, "outcomes", "VALUE")


def test_duplicate_condition(tmp_path, spec):
    spec["conditions"] = CONDITIONS + ["RISK"]
    expect_error(tmp_path, spec, "conditions", "RISK", "more than once")


def test_condition_and_outcome(tmp_path, spec):
    spec["outcomes"] = ["MPV", "PPV", "KNOW"]
    expect_error(tmp_path, spec, "KNOW", "both")


def test_role_mismatch(tmp_path, spec):
    spec["measures"]["KNOW"]["role"] = "outcome"
    expect_error(tmp_path, spec, "conditions", "KNOW", "role")


@pytest.mark.parametrize("anchors, fragment", [
    ([2.5, 5.5], "three numbers"),
    ([2.5, "mid", 5.5], "number"),
    ([2.5, 5.5, 4.0], "strictly monotone"),
    ([2.5, 2.5, 5.5], "strictly monotone"),
    ([0.5, 4.005, 5.5], "outside the measure's range"),
])
def test_bad_anchors(tmp_path, spec, anchors, fragment):
    spec["measures"]["NORMS"]["anchors"] = anchors
    expect_error(tmp_path, spec, "measures.NORMS.anchors", fragment)


def test_decreasing_anchors_are_allowed(tmp_path, spec):
    spec["measures"]["NORMS"]["anchors"] = [5.5, 4.005, 2.5]
    assert load_study(write_study(tmp_path, spec)).measures["NORMS"].anchors == (5.5, 4.005, 2.5)


def test_measure_missing_key(tmp_path, spec):
    del spec["measures"]["RISK"]["anchor_reason"]
    expect_error(tmp_path, spec, "measures.RISK", "anchor_reason")


def test_measure_combine_other_than_mean(tmp_path, spec):
    spec["measures"]["RISK"]["combine"] = "max"
    expect_error(tmp_path, spec, "measures.RISK.combine")


def test_dir_exp_unknown_condition(tmp_path, spec):
    spec["dir_exp"]["TRUST"] = 1
    expect_error(tmp_path, spec, "dir_exp.TRUST", "unknown condition")


@pytest.mark.parametrize("value", [2, "yes", True, None])
def test_dir_exp_bad_value(tmp_path, spec, value):
    spec["dir_exp"]["KNOW"] = value
    expect_error(tmp_path, spec, "dir_exp.KNOW", '"-"')


def test_dir_exp_dash_and_zero(tmp_path, spec):
    spec["dir_exp"].update(KNOW="-", RISK=0)
    study = load_study(write_study(tmp_path, spec))
    assert study.dir_exp["KNOW"] == "-" and study.dir_exp["RISK"] == 0


@pytest.mark.parametrize("key, value, allowed", [("incl_cut", 1.2, "[0.5, 1]"), ("incl_cut", 0.3, "[0.5, 1]"),
                                                ("pri_cut", -0.1, "[0, 1]"), ("necessity_ron", 2, "[0, 1]")])
def test_threshold_outside_its_range(tmp_path, spec, key, value, allowed):
    # one schema (analysis.parameters) for the study file and --set: the same ranges
    spec["thresholds"][key] = value
    expect_error(tmp_path, spec, f"thresholds.{key}", allowed)


@pytest.mark.parametrize("value", [0, 1.5])
def test_n_cut_below_one_or_fractional(tmp_path, spec, value):
    spec["thresholds"]["n_cut"] = value
    expect_error(tmp_path, spec, "thresholds.n_cut")


def test_threshold_missing(tmp_path, spec):
    del spec["thresholds"]["pri_cut"]
    expect_error(tmp_path, spec, "thresholds", "pri_cut")


def test_claim_unknown_type(tmp_path, spec):
    spec["claims"][0]["check"]["type"] = "kernel"
    expect_error(tmp_path, spec, "claims[0]", "kernel", "core")


def test_claim_unknown_condition(tmp_path, spec):
    spec["claims"][4]["check"]["condition"] = "TRUST"
    expect_error(tmp_path, spec, "claims[4]", "TRUST")


def test_claim_unknown_outcome(tmp_path, spec):
    spec["claims"][0]["check"]["outcome"] = "VALUE"
    expect_error(tmp_path, spec, "claims[0]", "VALUE")


def test_claim_missing_check_key(tmp_path, spec):
    del spec["claims"][0]["check"]["condition"]
    expect_error(tmp_path, spec, "claims[0]", "missing: condition")


def test_documented_claim_forms_are_accepted(tmp_path, spec):
    # one claim schema (analysis.claims.schema): the forms its docstring documents load
    spec["claims"] += [
        {"id": "f1", "text": "t", "check": {"type": "core", "condition": "~CONTRACT", "outcome": "notMPV"}},
        {"id": "f2", "text": "t", "check": {"type": "core", "condition": "RISK", "outcomes": ["MPV", "~PPV"]}},
        {"id": "f3", "text": "t", "check": {"type": "appears", "condition": "KNOW", "outcome": "MPV",
                                            "solution": "parsimonious", "expect": False}},
        {"id": "f4", "text": "t", "check": {"type": "consistency", "outcome": "PPV", "measure": "PRI", "min": 0.7}},
    ]
    assert [c["id"] for c in load_study(write_study(tmp_path, spec)).claims][-4:] == ["f1", "f2", "f3", "f4"]


def test_strict_options(tmp_path, spec):
    spec["strict"] = {"cases_on_crossover": True}
    assert load_study(write_study(tmp_path, spec)).strict == Strict(cases_on_crossover=True)
    spec["strict"] = {"cases_on_crosover": True}
    expect_error(tmp_path, spec, "strict", "cases_on_crosover", "allowed")
    spec["strict"] = {"anchors_outside_data": "yes"}
    expect_error(tmp_path, spec, "strict.anchors_outside_data", "true or false")


@pytest.mark.parametrize("edit, fragments", [
    (lambda r: r.update(max_steps=0), ["robustness.max_steps", "1 to 100"]),
    (lambda r: r.update(incl_cut=[0.3]), ["robustness.incl_cut", "[0.5, 1]"]),
    (lambda r: r.update(anchor_percentiles=[[50, 10, 90]]), ["robustness.anchor_percentiles", "increasing"]),
    (lambda r: r.update(cut_steps={"incl": 0.01}), ["robustness.cut_steps"]),
    (lambda r: r.update(drop_case=True), ["robustness", "drop_case", "allowed"]),
])
def test_robustness_section_is_checked(tmp_path, spec, edit, fragments):
    edit(spec["robustness"])
    expect_error(tmp_path, spec, *fragments)


def test_claim_missing_text(tmp_path, spec):
    del spec["claims"][1]["text"]
    expect_error(tmp_path, spec, "claims[1]", "text")


def test_claim_bad_solution(tmp_path, spec):
    spec["claims"][7]["check"]["solution"] = "best"
    expect_error(tmp_path, spec, "claims[7]", "solution")


def test_synthetic_needs_notice(tmp_path, spec):
    del spec["notice"]
    expect_error(tmp_path, spec, "notice")




def test_joint_outcomes_and_groups_are_read(study):
    assert study.analysed_outcomes == ["MPV", "PPV", "MPV_PPV", "MPV_only", "PPV_only"]
    assert study.joint["MPV_only"].expression == "MPV*~PPV"
    assert study.joint["MPV_PPV"].expression == "MPV*PPV" and study.joint["MPV_PPV"].sets == ["MPV", "PPV"]
    assert study.groups == {"strategic_management": ["CONTRACT", "NORMS", "RISK"],
                            "collaborative_innovation": ["KNOW", "PUBLIC"]}
    combines = next(c["check"] for c in study.claims if c["check"]["type"] == "combines")
    assert combines["groups"] == study.groups          # group names resolved to their conditions


@pytest.mark.parametrize("edit, fragments", [
    (lambda s: s["joint_outcomes"]["MPV_PPV"].update(expression="MPV*TRUST"), ("joint_outcomes.MPV_PPV.expression",
                                                                               "TRUST")),
    (lambda s: s["joint_outcomes"]["MPV_PPV"].update(expression="MPV*KNOW"), ("joint_outcomes.MPV_PPV.expression",
                                                                              "measured outcomes MPV, PPV")),
    (lambda s: s["joint_outcomes"]["MPV_PPV"].pop("reason"), ("joint_outcomes.MPV_PPV",
                                                               "missing required key(s) reason")),
    (lambda s: s["joint_outcomes"].update(MPV=s["joint_outcomes"]["MPV_PPV"]), ("joint_outcomes.MPV", "already a measure")),
    (lambda s: s["joint_outcomes"].update({"MPV+PPV": s["joint_outcomes"]["MPV_PPV"]}), ("cannot name a set",)),
    (lambda s: s["groups"].update(other=["TRUST"]), ("groups.other", "unknown condition(s) TRUST")),
    (lambda s: s["claims"].append({"id": "x", "text": "t", "check": {"type": "core", "condition": "RISK",
                                                                    "outcome": "notMPV_PPV"}}), None),
])
def test_joint_outcomes_and_groups_are_checked(tmp_path, spec, edit, fragments):
    edit(spec)
    if fragments is None:                       # a claim on the negated joint outcome is valid
        load_study(write_study(tmp_path, spec))
    else:
        expect_error(tmp_path, spec, *fragments)


# ---- refusals from the security review: one clear line each, never a Python error ----------------

def test_a_value_nested_ten_thousand_levels_deep(tmp_path):
    path = tmp_path / "study.yml"
    path.write_text("name: ppip\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n")
    with pytest.raises(StudyError) as err:
        load_study(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: line 2: values nested more than") and "\n" not in msg


@pytest.mark.parametrize("edit, field", [
    (lambda s: s["measures"]["NORMS"].update(anchors=[2.5, 4.005, 10 ** 400]), "measures.NORMS.anchors[2]"),
    (lambda s: s["thresholds"].update(incl_cut=float("inf")), "thresholds.incl_cut"),
])
def test_a_number_too_large(tmp_path, spec, edit, field):
    edit(spec)
    expect_error(tmp_path, spec, field, "too large")


def test_a_number_written_beyond_floating_point(tmp_path):
    # 1.0e+400 is a YAML float that overflows to infinity; 1e400 (no dot) is text to YAML 1.1, read as a number here
    text = STUDY.read_text().replace("data: raw/cases.csv", f"data: {CSV}")
    text = text.replace("anchors: [2.5, 4, 5.5]", "anchors: [2.5, 4, 1.0e+400]", 1)
    (tmp_path / "study.yml").write_text(text)
    with pytest.raises(StudyError, match=r"measures\.NORMS\.anchors\[2\]: got inf, too large; must be a number"):
        load_study(tmp_path / "study.yml")
    (tmp_path / "study.yml").write_text(text.replace("1.0e+400", "1e400"))
    with pytest.raises(StudyError, match=r"measures\.NORMS\.anchors\[2\]: got '1e400', too large; must be a number"):
        load_study(tmp_path / "study.yml")


@pytest.mark.parametrize("name, fragment", [
    ("a/b", "holds '/'"), ("..\\up", "holds '\\\\'"), ("..", "names a folder above it"), ("pp\tip", "U+0009"),
    ("pp\u200bip", "U+200B"), ("pp\u202eip", "U+202E"), ("pp\u2066ip", "U+2066"), ("pp\x00ip", "U+0000"),
])
def test_a_study_name_that_is_not_a_plain_folder_name(tmp_path, spec, name, fragment):
    spec["name"] = name
    msg = expect_error(tmp_path, spec, "study.yml: name: ", fragment, "use a plain folder name")
    assert "\n" not in msg


def test_a_claim_with_both_outcome_and_outcomes(tmp_path, spec):
    spec["claims"][0]["check"]["outcomes"] = ["PPV"]
    expect_error(tmp_path, spec, "claims[0] (contract-mpv).check: both outcome and outcomes are given",
                 "not both")


@pytest.mark.parametrize("bounds, fragments", [
    ({"min": 2}, ["claims[17] (c).check.min: got 2; must lie in [0, 1]"]),
    ({"min": 0.9, "max": 0.8}, ["claims[17] (c).check: min 0.9 is above max 0.8", "min <= max"]),
])
def test_a_consistency_claim_outside_its_bounds(tmp_path, spec, bounds, fragments):
    spec["claims"].append({"id": "c", "text": "t", "check": {"type": "consistency", "outcome": "MPV", **bounds}})
    expect_error(tmp_path, spec, *fragments)


def test_a_joint_outcome_named_like_a_negation(tmp_path, spec):
    spec["joint_outcomes"]["notMPV"] = spec["joint_outcomes"].pop("MPV_PPV")
    expect_error(tmp_path, spec, "joint_outcomes.notMPV: 'notMPV' is the name of the negation of MPV",
                 "does not start with 'not'")
