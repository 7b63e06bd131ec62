"""The findings of a run: the claims ledger, every solution in brief, what was read, with what.

Written once, after the last step (``notebooks/06_findings``), from what the earlier steps
saved: ``provenance.json`` (step 1), ``solutions/<analysis>.json`` (step 4) and the ledger
(``analysis.claims``, with the core stability of step 5).  ``findings.json`` holds everything
(no timestamps: the same inputs give the same file); ``findings.md`` is its readable form, with
the synthetic-data notice first when the study's data are a stand-in.

>>> doc = {"outcome": "Y", "conditions": ["A", "B"], "dir_exp": {"A": 1, "B": 1}, "warnings": [],
...        "boundary_cases": [], "truth_table": [{"row": "11", "OUT": "1"}, {"row": "00", "OUT": "0"}],
...        "solutions": {"complex": {"fits": [{"model": ["A*B"], "inclS": 0.9, "PRI": 0.8, "covS": 0.7}]},
...                      "parsimonious": {"fits": [{"model": ["A"], "inclS": 0.9, "PRI": 0.8, "covS": 0.8}]},
...                      "intermediate": []}}
>>> solution_summary(doc)["truth_table"]
{'rows_observed': 2, 'rows_positive': 1, 'rows_negative': 1, 'rows_remainder': 2, 'boundary_cases': []}
"""
from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from .notebook import SYNTHETIC_HEADLINE
from .tables import read_json, write_json

__all__ = ["PACKAGES", "package_versions", "solution_documents", "core_stability_records", "solution_summary",
           "findings", "findings_markdown", "summary_markdown", "write_findings"]

PACKAGES = ("ppip-fsqca", "numpy", "pandas", "scipy", "matplotlib", "pyyaml", "papermill", "nbclient",
            "ipykernel")


def package_versions() -> dict:
    """Python and the versions of the packages that produce the results."""
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def solution_documents(out, analyses) -> dict:
    """{analysis name: its ``solutions/<analysis>.json``}, as step 4 wrote them."""
    return {a.name: read_json(Path(out) / "solutions" / f"{a.name}.json") for a in analyses}


def core_stability_records(out, analyses) -> dict:
    """{analysis name: the core stability of its initial solution}, from step 5's
    ``robustness/<analysis>_fit.json``."""
    return {a.name: read_json(Path(out) / "robustness" / f"{a.name}_fit.json")["core_stability"] for a in analyses}


_FIT = ("inclS", "PRI", "covS")


def _models(block) -> list:
    return [{"expression": " + ".join(f["model"]), **{k: f[k] for k in _FIT},
             "terms": [{"term": t["term"], **{k: t[k] for k in (*_FIT, "covU")}} for t in f.get("terms", [])]}
            for f in block.get("fits", [])]


def solution_summary(doc: dict) -> dict:
    """One analysis in brief, from its ``solutions/<analysis>.json``: the truth table's rows by
    kind, the cases on a crossover, every tied model with its fit, the warnings; or the reason
    there is no solution."""
    if "truth_table" not in doc:                     # the engine refused the analysis
        return {"outcome": doc["outcome"], "error": doc["error"]}
    rows = [r["OUT"] for r in doc["truth_table"]]
    sol = doc["solutions"]
    out = {"outcome": doc["outcome"], "dir_exp": doc["dir_exp"],
           "truth_table": {"rows_observed": len(rows), "rows_positive": rows.count("1"),
                           "rows_negative": rows.count("0"),
                           "rows_remainder": 2 ** len(doc["conditions"]) - sum(o != "?" for o in rows),
                           "boundary_cases": list(doc["boundary_cases"])},
           "complex": _models(sol["complex"]), "parsimonious": _models(sol["parsimonious"]),
           "intermediate": {b["label"]: _models(b) for b in sol["intermediate"]},
           "warnings": doc["warnings"]}
    if "error" in doc:                               # some solutions do not exist
        out["error"] = doc["error"]
    return out


def findings(study, provenance: dict, parameters: dict, documents: dict, claims: pd.DataFrame) -> dict:
    """Everything ``findings.json`` records: the study, the data read (``provenance``), the
    thresholds, the ledger, every analysis in brief (``documents``: analysis name -> its
    solution JSON) and the software."""
    return {"study": provenance["study"], "title": provenance["title"], "synthetic": bool(study.synthetic),
            "notice": provenance["notice"],
            "data": {"file": provenance["data_file"], "sha256": provenance["data_sha256"],
                     "n_cases": provenance["n_cases"]},
            "thresholds": parameters, "dir_exp": {c: study.dir_exp.get(c, "-") for c in study.conditions},
            "conditions": list(study.conditions), "outcomes": list(study.outcomes),
            **({"joint_outcomes": {n: j.expression for n, j in study.joint.items()}} if study.joint else {}),
            "claims": claims.to_dict(orient="records"),
            "claims_passed": int((claims["status"] == "pass").sum()), "claims_total": int(len(claims)),
            "analyses": list(documents),
            "solutions": {name: solution_summary(doc) for name, doc in documents.items()},
            "packages": package_versions()}


def _md_models(title, models) -> list:
    lines = [f"- {title}:"]
    for i, m in enumerate(models, 1):
        lines.append(f"  - M{i}: `{m['expression']}` (inclS {m['inclS']:.3f}, PRI {m['PRI']:.3f}, covS {m['covS']:.3f})")
    return lines


def findings_markdown(f: dict) -> str:
    """``findings.md``: the run, the claims ledger and every solution, as Markdown."""
    lines = [f"# Findings: {f['title']}", ""]
    if f["synthetic"]:
        lines += [f"> {SYNTHETIC_HEADLINE} " + f["notice"], ""]
    d = f["data"]
    lines += ["## Run", "",
              f"- study: `{f['study']}`; data file `{d['file']}` ({d['n_cases']} cases), SHA-256 `{d['sha256']}`",
              "- thresholds: " + ", ".join(f"{k} = {v:g}" for k, v in sorted(f["thresholds"].items())),
              "- directional expectations (positive outcomes; none for negated outcomes): "
              + ", ".join(f"{k} = {v}" for k, v in f["dir_exp"].items()),
              "- software: " + ", ".join(f"{k} {v}" for k, v in sorted(f["packages"].items())), "",
              "## In brief", "", summary_markdown(f),
              f"## Claims ledger ({f['claims_passed']} of {f['claims_total']} pass)", "",
              "A claim passes only if it holds in every tied model of the solution it is about.", "",
              "| id | claim | status | evidence |", "| :--- | :--- | :--- | :--- |"]
    for c in f["claims"]:
        lines.append("| " + " | ".join(str(c[k]).replace("|", "\\|") for k in ("id", "text", "status", "evidence")) + " |")
    lines += ["", "## Solutions", ""]
    for name in f.get("analyses", sorted(f["solutions"])):        # in the study's order
        s = f["solutions"][name]
        lines += [f"### {s['outcome']} (`solutions/{name}.json`)", ""]
        if "truth_table" not in s:
            lines += [f"No solution: {s['error']}", ""]
            continue
        t = s["truth_table"]
        lines.append(f"- truth table: {t['rows_observed']} observed rows, {t['rows_positive']} with OUT = 1, "
                     f"{t['rows_negative']} with OUT = 0, {t['rows_remainder']} logical remainders")
        if "error" in s:
            lines.append(f"- not solved: {s['error']}")
        for kind in ("complex", "parsimonious"):
            lines += _md_models(kind, s[kind]) if s[kind] else []
        for label, models in s["intermediate"].items():
            lines += _md_models(f"intermediate {label}", models)
        if t.get("boundary_cases"):
            lines.append(f"- cases on a crossover, in no truth-table row: {', '.join(t['boundary_cases'])}")
        for w in s["warnings"]:
            lines.append(f"- warning: {w}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _cell(v) -> str:
    return "" if v is None else f"{v:.3f}"


def summary_markdown(f: dict) -> str:
    """The findings in brief, for the README: every configuration of the intermediate solution of
    every positive outcome with its fit, the solution's fit, and the ledger (claim and status)."""
    kind = "synthetic stand-in data: not the article's findings" if f["synthetic"] else "published data"
    t = f["thresholds"]
    lines = [f"Regenerated by `make reproduce` ({kind}); incl_cut {t['incl_cut']:g}, pri_cut {t['pri_cut']:g}, "
             f"n_cut {t['n_cut']:g}. Intermediate solutions, every tied model:", "",
             "| outcome | model | configuration | inclS | PRI | covS | covU |", "|---|---|---|---|---|---|---|"]
    for name in f.get("analyses", sorted(f["solutions"])):
        s = f["solutions"][name]
        if name.startswith("not") or "truth_table" not in s:
            continue
        models = [(label, i, m) for label, ms in s["intermediate"].items() for i, m in enumerate(ms, 1)]
        if not models:
            lines.append(f"| {s['outcome']} | — | no intermediate solution | | | | |")
        for label, i, m in models:
            tag = f"{label} M{i}" if len(models) > 1 else "M1"
            for term in m["terms"]:
                lines.append(f"| {s['outcome']} | {tag} | {term['term'].replace('*', chr(92) + '*')} | "
                             + " | ".join(_cell(term[k]) for k in (*_FIT, "covU")) + " |")
            lines.append(f"| {s['outcome']} | {tag} | *solution* | " + " | ".join(_cell(m[k]) for k in _FIT) + " | |")
    lines += ["", f"Claims ledger: {f['claims_passed']} of {f['claims_total']} pass.", "",
              "| claim | status |", "|---|---|"]
    lines += [f"| `{c['id']}`: {_escaped(' '.join(c['text'].split()))} | {c['status']} |" for c in f["claims"]]
    return "\n".join(lines) + "\n"


def _escaped(text: str) -> str:
    r"""Text for a Markdown table cell: ``*``, ``_`` and ``|`` as themselves, not as markup.

    >>> print(_escaped("MPV*PPV | not_it"))
    MPV\*PPV \| not\_it
    """
    return "".join("\\" + ch if ch in "*_|" else ch for ch in text)


def write_findings(f: dict, out) -> str:
    """Write ``findings.json`` (sorted keys, 6 decimals) and ``findings.md`` (the same content,
    the analyses in the study's order); return the Markdown."""
    path = write_json(f, Path(out) / "findings.json")
    text = findings_markdown(read_json(path))
    (Path(out) / "findings.md").write_text(text, encoding="utf-8")
    return text
