"""The sensitivity ranges' figure draws each panel's bars, chosen values and end marks as one line
of each kind (``report.figures._draw_ranges``, issue 28): the same pixels as a line per row and
end, every row's bar, value and two end marks there."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.transforms import offset_copy

from analysis.report import figures


def _ranges() -> pd.DataFrame:
    rows = []
    ends = ["changed", "limit", "max_steps"]
    for k, parameter in enumerate(["A exclusion", "A crossover", "incl_cut"]):
        for i, analysis in enumerate(["Y", "notY", "Y2", "notY2"]):
            value = 0.8 if parameter == "incl_cut" else 2.0 + k
            step = 0.01 if parameter == "incl_cut" else 0.3
            rows.append({"analysis": analysis, "parameter": parameter, "value": value, "step": step,
                         "lower": value - step * ((i + k) % 3), "upper": value + step * (i % 2) * 2,
                         "lower_end": ends[(i + k) % 3], "upper_end": ends[(i + 2 * k + 1) % 3]})
    return pd.DataFrame(rows)


def _per_row(ax, lows, highs, values, part):
    """The drawing the panel had: a line per bar, per chosen value and per end mark."""
    for i, (lo, hi, v, r) in enumerate(zip(lows, highs, values, part.itertuples())):
        ax.plot([lo, hi], [i, i], color="tab:blue", lw=3.5, alpha=0.35, solid_capstyle="butt", zorder=1)
        ax.plot([v], [i], marker="o", color="tab:blue", markersize=3.2, zorder=3)
        for end, x, side in ((r.lower_end, lo, -1), (r.upper_end, hi, 1)):
            mark, color = figures._END_MARK.get(end, ("|", "0.45"))
            if mark == ">":
                mark = ">" if side > 0 else "<"
            shift = offset_copy(ax.transData, fig=ax.figure, x=side * 3.5, y=0, units="points")
            ax.plot([x], [i], marker=mark, color=color, markersize=5 if mark == "|" else 3.5, ls="", zorder=2,
                    transform=shift)


def _pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()


def test_the_ranges_are_drawn_as_a_line_per_row_drew_them(monkeypatch):
    ranges = _ranges()
    ours = figures.range_plot(ranges, max_steps=4)
    with monkeypatch.context() as m:
        m.setattr(figures, "_draw_ranges", _per_row)
        theirs = figures.range_plot(ranges, max_steps=4)
    assert sum(len(ax.lines) for ax in theirs.axes) > sum(len(ax.lines) for ax in ours.axes)
    assert np.array_equal(_pixels(ours), _pixels(theirs))


def test_every_row_has_its_bar_value_and_two_end_marks():
    ranges = _ranges()
    fig = figures.range_plot(ranges, max_steps=4)
    n = ranges["analysis"].nunique()
    for ax in fig.axes[:ranges["parameter"].nunique()]:
        bars = [line for line in ax.lines if line.get_linewidth() == 3.5]
        values = [line for line in ax.lines if line.get_marker() == "o"]
        ends = [line for line in ax.lines if line.get_marker() in ("|", ">", "<")]
        assert len(bars) == 1 and np.isfinite(bars[0].get_xdata()).sum() == 2 * n
        assert len(values) == 1 and len(values[0].get_xdata()) == n
        assert sum(len(line.get_xdata()) for line in ends) == 2 * n
