"""The specification curve of a multiverse (Simonsohn, Simmons & Nelson 2020, fig. 2).

For each analysis, the specifications are ranked by the consistency (inclS) of their solution;
the upper panel draws inclS and coverage (covS) against that rank, the lower one, for each
choice, which of its values the specification took, one colour per value (per kind of value
for a choice with many: all cases, one left out, a subsample).  The key under the panels says
which colour is which value of each choice (``choice_key``); choices with the same values share
a line of it.  Specifications without a solution (nothing passes the cut-offs) are ranked last
and shaded grey, and each panel's title states their share.  A flat, high curve says the finding
does not hang on the choices; a band of the lower panel that lines up with a drop of the curve
names the choice that moves it.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from ..report.canvas import FULL, axes_title, caption, finish, new_figure, text_width

__all__ = ["curve_order", "specification_curve", "choice_key", "MANY_VALUES", "NO_SOLUTION_GREY"]

MANY_VALUES = 5            # a choice with more values is coloured by kind of value
_KEY_FONT, _KEY_LINE, _KEY_LEFT = 7.0, 0.17, 0.12      # points; inches per line of the key, its left margin
NO_SOLUTION_GREY = "0.85"   # specifications without a solution, here and in the claims' curve
_MARGIN, _TOP, _GAP = 0.06, 1.35, 0.2   # inches: the blank margin round the figure, an upper panel's height,
#                                         the gap between two columns


def curve_order(curve: pd.DataFrame, analysis: str, columns=None) -> pd.DataFrame:
    """The curve's specifications for ``analysis``, ranked by inclS (no solution last; ties by
    specification number, so the order is the same on every run); ``columns``: only these of the
    curve's columns (default: every one)."""
    incl = curve[f"{analysis}: inclS"].to_numpy(dtype=float)
    missing = np.isnan(incl)
    order = np.lexsort((curve["spec"].to_numpy(), np.where(missing, 0.0, incl), missing))   # last key first
    return (curve if columns is None else curve[list(columns)]).iloc[order]


def _short(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _category(value) -> str:
    """The kind of a value of a choice with many: 'all', 'one left out' (-X) or its first word."""
    text = _short(value)
    return text if text == "all" else "one left out" if text.startswith("-") else text.split()[0]


def choice_key(choice: dict) -> list:
    """``(text, colour)`` of every value of a choice (``{"name", "values"}``, the manifest's grid),
    in the study file's order, coloured along viridis from dark (first) to light (last); a
    choice with more than ``MANY_VALUES`` values is coloured by kind of value, each kind once
    with its count.

    >>> [t for t, _ in choice_key({"name": "cases", "values": ["all", "-A", "-B", "-C", "-D", "subsample 1"]})]
    ['all', 'one left out (4)', 'subsample (1)']
    """
    values = [_short(v) for v in choice["values"]]
    if len(values) > MANY_VALUES:
        kinds = list(dict.fromkeys(_category(v) for v in values))
        counts = {k: sum(_category(v) == k for v in values) for k in kinds}
        texts = [k if counts[k] == 1 and k == "all" else f"{k} ({counts[k]})" for k in kinds]
    else:
        texts = values
    colours = colormaps["viridis"](np.linspace(0.0, 0.92, len(texts))) if len(texts) > 1 else [(0.5, 0.5, 0.5, 1)]
    return [(t, tuple(c)) for t, c in zip(texts, colours)]


def _cell_colours(column: pd.Series, choice: dict) -> np.ndarray:
    key = choice_key(choice)
    values = [_short(v) for v in choice["values"]]
    if len(values) > MANY_VALUES:
        kinds = list(dict.fromkeys(_category(v) for v in values))
        index = {v: kinds.index(_category(v)) for v in values}
    else:
        index = {v: i for i, v in enumerate(values)}
    return np.array([key[index.get(_short(v), 0)][1][:3] for v in column])


def _key_entries(shown: list) -> list:
    """Key lines: choices with the same values share one (``anchors (10 sets)``)."""
    groups = {}
    for g in shown:
        groups.setdefault((g.get("kind", ""), tuple(_short(v) for v in g["values"])), []).append(g)
    out = []
    for (kind, _), members in groups.items():
        name = members[0]["name"] if len(members) == 1 else f"{kind or members[0]['name'].split()[0]} " \
                                                            f"({len(members)} sets)"
        out.append((name, choice_key(members[0])))
    return out


def _entry_width(name: str, key: list) -> float:
    return text_width(f"{name}:", _KEY_FONT, weight="bold") + 0.08 + sum(0.24 + text_width(t, _KEY_FONT) for t, _ in key)


def _key_lines(entries: list, width: float) -> list:
    lines, current, used = [], [], 0.0
    for e in entries:
        w = _entry_width(*e) + 0.25
        if current and used + w > width:
            lines.append(current)
            current, used = [], 0.0
        current.append(e)
        used += w
    return lines + [current] if current else lines


def _draw_key(ax, lines: list):
    """The key in inches from the left of the figure and the top of ``ax`` (its text keeps its
    size whatever the layout gives the axes); left out of the layout."""
    fig = ax.figure
    ax.set_axis_off()
    base = blended_transform_factory(fig.dpi_scale_trans, ax.transAxes)
    artists = []
    for i, line in enumerate(lines):
        at = base + ScaledTranslation(0, -(i + 0.5) * _KEY_LINE, fig.dpi_scale_trans)
        x = _KEY_LEFT
        for name, key in line:
            artists.append(ax.text(x, 1.0, f"{name}:", va="center", ha="left", fontsize=_KEY_FONT, fontweight="bold",
                                   transform=at))
            x += text_width(f"{name}:", _KEY_FONT, weight="bold") + 0.08
            for text, colour in key:
                artists += ax.plot([x + 0.05], [1.0], marker="s", ms=6, ls="", color=colour, transform=at, clip_on=False)
                artists.append(ax.text(x + 0.14, 1.0, text, va="center", ha="left", fontsize=_KEY_FONT, transform=at))
                x += 0.14 + text_width(text, _KEY_FONT) + 0.1
            x += 0.25
    for a in artists:
        a.set_in_layout(False)


def _panel_title(a: str, label: str | None, missing: int, total: int) -> str:
    head = a if not label or label == a else f"{a}\n" + "\n".join(textwrap.wrap(label, 34))
    return head + (f"\nno solution: {missing / total:.0%} ({missing} of {total})" if missing else "\na solution in every one")


def _lines(text: str, size: float) -> float:
    """The height in inches of ``text`` (its lines) at ``size`` points, line spacing included."""
    return (text.count("\n") + 1) * size * 1.22 / 72


def _missing(curve: pd.DataFrame, a: str) -> tuple:
    """``(specifications without a solution, specifications)`` of analysis ``a``."""
    return int(curve[f"{a}: inclS"].isna().sum()), len(curve)


def _draw_analysis(top, bottom, c: pd.DataFrame, a: str, shown: list, first: bool):
    rank = np.arange(1, len(c) + 1)
    solved = int(c[f"{a}: inclS"].notna().sum())
    if solved < len(c):
        for ax in (top, bottom):
            ax.axvspan(solved + 0.5, len(c) + 0.5, color=NO_SOLUTION_GREY, zorder=0 if ax is top else 3, alpha=1 if ax is top else 0.7,
                       lw=0)
        if len(c) - solved >= 0.4 * len(c):                 # room for the words
            top.text((solved + len(c) + 1) / 2, 0.5, f"no solution\n{(len(c) - solved) / len(c):.0%}", ha="center",
                     va="center", fontsize=7, color="0.3")
    top.plot(rank, c[f"{a}: inclS"].to_numpy(), color="black", lw=1.0, label="consistency (inclS)")
    top.plot(rank, c[f"{a}: covS"].to_numpy(), color="tab:blue", ls="none", marker=".", ms=1.5, label="coverage (covS)")
    top.set_ylim(0, 1.02)
    top.set_xlim(0.5, len(c) + 0.5)
    top.grid(axis="y", color="0.9", lw=0.5)
    top.tick_params(labelbottom=False, labelsize=7)
    if first:
        top.set_ylabel("solution fit", fontsize=7.5)
    else:
        top.tick_params(labelleft=False)                  # the same scale as the first column's
    if shown:
        cells = np.stack([_cell_colours(c[g["name"]], g) for g in shown])
        bottom.imshow(cells, aspect="auto", interpolation="nearest", extent=(0.5, len(c) + 0.5, len(shown) - 0.5, -0.5))
        bottom.set_yticks(range(len(shown)))
        bottom.set_yticklabels([g["name"] for g in shown] if first else [], fontsize=7)
    bottom.set_xlabel("specification, ranked by inclS", fontsize=7)
    bottom.tick_params(axis="x", labelsize=7)
    return solved


def specification_curve(curve: pd.DataFrame, grid: list, analyses: list, labels: dict | None = None,
                        per_row: int = 3):
    """The figure: one column per analysis of ``analyses`` (at most ``per_row`` side by side, then
    another row), the key of the choices' values under them; ``grid`` is the manifest's list of
    choices (name, kind, values), ``labels`` optional titles per analysis."""
    labels = labels or {}
    shown = [g for g in grid if len(g["values"]) > 1]
    n = max(1, len(analyses))
    rows, cols = -(-n // per_row), min(n, per_row)
    key_lines = _key_lines(_key_entries(shown), FULL - 2 * _KEY_LEFT)
    key_h = len(key_lines) * _KEY_LINE + 0.05
    low = max(0.6, 0.115 * len(shown))
    fig = new_figure(FULL, 4.0)
    fig.set_layout_engine(None)                        # laid out here, in inches from the top
    finish(fig, f"Specification curve: {len(curve):,} specifications")
    caption(fig, "Lower panels: the value each specification takes of each choice, one colour per value (key "
                 "below: anchor shifts as a share of the codebook range; cases and conditions: all, one left out, "
                 "or another set). Grey: the specifications without a solution (no truth-table row passes the "
                 "cut-offs), ranked last; their share is in each title.")
    titles = [_panel_title(a, labels.get(a), *_missing(curve, a)) for a in analyses]
    left = _MARGIN + max([text_width(g["name"], 7) for g in shown]
                         + [_lines("", 7.5) + 4 / 72 + text_width("0.0", 7)]) + 4.5 / 72
    # the right margin holds half of the widest x tick label (a tick may fall on the axis' end)
    right = max(0.12, _MARGIN + text_width(str(len(curve)), 7) / 2 + 0.02)
    width = (FULL - left - right - (cols - 1) * _GAP) / cols
    heads = [_lines(max(titles[r * cols:(r + 1) * cols], key=lambda t: t.count("\n")), 7.5) + 6 / 72
             for r in range(rows)]
    below = (4.5 + 7 * 1.22 + 4 + 7 * 1.22) / 72            # ticks, tick labels, x label
    top_at = _MARGIN + _lines(fig._suptitle.get_text(), 9.5) + 0.06
    height = top_at + sum(heads) + rows * (_TOP + 0.12 + low + below + 0.1) + key_h \
        + _lines(fig._supxlabel.get_text(), 7) + 0.06 + _MARGIN
    fig.set_size_inches(FULL, height)
    fig._suptitle.set_y(1 - _MARGIN / height)
    fig._supxlabel.set_y(_MARGIN / height)

    def box(x, y, w, h):                               # inches from the top left -> figure fraction
        return fig.add_axes((x / FULL, 1 - (y + h) / height, w / FULL, h / height))

    for r, head_h in enumerate(heads):
        top_at += head_h
        for k in range(min(cols, n - r * cols)):
            a = analyses[r * cols + k]
            x = left + k * (width + _GAP)
            top, bottom = box(x, top_at, width, _TOP), box(x, top_at + _TOP + 0.12, width, low)
            bottom.sharex(top)
            c = curve_order(curve, a, [f"{a}: inclS", f"{a}: covS"] + [g["name"] for g in shown])
            _draw_analysis(top, bottom, c, a, shown, k == 0)
            axes_title(top, titles[r * cols + k], fontsize=7.5)
            if r == k == 0:
                top.legend(loc="lower left", fontsize=7, markerscale=4, framealpha=0.9)
        top_at += _TOP + 0.12 + low + below + 0.1
    if key_lines:
        _draw_key(box(0, top_at, FULL, key_h), key_lines)
    return fig
