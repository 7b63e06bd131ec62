"""Figures of an fsQCA study: calibration plots and robustness figures; the XY plots
(``analysis.report.xy``) and the canvas (``analysis.report.canvas``) are re-exported here.

Every function returns a matplotlib ``Figure`` sized for a two-column journal page (at most
``FULL`` = 7 in wide, fonts of at least 7 pt at that size) and draws nothing on screen; the Agg
backend is used and ``save_figure`` checks that nothing is clipped (``check_fits``) and writes
PNG and SVG files that are byte-identical from one run to the next (fixed SVG hash salt, text
kept as text, no creation date in the metadata).  While a stamp is set (``set_stamp``; the
notebooks set ``stamp_for(study)``), every title ends with it: figures of a synthetic stand-in
say so.

Calibration plots (Ragin 2008, ch. 5; Dusa 2019, ch. 4)
    Raw values against the memberships the direct method gives them, with the three anchors
    (exclusion, crossover, inclusion) drawn as vertical lines: the S-shaped curve shows how
    much of the raw variation the calibration keeps, and where cases crowd at the crossover.

Robustness figures (Oana & Schneider 2024; ``analysis.robustness``)
    The sensitivity ranges of every anchor and cut-off in its own units (``range_plot``) and
    the robustness XY plot of the initial solution against the test solutions
    (``robustness_xy_plot``).

The configuration chart (Fiss 2011) is in ``analysis.report.configurations``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from ..errors import StudyError
from .canvas import (FULL, FigureClipped, axes_title, wrap_to, check_fits, finish, new_figure,
                     save_figure, set_stamp, stamp_for, write_png_svg)
from .labels import LABEL_LIMIT, not_labelled, pick_labels, place_labels
from .xy import necessity_choices, term_plot, term_plots, xy_plot, xy_plots

__all__ = ["xy_plot", "calibration_plot", "calibration_grid", "save_figure", "write_png_svg", "new_figure",
           "check_fits", "FigureClipped", "range_plot", "robustness_xy_plot", "xy_plots", "necessity_choices",
           "term_plot", "term_plots", "set_stamp", "stamp_for"]


# ------------------------------------------------------------------------------- calibration

def _draw_calibration(ax, raw, member, anchors, label):
    raw = np.asarray(raw, dtype=float)
    member = np.asarray(member, dtype=float)
    order = np.argsort(raw, kind="stable")
    ax.plot(raw[order], member[order], color="0.7", lw=0.8, zorder=1)
    ax.scatter(raw, member, s=10, color="tab:blue", zorder=2)
    for value, style in zip(anchors, (":", "--", ":")):
        ax.axvline(value, color="tab:red", lw=0.9, ls=style, zorder=0)
    for level in (0.05, 0.5, 0.95):
        ax.axhline(level, color="0.85", lw=0.6, zorder=0)
    ax.set(ylim=(-0.03, 1.03), yticks=[0, 0.5, 1])
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.set_xlabel(f"{label} (raw)", fontsize=7.5)
    ax.set_ylabel("membership", fontsize=7.5)
    ax.tick_params(labelsize=7, length=2.5, pad=2)
    e, c, i = anchors
    axes_title(ax, f"e = {e:g}, c = {c:g}, i = {i:g}", fontsize=7, color="tab:red")


def calibration_plot(raw, member, anchors, label: str = "measure") -> Figure:
    """Raw values against calibrated memberships, anchors (e, c, i) marked (Ragin 2008, ch. 5)."""
    if len(anchors) != 3:
        raise StudyError(f"calibration_plot: anchors must be (exclusion, crossover, inclusion), got {anchors!r}")
    fig = new_figure(3.5, 2.8)
    _draw_calibration(fig.add_subplot(), raw, member, anchors, label)
    return finish(fig, f"Calibration of {label}", fontsize=9)


def calibration_grid(raw: pd.DataFrame, calibrated: pd.DataFrame, anchors: dict, ncols: int = 3) -> Figure:
    """One calibration panel per calibrated measure, i.e. per set in ``anchors`` (raw measures in
    ``raw``, memberships in ``calibrated``, same names; joint outcomes have no panel)."""
    names = list(anchors)
    missing = [n for n in names if n not in raw.columns or n not in calibrated.columns]
    if missing:
        raise StudyError(f"calibration_grid: no raw values or anchors for {', '.join(missing)}")
    ncols = max(1, min(ncols, len(names)))
    nrows = int(np.ceil(len(names) / ncols))
    fig = new_figure(FULL if ncols > 1 else 3.5, 2.05 * nrows + 0.6)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        common = calibrated.index.intersection(raw.index, sort=False)
        _draw_calibration(ax, raw.loc[common, name], calibrated.loc[common, name], anchors[name], name)
    for ax in axes[len(names):]:
        ax.set_axis_off()
    return finish(fig, "Calibration: raw values against memberships (red lines: exclusion e and inclusion i "
                       "dotted, crossover c dashed)", fontsize=9)


# ------------------------------------------------------------------------------ robustness

_END_MARK = {"changed": ("|", "tab:red"), "limit": ("|", "0.45"), "max_steps": (">", "tab:green")}


def _value_text(parameter: str, v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if parameter.endswith("_cut") else f"{v:.4g}"


def _draw_ranges(ax, lows, highs, values, part) -> None:
    """One panel's bars, chosen values and end marks (``range_plot``), each kind as one line of
    its rows (a bar a segment, a value or an end a marker; NaN between the bars): the same look as
    a line per row, a tenth of the artists to make and draw."""
    rows = np.arange(len(lows), dtype=float)
    gaps = np.full_like(rows, np.nan)
    ax.add_line(Line2D(np.column_stack([lows, highs, gaps]).ravel(), np.column_stack([rows, rows, gaps]).ravel(),
                       color="tab:blue", lw=3.5, alpha=0.35, solid_capstyle="butt", zorder=1))
    ax.add_line(Line2D(values, rows, marker="o", color="tab:blue", markersize=3.2, ls="", zorder=3))
    ends = {}                               # (mark, colour, side) -> the rows' x and y, in the rows' order
    for i, (lo, hi, r) in enumerate(zip(lows, highs, part.itertuples())):
        for end, x, side in ((r.lower_end, lo, -1), (r.upper_end, hi, 1)):
            mark, color = _END_MARK.get(end, ("|", "0.45"))
            if mark == ">":
                mark = ">" if side > 0 else "<"
            xs, ys = ends.setdefault((mark, color, side), ([], []))
            xs.append(x)
            ys.append(i)
    for (mark, color, side), (xs, ys) in ends.items():
        shift = offset_copy(ax.transData, fig=ax.figure, x=side * 3.5, y=0, units="points")
        ax.add_line(Line2D(xs, ys, marker=mark, color=color, markersize=5 if mark == "|" else 3.5, ls="", zorder=2,
                           transform=shift))


def range_plot(ranges: pd.DataFrame, max_steps: int | None = None, ncols: int = 3) -> Figure:
    """Sensitivity ranges (``analysis.robustness``, part 1): one small panel per parameter.

    Each panel is one anchor of one condition (in the raw units of its measure) or one cut-off
    (in its own units); each row an analysis.  The bar spans the values over which the solution
    (every tied model) stays the same, the dot is the chosen value (also the grey vertical
    line).  The end marks, set just outside the bar's ends, say why the range stops: red ``|`` the next step changes the
    solution, grey ``|`` no further value is allowed (codebook range, neighbouring anchor,
    cut-off bounds), green arrow: no change within ``max_steps`` steps.
    """
    analyses = list(dict.fromkeys(ranges["analysis"]))
    params = list(dict.fromkeys(ranges["parameter"]))
    ncols = max(1, min(ncols, len(params)))
    nrows = int(np.ceil(len(params) / ncols))
    row_h = 0.15 * len(analyses) + 0.62
    fig = new_figure(FULL, row_h * nrows + 1.0)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, (ax, p) in enumerate(zip(axes.ravel(), params)):
        part = ranges[ranges["parameter"] == p].set_index("analysis").loc[analyses]
        lows, highs, values = (part[c].to_numpy(dtype=float) for c in ("lower", "upper", "value"))
        step = float(part["step"].iloc[0]) if "step" in part else 0.0
        span = max(highs.max(), values.max()) - min(lows.min(), values.min())
        pad = max(step, 0.12 * span, 1e-9)
        _draw_ranges(ax, lows, highs, values, part)
        ax.axvline(values[0], color="0.8", lw=0.6, zorder=0)
        ax.set_xlim(min(lows.min(), values.min()) - pad, max(highs.max(), values.max()) + pad)
        ax.set_ylim(len(analyses) - 0.5, -0.5)
        ax.set_yticks(range(len(analyses)))
        ax.set_yticklabels(analyses if k % ncols == 0 else [], fontsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10], integer=p == "n_cut"))
        ax.tick_params(labelsize=7, length=2.5, pad=2)
        axes_title(ax, f"{p} (chosen {_value_text(p, values[0])})", fontsize=7.5)
    for ax in axes.ravel()[len(params):]:
        ax.set_axis_off()
    handles = [Line2D([], [], marker="o", ls="", color="tab:blue", markersize=3.2, label="chosen value"),
               Line2D([], [], marker="|", ls="", color="tab:red", label="next step changes the solution"),
               Line2D([], [], marker="|", ls="", color="0.45", label="no further value allowed"),
               Line2D([], [], marker=">", ls="", color="tab:green", markersize=3.5,
                      label=f"unchanged up to the last step tried{f' ({max_steps})' if max_steps else ''}")]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=7, frameon=False)
    return finish(fig, "Sensitivity ranges: the values of each anchor (raw units of its measure) and cut-off for "
                       "which the solution (every tied model) stays the same", fontsize=9)


_TYPE_COLORS = {"robust typical": "tab:blue", "shaky typical": "tab:red", "possible typical": "tab:purple",
                "extreme deviant coverage": "black", "robust deviant": "tab:orange", "shaky deviant": "tab:red",
                "possible deviant": "tab:purple", "irrelevant": "0.6", "unclassified": "0.3"}


def _draw_robustness_xy(ax, types: pd.DataFrame, title: str):
    from matplotlib.collections import LineCollection
    ax.axhline(0.5, color="0.6", lw=0.8, ls="--")
    ax.axvline(0.5, color="0.6", lw=0.8, ls="--")
    IS, lo, hi, Y = (types[c].to_numpy(dtype=float) for c in ("IS", "minTS", "maxTS", "Y"))
    decide = np.where(IS > 0.5, lo, hi)
    ax.add_collection(LineCollection([[(a, b), (a, c)] for a, b, c in zip(IS, lo, hi)], colors="0.8",
                                     linewidths=0.8, zorder=1))
    kinds = types["type"].to_numpy()
    for t in dict.fromkeys(kinds):
        sel = kinds == t
        typical = Y[sel] > 0.5
        color = _TYPE_COLORS.get(t, "0.3")
        if typical.any():
            ax.scatter(IS[sel][typical], decide[sel][typical], s=18, zorder=2, marker="o", color=color)
        if (~typical).any():
            ax.scatter(IS[sel][~typical], decide[sel][~typical], s=18, zorder=2, marker="x", color=color)
    ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), aspect="equal", xticks=[0, 0.5, 1], yticks=[0, 0.5, 1])
    ax.set_xlabel("IS (initial solution)", fontsize=7.5)
    ax.set_ylabel("minTS if IS > 0.5, maxTS if IS < 0.5", fontsize=7.5)
    ax.tick_params(labelsize=7, length=2.5, pad=2)
    axes_title(ax, title, fontsize=7.5)
    return IS, decide, kinds


def robustness_xy_plot(panels: dict, label_cases: bool = True) -> Figure:
    """Robustness XY plots (``analysis.robustness``, part 4), one panel per analysis.

    ``panels`` maps a title to a ``case_types`` table.  Each case is a point at its IS
    membership (x) and the test-solution membership that decides its type (y): minTS when
    IS > 0.5, maxTS when IS < 0.5; a grey line spans minTS to maxTS.  Circles: Y > 0.5
    (typical side); crosses: Y < 0.5 (deviant side); colour: the case type.  The quadrants are
    named in the caption (right of 0.5 and above: robust; right and below: shaky; left and
    above: possible).  Shaky and possible cases are labelled without collisions, at most
    ``LABEL_LIMIT`` per panel, those the tests move farthest (``|TS - IS|``, TS the deciding test
    membership) first; the others are named in the note under the plots.
    """
    n = len(panels)
    ncols = min(3 if n > 4 else 2, n)
    nrows = int(np.ceil(n / ncols))
    side = 3.4 if ncols < 3 else 2.25
    fig = new_figure(FULL if ncols > 1 else 3.5, (side + 0.55) * nrows + 1.3)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    drawn = [(ax, types, _draw_robustness_xy(ax, types, "\n".join(_split_title(title, 30 if ncols > 2 else 48))))
             for ax, (title, types) in zip(axes, panels.items())]
    for k, ax in enumerate(axes):
        if k >= n:
            ax.set_axis_off()
        elif k % ncols:
            ax.set_ylabel("")
    present = [t for t in _TYPE_COLORS if any((t == types["type"]).any() for types in panels.values())]
    handles = [Line2D([], [], marker="o" if ("typical" in t or t == "extreme deviant coverage") else "x", ls="",
                      color=_TYPE_COLORS[t], label=t) for t in present]
    note = ("Quadrants: IS > 0.5 and TS > 0.5 robust; IS > 0.5 > TS shaky; TS > 0.5 > IS possible; both < 0.5: "
            "extreme deviant coverage (Y > 0.5) or irrelevant (Y < 0.5). Circles: Y > 0.5; crosses: Y < 0.5.")
    labels = []
    if label_cases:
        for (title, types), (_, _, (IS, decide, kinds)) in zip(panels.items(), drawn):
            shaky = np.asarray([str(t).split()[0] in ("shaky", "possible") for t in kinds], dtype=bool)
            chosen = pick_labels([(shaky, -np.abs(decide - IS))])
            labels.append((title.split(" (")[0], list(types["case"].astype(str)), shaky, chosen))
        left = [f"{t}: {', '.join(cases)}" for t, names, shaky, chosen in labels
                for _, cases in not_labelled(names, [("", shaky)], chosen)]
        note += (f" Labelled: at most {LABEL_LIMIT} shaky or possible cases per panel, those the tests move "
                 "farthest (|TS − IS|) first" + ("; not labelled — " + "; ".join(left) if left else "") + ".")
    note = wrap_to(fig, note, 7)
    note_h = (note.count("\n") + 1) * 7 * 1.22 / 72
    fig.set_size_inches(FULL if ncols > 1 else 3.5, (side + 0.55) * nrows + 1.0 + note_h)
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7, frameon=False,
               title=note, title_fontsize=7)
    finish(fig, "Robustness XY plots: initial solution against the test solutions", fontsize=9)
    for (ax, _, (IS, decide, _)), (_, names, _, chosen) in zip(drawn, labels):
        place_labels(ax, IS[chosen], decide[chosen], [n for n, c in zip(names, chosen) if c], fontsize=7,
                     obstacles=list(zip(IS[~chosen], decide[~chosen])))
    return fig


def _split_title(title: str, width: int = 48) -> list:
    import textwrap
    return textwrap.wrap(title, width) or [title]
