"""Robustness of fsQCA solutions: the Oana-Schneider protocol, computed completely.

Reviewers ask first whether a QCA solution survives other reasonable choices of calibration
anchors, cut-offs and cases (Skaaning 2011; Schneider & Wagemann 2012, ch. 11.2).  Oana and
Schneider's robustness test protocol answers in three parts (Oana, I.-E. & Schneider, C. Q.
(2024). A robustness test protocol for applied QCA: theory and R software application.
*Sociological Methods & Research*, 53(1), 57-88; R package SetMethods: ``rob.calibrange``,
``rob.inclrange``, ``rob.ncutrange``, ``rob.fit``, ``rob.cases``, ``rob.case.ratio``,
``rob.xyplot``).  This module computes them for one initial solution (IS) and its test
solutions (TS1..TSk); ``analysis.sweep`` runs the perturbed analyses in parallel.

1. Sensitivity ranges (``rob.calibrange``, ``rob.inclrange``, ``rob.ncutrange``)
    Each calibration anchor of each condition (exclusion, crossover, inclusion) and each of
    ``incl_cut``, ``pri_cut`` and ``n_cut`` is moved away from its chosen value one step at a
    time, downwards and upwards, all else fixed, and the whole analysis is re-run until the
    solution changes.  The range is the last value, in each direction, that still gives the
    same solution.  Anchor steps are a fraction (``anchor_steps``) of the measure's codebook
    range; an anchor stays inside the codebook range and strictly between its neighbouring
    anchors; cut-off steps are ``cut_steps`` (0.01 for the consistency cut-offs, 1 for
    ``n_cut``), within [0.5, 1], [0, 1] and [1, number of cases]; at most ``max_steps`` steps
    are taken.  A range end is ``changed`` (the next step changes the solution), ``limit`` (the
    next step leaves the allowed values) or ``max_steps``.  *Correction of SetMethods*: a
    solution with several tied models is "the same" only if the **set of all its tied models**
    is the same (every model of every intermediate block, term order ignored), not only its
    first model.  A step that leaves no positive truth table row (no solution) is a change.

2. Test solutions
    Plausible alternatives named in the study file (``robustness:``): anchors at other sample
    percentiles (e.g. 10/50/90) for every condition, other consistency, PRI and frequency
    cut-offs, and each case dropped in turn.  Each is re-run end to end: calibration, truth
    table, minimisation.  The outcome keeps its calibration, so that every test solution is
    compared with the same set Y.  A dropped case still has a membership in the test solution:
    the solution's formula evaluated on the case.  A test with no solution has membership 0
    for every case (nothing was found sufficient).

3. Fit-oriented robustness (``rob.fit``)
    With Cov(X) = sum(min(X, Y)) / sum(Y) and Cons(X) = sum(min(X, Y)) / sum(X), and, for
    every case, minTS = min(TS1, ..., TSk), maxTS = max(TS1, ..., TSk) **over all k test
    solutions** (*correction of SetMethods*, which takes them from the first and the last test
    solution only), and the robust core RC = min(IS, TS1, ..., TSk) = min(IS, minTS)::

        RF_cov      = Cov(RC) / Cov(IS)          share of the IS's coverage the robust core keeps
        RF_cons     = Cons(IS) / Cons(RC)        below 1 when the robust core is more consistent
        RF_SC_minTS = sum(min(IS, minTS)) / sum(max(IS, minTS))   set coincidence of IS and minTS
        RF_SC_maxTS = sum(min(IS, maxTS)) / sum(max(IS, maxTS))   set coincidence of IS and maxTS

    Values near 1 mean a robust solution.  A ratio with a zero denominator is undefined (NaN,
    ``null`` in JSON).

4. Case-oriented robustness (``rob.cases``, ``rob.case.ratio``, ``rob.xyplot``)
    Every case falls in one of eight types by its membership in IS*minTS, IS*~minTS,
    ~IS*maxTS, ~IS*~maxTS and in Y (all comparisons **strict**: a case with IS, minTS / maxTS
    or Y exactly 0.5 falls in no type and is counted as ``unclassified``):

    ==========================  ============================  ===========
    type                        IS and test solutions         outcome
    ==========================  ============================  ===========
    robust typical              IS > 0.5 and minTS > 0.5      Y > 0.5
    shaky typical               IS > 0.5 and minTS < 0.5      Y > 0.5
    possible typical            IS < 0.5 and maxTS > 0.5      Y > 0.5
    extreme deviant coverage    IS < 0.5 and maxTS < 0.5      Y > 0.5
    robust deviant              IS > 0.5 and minTS > 0.5      Y < 0.5
    shaky deviant               IS > 0.5 and minTS < 0.5      Y < 0.5
    possible deviant            IS < 0.5 and maxTS > 0.5      Y < 0.5
    irrelevant                  IS < 0.5 and maxTS < 0.5      Y < 0.5
    ==========================  ============================  ===========

    RCR_typ = robust typical / (robust typical + shaky typical + possible typical), the share
    of the cases that are typical in the IS or in some test solution that are typical in all
    of them; RCR_dev = robust deviant / (robust deviant + shaky deviant + possible deviant),
    likewise for deviant cases consistency in kind.  RCC_Rank, the robust case classification
    rank: 1 when there is no shaky and no possible case, 2 when there are possible cases only,
    3 shaky cases only, 4 both (shaky = shaky typical + shaky deviant; possible = possible
    typical + possible deviant: both kinds of cases guide post-QCA case selection).  The
    robustness XY plot (``analysis.charts.robustness_xy_plot``) puts IS on the x axis and, for
    every case, the span from minTS to maxTS on the y axis, with the zones labelled.

5. Stability of core conditions
    A condition (or its absence) is *core* in a solution when it appears in every tied model
    of its parsimonious solution (Fiss 2011; the claims ledger's ``core`` check).  For each
    core condition of the IS: the share of the k test solutions in which it is still core (a
    test without solution counts as "not core").  The ledger's ``stable_core`` claim checks it.

Interpretations stated once: the solution compared and whose memberships are taken is the
**intermediate** solution by default (as in SetMethods; ``solution=`` changes it).  When it has
several tied models (or several intermediate blocks), the IS / TS membership of a case is its
membership in their **union** (max over every term of every tied model): all tied models cover
the same positive truth-table rows and differ only in the remainders they use, so the union
takes no side among them (``ties="first"`` uses the first model, SetMethods' choice).  Y is the
outcome as calibrated for the IS (negated for a negated outcome).  Memberships are rounded to
6 decimals, as written in ``<analysis>_memberships.csv``, before any measure is computed, so
that the file reproduces every figure exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calibration import calibrate, percentile_anchors
from .errors import QCAError
from .fit import _ratio  # sums of memberships: a zero denominator gives NaN
from .sets import expression_string, term_string
from .sweep import Sweep, Task, analyse

__all__ = ["CASE_TYPES", "ANCHORS", "TestSpec", "RangeParameter", "Robustness", "fit_robustness",
           "case_types", "case_ratios", "core_conditions", "core_stability", "solution_membership",
           "test_plan", "range_plan", "run_protocol", "as_written", "memberships_frame"]

CASE_TYPES = ("robust typical", "shaky typical", "possible typical", "extreme deviant coverage",
              "robust deviant", "shaky deviant", "possible deviant", "irrelevant")
UNCLASSIFIED = "unclassified"
ANCHORS = ("exclusion", "crossover", "inclusion")
CUT_BOUNDS = {"incl_cut": (0.5, 1.0), "pri_cut": (0.0, 1.0)}
DEFAULT_CUT_STEPS = {"incl_cut": 0.01, "pri_cut": 0.01, "n_cut": 1}
DEFAULT_MAX_STEPS = 10


# ------------------------------------------------------------------------- the measures

def as_written(x) -> np.ndarray:
    """Memberships as written with 6 decimals (what the memberships file holds)."""
    return np.array([float(f"{v:.6f}") for v in np.asarray(x, dtype=float)])


def _columns(ts) -> np.ndarray:
    ts = np.asarray(ts, dtype=float)
    if ts.ndim == 1:
        ts = ts[:, None]
    if ts.shape[1] == 0:
        raise QCAError("robustness measures need at least one test solution")
    return ts


def fit_robustness(y, IS, TS) -> dict:
    """RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS (module docstring, part 3).

    ``y`` and ``IS`` are memberships of the cases; ``TS`` has one column per test solution.
    minTS and maxTS are taken over **every** column.
    """
    y, IS, ts = np.asarray(y, float), np.asarray(IS, float), _columns(TS)
    lo, hi = ts.min(axis=1), ts.max(axis=1)
    rc = np.minimum(IS, lo)
    cov_is, cov_rc = _ratio(np.minimum(IS, y).sum(), y.sum()), _ratio(np.minimum(rc, y).sum(), y.sum())
    cons_is, cons_rc = _ratio(np.minimum(IS, y).sum(), IS.sum()), _ratio(np.minimum(rc, y).sum(), rc.sum())
    return {"RF_cov": _ratio(cov_rc, cov_is) if cov_is == cov_is else float("nan"),
            "RF_cons": _ratio(cons_is, cons_rc) if cons_rc == cons_rc and cons_is == cons_is else float("nan"),
            "RF_SC_minTS": _ratio(np.minimum(IS, lo).sum(), np.maximum(IS, lo).sum()),
            "RF_SC_maxTS": _ratio(np.minimum(IS, hi).sum(), np.maximum(IS, hi).sum())}


def _case_type(y, i, lo, hi) -> str:
    if y == 0.5 or i == 0.5:
        return UNCLASSIFIED
    t = i > 0.5
    ts = lo if t else hi
    if ts == 0.5:
        return UNCLASSIFIED
    kind = ("robust" if ts > 0.5 else "shaky") if t else ("possible" if ts > 0.5 else None)
    if y > 0.5:
        return f"{kind} typical" if kind else "extreme deviant coverage"
    return f"{kind} deviant" if kind else "irrelevant"


def case_types(y, IS, TS, cases=None) -> pd.DataFrame:
    """One row per case: Y, IS, minTS, maxTS and the case type (module docstring, part 4)."""
    y, IS, ts = np.asarray(y, float), np.asarray(IS, float), _columns(TS)
    lo, hi = ts.min(axis=1), ts.max(axis=1)
    cases = list(cases) if cases is not None else [str(i + 1) for i in range(len(y))]
    return pd.DataFrame({"case": cases, "Y": y, "IS": IS, "minTS": lo, "maxTS": hi,
                         "type": [_case_type(*v) for v in zip(y, IS, lo, hi)]})


def case_ratios(types) -> dict:
    """Counts of the eight case types (and ``unclassified``), RCR_typ, RCR_dev and RCC_Rank.

    ``types`` is ``case_types(...)`` or a sequence of type names.
    """
    names = list(types["type"] if isinstance(types, pd.DataFrame) else types)
    n = {t: names.count(t) for t in CASE_TYPES + (UNCLASSIFIED,)}
    shaky = n["shaky typical"] + n["shaky deviant"]
    possible = n["possible typical"] + n["possible deviant"]
    rank = 1 if not shaky and not possible else 2 if not shaky else 3 if not possible else 4
    return {"case_types": n,
            "RCR_typ": _ratio(n["robust typical"], n["robust typical"] + n["shaky typical"] + n["possible typical"]),
            "RCR_dev": _ratio(n["robust deviant"], n["robust deviant"] + n["shaky deviant"] + n["possible deviant"]),
            "RCC_Rank": rank}


def solution_membership(data: pd.DataFrame, models, ties: str = "union") -> np.ndarray:
    """Membership of every case in a solution with tied ``models``: max over terms of min over
    literals, over the union of the tied models (``ties="union"``) or the first (``"first"``)."""
    from .sets import term_membership
    if ties not in ("union", "first"):
        raise QCAError(f"ties must be 'union' or 'first', got {ties!r}")
    models = list(models)[:1] if ties == "first" else list(models)
    terms = sorted({t for m in models for t in m})
    if not terms:
        return np.zeros(len(data))
    return np.max([term_membership(data, t) for t in terms], axis=0)


def core_conditions(parsimonious, conditions=None) -> list:
    """Literals (condition, present) in every tied parsimonious model, in condition order."""
    models = [{lit for term in m for lit in term} for m in parsimonious]
    if not models:
        return []
    common = set.intersection(*models)
    order = {c: i for i, c in enumerate(conditions or sorted({c for c, _ in common}))}
    return sorted(common, key=lambda lit: (order.get(lit[0], len(order)), lit[0], not lit[1]))


def core_stability(initial_core, test_cores) -> pd.DataFrame:
    """For each core literal of the IS: in how many of the k test solutions it is still core."""
    k = len(test_cores)
    rows = []
    for lit in initial_core:
        hits = sum(lit in set(core) for core in test_cores)
        rows.append({"condition": term_string((lit,)), "core_in": hits, "tests": k,
                     "share": _ratio(hits, k)})
    return pd.DataFrame(rows, columns=["condition", "core_in", "tests", "share"])


# ------------------------------------------------------------------------- the plan

@dataclass
class TestSpec:
    """One test solution: what changes against the initial analysis."""

    name: str                      # TS1, TS2, ...
    change: str                    # "anchors", "incl_cut", "pri_cut", "n_cut", "drop"
    description: str
    anchors: dict = None           # condition -> (e, c, i), replacing the study's
    incl_cut: float = None
    pri_cut: float = None
    n_cut: int = None
    drop: tuple = ()


@dataclass
class RangeParameter:
    """One parameter whose sensitivity range is sought."""

    parameter: str                 # "CONTRACT exclusion", "incl_cut", ...
    measure: str                   # condition name, or "" for a cut-off
    which: str                     # exclusion / crossover / inclusion / incl_cut / pri_cut / n_cut
    value: float
    step: float
    low: float                     # allowed values
    high: float
    anchors: tuple = None          # the condition's chosen anchors

    def candidate(self, j: int, direction: int):
        """The value ``j`` steps away (direction -1 or +1), or None outside the allowed values."""
        v = round(self.value + direction * j * self.step, 10)
        if self.which == "n_cut":
            v = int(round(v))
        if not self.low <= v <= self.high:
            return None
        if self.anchors is not None:
            new = list(self.anchors)
            new[ANCHORS.index(self.which)] = v
            e, c, i = new
            increasing = self.anchors[0] < self.anchors[2]
            if not ((e < c < i) if increasing else (e > c > i)):
                return None
        return v


def _settings(study) -> dict:
    rob = dict(study.robustness or {})
    steps = dict(DEFAULT_CUT_STEPS)
    steps.update(rob.get("cut_steps") or {})
    return {"anchor_steps": float(rob.get("anchor_steps", 0.05)), "cut_steps": steps,
            "max_steps": int(rob.get("max_steps", DEFAULT_MAX_STEPS)),
            "anchor_percentiles": [tuple(q) for q in rob.get("anchor_percentiles", [])],
            "incl_cut": list(rob.get("incl_cut", [])), "pri_cut": list(rob.get("pri_cut", [])),
            "n_cut": list(rob.get("n_cut", [])), "drop_cases": bool(rob.get("drop_cases", False))}


def test_plan(study, parameters: dict, measures: pd.DataFrame, cases) -> list:
    """The test solutions the study file names (``robustness:``), numbered TS1..TSk."""
    s = _settings(study)
    specs = []
    for q in s["anchor_percentiles"]:
        anchors = {}
        for c in study.conditions:
            chosen = study.measures[c].anchors
            anchors[c] = percentile_anchors(measures[c].to_numpy(dtype=float), q=q,
                                            increasing=chosen[0] < chosen[2])
        text = "/".join(f"{p:g}" for p in q)
        specs.append(TestSpec("", "anchors", f"condition anchors at the {text} percentiles", anchors=anchors))
    for key in ("incl_cut", "pri_cut", "n_cut"):
        for v in s[key]:
            if v != parameters[key]:
                specs.append(TestSpec("", key, f"{key} = {v:g}", **{key: v}))
    if s["drop_cases"]:
        for case in cases:
            specs.append(TestSpec("", "drop", f"case {case} dropped", drop=(str(case),)))
    for i, spec in enumerate(specs, 1):
        spec.name = f"TS{i}"
    return specs


def range_plan(study, parameters: dict, n_cases: int) -> list:
    """The anchors of every condition and the three cut-offs, with their steps and limits."""
    s = _settings(study)
    out = []
    for c in study.conditions:
        m = study.measures[c]
        step = s["anchor_steps"] * (m.range[1] - m.range[0])
        for which, v in zip(ANCHORS, m.anchors):
            out.append(RangeParameter(f"{c} {which}", c, which, float(v), step, m.range[0], m.range[1],
                                      anchors=tuple(m.anchors)))
    for key in ("incl_cut", "pri_cut"):
        lo, hi = CUT_BOUNDS[key]
        out.append(RangeParameter(key, "", key, float(parameters[key]), float(s["cut_steps"][key]), lo, hi))
    out.append(RangeParameter("n_cut", "", "n_cut", int(parameters["n_cut"]), int(s["cut_steps"]["n_cut"]),
                              1, n_cases))
    return out


# ------------------------------------------------------------------------- running it

def _steps(p: RangeParameter, direction: int, max_steps: int) -> tuple:
    """([(j, value)] for j = 1, 2, ... while allowed, and how the list ends: limit / max_steps)."""
    values = []
    for j in range(1, max_steps + 1):
        v = p.candidate(j, direction)
        if v is None:
            return values, "limit"
        values.append((j, v))
    return values, "max_steps"


@dataclass
class Robustness:
    """The protocol's results for one analysis (an outcome or its negation)."""

    name: str
    label: str
    solution: str
    ties: str
    initial: object                # sweep.Result
    tests: list                    # [(TestSpec, sweep.Result)]
    ranges: pd.DataFrame
    memberships: pd.DataFrame      # case, Y, IS, TS1..TSk (6 decimals)
    fit: dict
    types: pd.DataFrame
    ratios: dict
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
        return pd.DataFrame(rows, columns=["test", "change", "description", "models", "solution", "same_as_IS",
                                           "core"])

    def summary(self) -> dict:
        """The fit- and case-oriented measures in one flat record."""
        return {"analysis": self.label, "tests": len(self.tests),
                "same_as_IS": sum(r.signature == self.initial.signature for _, r in self.tests),
                **self.fit, "RCR_typ": self.ratios["RCR_typ"], "RCR_dev": self.ratios["RCR_dev"],
                "RCC_Rank": self.ratios["RCC_Rank"]}


def _models_text(result) -> str:
    if result.status != "ok":
        return "(no solution)"
    if len(result.models) == 1:
        return expression_string(result.models[0])
    return "; ".join(f"M{i}: {expression_string(m)}" for i, m in enumerate(result.models, 1))


def _recalibrated(calibrated, measures, anchors: dict) -> pd.DataFrame:
    data = calibrated.copy()
    for c, a in anchors.items():
        data[c] = as_written(calibrate(measures.loc[data.index, c].to_numpy(dtype=float), a, name=c))
    return data


def memberships_frame(cases, y, IS, TS: dict) -> pd.DataFrame:
    """``case``, ``Y``, ``IS``, ``TS1``..``TSk`` as written (6 decimals)."""
    frame = pd.DataFrame({"case": [str(c) for c in cases], "Y": as_written(y), "IS": as_written(IS)})
    for name, x in TS.items():
        frame[name] = as_written(x)
    return frame


def run_protocol(calibrated: pd.DataFrame, measures: pd.DataFrame, study, parameters: dict, analyses,
                 solution: str = "intermediate", ties: str = "union", workers=None, progress: bool = True) -> dict:
    """Sensitivity ranges, test solutions and every robustness measure, for each analysis.

    ``calibrated``: the initial memberships (one row per case); ``measures``: the raw measures
    (for recalibration); ``analyses``: (name, outcome, negated, dir_exp) tuples, dir_exp one of
    1 / 0 / "-" per condition.  All perturbed analyses run in one parallel ``Sweep`` (rounds of
    one step each for the ranges, so that a range stops at its first change).  Returns
    ``{name: Robustness}`` in the order of ``analyses``.
    """
    if ties not in ("union", "first"):
        raise QCAError(f"ties must be 'union' or 'first', got {ties!r}")
    conditions = tuple(study.conditions)
    cases = [str(c) for c in calibrated.index]
    base = {k: parameters[k] for k in ("incl_cut", "pri_cut", "n_cut")}
    settings = _settings(study)

    def task(data, outcome, neg, dir_exp, drop=(), cuts=None):
        return Task(data=data, outcome=outcome, conditions=conditions, neg_out=neg, dir_exp=tuple(dir_exp),
                    drop=tuple(drop or ()), solution=solution, cuts=cuts, **base)

    analyses = [(name, y, bool(neg), tuple(d)) for name, y, neg, d in analyses]
    initial = {name: analyse(task(calibrated, y, neg, d)) for name, y, neg, d in analyses}

    specs = test_plan(study, parameters, measures, cases)
    params = range_plan(study, parameters, len(cases))
    steps = {(p.parameter, dr): _steps(p, dr, settings["max_steps"]) for p in params for dr in (-1, 1)}

    # Every analysis of the sweep, as tasks: one per (analysis, changed data); the cut-off
    # settings of an analysis (its range steps and its cut-off tests) share one truth table.
    tasks, where = [], []        # where[i]: what task i's results are
    cut_settings = [("test", s) for s in specs if s.change in ("incl_cut", "pri_cut", "n_cut")]
    cut_settings += [("range", (p, dr, j, v)) for p in params if p.anchors is None for dr in (-1, 1)
                     for j, v in steps[(p.parameter, dr)][0]]
    for name, y, neg, d in analyses:
        if cut_settings:
            cuts = []
            for kind, item in cut_settings:
                if kind == "test":
                    cuts.append(tuple(item.__dict__[k] if item.__dict__[k] is not None else base[k]
                                      for k in ("incl_cut", "pri_cut", "n_cut")))
                else:
                    p, dr, j, v = item
                    cuts.append(tuple(v if k == p.which else base[k] for k in ("incl_cut", "pri_cut", "n_cut")))
            tasks.append(task(calibrated, y, neg, d, cuts=tuple(cuts)))
            where.append((name, "cuts", cut_settings))
        for s in specs:
            if s.change in ("anchors", "drop"):
                data = _recalibrated(calibrated, measures, s.anchors) if s.anchors else calibrated
                tasks.append(task(data, y, neg, d, drop=s.drop))
                where.append((name, "test", s))
    data_cache = {}
    for name, y, neg, d in analyses:         # one analysis after another: workers reuse their cache
        for p in params:
            if p.anchors is None:
                continue
            for dr in (-1, 1):
                for j, v in steps[(p.parameter, dr)][0]:
                    if (p.parameter, v) not in data_cache:
                        new = list(p.anchors)
                        new[ANCHORS.index(p.which)] = v
                        data_cache[(p.parameter, v)] = _recalibrated(calibrated, measures, {p.measure: tuple(new)})
                    tasks.append(task(data_cache[(p.parameter, v)], y, neg, d))
                    where.append((name, "range", (p, dr, j, v)))
    with Sweep(workers, progress, "robustness sweep") as sweep:
        found = sweep.map(tasks)

    tested = {name: {} for name, *_ in analyses}            # analysis -> test name -> Result
    stepped = {name: {} for name, *_ in analyses}           # analysis -> (parameter, dr, j) -> Result
    for (name, kind, item), r in zip(where, found):
        if kind == "test":
            tested[name][item.name] = r
        elif kind == "range":
            p, dr, j, v = item
            stepped[name][(p.parameter, dr, j)] = r
        else:
            for (k2, it2), r2 in zip(item, r):
                if k2 == "test":
                    tested[name][it2.name] = r2
                else:
                    p, dr, j, v = it2
                    stepped[name][(p.parameter, dr, j)] = r2
    results = [tested[name][s.name] for name, *_ in analyses for s in specs]

    state = {}
    for name, *_ in analyses:
        for p in params:
            for dr in (-1, 1):
                values, end = steps[(p.parameter, dr)]
                last, taken = p.value, 0
                for j, v in values:
                    if stepped[name][(p.parameter, dr, j)].signature != initial[name].signature:
                        end = "changed"
                        break
                    last, taken = v, j
                state[(name, p.parameter, dr)] = [last, taken, end]

    out = {}
    k = len(specs)
    for ai, (name, y, neg, d) in enumerate(analyses):
        r0 = initial[name]
        tests = list(zip(specs, results[ai * k:(ai + 1) * k]))
        yv = calibrated[y].to_numpy(dtype=float)
        yv = 1 - yv if neg else yv
        pick = (lambda r: r.membership) if ties == "union" else (lambda r: r.first)
        mem = memberships_frame(cases, yv, pick(r0), {s.name: pick(r) for s, r in tests})
        ts = mem[[s.name for s in specs]].to_numpy() if specs else np.zeros((len(cases), 0))
        if specs:
            fit = fit_robustness(mem["Y"], mem["IS"], ts)
            types = case_types(mem["Y"], mem["IS"], ts, cases)
            ratios = case_ratios(types)
        else:
            fit = {k_: float("nan") for k_ in ("RF_cov", "RF_cons", "RF_SC_minTS", "RF_SC_maxTS")}
            types = pd.DataFrame(columns=["case", "Y", "IS", "minTS", "maxTS", "type"])
            ratios = case_ratios([])
        rows = []
        for p in params:
            lo, hi = state[(name, p.parameter, -1)], state[(name, p.parameter, 1)]
            rows.append({"analysis": ("~" if neg else "") + y, "parameter": p.parameter, "value": p.value,
                         "step": p.step, "lower": lo[0], "upper": hi[0], "steps_down": lo[1], "steps_up": hi[1],
                         "lower_end": lo[2], "upper_end": hi[2]})
        core = core_conditions(r0.parsimonious, conditions)
        stab = core_stability(core, [core_conditions(r.parsimonious, conditions) for _, r in tests])
        out[name] = Robustness(name=name, label=("~" if neg else "") + y, solution=solution, ties=ties,
                               initial=r0, tests=tests, ranges=pd.DataFrame(rows), memberships=mem, fit=fit,
                               types=types, ratios=ratios, core=core, stability=stab, conditions=list(conditions))
    return out
