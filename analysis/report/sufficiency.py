"""The tables, figures and JSON of one sufficiency analysis (step 4 of a study).

For an analysis (``analysis.analyses.Sufficiency``): its observed truth-table rows
(``truth_table_frame``), every tied model of every solution term by term
(``solutions_frame``), the typical and deviant cases of every intermediate configuration
(``configuration_cases``; Schneider & Rohlfing 2013), the configuration chart of every
intermediate block and model (Fiss 2011; ``analysis.report.configurations``) and the engine's
JSON document (``write_solution``).  ``save_sufficiency`` writes them all and returns them for
display.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..analyses import Sufficiency
from ..qca import document, term_membership
from .configurations import configuration_chart, configuration_models, configuration_table
from .figures import write_figure
from .tables import fmt, save_table, write_json

__all__ = ["SufficiencyTables", "truth_table_frame", "solutions_frame", "configuration_cases", "configuration_charts",
           "save_sufficiency", "write_solution"]


@dataclass(frozen=True)
class SufficiencyTables:
    """What ``save_sufficiency`` wrote for one analysis, for display."""

    label: str
    truth_table: pd.DataFrame
    solutions: pd.DataFrame
    cases: pd.DataFrame
    configurations: tuple          # (table, figure) per intermediate block and tied model


def truth_table_frame(r: Sufficiency) -> pd.DataFrame:
    """The observed truth table rows (R's ``truthTable`` columns) with their cases, OUT = 1 first."""
    if r.truth_table is None:
        return pd.DataFrame(columns=["row", "OUT", "n", "incl", "PRI", "cases"])
    t = r.truth_table.table.drop(columns=["code"]).copy()
    t["cases"] = t["cases"].map(lambda cs: ", ".join(cs))
    t.insert(0, "row", t.index)
    t.index.name = None
    return t.sort_values(["OUT", "incl", "row"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def solutions_frame(r: Sufficiency) -> pd.DataFrame:
    """Every tied model of the complex, parsimonious and intermediate solutions, term by term.

    One row per term (inclS, PRI, covS, covU, cases of the positive rows it covers) and one row
    ``(model)`` per model, as R's ``minimize`` prints them.
    """
    if r.solutions is None:
        return pd.DataFrame(columns=["solution", "block", "model", "term", "inclS", "PRI", "covS", "covU", "cases"])
    frames = []
    for block in [r.solutions.complex, r.solutions.parsimonious] + list(r.solutions.intermediate):
        t = block.fit_table()
        t.insert(0, "solution", block.kind)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def configuration_cases(r: Sufficiency, calibrated: pd.DataFrame) -> pd.DataFrame:
    """Cases of every intermediate configuration (Schneider & Rohlfing 2013).

    ``typical``: membership above 0.5 in the term and in the outcome; ``deviant``: above 0.5 in
    the term but below 0.5 in the outcome (deviant cases consistency in kind).
    """
    rows = []
    if r.solutions is None:
        return pd.DataFrame(columns=["block", "model", "term", "typical", "deviant"])
    y = calibrated[r.analysis.outcome].to_numpy(dtype=float)
    if r.analysis.neg_out:
        y = 1 - y
    names = np.array([str(c) for c in calibrated.index], dtype=object)
    for block in r.solutions.intermediate:
        for i, m in enumerate(block.models, 1):
            for term, row in zip(m.terms, m.term_fit.itertuples()):
                x = term_membership(calibrated, term)
                rows.append({"block": block.label, "model": f"M{i}", "term": row.term,
                             "typical": ", ".join(names[(x > 0.5) & (y > 0.5)]),
                             "deviant": ", ".join(names[(x > 0.5) & (y < 0.5)])})
    return pd.DataFrame(rows, columns=["block", "model", "term", "typical", "deviant"])


def configuration_charts(r: Sufficiency) -> list:
    """(suffix, table, figure) for every intermediate block and tied model (Fiss 2011 notation)."""
    out = []
    if r.solutions is None or not r.solutions.intermediate:
        return out
    pairs = configuration_models(r.solutions)
    for block, model in pairs:
        table = configuration_table(r.solutions, list(r.analysis.conditions), block=block, model=model)
        suffix = "" if len(pairs) == 1 else f"_{block}_M{model}"
        fig = configuration_chart(table, title=f"{r.label}: configurations ({block}, model {model})")
        out.append((suffix, table, fig))
    return out


def save_sufficiency(r: Sufficiency, calibrated: pd.DataFrame, out) -> SufficiencyTables:
    """Write every table, figure and the JSON of one analysis; return the tables for display."""
    configurations = []
    for suffix, table, fig in configuration_charts(r):
        save_table(table, out, f"configurations_{r.name}{suffix}", index=True)
        write_figure(fig, out, f"configurations_{r.name}{suffix}")
        configurations.append((table.map(lambda v: v if isinstance(v, str) else fmt(v)), fig))
    shown = SufficiencyTables(label=r.label,
                              truth_table=save_table(truth_table_frame(r), out, f"truth_table_{r.name}"),
                              solutions=save_table(solutions_frame(r), out, f"solutions_{r.name}"),
                              cases=save_table(configuration_cases(r, calibrated), out, f"cases_{r.name}"),
                              configurations=tuple(configurations))
    write_solution(r, out)
    return shown


def write_solution(r: Sufficiency, out) -> Path:
    """``solutions/<name>.json``: the engine's JSON document (``analysis.qca.document``: truth
    table, necessity, solutions, thresholds) with the analysis, its expectations and warnings;
    for an analysis without a solution, the cut-offs and the reason."""
    a = r.analysis
    if r.solutions is not None:
        body = document(r.truth_table, r.necessity, r.solutions)
        if r.error:                              # some solutions do not exist: said, with the others
            body["error"] = r.error
    else:
        body = {"outcome": a.label, "error": r.error, **a.cuts}
    body.update(analysis=a.name, dir_exp=a.expectations, warnings=list(r.warnings))
    return write_json(body, Path(out) / "solutions" / f"{a.name}.json", digits=12)
