"""A study's multiverse, prepared: the grid and what every specification of it shares.

>>> from pathlib import Path
>>> from analysis.studyfile import load_study
>>> from analysis.measures import build_measures
>>> from analysis.rawdata import load_raw
>>> S = load_study(Path(__file__).parents[2] / "data" / "lipset" / "study.yml")
>>> U = prepare(S, build_measures(S, load_raw(S)), S.thresholds)
>>> U.grid.size > 1, [c.name for c in U.grid.choices][-2:]
(True, ['cases', 'conditions'])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import StudyError
from ..analyses import analyses, sufficiency
from ..joint import joint_memberships
from ..robustness.measures import core_conditions
from ..robustness.plan import subsample
from .evaluate import Universe, calibrated_variants
from .grid import build_grid

__all__ = ["case_subsets", "condition_sets", "prepare", "study_core"]


def case_subsets(grid, cases, share: float, seed: int) -> tuple:
    """The kept case positions for every value of the grid's ``cases`` choice: all, each case
    left out (``-id``), and seeded subsamples of ``share`` of the cases (``subsample j``: the
    robustness protocol's rule, ``analysis.robustness.plan.subsample``)."""
    values = next(c.values for c in grid.choices if c.name == "cases")
    everyone = np.arange(len(cases))
    out = []
    for v in values:
        if v == "all":
            out.append(everyone)
        elif v.startswith("subsample "):
            out.append(subsample(len(cases), share, seed, int(v.split()[1])))
        else:
            out.append(np.delete(everyone, list(cases).index(v[1:])))
    return tuple(out)


def condition_sets(grid, conditions, named: dict) -> tuple:
    """The conditions of every value of the grid's ``conditions`` choice, in the study's order."""
    values = next(c.values for c in grid.choices if c.name == "conditions")
    out = []
    for v in values:
        if v == "all":
            out.append(tuple(conditions))
        elif v in named:
            out.append(tuple(c for c in conditions if c in named[v]))
        else:
            out.append(tuple(c for c in conditions if c != v[1:]))
    return tuple(out)


def study_core(calibrated, study_analyses) -> tuple:
    """(analysis, literal) for every core condition (in every tied parsimonious model) of the
    study's own solutions, in the order of the analyses and conditions."""
    out = []
    for a in study_analyses:
        sols = sufficiency(a, calibrated).solutions
        if sols is not None and not sols.undefined:
            out += [(a.name, lit) for lit in core_conditions([m.terms for m in sols.parsimonious.models],
                                                             list(a.conditions))]
    return tuple(out)


def prepare(study, measures, parameters: dict, settings=None) -> Universe:
    """The ``Universe`` of ``study``'s multiverse (``settings``: the study's by default) from the
    raw ``measures`` (one row per case) and the run's thresholds ``parameters``."""
    settings = settings or study.multiverse
    cases = tuple(str(c) for c in measures.index)
    if len(cases) < 2:
        raise StudyError(f"{study.path}: multiverse: needs at least 2 cases, got {len(cases)}")
    cuts = {k: parameters[k] for k in ("incl_cut", "pri_cut", "n_cut")}
    grid = build_grid(settings, list(study.anchors), cuts, cases, study.conditions)    # the sets of kind direct move
    moving = settings.sets or tuple(study.anchors)
    variants = calibrated_variants(measures, study.calibrations, study.scales, settings.anchor_shifts,
                                   study.calibration, moving if len(settings.anchor_shifts) > 1 else ())
    base = {s: v[-1] for s, v in variants.items()}
    calibrated = pd.DataFrame(base, index=pd.Index(cases, name="case"))
    calibrated = calibrated.join(joint_memberships(calibrated, study.joint))
    study_analyses = tuple(analyses(study, parameters))
    return Universe(grid=grid, cases=cases, conditions=tuple(study.conditions), outcomes=tuple(study.outcomes),
                    joint=dict(study.joint), analyses=study_analyses, variants=variants,
                    case_subsets=case_subsets(grid, cases, settings.share, settings.seed),
                    condition_sets=condition_sets(grid, study.conditions, settings.condition_sets),
                    claims=tuple(study.claims), base_cuts=cuts, core=study_core(calibrated, study_analyses))
