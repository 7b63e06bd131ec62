"""The bad-input catalogue (see test_bad_input_data.py): the study file and the calibration.

Each refusal is one line ``error: ...`` naming the file and the field, with exit status 2, from
the pipeline and, for a condition's name, from the engine's command line too.
"""
import sys

import pytest

from analysis import pipeline
from conftest import CSV, STUDY, cli_error, has, pipeline_error, study_file, text_file


# ----------------------------------------------------------- calibration

def test_anchors_not_strictly_monotone(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["measures"]["RISK"].update(anchors=[2.5, 5.5, 4.0]))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "measures.RISK.anchors", "strictly monotone")


def test_anchors_outside_codebook_range(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["measures"]["PUBLIC"].update(anchors=[20, 50.05, 120]))
    has(pipeline_error(capsys, tmp_path, "--study", study), "measures.PUBLIC.anchors", "outside the measure's range")


def test_anchor_outside_the_data(capsys, tmp_path):
    # accepted, as R accepts it (anchors are substantive); refused only when the study file asks
    study = study_file(tmp_path, lambda s: s["measures"]["MPV"].update(anchors=[50, 85.05, 99.9]))
    assert pipeline.validate(study, None, {})[0].measures["MPV"].anchors == (50, 85.05, 99.9)
    # the stand-in's fewest contract clauses (7.7 on average) lie above the exclusion anchor 5
    study = study_file(tmp_path, lambda s: s.update(strict={"anchors_outside_data": True}))
    has(pipeline_error(capsys, tmp_path, "--study", study), "measure CONTRACT", "exclusion anchor 5",
        "outside the observed range", "strict.anchors_outside_data")


def test_membership_exactly_one_half(capsys, tmp_path):
    # R warns and keeps the case (in no truth-table row); refused only when the study file asks
    from analysis.measures import build_measures
    from analysis.rawdata import load_raw
    from analysis.studyfile import load_study
    s = load_study(STUDY)
    value = float(build_measures(s, load_raw(s)).loc["H07", "NORMS"])
    study = study_file(tmp_path, lambda spec: spec["measures"]["NORMS"].update(anchors=[2.0, value, 6.5]))
    pipeline.validate(study, None, {}, log=sys.stderr)
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "H07" in err and "crossover" in err and "no truth-table row" in err
    study = study_file(tmp_path, lambda spec: spec["measures"]["NORMS"].update(anchors=[2.0, value, 6.5])
                       or spec.update(strict={"cases_on_crossover": True}))
    has(pipeline_error(capsys, tmp_path, "--study", study), "measure NORMS", "H07", "exactly 0.5",
        "strict.cases_on_crossover")


# -------------------------------------------------------- the study file

def test_study_file_missing(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--study", tmp_path / "nope.yml"), "nope.yml", "study file not found")


def test_study_file_not_valid_yaml(capsys, tmp_path):
    path = text_file(tmp_path, "name: ppip\nconditions: [CONTRACT, NORMS\n", "study.yml")
    has(pipeline_error(capsys, tmp_path, "--study", path), "study.yml", "not valid YAML")


def test_study_file_not_a_mapping(capsys, tmp_path):
    path = text_file(tmp_path, "- CONTRACT\n- NORMS\n", "study.yml")
    has(pipeline_error(capsys, tmp_path, "--study", path), "study.yml", "mapping")


def test_study_unknown_field(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s.update(treshold={"incl_cut": 0.8}))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "treshold", "allowed")


def test_unknown_condition(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["conditions"].append("TRUST"))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "conditions", "TRUST")


def test_unknown_outcome(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s.update(outcomes=["MPV", "PVV"]))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "outcomes", "PVV")


def test_duplicate_condition_names(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["conditions"].append("NORMS"))
    has(pipeline_error(capsys, tmp_path, "--study", study), "conditions", "NORMS", "more than once")


def test_directional_expectation_for_unknown_condition(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["dir_exp"].update(TRUST=1))
    has(pipeline_error(capsys, tmp_path, "--study", study), "dir_exp.TRUST", "unknown condition")


def test_cut_off_outside_unit_interval_in_study(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["thresholds"].update(pri_cut=7))
    has(pipeline_error(capsys, tmp_path, "--study", study), "thresholds.pri_cut", "[0, 1]")


def test_malformed_claim(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["claims"][2]["check"].pop("outcome"))
    has(pipeline_error(capsys, tmp_path, "--study", study), "claims[2]", "contract-not-ppv", "missing: outcome")


def test_more_conditions_than_the_engine_handles(capsys, tmp_path):
    def edit(s):
        template = s["measures"]["CONTRACT"]
        for i in range(12):
            s["measures"][f"C{i}"] = dict(template, indicators=[f"c{i}"])
            s["conditions"].append(f"C{i}")
    study = study_file(tmp_path, edit)
    has(pipeline_error(capsys, tmp_path, "--study", study), "conditions", "17 conditions", "at most 16")
    header = ",".join(f"C{i}" for i in range(17))
    rows = "\n".join(f"c{j}," + ",".join("0.7" if (i + j) % 2 else "0.2" for i in range(17)) + ",0.9"
                     for j in range(4))
    data = text_file(tmp_path, f"case,{header},Y\n{rows}\n", "m.csv")
    has(cli_error(capsys, "--data", data, "--outcome", "Y"), "limited to 16 conditions")


def test_a_key_given_twice_in_the_study_file(capsys, tmp_path):
    text = STUDY.read_text().replace("  incl_cut: 0.8\n", "  incl_cut: 0.8\n  incl_cut: 0.95\n")
    path = text_file(tmp_path, text.replace("data: raw/cases.csv", f"data: {CSV}"), "study.yml")
    has(pipeline_error(capsys, tmp_path, "--study", path), "study.yml", "'incl_cut' is given twice", "keep one")


def test_a_threshold_outside_its_range_names_the_file_and_field(capsys, tmp_path):
    study = study_file(tmp_path, lambda s: s["thresholds"].update(incl_cut=0.3))
    has(pipeline_error(capsys, tmp_path, "--study", study), "study.yml", "thresholds.incl_cut", "[0.5, 1]", "0.3")


# --------------------------------------------------------- names of sets

@pytest.mark.parametrize("name", ["~RISK", "A*B", "D+E", "1RISK", "RISK LEVEL"])
def test_a_set_name_that_is_an_expression(capsys, tmp_path, name):
    # a condition '~RISK' would be printed as '~~RISK' and read as the absence of RISK
    def edit(s):
        s["measures"][name] = s["measures"].pop("RISK")
        s["conditions"] = [name if c == "RISK" else c for c in s["conditions"]]
        s["dir_exp"][name] = s["dir_exp"].pop("RISK")
        s["claims"] = []
    has(pipeline_error(capsys, tmp_path, "--study", study_file(tmp_path, edit)), "study.yml", f"measures.{name}",
        "cannot name a set")


def test_a_condition_named_like_the_case_column(capsys, tmp_path):
    def edit(s):
        s["measures"]["case"] = s["measures"].pop("RISK")
        s["conditions"] = ["case" if c == "RISK" else c for c in s["conditions"]]
        s["dir_exp"]["case"] = s["dir_exp"].pop("RISK")
        s["claims"] = []
    has(pipeline_error(capsys, tmp_path, "--study", study_file(tmp_path, edit)), "measures.case",
        "name of the case column")


def test_a_condition_named_like_a_truth_table_column(capsys, tmp_path):
    def edit(s):
        s["measures"]["OUT"] = s["measures"].pop("RISK")
        s["conditions"] = ["OUT" if c == "RISK" else c for c in s["conditions"]]
        s["dir_exp"]["OUT"] = s["dir_exp"].pop("RISK")
        s["claims"] = []
    has(pipeline_error(capsys, tmp_path, "--study", study_file(tmp_path, edit)), "study.yml", "conditions",
        "'OUT' has the name of a truth table column", "rename")


def test_the_engine_refuses_a_condition_named_like_a_truth_table_column(capsys, tmp_path):
    path = text_file(tmp_path, "case,A,n,Y\nc1,0.1,0.9,0.3\nc2,0.8,0.9,0.5\n", "m.csv")
    has(cli_error(capsys, "--data", path, "--outcome", "Y"), "m.csv", "condition 'n'", "truth table column")
