"""The reproducible pipeline: ``python -m analysis.pipeline [--study FILE] [--data CSV] [--set k=v] [--out DIR]``.

A research compendium should regenerate every reported number from the raw data with one
command and leave a record a reader can check (Marwick, Boettiger & Mullen 2018, "Packaging
data analytical work reproducibly using R (and friends)", *The American Statistician*).  The
pipeline does this for an fsQCA study in the order of the standard protocol (Schneider &
Wagemann 2012, ch. 11; Oana, Schneider & Thomann 2021, *Qualitative Comparative Analysis Using
R*, ch. 1):

1. ``notebooks/01_data.ipynb``         validate the raw data against the codebook, build the
                                       measures, Cronbach's alpha;
2. ``notebooks/02_calibration.ipynb``  direct calibration (Ragin 2008, ch. 5), skewness checks;
3. ``notebooks/03_necessity.ipynb``    necessity of single conditions and of disjunctions,
                                       analysed before sufficiency (Schneider & Wagemann 2012,
                                       ch. 9; Dusa 2019, ch. 5);
4. ``notebooks/04_sufficiency.ipynb``  truth tables, complex / parsimonious / intermediate
                                       solutions with every tied model (Ragin 2008, ch. 7-9;
                                       Dusa 2019, ch. 7-8), configuration charts (Fiss 2011)
                                       and the claims ledger (``analysis.claims``);
5. ``notebooks/05_robustness.ipynb``   the robustness test protocol of Oana & Schneider (2024):
                                       sensitivity ranges, test solutions, fit- and
                                       case-oriented robustness, stability of core conditions
                                       (``analysis.robustness``, run in parallel by
                                       ``analysis.sweep``); completes the ledger's
                                       ``stable_core`` claims.

Each notebook reads only what the step before it saved under the output folder, so a step can
be re-run and inspected on its own.  The pipeline first validates the study file, the data and
the parameters (so that a typo fails in a second, not after three notebooks), then executes the
notebooks with papermill into a temporary folder next to ``--out`` and moves it into place only
when every notebook succeeded: a failed run leaves the previous results untouched.  Tables,
JSON and Markdown are written without timestamps, with sorted keys and fixed float formats, so
the same input gives byte-identical files; figures are written by ``analysis.charts``.

Output (``--out``, default ``results``)::

    executed/NN_*.ipynb        the executed notebooks
    figures/*.png, *.svg       calibration, XY plots, configuration charts
    tables/*.csv, *.md, *.tex  every table (CSV: 6 decimals; Markdown / LaTeX: 3 decimals)
    tables/calibrated.csv      the memberships: case, conditions, outcomes
    solutions/<analysis>.json  MPV, notMPV, PPV, notPPV (the engine's JSON, with thresholds)
    robustness/<analysis>_memberships.csv   case, Y, IS, TS1..TSk (6 decimals)
    robustness/<analysis>_fit.json          RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS, case types,
                                            RCR_typ, RCR_dev, RCC_Rank, sensitivity ranges, ...
    findings.md, findings.json claims ledger, solutions, thresholds, data checksum, versions

The functions below the command line are the building blocks the notebooks call, so that the
notebooks hold prose and calls only.  Bad input prints one line ``error: ...`` and exits 2.

The raw data are never written: the files of a ``raw/`` folder are checked at every run against
the SHA-256 sums recorded next to them in ``SHA256SUMS`` (``sha256sum`` format); after a
deliberate replacement ``python -m analysis.pipeline --record-checksums`` records them anew (the
only write next to the raw data, and only of that file).  ``--out`` may not lie in a raw folder
nor hold the study, data or code.  SIGTERM, SIGHUP and Ctrl-C remove the temporary folder and
leave the previous results as they were; so does SIGKILL (the next run removes the leftover).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import charts
from .claims import DEFERRED_TYPES, evaluate_claims, outcome_key, validate_claims
from .errors import QCAError
from .fit import necessity_table, sufficiency
from .qca import analyse
from .sets import term_membership
from .solutions import solve
from .truthtable import truth_table

__all__ = ["main", "run", "PARAMETERS", "resolve_parameters", "display_setup", "notice", "save_table",
           "read_table", "write_json", "codebook", "descriptives", "provenance", "calibration_summary",
           "analyses", "necessity_analysis", "strongest_conditions", "necessary_disjunctions",
           "sufficiency_analysis", "truth_table_frame", "solutions_frame", "configuration_cases",
           "write_solution", "save_analysis", "anchors", "calibration_figure", "xy_plots", "read_json",
           "findings_markdown", "ledger", "findings", "write_findings", "package_versions",
           "robustness", "robustness_summary", "robustness_ranges", "robustness_tests", "robustness_case_types",
           "robustness_cases", "core_stability_table", "save_robustness", "complete_ledger", "validate",
           "verify_checksums", "record_checksums", "CHECKSUMS"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STUDY = ROOT / "data" / "ppip" / "study.yml"
NOTEBOOKS = ROOT / "notebooks"

# name: (kind, low, high, meaning) -- the parameters ``--set`` may change.
PARAMETERS = {
    "incl_cut": ("number", 0.5, 1.0, "sufficiency consistency a truth table row needs for OUT = 1"),
    "pri_cut": ("number", 0.0, 1.0, "PRI a truth table row needs for OUT = 1"),
    "n_cut": ("integer", 1, None, "cases a row needs not to be a logical remainder"),
    "necessity_incl": ("number", 0.5, 1.0, "inclN a condition needs to count as necessary"),
    "necessity_ron": ("number", 0.0, 1.0, "RoN a necessary condition needs to be relevant"),
}
CSV_FLOAT = "%.6f"
TEXT_DIGITS = 3
PACKAGES = ("ppip-fsqca", "numpy", "pandas", "scipy", "matplotlib", "pyyaml", "papermill", "nbclient",
            "ipykernel")


# ------------------------------------------------------------------------------- parameters

def _parameter(name, value):
    if name not in PARAMETERS:
        raise QCAError(f"unknown parameter {name!r}; allowed: {', '.join(PARAMETERS)}")
    kind, low, high, meaning = PARAMETERS[name]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QCAError(f"parameter {name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise QCAError(f"parameter {name} must be a finite number, got {value!r}")
    if kind == "integer":
        if isinstance(value, bool) or not number.is_integer():
            raise QCAError(f"parameter {name} must be a whole number, got {value!r}")
        number = int(number)
    if number < low or (high is not None and number > high):
        where = f"[{low:g}, {high:g}]" if high is not None else f"at least {low:g}"
        raise QCAError(f"parameter {name} ({meaning}) must be {'in ' if high is not None else ''}{where}, "
                       f"got {value!r}")
    return number


def resolve_parameters(study, **given) -> dict:
    """The thresholds of a run: the study's values, replaced by any given (not None) value.

    Every name must be one of ``PARAMETERS`` and every value inside its range (``QCAError``
    otherwise, naming the parameter and the allowed names or range).
    """
    out = {}
    for name in PARAMETERS:
        value = given.get(name)
        out[name] = _parameter(name, study.thresholds[name] if value is None else value)
    unknown = [k for k in given if k not in PARAMETERS]
    if unknown:
        raise QCAError(f"unknown parameter {unknown[0]!r}; allowed: {', '.join(PARAMETERS)}")
    return out


def _parse_sets(items) -> dict:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise QCAError(f"--set needs NAME=VALUE, got {item!r}; names: {', '.join(PARAMETERS)}")
        name, value = (s.strip() for s in item.split("=", 1))
        if name not in PARAMETERS:
            raise QCAError(f"--set: unknown parameter {name!r}; allowed: {', '.join(PARAMETERS)}")
        out[name] = _parameter(name, value)
    return out


# ---------------------------------------------------------------------- writing, determinism

def display_setup() -> None:
    """Pandas display options of the notebooks: 3 decimals, wide tables, no truncation."""
    pd.set_option("display.precision", TEXT_DIGITS)
    pd.set_option("display.float_format", lambda v: f"{v:.{TEXT_DIGITS}f}")
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.width", 160)


def _fmt(v, digits):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (float, np.floating)):
        return "" if not math.isfinite(v) else f"{v:.{digits}f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return "" if v is None else str(v)


def _is_numeric(col: pd.Series) -> bool:
    values = col.dropna()
    return len(values) > 0 and all(isinstance(v, (int, float, np.integer, np.floating))
                                   and not isinstance(v, (bool, np.bool_)) for v in values)


def _markdown(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    cells = [[_fmt(v, TEXT_DIGITS).replace("|", "\\|").replace("\n", " ") for v in row]
             for row in df.itertuples(index=False)]
    numeric = [_is_numeric(df[c]) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |",
             "| " + " | ".join("---:" if n else ":---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(lines) + "\n"


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "●": r"$\CIRCLE$", "•": r"$\bullet$", "⊗": r"$\otimes$", "⊘": r"$\oslash$"}


def _tex_escape(text: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in text)


def _latex(df: pd.DataFrame) -> str:
    numeric = [_is_numeric(df[c]) for c in df.columns]
    lines = [r"\begin{tabular}{" + "".join("r" if n else "l" for n in numeric) + "}", r"\toprule",
             " & ".join(_tex_escape(str(c)) for c in df.columns) + r" \\", r"\midrule"]
    for row in df.itertuples(index=False):
        lines.append(" & ".join(_tex_escape(_fmt(v, TEXT_DIGITS)) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    return "\n".join(lines) + "\n"


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: _fmt(v, 6) if not isinstance(v, str) else v)
    return out


def save_table(df: pd.DataFrame, out, name: str, index: bool = False) -> pd.DataFrame:
    """Write ``tables/<name>.csv`` (6 decimals), ``.md`` and ``.tex`` (3 decimals); return the table.

    With ``index=True`` the index becomes the first column (e.g. ``case``).
    """
    table = df.reset_index() if index else df.reset_index(drop=True)
    folder = Path(out) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    _csv_ready(table).to_csv(folder / f"{name}.csv", index=False, float_format=CSV_FLOAT, lineterminator="\n")
    (folder / f"{name}.md").write_text(_markdown(table), encoding="utf-8")
    (folder / f"{name}.tex").write_text(_latex(table), encoding="utf-8")
    return df


def read_table(out, name: str, index: str | None = None) -> pd.DataFrame:
    """Read ``tables/<name>.csv`` written by an earlier step (``index``: column to index by)."""
    path = Path(out) / "tables" / f"{name}.csv"
    if not path.is_file():
        raise QCAError(f"{path}: not found; run the earlier notebooks (or the pipeline) first")
    df = pd.read_csv(path, dtype={index: str} if index else None)
    return df.set_index(index) if index else df


def _rounded(obj, digits=6):
    if isinstance(obj, dict):
        return {str(k): _rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_rounded(v, digits) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return round(float(obj), digits) if math.isfinite(obj) else None
    return obj


def write_json(obj, path, digits: int = 6) -> Path:
    """Write JSON with sorted keys, floats rounded to ``digits`` decimals, a final newline."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_rounded(obj, digits), indent=1, sort_keys=True, ensure_ascii=False,
                               allow_nan=False) + "\n", encoding="utf-8")
    return path


def save_figure(fig, out, name: str) -> None:
    """Write ``figures/<name>.png`` and ``.svg`` (byte-identical across runs)."""
    charts.save_figure(fig, Path(out) / "figures", name)


# --------------------------------------------------------------------------- step 1: data

def notice(study):
    """The notice cell: a warning box when the study's data are a synthetic stand-in."""
    from IPython.display import Markdown
    if study.synthetic:
        return Markdown(f"> **SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.** {study.notice}")
    return Markdown(f"> Data: {study.title}.")


def codebook(study) -> pd.DataFrame:
    """The measures: role, label, indicators, unit, anchors (e, c, i) and their justification."""
    rows = []
    for name in study.conditions + study.outcomes:
        m = study.measures[name]
        e, c, i = m.anchors
        rows.append({"measure": name, "role": m.role, "label": m.label, "indicators": ", ".join(m.indicators),
                     "unit": m.unit, "exclusion": e, "crossover": c, "inclusion": i,
                     "anchor_reason": " ".join(m.anchor_reason.split())})
    return pd.DataFrame(rows)


def descriptives(measures: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation, minimum and maximum of every measure (raw scale)."""
    return pd.DataFrame({"measure": measures.columns, "n": len(measures),
                         "mean": measures.mean().to_numpy(), "sd": measures.std(ddof=1).to_numpy(),
                         "min": measures.min().to_numpy(), "max": measures.max().to_numpy()})


def _sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def provenance(study, data_path, raw: pd.DataFrame) -> dict:
    """What the run read: study name, data file name, its SHA-256 checksum, number of cases."""
    path = Path(data_path) if data_path is not None else study.data_path
    return {"study": study.name, "title": " ".join(study.title.split()), "synthetic": study.synthetic,
            "notice": " ".join(study.notice.split()) if study.synthetic else "",
            "data_file": path.name, "data_sha256": _sha256(path), "n_cases": int(len(raw))}


# -------------------------------------------------------------------- step 2: calibration

def calibration_summary(calibrated: pd.DataFrame) -> pd.DataFrame:
    """Skewness of every set: mean membership, % of cases above 0.5, cases at exactly 0.5.

    A set in which (almost) every case is in, or out, gives trivial or unstable subset relations;
    Schneider & Wagemann (2012, p. 232-250) and Oana, Schneider & Thomann (2021, ch. 2) advise
    to inspect sets with more than about 80 % (or fewer than 20 %) of cases above 0.5.
    """
    above = (calibrated > 0.5).mean() * 100
    rows = pd.DataFrame({"set": calibrated.columns, "mean_membership": calibrated.mean().to_numpy(),
                         "pct_above_0.5": above.to_numpy(),
                         "n_at_0.5": (np.abs(calibrated - 0.5) < 1e-12).sum().to_numpy()})
    rows["skewed"] = (rows["pct_above_0.5"] > 80) | (rows["pct_above_0.5"] < 20)
    return rows


def anchors(study) -> dict:
    """The calibration anchors (exclusion, crossover, inclusion) of every measure."""
    return {n: tuple(study.measures[n].anchors) for n in study.conditions + study.outcomes}


def calibration_figure(measures: pd.DataFrame, calibrated: pd.DataFrame, study, out):
    """Raw values against memberships for every measure, anchors marked; saved as ``calibration``."""
    fig = charts.calibration_grid(measures, calibrated, anchors(study))
    save_figure(fig, out, "calibration")
    return fig


# ---------------------------------------------------------------------- step 3: necessity

def analyses(study) -> list:
    """The analyses of a study: (name, outcome, negated), e.g. MPV, notMPV, PPV, notPPV."""
    out = []
    for y in study.outcomes:
        out += [(y, y, False), (f"not{y}", y, True)]
    return out


def necessity_analysis(calibrated: pd.DataFrame, study, parameters: dict) -> pd.DataFrame:
    """inclN, RoN, covN of every condition and its negation, for every outcome and its negation.

    ``necessary`` marks inclN >= necessity_incl and RoN >= necessity_ron.
    """
    frames = []
    for name, y, neg in analyses(study):
        t = necessity_table(calibrated, y, study.conditions, neg_out=neg)
        t.insert(0, "outcome", ("~" if neg else "") + y)
        frames.append(t)
    out = pd.concat(frames, ignore_index=True)
    out["necessary"] = (out["inclN"] >= parameters["necessity_incl"]) & (out["RoN"] >= parameters["necessity_ron"])
    return out


def strongest_conditions(necessity: pd.DataFrame) -> pd.DataFrame:
    """For every outcome, the condition (or negation) with the highest inclN (ties: higher RoN)."""
    ranked = necessity.sort_values(["outcome", "inclN", "RoN", "condition"], ascending=[True, False, False, True],
                                   kind="stable")
    order = list(dict.fromkeys(necessity["outcome"]))
    best = ranked.groupby("outcome", sort=False).head(1).set_index("outcome").loc[order].reset_index()
    return best


def xy_plots(calibrated: pd.DataFrame, best: pd.DataFrame, out) -> list:
    """XY plots of the strongest condition of every outcome (``strongest_conditions``), saved."""
    figs = []
    for row in best.itertuples():
        neg = row.outcome.startswith("~")
        y = row.outcome.lstrip("~")
        fig = charts.xy_plot(calibrated, row.condition, y, neg_out=neg)
        name = f"xy_{'not' if neg else ''}{y}_{row.condition.replace('~', 'not')}"
        save_figure(fig, out, name)
        figs.append(fig)
    return figs


def necessary_disjunctions(calibrated: pd.DataFrame, study, parameters: dict, depth: int = 2) -> pd.DataFrame:
    """Minimal necessary disjunctions (``analysis.necessity.super_subset``) for every outcome."""
    try:
        from .necessity import super_subset
    except ImportError:  # an older engine without super_subset
        return pd.DataFrame(columns=["outcome", "expression", "inclN", "RoN", "covN"])
    frames = []
    for name, y, neg in analyses(study):
        t = super_subset(calibrated, y, study.conditions, incl_cut=parameters["necessity_incl"],
                         ron_cut=parameters["necessity_ron"], depth=depth, neg_out=neg)
        t.insert(0, "outcome", ("~" if neg else "") + y)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


# -------------------------------------------------------------------- step 4: sufficiency

@dataclass
class Sufficiency:
    """One sufficiency analysis (an outcome or its negation) and what it produced."""

    name: str
    outcome: str
    neg_out: bool
    dir_exp: dict
    parameters: dict
    result: dict = None
    tt: object = None
    solutions: object = None
    error: str = ""
    warnings: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return ("~" if self.neg_out else "") + self.outcome

    def __repr__(self) -> str:
        head = f"{self.label}: " + (f"no solution ({self.error})" if self.error else "")
        return head + ("\n" + repr(self.solutions) if self.solutions is not None else "")


def _dir_exp(study, neg: bool) -> dict:
    # Expectations are stated for the positive outcomes; for a negated outcome the study makes
    # none (every condition "-"), so its intermediate solution equals the complex one.
    return {c: ("-" if neg else study.dir_exp.get(c, "-")) for c in study.conditions}


def sufficiency_analysis(calibrated: pd.DataFrame, study, name: str, parameters: dict) -> Sufficiency:
    """Truth table and solutions of analysis ``name`` (``MPV`` or ``notMPV``...).

    Warnings (e.g. cases at 0.5) are kept in ``.warnings``; when no row passes the cut-offs the
    analysis has no solution and ``.error`` says why (the run continues).
    """
    known = {a[0]: a for a in analyses(study)}
    if name not in known:
        raise QCAError(f"unknown analysis {name!r}; analyses: {', '.join(known)}")
    _, y, neg = known[name]
    s = Sufficiency(name=name, outcome=y, neg_out=neg, dir_exp=_dir_exp(study, neg),
                    parameters={k: parameters[k] for k in ("incl_cut", "pri_cut", "n_cut")})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            expectations = [s.dir_exp[c] for c in study.conditions]
            s.result, s.tt, _, s.solutions = analyse(
                calibrated, y, study.conditions, incl_cut=parameters["incl_cut"], pri_cut=parameters["pri_cut"],
                n_cut=parameters["n_cut"], neg_out=neg, dir_exp=expectations, source=name)
            s.result["solutions"] = _rounded(s.solutions.to_json(), 15)
        except QCAError as e:
            s.error = str(e)
            try:
                s.tt = truth_table(calibrated, y, study.conditions, incl_cut=parameters["incl_cut"],
                                   pri_cut=parameters["pri_cut"], n_cut=parameters["n_cut"], neg_out=neg)
            except QCAError:
                s.tt = None
    s.warnings = sorted({str(w.message) for w in caught})
    return s


def truth_table_frame(s: Sufficiency) -> pd.DataFrame:
    """The observed truth table rows (R's ``truthTable`` columns) with their cases, OUT = 1 first."""
    if s.tt is None:
        return pd.DataFrame(columns=["row", "OUT", "n", "incl", "PRI", "cases"])
    t = s.tt.table.drop(columns=["code"]).copy()
    t["cases"] = t["cases"].map(lambda cs: ", ".join(cs))
    t.insert(0, "row", t.index)
    t.index.name = None
    return t.sort_values(["OUT", "incl", "row"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def solutions_frame(s: Sufficiency) -> pd.DataFrame:
    """Every tied model of the complex, parsimonious and intermediate solutions, term by term.

    One row per term (inclS, PRI, covS, covU, cases of the positive rows it covers) and one row
    ``(model)`` per model, as R's ``minimize`` prints them.
    """
    if s.solutions is None:
        return pd.DataFrame(columns=["solution", "block", "model", "term", "inclS", "PRI", "covS", "covU", "cases"])
    frames = []
    for block in [s.solutions.complex, s.solutions.parsimonious] + list(s.solutions.intermediate):
        t = block.fit_table()
        t.insert(0, "solution", block.kind)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def configuration_cases(s: Sufficiency, calibrated: pd.DataFrame) -> pd.DataFrame:
    """Cases of every intermediate configuration (Schneider & Rohlfing 2013).

    ``typical``: membership above 0.5 in the term and in the outcome; ``deviant``: above 0.5 in
    the term but below 0.5 in the outcome (deviant cases consistency in kind).
    """
    rows = []
    if s.solutions is None:
        return pd.DataFrame(columns=["block", "model", "term", "typical", "deviant"])
    y = calibrated[s.outcome].to_numpy(dtype=float)
    if s.neg_out:
        y = 1 - y
    names = np.array([str(c) for c in calibrated.index], dtype=object)
    for block in s.solutions.intermediate:
        for i, m in enumerate(block.models, 1):
            for term, row in zip(m.terms, m.term_fit.itertuples()):
                x = term_membership(calibrated, term)
                rows.append({"block": block.label, "model": f"M{i}", "term": row.term,
                             "typical": ", ".join(names[(x > 0.5) & (y > 0.5)]),
                             "deviant": ", ".join(names[(x > 0.5) & (y < 0.5)])})
    return pd.DataFrame(rows, columns=["block", "model", "term", "typical", "deviant"])


def configuration_charts(s: Sufficiency, study) -> list:
    """(suffix, table, figure) for every intermediate block and tied model (Fiss 2011 notation)."""
    out = []
    if s.solutions is None or not s.solutions.intermediate:
        return out
    pairs = charts.configuration_models(s.solutions)
    for block, model in pairs:
        table = charts.configuration_table(s.solutions, study.conditions, block=block, model=model)
        suffix = "" if len(pairs) == 1 else f"_{block}_M{model}"
        fig = charts.configuration_chart(table, title=f"{s.label}: configurations ({block}, model {model})")
        out.append((suffix, table, fig))
    return out


def _display_config(table: pd.DataFrame) -> pd.DataFrame:
    return table.map(lambda v: v if isinstance(v, str) else _fmt(v, TEXT_DIGITS))


def save_analysis(s: Sufficiency, calibrated: pd.DataFrame, study, out) -> dict:
    """Write every table, figure and the JSON of one sufficiency analysis; return them for display.

    Keys: ``truth_table``, ``solutions`` (fit of every tied model), ``cases`` (typical and deviant
    cases per configuration), ``configurations`` (list of (table, figure), one per intermediate
    block and tied model).
    """
    shown = {"truth_table": save_table(truth_table_frame(s), out, f"truth_table_{s.name}"),
             "solutions": save_table(solutions_frame(s), out, f"solutions_{s.name}"),
             "cases": save_table(configuration_cases(s, calibrated), out, f"cases_{s.name}"),
             "configurations": []}
    for suffix, table, fig in configuration_charts(s, study):
        save_table(table, out, f"configurations_{s.name}{suffix}", index=True)
        save_figure(fig, out, f"configurations_{s.name}{suffix}")
        shown["configurations"].append((_display_config(table), fig))
    write_solution(s, out)
    return shown


def write_solution(s: Sufficiency, out) -> Path:
    """``solutions/<name>.json``: the engine's JSON (truth table, necessity, solutions, thresholds)."""
    body = dict(s.result) if s.result else {"outcome": s.label, "error": s.error, "incl_cut": s.parameters["incl_cut"],
                                            "pri_cut": s.parameters["pri_cut"], "n_cut": s.parameters["n_cut"]}
    body["analysis"] = s.name
    body["dir_exp"] = s.dir_exp
    body["warnings"] = s.warnings
    path = Path(out) / "solutions" / f"{s.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_rounded(body, 12), indent=1, sort_keys=True, allow_nan=False) + "\n", encoding="utf-8")
    return path


def ledger(study, results: list) -> pd.DataFrame:
    """The claims ledger (``analysis.claims.evaluate_claims``) over the analyses of this run.

    An analysis without a solution counts as evidence against every claim about it.  Claims that
    need the robustness results (``stable_core``) are ``pending`` here; step 5 completes them
    (``complete_ledger``).
    """
    solved = {s.name: s.solutions for s in results if s.solutions is not None}
    failed = {s.name: s.error for s in results if s.solutions is None}
    rows = []
    for claim in study.claims:
        if claim["check"]["type"] in DEFERRED_TYPES:
            rows.append({"id": str(claim["id"]), "text": claim["text"], "status": "pending",
                         "evidence": "checked in step 5 (notebooks/05_robustness) against the robustness test solutions"})
            continue
        names = [outcome_key(o) for o in ([claim["check"].get("outcome")] if "outcome" in claim["check"] else [])
                 + list(claim["check"].get("outcomes", []))]
        missing = [n for n in names if n in failed]
        if missing:
            rows.append({"id": str(claim["id"]), "text": claim["text"], "status": "fail",
                         "evidence": "; ".join(f"{n}: no solution ({failed[n]})" for n in missing)})
        else:
            rows.append(evaluate_claims([claim], solved).iloc[0].to_dict())
    return pd.DataFrame(rows, columns=["id", "text", "status", "evidence"])


def package_versions() -> dict:
    """Python and the versions of the packages that produce the results."""
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def _model_summary(m) -> dict:
    return {"expression": m.expression, **{k: m.fit[k] for k in ("inclS", "PRI", "covS")}}


def _solution_summary(s: Sufficiency) -> dict:
    if s.solutions is None:
        return {"outcome": s.label, "error": s.error}
    tt = s.tt.table
    sol = s.solutions
    return {"outcome": s.label, "dir_exp": s.dir_exp,
            "truth_table": {"rows_observed": int(len(tt)), "rows_positive": int((tt["OUT"] == "1").sum()),
                            "rows_negative": int((tt["OUT"] == "0").sum()),
                            "rows_remainder": int(2 ** len(s.tt.conditions) - (tt["OUT"] != "?").sum()),
                            "boundary_cases": list(s.tt.boundary_cases)},
            "complex": [_model_summary(m) for m in sol.complex.models],
            "parsimonious": [_model_summary(m) for m in sol.parsimonious.models],
            "intermediate": {b.label: [_model_summary(m) for m in b.models] for b in sol.intermediate},
            "warnings": s.warnings}


def findings(study, results: list, claims: pd.DataFrame, parameters: dict, prov: dict) -> dict:
    """Everything ``findings.json`` records (no timestamps: the same input gives the same file)."""
    return {"study": prov["study"], "title": prov["title"], "synthetic": bool(study.synthetic),
            "notice": prov["notice"],
            "data": {"file": prov["data_file"], "sha256": prov["data_sha256"], "n_cases": prov["n_cases"]},
            "thresholds": parameters, "dir_exp": {c: study.dir_exp.get(c, "-") for c in study.conditions},
            "conditions": list(study.conditions), "outcomes": list(study.outcomes),
            "claims": claims.to_dict(orient="records"),
            "claims_passed": int((claims["status"] == "pass").sum()), "claims_total": int(len(claims)),
            "solutions": {s.name: _solution_summary(s) for s in results},
            "packages": package_versions()}


def _md_models(title, models) -> list:
    lines = [f"- {title}:"]
    for i, m in enumerate(models, 1):
        lines.append(f"  - M{i}: `{m['expression']}` (inclS {m['inclS']:.3f}, PRI {m['PRI']:.3f}, covS {m['covS']:.3f})")
    return lines


def read_json(path) -> dict:
    """Read a JSON file written by an earlier step."""
    path = Path(path)
    if not path.is_file():
        raise QCAError(f"{path}: not found; run the earlier notebooks (or the pipeline) first")
    return json.loads(path.read_text(encoding="utf-8"))


def findings_markdown(f: dict):
    """``findings.md`` as a Markdown object, to show it in a notebook."""
    from IPython.display import Markdown
    return Markdown(_findings_markdown(_rounded(f, 6)))


def _findings_markdown(f: dict) -> str:
    lines = [f"# Findings: {f['title']}", ""]
    if f["synthetic"]:
        lines += ["> **SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.** " + f["notice"], ""]
    d = f["data"]
    lines += ["## Run", "",
              f"- study: `{f['study']}`; data file `{d['file']}` ({d['n_cases']} cases), SHA-256 `{d['sha256']}`",
              "- thresholds: " + ", ".join(f"{k} = {v:g}" for k, v in sorted(f["thresholds"].items())),
              "- directional expectations (positive outcomes; none for negated outcomes): "
              + ", ".join(f"{k} = {v}" for k, v in f["dir_exp"].items()),
              "- software: " + ", ".join(f"{k} {v}" for k, v in sorted(f["packages"].items())), "",
              f"## Claims ledger ({f['claims_passed']} of {f['claims_total']} pass)", "",
              "A claim passes only if it holds in every tied model of the solution it is about.", "",
              "| id | claim | status | evidence |", "| :--- | :--- | :--- | :--- |"]
    for c in f["claims"]:
        lines.append("| " + " | ".join(str(c[k]).replace("|", "\\|") for k in ("id", "text", "status", "evidence")) + " |")
    lines += ["", "## Solutions", ""]
    for name, s in f["solutions"].items():
        lines += [f"### {s['outcome']} (`solutions/{name}.json`)", ""]
        if "error" in s:
            lines += [f"No solution: {s['error']}", ""]
            continue
        t = s["truth_table"]
        lines.append(f"- truth table: {t['rows_observed']} observed rows, {t['rows_positive']} with OUT = 1, "
                     f"{t['rows_negative']} with OUT = 0, {t['rows_remainder']} logical remainders")
        lines += _md_models("complex", s["complex"]) + _md_models("parsimonious", s["parsimonious"])
        for label, models in s["intermediate"].items():
            lines += _md_models(f"intermediate {label}", models)
        for w in s["warnings"]:
            lines.append(f"- warning: {w}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_findings(f: dict, out) -> None:
    """Write ``findings.json`` (sorted keys, 6 decimals) and ``findings.md``."""
    write_json(f, Path(out) / "findings.json")
    rounded = _rounded(f, 6)
    (Path(out) / "findings.md").write_text(_findings_markdown(rounded), encoding="utf-8")


# --------------------------------------------------------------------- step 5: robustness

def robustness(calibrated: pd.DataFrame, measures: pd.DataFrame, study, parameters: dict,
               solution: str = "intermediate", ties: str = "union", workers=None, progress: bool = True) -> dict:
    """The robustness protocol (``analysis.robustness.run_protocol``) for every analysis.

    Directional expectations as in step 4 (the study's for the positive outcomes, none for the
    negated ones).  Returns ``{analysis name: Robustness}`` (MPV, notMPV, PPV, notPPV).
    """
    from .robustness import run_protocol
    plan = []
    for name, y, neg in analyses(study):
        d = _dir_exp(study, neg)
        plan.append((name, y, neg, [d[c] for c in study.conditions]))
    return run_protocol(calibrated, measures.loc[calibrated.index], study, parameters, plan, solution=solution,
                        ties=ties, workers=workers, progress=progress)


def robustness_summary(R: dict) -> pd.DataFrame:
    """One row per analysis: the initial solution, tests, RF_* measures, RCR_typ, RCR_dev, RCC_Rank."""
    return pd.DataFrame([{**r.summary(), "initial solution": _initial_text(r)} for r in R.values()])


def _initial_text(r) -> str:
    from .sets import expression_string
    if r.initial.status != "ok":
        return "(no solution)"
    return "; ".join(expression_string(m) for m in r.initial.models)


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
    from .robustness import CASE_TYPES
    rows = [{"analysis": r.label, **r.ratios["case_types"]} for r in R.values()]
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


def _fit_record(r, study) -> dict:
    from .sets import expression_string
    return {"analysis": r.name, "outcome": r.label, "synthetic": bool(study.synthetic),
            "solution": r.solution, "ties": r.ties, "n_cases": int(len(r.memberships)),
            "initial_solution": [expression_string(m) for m in r.initial.models],
            "initial_status": r.initial.status,
            "tests": [{"name": s.name, "change": s.change, "description": s.description,
                       "status": t.status, "models": [expression_string(m) for m in t.models],
                       "same_as_IS": t.signature == r.initial.signature} for s, t in r.tests],
            **r.fit, "case_types": r.ratios["case_types"], "RCR_typ": r.ratios["RCR_typ"],
            "RCR_dev": r.ratios["RCR_dev"], "RCC_Rank": r.ratios["RCC_Rank"],
            "sensitivity_ranges": r.ranges.drop(columns=["analysis"]).to_dict(orient="records"),
            "core_stability": r.stability.to_dict(orient="records")}


def save_robustness(R: dict, study, out, max_steps: int | None = None) -> dict:
    """Write ``robustness/<analysis>_memberships.csv`` and ``_fit.json``, the tables and figures.

    Tables: ``robustness_summary``, ``robustness_ranges``, ``robustness_tests``,
    ``robustness_case_types``, ``robustness_cases``, ``core_stability``; figures:
    ``robustness_ranges`` (range plot) and ``robustness_xy``.  Returns the two figures.
    """
    folder = Path(out) / "robustness"
    folder.mkdir(parents=True, exist_ok=True)
    for r in R.values():
        r.memberships.to_csv(folder / f"{r.name}_memberships.csv", index=False, float_format=CSV_FLOAT,
                             lineterminator="\n")
        write_json(_fit_record(r, study), folder / f"{r.name}_fit.json")
    save_table(robustness_summary(R), out, "robustness_summary")
    save_table(robustness_ranges(R), out, "robustness_ranges")
    save_table(robustness_tests(R), out, "robustness_tests")
    save_table(robustness_case_types(R), out, "robustness_case_types")
    save_table(robustness_cases(R), out, "robustness_cases")
    save_table(core_stability_table(R), out, "core_stability")
    ranges = charts.range_plot(robustness_ranges(R), max_steps=max_steps)
    save_figure(ranges, out, "robustness_ranges")
    xy = charts.robustness_xy_plot({f"{r.label} (RF_SC_minTS {r.fit['RF_SC_minTS']:.2f}, "
                                    f"RCC_Rank {r.ratios['RCC_Rank']})": r.types for r in R.values()})
    save_figure(xy, out, "robustness_xy")
    return {"ranges": ranges, "xy": xy}


def complete_ledger(study, R: dict, out) -> pd.DataFrame:
    """Check the ledger's ``stable_core`` claims against the core stability of ``R``.

    Reads ``findings.json`` of step 4, replaces its ``pending`` claims by their verdicts and
    rewrites ``findings.json``, ``findings.md`` and ``tables/claims.*``; returns the ledger.
    """
    f = read_json(Path(out) / "findings.json")
    stability = {r.name: r.stability for r in R.values()}
    by_id = {str(c["id"]): c for c in study.claims}
    claims = []
    for row in f["claims"]:
        claim = by_id.get(str(row["id"]))
        if row["status"] == "pending" and claim is not None:
            row = evaluate_claims([claim], {}, stability=stability).iloc[0].to_dict()
        claims.append(row)
    table = pd.DataFrame(claims, columns=["id", "text", "status", "evidence"])
    f["claims"] = table.to_dict(orient="records")
    f["claims_passed"] = int((table["status"] == "pass").sum())
    f["claims_total"] = int(len(table))
    write_findings(f, out)
    save_table(table, out, "claims")
    return table


# ----------------------------------------------------------------------------- the pipeline

def _notebooks(folder) -> list:
    folder = Path(folder)
    found = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise QCAError(f"{folder}: no step notebooks (NN_name.ipynb) found")
    return found


# ------------------------------------------------------------------------ raw data checksums

CHECKSUMS = "SHA256SUMS"


def _record_command(data_path) -> str:
    cmd = "python -m analysis.pipeline --record-checksums"
    return cmd + (f" --data {data_path}" if data_path else "")


def _raw_folder(data_file: Path):
    """The folder whose checksums guard ``data_file``: a ``raw/`` folder or one holding SHA256SUMS."""
    folder = data_file.parent
    return folder if folder.name == "raw" or (folder / CHECKSUMS).is_file() else None


def _read_checksums(path: Path, data_path) -> dict:
    sums = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise QCAError(f"{path}: cannot read the checksum file; re-record it with {_record_command(data_path)}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(maxsplit=1)
        digest = parts[0].lower()
        if len(parts) != 2 or len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
            raise QCAError(f"{path}: line {n} is not '<sha256>  <file name>'; re-record the checksums with "
                           f"{_record_command(data_path)}")
        sums[parts[1].strip().lstrip("*")] = digest
    return sums


def verify_checksums(data_file, data_path=None):
    """Check the raw files next to ``data_file`` against their recorded SHA-256 sums.

    Only files in a ``raw/`` folder (or a folder holding ``SHA256SUMS``) are guarded; a data file
    elsewhere (``--data other.csv``) is not checked, but its checksum is still reported in the
    findings.  Returns the checksum file used, or None.  A missing, unlisted or changed file raises
    ``QCAError`` saying how to restore it or, after a deliberate replacement, to re-record.
    """
    data_file = Path(data_file).resolve()
    folder = _raw_folder(data_file)
    if folder is None or not data_file.is_file():
        return None                       # a missing file is reported by load_raw
    sums_file = folder / CHECKSUMS
    record = _record_command(data_path)
    if not sums_file.is_file():
        raise QCAError(f"{folder}: raw data folder without {CHECKSUMS}; record the checksums of its files once "
                       f"with {record}")
    sums = _read_checksums(sums_file, data_path)
    if data_file.name not in sums:
        raise QCAError(f"{data_file}: not listed in {sums_file}; if this is new raw data, record its checksum "
                       f"with {record}")
    for name in [data_file.name] + sorted(n for n in sums if n != data_file.name):
        f = folder / name
        if not f.is_file():
            raise QCAError(f"{f}: listed in {sums_file} but missing; restore it (e.g. git checkout -- {f}) or, if "
                           f"it was removed deliberately, re-record with {record}")
        actual = _sha256(f)
        if actual != sums[name]:
            raise QCAError(f"{f}: SHA-256 {actual[:12]}... differs from {sums[name][:12]}... recorded in "
                           f"{sums_file}: the raw data changed; restore the original (e.g. git checkout -- {f}) or, "
                           f"if you replaced it deliberately, re-record with {record}")
    return sums_file


def record_checksums(study_path=DEFAULT_STUDY, data_path=None, log=sys.stderr) -> Path:
    """Write ``SHA256SUMS`` (``sha256sum`` format) for every file in the data file's folder.

    The one deliberate write next to the raw data, and only of the checksum file: run it after
    replacing the raw data on purpose.  ``sha256sum -c SHA256SUMS`` checks the same file.
    """
    from .study import load_study
    data_file = Path(data_path).resolve() if data_path else load_study(study_path).data_path
    if not data_file.is_file():
        raise QCAError(f"{data_file}: raw data file not found; nothing to record")
    folder = data_file.parent
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.name != CHECKSUMS and not f.name.startswith("."))
    text = "".join(f"{_sha256(f)}  {f.name}\n" for f in files)
    fd, tmp = tempfile.mkstemp(prefix=f".{CHECKSUMS}.", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    os.replace(tmp, folder / CHECKSUMS)
    print(f"recorded the SHA-256 of {len(files)} file(s) in {folder / CHECKSUMS}:", file=log)
    print(text, end="", file=log)
    return folder / CHECKSUMS


# --------------------------------------------------------------------------- validation

def _check_out(out, study, data_file) -> Path:
    """Refuse an output folder whose replacement would destroy inputs or unrelated files."""
    out = Path(out).resolve()
    guarded = [study.path, study.data_path, data_file, NOTEBOOKS, ROOT / "analysis", ROOT / ".git"]
    for g in guarded:
        g = Path(g).resolve()
        if out == g or out in g.parents:
            raise QCAError(f"--out {out}: the run replaces this folder, which holds {g}; choose a separate "
                           "results folder (e.g. --out results)")
    for code in (NOTEBOOKS, ROOT / "analysis", ROOT / ".git"):
        if code.resolve() in out.parents:
            raise QCAError(f"--out {out}: lies in {code}, which holds the code of the compendium; choose a "
                           "separate results folder (e.g. --out results)")
    for folder in [out, *out.parents]:
        if folder.name == "raw" or (folder / CHECKSUMS).is_file():
            raise QCAError(f"--out {out}: lies in the raw data folder {folder}; nothing is ever written there, "
                           "choose another output folder")
    if out.exists() and not out.is_dir():
        raise QCAError(f"--out {out}: is a file, not a folder; choose a folder name")
    if out.is_dir() and any(out.iterdir()) and not ((out / "findings.json").is_file() or (out / "executed").is_dir()):
        raise QCAError(f"--out {out}: exists and does not hold the results of an earlier run (no findings.json); "
                       "the run would replace it, so choose a new or empty folder")
    return out


def validate(study_path, data_path, sets: dict, out=None, log=None):
    """Load and check study, data and parameters (everything a run needs) before any notebook runs.

    Checks, in order: the study file; the parameters; the output folder (``out``); the raw data's
    recorded checksums; the data against the codebook; measures that are constant or all on one
    side of their crossover; calibration (no membership of exactly 0.5); outcomes with no case
    above 0.5; and that some truth-table row passes the cut-offs in at least one analysis.  Any
    problem raises ``QCAError`` with one message naming the file, column, case or parameter.
    Warnings (e.g. columns not in the codebook) are printed to ``log`` as ``warning: ...``.
    """
    from .study import build_measures, calibrate_measures, check_measures, check_outcomes, load_raw, load_study
    study = load_study(study_path)
    parameters = resolve_parameters(study, **sets)
    validate_claims(study.claims, study.conditions, study.outcomes)
    data_file = Path(data_path).resolve() if data_path else study.data_path
    if out is not None:
        _check_out(out, study, data_file)
    verify_checksums(data_file, data_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        raw = load_raw(study, data_path)
    if log is not None:
        for w in caught:
            print(f"warning: {' '.join(str(w.message).split())}", file=log)
    if parameters["n_cut"] > len(raw):
        raise QCAError(f"parameter n_cut = {parameters['n_cut']} exceeds the number of cases ({len(raw)})")
    measures = build_measures(study, raw)
    check_measures(study, measures)
    calibrated = calibrate_measures(study, measures)
    check_outcomes(study, calibrated)
    _check_some_row_passes(study, calibrated, parameters)
    return study, parameters


def _check_some_row_passes(study, calibrated, parameters) -> None:
    best_incl = best_pri = -1.0
    for _, y, neg in analyses(study):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tt = truth_table(calibrated, y, study.conditions, incl_cut=parameters["incl_cut"],
                             pri_cut=parameters["pri_cut"], n_cut=parameters["n_cut"], neg_out=neg)
        table = tt.table
        if (table["OUT"].astype(str) == "1").any():
            return
        kept = table[table["n"] >= parameters["n_cut"]]
        if len(kept):
            best_incl = max(best_incl, float(kept["incl"].max()))
            best_pri = max(best_pri, float(kept["PRI"].max()))
    names = ", ".join(a[0] for a in analyses(study))
    best = (f"the best row with at least n_cut cases has inclS {best_incl:.3f} and PRI {best_pri:.3f}"
            if best_incl >= 0 else "no row has n_cut cases")
    raise QCAError(f"no truth-table row passes incl_cut = {parameters['incl_cut']:g}, pri_cut = "
                   f"{parameters['pri_cut']:g}, n_cut = {parameters['n_cut']} in any analysis ({names}); {best}: "
                   "lower the cut-offs (--set incl_cut=..., pri_cut=..., n_cut=...) or check the calibration")


def _strip_volatile(path: Path, tmp: Path, out: Path) -> None:
    """Make an executed notebook reproducible: no timings, no random ids, the final folder name."""
    import nbformat
    text = path.read_text(encoding="utf-8").replace(str(tmp), str(out))
    nb = nbformat.reads(text, as_version=4)
    for key in ("start_time", "end_time", "duration"):
        nb.metadata.get("papermill", {}).pop(key, None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
    nbformat.write(nb, path)


@contextlib.contextmanager
def _kernel_output_to(path: Path):
    """Send what kernels and papermill write to the terminal's stderr (fd 2) into ``path``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _notebook_error(exc) -> tuple:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return ename, " ".join(str(evalue).split())


def run(study_path=DEFAULT_STUDY, data_path=None, sets=None, out="results", notebooks=NOTEBOOKS,
        log=sys.stderr) -> Path:
    """Validate, execute every notebook into a temporary folder, then move it to ``out``."""
    study, parameters = validate(study_path, data_path, sets or {}, out=out, log=log)
    books = _notebooks(notebooks)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    kernel_log = Path(tempfile.mkdtemp(prefix="ppip-pipeline-")) / "kernels.log"
    values = {"study": str(Path(study_path).resolve()),
              "data": str(Path(data_path).resolve()) if data_path else None,
              "out": str(tmp), **parameters}
    kernels = _Kernels(kernel_log)
    try:
        kernels.start(books[0])
        import papermill as pm               # (slow to import: the first kernel starts meanwhile)
        for i, nb in enumerate(books, 1):
            print(f"[{i}/{len(books)}] {nb.name} ...", end="", file=log, flush=True)
            start = time.monotonic()
            km = kernels.take(nb)
            if i < len(books):
                kernels.start(books[i])          # the next notebook's kernel starts while this one runs
            wanted = pm.inspect_notebook(str(nb))
            target = tmp / "executed" / nb.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with _kernel_output_to(kernel_log):
                    pm.execute_notebook(str(nb), str(target), parameters={k: v for k, v in values.items() if k in wanted},
                                        kernel_name="python3", cwd=str(Path(nb).parent), progress_bar=False,
                                        log_output=False, report_mode=False, km=km,
                                        request_save_on_cell_execute=False)
            except pm.PapermillExecutionError as e:
                print(" failed", file=log, flush=True)
                ename, evalue = _notebook_error(e)
                raise QCAError(f"{nb.name}: {evalue}" if ename == "QCAError"
                               else f"{nb.name} failed: {ename}: {evalue}") from None
            finally:
                kernels.stop(km)
            _strip_volatile(target, tmp, out)
            print(f" done ({time.monotonic() - start:.1f} s)", file=log, flush=True)
        _move_into_place(tmp, out)
    finally:
        try:
            kernels.stop_all()            # may itself be interrupted (a signal during shutdown)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(kernel_log.parent, ignore_errors=True)
    return out


class _Kernels:
    """Jupyter kernels started one notebook ahead, so that a kernel's start-up (the interpreter,
    ipykernel and the heavy imports: numpy, pandas, matplotlib, the engine) overlaps the previous
    notebook's run instead of following it.  Each notebook still gets its own fresh kernel; the
    pre-imported modules are the ones its first cell imports anyway, so its outputs are unchanged.
    """

    WARM = "import analysis.pipeline"

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.started: dict = {}

    def start(self, nb: Path) -> None:
        from jupyter_client.manager import KernelManager
        km = KernelManager(kernel_name="python3")
        with open(self.log_path, "ab") as fh:
            km.start_kernel(cwd=str(Path(nb).parent), stdout=fh, stderr=fh,
                            extra_arguments=[f"--IPKernelApp.exec_lines={self.WARM}"])
        self.started[Path(nb)] = km

    def take(self, nb: Path):
        return self.started.pop(Path(nb), None)

    @staticmethod
    def stop(km) -> None:
        if km is not None and km.has_kernel:
            km.shutdown_kernel(now=True)

    def stop_all(self) -> None:
        for km in self.started.values():
            self.stop(km)
        self.started.clear()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def _move_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by the finished run ``tmp`` so that ``out`` is never missing or half-written."""
    if not out.exists():
        os.replace(tmp, out)
        return
    if _exchange(tmp, out):               # one atomic step: out is new, tmp holds the old results
        shutil.rmtree(tmp, ignore_errors=True)
        return
    blocked = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked) if hasattr(signal, "pthread_sigmask") else None
    try:                                  # two renames; a crash in between is repaired by _clean_stale
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-", dir=out.parent))
        os.replace(out, old / out.name)
        os.replace(tmp, out)
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale(out: Path) -> None:
    """Remove what a killed earlier run left next to ``out``; restore ``out`` if it was mid-swap."""
    for kind in ("old", "tmp"):
        for folder in sorted(out.parent.glob(f".{out.name}.{kind}-*")):
            pid = folder.name[len(f".{out.name}.{kind}-"):].split("-", 1)[0]
            if not pid.isdigit() or _pid_alive(int(pid)) or not folder.is_dir():
                continue
            if kind == "old" and not out.exists() and (folder / out.name).is_dir():
                os.replace(folder / out.name, out)
            shutil.rmtree(folder, ignore_errors=True)


def store_notebook_outputs(notebooks=NOTEBOOKS, log=sys.stderr) -> None:
    """Re-execute the step notebooks in place on their default parameters (the canonical run).

    The committed notebooks carry these outputs; ``pytest --nbval notebooks`` re-executes them
    and compares.  Their default ``out`` is ``../results``, so this also refreshes ``results/``.
    """
    import nbformat
    import papermill as pm
    kernel_log = Path(tempfile.mkdtemp(prefix="ppip-pipeline-")) / "kernels.log"
    try:
        for nb in _notebooks(notebooks):
            print(f"{nb.name} ...", end="", file=log, flush=True)
            target = kernel_log.parent / nb.name
            try:
                with _kernel_output_to(kernel_log):
                    pm.execute_notebook(str(nb), str(target), kernel_name="python3", cwd=str(nb.parent),
                                        progress_bar=False, log_output=False)
            except pm.PapermillExecutionError as e:
                print(" failed", file=log, flush=True)
                ename, evalue = _notebook_error(e)
                raise QCAError(f"{nb.name} failed: {ename}: {evalue}") from None
            book = nbformat.read(target, as_version=4)
            book.metadata.pop("papermill", None)
            for cell in book.cells:
                cell.metadata.pop("papermill", None)
                cell.metadata.pop("execution", None)
                if cell.metadata.get("tags") == []:
                    del cell.metadata["tags"]
            nbformat.write(book, nb)
            print(" stored", file=log, flush=True)
    finally:
        shutil.rmtree(kernel_log.parent, ignore_errors=True)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as every other bad input
        print(f"error: {message} (see python -m analysis.pipeline --help)", file=sys.stderr)
        sys.exit(2)


def _parse_args(argv):
    ap = _Parser(prog="python -m analysis.pipeline", description=__doc__,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", default=str(DEFAULT_STUDY),
                    help="study file (default: data/ppip/study.yml)")
    ap.add_argument("--data", default=None, help="raw case data CSV (default: the study's data file)")
    ap.add_argument("--set", dest="sets", action="extend", nargs="+", default=[], metavar="NAME=VALUE",
                    help=f"change a threshold: {', '.join(PARAMETERS)}")
    ap.add_argument("--out", default="results", help="output folder (default: results)")
    ap.add_argument("--notebooks", default=str(NOTEBOOKS), help=argparse.SUPPRESS)
    ap.add_argument("--record-checksums", action="store_true",
                    help=f"after deliberately replacing the raw data: record the SHA-256 of the files in its folder "
                         f"in {CHECKSUMS} (checked at every run)")
    ap.add_argument("--store-notebook-outputs", action="store_true",
                    help="maintainers: re-execute notebooks/ in place on their defaults (the outputs nbval checks)")
    return ap.parse_args(argv)


class _Terminated(KeyboardInterrupt):
    """SIGTERM / SIGHUP turned into an exception, so that the temporary folder is removed."""


def _terminate(signum, frame):
    raise _Terminated(signum)


def main(argv=None) -> int:
    ns = _parse_args(argv)
    start = time.monotonic()
    handlers = {}
    try:
        for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                handlers[sig] = signal.signal(sig, _terminate)
    except ValueError:                    # not the main thread: leave the handlers alone
        pass
    try:
        if ns.record_checksums:
            record_checksums(ns.study, ns.data)
            return 0
        if ns.store_notebook_outputs:
            store_notebook_outputs(ns.notebooks)
            return 0
        out = run(ns.study, ns.data, _parse_sets(ns.sets), ns.out, ns.notebooks)
    except QCAError as e:
        print(f"error: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        print("error: interrupted; the previous results are unchanged", file=sys.stderr)
        return 128 + int(e.args[0]) if isinstance(e, _Terminated) else 130
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    print(f"results written to {out} ({time.monotonic() - start:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
