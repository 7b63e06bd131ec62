"""The robustness test protocol of Oana & Schneider (2024), run for every analysis of a study.

``Protocol`` takes the memberships, the raw measures (to recalibrate), the analyses, the
conditions' anchors and codebook ranges and the robustness settings, and runs the protocol's
parts as SetMethods names them (the sensitivity ranges of the anchors and of the cut-offs, the
test solutions, then the fit- and case-oriented measures), every perturbed analysis on one
parallel sweep (``analysis.robustness.sweep``).  ``run_protocol`` runs them all at once.  Each
analysis gets one ``Robustness`` record with every measure of the protocol
(``analysis.robustness``'s docstring gives the formulas).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from ..errors import StudyError
from ..analyses import Cuts
from ..memberships import calibrate_set
from ..qca import outcome_membership, term_string
from .measures import (TIES, CaseRatios, RobustnessFit, as_written, case_ratios, case_types, core_conditions,
                       core_stability, fit_robustness, memberships_frame)
from .claims import claim_tests
from .plan import ANCHORS, alternatives, range_plan, steps
from .settings import RobustnessSettings
from .sweep import Run, Sweep, analyse

__all__ = ["Protocol", "Robustness", "recalibrated", "run_protocol", "tests_frame"]

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
        return tests_frame(self.initial, self.tests, self.conditions)

    def summary(self) -> dict:
        """The fit- and case-oriented measures in one flat record."""
        return {"analysis": self.label, "tests": len(self.tests),
                "same_as_IS": sum(r.signature == self.initial.signature for _, r in self.tests),
                **self.fit.to_dict(), "RCR_typ": self.ratios.RCR_typ, "RCR_dev": self.ratios.RCR_dev,
                "RCC_Rank": self.ratios.RCC_Rank}


def tests_frame(initial, tests, conditions) -> pd.DataFrame:
    """One row per test solution (``tests``: [(Alternative, sweep.Result)]): what changed, the
    solution it gives, whether it is the ``initial`` one, and its core literals among ``conditions``."""
    rows = []
    for spec, r in tests:
        rows.append({"test": spec.name, "change": spec.change, "description": spec.description,
                     "models": len(r.models), "solution": _models_text(r),
                     "same_as_IS": r.signature == initial.signature,
                     "core": ", ".join(term_string((lit,)) for lit in core_conditions(r.parsimonious, conditions))})
    frame = pd.DataFrame(rows, columns=["test", "change", "description", "models", "solution", "same_as_IS", "core"])
    return frame.astype({"models": int, "same_as_IS": bool})       # also when there is no test


def _models_text(result) -> str:
    if result.status != "ok":
        return "(no solution)"
    if len(result.models) == 1:
        return result.texts[0]
    return "; ".join(f"M{i}: {m}" for i, m in enumerate(result.texts, 1))


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
        raise StudyError("the robustness protocol needs the same incl_cut, pri_cut and n_cut for every analysis")
    return cuts.pop().as_args()


def _range_end(values, end, stepped, initial, start) -> list:
    """[last unchanged value, steps taken, why the range ends] for one direction of a range."""
    last, taken = start, 0
    for j, v in values:
        if stepped[j].signature != initial.signature:
            return [last, taken, "changed"]
        last, taken = v, j
    return [last, taken, end]


class Protocol:
    """The protocol of Oana & Schneider (2024) for the analyses of a study, in SetMethods' named
    steps, all on one parallel sweep (``analysis.robustness.sweep``):

    ``calibration_ranges``  how far each anchor of each condition can move (``rob.calibrange``);
    ``cut_off_ranges``      how far ``incl_cut``, ``pri_cut`` and ``n_cut`` can (``rob.inclrange``,
                            ``rob.ncutrange``);
    ``test_solutions``      the alternatives the study file names, each re-run (TS1..TSk);
    ``results``             every measure per analysis (``Robustness``): fit-oriented
                            (``rob.fit``), case-oriented (``rob.cases``, ``rob.case.ratio``) and
                            the stability of core conditions, per kind of test;
    ``claims``              whether each claim of the ledger holds in each test solution.

    ``calibrated``: the initial memberships (one row per case); ``measures``: the raw measures
    (for recalibration); ``analyses``: ``analysis.analyses.Analysis`` records; ``anchors``: each
    condition's (exclusion, crossover, inclusion); ``scales``: each condition's codebook range
    (the anchors' steps); ``settings``: the alternatives to test; ``calibration``: the study's
    calibration choices.  Use it as a context manager (the sweep's workers end with it).
    """

    def __init__(self, calibrated: pd.DataFrame, measures: pd.DataFrame, analyses, anchors: dict, scales: dict,
                 settings: RobustnessSettings, solution: str = "intermediate", ties: str = "union", workers=None,
                 progress: bool = True, calibration=None):
        if ties not in TIES:
            raise StudyError(f"ties must be 'union' or 'first', got {ties!r}")
        self.calibrated, self.analyses, self.settings = calibrated, list(analyses), settings
        self.solution, self.ties, self.calibration = solution, ties, calibration
        self.conditions = tuple(self.analyses[0].conditions)
        self.cases = [str(c) for c in calibrated.index]
        self.base = _cuts(self.analyses)
        self.measures = measures.loc[calibrated.index]
        self.specs = alternatives(settings, anchors, self.base, self.measures, self.cases, scales)
        self.params = range_plan(settings, anchors, scales, self.base, len(self.cases))
        self.tried = {(p.parameter, dr): steps(p, dr, settings.max_steps) for p in self.params for dr in (-1, 1)}
        self.initial = {a.name: analyse(self._run(calibrated, a), solution) for a in self.analyses}
        self.sweep = Sweep(workers, progress, "robustness sweep", solution=solution)
        self.stepped = {a.name: {} for a in self.analyses}     # analysis -> (parameter, dr) -> {j: Result}
        self.tested = None                                     # analysis -> test name -> Result
        self.frames = {}                                       # analysis -> tests_frame
        self.test_data = {}                                    # test name -> its recalibrated memberships
        self.range_frames = {}                                 # anchors or not -> the ranges (once run)
        self.done = set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sweep.close()

    def _run(self, data, a, drop=(), cuts=None, spec=None, document=False) -> Run:
        if spec is not None and spec.conditions:
            a = a.with_conditions(spec.conditions)
        if spec is not None:
            own = {k: (getattr(spec, k) if getattr(spec, k) is not None else v) for k, v in self.base.items()}
            a = replace(a, cuts=Cuts.of(own))
        return Run(analysis=a, data=data, drop=tuple(drop or ()),
                   cut_settings=None if cuts is None else tuple(Cuts(*c) for c in cuts), document=document)

    def _test_data(self, spec) -> pd.DataFrame:
        """The memberships a test solution analyses: recalibrated for its anchors (every case),
        once for every analysis and the claims."""
        if not spec.anchors:
            return self.calibrated
        if spec.name not in self.test_data:
            self.test_data[spec.name] = recalibrated(self.calibrated, self.measures, spec.anchors, self.calibration)
        return self.test_data[spec.name]

    def _ranges(self, anchors: bool) -> pd.DataFrame:
        """The ranges of the anchors (``anchors``) or of the cut-offs, made once (a copy each call)."""
        if anchors not in self.range_frames:
            self.range_frames[anchors] = self._range_rows(anchors)
        return self.range_frames[anchors].copy()

    def _range_rows(self, anchors: bool) -> pd.DataFrame:
        rows = []
        for a in self.analyses:
            r0 = self.initial[a.name]
            for p in self.params:
                if (p.anchors is not None) != anchors:
                    continue
                lo, hi = (_range_end(*self.tried[(p.parameter, dr)], self.stepped[a.name].get((p.parameter, dr), {}),
                                     r0, p.value) for dr in (-1, 1))
                rows.append({"analysis": a.label, "parameter": p.parameter, "value": p.value, "step": p.step,
                             "lower": lo[0], "upper": hi[0], "steps_down": lo[1], "steps_up": hi[1],
                             "lower_end": lo[2], "upper_end": hi[2]})
        return pd.DataFrame(rows, columns=RANGE_COLUMNS)

    def calibration_ranges(self) -> pd.DataFrame:
        """Part 1: the sensitivity range of every anchor of every condition, for every analysis
        (SetMethods' ``rob.calibrange``): each step re-calibrates the condition and re-runs the
        whole analysis; the range is the last value, each way, that gives the same solution."""
        if "calibration" not in self.done:
            # Step by step: a range ends at its first change, so the steps beyond it are not run;
            # each round runs the next step of every range still open, on one sweep.
            open_ = [(a, p, dr) for a in self.analyses for p in self.params if p.anchors is not None
                     for dr in (-1, 1)]      # one analysis after another: workers reuse their cache
            cache, i = {}, 0
            while open_:
                now = [(a, p, dr) + self.tried[(p.parameter, dr)][0][i] for a, p, dr in open_
                       if i < len(self.tried[(p.parameter, dr)][0])]
                runs = [self._run(self._anchor_data(cache, p, v), a) for a, p, dr, j, v in now]
                open_ = []
                for (a, p, dr, j, v), r in zip(now, self.sweep.map(runs)):
                    self.stepped[a.name].setdefault((p.parameter, dr), {})[j] = r
                    if r.signature == self.initial[a.name].signature:
                        open_.append((a, p, dr))
                i += 1
            self.done.add("calibration")
        return self._ranges(anchors=True)

    def _anchor_data(self, cache: dict, p, v) -> pd.DataFrame:
        """The memberships with anchor ``p`` of its condition at ``v`` (recalibrated once)."""
        if (p.parameter, v) not in cache:
            new = list(p.anchors)
            new[ANCHORS.index(p.which)] = v
            cache[(p.parameter, v)] = recalibrated(self.calibrated, self.measures, {p.measure: tuple(new)},
                                                   self.calibration)
        return cache[(p.parameter, v)]

    def cut_off_ranges(self) -> pd.DataFrame:
        """Part 1: the sensitivity ranges of ``incl_cut``, ``pri_cut`` and ``n_cut`` (SetMethods'
        ``rob.inclrange``, ``rob.ncutrange``): one truth table per analysis, recoded per step."""
        if "cuts" not in self.done:
            steps_ = [(p, dr, j, v) for p in self.params if p.anchors is None for dr in (-1, 1)
                      for j, v in self.tried[(p.parameter, dr)][0]]
            if steps_:
                cuts = [tuple(v if k == p.which else self.base[k] for k in self.base) for p, dr, j, v in steps_]
                found = self.sweep.map([self._run(self.calibrated, a, cuts=cuts) for a in self.analyses])
                for a, results in zip(self.analyses, found):
                    for (p, dr, j, v), r in zip(steps_, results):
                        self.stepped[a.name].setdefault((p.parameter, dr), {})[j] = r
            self.done.add("cuts")
        return self._ranges(anchors=False)

    def test_solutions(self) -> pd.DataFrame:
        """Part 2: every test solution (TS1..TSk) the study file names, re-run end to end, for
        every analysis: what it changes, its models and core conditions, whether it equals the
        initial solution."""
        if self.tested is None:
            self.tested = {a.name: {} for a in self.analyses}
            cut_specs = [s for s in self.specs if s.change in ("incl_cut", "pri_cut", "n_cut")]
            other = [s for s in self.specs if s.change not in ("incl_cut", "pri_cut", "n_cut")]
            runs, where = [], []
            for a in self.analyses:
                if cut_specs:
                    runs.append(self._run(self.calibrated, a, cuts=[tuple(getattr(s, k) if getattr(s, k) is not None
                                                                          else self.base[k] for k in self.base)
                                                                    for s in cut_specs], document=True))
                    where.append((a.name, cut_specs))
                for s in other:
                    runs.append(self._run(self._test_data(s), a, drop=s.drop, spec=s, document=True))
                    where.append((a.name, [s]))
            for (name, specs), r in zip(where, self.sweep.map(runs)):
                for s, one in zip(specs, r if isinstance(r, list) else [r]):
                    self.tested[name][s.name] = one
        frames = [self._tests_frame(a).assign(analysis=a.label) for a in self.analyses]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def claims(self, claims) -> pd.DataFrame:
        """Whether each claim of the ledger holds in each test solution (``robustness.claims``:
        the ledger's rule on the test's solutions for every outcome and on its memberships)."""
        self.test_solutions()
        tests = []
        for s in self.specs:
            data = self._test_data(s)
            tests.append((s, {a.name: self.tested[a.name][s.name].document for a in self.analyses},
                          data.drop(index=list(s.drop)) if s.drop else data, s.conditions or self.conditions))
        return claim_tests(claims, tests)

    def _tests(self, a) -> list:
        """[(Alternative, sweep.Result)] of the test solutions of analysis ``a`` (none before they are run)."""
        return [(s, self.tested[a.name][s.name]) for s in self.specs] if self.tested is not None else []

    def _tests_frame(self, a) -> pd.DataFrame:
        """``tests_frame`` of analysis ``a``, made once after the test solutions have run."""
        if self.tested is None:
            return tests_frame(self.initial[a.name], [], self.conditions)
        if a.name not in self.frames:
            self.frames[a.name] = tests_frame(self.initial[a.name], self._tests(a), self.conditions)
        return self.frames[a.name].copy()

    def _record(self, a, ranges: pd.DataFrame | None = None) -> Robustness:
        """The ``Robustness`` record of one analysis from what the steps found."""
        r0 = self.initial[a.name]
        tests = self._tests(a)
        yv = outcome_membership(self.calibrated, a.outcome, a.neg_out)
        pick = (lambda r: r.membership) if self.ties == "union" else (lambda r: r.first)
        mem = memberships_frame(self.cases, yv, pick(r0), {s.name: pick(r) for s, r in tests})
        if tests:
            ts = mem[[s.name for s, _ in tests]].to_numpy()
            fit, types = fit_robustness(mem["Y"], mem["IS"], ts), case_types(mem["Y"], mem["IS"], ts, self.cases)
        else:
            fit, types = _NO_FIT, pd.DataFrame(columns=["case", "Y", "IS", "minTS", "maxTS", "type"])
        core = core_conditions(r0.parsimonious, self.conditions)
        # Per kind of test; a test with another condition set judges only the conditions it keeps.
        stab = core_stability(core, [(s.kind, s.conditions or self.conditions,
                                      core_conditions(r.parsimonious, self.conditions)) for s, r in tests])
        return Robustness(name=a.name, label=a.label, solution=self.solution, ties=self.ties, initial=r0,
                          tests=tests, ranges=pd.DataFrame(columns=RANGE_COLUMNS) if ranges is None else ranges,
                          memberships=mem, fit=fit, types=types, ratios=case_ratios(types), core=core,
                          stability=stab, conditions=list(self.conditions))

    def results(self) -> dict:
        """Parts 3 to 5, from every step (run now if not yet): ``{analysis name: Robustness}`` in the
        order of the analyses, with the fit- and case-oriented measures and the core stability."""
        ranges = pd.concat([self.calibration_ranges(), self.cut_off_ranges()], ignore_index=True)
        self.test_solutions()
        order = [p.parameter for p in self.params]
        out = {}
        for a in self.analyses:
            mine = ranges[ranges["analysis"] == a.label]
            mine = mine.iloc[sorted(range(len(mine)), key=lambda i: order.index(mine["parameter"].iloc[i]))]
            out[a.name] = self._record(a, mine.reset_index(drop=True))
        return out


RANGE_COLUMNS = ["analysis", "parameter", "value", "step", "lower", "upper", "steps_down", "steps_up", "lower_end",
                 "upper_end"]


def run_protocol(calibrated: pd.DataFrame, measures: pd.DataFrame, analyses, anchors: dict, scales: dict,
                 settings: RobustnessSettings, solution: str = "intermediate", ties: str = "union", workers=None,
                 progress: bool = True, calibration=None) -> dict:
    """Every step of the protocol at once (``Protocol``): ``{analysis name: Robustness}``."""
    with Protocol(calibrated, measures, analyses, anchors, scales, settings, solution, ties, workers, progress,
                  calibration) as protocol:
        return protocol.results()
