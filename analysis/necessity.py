"""Step 3 of a study: the necessity of every condition, and of combinations of conditions, for every analysis.

Necessary conditions are analysed before sufficiency (Schneider & Wagemann 2012, ch. 3 and 9;
Dusa 2019, ch. 5).  ``necessity_analysis`` gives inclN, RoN and covN of each condition and its
negation for each analysis (``analysis.qca.necessity_table``), flagged ``necessary`` when inclN
reaches ``necessity_incl`` and RoN ``necessity_ron``; ``necessary_expressions`` the necessary
conjunctions and disjunctions R's ``superSubset`` finds at the same cut-offs
(``analysis.qca.super_subset``); ``strongest_conditions`` the candidate with the highest inclN for
each outcome.

>>> import pandas as pd
>>> from analysis.analyses import Analysis, Cuts
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.3], "B": [0.2, 0.9, 0.6], "Y": [0.8, 0.7, 0.2]})
>>> a = Analysis("Y", "Y", False, ("A", "B"), Cuts(0.8), (1, 1))
>>> necessity_analysis(data, [a], necessity_incl=0.9, necessity_ron=0.5)[["outcome", "condition", "necessary"]]
  outcome condition  necessary
0       Y         A       True
1       Y         B      False
2       Y        ~A      False
3       Y        ~B      False
"""
from __future__ import annotations

import pandas as pd

from .qca import necessity_table, smmr, super_subset

__all__ = ["necessity_analysis", "strongest_conditions", "necessary_expressions", "necessity_cases"]

CASE_COLUMNS = ["outcome", "necessary", "type", "rank", "case", "condition_membership", "outcome_membership", "best"]


def necessity_analysis(calibrated: pd.DataFrame, analyses, necessity_incl: float, necessity_ron: float) -> pd.DataFrame:
    """inclN, RoN, covN of every condition and its negation, for every analysis; ``necessary``
    marks inclN >= necessity_incl and RoN >= necessity_ron."""
    frames = []
    for a in analyses:
        t = necessity_table(calibrated, a.outcome, list(a.conditions), neg_out=a.neg_out)
        t.insert(0, "outcome", a.label)
        frames.append(t)
    out = pd.concat(frames, ignore_index=True)
    out["necessary"] = (out["inclN"] >= necessity_incl) & (out["RoN"] >= necessity_ron)
    return out


def strongest_conditions(necessity: pd.DataFrame) -> pd.DataFrame:
    """For every outcome, the condition (or negation) with the highest inclN (ties: higher RoN)."""
    ranked = necessity.sort_values(["outcome", "inclN", "RoN", "condition"], ascending=[True, False, False, True],
                                   kind="stable")
    order = list(dict.fromkeys(necessity["outcome"]))
    return ranked.groupby("outcome", sort=False).head(1).set_index("outcome").loc[order].reset_index()


def necessary_expressions(calibrated: pd.DataFrame, analyses, necessity_incl: float, necessity_ron: float,
                          depth: int | None = None) -> pd.DataFrame:
    """Necessary conjunctions and disjunctions of up to ``depth`` conditions (all by default) with
    inclN >= ``necessity_incl`` and RoN >= ``necessity_ron`` (``super_subset``, R's
    ``superSubset(relation = "necessity")``), for every analysis."""
    frames = []
    for a in analyses:
        t = super_subset(calibrated, a.outcome, list(a.conditions), incl_cut=necessity_incl, ron_cut=necessity_ron,
                         depth=depth, neg_out=a.neg_out)
        t.insert(0, "outcome", a.label)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def necessity_cases(calibrated: pd.DataFrame, analyses, necessity: pd.DataFrame) -> pd.DataFrame:
    """Cases for case studies of every condition flagged necessary (``necessity_analysis``), as
    SetMethods' ``smmr(..., necessity = TRUE)`` selects and ranks them (Schneider & Rohlfing 2013):
    typical cases, deviant cases for consistency and for relevance; empty when nothing is
    flagged."""
    frames = []
    flagged = necessity[necessity["necessary"]]
    for a in analyses:
        conditions = list(flagged.loc[flagged["outcome"] == a.label, "condition"])
        tt = a.truth_table(calibrated) if conditions else None      # one truth table per analysis
        for condition in conditions:
            found = smmr(None, tt, cases="all", necessity=True, nec_cond=condition)
            if not found.empty:
                frames.append(found.rename(columns={"nec_membership": "condition_membership",
                                                    "outcome": "outcome_membership"})
                              .assign(outcome=a.label, necessary=condition))
    if not frames:
        return pd.DataFrame(columns=CASE_COLUMNS)
    return pd.concat(frames, ignore_index=True).reindex(columns=CASE_COLUMNS)
