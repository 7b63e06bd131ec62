"""The seeds of a stand-in, audited: on how many of them does every claim hold?

A synthetic stand-in is drawn from one seed of its study file's data-generating process
(``analysis.standin``).  Sampling noise then decides, as it would with real cases, which claims
the analysis of the generated data supports.  When a seed is *chosen* among others, a reader must
know how many were tried and how many of them give a ledger that passes, or a passing ledger
reads as more than it is.  ``seed_ledger`` runs the study's own analysis on the stand-in of one
seed, steps 1 to 4 (measures, calibration, truth tables, the enhanced standard analysis,
solutions) and tests every claim the ledger judges at the study's settings without the
robustness tests (``stable_core`` needs them; it is left out); ``audit`` does so for a range of
seeds.  ``python -m analysis.standin --study FILE --seeds 1-60`` prints the audit.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..analyses import analyses
from ..claims import ledger
from ..errors import StudyError
from ..codings import solve_coding
from ..joint import joint_memberships
from ..measures import build_measures
from ..memberships import calibrate_measures
from ..qca import SOLUTION_KINDS
from ..qca.sets import outcome_membership
from ..standin.generate import formatted, generate

__all__ = ["ROBUSTNESS_CLAIMS", "seed_ledger", "audit"]

ROBUSTNESS_CLAIMS = ("stable_core",)      # judged on the robustness tests, which the audit does not run


def _raw(study) -> pd.DataFrame:
    """The stand-in's raw data as ``load_raw`` reads the written file (the same rounded values)."""
    text = formatted(study, generate(study))
    return text.set_index(study.case_id).astype(float)


def seed_ledger(study, seed: int) -> pd.DataFrame:
    """The ledger (``analysis.claims.ledger``) at the study's settings on the stand-in drawn with
    ``seed``: every claim but those judged on the robustness tests."""
    if study.standin is None:
        raise StudyError(f"{study.path}: the study file has no 'standin:' section; only a synthetic stand-in has "
                         "seeds to audit")
    study = replace(study, standin=replace(study.standin, seed=int(seed)))
    measures = build_measures(study, _raw(study))
    calibrated = calibrate_measures(measures, study.calibrations, study.strict, study.name, study.calibration)
    calibrated = calibrated.join(joint_memberships(calibrated, study.joint))
    documents = {}
    for a in analyses(study, dict(study.thresholds)):
        columns = {c: calibrated[c].to_numpy(dtype=float) for c in a.conditions}
        y = outcome_membership(calibrated, a.outcome, a.neg_out)
        documents[a.name] = solve_coding(a, calibrated).document(columns, y, SOLUTION_KINDS)
    claims = [c for c in study.claims if c["check"]["type"] not in ROBUSTNESS_CLAIMS]
    return ledger(claims, documents, None, calibrated)


def audit(study, first: int, last: int) -> pd.DataFrame:
    """One row per seed from ``first`` to ``last``: the claims judged, those that pass, whether
    all pass, and the ids of the failing claims."""
    rows = []
    for seed in range(int(first), int(last) + 1):
        led = seed_ledger(study, seed)
        failing = led.loc[led["status"] != "pass", "id"].tolist()
        rows.append({"seed": seed, "claims": len(led), "passed": len(led) - len(failing), "all_pass": not failing,
                     "failing": ", ".join(failing)})
    return pd.DataFrame(rows, columns=["seed", "claims", "passed", "all_pass", "failing"])
