"""Figures of an fsQCA study: XY plots, calibration plots, robustness figures.

Every function returns a matplotlib ``Figure`` (or a DataFrame) and draws nothing on screen; the
Agg backend is used and ``save_figure`` writes PNG and SVG files that are byte-identical from
one run to the next (fixed SVG hash salt, text kept as text, no creation date in the metadata).

XY plots (Ragin 2008, ch. 3; Schneider & Wagemann 2012, ch. 3 and 5)
    Each case is a point (membership in the condition X, membership in the outcome Y).  A
    *sufficient* condition puts the cases on or above the diagonal (X <= Y: X is a subset of
    Y); a *necessary* condition puts them on or below it (X >= Y).  The dashed lines at 0.5
    split the plane into the four qualitative quadrants; points in the lower right quadrant are
    the deviant cases in kind for sufficiency (Schneider & Rohlfing 2013), points in the upper
    left quadrant those for necessity.  The title gives the parameters of fit of both readings
    (``analysis.qca.fit``).

Calibration plots (Ragin 2008, ch. 5; Dusa 2019, ch. 4)
    Raw values against the memberships the direct method gives them, with the three anchors
    (exclusion, crossover, inclusion) drawn as vertical lines: the S-shaped curve shows how
    much of the raw variation the calibration keeps, and where cases crowd at the crossover.

Robustness figures (Oana & Schneider 2024; ``analysis.robustness``)
    The sensitivity ranges of every anchor and cut-off (``range_plot``) and the robustness XY
    plot of the initial solution against the test solutions (``robustness_xy_plot``).

The configuration chart (Fiss 2011) is in ``analysis.report.configurations``.
"""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import io  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from ..qca import QCAError, membership, necessity, sufficiency  # noqa: E402

__all__ = ["xy_plot", "calibration_plot", "calibration_grid", "save_figure", "write_figure", "new_figure",
           "range_plot", "robustness_xy_plot", "calibration_figure", "xy_plots"]

matplotlib.rcParams["svg.hashsalt"] = "ppip-fsqca"
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "DejaVu Sans"
matplotlib.rcParams["figure.max_open_warning"] = 0

class QCAFigure(Figure):
    """A Figure that notebooks show as a PNG (whatever matplotlib backend the kernel uses): the
    PNG ``save_figure`` wrote when there is one (drawn once, shown at 96 dpi), else a new one."""

    saved_png = None

    def _repr_png_(self):
        if self.saved_png is not None:
            w, h = self.get_size_inches()
            return self.saved_png, {"width": round(w * 96), "height": round(h * 96)}
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=96, metadata={"Software": None})
        return buf.getvalue()


def new_figure(width, height) -> Figure:
    """A figure of ``width`` x ``height`` inches, made without pyplot's global state (so none
    piles up in a long session), shown as a PNG in notebooks."""
    return QCAFigure(figsize=(width, height), dpi=100, layout="constrained")


def save_figure(fig: Figure, folder, name: str, dpi: int = 150) -> list:
    """Write ``name.png`` and ``name.svg`` into ``folder``; the same figure gives the same bytes."""
    os.makedirs(folder, exist_ok=True)
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = os.path.join(folder, f"{name}.{ext}")
        fig.savefig(path, format=ext, dpi=dpi, metadata=meta)
        paths.append(path)
    if isinstance(fig, QCAFigure):
        with open(paths[0], "rb") as fh:
            fig.saved_png = fh.read()            # shown as it was saved, not drawn again
    return paths


def write_figure(fig: Figure, out, name: str) -> Figure:
    """Write ``figures/<name>.png`` and ``.svg`` of a run's output folder ``out``; return ``fig``."""
    save_figure(fig, os.path.join(out, "figures"), name)
    return fig


# --------------------------------------------------------------------------------------- XY plot

def xy_plot(data: pd.DataFrame, condition: str, outcome: str, neg_out: bool = False,
            label_cases: bool = False) -> Figure:
    """XY plot of ``condition`` (a column or an expression such as ``"A*~B"``) against ``outcome``.

    The diagonal separates subset (sufficiency, points above it) from superset (necessity,
    points below it) relations; the title reports inclS/covS and inclN/RoN/covN.
    """
    if outcome not in data.columns:
        raise QCAError(f"xy_plot: outcome {outcome!r} is not a column; columns: {', '.join(data.columns)}")
    x = membership(data, condition).to_numpy(dtype=float)
    y = data[outcome].to_numpy(dtype=float)
    if neg_out:
        y = 1 - y
    ylab = ("~" if neg_out else "") + outcome
    s, n = sufficiency(x, y), necessity(x, y)
    fig = new_figure(4.6, 4.6)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="0.3", lw=1)
    ax.axhline(0.5, color="0.6", lw=0.8, ls="--")
    ax.axvline(0.5, color="0.6", lw=0.8, ls="--")
    ax.scatter(x, y, s=22, facecolor="none", edgecolor="tab:blue", lw=1)
    if label_cases:
        for name, xi, yi in zip(data.index, x, y):
            ax.annotate(str(name), (xi, yi), fontsize=6, xytext=(2, 2), textcoords="offset points")
    ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), xlabel=condition, ylabel=ylab, aspect="equal")
    ax.set_title(f"{condition} and {ylab}\nsufficiency: inclS {s['inclS']:.3f}, covS {s['covS']:.3f}\n"
                 f"necessity: inclN {n['inclN']:.3f}, RoN {n['RoN']:.3f}, covN {n['covN']:.3f}",
                 fontsize=9)
    ax.text(0.98, 0.02, "necessity:\nbelow diagonal", ha="right", va="bottom", fontsize=7, color="0.4",
            transform=ax.transAxes)
    ax.text(0.02, 0.98, "sufficiency:\nabove diagonal", ha="left", va="top", fontsize=7, color="0.4",
            transform=ax.transAxes)
    return fig


# ------------------------------------------------------------------------------- calibration

def _draw_calibration(ax, raw, member, anchors, label):
    raw = np.asarray(raw, dtype=float)
    member = np.asarray(member, dtype=float)
    order = np.argsort(raw, kind="stable")
    ax.plot(raw[order], member[order], color="0.7", lw=0.8, zorder=1)
    ax.scatter(raw, member, s=14, color="tab:blue", zorder=2)
    for value, name, style in zip(anchors, ("exclusion", "crossover", "inclusion"), (":", "--", ":")):
        ax.axvline(value, color="tab:red", lw=0.9, ls=style, zorder=0)
        ax.annotate(f"{name[0]}={value:g}", (value, 1.02), xycoords=("data", "axes fraction"),
                    ha="center", va="bottom", fontsize=7, color="tab:red")
    for level in (0.05, 0.5, 0.95):
        ax.axhline(level, color="0.85", lw=0.6, zorder=0)
    ax.set(ylim=(-0.03, 1.03), xlabel=f"{label} (raw)", ylabel="membership")


def calibration_plot(raw, member, anchors, label: str = "measure") -> Figure:
    """Raw values against calibrated memberships, anchors (e, c, i) marked (Ragin 2008, ch. 5)."""
    if len(anchors) != 3:
        raise QCAError(f"calibration_plot: anchors must be (exclusion, crossover, inclusion), got {anchors!r}")
    fig = new_figure(4.2, 3.4)
    _draw_calibration(fig.add_subplot(), raw, member, anchors, label)
    return fig


def calibration_grid(raw: pd.DataFrame, calibrated: pd.DataFrame, anchors: dict, ncols: int = 4) -> Figure:
    """One calibration panel per calibrated measure, i.e. per set in ``anchors`` (raw measures in
    ``raw``, memberships in ``calibrated``, same names; joint outcomes have no panel)."""
    names = list(anchors)
    missing = [n for n in names if n not in raw.columns or n not in calibrated.columns]
    if missing:
        raise QCAError(f"calibration_grid: no raw values or anchors for {', '.join(missing)}")
    nrows = int(np.ceil(len(names) / ncols))
    fig = new_figure(3.2 * ncols, 2.8 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        common = calibrated.index.intersection(raw.index, sort=False)
        _draw_calibration(ax, raw.loc[common, name], calibrated.loc[common, name], anchors[name], name)
    for ax in axes[len(names):]:
        ax.set_axis_off()
    return fig


def calibration_figure(measures: pd.DataFrame, calibrated: pd.DataFrame, anchors: dict, out) -> Figure:
    """Raw values against memberships for every measure, anchors marked; saved as ``calibration``."""
    return write_figure(calibration_grid(measures, calibrated, anchors), out, "calibration")


def xy_plots(calibrated: pd.DataFrame, best: pd.DataFrame, out) -> list:
    """XY plots of the strongest necessity candidate of every outcome (``best``: outcome,
    condition), saved as ``xy_<analysis>_<condition>``."""
    figs = []
    for row in best.itertuples():
        neg = row.outcome.startswith("~")
        y = row.outcome.lstrip("~")
        name = f"xy_{'not' if neg else ''}{y}_{row.condition.replace('~', 'not')}"
        figs.append(write_figure(xy_plot(calibrated, row.condition, y, neg_out=neg), out, name))
    return figs


# ------------------------------------------------------------------------------ robustness

_END_MARK = {"changed": ("|", "tab:red"), "limit": ("|", "0.55"), "max_steps": (">", "tab:green")}


def range_plot(ranges: pd.DataFrame, max_steps: int | None = None) -> Figure:
    """Sensitivity ranges (``analysis.robustness``, part 1): one panel per analysis.

    Each row is a parameter; the bar spans the steps (down, up) over which the solution stays
    the same, in units of the parameter's step, with the chosen value at 0 and the lowest and
    highest unchanged values written at its ends.  The end marks say why the range stops: red
    ``|`` the next step changes the solution, grey ``|`` no further value is allowed (codebook
    range, neighbouring anchor, cut-off bounds), green ``>`` no change within ``max_steps``.
    """
    analyses = list(dict.fromkeys(ranges["analysis"]))
    params = list(dict.fromkeys(ranges["parameter"]))
    top = int(max_steps or max(1, ranges[["steps_down", "steps_up"]].to_numpy().max()))
    fig = new_figure(2.35 * len(analyses) + 1.9, 0.27 * len(params) + 1.5)
    axes = fig.subplots(1, len(analyses), sharey=True, squeeze=False)[0]
    for ax, name in zip(axes, analyses):
        part = ranges[ranges["analysis"] == name].set_index("parameter")
        for i, p in enumerate(params):
            r = part.loc[p]
            lo, hi = -int(r["steps_down"]), int(r["steps_up"])
            ax.plot([lo, hi], [i, i], color="tab:blue", lw=4, alpha=0.35, solid_capstyle="butt")
            ax.plot([0], [i], marker="o", color="tab:blue", markersize=3.5)
            for end, x, side in ((r["lower_end"], lo - 0.35, -1), (r["upper_end"], hi + 0.35, 1)):
                mark, color = _END_MARK.get(end, ("|", "0.55"))
                if mark == ">":
                    mark = ">" if side > 0 else "<"
                ax.plot([x], [i], marker=mark, color=color, markersize=5, ls="")
            fmt = (lambda v: f"{v:g}") if not p.endswith("_cut") else (lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
            ax.text(lo - 0.8, i, fmt(r["lower"]), ha="right", va="center", fontsize=5.5, color="0.25")
            ax.text(hi + 0.8, i, fmt(r["upper"]), ha="left", va="center", fontsize=5.5, color="0.25")
        ax.axvline(0, color="0.75", lw=0.6)
        ax.set_xlim(-top - 4, top + 4)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("steps from the chosen value", fontsize=7)
        ax.tick_params(labelsize=7)
    axes[0].set_yticks(range(len(params)))
    axes[0].set_yticklabels(params, fontsize=7)
    axes[0].set_ylim(len(params) - 0.5, -0.5)
    handles = [Line2D([], [], marker="|", ls="", color="tab:red", label="next step changes the solution"),
               Line2D([], [], marker="|", ls="", color="0.55", label="no further value allowed"),
               Line2D([], [], marker=">", ls="", color="tab:green", label="unchanged up to the last step tried")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7, frameon=False)
    fig.suptitle("Sensitivity ranges: how far each anchor and cut-off can move before the solution "
                 "(every tied model) changes", fontsize=9)
    return fig


_TYPE_COLORS = {"robust typical": "tab:blue", "shaky typical": "tab:red", "possible typical": "tab:purple",
                "extreme deviant coverage": "black", "robust deviant": "tab:orange", "shaky deviant": "tab:red",
                "possible deviant": "tab:purple", "irrelevant": "0.6", "unclassified": "0.3"}


def _draw_robustness_xy(ax, types: pd.DataFrame, title: str, label_cases: bool):
    from matplotlib.collections import LineCollection
    ax.axhline(0.5, color="0.6", lw=0.8, ls="--")
    ax.axvline(0.5, color="0.6", lw=0.8, ls="--")
    zones = [(0.75, 0.97, "robust"), (0.75, 0.03, "shaky"), (0.25, 0.97, "possible"),
             (0.25, 0.03, "extreme deviant coverage (Y > 0.5)\nirrelevant (Y < 0.5)")]
    for x, y, text in zones:
        ax.text(x, y, text, ha="center", va="top" if y > 0.5 else "bottom", fontsize=6.5, color="0.35",
                transform=ax.transAxes, fontstyle="italic")
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
            ax.scatter(IS[sel][typical], decide[sel][typical], s=20, zorder=2, marker="o", color=color)
        if (~typical).any():
            ax.scatter(IS[sel][~typical], decide[sel][~typical], s=20, zorder=2, marker="x", color=color)
    if label_cases:
        for case, a, b, t in zip(types["case"], IS, decide, kinds):
            if str(t).split()[0] in ("shaky", "possible"):
                ax.annotate(str(case), (a, b), fontsize=5.5, xytext=(3, 2), textcoords="offset points")
    ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), aspect="equal")
    ax.set_xlabel("IS (initial solution)", fontsize=7)
    ax.set_ylabel("minTS if IS > 0.5, maxTS if IS < 0.5", fontsize=7)
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=8)


def robustness_xy_plot(panels: dict, label_cases: bool = True) -> Figure:
    """Robustness XY plots (``analysis.robustness``, part 4), one panel per analysis.

    ``panels`` maps a title to a ``case_types`` table.  Each case is a point at its IS
    membership (x) and the test-solution membership that decides its type (y): minTS when
    IS > 0.5, maxTS when IS < 0.5; a grey line spans minTS to maxTS.  Circles: Y > 0.5
    (typical side); crosses: Y < 0.5 (deviant side); colour: the case type.  Shaky and possible
    cases are labelled.
    """
    n = len(panels)
    ncols = min(2, n)
    nrows = int(np.ceil(n / ncols))
    fig = new_figure(3.7 * ncols, 3.7 * nrows + 0.5)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax, (title, types) in zip(axes, panels.items()):
        _draw_robustness_xy(ax, types, title, label_cases)
    for ax in axes[n:]:
        ax.set_axis_off()
    present = [t for t in _TYPE_COLORS if any((t == types["type"]).any() for types in panels.values())]
    handles = [Line2D([], [], marker="o" if ("typical" in t or t == "extreme deviant coverage") else "x", ls="",
                      color=_TYPE_COLORS[t], label=t) for t in present]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=6.5, frameon=False)
    fig.suptitle("Robustness XY plots: initial solution against the test solutions", fontsize=9)
    return fig
