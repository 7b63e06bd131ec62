"""Figures drawn with fewer artists (issue 28, round 6) keep what a reader sees: the hand-drawn
ticks and axis labels (``report.ticks``) and legend (``report.key``) stand where matplotlib's own
would, and a term plot or an XY plot still draws every tick, tick label, axis label, legend entry
and note its data ask for, inside the canvas and apart from one another."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.lines import TICKDOWN, TICKLEFT, Line2D

from analysis.report import canvas
from analysis.report.key import draw_key
from analysis.report.ticks import plain_axes
from analysis.report.xy import CASE_STYLE, _term_page, sufficiency_case_types, xy_plot

TICKS, TEXTS = [0, 0.25, 0.5, 0.75, 1], ["0", ".25", ".5", ".75", "1"]


def _axes(fig):
    ax = fig.add_axes((0.3, 0.3, 0.5, 0.5))
    ax.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03))
    return ax


def _extent(text, renderer):
    return np.array(text.get_window_extent(renderer).extents)


@pytest.mark.parametrize("bottom,left", [(True, True), (False, True), (True, False), (False, False)])
def test_hand_drawn_ticks_and_labels_stand_where_matplotlib_puts_them(bottom, left):
    """Tick labels and axis labels within half a pixel of matplotlib's own axes' (150 dpi)."""
    mine, theirs = canvas.new_figure(3, 3), canvas.new_figure(3, 3)
    for fig in (mine, theirs):
        fig.set_layout_engine(None)
    ax = _axes(theirs)
    ax.set_xticks(TICKS, TEXTS)
    ax.set_yticks(TICKS, TEXTS)
    ax.tick_params(labelsize=7, length=2.5, pad=2, labelbottom=bottom, labelleft=left)
    ax.set_xlabel("term", fontsize=8)
    ax.set_ylabel("OUTCOME" if left else "", fontsize=8)
    drawn = plain_axes(_axes(mine), TICKS, TEXTS, "term", TICKS, TEXTS, "OUTCOME" if left else None,
                       bottom=bottom, left=left)
    for fig in (mine, theirs):
        fig.canvas.draw()
    r1, r2 = mine.canvas.get_renderer(), theirs.canvas.get_renderer()
    expected = ([t.label1 for t in ax.xaxis.get_major_ticks()] if bottom else []) + [ax.xaxis.label] + \
        ([t.label1 for t in ax.yaxis.get_major_ticks()] if left else []) + ([ax.yaxis.label] if left else [])
    assert [t.get_text() for t in drawn] == [t.get_text() for t in expected]
    for got, want in zip(drawn, expected):
        assert np.abs(_extent(got, r1) - _extent(want, r2)).max() < 0.5, got.get_text()


def test_hand_drawn_tick_marks_are_one_marker_line_per_axis():
    fig = canvas.new_figure(3, 3)
    ax = _axes(fig)
    plain_axes(ax, TICKS, TEXTS, "x", TICKS[:3], TEXTS[:3], "y", bottom=False, left=False)
    marks = {line.get_marker(): list(line.get_xdata() if line.get_marker() == TICKDOWN else line.get_ydata())
             for line in ax.lines}
    assert marks == {TICKDOWN: TICKS, TICKLEFT: TICKS[:3]}, "a tick mark for every tick, labelled or not"
    assert not ax.xaxis.get_visible() and not ax.yaxis.get_visible()


@pytest.mark.parametrize("n,title", [(2, "a note"), (3, "a note\nof two lines"), (4, None), (1, "only one")])
def test_the_drawn_key_stands_where_matplotlib_puts_its_legend(n, title):
    entries = [CASE_STYLE[k] for k in ("typical", "deviant in kind", "deviant coverage", "other")][:n]
    mine, theirs = canvas.new_figure(7, 3), canvas.new_figure(7, 3)
    handles = [Line2D([], [], marker=m, ls="", markerfacecolor=c, markeredgecolor="white", markersize=6, label=t)
               for m, c, t in entries]
    legend = theirs.legend(handles=handles, loc="lower center", bbox_to_anchor=(3.5, 0.06),
                           bbox_transform=theirs.dpi_scale_trans, borderaxespad=0, ncol=2, fontsize=7, frameon=False,
                           handletextpad=0.3, columnspacing=1.2, title=title, title_fontsize=7)
    height = draw_key(mine, entries, ncol=2, title=title, bottom=0.06)
    r1, r2 = mine.canvas.get_renderer(), theirs.canvas.get_renderer()
    theirs.canvas.draw()
    assert height == pytest.approx(legend.get_window_extent(r2).height / theirs.dpi, abs=0.5 / 150)
    want = legend.get_texts() + ([legend.get_title()] if title else [])
    got = mine.texts
    assert [t.get_text() for t in got] == [t.get_text() for t in want]
    for a, b in zip(got, want):
        assert np.abs(_extent(a, r1) - _extent(b, r2)).max() < 1.0, a.get_text()
    drawn = [a for a in legend.findobj(Line2D) if a.get_marker() not in (None, "None", "")]   # the handles
    marks = [a for a in mine.artists if isinstance(a, Line2D)]
    assert [a.get_marker() for a in marks] == [a.get_marker() for a in drawn] == [m for m, _, _ in entries]
    for a, b in zip(marks, drawn):                 # the markers' centres
        at = a.get_transform().transform(np.column_stack([a.get_xdata(), a.get_ydata()]))
        want = b.get_transform().transform([(np.mean(b.get_xdata()), np.mean(b.get_ydata()))])   # its middle
        assert np.abs(at - want).max() < 1.0


def _boxes_apart(fig):
    """Every visible text of the figure (tick labels, axis labels, titles, case labels, the key) is
    inside the canvas, and no two of them overlap (by more than half a pixel)."""
    canvas.check_fits(fig, "figure")
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent"))
             if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for (n1, b1), (n2, b2) in itertools.combinations(boxes, 2):
        w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        assert w <= 0.5 or h <= 0.5, f"{n1!r} and {n2!r} overlap"
    return [t.get_text() for t in texts]


@pytest.mark.parametrize("n", [2, 4, 6])
def test_a_term_page_draws_every_tick_label_and_key_entry_its_panels_ask_for(n):
    rng = np.random.default_rng(n)
    terms = ["A*B*~C", "~A*D*E", "B*~D", "C*E", "A*~E*F"]
    panels = [(k, terms[k - 1], rng.random(30), False) for k in range(1, n)] + [(0, "solution", rng.random(30), True)]
    y = rng.random(30)
    fig = _term_page(SimpleNamespace(label="OUT"), "intermediate solution", y, [f"C{i:02d}" for i in range(30)],
                     panels, 1, 1)
    fig.canvas.draw()
    texts = _boxes_apart(fig)
    ncols = min(3, n)
    bottom = sum(1 for i in range(n) if i + ncols >= n)              # panels with none under them
    left = sum(1 for i in range(n) if i % ncols == 0)
    for text in TEXTS:
        assert texts.count(text) == bottom + left, f"tick label {text!r}"
    assert texts.count("term") == n - 1 and texts.count("solution") == 1, "an x label on every panel"
    assert texts.count("OUT") == left, "the y label on the left panels"
    for ax in fig.axes:
        assert sorted(len(line.get_xdata()) for line in ax.lines if line.get_marker() in (TICKDOWN, TICKLEFT)) == [5, 5]
    kinds = {k for _, _, x, solution in panels for k in sufficiency_case_types(x, y, solution=solution)}
    for kind in kinds:
        assert CASE_STYLE[kind][2] in texts, f"the key's entry for {kind}"
    assert any(t.startswith("Labelled: at most") for t in texts), "the note under the panels"


def test_an_xy_plot_draws_its_ticks_labels_and_every_point():
    rng = np.random.default_rng(3)
    data = pd.DataFrame({"X": rng.random(25), "Y": rng.random(25)}, index=[f"case {i}" for i in range(25)])
    fig = xy_plot(data, "X", "Y", necessary=False)
    fig.canvas.draw()
    texts = _boxes_apart(fig)
    for text in TEXTS:
        assert texts.count(text) == 2, f"tick label {text!r} on both axes"
    assert texts.count("X") == 1 and texts.count("Y") == 1
    markers = {style[0] for style in CASE_STYLE.values()}
    points = sum(len(line.get_xdata()) for line in fig.axes[0].lines
                 if line.get_marker() in markers and line.get_linestyle() == "None")
    assert points == len(data), "a marker for every case"


def test_a_configuration_chart_draws_every_symbol_of_its_table():
    """The circles, crosses and shaded cells drawn as one collection each: one circle per symbol
    of the table and of the legend, one stroke per absent symbol (two for a core one)."""
    from matplotlib.collections import LineCollection, PatchCollection

    from analysis.report.configurations import FIT_ROWS, SOLUTION_ROWS, SYMBOLS, configuration_chart
    conds = list("ABCD")
    cells = {"1": {"A": ("core", True), "B": ("peripheral", False)}, "2": {"C": ("core", False), "D": ("peripheral", True)},
             "3": {"A": ("core", True), "C": ("core", False), "D": ("peripheral", False)}}
    rows = {name: {c: SYMBOLS[cell[c]] if c in cell else "" for c in conds} | {r: 0.9 for r in FIT_ROWS}
            for name, cell in cells.items()}
    table = pd.DataFrame(rows, index=conds + FIT_ROWS, dtype=object)
    for row in SOLUTION_ROWS:
        table.loc[row] = [0.95, "", ""]
    table.attrs.update({"block": "C1P1", "model": 1})
    fig = configuration_chart(table, title="chart")
    symbols = [s for cell in cells.values() for s in cell.values()] + [("core", True), ("peripheral", True),
                                                                       ("core", False), ("peripheral", False)]
    circles = [a for a in fig.artists if isinstance(a, PatchCollection)]
    crosses = [a for a in fig.artists if isinstance(a, LineCollection)]
    assert sum(len(c.get_paths()) for c in circles) == len(symbols)
    assert sum(len(c.get_segments()) for c in crosses) == sum(2 if kind == "core" else 1 for kind, present in symbols
                                                              if not present)
    _boxes_apart(fig)


def test_the_curve_ranks_the_specifications_as_sorting_the_frame_does():
    """``curve_order`` ranks by inclS, no solution last, ties by specification (numpy's lexsort):
    the order and rows of pandas' stable sort of the whole frame."""
    from analysis.multiverse.curve import curve_order
    rng = np.random.default_rng(5)
    n = 500
    incl = rng.choice([0.7, 0.8, 0.85, 0.9, np.nan], n)             # ties and specifications without a solution
    curve = pd.DataFrame({"spec": rng.permutation(n), "Y: inclS": incl, "Y: covS": rng.random(n),
                          "cases": rng.choice(["all", "-A"], n)})
    want = curve.assign(_m=curve["Y: inclS"].isna()).sort_values(["_m", "Y: inclS", "spec"],
                                                                   kind="stable").drop(columns="_m")
    assert curve_order(curve, "Y").equals(want)
    assert curve_order(curve, "Y", ["Y: inclS", "cases"]).equals(want[["Y: inclS", "cases"]])
