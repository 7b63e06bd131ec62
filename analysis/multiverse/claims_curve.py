"""The specification curve of the claims: how often each claim holds across the multiverse.

Beside the curve of the solutions' fit (``curve.specification_curve``), one bar per claim of the
ledger, ranked by the share of the specifications that can judge it in which it holds (Steegen
et al. 2016's "how robust is the finding to the choices", drawn as a curve of findings in the
manner of Simonsohn, Simmons & Nelson 2020).  Each bar carries its count (holds / judged, and
how many of the judged specifications have no solution for an outcome of the claim), the line
marks the study file's threshold of a robust claim, a grey bar after it the share of the
specifications without a solution (grey as in the fit curve), and the text at the right names
the choice that flips the claim most (``summary.flips``: its value with the lowest and with the
highest share).  A reader sees in ten seconds which claims hang on which choice.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ..report.canvas import FULL, caption, finish, new_figure
from .curve import NO_SOLUTION_GREY

__all__ = ["claims_frame", "claims_curve"]


def _pct(x) -> str:
    return f"{x:.0%}"


def claims_frame(findings: pd.DataFrame, flips: pd.DataFrame) -> pd.DataFrame:
    """The claims of a multiverse summary ranked by share (highest first; ties in the ledger's
    order; a claim no specification judges last), each with the choice that flips it most.

    >>> f = pd.DataFrame({"finding": ["a", "b"], "kind": ["claim"] * 2, "text": ["", ""], "judged": [10, 10],
    ...                   "holds": [3, 9], "share": [0.3, 0.9], "no_solution": [2, 0]})
    >>> fl = pd.DataFrame({"finding": ["a"], "choice": ["incl_cut"], "lowest": ["0.85"], "share_lowest": [0.0],
    ...                    "judged_lowest": [5], "highest": ["0.75"], "share_highest": [0.6], "judged_highest": [5],
    ...                    "spread": [0.6]})
    >>> claims_frame(f, fl)[["claim", "share", "flips"]].to_dict("records")
    [{'claim': 'b', 'share': 0.9, 'flips': ''}, {'claim': 'a', 'share': 0.3, 'flips': 'incl_cut: 0% at 0.85, 60% at 0.75'}]
    """
    claims = findings[findings["kind"] == "claim"].reset_index(drop=True)
    first = flips.drop_duplicates("finding").set_index("finding") if len(flips) else pd.DataFrame()
    rows = []
    for i, r in claims.iterrows():
        flip = ""
        if r["finding"] in first.index:
            f = first.loc[r["finding"]]
            flip = (f"{f['choice']}: {_pct(f['share_lowest'])} at {f['lowest']}, "
                    f"{_pct(f['share_highest'])} at {f['highest']}")
        rows.append({"claim": r["finding"], "judged": int(r["judged"]), "holds": int(r["holds"]),
                     "share": float(r["share"]), "no_solution": int(r["no_solution"]), "flips": flip, "_order": i})
    out = pd.DataFrame(rows, columns=["claim", "judged", "holds", "share", "no_solution", "flips", "_order"])
    out["_missing"] = out["share"].isna()
    out = out.sort_values(["_missing", "share", "_order"], ascending=[True, False, True], kind="stable")
    return out.drop(columns=["_order", "_missing"]).reset_index(drop=True)


def claims_curve(findings: pd.DataFrame, flips: pd.DataFrame, robust: float = 0.8, specifications: int = 0):
    """The figure (module docstring): one bar per claim, ranked by share; ``robust`` is the study
    file's threshold of a robust claim (``analysis.claims.verdicts``)."""
    frame = claims_frame(findings, flips)
    n = max(1, len(frame))
    fig = new_figure(FULL, 1.2 + 0.36 * n)
    ax, side = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.0, 1.25]})
    y = np.arange(n)
    shares = frame["share"].fillna(0).to_numpy()
    colours = ["#1b7837" if s >= robust else "#d95f02" if s >= 0.5 else "#b2182b" for s in shares]
    ax.barh(y, shares, color=colours, height=0.6)
    missing = (frame["no_solution"] / frame["judged"].where(frame["judged"] > 0)).fillna(0).to_numpy()
    ax.barh(y, missing, left=shares, color=NO_SOLUTION_GREY, height=0.6)    # as the fit curve shades them
    ax.axvline(robust, color="0.3", lw=0.8, ls="--")
    side.set_xlim(0, 1)
    side.axis("off")
    for i, r in frame.iterrows():
        count = "not judged" if not r["judged"] else f"{_pct(r['share'])} ({r['holds']}/{r['judged']})" + (
            f", {r['no_solution']} of them without a solution" if r["no_solution"] else "")
        flip = "\n".join(textwrap.wrap("flips most: " + r["flips"], 58)) if r["flips"] else ""
        side.text(0.0, i, count + ("\n" + flip if flip else ""), va="center", fontsize=7, linespacing=1.15)
    ax.set_yticks(y)
    ax.set_yticklabels(frame["claim"], fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xticklabels(["0%", "25%", "50%", "75%", "100%"], fontsize=7)
    ax.set_xlabel("share of the specifications that judge it\nin which the claim holds", fontsize=7)
    ax.grid(axis="x", color="0.9", lw=0.5)
    finish(fig, f"The claims across the multiverse ({specifications:,} specifications)" if specifications
           else "The claims across the multiverse")
    caption(fig, f"Dashed line: the share a robust claim reaches ({_pct(robust)}, the study file's verdict rule). "
                 "Green: at least that share; orange: at least half; red: below half; grey: the share of the "
                 "specifications without a solution for an outcome of the claim. At the right: the share "
                 "(holds / judged; specifications without a solution for an outcome of the claim count against it, "
                 "and how many they are) and the choice whose values move the claim's share most, with its lowest "
                 "and highest share and the values that give them.")
    return fig
