"""XY plots: a condition, a sufficient term or a solution against the outcome, cases labelled.

Reading an XY plot (Ragin 2008, ch. 3; Schneider & Wagemann 2012, ch. 3 and 5)
    Each case is a point (membership in X, membership in Y).  A *sufficient* X puts the cases on
    or above the diagonal (X <= Y), a *necessary* X on or below it (X >= Y).  The dashed lines at
    0.5 split the plane into the four qualitative quadrants.  What the plot says about the fit
    is in its title and caption, outside the axes, so no note hides a point.

``xy_plot``
    One condition (or expression) against the outcome, every case labelled (``labels``), the
    cases that contradict necessity in kind (Y > 0.5 > X) marked.
``necessity_choices`` / ``xy_plots``
    The conditions to plot for each outcome: those the necessity analysis flags as necessary,
    or, when none is flagged, the one with the highest inclN (said to be not necessary).
``term_plot`` / ``term_plots`` (SetMethods' ``pimplot``)
    Each sufficient term of the (first) intermediate model and the whole solution against the
    outcome, with the cases of Schneider & Rohlfing (2013): *typical* (X > 0.5, Y > 0.5),
    *deviant consistency in kind* (X > 0.5, Y < 0.5), and — for the solution — *deviant
    coverage* (X < 0.5, Y > 0.5); the others (X < 0.5, Y < 0.5) are individually irrelevant.
    Typical and deviant cases are labelled; post-QCA case studies choose among them.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..errors import StudyError
from ..qca import (fuzzy_or, membership, necessity, outcome_label, outcome_membership, sufficiency,
                   term_membership)
from .canvas import FULL, finish, new_figure
from .canvas import caption as add_caption
from .labels import place_labels

__all__ = ["xy_plot", "necessity_choices", "xy_plots", "sufficiency_case_types", "term_plot", "term_plots",
           "CASE_STYLE"]

# marker, face colour, label: the same in every XY plot and in its legend
CASE_STYLE = {"typical": ("o", "tab:blue", "typical (X > 0.5, Y > 0.5)"),
              "deviant in kind": ("X", "tab:red", "deviant consistency in kind (X > 0.5, Y < 0.5)"),
              "deviant coverage": ("^", "tab:orange", "deviant coverage (X < 0.5, Y > 0.5)"),
              "necessity deviant": ("X", "tab:red", "deviant for necessity (Y > 0.5 > X)"),
              "other": ("o", "0.65", "other cases")}


def _frame(ax, xlabel, ylabel):
    ax.plot([0, 1], [0, 1], color="0.35", lw=0.9, zorder=1)
    ax.axhline(0.5, color="0.65", lw=0.7, ls="--", zorder=0)
    ax.axvline(0.5, color="0.65", lw=0.7, ls="--", zorder=0)
    ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), aspect="equal", xticks=[0, 0.25, 0.5, 0.75, 1],
           yticks=[0, 0.25, 0.5, 0.75, 1])
    ax.set_xticklabels(["0", ".25", ".5", ".75", "1"])
    ax.set_yticklabels(["0", ".25", ".5", ".75", "1"])
    ax.tick_params(labelsize=7, length=2.5, pad=2)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)


def _scatter(ax, x, y, kinds):
    for kind in dict.fromkeys(kinds):
        sel = np.asarray([k == kind for k in kinds])
        marker, color, _ = CASE_STYLE[kind]
        size = 14 if kind == "other" else 22
        ax.scatter(x[sel], y[sel], s=size, marker=marker, facecolor=color, edgecolor="white", lw=0.4, zorder=3)


def _legend(fig, kinds, ncol=1):
    present = [k for k in CASE_STYLE if k in set(kinds)]
    handles = [Line2D([], [], marker=CASE_STYLE[k][0], ls="", markerfacecolor=CASE_STYLE[k][1],
                      markeredgecolor="white", markersize=6, label=CASE_STYLE[k][2]) for k in present]
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, fontsize=7, frameon=False,
               handletextpad=0.3, columnspacing=1.2)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _wrap_term(term: str, width: int = 26) -> str:
    lines = textwrap.wrap(term.replace("*", "*\u0000 "), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines).replace("\u0000 ", "").replace("\u0000", "") or term


def xy_plot(data: pd.DataFrame, condition: str, outcome: str, neg_out: bool = False, label_cases: bool = True,
            necessary: bool | None = None) -> object:
    """XY plot of ``condition`` (a column or an expression such as ``"A*~B"``) against ``outcome``.

    The title gives inclS/covS and inclN/RoN/covN; the caption, under the plot, how to read it
    and, when ``necessary`` is given, whether the necessity analysis flags the condition.  Cases
    are labelled without collisions; those with Y > 0.5 > X (deviant for necessity) are red.
    """
    if outcome not in data.columns:
        raise StudyError(f"xy_plot: outcome {outcome!r} is not a column; columns: {', '.join(data.columns)}")
    x = membership(data, condition).to_numpy(dtype=float)
    y = outcome_membership(data, outcome, neg_out)
    ylab = outcome_label(outcome, neg_out)
    s, n = sufficiency(x, y), necessity(x, y)
    fig = new_figure(3.5, 4.55)
    ax = fig.add_subplot()
    _frame(ax, condition, ylab)
    kinds = ["necessity deviant" if (b > 0.5 > a) else "other" for a, b in zip(x, y)]
    kinds = ["typical" if k == "other" and a > 0.5 and b > 0.5 else k for k, a, b in zip(kinds, x, y)]
    _scatter(ax, x, y, kinds)
    ax.set_title(f"sufficiency: inclS {s.inclS:.3f}, covS {s.covS:.3f}\n"
                 f"necessity: inclN {n.inclN:.3f}, RoN {n.RoN:.3f}, covN {n.covN:.3f}", fontsize=7.5)
    verdict = {True: f"{condition} is flagged as necessary for {ylab}. ",
               False: f"No condition is flagged as necessary for {ylab}; {condition} has the highest inclN. ",
               None: ""}[necessary]
    caption = verdict + "Points above the diagonal: X ≤ Y (sufficiency); below it: X ≥ Y (necessity). " + \
        ("Red crosses: Y > 0.5 > X, cases that contradict necessity in kind." if "necessity deviant" in kinds
         else "No case has Y > 0.5 > X (none contradicts necessity in kind).")
    add_caption(fig, caption)
    finish(fig, f"{condition} and {ylab}", fontsize=9)
    if label_cases:
        place_labels(ax, x, y, [str(c) for c in data.index], fontsize=7)
    return fig


def necessity_choices(necessity_table: pd.DataFrame) -> pd.DataFrame:
    """The conditions to plot for each outcome of a necessity table (``outcome``, ``condition``,
    ``inclN``, ``RoN``, ``necessary``): every condition flagged as necessary, or, when none is,
    the one with the highest inclN (ties: higher RoN, then name), with ``necessary`` False."""
    rows = []
    for outcome, part in necessity_table.groupby("outcome", sort=False):
        flagged = part[part["necessary"].astype(bool)]
        if flagged.empty:
            flagged = part.sort_values(["inclN", "RoN", "condition"], ascending=[False, False, True],
                                       kind="stable").head(1)
        rows.append(flagged)
    cols = [c for c in ("outcome", "condition", "inclN", "RoN", "covN", "necessary") if c in necessity_table]
    return pd.concat(rows, ignore_index=True)[cols]


def xy_plots(calibrated: pd.DataFrame, chosen: pd.DataFrame) -> list:
    """XY plots of the conditions ``chosen`` for every outcome (``necessity_choices``; a table
    without ``necessary`` plots each row as it is): ``(fields, Figure)`` pairs, the fields naming
    the registry's ``xy`` item (``name``: ``<analysis>_<condition>``, condition, outcome, verdict)."""
    figs = []
    for row in chosen.itertuples():
        neg = row.outcome.startswith("~")
        y = row.outcome.lstrip("~")
        flag = bool(row.necessary) if hasattr(row, "necessary") else None
        verdict = ("flagged as necessary." if flag else "not necessary; the highest inclN for this outcome."
                   if flag is False else "as chosen.")
        fields = {"name": f"{'not' if neg else ''}{y}_{row.condition.replace('~', 'not')}",
                  "condition": row.condition, "outcome": row.outcome, "verdict": verdict}
        figs.append((fields, xy_plot(calibrated, row.condition, y, neg_out=neg, necessary=flag)))
    return figs


# ------------------------------------------------------------------- term and solution plots

def sufficiency_case_types(x, y, solution: bool = False) -> list:
    """Schneider & Rohlfing (2013) case types of a sufficient term (or, with ``solution``, the
    whole solution): typical, deviant in kind, deviant coverage (solution only), other."""
    kinds = []
    for a, b in zip(np.asarray(x, float), np.asarray(y, float)):
        if a > 0.5:
            kinds.append("typical" if b > 0.5 else "deviant in kind" if b < 0.5 else "other")
        else:
            kinds.append("deviant coverage" if solution and a < 0.5 and b > 0.5 else "other")
    return kinds


def _model(r):
    sols = r.solutions
    if sols is None:
        return None, ""
    if sols.intermediate:
        block = sols.intermediate[0]
        kind = "intermediate"
    else:
        block, kind = sols.parsimonious, "parsimonious"
    if not block.models:
        return None, ""
    n = len(block.models)
    return block.models[0], f"{kind} solution" + (f" {block.label}, model 1 of {n} tied models" if n > 1 else "")


def term_plot(r, calibrated: pd.DataFrame) -> object:
    """Each term of the first intermediate model of one analysis, and the solution, against its
    outcome (SetMethods' ``pimplot``); None when the analysis has no solution."""
    m, which = _model(r)
    if m is None:
        return None
    a = r.analysis
    y = outcome_membership(calibrated, a.outcome, a.neg_out)
    names = [str(c) for c in calibrated.index]
    panels = [(row.term, term_membership(calibrated, t), False) for t, row in zip(m.terms, m.term_fit.itertuples())]
    head = "solution:\n" + "\n+ ".join(_wrap_term(p[0], 24) for p in panels) if len(panels) <= 3 else \
        f"solution (the {len(panels)} terms)"
    panels.append((head, fuzzy_or(*[p[1] for p in panels]), True))
    ncols = min(3, len(panels))
    nrows = int(np.ceil(len(panels) / ncols))
    panel = min(2.3, (FULL - 0.2) / ncols)
    fig = new_figure(max(panel * ncols + 0.2, 3.5), (panel + 0.7) * nrows + 0.75)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    every, jobs = [], []
    for ax, (term, x, is_solution) in zip(axes, panels):
        kinds = sufficiency_case_types(x, y, solution=is_solution)
        every += kinds
        _frame(ax, "solution" if is_solution else "term", a.label)
        _scatter(ax, x, y, kinds)
        s = sufficiency(x, y)
        ax.set_title(f"{term if is_solution else _wrap_term(term, 24)}\ninclS {s.inclS:.3f}, covS {s.covS:.3f}",
                     fontsize=7.5, fontweight="bold" if is_solution else "normal")
        show = np.asarray([k != "other" for k in kinds])
        jobs.append((ax, x, y, show))
    for ax in axes[len(panels):]:
        ax.set_axis_off()
    _legend(fig, every, ncol=2 if ncols > 1 else 1)
    finish(fig, f"{a.label}: sufficient terms and the solution against the outcome ({which or 'solution'})",
           fontsize=9)
    for ax, x, y, show in jobs:
        place_labels(ax, x[show], y[show], [n for n, s in zip(names, show) if s], fontsize=7,
                     obstacles=list(zip(x[~show], y[~show])))
    return fig


def term_plots(results, calibrated: pd.DataFrame) -> list:
    """``term_plot`` of every analysis with a solution: ``(analysis result, Figure)`` pairs."""
    return [(r, fig) for r in results if (fig := term_plot(r, calibrated)) is not None]
