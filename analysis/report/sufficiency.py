"""The tables, figures and JSON of one sufficiency analysis (step 4 of a study).

For an analysis (``analysis.analyses.Sufficiency``): its observed truth-table rows
(``truth_table_frame``), the rows the enhanced standard analysis excluded and what it changed
(``exclusions_frame``, ``enhanced_frame``), every tied model of every solution term by term
(``solutions_frame``), the remainders the solutions rest on (``counterfactuals_frame``), the
cases and matched pairs for case studies of every tied model (``case_selection``: SetMethods'
``smmr``; Schneider & Rohlfing 2013), the configuration chart of every intermediate block and
model (Fiss 2011; ``analysis.report.configurations``) and the engine's JSON document
(``write_solution``).  ``sufficiency_tables`` gives the tables of one analysis under the keys of
the caption registry (``analysis.report.captions``); the notebook saves and shows them.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analyses import Sufficiency
from ..qca import document, smmr
from .configurations import configuration_chart, configuration_models, configuration_table
from .format import fmt
from .tables import write_json

__all__ = ["truth_table_frame", "solutions_frame", "exclusions_frame", "counterfactuals_frame",
           "enhanced_frame", "case_selection", "configuration_tables", "sufficiency_tables", "configuration_figure",
           "displayed",
           "configuration_chart_of", "study_configuration_chart", "write_solution", "CHART_MODELS"]

CHART_MODELS = 4      # tied models drawn in one chart; every model has its table


SINGLE = ["model", "type", "term", "focal", "rank", "case", "membership", "outcome", "best"]
PAIRED = ["model", "type", "term", "focal", "rank", "case1", "case2", "best"]


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
    ``(model)`` per model (no covU), as R's ``minimize`` prints them; identical intermediate
    blocks once, as R prints them ("From C1P1, C1P2": block ``C1P1, C1P2``).
    """
    if r.solutions is None:
        return pd.DataFrame(columns=["solution", "block", "model", "term", "inclS", "PRI", "covS", "covU", "cases"])
    frames = []
    groups = [((), r.solutions.complex), ((), r.solutions.parsimonious)] + r.solutions.intermediate_groups()
    for labels, block in groups:
        t = block.fit_table()
        if labels:
            t["block"] = ", ".join(labels)
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


def case_selection(r: Sufficiency, match: bool = False) -> pd.DataFrame:
    """Cases for case studies of every tied model of the reported (intermediate, else
    parsimonious) solution, as SetMethods' ``smmr`` selects and ranks them (Schneider & Rohlfing
    2013): single cases (typical, typical per focal conjunct, deviant consistency and coverage,
    individually irrelevant) or, with ``match``, matched pairs for comparison."""
    columns = PAIRED if match else SINGLE
    sols = r.solutions
    if sols is None or sols.undefined:
        return pd.DataFrame(columns=columns)
    target = sols if sols.intermediate else sols.parsimonious
    found = smmr(target, r.truth_table, cases="all", match=match)
    if found.empty:
        return pd.DataFrame(columns=columns)
    if not match:
        found = found.assign(membership=found["term_membership"].fillna(found["solution_membership"])
                             if "solution_membership" in found else found["term_membership"])
    return found.reindex(columns=columns)


def configuration_tables(r: Sufficiency) -> list:
    """(suffix, table) for every intermediate block and tied model (Fiss 2011 notation); the
    suffix (``_C1P2_M1``) names the model when there is more than one.  Identical tables of
    several blocks (the same model with the same core conditions) are one, its block named
    ``C1P1, C1P2`` as R prints identical blocks."""
    if r.solutions is None or not r.solutions.intermediate:
        return []
    tables = []
    for block, model in configuration_models(r.solutions):
        table = configuration_table(r.solutions, list(r.analysis.conditions), block=block, model=model)
        same = next((t for t in tables if t.attrs["model"] == model and t.equals(table)), None)
        if same is None:
            tables.append(table)
        else:
            same.attrs["block"] += f", {block}"
    return [("" if len(tables) == 1 else f"_{t.attrs['block'].split(',')[0]}_M{t.attrs['model']}", t)
            for t in tables]


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


def study_configuration_chart(results, title: str = "Configurations of every outcome"):
    """The configuration charts of every (positive) outcome of a study side by side, as articles
    print them (the registry's ``study_chart``); None when no outcome has an intermediate solution."""
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
    return configuration_chart(panels, title=title, note=note)


def sufficiency_tables(r: Sufficiency) -> list:
    """Every table of one analysis as ``(registry key, table, fields)``, in the order the
    notebook shows them; the configuration tables (one per intermediate block and tied model)
    last, formatted for display."""
    fields = {"name": r.name, "label": r.label}
    esa = [("esa", exclusions_frame(r), fields), ("esa_changes", enhanced_frame(r), fields)] \
        if r.analysis.esa.applies else []          # (a study that turns it off has nothing to show)
    out = [("truth_table", truth_table_frame(r), fields), *esa, ("solutions", solutions_frame(r), fields),
           ("counterfactuals", counterfactuals_frame(r), fields), ("cases", case_selection(r), fields),
           ("pairs", case_selection(r, match=True), fields)]
    for suffix, table in configuration_tables(r):
        out.append(("configurations", table, {**fields, "suffix": suffix, "block": table.attrs["block"],
                                              "model": table.attrs["model"]}))
    return out


def configuration_figure(r: Sufficiency):
    """The configuration chart of one analysis (every tied model side by side, up to
    ``CHART_MODELS``), or None when it has no intermediate solution."""
    tables = configuration_tables(r)
    return configuration_chart_of(tables, r.label) if tables else None


def displayed(table: pd.DataFrame) -> pd.DataFrame:
    """A configuration table as the notebook shows it: every number written with 3 decimals."""
    return table.map(lambda v: v if isinstance(v, str) else fmt(v))


def write_solution(r: Sufficiency, out) -> Path:
    """``solutions/<name>.json``: the engine's JSON document (``analysis.qca.document``: truth
    table, necessity, solutions, thresholds) with the analysis, its expectations and warnings and
    what the enhanced standard analysis did (``enhanced``: the rows it excluded and why, the
    standard and enhanced models);
    for an analysis without a solution, the cut-offs and the reason."""
    a = r.analysis
    if r.solutions is not None:
        body = document(r.truth_table, r.necessity, r.solutions)
        body["enhanced"] = {"excluded": exclusions_frame(r).to_dict(orient="records"),
                            "changes": enhanced_frame(r).to_dict(orient="records")}
        if r.error:                              # some solutions do not exist: said, with the others
            body["error"] = r.error
    else:
        body = {"outcome": a.label, "error": r.error, **a.cuts.as_args()}
    body.update(analysis=a.name, dir_exp=a.expectations, warnings=list(r.warnings))
    return write_json(body, Path(out) / "solutions" / f"{a.name}.json", digits=12)
