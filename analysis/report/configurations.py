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
(2011) groups *neutral permutations*, and stand in that order (1a, 1b, 1c, 2, 3a, ...).  Below
the conditions come each configuration's raw consistency (inclS), PRI, raw coverage (covS) and
unique coverage (covU), and the solution's inclS, PRI and covS.

The charts are at most ``FULL`` = 7 in wide (``canvas.check_fits`` refuses a wider figure).
``configuration_figures`` draws an analysis: its tied models side by side when they fit on one
chart; otherwise the *tied-models chart* (``tied_models_table``): each configuration any tied
model contains once, numbered over all of them, and one row per model with the unique coverage
of the configurations it contains and, at the right, its solution's fit.  Columns or models
beyond what one chart holds go on continuation charts ("continued, 2 of 3").  ``study_chart``
puts the first model of every outcome side by side, in as many bands, one under the other, as
the page's width needs.

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

import pandas as pd
from matplotlib.figure import Figure

from .canvas import FULL, chunks
from .configuration_drawing import Column, Grid, Panel, band_width, column_width, draw_chart
from .configuration_table import configuration_models, configuration_table, fiss_labels, fiss_order
from .format import FIT_ROWS, LEGEND, SOLUTION_ROWS, SYMBOLS, fmt

__all__ = ["configuration_table", "configuration_chart", "configuration_models", "configuration_figures",
           "tied_models_table", "study_chart", "fiss_order", "SYMBOLS", "LEGEND", "FIT_ROWS", "SOLUTION_ROWS",
           "MAX_MODEL_ROWS"]

MAX_MODEL_ROWS = 16        # tied models in one tied-models chart; more go on a continuation chart


_BY_SYMBOL = {v: k for k, v in SYMBOLS.items()}
_TERM_FIT = ["inclS", "PRI", "covS"]            # a configuration's own fit: the same in every model


def _conditions(tables) -> list:
    conds = []
    for t in tables:
        conds += [r for r in t.index if r not in FIT_ROWS + SOLUTION_ROWS and r not in conds]
    return conds


def _symbol(v):
    """A Fiss symbol to draw, or the cell's text (a multi-value condition's ``● 2``), or None."""
    return ("symbol", *_BY_SYMBOL[v]) if v in _BY_SYMBOL else (v or None)


def _cells(table) -> dict:
    """Every cell of ``table`` by ``(row, column)``: read in one pass, not one pandas lookup per
    cell (a lookup in a frame with ``attrs`` copies them)."""
    return {(r, c): v for c, column in zip(table.columns, table.to_numpy(dtype=object).T)
            for r, v in zip(table.index, column)}


def _value(cells: dict, row, col) -> str:
    """The formatted cell ``(row, col)`` of ``_cells``' ``cells``; "" when there is none."""
    return fmt(cells[row, col]) if (row, col) in cells else ""


def _only_tables(tables) -> list:
    """Configuration tables, from a list of them or of ``(suffix, table)`` pairs."""
    return [t[1] if isinstance(t, tuple) else t for t in tables]


def _model_label(table) -> str:
    return f"{table.attrs.get('block', '')} M{table.attrs.get('model', 1)}".strip()


# ------------------------------------------------------------------ charts of single models

def _classic_grid(conds) -> Grid:
    n = len(conds)
    rows = conds + FIT_ROWS + SOLUTION_ROWS
    return Grid(rows=tuple(rows), italic=frozenset(range(n, len(rows))), rules=(n, n + len(FIT_ROWS)))


def _classic_panel(heading, table, conds) -> Panel:
    cells = _cells(table)
    columns = tuple(Column(str(c), tuple(_symbol(cells[r, c]) if (r, c) in cells else None for r in conds)
                           + tuple(_value(cells, r, c) for r in FIT_ROWS) + (None,) * len(SOLUTION_ROWS))
                    for c in table.columns)
    first = table.columns[0] if len(table.columns) else None
    spans = tuple((len(conds) + len(FIT_ROWS) + k, _value(cells, r, first)) for k, r in enumerate(SOLUTION_ROWS))
    return Panel(heading, columns, spans)


def _pieces(grid, panel, col) -> list:
    """``panel`` cut into as few pieces as fit the page, each a panel of its own ("continued")."""
    most = len(panel.columns)
    while most > 1 and band_width(grid, [Panel(panel.heading, panel.columns[:most], panel.spans)], col=col) > FULL:
        most -= 1
    pieces = chunks(len(panel.columns), most)
    return [Panel(panel.heading if k == 0 else f"{panel.heading or ''} (continued)".strip(),
                  tuple(panel.columns[i] for i in chunk), panel.spans) for k, chunk in enumerate(pieces)]


def _bands(grid, panels) -> list:
    """The panels in bands no wider than ``FULL``, in their order (a panel too wide on its own is
    cut into pieces first)."""
    col = column_width(panels)
    bands, current = [], []
    for piece in (q for p in panels for q in _pieces(grid, p, col)):
        if current and band_width(grid, current + [piece], col=col) > FULL:
            bands.append(current)
            current = []
        current.append(piece)
    return bands + [current] if current else bands


def _panels(panels) -> list:
    if isinstance(panels, pd.DataFrame):
        return [(None, panels)]
    return [(heading, table) for heading, table in panels]


def configuration_chart(panels, title: str | None = None, note: str | None = None) -> Figure:
    """Draw configuration tables in Fiss's (2011) notation: circles, crosses and fit rows.

    ``panels`` is one ``configuration_table`` or a list of ``(heading, table)``, drawn side by
    side (the models of one analysis, or the outcomes of a study) with each heading above its
    configurations, in bands one under the other when they do not fit the page's width
    (``FULL``); ``note`` is printed under the chart.  The figure is as large as its content.
    """
    panels = _panels(panels)
    conds = _conditions([t for _, t in panels])
    grid = _classic_grid(conds)
    first = panels[0][1]
    head = title or f"Configurations ({first.attrs.get('block', '')}, model {first.attrs.get('model', 1)})"
    return draw_chart(grid, _bands(grid, [_classic_panel(h, t, conds) for h, t in panels]), head, note)


# -------------------------------------------------------------------------- tied models

def tied_models_table(tables) -> pd.DataFrame:
    """Every configuration of a set of tied models once (columns, numbered over all of them in
    Fiss's order), with its symbols, inclS, PRI and covS; then one row per model (``C1P1 M1``, ...)
    with the configuration's covU in that model where the model contains it ("" where not), and
    the model's solution fit in the columns ``SOLUTION_ROWS``.

    A configuration is its symbols: the same term with other core conditions (an intermediate
    block built on another parsimonious model) is another configuration.
    """
    conds = _conditions(tables)
    cells = {id(t): _cells(t) for t in tables}
    keys, where = [], {}
    for t in tables:
        for c in t.columns:
            key = tuple(cells[id(t)].get((r, c), "") for r in conds)
            if key not in where:
                keys.append(key)
            where.setdefault(key, []).append((t, c))
    cores = [{c: _BY_SYMBOL[v][1] for c, v in zip(conds, key) if v in _BY_SYMBOL and _BY_SYMBOL[v][0] == "core"}
             for key in keys]
    names = fiss_labels(cores)
    order = sorted(range(len(keys)), key=lambda j: fiss_order(names[j]))
    models = [_model_label(t) for t in tables]
    rows = conds + _TERM_FIT + models
    columns = {}
    for j in order:
        t, c = where[keys[j]][0]
        column = dict.fromkeys(rows, "") | dict(zip(conds, keys[j])) | {r: cells[id(t)][r, c] for r in _TERM_FIT}
        for t, c in where[keys[j]]:
            column[_model_label(t)] = cells[id(t)]["covU", c]
        columns[names[j]] = column
    for r in SOLUTION_ROWS:
        columns[r] = dict.fromkeys(rows, "") | {label: cells[id(t)][r, t.columns[0]] for t, label in zip(tables, models)}
    table = pd.DataFrame(columns, index=rows, columns=list(columns), dtype=object)
    table.index.name = "row"
    table.columns.name = "configuration"
    table.attrs.update({"conditions": conds, "models": models, "contains": {
        label: [names[j] for j in order if any(t is tables[k] for t, _ in where[keys[j]])]
        for k, label in enumerate(models)}})
    return table


def _tied_pages(table, label: str) -> list:
    """The tied-models chart of ``tied_models_table``'s ``table``: its title and ``(grid, panels)``
    of every page (columns, then models, beyond what one chart holds on the next)."""
    conds, models = table.attrs["conditions"], table.attrs["models"]
    configs = [c for c in table.columns if c not in SOLUTION_ROWS]
    n = len(conds)
    contains = table.attrs["contains"]
    cells = _cells(table)

    def grid(rows):
        return Grid(rows=tuple(conds + _TERM_FIT + rows), italic=frozenset(range(n, n + 3)), rules=(n, n + 3))

    def config(c, rows):
        column = tuple(_symbol(cells[r, c]) for r in conds) + tuple(_value(cells, r, c) for r in _TERM_FIT)
        column += tuple(_value(cells, m, c) for m in rows)
        return Column(c, column, frozenset(n + 3 + i for i, m in enumerate(rows) if c in contains[m]))

    def solution(rows):
        return Panel("solution", tuple(Column(r.split()[-1], (None,) * (n + 3) + tuple(_value(cells, m, r)
                                                                                      for m in rows))
                                       for r in SOLUTION_ROWS))

    widest = models[:MAX_MODEL_ROWS]
    col = column_width([Panel("configurations", tuple(config(c, widest) for c in configs)), solution(widest)])
    most = len(configs)
    heading = f"configurations {configs[-1]}–{configs[-1]}"          # the widest heading a page can have
    while most > 1 and band_width(grid(widest), [Panel(heading, tuple(config(c, widest) for c in configs[:most])),
                                                 solution(widest)], col=col) > FULL:
        most -= 1
    column_pages, model_pages = chunks(len(configs), most), chunks(len(models), MAX_MODEL_ROWS)
    out = []
    for mp in model_pages:
        rows = [models[i] for i in mp]
        for cp in column_pages:
            shown = [configs[i] for i in cp]
            heading = "configurations" if len(column_pages) == 1 else f"configurations {shown[0]}–{shown[-1]}"
            out.append((grid(rows), [Panel(heading, tuple(config(c, rows) for c in shown)), solution(rows)]))
    title = f"{label}: the {len(configs)} configurations of {len(models)} tied models"
    return title, out


def _tied_note(n_models: int) -> str:
    return (f"One row per tied model ({n_models}): the configuration's unique coverage (covU) in the model where "
            "the model contains it (grey), blank where it does not; at the right the model's solution consistency "
            "(inclS), PRI and coverage (covS). Configurations numbered alike share their core conditions (Fiss 2011).")


def _paged(title: str, k: int, n: int) -> str:
    return title if n == 1 else f"{title} ({k} of {n})" if k == 1 else f"{title} (continued, {k} of {n})"


def configuration_figures(tables, name: str, label: str) -> list:
    """The configuration charts of one analysis: ``(fields, Figure)`` pairs, the fields naming the
    registry's ``configuration_chart`` item (``name``: ``<analysis>``, then ``<analysis>_part2``,
    ...; ``label``).

    ``tables`` are the ``configuration_table`` of every tied model, in model order (or the
    ``(suffix, table)`` pairs of ``report.sufficiency.configuration_tables``).  They are
    drawn side by side when they fit one chart (``FULL`` wide); a single model too wide goes on
    continuation charts; several models that do not fit are drawn as the tied-models chart
    (``tied_models_table``), continued when its columns or models do not fit one chart.
    """
    tables = _only_tables(tables)
    if not tables:
        return []
    several = len(tables) > 1
    conds = _conditions(tables)
    grid = _classic_grid(conds)
    panels = [_classic_panel(_model_label(t) if several else None, t, conds) for t in tables]
    bands = _bands(grid, panels)
    title = f"{label}: configurations" + (f" of {len(tables)} tied models" if several else "")
    if len(bands) == 1 or not several:
        charts = [(grid, band, None) for band in bands]
    else:
        title, tied = _tied_pages(tied_models_table(tables), label)
        charts = [(g, band, _tied_note(len(tables))) for g, band in tied]
    out = []
    for k, (g, band, note) in enumerate(charts, 1):
        fields = {"name": name if k == 1 else f"{name}_part{k}",
                  "label": label if len(charts) == 1 else f"{label} (part {k} of {len(charts)})"}
        out.append((fields, draw_chart(g, [band], _paged(title, k, len(charts)), note)))
    return out


def study_chart(outcomes, title: str = "Configurations of every outcome") -> Figure | None:
    """The first model of every outcome side by side, as articles print them, in bands one under
    the other when they do not fit the page's width; ``outcomes`` is a list of ``(label, tables)``
    (every tied model's ``configuration_table``, or ``configuration_tables``' pairs); None when no
    outcome has one."""
    outcomes = [(label, _only_tables(tables)) for label, tables in outcomes if tables]
    if not outcomes:
        return None
    panels = [(label if len(tables) == 1 else f"{label} (model 1 of {len(tables)})", tables[0])
              for label, tables in outcomes]
    tied = [f"{label} {len(tables)}" for label, tables in outcomes if len(tables) > 1]
    note = (f"Tied models: {', '.join(tied)}; the first of each is shown, every one in the configuration chart of "
            "its analysis." if tied else None)
    return configuration_chart(panels, title=title, note=note)
