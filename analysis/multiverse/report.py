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

from ..report.canvas import write_figure
from ..report.tables import save_table, write_json
from .curve import specification_curve

__all__ = ["curve_analyses", "grid_table", "write_multiverse"]


def grid_table(multiverse) -> pd.DataFrame:
    """The choices of a multiverse: one row per choice, the number of its values and the values."""
    rows = [{"choice": g["name"], "kind": g["kind"], "values": len(g["values"]),
             "which": ", ".join(_short(v) for v in g["values"])}
            for g in multiverse.manifest["grid"]]
    return pd.DataFrame(rows, columns=["choice", "kind", "values", "which"])


def _short(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def curve_analyses(analyses) -> list:
    """The analyses the curve shows: those of the positive outcomes."""
    return [a.name for a in analyses if not a.neg_out]


def write_multiverse(multiverse, summary, out, analyses, labels=None):
    """Write the tables, the figure and ``multiverse.json`` into ``out``; return the figure."""
    out = Path(out)
    save_table(summary.findings, out, "multiverse_findings")
    save_table(summary.choices, out, "multiverse_choices")
    save_table(summary.flips, out, "multiverse_flips")
    write_json({"description": multiverse.description, "manifest": multiverse.manifest,
                "findings": summary.findings.to_dict("records")}, out / "multiverse.json")
    fig = specification_curve(summary.curve, multiverse.manifest["grid"], curve_analyses(analyses), labels)
    return write_figure(fig, out, "multiverse_curve")
