"""The robustness protocol's results as tidy tables, and the files of step 5.

For ``{analysis: Robustness}`` (``analysis.robustness.protocol.run_protocol``): one row per
analysis (``robustness_summary``), the sensitivity ranges, every test solution, the case types,
every case's memberships and type, the core stability (``robustness_tables``), the two figures
(``robustness_figures``), and the files of every analysis: ``write_robustness`` writes
``robustness/<analysis>_memberships.csv`` (case, Y, IS, TS1..TSk, 6 decimals) and
``robustness/<analysis>_fit.json`` (every measure, for R's SetMethods and qcaERT to be held
against).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..report.figures import range_plot, robustness_xy_plot
from ..report.format import CSV_FLOAT
from ..report.tables import write_json
from .measures import CASE_TYPES

__all__ = ["robustness_summary", "robustness_ranges", "robustness_tests", "robustness_case_types",
           "robustness_cases", "core_stability_table", "fit_record", "robustness_tables", "robustness_figures",
           "write_robustness"]


def robustness_summary(R: dict) -> pd.DataFrame:
    """One row per analysis: the initial solution, tests, RF_* measures, RCR_typ, RCR_dev, RCC_Rank."""
    return pd.DataFrame([{**r.summary(), "initial solution": _initial_text(r)} for r in R.values()])


def _initial_text(r) -> str:
    if r.initial.status != "ok":
        return "(no solution)"
    return "; ".join(r.initial.texts)


def robustness_ranges(R: dict) -> pd.DataFrame:
    """The sensitivity ranges of every analysis (one row per analysis and parameter)."""
    return pd.concat([r.ranges for r in R.values()], ignore_index=True)


def robustness_tests(R: dict) -> pd.DataFrame:
    """Every test solution of every analysis: what changed, the solution, its core conditions."""
    frames = []
    for r in R.values():
        t = r.tests_frame()
        t.insert(0, "analysis", r.label)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def robustness_case_types(R: dict) -> pd.DataFrame:
    """Counts of the eight case types (and unclassified) for every analysis."""
    rows = [{"analysis": r.label, **r.ratios.case_types} for r in R.values()]
    return pd.DataFrame(rows, columns=["analysis", *CASE_TYPES, "unclassified"])


def _stacked(R: dict, attribute: str) -> pd.DataFrame:
    """One table per analysis (``attribute`` of each result), stacked with an ``analysis`` column."""
    frames = []
    for r in R.values():
        t = getattr(r, attribute).copy()
        t.insert(0, "analysis", r.label)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def robustness_cases(R: dict) -> pd.DataFrame:
    """Every case's Y, IS, minTS, maxTS and type, for every analysis."""
    return _stacked(R, "types")


def core_stability_table(R: dict) -> pd.DataFrame:
    """For each core condition of each initial solution: the share of test solutions keeping it core."""
    return _stacked(R, "stability")


def fit_record(r, synthetic: bool) -> dict:
    """Everything ``robustness/<analysis>_fit.json`` records for one analysis."""
    return {"analysis": r.name, "outcome": r.label, "synthetic": bool(synthetic),
            "solution": r.solution, "ties": r.ties, "n_cases": int(len(r.memberships)),
            "initial_solution": list(r.initial.texts),
            "initial_status": r.initial.status,
            "tests": [{"name": s.name, "change": s.change, "description": s.description,
                       "status": t.status, "models": list(t.texts),
                       "same_as_IS": t.signature == r.initial.signature} for s, t in r.tests],
            **r.fit.to_dict(), "case_types": r.ratios.case_types, "RCR_typ": r.ratios.RCR_typ,
            "RCR_dev": r.ratios.RCR_dev, "RCC_Rank": r.ratios.RCC_Rank,
            "sensitivity_ranges": r.ranges.drop(columns=["analysis"]).to_dict(orient="records"),
            "core_stability": r.stability.to_dict(orient="records")}


def robustness_tables(R: dict) -> list:
    """Every written table of step 5 as ``(registry key, table)`` (``analysis.report.captions``)."""
    return [("robustness_summary", robustness_summary(R)), ("robustness_ranges", robustness_ranges(R)),
            ("robustness_tests", robustness_tests(R)), ("robustness_case_types", robustness_case_types(R)),
            ("robustness_cases", robustness_cases(R)), ("core_stability", core_stability_table(R))]


def robustness_figures(R: dict, max_steps: int | None = None) -> dict:
    """The two figures of step 5: the sensitivity ranges and the robustness XY plots."""
    return {"robustness_ranges_figure": range_plot(robustness_ranges(R), max_steps=max_steps),
            "robustness_xy": robustness_xy_plot({_panel_title(r): r.types for r in R.values()})}


def _panel_title(r) -> str:
    """A robustness XY panel's title: the analysis, RF_SC_minTS and RCC_Rank; RF_SC_minTS, a
    ratio with the initial solution's cases, is undefined (shown as '–') when it covers none."""
    v = r.fit.RF_SC_minTS
    shown = "– (IS empty)" if v != v else f"{v:.2f}"
    return f"{r.label} (RF_SC_minTS {shown}, RCC_Rank {r.ratios.RCC_Rank})"


def write_robustness(R: dict, out, synthetic: bool) -> list:
    """Write ``robustness/<analysis>_memberships.csv`` (case, Y, IS, TS1..TSk, 6 decimals) and
    ``robustness/<analysis>_fit.json`` (every measure) of each analysis; return their paths."""
    folder = Path(out) / "robustness"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in R.values():
        paths.append(folder / f"{r.name}_memberships.csv")
        r.memberships.to_csv(paths[-1], index=False, float_format=CSV_FLOAT, lineterminator="\n")
        paths.append(write_json(fit_record(r, synthetic), folder / f"{r.name}_fit.json"))
    return paths
