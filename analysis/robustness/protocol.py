"""The robustness test protocol of Oana & Schneider (2024), run for every analysis of a study.

``run_protocol`` takes the memberships, the raw measures (to recalibrate), the analyses, the
conditions' anchors and codebook ranges and the robustness settings, and runs every perturbed
analysis in one parallel sweep (``analysis.robustness.sweep``): each step of each sensitivity
range, in rounds so that a range stops at its first change, and each test solution.  It returns
one ``Robustness`` record per analysis with every measure of the protocol
(``analysis.robustness``'s docstring gives the formulas).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ..analyses import Cuts
from ..memberships import calibrate_set
from ..qca import QCAError, term_string
from .measures import (TIES, CaseRatios, RobustnessFit, as_written, case_ratios, case_types, core_conditions,
                       core_stability, fit_robustness, memberships_frame)
from .plan import ANCHORS, alternatives, range_plan, steps
from .settings import RobustnessSettings
from .sweep import Run, Sweep, analyse

__all__ = ["Robustness", "recalibrated", "run_protocol"]

_NO_FIT = RobustnessFit(RF_cov=float("nan"), RF_cons=float("nan"), RF_SC_minTS=float("nan"), RF_SC_maxTS=float("nan"))


@dataclass(frozen=True)
class Robustness:
    """The protocol's results for one analysis (an outcome or its negation)."""

    name: str
    label: str
    solution: str
    ties: str
    initial: object                # sweep.Result
    tests: list                    # [(Alternative, sweep.Result)]
    ranges: pd.DataFrame
    memberships: pd.DataFrame      # case, Y, IS, TS1..TSk (6 decimals)
    fit: RobustnessFit
    types: pd.DataFrame
    ratios: CaseRatios
    core: list                     # core literals of the IS
    stability: pd.DataFrame
    conditions: list = field(default_factory=list)

    def tests_frame(self) -> pd.DataFrame:
        """One row per test solution: what changed, and the solution it gives."""
        rows = []
        for spec, r in self.tests:
            rows.append({"test": spec.name, "change": spec.change, "description": spec.description,
                         "models": len(r.models), "solution": _models_text(r),
                         "same_as_IS": r.signature == self.initial.signature,
                         "core": ", ".join(term_string((lit,)) for lit in core_conditions(r.parsimonious,
                                                                                          self.conditions))})
        frame = pd.DataFrame(rows, columns=["test", "change", "description", "models", "solution", "same_as_IS",
                                            "core"])
        return frame.astype({"models": int, "same_as_IS": bool})       # also when there is no test

    def summary(self) -> dict:
        """The fit- and case-oriented measures in one flat record."""
        return {"analysis": self.label, "tests": len(self.tests),
                "same_as_IS": sum(r.signature == self.initial.signature for _, r in self.tests),
                **self.fit.to_dict(), "RCR_typ": self.ratios.RCR_typ, "RCR_dev": self.ratios.RCR_dev,
                "RCC_Rank": self.ratios.RCC_Rank}


def _models_text(result) -> str:
    if result.status != "ok":
        return "(no solution)"
    if len(result.models) == 1:
        return str(result.models[0])
    return "; ".join(f"M{i}: {m}" for i, m in enumerate(result.models, 1))


def recalibrated(calibrated, measures, anchors: dict, calibration=None) -> pd.DataFrame:
    """``calibrated`` with the sets of ``anchors`` (set -> (e, c, i)) calibrated anew from the raw
    ``measures`` with the study's ``calibration`` choices, as written (6 decimals)."""
    data = calibrated.copy()
    for c, a in anchors.items():
        data[c] = as_written(calibrate_set(measures.loc[data.index, c].to_numpy(dtype=float), a, calibration, name=c))
    return data


def _cuts(analyses) -> dict:
    """The cut-offs of the initial solutions (the same for every analysis of a run)."""
    cuts = {a.cuts for a in analyses}
    if len(cuts) != 1:
        raise QCAError("the robustness protocol needs the same incl_cut, pri_cut and n_cut for every analysis")
    return cuts.pop().as_args()


def _range_end(values, end, stepped, initial, start) -> list:
    """[last unchanged value, steps taken, why the range ends] for one direction of a range."""
    last, taken = start, 0
    for j, v in values:
        if stepped[j].signature != initial.signature:
            return [last, taken, "changed"]
        last, taken = v, j
    return [last, taken, end]


def run_protocol(calibrated: pd.DataFrame, measures: pd.DataFrame, analyses, anchors: dict, scales: dict,
                 settings: RobustnessSettings, solution: str = "intermediate", ties: str = "union", workers=None,
                 progress: bool = True, calibration=None) -> dict:
    """Sensitivity ranges, test solutions and every robustness measure, for each analysis.

    ``calibrated``: the initial memberships (one row per case); ``measures``: the raw measures
    (for recalibration); ``analyses``: ``analysis.analyses.Analysis`` records (outcome, negation,
    conditions, cut-offs, directional expectations); ``anchors``: each condition's (exclusion,
    crossover, inclusion); ``scales``: each condition's codebook range (the anchors' steps);
    ``settings``: the alternatives to test; ``calibration``: the study's calibration choices
    (``analysis.memberships.Calibration``).  All perturbed analyses run in one parallel
    ``Sweep``.  Returns ``{analysis name: Robustness}`` in the order of ``analyses``.
    """
    if ties not in TIES:
        raise QCAError(f"ties must be 'union' or 'first', got {ties!r}")
    analyses = list(analyses)
    conditions = tuple(analyses[0].conditions)
    cases = [str(c) for c in calibrated.index]
    base = _cuts(analyses)
    measures = measures.loc[calibrated.index]

    def task(data, a, drop=(), cuts=None, spec=None):
        if spec is not None and spec.conditions:
            a = a.with_conditions(spec.conditions)
        if spec is not None:
            own = {k: (getattr(spec, k) if getattr(spec, k) is not None else v) for k, v in base.items()}
            a = replace(a, cuts=Cuts.of(own))
        return Run(analysis=a, data=data, drop=tuple(drop or ()),
                   cut_settings=None if cuts is None else tuple(Cuts(*c) for c in cuts))

    initial = {a.name: analyse(task(calibrated, a), solution) for a in analyses}
    specs = alternatives(settings, anchors, base, measures, cases, scales)
    params = range_plan(settings, anchors, scales, base, len(cases))
    tried = {(p.parameter, dr): steps(p, dr, settings.max_steps) for p in params for dr in (-1, 1)}

    # Every analysis of the sweep, as tasks: one per (analysis, changed data); the cut-off
    # settings of an analysis (its range steps and its cut-off tests) share one truth table.
    tasks, where = [], []        # where[i]: what task i's results are
    cut_settings = [("test", s) for s in specs if s.change in ("incl_cut", "pri_cut", "n_cut")]
    cut_settings += [("range", (p, dr, j, v)) for p in params if p.anchors is None for dr in (-1, 1)
                     for j, v in tried[(p.parameter, dr)][0]]

    def cut_values(kind, item):
        if kind == "test":
            return tuple(getattr(item, k) if getattr(item, k) is not None else base[k] for k in base)
        p, dr, j, v = item
        return tuple(v if k == p.which else base[k] for k in base)

    for a in analyses:
        if cut_settings:
            tasks.append(task(calibrated, a, cuts=tuple(cut_values(*c) for c in cut_settings)))
            where.append((a.name, "cuts", cut_settings))
        for s in specs:
            if s.change not in ("incl_cut", "pri_cut", "n_cut"):
                data = recalibrated(calibrated, measures, s.anchors, calibration) if s.anchors else calibrated
                tasks.append(task(data, a, drop=s.drop, spec=s))
                where.append((a.name, "test", s))
    data_cache = {}
    for a in analyses:         # one analysis after another: workers reuse their cache
        for p in params:
            if p.anchors is None:
                continue
            for dr in (-1, 1):
                for j, v in tried[(p.parameter, dr)][0]:
                    if (p.parameter, v) not in data_cache:
                        new = list(p.anchors)
                        new[ANCHORS.index(p.which)] = v
                        data_cache[(p.parameter, v)] = recalibrated(calibrated, measures, {p.measure: tuple(new)}, calibration)
                    tasks.append(task(data_cache[(p.parameter, v)], a))
                    where.append((a.name, "range", (p, dr, j, v)))
    with Sweep(workers, progress, "robustness sweep", solution=solution) as sweep:
        found = sweep.map(tasks)

    tested = {a.name: {} for a in analyses}            # analysis -> test name -> Result
    stepped = {a.name: {} for a in analyses}           # analysis -> (parameter, dr) -> {j: Result}
    for (name, kind, item), r in zip(where, found):
        for (k2, it2), r2 in (zip(item, r) if kind == "cuts" else [((kind, item), r)]):
            if k2 == "test":
                tested[name][it2.name] = r2
            else:
                p, dr, j, v = it2
                stepped[name].setdefault((p.parameter, dr), {})[j] = r2

    out = {}
    for a in analyses:
        r0 = initial[a.name]
        tests = [(s, tested[a.name][s.name]) for s in specs]
        yv = calibrated[a.outcome].to_numpy(dtype=float)
        yv = 1 - yv if a.neg_out else yv
        pick = (lambda r: r.membership) if ties == "union" else (lambda r: r.first)
        mem = memberships_frame(cases, yv, pick(r0), {s.name: pick(r) for s, r in tests})
        if specs:
            ts = mem[[s.name for s in specs]].to_numpy()
            fit = fit_robustness(mem["Y"], mem["IS"], ts)
            types = case_types(mem["Y"], mem["IS"], ts, cases)
        else:
            fit, types = _NO_FIT, pd.DataFrame(columns=["case", "Y", "IS", "minTS", "maxTS", "type"])
        rows = []
        for p in params:
            lo, hi = (_range_end(*tried[(p.parameter, dr)], stepped[a.name].get((p.parameter, dr), {}), r0, p.value)
                      for dr in (-1, 1))
            rows.append({"analysis": a.label, "parameter": p.parameter, "value": p.value,
                         "step": p.step, "lower": lo[0], "upper": hi[0], "steps_down": lo[1], "steps_up": hi[1],
                         "lower_end": lo[2], "upper_end": hi[2]})
        core = core_conditions(r0.parsimonious, conditions)
        # A test with another condition set cannot keep a condition it leaves out: core stability
        # is counted over the tests with the study's conditions.
        stab = core_stability(core, [core_conditions(r.parsimonious, conditions) for s, r in tests
                                     if s.conditions is None])
        out[a.name] = Robustness(name=a.name, label=a.label, solution=solution, ties=ties, initial=r0, tests=tests,
                                 ranges=pd.DataFrame(rows), memberships=mem, fit=fit, types=types,
                                 ratios=case_ratios(types), core=core, stability=stab, conditions=list(conditions))
    return out
