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
    Typical and deviant cases are labelled; post-QCA case studies choose among them.  An
    analysis with more than ``TERM_PANELS`` - 1 terms is drawn on continuation figures.  The
    panels have the same scales: tick labels only on the outer ones.

Which cases are labelled (``LABEL_RULE``; ``labels.pick_labels``)
    At most ``LABEL_LIMIT`` per panel, so that every label stays readable: deviant cases first,
    the farthest from the diagonal and deepest in their quadrant first (``1 - |X - Y| + (1 -
    max(X, Y))`` lowest first, SetMethods' ranking of deviant cases consistency in kind), then
    typical cases, the nearest the diagonal with the highest X first (``2 |Y - X| + (1 - X)``,
    Schneider & Rohlfing 2013, as SetMethods ranks typical cases).  The cases of these kinds
    left without a label are named in the note under the figure, so none is lost.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..errors import StudyError
from ..qca import (fuzzy_or, membership, necessity, outcome_label, outcome_membership, sufficiency,
                   term_membership)
from .canvas import FULL, axes_title, chunks, finish, new_figure, text_width, wrap_to
from .canvas import caption as add_caption
from .key import draw_key
from .labels import LABEL_LIMIT, not_labelled, pick_labels, place_labels
from .ticks import plain_axes

__all__ = ["xy_plot", "necessity_choices", "xy_plots", "sufficiency_case_types", "term_plot", "term_plots",
           "label_choice", "CASE_STYLE", "LABEL_RULE", "TERM_PANELS"]

TERM_PANELS = 6            # panels of a term plot in one figure (two rows of three); more: continued
MARGIN = 0.06              # inches: the blank margin round a figure laid out here
_LIMITS = (-0.03, 1.03)
_TICKS, _TICK_TEXT = (0, 0.25, 0.5, 0.75, 1), ("0", ".25", ".5", ".75", "1")
_HGAP = 0.14               # inches between two panels side by side
_BELOW = (4.5 + 7 * 1.22 + 4 + 8 * 1.22) / 72    # inches under a panel: ticks, tick labels, x label
LABEL_RULE = (f"Labelled: at most {LABEL_LIMIT} cases per panel, deviant cases first (the farthest from the "
              "diagonal: 1 − |X − Y| + (1 − max(X, Y)) lowest first), then typical ones (2|Y − X| + (1 − X) "
              "lowest first).")

# marker, face colour, label: the same in every XY plot and in its legend
CASE_STYLE = {"typical": ("o", "tab:blue", "typical (X > 0.5, Y > 0.5)"),
              "deviant in kind": ("X", "tab:red", "deviant consistency in kind (X > 0.5, Y < 0.5)"),
              "deviant coverage": ("^", "tab:orange", "deviant coverage (X < 0.5, Y > 0.5)"),
              "necessity deviant": ("X", "tab:red", "deviant for necessity (Y > 0.5 > X)"),
              "other": ("o", "0.65", "other cases")}


def _frame(ax, xlabel, ylabel, bottom: bool = True, left: bool = True):
    """The diagonal, the 0.5 lines, the square limits and the axes (``ticks.plain_axes``).  In
    small multiples, tick labels only where the panel is at the bottom of its column (``bottom``:
    no panel under it) or at the left of its row (``left``), and the y label (the outcome) only at
    the left: every panel has the same scales, so the inner panels repeat nothing.  The x label
    stays on every panel: it says whether the panel is a term or the solution."""
    lo, hi = _LIMITS                        # lines in data units (an axhline's blended transform costs more)
    ax.add_line(Line2D([0, 1], [0, 1], color="0.35", lw=0.9, zorder=1))
    ax.add_line(Line2D([lo, hi], [0.5, 0.5], color="0.65", lw=0.7, ls="--", zorder=0))
    ax.add_line(Line2D([0.5, 0.5], [lo, hi], color="0.65", lw=0.7, ls="--", zorder=0))
    ax.set(xlim=_LIMITS, ylim=_LIMITS, aspect="equal")
    plain_axes(ax, _TICKS, _TICK_TEXT, xlabel, _TICKS, _TICK_TEXT, ylabel if left else None, size=7, label_size=8,
               bottom=bottom, left=left)


def _scatter(ax, x, y, kinds):
    for kind in dict.fromkeys(kinds):
        sel = np.asarray([k == kind for k in kinds])
        marker, color, _ = CASE_STYLE[kind]
        size = 14 if kind == "other" else 22
        ax.add_line(Line2D(x[sel], y[sel], ls="none", marker=marker, markersize=np.sqrt(size), markerfacecolor=color,
                           markeredgecolor="white", markeredgewidth=0.4, zorder=3))   # a scatter's look, drawn as one


def _legend(fig, kinds, ncol=1, note: str | None = None) -> float:
    """The legend of the case kinds (``note`` as its title), centred at the foot of the figure,
    ``MARGIN`` inches above its bottom edge (``key.draw_key``: in inches, it stays there when the
    figure is resized); returns its height in inches."""
    present = [k for k in CASE_STYLE if k in set(kinds)]
    return draw_key(fig, [CASE_STYLE[k] for k in present], ncol=ncol, title=note, bottom=MARGIN, fontsize=7,
                    markersize=6)


_GROUPS = (("deviant in kind", "deviant in kind"), ("necessity deviant", "deviant for necessity"),
           ("deviant coverage", "deviant coverage"), ("typical", "typical"))


def label_choice(x, y, kinds, limit: int = LABEL_LIMIT):
    """The cases of one panel to label, by ``LABEL_RULE``: ``(chosen, groups)``, a boolean mask
    and the ``(kind name, mask)`` of every kind that is labelled (for ``labels.not_labelled``).

    >>> chosen, _ = label_choice([0.9, 0.8, 0.6, 0.7], [0.2, 0.9, 0.7, 0.9],
    ...                          ["deviant in kind", "typical", "typical", "typical"], limit=2)
    >>> chosen.tolist()
    [True, True, False, False]
    """
    x, y, kinds = np.asarray(x, float), np.asarray(y, float), np.asarray(kinds, dtype=object)
    deviant = 1 - np.abs(x - y) + (1 - np.maximum(x, y))
    typical = 2 * np.abs(y - x) + (1 - x)
    ranked = [(kinds == k, typical if k == "typical" else deviant) for k, _ in _GROUPS]
    return pick_labels(ranked, limit), [(name, kinds == k) for k, name in _GROUPS]


def _unlabelled_text(panels) -> str:
    """``panel: kind also: cases`` for every panel whose cases of a labelled kind are not all
    labelled; ``panels``: ``(panel name or "", names, chosen, groups)``."""
    parts = []
    for panel, names, chosen, groups in panels:
        left = "; ".join(f"{kind}: {', '.join(cases)}" for kind, cases in not_labelled(names, groups, chosen))
        if left:
            parts.append(f"{panel} {left}".strip())
    return ("Not labelled — " + "; ".join(parts) + ".") if parts else ""


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
    kinds = ["necessity deviant" if (b > 0.5 > a) else "other" for a, b in zip(x, y)]
    kinds = ["typical" if k == "other" and a > 0.5 and b > 0.5 else k for k, a, b in zip(kinds, x, y)]
    names = [str(c) for c in data.index]
    chosen, groups = label_choice(x, y, kinds)
    fig = new_figure(3.5, 4.55)
    verdict = {True: f"{condition} is flagged as necessary for {ylab}. ",
               False: f"No condition is flagged as necessary for {ylab}; {condition} has the highest inclN. ",
               None: ""}[necessary]
    caption = verdict + "Points above the diagonal: X ≤ Y (sufficiency); below it: X ≥ Y (necessity). " + \
        ("Red crosses: Y > 0.5 > X, cases that contradict necessity in kind. " if "necessity deviant" in kinds
         else "No case has Y > 0.5 > X (none contradicts necessity in kind). ")
    if label_cases:
        caption += LABEL_RULE + " " + _unlabelled_text([("", names, chosen, groups)])
    fig.set_layout_engine(None)                        # laid out here, in inches from the top
    finish(fig, f"{condition} and {ylab}", fontsize=9)
    add_caption(fig, caption)
    left = _left_margin()
    side = 3.5 - left - 0.1
    top = MARGIN + _lines(fig._suptitle.get_text(), 9) + 0.04 + _lines("\n", 7.5) + 6 / 72
    height = top + side + _BELOW + _lines(fig._supxlabel.get_text(), 7) + MARGIN
    fig.set_size_inches(3.5, height)
    fig._suptitle.set_y(1 - MARGIN / height)
    fig._supxlabel.set_y(MARGIN / height)
    ax = fig.add_axes((left / 3.5, 1 - (top + side) / height, side / 3.5, side / height))
    _frame(ax, condition, ylab)
    _scatter(ax, x, y, kinds)
    axes_title(ax, f"sufficiency: inclS {s.inclS:.3f}, covS {s.covS:.3f}\n"
                 f"necessity: inclN {n.inclN:.3f}, RoN {n.RoN:.3f}, covN {n.covN:.3f}", fontsize=7.5)
    if label_cases:
        place_labels(ax, x[chosen], y[chosen], [c for c, k in zip(names, chosen) if k], fontsize=7,
                     obstacles=list(zip(x[~chosen], y[~chosen])))
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


def _lines(text: str, size: float) -> float:
    """The height in inches of ``text`` (its lines) at ``size`` points, line spacing included."""
    return (text.count("\n") + 1) * size * 1.22 / 72


def _left_margin() -> float:
    """Inches left of a panel with tick labels: the margin, the y label, its pad, the ticks."""
    return MARGIN + _lines("", 8) + (4 + 4.5) / 72 + text_width(".75", 7)


def _term_page(a, which: str, y, names, panels, page: int, pages: int):
    """One figure of a term plot: ``panels`` are ``(number, term, x, is_solution)``.  Laid out
    here, in inches from the top (no layout engine): the title, then each row of panels (their
    titles, the square axes, the tick labels and the x label under them), then the legend."""
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    titles = [term if solution else f"({k}) {_wrap_term(term, 24)}" for k, term, _, solution in panels]
    width = max(min(2.3, (FULL - 0.2) / ncols) * ncols + 0.2, 3.5)
    jobs, every, listed = [], [], []
    for k, term, x, solution in panels:
        kinds = sufficiency_case_types(x, y, solution=solution)
        chosen, groups = label_choice(x, y, kinds)
        every += kinds
        jobs.append((x, kinds, chosen))
        listed.append(("solution:" if solution else f"({k})", names, chosen, groups))
    fig = new_figure(width, 4.0)
    fig.set_layout_engine(None)                        # laid out here, in inches
    head = f"{a.label}: sufficient terms and the solution against the outcome ({which or 'solution'})"
    finish(fig, head if pages == 1 else f"{head} ({page} of {pages})" if page == 1
           else f"{head} (continued, {page} of {pages})", fontsize=9)
    note = wrap_to(fig, LABEL_RULE + " " + _unlabelled_text(listed), 7)
    legend_h = _legend(fig, every, ncol=2 if ncols > 1 else 1, note=note)
    left = _left_margin()
    side = min(2.3, (width - left - 0.1 - (ncols - 1) * _HGAP) / ncols)
    left += (width - left - 0.1 - side * ncols - (ncols - 1) * _HGAP) / 2
    heads = [_lines(max(titles[r * ncols:(r + 1) * ncols], key=lambda t: t.count("\n")) + "\n", 7.5) + 6 / 72
             for r in range(nrows)]                    # each row's tallest title (and its fit), its pad
    top = MARGIN + _lines(fig._suptitle.get_text(), 9) + 0.1
    height = top + sum(heads) + nrows * (side + _BELOW + 0.08) + legend_h + MARGIN
    fig.set_size_inches(width, height)
    fig._suptitle.set_y(1 - MARGIN / height)
    axes = []
    for r, head_h in enumerate(heads):
        top += head_h
        for c in range(min(ncols, len(panels) - r * ncols)):
            axes.append(fig.add_axes(((left + c * (side + _HGAP)) / width, 1 - (top + side) / height,
                                      side / width, side / height)))
        top += side + _BELOW + 0.08
    for i, (ax, (k, term, x, solution), title, (_, kinds, _)) in enumerate(zip(axes, panels, titles, jobs)):
        _frame(ax, "solution" if solution else "term", a.label, bottom=i + ncols >= len(panels), left=i % ncols == 0)
        _scatter(ax, x, y, kinds)
        s = sufficiency(x, y)
        axes_title(ax, f"{title}\ninclS {s.inclS:.3f}, covS {s.covS:.3f}", fontsize=7.5,
                   fontweight="bold" if solution else "normal")
    for ax, (x, _, chosen) in zip(axes, jobs):
        place_labels(ax, x[chosen], y[chosen], [n for n, c in zip(names, chosen) if c], fontsize=7,
                     obstacles=list(zip(x[~chosen], y[~chosen])))
    return fig


def term_plot(r, calibrated: pd.DataFrame) -> list:
    """Each term of the first intermediate model of one analysis, and the solution, against its
    outcome (SetMethods' ``pimplot``), ``TERM_PANELS`` panels to a figure: the figures, in order
    (none when the analysis has no solution).  Terms are numbered (1), (2), ... in the model's
    order; the solution is the last panel."""
    m, which = _model(r)
    if m is None:
        return []
    a = r.analysis
    y = outcome_membership(calibrated, a.outcome, a.neg_out)
    names = [str(c) for c in calibrated.index]
    panels = [(k, row.term, term_membership(calibrated, t), False)
              for k, (t, row) in enumerate(zip(m.terms, m.term_fit.itertuples()), 1)]
    head = "solution:\n" + "\n+ ".join(_wrap_term(p[1], 24) for p in panels) if len(panels) <= 3 else \
        f"solution (the {len(panels)} terms)"
    panels.append((0, head, fuzzy_or(*[p[2] for p in panels]), True))
    parts = chunks(len(panels), TERM_PANELS)
    return [_term_page(a, which, y, names, [panels[i] for i in part], k, len(parts)) for k, part in enumerate(parts, 1)]


def term_plots(results, calibrated: pd.DataFrame) -> list:
    """``term_plot`` of every analysis with a solution: ``(fields, Figure)`` pairs, the fields
    naming the registry's ``terms`` item (``name``: ``<analysis>``, then ``<analysis>_part2``,
    ...; ``label``)."""
    out = []
    for r in results:
        figs = term_plot(r, calibrated)
        for k, fig in enumerate(figs, 1):
            out.append(({"name": r.name if k == 1 else f"{r.name}_part{k}",
                         "label": r.label if len(figs) == 1 else f"{r.label} (part {k} of {len(figs)})"}, fig))
    return out
