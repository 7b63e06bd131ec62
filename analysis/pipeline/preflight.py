"""Pre-flight: everything a run needs, checked before any notebook runs, by the notebooks' own
functions.

So that a typo fails in a second, not after three notebooks, ``validate`` runs what the first
steps run (``load_study``, ``load_raw``, ``build_measures``, ``calibrate_measures``, ``joint_memberships``,
``analyses`` and ``truth_table``) on the run's study, data and parameters, and checks the
output folder (``check_out``) and the raw data's checksums.  Any problem raises ``StudyError``
with one message naming the file, column, case or parameter; warnings (e.g. columns not in the
codebook, cases on a crossover) are printed as ``warning: ...``.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import StudyError
from ..guard import PIPELINE, check_folder
from .. import parameters
from ..analyses import analyses
from ..measures import build_measures, check_measures
from ..joint import joint_memberships
from ..memberships import calibrate_measures
from ..qca.cuts import POSITIVE
from ..rawdata import load_raw
from ..studyfile import load_study
from .checksums import verify_checksums

__all__ = ["validate", "check_out"]


def check_out(out, study, data_file) -> Path:
    """Refuse an output folder whose replacement would destroy inputs, code or a user's files
    (``analysis.guard``: the one rule of what a run may write)."""
    return check_folder(out, PIPELINE, study.name, inputs=(study.path, study.data_path, data_file))


def validate(study_path, data_path, sets: dict, out=None, log=None):
    """Load and check study, data and parameters (everything a run needs) before any notebook runs.

    Checks, in order: the study file; the parameters; the output folder (``out``); the raw data's
    recorded checksums; the data against the codebook; measures that are constant; calibration
    (``strict:`` options); and that some truth-table row passes the cut-offs in at least one
    analysis.  Returns (study, parameters).
    """
    study = load_study(study_path)
    run_parameters = parameters.resolve(study.thresholds, **sets)
    data_file = Path(data_path).resolve() if data_path else study.data_path
    if out is not None:
        check_out(out, study, data_file)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        verify_checksums(data_file, data_path, study_path)
        raw = load_raw(study, data_path)
        if run_parameters["n_cut"] > len(raw):
            raise StudyError(f"parameter n_cut = {run_parameters['n_cut']} exceeds the number of cases ({len(raw)})")
        measures = build_measures(study, raw)
        check_measures(study, measures)
        calibrated = calibrate_measures(measures, study.calibrations, study.strict, study.name, study.calibration)
        calibrated = calibrated.join(joint_memberships(calibrated, study.joint))
        _check_some_row_passes(analyses(study, run_parameters), calibrated)
    if log is not None:
        for w in caught:
            print(f"warning: {' '.join(str(w.message).split())}", file=log)
    return study, run_parameters


def _check_some_row_passes(runs, calibrated) -> None:
    best_incl = best_pri = -1.0
    for a in runs:
        tt = a.truth_table(calibrated)
        table = tt.table
        if (table["OUT"].astype(str) == POSITIVE).any():
            return
        kept = table[table["n"] >= a.cuts.n]
        if len(kept):
            best_incl = max(best_incl, float(kept["incl"].max()))
            best_pri = max(best_pri, float(kept["PRI"].max()))
    a = runs[0]
    best = (f"the best row with at least n_cut cases has inclS {best_incl:.3f} and PRI {best_pri:.3f}"
            if best_incl >= 0 else "no row has n_cut cases")
    raise StudyError(f"no truth-table row passes incl_cut = {a.cuts.incl:g}, pri_cut = {a.cuts.pri:g}, n_cut = "
                   f"{a.cuts.n} in any analysis ({', '.join(r.name for r in runs)}); {best}: lower the cut-offs "
                   "(--set incl_cut=..., pri_cut=..., n_cut=...) or check the calibration")
