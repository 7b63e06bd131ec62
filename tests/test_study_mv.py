"""A multi-value study by files: R's raw Lipset data (LR) cut into R's multi-value table LM by the
study file (DEV a set of kind multivalue at 550 and 850 dollars, URB, LIT, IND and SURV crisp, STB
LM's own 0/1 column used as given), in a temporary folder; its calibration equals LM, its analysis
R's QCA 3.25.1 (tests/fixtures/reference/mv/LM_SURV.json), the robustness sweep and the
multiverse solve it by the same rules (with the enhanced standard analysis on), the study file's
multi-value expectations are checked, and the whole pipeline runs it to the report."""
import hashlib
import json
import warnings

import pandas as pd
import pytest

from analysis import pipeline
from analysis.analyses import analyses, sufficiency
from analysis.codings import solve_coding
from analysis.errors import INPUT_ERRORS
from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.qca import document
from analysis.rawdata import load_raw
from analysis.robustness.sweep import Run, analyse
from analysis.studyfile import load_study

from conftest import REF, assert_solution_equal

MV = REF / "mv"
LM = pd.read_csv(MV / "datasets" / "LM.csv", index_col="case")
SPEC = next(s for s in json.loads((MV / "specs.json").read_text()) if s["id"] == "LM_SURV")
R_LM_SURV = json.loads((MV / "LM_SURV.json").read_text())

STUDY = """\
name: {name}
title: Lipset's conditions in multi-value sets (R's LM from the raw data LR)
source: R's QCA package, data sets LR and LM (Dusa 2019, QCA with R, ch. 7).
synthetic: false
data: raw/LR_mv.csv
case_id: case
measures:
  DEV:
    label: Level of development
    role: condition
    indicators: [DEV]
    unit: GNP per capita, US dollars
    range: [0, 2000]
    kind: multivalue
    thresholds: [550, 850]
    anchor_reason: R's LM cuts GNP per capita at 550 and 850 dollars (Dusa 2019, ch. 7).
  URB:
    {{label: Urbanization, role: condition, indicators: [URB], unit: percent, range: [0, 100], kind: crisp,
     thresholds: [50], anchor_reason: LM's break}}
  LIT:
    {{label: Literacy, role: condition, indicators: [LIT], unit: percent, range: [0, 100], kind: crisp,
     thresholds: [75], anchor_reason: LM's break}}
  IND:
    {{label: Industrialization, role: condition, indicators: [IND], unit: percent, range: [0, 100], kind: crisp,
     thresholds: [30], anchor_reason: LM's break}}
  STB: {{label: Government stability, role: condition, indicators: [STB], kind: calibrated}}
  SURV:
    {{label: Survival of democracy, role: outcome, indicators: [SURV], unit: democracy score, range: [-10, 10],
     kind: crisp, thresholds: [1], anchor_reason: survival when the score is positive}}
conditions: [DEV, URB, LIT, IND, STB]
outcomes: [SURV]
thresholds: {{incl_cut: 0.8, pri_cut: 0, n_cut: 1, necessity_incl: 0.9, necessity_ron: 0.5}}
dir_exp: {dir_exp}
{esa}
claims:
  - id: parsimonious
    text: The parsimonious solution for survival has R's three models.
    basis: published
    check:
      type: solution
      outcome: SURV
      solution: parsimonious
      models: ["DEV[2] + DEV[1]*STB[1]", "DEV[1]*IND[0] + IND[1]*STB[1]", "DEV[1]*STB[1] + IND[1]*STB[1]"]
  - id: development-core
    text: Development is a core condition of survival.
    basis: interpretation
    reading: read on the parsimonious solution
    check: {{type: core, condition: DEV, outcome: SURV}}
robustness: {{incl_cut: [0.75, 0.85], n_cut: [2], drop_cases: true}}
multiverse: {{incl_cut: [0.75, 0.8, 0.85], cases: {{leave_one_out: true}}, conditions: {{drop_one: true}}, size: 40,
             seed: 1, chunk: 40}}
"""
OFF = "esa: {apply: false, reason: the published analysis is the standard one}"


def write_study(folder, name="lmv", dir_exp="{DEV: [1, 2], URB: 1, LIT: 1, IND: 1, STB: 1}", esa=OFF):
    """The study's folder: raw/ with LR's raw values (LM's STB) and SHA256SUMS, and study.yml."""
    raw = folder / name / "raw"
    raw.mkdir(parents=True)
    lr = pd.read_csv(REF / "datasets" / "LR.csv", index_col="case")
    lr["STB"] = LM["STB"]
    lr.to_csv(raw / "LR_mv.csv")
    digest = hashlib.sha256((raw / "LR_mv.csv").read_bytes()).hexdigest()
    (raw / "SHA256SUMS").write_text(f"{digest}  LR_mv.csv\n")
    path = folder / name / "study.yml"
    path.write_text(STUDY.format(name=name, dir_exp=dir_exp, esa=esa))
    return path


def calibrated_of(study):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return calibrate_measures(build_measures(study, load_raw(study)), study.calibrations)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return load_study(write_study(tmp_path_factory.mktemp("studies")))


def test_the_study_file_calibrates_r_s_raw_data_into_r_s_multi_value_table(study):
    calibrated = calibrated_of(study)
    assert calibrated.index.tolist() == LM.index.tolist()
    assert calibrated.astype(int).equals(LM[calibrated.columns].astype(int))          # every case and set
    assert sorted(calibrated["DEV"].unique()) == [0, 1, 2]
    assert study.calibrations["DEV"].describe().startswith("multi-value: categories 0-2 at thresholds 550, 850")


def test_the_study_s_analysis_equals_r(study):
    a = analyses(study, dict(study.thresholds))[0]
    assert a.dir_exp == ((1, 2), 1, 1, 1, 1)
    r = sufficiency(a, calibrated_of(study))
    assert r.error == "" and r.truth_table.levels == (3, 2, 2, 2, 2)
    got = document(r.truth_table, r.necessity, r.solutions)
    assert [row["row"] for row in got["truth_table"] if row["n"]] == [row["row"] for row in R_LM_SURV["truth_table"]]
    for kind in ("complex", "parsimonious", "intermediate"):
        assert_solution_equal(R_LM_SURV["solutions"][kind], got["solutions"][kind])
    assert [n["condition"] for n in got["necessity"]] == [n["condition"] for n in R_LM_SURV["necessity"]]


@pytest.mark.parametrize("esa", [OFF, ""], ids=["standard", "enhanced"])
def test_the_sweep_and_the_multiverse_solve_it_as_the_notebooks_do(tmp_path, esa):
    """solve_coding (the robustness sweep's and the multiverse's path) gives the models of
    sufficiency (the notebooks' path), the enhanced standard analysis' exclusions included."""
    s = load_study(write_study(tmp_path, esa=esa))
    calibrated = calibrated_of(s)
    for a in analyses(s, dict(s.thresholds)):
        want = sufficiency(a, calibrated)
        assert want.error == ""
        assert want.exclusions.empty if esa else (a.neg_out or len(want.exclusions) > 0)
        solved = solve_coding(a, calibrated)
        assert solved.error == ""
        for kind in ("complex", "parsimonious"):
            assert [m.key for m in solved.models[kind]] == [m.key for m in getattr(want.solutions, kind).models]
        assert [m.key for _, ms in solved.models["intermediate"] for m in ms] == \
            [m.key for b in want.solutions.intermediate for m in b.models]
        dropped = analyse(Run(a, calibrated, drop=("BE",)))
        alone = sufficiency(a, calibrated.drop(index="BE")).solutions
        assert dropped.status == "ok" and {m.key for m in dropped.models} == \
            {m.key for b in alone.intermediate for m in b.models} != set()


@pytest.mark.parametrize("dir_exp, words", [("{DEV: 3}", "dir_exp.DEV: got 3; DEV has the categories 0 to 2"),
                                            ("{URB: 2}", "dir_exp.URB: got 2; URB is a binary set"),
                                            ("{URB: [0, 1]}", "dir_exp.URB: got [0, 1]; URB is a binary set"),
                                            ("{DEV: [2, 2]}", "dir_exp.DEV: lists 2 more than once"),
                                            ("{DEV: []}", "dir_exp.DEV: got []"),
                                            ("{DEV: high}", "dir_exp.DEV: got 'high'")])
def test_multi_value_expectations_are_checked_in_one_line(tmp_path, dir_exp, words):
    with pytest.raises(INPUT_ERRORS) as caught:
        load_study(write_study(tmp_path, dir_exp=dir_exp))
    message = str(caught.value)
    assert words in message and "\n" not in message and "study.yml" in message


@pytest.mark.slow
def test_the_pipeline_runs_the_multi_value_study_to_its_report(tmp_path, capsys):
    path = write_study(tmp_path / "studies")
    out = tmp_path / "run"
    code = pipeline.main(["--study", str(path), "--out", str(out), "--jobs", "1"])
    assert code == 0, capsys.readouterr().err
    sols = json.loads((out / "solutions" / "SURV.json").read_text())
    assert sols["levels"] == [3, 2, 2, 2, 2]
    for kind in ("complex", "parsimonious", "intermediate"):
        assert_solution_equal(R_LM_SURV["solutions"][kind], sols["solutions"][kind])
    config = pd.read_csv(out / "tables" / "configurations_SURV_C1P1_M1.csv", index_col="condition", dtype=str)
    assert config.loc["DEV"].tolist() == ["● 1", "● 2"] and config.loc["STB"].tolist()[0] == "●"
    assert "2 of 2 claims hold at the defaults" in (out / "findings.md").read_text()
    assert "DEV[1] + IND[1]" in pd.read_csv(out / "tables" / "necessity_expressions.csv")["expression"].tolist()
    assert (out / "figures" / "configurations_SURV.png").stat().st_size > 0
    assert (out / "report.html").stat().st_size > 0 and "nan" not in (out / "findings.md").read_text().lower()


def test_a_multi_value_outcome_is_refused_in_one_line(tmp_path):
    path = write_study(tmp_path)
    text = path.read_text().replace("     kind: crisp, thresholds: [1], anchor_reason: survival",
                                    "     kind: multivalue, thresholds: [0, 5], anchor_reason: survival")
    assert text != path.read_text()
    path.write_text(text)
    with pytest.raises(INPUT_ERRORS, match=r"study.yml: measures.SURV: an outcome of kind 'multivalue'; an outcome "
                                           r"is a binary set \(R's truthTable\); give it kind crisp"):
        load_study(path)
