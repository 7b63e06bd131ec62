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

__all__ = ["SufficiencyTables", "truth_table_frame", "solutions_frame", "exclusions_frame", "counterfactuals_frame",
           "enhanced_frame", "configuration_cases", "configuration_tables",
           "configuration_chart_of", "study_configuration_chart", "save_sufficiency", "write_solution", "CHART_MODELS"]

CHART_MODELS = 4      # tied models drawn in one chart; every model has its table


@dataclass(frozen=True)
class SufficiencyTables:
    """What ``save_sufficiency`` wrote for one analysis, for display."""

    label: str
    truth_table: pd.DataFrame
    solutions: pd.DataFrame
    cases: pd.DataFrame
    configurations: tuple          # the configuration table of every intermediate block and tied model
    chart: object = None           # the configuration chart of the analysis (a Figure), if any
    exclusions: pd.DataFrame = None       # the rows the enhanced standard analysis excluded, and why
    counterfactuals: pd.DataFrame = None  # SA of each parsimonious model; EC and DC of each block
    enhanced: pd.DataFrame = None         # the standard analysis' models beside the reported ones


def truth_table_frame(r: Sufficiency) -> pd.DataFrame:
    """The observed truth table rows (R's ``truthTable`` columns) with their cases, OUT = 1 first."""
    if r.truth_table is None:
        return pd.DataFrame(columns=["row", "OUT", "n", "incl", "PRI", "cases"])
    t = r.truth_table.table.drop(columns=["code"]).copy()
    for col in ("cases", "DCC"):
        t[col] = t[col].map(lambda cs: ", ".join(cs))
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


def exclusions_frame(r: Sufficiency) -> pd.DataFrame:
    """The rows the enhanced standard analysis kept out of the simplifying assumptions (row, kind,
    reason), with the row's OUT in the truth table ("?" for a remainder without a case)."""
    table = r.exclusions if r.exclusions is not None else pd.DataFrame(columns=["row", "kind", "reason"])
    out = {} if r.truth_table is None else dict(zip(r.truth_table.table.index, r.truth_table.table["OUT"]))
    frame = table.copy()
    frame.insert(1, "observed OUT", [out.get(row, "?") for row in frame["row"]])
    return frame.reset_index(drop=True)


def counterfactuals_frame(r: Sufficiency) -> pd.DataFrame:
    """The remainders the reported solutions rest on: SA of each parsimonious model, EC and DC of
    each intermediate block (R's ``$SA``, ``$EC``, ``$DC``)."""
    if r.solutions is None:
        return pd.DataFrame(columns=["block", "model", "kind", "row"])
    return r.solutions.counterfactuals()


def enhanced_frame(r: Sufficiency) -> pd.DataFrame:
    """What the enhanced standard analysis changed: the models of the parsimonious and
    intermediate solutions without (standard) and with (enhanced) the exclusions."""
    rows = []
    if r.solutions is None or r.standard is None:
        return pd.DataFrame(columns=["solution", "standard analysis", "enhanced standard analysis", "changed"])
    for kind in ("parsimonious", "intermediate"):
        std, enh = (_models_text(sols, kind) for sols in (r.standard, r.solutions))
        rows.append({"solution": kind, "standard analysis": std, "enhanced standard analysis": enh,
                     "changed": "yes" if std != enh else "no"})
    return pd.DataFrame(rows)


def _models_text(sols, kind) -> str:
    blocks = [sols.parsimonious] if kind == "parsimonious" else list(sols.intermediate)
    models = sorted({m.expression for b in blocks for m in b.models})
    return " | ".join(models) if models else "no solution"


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


def configuration_tables(r: Sufficiency) -> list:
    """(suffix, table) for every intermediate block and tied model (Fiss 2011 notation); the
    suffix (``_C1P2_M1``) names the model when there is more than one."""
    if r.solutions is None or not r.solutions.intermediate:
        return []
    pairs = configuration_models(r.solutions)
    return [("" if len(pairs) == 1 else f"_{block}_M{model}",
             configuration_table(r.solutions, list(r.analysis.conditions), block=block, model=model))
            for block, model in pairs]


def _panel_heading(label, table, several: bool) -> str:
    return f"{label} ({table.attrs['block']} M{table.attrs['model']})" if several else label


def configuration_chart_of(tables: list, label: str, heading_label: bool = False):
    """One chart of an analysis's tied models (at most ``CHART_MODELS`` of them, the others named
    in a note): the panels side by side."""
    shown = tables[:CHART_MODELS]
    several = len(tables) > 1
    panels = [(_panel_heading(label if heading_label else "", t, several) if several or heading_label else None, t)
              for _, t in shown]
    note = (f"{len(tables) - len(shown)} more tied model(s) in tables/configurations_*" if len(tables) > len(shown)
            else None)
    title = f"{label}: configurations" + (f" of {len(tables)} tied models" if several else "")
    return configuration_chart(panels, title=title, note=note)


def study_configuration_chart(results, out, title: str = "Configurations of every outcome"):
    """The configuration charts of every (positive) outcome of a study side by side, as articles
    print them: ``figures/configurations.png``; None when no outcome has an intermediate solution."""
    panels, left_out = [], 0
    for r in results:
        if r.analysis.neg_out:
            continue
        tables = configuration_tables(r)
        several = len(tables) > 1
        for _, t in tables[:CHART_MODELS]:
            panels.append((_panel_heading(r.label, t, several), t))
        left_out += max(len(tables) - CHART_MODELS, 0)
    if not panels:
        return None
    note = f"{left_out} more tied model(s) in tables/configurations_*" if left_out else None
    return write_figure(configuration_chart(panels, title=title, note=note), out, "configurations")


def save_sufficiency(r: Sufficiency, calibrated: pd.DataFrame, out) -> SufficiencyTables:
    """Write every table, the chart and the JSON of one analysis; return the tables for display."""
    tables = configuration_tables(r)
    for suffix, table in tables:
        save_table(table, out, f"configurations_{r.name}{suffix}", index=True,
                   caption=f"Configurations for {r.label}{',' + suffix.replace('_', ' ') if suffix else ''} (Fiss 2011)")
    chart = write_figure(configuration_chart_of(tables, r.label), out, f"configurations_{r.name}") if tables else None
    shown = SufficiencyTables(label=r.label,
                              truth_table=save_table(truth_table_frame(r), out, f"truth_table_{r.name}",
                                                    caption=f"Truth table for {r.label} (observed rows)"),
                              solutions=save_table(solutions_frame(r), out, f"solutions_{r.name}",
                                                  caption=f"Solutions for {r.label}: every model, term by term"),
                              cases=save_table(configuration_cases(r, calibrated), out, f"cases_{r.name}",
                                              caption=f"Typical and deviant cases of each configuration for {r.label}"),
                              configurations=tuple(t.map(lambda v: v if isinstance(v, str) else fmt(v))
                                                   for _, t in tables),
                              chart=chart,
                              exclusions=save_table(exclusions_frame(r), out, f"esa_{r.name}",
                                                    caption=f"Rows kept out of the simplifying assumptions for "
                                                            f"{r.label} (enhanced standard analysis)"),
                              counterfactuals=save_table(counterfactuals_frame(r), out, f"counterfactuals_{r.name}",
                                                         caption=f"Simplifying assumptions, easy and difficult "
                                                                 f"counterfactuals for {r.label}"),
                              enhanced=save_table(enhanced_frame(r), out, f"esa_changes_{r.name}",
                                                  caption=f"Standard and enhanced standard analysis for {r.label}"))
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
        body = {"outcome": a.label, "error": r.error, **a.cuts.as_args()}
    body.update(analysis=a.name, dir_exp=a.expectations, warnings=list(r.warnings))
    return write_json(body, Path(out) / "solutions" / f"{a.name}.json", digits=12)
