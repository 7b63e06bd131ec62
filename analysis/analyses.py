"""The analyses of a study: one per outcome and one per negated outcome, and what each produced.

Set relations are asymmetric (Schneider & Wagemann 2012, ch. 3): the configurations sufficient
for an outcome say nothing about those sufficient for its absence, so a study with outcomes Y1,
Y2 has four sufficiency analyses, ``Y1``, ``notY1``, ``Y2``, ``notY2``.  An ``Analysis`` is the
whole specification of one of them: the outcome and whether it is negated, the conditions, the
truth table's cut-offs and the directional expectations.  The study file states expectations
for the positive outcomes; for a negated outcome it states none (every condition ``"-"``, so
its intermediate solution equals the complex one): ``expectations`` is the one home of that
rule.

``sufficiency(analysis, memberships)`` runs the steps the sufficiency notebook shows,
``truth_table``, the enhanced standard analysis' exclusions (``analysis.enhanced``) and
``solve`` (``analysis.qca``), and keeps what they gave in a ``Sufficiency`` record; a solution that does not exist (kept with the others) or a problem the engine refuses
is said in the record's ``error``, so that the other analyses of the run go on.

>>> from pathlib import Path
>>> from analysis.studyfile import load_study
>>> study = load_study(Path(__file__).parent.parent / "data" / "ppip" / "study.yml")
>>> [a.name for a in analyses(study, study.thresholds)]
['MPV', 'notMPV', 'PPV', 'notPPV', 'MPV_PPV', 'notMPV_PPV']
>>> analyses(study, study.thresholds)[1].dir_exp
('-', '-', '-', '-', '-')
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd

from .enhanced import EnhancedAnalysis, exclusions
from .parameters import CUTS
from .qca import QCAError, Solutions, TruthTable, necessity_table, solve, truth_table
from .qca.cuts import POSITIVE
from .qca.truthtable import warn_constant

__all__ = ["Analysis", "analyses", "analyses_frame", "expectations", "Sufficiency", "sufficiency", "overview"]


@dataclass(frozen=True)
class Analysis:
    """One sufficiency analysis: outcome (negated or not), conditions, cut-offs, expectations."""

    name: str                 # "MPV", or "notMPV" for the negated outcome
    outcome: str              # the outcome's set, "MPV"
    neg_out: bool
    conditions: tuple
    incl_cut: float
    pri_cut: float
    n_cut: int
    dir_exp: tuple            # 1, 0 or "-" per condition
    esa: EnhancedAnalysis = EnhancedAnalysis()   # the study's enhanced standard analysis
    necessity: tuple = (0.9, 0.5)               # necessity_incl, necessity_ron (conditions ESA finds necessary)

    @property
    def label(self) -> str:
        """The outcome as written in an expression: ``MPV`` or ``~MPV``."""
        return ("~" if self.neg_out else "") + self.outcome

    @property
    def cuts(self) -> dict:
        return {"incl_cut": self.incl_cut, "pri_cut": self.pri_cut, "n_cut": self.n_cut}

    @property
    def expectations(self) -> dict:
        """The directional expectations as {condition: 1, 0 or "-"}."""
        return dict(zip(self.conditions, self.dir_exp))


def expectations(study, neg_out: bool) -> dict:
    """The directional expectations of an analysis: the study's for a positive outcome, none
    (``"-"``) for a negated one."""
    return {c: ("-" if neg_out else study.dir_exp.get(c, "-")) for c in study.conditions}


def analyses(study, parameters: dict) -> list:
    """The analyses of a study with the cut-offs ``parameters`` (``analysis.parameters``)."""
    out = []
    for y in study.analysed_outcomes:
        for neg in (False, True):
            out.append(Analysis(name=("not" if neg else "") + y, outcome=y, neg_out=neg,
                                conditions=tuple(study.conditions), **{k: parameters[k] for k in CUTS},
                                dir_exp=tuple(expectations(study, neg).values()), esa=study.esa,
                                necessity=(parameters["necessity_incl"], parameters["necessity_ron"])))
    return out


def analyses_frame(runs) -> pd.DataFrame:
    """The analyses as a table: name, outcome, conditions, cut-offs, directional expectations."""
    return pd.DataFrame([{"analysis": a.name, "outcome": a.label, "conditions": ", ".join(a.conditions), **a.cuts,
                          "dir_exp": ", ".join(str(v) for v in a.dir_exp)} for a in runs])


@dataclass(frozen=True)
class Sufficiency:
    """What one analysis produced: its truth table, necessity table, the rows the enhanced
    standard analysis excluded (``exclusions``: row, kind, reason) and the solutions it reports
    (with those rows excluded), the standard analysis' solutions (none excluded) to show what the
    enhanced analysis changed, why some or all of its solutions do not exist (``error``, empty
    when all exist), and the warnings the engine gave (e.g. cases on a crossover)."""

    analysis: Analysis
    truth_table: TruthTable = None
    necessity: pd.DataFrame = None
    solutions: Solutions = None
    error: str = ""
    warnings: tuple = ()
    exclusions: pd.DataFrame = None
    standard: Solutions = None

    @property
    def name(self) -> str:
        return self.analysis.name

    @property
    def label(self) -> str:
        return self.analysis.label

    def __repr__(self) -> str:
        head = f"{self.label}: " + (f"no solution ({self.error})" if self.error else "")
        return head + ("\n" + repr(self.solutions) if self.solutions is not None else "")


def _undefined(undefined: dict) -> str:
    """The solutions that do not exist and why, one clause per reason (the intermediate solution
    is undefined because another is)."""
    by_reason = {}
    for kind, why in undefined.items():
        if kind != "intermediate":
            by_reason.setdefault(why, []).append(kind)
    return "; ".join(f"{' and '.join(kinds)} solution{'s' if len(kinds) > 1 else ''} undefined: {why}"
                     for why, kinds in by_reason.items())


def sufficiency(analysis: Analysis, memberships: pd.DataFrame) -> Sufficiency:
    """Truth table (``truth_table``) and solutions (``solve``) of one analysis."""
    a = analysis
    tt = sols = nec = standard = None
    excluded = pd.DataFrame(columns=["row", "kind", "reason"])
    error = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_constant(memberships, a.conditions, a.name)
        try:
            tt = truth_table(memberships, a.outcome, list(a.conditions), incl_cut=a.incl_cut, pri_cut=a.pri_cut,
                             n_cut=a.n_cut, neg_out=a.neg_out)
            nec = necessity_table(tt.data, a.outcome, tt.conditions, neg_out=a.neg_out)
            excluded = exclusions(a.esa, tt, a.necessity)
            standard = solve(tt, list(a.dir_exp))
            sols = solve(tt, list(a.dir_exp), exclude=excluded) if len(excluded) else standard
            if sols.undefined:                  # what exists is kept; the analysis is incomplete
                error = _undefined(sols.undefined)
        except QCAError as e:
            error, sols = str(e), None
    return Sufficiency(analysis=a, truth_table=tt, necessity=nec, solutions=sols, error=error,
                       warnings=tuple(sorted({str(w.message) for w in caught})), exclusions=excluded,
                       standard=standard)


def overview(results) -> pd.DataFrame:
    """One row per analysis: observed and positive truth-table rows, the number of tied models of
    each solution, or why there is no solution."""
    rows = []
    for r in results:
        table = r.truth_table.table if r.truth_table is not None else None
        sols = r.solutions
        rows.append({"analysis": r.name, "outcome": r.label,
                     "rows observed": 0 if table is None else int(len(table)),
                     "rows OUT = 1": 0 if table is None else int((table["OUT"] == POSITIVE).sum()),
                     "complex models": len(sols.complex.models) if sols else 0,
                     "parsimonious models": len(sols.parsimonious.models) if sols else 0,
                     "intermediate blocks": len(sols.intermediate) if sols else 0,
                     "not solved because": r.error})
    return pd.DataFrame(rows)
