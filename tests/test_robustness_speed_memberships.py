"""The robustness sweep's fast memberships (``analysis.literals``) equal the engine's
``models_membership`` bit for bit, on the three studies' memberships and solutions: every tied
model alone and the union of each solution's models, on every case and on the cases a test
keeps; and a multi-value condition still takes the engine's path."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from analysis.analyses import analyses
from analysis.codings import solve_coding
from analysis.joint import joint_memberships
from analysis.literals import LiteralTable, members
from analysis.measures import build_measures
from analysis.memberships import calibrate_measures
from analysis.qca import QCAError
from analysis.qca.sets import models_membership, outcome_membership
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
STUDIES = ("pss", "ppip", "lipset")


def study_memberships(name: str):
    """The study, its raw measures and its calibrated memberships (as notebook 02 makes them)."""
    study = load_study(ROOT / "data" / name / "study.yml")
    measures = build_measures(study, load_raw(study))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calibrated = calibrate_measures(measures, study.calibrations, study.strict, study.name, study.calibration)
    return study, measures, calibrated.join(joint_memberships(calibrated, study.joint))


@pytest.fixture(scope="module", params=STUDIES)
def solved(request):
    """Per analysis of the study: its memberships (cases x conditions) and every model set."""
    study, _, calibrated = study_memberships(request.param)
    out = []
    for a in analyses(study, study.thresholds):
        x = calibrated[list(a.conditions)].to_numpy(dtype=float)
        s = solve_coding(a, calibrated, x, outcome_membership(calibrated, a.outcome, a.neg_out))
        sets = [s.chosen(kind) for kind in ("complex", "parsimonious", "intermediate")]
        out.append((a, x, [models for models in sets if models]))
    assert any(sets for _, _, sets in out)
    return out


def same_bits(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def test_literal_table_equals_models_membership_on_the_studies(solved):
    for a, x, sets in solved:
        columns = {c: x[:, j] for j, c in enumerate(a.conditions)}
        table, fast = LiteralTable(x, a.conditions), members(x, a.conditions)
        keep = np.arange(len(x)) % 3 != 1
        part = LiteralTable(x[keep], a.conditions)
        kept = {c: v[keep] for c, v in columns.items()}
        for models in sets:
            for group in [list(models)] + [[m] for m in models] + [[m.terms for m in models]]:
                ref = models_membership(columns, group, len(x))
                assert same_bits(table.membership(group), ref) and same_bits(fast(group), ref)
                assert same_bits(part.membership(group), models_membership(kept, group, int(keep.sum())))
        assert same_bits(table.membership([]), np.zeros(len(x)))


def test_multi_value_conditions_take_the_engines_path():
    x = np.array([[0.0, 0.2], [2.0, 0.9], [1.0, 0.6]])
    models = [((("D", 2), ("B", True)),), ((("B", False),),)]
    ref = models_membership({"D": x[:, 0], "B": x[:, 1]}, models, 3)
    assert same_bits(members(x, ("D", "B"))(models), ref) and ref.tolist() == [0.8, 0.9, 0.4]
    with pytest.raises(QCAError, match="multi-value"):         # a bare D on multi-value data, as the engine
        members(x, ("D", "B"))([((("D", True),),)])
    # A term that is not a binary literal of the table's conditions takes the engine's path too.
    y = x[:, 1:]
    assert same_bits(LiteralTable(y, ("B",)).membership([((("B", 1),),)]), y[:, 0])
