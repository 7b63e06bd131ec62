"""The configuration chart of an intermediate solution (Ragin & Fiss 2008; Fiss 2011, p. 403).

The intermediate solution is shown with one column per configuration (term) and one row per
condition.  A condition is *core* in a configuration when it also appears in the parsimonious
term contained in that intermediate term (the evidence for it holds without any difficult
counterfactual), and *peripheral* when it appears only in the intermediate term.  The notation,
in the chart and in ``configuration_table``:

=====================  ===============  ==========================
meaning                chart            table symbol
=====================  ===============  ==========================
core, present          large filled     ``●``
peripheral, present    small filled     ``•``
core, absent           large crossed    ``⊗``
peripheral, absent     small crossed    ``⊘``
don't care             blank            (empty)
=====================  ===============  ==========================

Configurations whose core conditions are the same are numbered alike (1a, 1b, ...), as Fiss
(2011) groups *neutral permutations*.  Below the conditions come each configuration's raw
consistency (inclS), PRI, raw coverage (covS) and unique coverage (covU), and the solution's
inclS, PRI and covS.

>>> import pandas as pd
>>> from analysis.qca import solve, truth_table
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.1, 0.2], "B": [0.8, 0.2, 0.2, 0.1], "C": [0.1, 0.2, 0.1, 0.9],
...                      "Y": [0.9, 0.8, 0.1, 0.2]}, index=["p", "q", "r", "s"])
>>> table = configuration_table(solve(truth_table(data, "Y"), dir_exp=[1, 1, 1]), ["A", "B", "C"])
>>> table.loc[["A", "B", "C"]]
configuration  1
condition
A              ●
B
C
"""
from __future__ import annotations

import string

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from ..errors import StudyError
from ..qca import Solutions
from .figures import new_figure
from .format import FIT_ROWS, LEGEND, SOLUTION_ROWS, SYMBOLS

__all__ = ["configuration_table", "configuration_chart", "configuration_models", "SYMBOLS", "LEGEND",
           "FIT_ROWS", "SOLUTION_ROWS"]




def _solutions(solutions) -> Solutions:
    """The engine's ``Solutions`` (JSON is read once, ``Solutions.from_json``)."""
    return solutions if isinstance(solutions, Solutions) else Solutions.from_json(solutions)


def _literal_sets(model) -> list:
    """A model's terms as dicts condition -> present."""
    return [dict(t) for t in model.terms]


def _term_fits(model) -> list:
    return [{k: getattr(r, k) for k in FIT_ROWS} for r in model.term_fits]


def configuration_models(solutions) -> list:
    """Every (block label, model number) pair of the intermediate solution, in order."""
    return [(b.label, i) for b in _solutions(solutions).intermediate for i in range(1, len(b.models) + 1)]


def _parsimonious_index(label: str, n_models: int) -> int:
    # Block labels are C<i>P<j>: the intermediate block built with parsimonious model j.
    try:
        j = int(label.split("P")[-1])
    except ValueError:
        j = 1
    return min(max(j, 1), n_models) - 1


def _fiss_labels(cores: list) -> list:
    groups, labels = {}, []
    for core in cores:
        key = tuple(sorted(core.items()))
        groups.setdefault(key, []).append(len(labels))
        labels.append(None)
    for number, members in enumerate(groups.values(), 1):
        for k, idx in enumerate(members):
            labels[idx] = f"{number}{string.ascii_lowercase[k]}" if len(members) > 1 else str(number)
    return labels


def configuration_table(solutions, conditions=None, block: str | None = None, model: int = 1) -> pd.DataFrame:
    """The configuration chart as a table: conditions x configurations (Fiss 2011 notation).

    ``solutions`` is a ``Solutions`` object (``analysis.solve``) or its JSON (``to_json()`` or the
    command line's result).  ``block`` is the intermediate block (default: the first, ``C1P1``),
    ``model`` the tied model within it (1-based).  Cells hold the symbols of ``SYMBOLS`` (see
    ``LEGEND``) or ""; the rows ``FIT_ROWS`` hold each configuration's fit and ``SOLUTION_ROWS``
    the model's fit (in the first column).  ``table.attrs`` records block, model, expression and
    the configurations whose intermediate term contains no parsimonious term (all peripheral).
    """
    solutions = _solutions(solutions)
    pars, inter = solutions.parsimonious, list(solutions.intermediate)
    if not inter:
        raise StudyError("configuration chart: no intermediate solution (solve with dir_exp)")
    labels = [b.label for b in inter]
    if block is None:
        block = labels[0]
    if block not in labels:
        raise StudyError(f"configuration chart: no intermediate block {block!r}; blocks: {', '.join(labels)}")
    blk = inter[labels.index(block)]
    models = list(blk.models)
    if not 1 <= model <= len(models):
        raise StudyError(f"configuration chart: block {block} has {len(models)} model(s), asked for model {model}")
    m = models[model - 1]
    terms = _literal_sets(m)
    p_models = list(pars.models)
    p_terms = _literal_sets(p_models[_parsimonious_index(block, len(p_models))])
    if conditions is None:
        conditions = []
        for t in terms:
            conditions += [c for c in t if c not in conditions]
    cores, no_core = [], []
    for j, t in enumerate(terms):
        core = {}
        for p in p_terms:
            if all(t.get(c) == v for c, v in p.items()):
                core.update(p)
        if not core:
            no_core.append(j)
        cores.append(core)
    names = _fiss_labels(cores)
    columns = {}
    fits = _term_fits(m)
    for name, t, core, fit in zip(names, terms, cores, fits):
        col = {c: (SYMBOLS[("core" if c in core else "peripheral", t[c])] if c in t else "") for c in conditions}
        col.update(fit)
        columns[name] = col
    table = pd.DataFrame(columns, index=list(conditions) + FIT_ROWS, dtype=object)
    for row, key in zip(SOLUTION_ROWS, ("inclS", "PRI", "covS")):
        table.loc[row] = [getattr(m.fit, key)] + [""] * (len(names) - 1)
    table.index.name = "condition"
    table.columns.name = "configuration"
    table.attrs.update({"block": block, "model": model,
                        "expression": str(m),
                        "without_core": [names[j] for j in no_core], "legend": LEGEND})
    return table


_SIZES = {"core": 0.3, "peripheral": 0.17}


def _draw_symbol(ax, x, y, kind, present):
    r = _SIZES[kind]
    if present:
        ax.add_patch(Circle((x, y), r, facecolor="black", edgecolor="black", lw=1))
        return
    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor="black", lw=1.2))
    d = r * 0.7071
    ax.add_line(Line2D([x - d, x + d], [y + d, y - d], color="black", lw=1.2))      # ⊘, as in the tables
    if kind == "core":                                                               # ⊗
        ax.add_line(Line2D([x - d, x + d], [y - d, y + d], color="black", lw=1.2))


_BY_SYMBOL = {v: k for k, v in SYMBOLS.items()}


def _panels(panels) -> list:
    if isinstance(panels, pd.DataFrame):
        return [(None, panels)]
    return [(heading, table) for heading, table in panels]


def configuration_chart(panels, title: str | None = None, note: str | None = None) -> Figure:
    """Draw configuration tables in Fiss's (2011) notation: circles, crosses and fit rows.

    ``panels`` is one ``configuration_table`` or a list of ``(heading, table)``, drawn side by
    side (the models of one analysis, or the outcomes of a study) with each heading above its
    configurations; ``note`` is printed under the chart.  The figure is as wide and as tall as
    its content: nothing is clipped.
    """
    panels = _panels(panels)
    first = panels[0][1]
    conds = [r for r in first.index if r not in FIT_ROWS + SOLUTION_ROWS]
    rows = conds + FIT_ROWS + SOLUTION_ROWS
    unit, left, gap = 0.42, 3.4, 0.8          # inches per row/column; label room and panel gap, in units
    starts, x = [], 0.0
    for _, table in panels:
        starts.append(x)
        x += max(len(table.columns), 1) + gap
    width_units = x - gap
    head = title or f"Configurations ({first.attrs.get('block', '')}, model {first.attrs.get('model', 1)})"
    text_in = max(len(head) * 0.085, len(note or "") * 0.062, 4.8)        # title, note and legend widths
    fig_w = max(unit * (width_units + left + 0.4), text_in + 0.4)
    top = 2.0 if any(h for h, _ in panels) else 1.2
    fig = new_figure(fig_w, unit * (len(rows) + top + 0.4) + 0.9 + (0.3 if note else 0))
    ax = fig.add_subplot()
    ax.set_xlim(-left, max(width_units, fig_w / unit - left - 0.4) - 0.4)
    ax.set_ylim(len(rows) - 0.4, -top)
    ax.set_aspect("equal")
    ax.set_axis_off()
    for i, r in enumerate(rows):
        ax.text(-left + 0.1, i, r, ha="left", va="center", fontsize=8.5,
                fontstyle="italic" if r in FIT_ROWS + SOLUTION_ROWS else "normal")
    for (heading, table), x0 in zip(panels, starts):
        cols = list(table.columns)
        if heading:
            ax.text(x0 + (len(cols) - 1) / 2, -1.5, heading, ha="center", va="center", fontsize=8.5)
        for j, c in enumerate(cols):
            ax.text(x0 + j, -0.7, c, ha="center", va="center", fontsize=9, fontweight="bold")
            for i, r in enumerate(rows):
                v = table.at[r, c] if r in table.index else ""
                if r in conds:
                    if v in _BY_SYMBOL:
                        kind, present = _BY_SYMBOL[v]
                        _draw_symbol(ax, x0 + j, i, kind, present)
                elif isinstance(v, (float, int, np.floating)) and np.isfinite(v):
                    xv = x0 + j if r in FIT_ROWS else x0 + (len(cols) - 1) / 2
                    ax.text(xv, i, f"{v:.3f}", ha="center", va="center", fontsize=8)
    for y in (len(conds) - 0.5, len(conds) + len(FIT_ROWS) - 0.5):
        ax.plot([-left, width_units - 0.4], [y, y], color="0.5", lw=0.6)
    fig.suptitle(head, fontsize=10)
    handles = [Line2D([], [], marker="o", ls="", color="black", markersize=10, label="core present"),
               Line2D([], [], marker="o", ls="", color="black", markersize=5, label="peripheral present"),
               Line2D([], [], marker="$\\otimes$", ls="", color="black", markersize=11, label="core absent"),
               Line2D([], [], marker="$\\oslash$", ls="", color="black", markersize=7, label="peripheral absent")]
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=7, frameon=False,
               title=note, title_fontsize=7)
    return fig
