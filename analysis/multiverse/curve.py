"""The specification curve of a multiverse (Simonsohn, Simmons & Nelson 2020, fig. 2).

For each analysis, the specifications are ranked by the consistency (inclS) of their solution;
the upper panel draws inclS and coverage (covS) against that rank, the lower one, for each
choice, which of its values the specification took (a dark cell: the first value the study
file lists, a light one: the last).  A flat, high curve says the finding does not hang on the
choices; a band of the lower panel that lines up with a drop of the curve names the choice that
moves it.  Specifications without a solution (nothing passes the cut-offs) are left at the
right end, with no curve.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ..report.canvas import FULL, caption, finish, new_figure

__all__ = ["curve_order", "specification_curve"]


def curve_order(curve: pd.DataFrame, analysis: str) -> pd.DataFrame:
    """The curve's specifications for ``analysis``, ranked by inclS (no solution last; ties by
    specification number, so the order is the same on every run)."""
    c = curve.assign(_missing=curve[f"{analysis}: inclS"].isna())
    return c.sort_values(["_missing", f"{analysis}: inclS", "spec"], kind="stable").drop(columns="_missing")


def _value_codes(column: pd.Series, values: list) -> np.ndarray:
    order = {str(v): i for i, v in enumerate(values)}
    codes = np.array([order.get(str(v), 0) for v in column], dtype=float)
    return codes / max(1, len(values) - 1)


def specification_curve(curve: pd.DataFrame, grid: list, analyses: list, labels: dict | None = None,
                        per_row: int = 3):
    """The figure: one column per analysis of ``analyses`` (at most ``per_row`` side by side, then
    another row); ``grid`` is the manifest's list of choices (name, values), ``labels`` optional
    titles per analysis."""
    labels = labels or {}
    shown = [g for g in grid if len(g["values"]) > 1]
    n = max(1, len(analyses))
    rows, cols = -(-n // per_row), min(n, per_row)
    low = max(0.6, 0.16 * len(shown))
    fig = new_figure(FULL, rows * (2.3 + 0.16 * len(shown)))
    panels = fig.subplots(2 * rows, cols, squeeze=False,
                          gridspec_kw={"height_ratios": [2.0, low] * rows})
    for j in range(rows * cols):
        if j >= n:                                      # an empty place in the last row
            panels[2 * (j // cols)][j % cols].axis("off")
            panels[2 * (j // cols) + 1][j % cols].axis("off")
            continue
        a = analyses[j]
        c = curve_order(curve, a)
        top, bottom = panels[2 * (j // cols)][j % cols], panels[2 * (j // cols) + 1][j % cols]
        bottom.sharex(top)
        rank = np.arange(1, len(c) + 1)
        top.plot(rank, c[f"{a}: inclS"].to_numpy(), color="black", lw=1.0, label="consistency (inclS)")
        top.plot(rank, c[f"{a}: covS"].to_numpy(), color="tab:blue", ls="none", marker=".", ms=1.5,
                 label="coverage (covS)")
        top.set_ylim(0, 1.02)
        label = labels.get(a)
        top.set_title(a if not label or label == a else f"{a}\n" + "\n".join(textwrap.wrap(label, 34)), fontsize=7.5)
        top.grid(axis="y", color="0.9", lw=0.5)
        top.tick_params(labelbottom=False)
        if j % cols == 0:
            top.set_ylabel("solution fit", fontsize=7.5)
        if shown:
            cells = np.vstack([_value_codes(c[g["name"]], g["values"]) for g in shown])
            bottom.imshow(cells, aspect="auto", cmap="viridis", interpolation="nearest", vmin=0, vmax=1,
                          extent=(0.5, len(c) + 0.5, len(shown) - 0.5, -0.5))
            bottom.set_yticks(range(len(shown)))
            bottom.set_yticklabels([g["name"] for g in shown] if j % cols == 0 else [], fontsize=6.5)
        bottom.set_xlabel("specification, ranked by inclS", fontsize=7)
        bottom.tick_params(axis="x", labelsize=6.5)
        top.tick_params(labelsize=6.5)
    panels[0][0].legend(loc="lower right", fontsize=6.5, markerscale=4, framealpha=0.9)
    finish(fig, f"Specification curve: {len(curve):,} specifications")
    caption(fig, "Lower panels: the value each specification takes of each choice (dark: the first value the "
                 "study file lists, light: the last; cases and conditions: dark = all). Specifications without a "
                 "solution (no row passes the cut-offs) are at the right, with no curve.")
    return fig
