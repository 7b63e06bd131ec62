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
... # doctest: +NORMALIZE_WHITESPACE
['MPV', 'notMPV', 'PPV', 'notPPV', 'MPV_PPV', 'notMPV_PPV', 'MPV_only', 'notMPV_only', 'PPV_only',
 'notPPV_only']
>>> analyses(study, study.thresholds)[1].dir_exp
('-', '-', '-', '-', '-')
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import pandas as pd

from .enhanced import EnhancedAnalysis, exclusions
from .qca import QCAError, Solutions, TruthTable, necessity_table, outcome_label, solve, truth_table
from .qca.cuts import check_cuts
from .qca.cuts import POSITIVE
from .qca.membership_checks import warn_constant

__all__ = ["Cuts", "Analysis", "analyses", "analyses_frame", "expectations", "Sufficiency", "sufficiency", "overview"]


@dataclass(frozen=True)
class Cuts:
    """The cut-offs of a truth table, checked once where they are made (the engine's rules,
    ``analysis.qca.cuts``): a row is positive when its consistency reaches ``incl`` and its PRI
    ``pri``, a remainder when it holds fewer than ``n`` cases.

    >>> Cuts(0.8, 0.7, 1).as_args()
    {'incl_cut': 0.8, 'pri_cut': 0.7, 'n_cut': 1}
    """

    incl: float
    pri: float = 0.0
    n: int = 1

    def __post_init__(self):
        (incl,), pri, n = check_cuts(self.incl, self.pri, self.n)
        object.__setattr__(self, "incl", incl)
        object.__setattr__(self, "pri", pri)
        object.__setattr__(self, "n", n)

    @classmethod
    def of(cls, values: dict) -> "Cuts":
        """From a mapping with ``incl_cut``, ``pri_cut`` and ``n_cut`` (the run's thresholds)."""
        return cls(values["incl_cut"], values["pri_cut"], values["n_cut"])

    def as_args(self) -> dict:
        """As the engine's keyword arguments (``truth_table(..., **cuts.as_args())``)."""
        return {"incl_cut": self.incl, "pri_cut": self.pri, "n_cut": self.n}

    def __str__(self) -> str:
        return f"incl_cut {self.incl:g}, pri_cut {self.pri:g}, n_cut {self.n}"


@dataclass(frozen=True)
class Analysis:
    """One sufficiency analysis: outcome (negated or not), conditions, cut-offs, expectations and
    the study's enhanced standard analysis.  It builds its truth table (``truth_table``) and
    solves itself (``solve``); its variants (a robustness test, a specification of the
    multiverse) are made with ``dataclasses.replace``."""

    name: str                 # "MPV", or "notMPV" for the negated outcome
    outcome: str              # the outcome's set, "MPV"
    neg_out: bool
    conditions: tuple
    cuts: Cuts
    dir_exp: tuple            # 1, 0 or "-" per condition; a multi-value set's value(s): 2, (1, 2)
    esa: EnhancedAnalysis = EnhancedAnalysis()   # the study's enhanced standard analysis
    necessity: tuple = (0.9, 0.5)               # necessity_incl, necessity_ron (conditions ESA finds necessary)

    @property
    def label(self) -> str:
        """The outcome as written in an expression: ``MPV`` or ``~MPV``."""
        return outcome_label(self.outcome, self.neg_out)

    @property
    def expectations(self) -> dict:
        """The directional expectations as {condition: 1, 0 or "-"}."""
        return dict(zip(self.conditions, self.dir_exp))

    def with_conditions(self, conditions) -> "Analysis":
        """The same analysis on other conditions (in the given order), with their expectations."""
        conditions = tuple(conditions)
        dir_exp = tuple(d for c, d in zip(self.conditions, self.dir_exp) if c in conditions)
        return replace(self, conditions=conditions, dir_exp=dir_exp)

    def truth_table(self, memberships: pd.DataFrame) -> TruthTable:
        """The analysis' truth table of ``memberships`` (R's ``truthTable``)."""
        return truth_table(memberships, self.outcome, list(self.conditions), neg_out=self.neg_out,
                           **self.cuts.as_args())

    def solve(self, memberships: pd.DataFrame) -> "Sufficiency":
        """Truth table, exclusions of the enhanced standard analysis and solutions
        (``sufficiency``)."""
        return sufficiency(self, memberships)


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
                                conditions=tuple(study.conditions), cuts=Cuts.of(parameters),
                                dir_exp=tuple(expectations(study, neg).values()), esa=study.esa,
                                necessity=(parameters["necessity_incl"], parameters["necessity_ron"])))
    return out


def analyses_frame(runs) -> pd.DataFrame:
    """The analyses as a table: name, outcome, conditions, cut-offs, directional expectations."""
    return pd.DataFrame([{"analysis": a.name, "outcome": a.label, "conditions": ", ".join(a.conditions),
                          **a.cuts.as_args(),
                          "dir_exp": ", ".join(";".join(map(str, v)) if isinstance(v, tuple) else str(v)
                                               for v in a.dir_exp)} for a in runs])   # R's "1;2" for two values


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
            tt = a.truth_table(memberships)
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
