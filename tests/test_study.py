"""The study file and the raw data checks: every problem is a QCAError naming file and field."""
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.errors import QCAError
from analysis.study import (Measure, Study, build_measures, calibrate_measures, load_raw, load_study,
                            reliability)

ROOT = Path(__file__).resolve().parent.parent
STUDY = ROOT / "data" / "ppip" / "study.yml"
CSV = ROOT / "data" / "ppip" / "raw" / "cases.csv"
CONDITIONS = ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"]


@pytest.fixture(scope="module")
def study():
    return load_study(STUDY)


@pytest.fixture(scope="module")
def raw(study):
    return load_raw(study)


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
    with pytest.raises(QCAError) as err:
        load_study(path)
    msg = str(err.value)
    assert "study.yml" in msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


# --------------------------------------------------------------------------- loading

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
    assert study.robustness["anchor_percentiles"] == [[10, 50, 90]]
    assert study.raw["name"] == "ppip"
    assert len(study.claims) == 9


def test_measures_are_typed(study):
    m = study.measures["CONTRACT"]
    assert isinstance(m, Measure) and m.role == "condition" and m.combine == "mean"
    assert isinstance(m.anchors, tuple) and len(m.anchors) == 3
    assert all(isinstance(a, float) for a in m.anchors)
    assert len(m.indicators) == 3 and m.anchor_reason
    assert study.measures["PPV"].role == "outcome"


def test_missing_file(tmp_path):
    with pytest.raises(QCAError, match="not found"):
        load_study(tmp_path / "nope.yml")


def test_invalid_yaml(tmp_path):
    path = tmp_path / "study.yml"
    path.write_text("name: ppip\nmeasures: [unclosed\n")
    with pytest.raises(QCAError, match=r"study\.yml: not valid YAML"):
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


@pytest.mark.parametrize("key, value", [("incl_cut", 1.2), ("pri_cut", -0.1), ("necessity_ron", 2)])
def test_threshold_outside_unit_interval(tmp_path, spec, key, value):
    spec["thresholds"][key] = value
    expect_error(tmp_path, spec, f"thresholds.{key}", "[0, 1]")


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
    del spec["claims"][0]["check"]["expect"]
    expect_error(tmp_path, spec, "claims[0]", "expect")


def test_claim_missing_text(tmp_path, spec):
    del spec["claims"][1]["text"]
    expect_error(tmp_path, spec, "claims[1]", "text")


def test_claim_bad_solution(tmp_path, spec):
    spec["claims"][7]["check"]["solution"] = "best"
    expect_error(tmp_path, spec, "claims[7]", "solution")


def test_synthetic_needs_notice(tmp_path, spec):
    del spec["notice"]
    expect_error(tmp_path, spec, "notice")


# --------------------------------------------------------------------------- raw data

def raw_copy(tmp_path, edit=None) -> Path:
    df = pd.read_csv(CSV, dtype=str)
    if edit is not None:
        df = edit(df)
    path = tmp_path / "cases.csv"
    df.to_csv(path, index=False)
    return path


def raw_error(study, path, *fragments):
    with pytest.raises(QCAError) as err:
        load_raw(study, path)
    msg = str(err.value)
    assert "cases.csv" in msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_load_raw(study, raw):
    assert raw.shape == (36, 21)
    assert list(raw.index[:2]) == ["H01", "H02"] and raw.index.name == "case"
    assert all(dtype == float for dtype in raw.dtypes)


def test_load_raw_never_writes(study, tmp_path):
    before = CSV.read_bytes()
    load_raw(study)
    assert CSV.read_bytes() == before


def test_raw_missing_file(study, tmp_path):
    raw_error(study, tmp_path / "cases.csv", "not found")


def test_raw_unreadable(study, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"\xff\xfe\x00garbage\x00\xff")
    raw_error(study, path, "cannot read")


def test_raw_misspelled_column(study, tmp_path):
    path = raw_copy(tmp_path, lambda d: d.rename(columns={"norms_trust": "norms_turst"}))
    raw_error(study, path, "'norms_trust'", "missing", "did you mean 'norms_turst'")


def test_raw_missing_case_id_column(study, tmp_path):
    path = raw_copy(tmp_path, lambda d: d.rename(columns={"case": "cases"}))
    raw_error(study, path, "'case'", "did you mean 'cases'")


def test_raw_extra_column_warns(study, tmp_path):
    path = raw_copy(tmp_path, lambda d: d.assign(comment="x"))
    with pytest.warns(UserWarning, match="comment"):
        data = load_raw(study, path)
    assert "comment" not in data.columns


def test_raw_duplicate_case_id(study, tmp_path):
    def edit(d):
        d.loc[5, "case"] = "H01"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "duplicate case id", "H01")


def test_raw_empty_case_id(study, tmp_path):
    def edit(d):
        d.loc[3, "case"] = ""
        return d
    raw_error(study, raw_copy(tmp_path, edit), "empty case id", "line(s) 5")


def test_raw_non_numeric_cell(study, tmp_path):
    def edit(d):
        d.loc[2, "risk_plan"] = "high"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "H03", "risk_plan", "'high'", "not a number")


def test_raw_missing_values(study, tmp_path):
    def edit(d):
        d.loc[6, "ppv_fairness"] = ""
        d.loc[9, "public_result_pct"] = "NA"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "missing values", "ppv_fairness", "public_result_pct",
              "H07", "H10")


def test_raw_value_outside_codebook_range(study, tmp_path):
    def edit(d):
        d.loc[0, "norms_trust"] = "8.50"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "H01", "norms_trust", "8.5", "[1, 7]")


def test_raw_duplicate_header(study, tmp_path):
    path = tmp_path / "cases.csv"
    lines = CSV.read_text().splitlines()
    path.write_text("\n".join(line + "," + line.split(",")[4] for line in
                              [lines[0]] + lines[1:]) + "\n")
    raw_error(study, path, "norms_trust", "more than once")


# --------------------------------------------------------------------------- measures and calibration

def test_build_measures(study, raw):
    m = build_measures(study, raw)
    assert list(m.columns) == CONDITIONS + ["MPV", "PPV"]
    assert m.shape == (36, 7) and m.index.name == "case"
    items = study.measures["NORMS"].indicators
    assert m.loc["H01", "NORMS"] == pytest.approx(raw.loc["H01", items].mean())
    for name in m.columns:
        lo, hi = study.measures[name].range
        assert m[name].between(lo, hi).all()


def test_reliability(study, raw):
    r = reliability(study, raw)
    assert list(r.columns) == ["measure", "n_items", "cronbach_alpha"]
    assert list(r["measure"]) == CONDITIONS + ["MPV", "PPV"]
    assert (r["n_items"] == 3).all()
    assert r["cronbach_alpha"].between(0.6, 1.0).all()


def test_cronbach_alpha_known_value():
    from analysis.study import cronbach_alpha
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 4]})
    assert cronbach_alpha(items) == pytest.approx(1.0)
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3], "c": [1, 3, 2, 4]})
    k, total = 3, items.sum(axis=1).var()
    assert cronbach_alpha(items) == pytest.approx(k / (k - 1) * (1 - items.var().sum() / total))


def test_calibrate_measures(study, raw):
    mem = calibrate_measures(study, build_measures(study, raw))
    assert list(mem.columns) == CONDITIONS + ["MPV", "PPV"]
    assert mem.index.name == "case" and list(mem.index[:1]) == ["H01"]
    values = mem.to_numpy()
    assert ((values >= 0) & (values <= 1)).all() and not (values == 0.5).any()
    for name in mem.columns:  # the anchors spread cases over both sides of the crossover
        assert (mem[name] > 0.5).any() and (mem[name] < 0.5).any()


def test_calibrate_measures_anchor_override(study, raw):
    m = build_measures(study, raw)
    base = calibrate_measures(study, m)
    moved = calibrate_measures(study, m, anchors={"NORMS": (3.0, 4.5, 6.0)})
    assert (moved["NORMS"] <= base["NORMS"] + 1e-12).all()
    pd.testing.assert_series_equal(moved["RISK"], base["RISK"])


def test_calibrate_measures_unknown_override(study, raw):
    with pytest.raises(QCAError, match="TRUST"):
        calibrate_measures(study, build_measures(study, raw), anchors={"TRUST": (1, 2, 3)})


def test_calibrate_measures_anchor_outside_observed_range(study, raw):
    m = build_measures(study, raw)
    with pytest.raises(QCAError, match=r"PUBLIC.*inclusion anchor 99.*observed range"):
        calibrate_measures(study, m, anchors={"PUBLIC": (20, 50.05, 99)})


def test_calibrate_measures_rejects_exact_crossover(study, raw):
    m = build_measures(study, raw)
    c = float(m.loc["H05", "KNOW"])
    with pytest.raises(QCAError) as err:
        calibrate_measures(study, m, anchors={"KNOW": (2.5, c, 6.0) if c < 6 else (2.5, c, 6.6)})
    msg = str(err.value)
    assert "H05" in msg and "KNOW" in msg and "0.5" in msg and "crossover" in msg
