"""How far each claim holds: its status at the defaults, its robustness, its multiverse, a verdict.

A claim that passes at the study's own settings is a finding only as far as it survives other
reasonable choices.  Three sources say how far, all from the same run:

- the **ledger** (``analysis.claims.ledger``): the claim's status at the study's settings;
- the **robustness tests** (``analysis.robustness.claims``): the share of the test solutions
  in which it holds, per kind of test (calibration, cut-offs, case deletion, subsamples,
  condition sets, random draws), so that many tests of one kind (36 case deletions) cannot
  outvote a few of another (two cut-offs);
- the **multiverse** (``analysis.multiverse``): the share of the specifications in which it
  holds, out of those that can judge it; specifications in which an outcome the claim is about
  has no solution count against it (no solution is evidence against the claim), and are counted
  and said.

The study file's ``verdict:`` section states the rule (``VerdictRule``; one threshold
``robust``, 0.8 by default)::

    fails     the claim does not hold at the defaults;
    untested  it holds, but no robustness test and no specification can judge it;
    robust    it holds, and in at least ``robust`` of the test solutions of every kind of
              robustness test that judges it, and of the multiverse specifications that judge it;
    fragile   it holds at the defaults, but below ``robust`` in some kind of test or in the
              multiverse.

>>> rule = VerdictRule(robust=0.8)
>>> verdict(True, {"cut-offs": (2, 2), "case deletion": (30, 36)}, (250, 300), rule)
'robust'
>>> verdict(True, {"cut-offs": (1, 2), "case deletion": (36, 36)}, (290, 300), rule)
'fragile'
>>> verdict(False, {}, (300, 300), rule), verdict(True, {}, (0, 0), rule)
('fails', 'untested')
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..schema import SHARE, Fields

__all__ = ["ALL_TESTS", "VERDICTS", "VerdictRule", "VERDICT", "verdict", "claim_verdicts", "headline"]

VERDICTS = ("robust", "fragile", "fails", "untested")
ALL_TESTS = "all tests"          # the row of a claim's robustness shares over every kind of test


@dataclass(frozen=True)
class VerdictRule:
    """The study file's ``verdict:``: the share a claim must reach to be called robust."""

    robust: float = 0.8

    def describe(self) -> str:
        """The rule in one paragraph, for the findings and the report."""
        p = f"{self.robust:.0%}"
        return (f"A claim is **robust** when it holds at the study's settings and in at least {p} of the test "
                f"solutions of every kind of robustness test that can judge it (calibration, cut-offs, case deletion, "
                f"subsamples, condition sets, random draws, each counted apart) and in at least {p} of the multiverse "
                f"specifications that can judge it; **fragile** when it holds at the study's settings but falls below "
                f"{p} somewhere; **fails** when it does not hold at the study's settings; **untested** when it holds "
                f"but no test or specification can judge it. A test or specification cannot judge a claim that names a "
                f"condition it leaves out, nor a claim about the calibration at the published anchors or about the "
                f"robustness tests themselves.")


VERDICT = Fields({"robust": SHARE.but(note="the share a robust claim reaches in every kind of test and in the "
                                           "multiverse")},
                 into=lambda s: VerdictRule(**s), default=VerdictRule(), what="a mapping with robust: a share")


def _share(holds, judged):
    return holds / judged if judged else float("nan")


def verdict(status: bool, kinds: dict, multiverse: tuple, rule: VerdictRule) -> str:
    """The verdict word (module docstring) from the status at the defaults, ``kinds`` ({kind of
    robustness test: (holds, judged)}) and ``multiverse`` ((holds, judged))."""
    if not status:
        return "fails"
    judged = [(h, j) for h, j in [*kinds.values(), multiverse] if j]
    if not judged:
        return "untested"
    return "robust" if all(h / j >= rule.robust for h, j in judged) else "fragile"


def claim_verdicts(ledger: pd.DataFrame, robustness: pd.DataFrame, multiverse: pd.DataFrame,
                   rule: VerdictRule) -> pd.DataFrame:
    """One row per claim: how far it holds.

    Parameters
    ----------
    ledger : DataFrame
        The claims ledger (``analysis.claims.ledger``): id, text, status, evidence (, basis).
    robustness : DataFrame
        The claims' shares in the robustness tests (``analysis.robustness.claims.claim_shares``:
        claim, kind, holds, judged, share; the kind ``all tests`` over every test).
    multiverse : DataFrame
        The multiverse's findings (``analysis.multiverse.summary``: finding, kind, judged, holds,
        share, no_solution), of which the rows of kind ``claim`` are read; empty without a
        multiverse.
    rule : VerdictRule

    Returns
    -------
    DataFrame
        id, basis, status, robustness_holds, robustness_judged, robustness_share, weakest_kind
        (the kind of test with the lowest share), weakest_share, multiverse_holds,
        multiverse_judged, multiverse_share, multiverse_no_solution, multiverse_share_with_solution
        (the share among the judged specifications in which every outcome of the claim has a
        solution: what the claim's share would be if no solution did not count against it), verdict.
    """
    rows = []
    claims_mv = multiverse[multiverse["kind"] == "claim"].set_index("finding") if len(multiverse) else None
    for c in ledger.to_dict(orient="records"):
        cid = str(c["id"])
        mine = robustness[robustness["claim"] == cid]
        kinds = {k: (int(h), int(j)) for k, h, j in zip(mine["kind"], mine["holds"], mine["judged"]) if k != ALL_TESTS}
        total = mine[mine["kind"] == ALL_TESTS]
        r_holds, r_judged = (int(total["holds"].iloc[0]), int(total["judged"].iloc[0])) if len(total) else (0, 0)
        judged_kinds = {k: v for k, v in kinds.items() if v[1]}
        weakest = min(judged_kinds, key=lambda k: judged_kinds[k][0] / judged_kinds[k][1]) if judged_kinds else ""
        if claims_mv is not None and cid in claims_mv.index:
            m = claims_mv.loc[cid]
            mv = (int(m["holds"]), int(m["judged"]))
            no_solution = int(m["no_solution"])
        else:
            mv, no_solution = (0, 0), 0
        status = c["status"] == "pass"
        rows.append({"id": cid, "basis": c.get("basis", "interpretation"), "status": c["status"],
                     "robustness_holds": r_holds, "robustness_judged": r_judged,
                     "robustness_share": _share(r_holds, r_judged), "weakest_kind": weakest,
                     "weakest_share": _share(*judged_kinds[weakest]) if weakest else float("nan"),
                     "multiverse_holds": mv[0], "multiverse_judged": mv[1], "multiverse_share": _share(*mv),
                     "multiverse_no_solution": no_solution,
                     "multiverse_share_with_solution": _share(mv[0], mv[1] - no_solution),
                     "verdict": verdict(status, kinds, mv, rule)})
    return pd.DataFrame(rows, columns=["id", "basis", "status", "robustness_holds", "robustness_judged",
                                       "robustness_share", "weakest_kind", "weakest_share", "multiverse_holds",
                                       "multiverse_judged", "multiverse_share", "multiverse_no_solution",
                                       "multiverse_share_with_solution", "verdict"])


def headline(verdicts: pd.DataFrame) -> str:
    """"N of M claims hold at the defaults; K of them are robust".

    >>> headline(pd.DataFrame({"status": ["pass", "pass", "fail"], "verdict": ["robust", "fragile", "fails"]}))
    '2 of 3 claims hold at the defaults; 1 of them is robust'
    """
    n, m = int((verdicts["status"] == "pass").sum()), len(verdicts)
    k = int((verdicts["verdict"] == "robust").sum())
    return f"{n} of {m} claims hold at the defaults; {k} of them {'is' if k == 1 else 'are'} robust"
