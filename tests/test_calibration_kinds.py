"""Every set kind a study file offers equals R bit for bit: direct, crisp and multi-value (QCA's
``calibrate``), indirect (QCA's ``calibrate(method = "indirect")``) and SetMethods'
``indirectCalibration``, in the engine and through a study file (``kind:``).  R's values were
written by ``tests/fixtures/reference/calibration_kinds/r_kinds.R``; every comparison is ``==``."""
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.errors import StudyError
from analysis.measures import build_measures
from analysis.memberships import SetCalibration, calibrate_measures, calibrate_set, calibration_notes
from analysis.qca import calibrate, indirect_calibration, indirect_targets
from analysis.qca.rnumeric import r_round
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

from conftest import REF

KINDS = json.loads((REF / "calibration_kinds" / "kinds.json").read_text())
INPUTS = {name: np.array([float(v) for v in values]) for name, values in KINDS["inputs"].items()}
CALLS = KINDS["calls"]


def values(call) -> np.ndarray:
    return np.array([float(v) for v in call["values"]])


def ids(call) -> str:
    return f"{call['kind']}-{call['input']}-{call['thresholds']}" + (f"-idm{call['idm'][:6]}" if "idm" in call else "")


def of_kind(*kinds):
    return [c for c in CALLS if c["kind"] in kinds]


def test_the_fixture_covers_every_kind():
    assert {c["kind"] for c in CALLS} == {"direct", "crisp", "multivalue", "indirect", "binomial"}
    assert KINDS["QCA"] == "3.25.1" and KINDS["SetMethods"] == "4.0"


@pytest.mark.parametrize("call", of_kind("direct"), ids=ids)
def test_direct_calibration_equals_r_bit_for_bit(call):
    x = INPUTS[call["input"]]
    got = calibrate(x, call["thresholds"], idm=float(call["idm"]))
    assert np.array_equal(got, values(call))


@pytest.mark.parametrize("call", of_kind("crisp", "multivalue"), ids=ids)
def test_crisp_and_multivalue_calibration_equal_r(call):
    got = calibrate(INPUTS[call["input"]], np.atleast_1d(call["thresholds"]), type="crisp")
    assert got.dtype.kind == "i" and np.array_equal(got, values(call))
    assert set(np.unique(got)) <= set(range(len(np.atleast_1d(call["thresholds"])) + 1))


@pytest.mark.parametrize("call", of_kind("indirect"), ids=ids)
def test_indirect_calibration_equals_r_bit_for_bit(call):
    """R fits a quasibinomial GLM whose iterations stop about 1e-6 short of the exact estimate; the
    engine runs R's own algorithm (start, LINPACK QR, stopping rule), so the values are R's."""
    got = calibrate(INPUTS[call["input"]], np.atleast_1d(call["thresholds"]), method="indirect")
    assert np.array_equal(got, values(call))


@pytest.mark.parametrize("call", of_kind("binomial"), ids=ids)
def test_setmethods_indirect_calibration_equals_r_bit_for_bit(call):
    x = INPUTS[call["input"]]
    targets = indirect_targets(x, call["thresholds"])
    assert np.array_equal(targets, np.array([float(v) for v in call["targets"]]))
    assert np.array_equal(indirect_calibration(x, targets), values(call))


def _lstsq_fit(X, t):
    """The engine's earlier fit: IRLS from b = 0 to convergence, each step by numpy's SVD lstsq."""
    beta = np.zeros(X.shape[1])
    for _ in range(100):
        mu = 1 / (1 + np.exp(-(X @ beta)))
        w = mu * (1 - mu)
        new = np.linalg.lstsq(np.sqrt(w)[:, None] * X, np.sqrt(w) * (X @ beta + (t - mu) / w), rcond=None)[0]
        done = np.max(np.abs(new - beta)) < 1e-12 * (1 + np.max(np.abs(beta)))
        beta = new
        if done:
            break
    return 1 / (1 + np.exp(-(X @ beta)))


def test_what_made_the_indirect_method_differ_from_r():
    """The engine was ~1e-6 from R: on the badly conditioned model matrix (1, log x, sqrt x, x, x^2;
    condition number 3e9 for LR's DEV) numpy's SVD least squares lands 3e-8 away from R's LINPACK
    QR, which rounding to 6 decimals turns into 0.000001 in two cases; R's stopping rule (7
    iterations) moves the values by only ~1e-10."""
    from analysis.qca.rnumeric import glm_logit
    call = next(c for c in of_kind("indirect") if c["input"] == "DEV")
    x = INPUTS["DEV"]
    X = np.column_stack([np.ones_like(x), np.log(x), np.sqrt(x), x, x * x])
    t = indirect_targets(x, call["thresholds"])
    assert np.linalg.cond(X) > 1e9
    r_fit, further = glm_logit(X, t), glm_logit(X, t, epsilon=1e-15, maxit=200)
    assert r_fit.iterations == 7 and further.iterations > 7
    assert np.abs(further.fitted - r_fit.fitted).max() < 1e-9                 # the stopping rule: small
    old = _lstsq_fit(X, t)
    assert 1e-8 < np.abs(old - r_fit.fitted).max() < 1e-7                      # the solver: not small
    assert (r_round(old, 6) != values(call)).sum() == 2 and np.array_equal(r_round(r_fit.fitted, 6), values(call))


def test_r_round_is_not_numpys_round():
    assert r_round([0.15, 0.35, 2.675], 1).tolist() == [0.1, 0.3, 2.7]       # R: round(c(.15, .35, 2.675), 1)
    assert np.round([0.15, 0.35], 1).tolist() == [0.2, 0.4]


# ---------------------------------------------------------------------- the study side: kind:

SPEC = {
    "DEV": {"kind": "direct", "anchors": [400, 550, 900], "range": [0, 2000], "anchor_reason": "R's LR anchors."},
    "DEVC": {"kind": "crisp", "thresholds": [550], "range": [0, 2000], "anchor_reason": "LC's break."},
    "URB": {"kind": "multivalue", "thresholds": [25, 50, 65], "range": [0, 100], "anchor_reason": "Three breaks."},
    "LIT": {"kind": "indirect", "thresholds": [75, 90, 95, 98], "range": [0, 100], "anchor_reason": "Targets."},
    "STB": {"kind": "indirect", "model": "binomial", "thresholds": [5, 10], "range": [0, 100],
            "anchor_reason": "SetMethods' way."},
    "SURV": {"kind": "calibrated", "role": "outcome"},
}


def kinds_study(tmp_path, edit=None):
    """A study of LR's raw columns, one set of every kind, and the published SURV memberships (LF)."""
    lf = pd.read_csv(REF / "datasets" / "LF.csv").set_index("case")
    raw = pd.DataFrame({"case": lf.index, "DEV": INPUTS["DEV"], "DEVC": INPUTS["DEV"], "URB": INPUTS["URB"],
                        "LIT": INPUTS["LIT"], "STB": INPUTS["STB"], "SURV": lf["SURV"].to_numpy()})
    folder = tmp_path / "kinds"
    folder.mkdir(exist_ok=True)
    raw.to_csv(folder / "cases.csv", index=False)
    measures = {}
    for name, m in SPEC.items():
        measures[name] = {"label": name, "role": m.get("role", "condition"), "indicators": [name],
                          **({"unit": "raw"} if m["kind"] != "calibrated" else {}),
                          **{k: v for k, v in m.items() if k != "role"}}
    spec = {"name": "kinds", "title": "Every kind", "synthetic": False, "data": "cases.csv", "case_id": "case",
            "measures": measures, "conditions": [n for n in SPEC if n != "SURV"], "outcomes": ["SURV"],
            "thresholds": {"incl_cut": 0.8, "pri_cut": 0, "n_cut": 1, "necessity_incl": 0.9, "necessity_ron": 0.5}}
    if edit:
        edit(spec)
    (folder / "study.yml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return folder / "study.yml"


def r_values(kind, name, thresholds, idm=None):
    for c in CALLS:
        if c["kind"] == kind and c["input"] == name and list(np.atleast_1d(c["thresholds"])) == thresholds and (
                idm is None or float(c["idm"]) == idm):
            return values(c)
    raise LookupError((kind, name, thresholds))


def test_a_study_file_with_every_kind_calibrates_as_r(tmp_path):
    study = load_study(kinds_study(tmp_path))
    assert {n: c.kind for n, c in study.calibrations.items()} == {n: m["kind"] for n, m in SPEC.items()}
    assert study.anchors == {"DEV": (400, 550, 900)}          # what the robustness tests and the multiverse move
    measures = build_measures(study, load_raw(study))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                          # no case on a crossover, no proposed anchors
        got = calibrate_measures(measures, study.calibrations, study.strict, study.name, study.calibration)
    assert np.array_equal(got["DEV"], r_values("direct", "DEV", [400, 550, 900], 0.95))
    assert np.array_equal(got["DEVC"], r_values("crisp", "DEV", [550])) and got["DEVC"].dtype.kind == "i"
    assert np.array_equal(got["URB"], r_values("multivalue", "URB", [25, 50, 65])) and got["URB"].max() == 3
    assert np.array_equal(got["LIT"], r_values("indirect", "LIT", [75, 90, 95, 98]))
    assert np.array_equal(got["STB"], r_values("binomial", "STB", [5, 10]))
    lf = pd.read_csv(REF / "datasets" / "LF.csv").set_index("case")
    assert np.array_equal(got["SURV"], lf["SURV"].to_numpy())        # used exactly as published
    table = study.codebook().set_index("measure")
    assert table.loc["SURV", "calibration"] == "calibrated: memberships used as given"
    assert table.loc["URB", "calibration"].startswith("multi-value: categories 0-3")


def test_a_published_membership_is_not_recalibrated(tmp_path):
    """The issue: Emme's memberships re-calibrated with 0.1/0.5/0.9 anchors changed the truth
    table; kind calibrated keeps them as they are, whatever idm or decimals the study sets."""
    path = kinds_study(tmp_path, lambda s: s.update(calibration={"idm": 0.99, "decimals": 1}))
    study = load_study(path)
    got = calibrate_measures(build_measures(study, load_raw(study)), study.calibrations, calibration=study.calibration)
    lf = pd.read_csv(REF / "datasets" / "LF.csv").set_index("case")
    assert np.array_equal(got["SURV"], lf["SURV"].to_numpy())


@pytest.mark.parametrize("edit, where, fragment", [
    (lambda s: s["measures"]["DEVC"].update(thresholds=[400, 550]), "measures.DEVC.thresholds", "a crisp set has one"),
    (lambda s: s["measures"]["URB"].update(thresholds=[50]), "measures.URB.thresholds", "makes a crisp set"),
    (lambda s: s["measures"]["URB"].update(thresholds=[50, 25]), "measures.URB.thresholds", "not strictly increasing"),
    (lambda s: s["measures"]["LIT"].update(thresholds=[75, 120]), "measures.LIT.thresholds", "outside the measure's range"),
    (lambda s: s["measures"]["SURV"].update(range=[0, 100]), "measures.SURV", "one column of memberships in [0, 1]"),
    (lambda s: s["measures"]["SURV"].update(anchors=[0.1, 0.5, 0.9]), "measures.SURV.anchors", "has no anchors"),
    (lambda s: s["measures"]["DEV"].pop("anchors"), "measures.DEV", "kind 'direct' needs anchors"),
    (lambda s: s["measures"]["DEV"].update(kind="fuzzy"), "measures.DEV.kind", "got 'fuzzy'"),
    (lambda s: s["measures"]["DEV"].update(model="binomial"), "measures.DEV.model", "has no model"),
    (lambda s: s["measures"]["DEVC"].pop("anchor_reason"), "measures.DEVC", "anchor_reason"),
    (lambda s: s["measures"]["LIT"].update(range=[-10, 100]), "measures.LIT.range", "model: binomial"),
])
def test_a_wrong_kind_is_one_line_naming_the_field(tmp_path, edit, where, fragment):
    with pytest.raises(StudyError) as caught:
        load_study(kinds_study(tmp_path, edit))
    message = str(caught.value)
    assert f"study.yml: {where}" in message and fragment in message and "\n" not in message


def test_a_calibrated_column_outside_0_1_names_the_case(tmp_path):
    path = kinds_study(tmp_path)
    raw = pd.read_csv(path.parent / "cases.csv")
    raw.loc[3, "SURV"] = 1.2
    raw.to_csv(path.parent / "cases.csv", index=False)
    with pytest.raises(StudyError, match=r"case 'EE', column 'SURV': value 1.2 is outside the codebook range \[0, 1\]"):
        load_raw(load_study(path))
    frame = pd.DataFrame({"SURV": [0.2, 1.2]}, index=["a", "b"])
    with pytest.raises(StudyError, match=r"measure SURV: case b: 1.2 is not a membership in \[0, 1\]"):
        calibrate_measures(frame, {"SURV": SetCalibration("calibrated")})


def test_anchors_proposed_from_the_data_warn_in_one_line_until_a_reason_is_given(tmp_path):
    def proposed(s):
        for name in ("DEV", "URB"):
            s["measures"][name].pop("anchor_reason")
            s["measures"][name]["proposed"] = "the 5th, 50th and 95th percentiles of the data"
    study = load_study(kinds_study(tmp_path, proposed))
    measures = build_measures(study, load_raw(study))
    with pytest.warns(UserWarning) as caught:
        calibrate_measures(measures, study.calibrations, source=study.name)
    lines = [str(w.message) for w in caught if "proposed" in str(w.message)]
    assert lines == ["kinds: measure(s) DEV, URB: anchors proposed from the data (the 5th, 50th and 95th percentiles "
                     "of the data), with no substantive reason yet; give each an anchor_reason in the study file "
                     "(anchors are substantive decisions)"]
    assert study.codebook().set_index("measure").loc["DEV", "anchor_reason"].startswith("none yet: proposed")

    def reasoned(s):
        proposed(s)
        s["measures"]["DEV"]["anchor_reason"] = s["measures"]["URB"]["anchor_reason"] = "Substantive."
    study = load_study(kinds_study(tmp_path, reasoned))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        calibrate_measures(measures, study.calibrations, source=study.name)


def test_notes_and_the_one_set_helper_take_every_kind():
    x = np.array([0.0, 0.5, 0.7])
    spec = SetCalibration("calibrated")
    assert np.array_equal(calibrate_set(x, spec), x)
    with pytest.warns(UserWarning, match=r"case\(s\) b have the membership 0.5 as given"):
        got = calibrate_measures(pd.DataFrame({"A": x}, index=["a", "b", "c"]), {"A": spec})
    assert calibration_notes(pd.DataFrame({"A": x}, index=["a", "b", "c"]), got, {"A": spec}) == [
        "A: case b has the membership 0.5 as given (membership 0.5) and belongs to no truth-table row"]
