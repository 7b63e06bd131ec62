"""The multiverse's tables and figure, written where a run's other tables and figures go.

``tables/multiverse_findings``  share of specifications in which each finding holds
``tables/multiverse_choices``   the same by value of every choice
``tables/multiverse_flips``     which choices flip which findings (``summary.flips``)
``figures/multiverse_curve``    the specification curve (``curve.specification_curve``)
``multiverse.json``             what ran: the grid, the sample, the counts
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..report.canvas import save_figure
from ..report.tables import save_table, write_json
from .curve import specification_curve

__all__ = ["curve_analyses", "grid_table", "multiverse_tables", "multiverse_figure", "write_multiverse_json",
           "write_multiverse"]


def grid_table(grid) -> pd.DataFrame:
    """The choices of a multiverse's grid (``analysis.multiverse.grid.Grid``): one row per choice,
    the number of its values and the values."""
    rows = [{"choice": c.name, "kind": c.kind, "values": len(c.values), "which": ", ".join(_short(v) for v in c.values)}
            for c in grid.choices]
    return pd.DataFrame(rows, columns=["choice", "kind", "values", "which"])


def _short(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def curve_analyses(analyses) -> list:
    """The analyses the curve shows: those of the positive outcomes."""
    return [a.name for a in analyses if not a.neg_out]


def multiverse_tables(summary) -> list:
    """The written tables of the multiverse as ``(registry key, table)``."""
    return [("multiverse_findings", summary.findings), ("multiverse_choices", summary.choices),
            ("multiverse_flips", summary.flips)]


def multiverse_figure(multiverse, summary, analyses, labels=None):
    """The specification curve of the positive outcomes' analyses."""
    return specification_curve(summary.curve, multiverse.manifest["grid"], curve_analyses(analyses), labels)


def write_multiverse_json(multiverse, summary, out) -> Path:
    """``multiverse.json``: what ran (the grid, the sample, the counts) and the findings' shares."""
    return write_json({"description": multiverse.description, "manifest": multiverse.manifest,
                       "findings": summary.findings.to_dict("records")}, Path(out) / "multiverse.json")


def write_multiverse(multiverse, summary, out, analyses, labels=None):
    """Everything at once, for the command line: the tables, the figure and ``multiverse.json``
    into ``out``; return the figure."""
    for key, table in multiverse_tables(summary):
        save_table(table, out, key)
    fig = multiverse_figure(multiverse, summary, analyses, labels)
    save_figure(fig, out, "multiverse_curve")
    write_multiverse_json(multiverse, summary, out)
    return fig
