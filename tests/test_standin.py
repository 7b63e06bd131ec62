"""The synthetic stand-in: generated from the study file's process, reproducible byte for byte,
and built like a real case base (issue 16's targets, checked on the committed data)."""
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.errors import StudyError
from analysis.analyses import analyses, sufficiency
from analysis.joint import joint_memberships
from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.qca import QCAError, calibrate, inverse_calibrate
from analysis.rawdata import load_raw
from analysis.report.configurations import configuration_table
from analysis.standin import generate, latent_memberships
from analysis.pipeline.standin_cli import main
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
STUDY_FILE = ROOT / "data" / "ppip" / "study.yml"
STUDY = load_study(STUDY_FILE)
COMMITTED = STUDY.data_path


def test_regeneration_is_byte_identical_to_committed_csv(tmp_path, capsys):
    out = tmp_path / "cases.csv"
    assert main(["--study", str(STUDY_FILE), "--out", str(out)]) == 0
    assert out.read_bytes() == COMMITTED.read_bytes()
    assert main(["--study", str(STUDY_FILE), "--check"]) == 0
    assert "identical to" in capsys.readouterr().out


def test_every_stand_in_study_regenerates_its_committed_csv(capsys):
    """PSS too: its committed raw/cases.csv is byte for byte what its standin section generates."""
    for path in sorted((ROOT / "data").glob("*/study.yml")):
        if load_study(path).standin is not None:
            assert main(["--study", str(path), "--check"]) == 0, path


def test_check_says_when_the_committed_file_differs(tmp_path, capsys):
    out = tmp_path / "cases.csv"
    out.write_bytes(COMMITTED.read_bytes().replace(b"H01,", b"H01x,"))
    assert main(["--study", str(STUDY_FILE), "--out", str(out), "--check"]) == 1
    assert "DIFFERS" in capsys.readouterr().out


def test_csv_uses_unix_line_endings_and_fixed_decimals():
    data = COMMITTED.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    header, first = data.decode().splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(",")))
    assert "." not in cells["contract_service_clauses"]
    assert len(cells["norms_trust"].split(".")[1]) == 2
    assert len(cells["mpv_ontime_pct"].split(".")[1]) == 1


def test_generation_follows_the_seed():
    a = generate(STUDY)
    pd.testing.assert_frame_equal(a, generate(STUDY))
    other = replace(STUDY, standin=replace(STUDY.standin, seed=STUDY.standin.seed + 1))
    assert not generate(other).equals(a)


def test_shape_ids_columns_and_ranges():
    df = generate(STUDY)
    assert len(df) == STUDY.standin.n_cases == 36
    assert list(df["case"]) == [f"H{i:02d}" for i in range(1, 37)]
    assert list(df.columns) == ["case"] + [c for m in STUDY.measures.values() for c in m.indicators]
    for m in STUDY.measures.values():
        values = df[m.indicators].to_numpy(dtype=float)
        assert values.min() >= m.range[0] and values.max() <= m.range[1], m.name


def test_latent_configurations_follow_the_design():
    latent = latent_memberships(STUDY)
    crisp = (latent[STUDY.conditions] > 0.5).astype(int)
    counts = crisp.value_counts()
    design = {tuple(code[c] for c in STUDY.conditions): n for code, n, _ in STUDY.standin.configurations}
    # the latent degrees scatter around the design: most cases keep their configuration
    kept = sum(min(counts.get(k, 0), n) for k, n in design.items())
    assert kept >= 30


def test_raw_values_calibrate_back_to_the_latent_memberships():
    m = np.array([0.03, 0.2, 0.5, 0.81, 0.97])
    for anchors in STUDY.anchors.values():
        assert np.allclose(calibrate(inverse_calibrate(m, anchors), anchors), m)
    with pytest.raises(QCAError, match="strictly between 0 and 1"):
        inverse_calibrate([0.0, 0.5], (1, 2, 3))


def test_no_measure_mean_hits_a_crossover():
    """Three-item means are multiples of step/3; the crossovers sit at round + step/2."""
    measures = build_measures(STUDY, generate(STUDY).set_index("case"))
    for name, (_, c, _) in STUDY.anchors.items():
        assert np.abs(measures[name].to_numpy() - c).min() > 1e-6, name


# ---- the committed stand-in is built like a real case base (at the study's defaults) -------

@pytest.fixture(scope="module")
def run():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        measures = build_measures(STUDY, load_raw(STUDY))
        calibrated = calibrate_measures(measures, STUDY.anchors, STUDY.strict, STUDY.name)
        calibrated = calibrated.join(joint_memberships(calibrated, STUDY.joint))
        results = {a.name: sufficiency(a, calibrated) for a in analyses(STUDY, STUDY.thresholds)}
    return calibrated, results


def _models(results, name):
    return [m for b in results[name].solutions.intermediate for m in b.models]


def test_each_positive_outcome_has_two_or_three_configurations(run):
    _, results = run
    for y in STUDY.outcomes:
        assert {len(m.terms) for m in _models(results, y)} <= {2, 3}, y


def test_some_conditions_are_peripheral(run):
    _, results = run
    for y in STUDY.outcomes:
        chart = configuration_table(results[y].solutions, STUDY.conditions).loc[STUDY.conditions]
        assert chart.isin(["•", "⊘"]).to_numpy().any(), y


def test_the_joint_outcome_has_a_configuration_with_contract_and_norms(run):
    _, results = run
    for m in _models(results, "MPV_PPV"):
        assert any(dict(t).get("CONTRACT") and dict(t).get("NORMS") for t in m.terms)


def test_a_few_cases_are_near_a_crossover(run):
    calibrated, _ = run
    near = ((calibrated[STUDY.sets] - 0.5).abs() < 0.1).to_numpy().sum()
    assert 3 <= near <= 36


def test_some_observed_row_is_contradictory_or_fails_pri(run):
    calibrated, results = run
    flagged = 0
    for y in STUDY.analysed_outcomes:
        table = results[y].truth_table.table
        flagged += int(((table["incl"] >= STUDY.thresholds["incl_cut"]) & (table["PRI"] < STUDY.thresholds["pri_cut"])).sum())
        for cases in table["cases"]:
            y_cases = calibrated.loc[cases, y]
            flagged += int((y_cases > 0.5).any() and (y_cases < 0.5).any())
    assert flagged >= 1


def test_there_are_logical_remainders_and_no_skewed_set(run):
    calibrated, results = run
    assert len(results["MPV"].truth_table.table) < 2 ** len(STUDY.conditions)
    # The measured sets; a joint outcome is defined from them (MPV*~PPV is rare by its definition).
    share_in = (calibrated[STUDY.conditions + STUDY.outcomes] > 0.5).mean()
    assert share_in.between(0.2, 0.8).all(), share_in.to_dict()


# ---- the standin section is checked like the rest of the study file ---------------------------

def _with_standin(tmp_path, edit):
    raw = yaml.safe_load(STUDY_FILE.read_text())
    raw["data"] = str(COMMITTED)
    edit(raw["standin"])
    path = tmp_path / "study.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda s: s["configurations"][0].update(configuration="CONTRACT*NORMS*RISK*KNOW"), "naming every condition"),
    (lambda s: s["configurations"].append(dict(s["configurations"][0])), "listed twice"),
    (lambda s: s["indicators"]["NORMS"].update(offsets=[0, 0]), "one offset per indicator (3)"),
    (lambda s: s["outcomes"].pop("PPV"), "missing: PPV"),
    (lambda s: s["outcomes"]["MPV"].update(expression="CONTRACT*TRUST"), "standin.outcomes.MPV.expression"),
    (lambda s: s["conditions"].update(present=0.4), "absent < 0.5 < present"),
    (lambda s: s.update(seed=-1), "standin.seed"),
])
def test_a_bad_standin_section_is_one_clear_error(tmp_path, edit, message):
    with pytest.raises(StudyError, match="standin") as err:
        load_study(_with_standin(tmp_path, edit))
    assert message in str(err.value)


def test_a_study_without_a_standin_cannot_generate(tmp_path, capsys):
    raw = yaml.safe_load(STUDY_FILE.read_text())
    raw.pop("standin")
    raw["data"] = str(COMMITTED)
    path = tmp_path / "study.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert main(["--study", str(path), "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no 'standin:' section" in err[0]


# ---- the seed a stand-in was chosen with, and how many seeds pass (issue 24) -------------------

@pytest.mark.parametrize("name", ["ppip", "pss"])
def test_the_seed_choice_the_study_file_reports_is_recounted(name):
    """``seed_choice`` in the study file says how many of the seeds tried give a ledger in which
    every claim holds; the audit recounts it from scratch (data generated, analysed, claims)."""
    from analysis.pipeline.seeds import audit
    study = load_study(ROOT / "data" / name / "study.yml")
    choice = study.standin.seed_choice
    found = audit(study, choice.first, choice.last)
    assert len(found) == choice.last - choice.first + 1
    assert int(found["all_pass"].sum()) == choice.passed, found[["seed", "passed", "failing"]].to_string()
    assert choice.first <= study.standin.seed <= choice.last


def test_the_seed_audit_runs_the_study_s_own_ledger():
    from analysis.pipeline.seeds import seed_ledger
    ledger = seed_ledger(STUDY, STUDY.standin.seed)
    ids = [str(c["id"]) for c in STUDY.claims if c["check"]["type"] != "stable_core"]
    assert ledger["id"].tolist() == ids
    # the committed stand-in is that seed: its ledger on the committed data says the same
    assert set(ledger.loc[ledger["status"] == "pass", "id"]) >= {"contract-mpv", "norms-ppv"}
    assert set(ledger.loc[ledger["status"] == "fail", "id"]) >= {"risk-necessary", "imbalance-without-both"}


def test_the_seeds_option_is_checked(capsys):
    assert main(["--study", str(STUDY_FILE), "--seeds", "9-3"]) == 2
    assert "--seeds: got '9-3'" in capsys.readouterr().err
    assert main(["--study", str(STUDY_FILE), "--seeds", "7-7"]) == 0
    out = capsys.readouterr().out
    assert "seed 7:" in out and "ppip: 0 of 1 seeds (7-7)" in out
