"""The findings of a run, written last, from everything steps 1 to 6 measured.

``notebooks/07_findings`` reads what the earlier steps saved (``Measured.read``): the data's
provenance (step 1), the necessity tables (step 3), the solutions with what the enhanced
standard analysis changed (step 4), the robustness measures and the claims' verdicts in every
test solution (step 5), the multiverse's shares and flips (step 6).  It then tests every claim
at the study's settings (the ledger), says how far each holds (``analysis.claims.verdicts``) and
writes ``findings.json`` (everything; no timestamps: the same inputs give the same file) and
``findings.md``, its readable form (``analysis.report.findings_text``), with the synthetic-data
notice first when the data are a stand-in.

>>> doc = {"outcome": "Y", "conditions": ["A", "B"], "dir_exp": {"A": 1, "B": 1}, "warnings": [],
...        "boundary_cases": [], "truth_table": [{"row": "11", "OUT": "1"}, {"row": "00", "OUT": "0"}],
...        "solutions": {"complex": {"fits": [{"model": ["A*B"], "inclS": 0.9, "PRI": 0.8, "covS": 0.7}]},
...                      "parsimonious": {"fits": [{"model": ["A"], "inclS": 0.9, "PRI": 0.8, "covS": 0.8}]},
...                      "intermediate": []}}
>>> solution_summary(doc)["truth_table"]
{'rows_observed': 2, 'rows_positive': 1, 'rows_negative': 1, 'rows_remainder': 2, 'boundary_cases': []}
"""
from __future__ import annotations

import math
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..claims.verdicts import ALL_TESTS, headline
from .findings_text import findings_markdown
from .tables import read_json, read_table, write_json

__all__ = ["PACKAGES", "Measured", "package_versions", "solution_documents", "core_stability_records",
           "solution_summary", "claim_records", "findings", "write_findings"]

PACKAGES = ("ppip-fsqca", "numpy", "pandas", "scipy", "matplotlib", "pyyaml", "papermill", "nbclient",
            "ipykernel")
_FIT = ("inclS", "PRI", "covS")
_ROBUSTNESS = ("RF_cov", "RF_cons", "RF_SC_minTS", "RF_SC_maxTS", "RCR_typ", "RCR_dev", "RCC_Rank")


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
    """{analysis name: the core stability of its initial solution, per kind of test}, from step
    5's ``robustness/<analysis>_fit.json``."""
    return {a.name: read_json(Path(out) / "robustness" / f"{a.name}_fit.json")["core_stability"] for a in analyses}


def _optional_table(run, name) -> pd.DataFrame:
    return read_table(run, name) if run.path("tables", f"{name}.csv").is_file() else pd.DataFrame()


@dataclass(frozen=True)
class Measured:
    """What steps 1 to 6 of a run saved, as the findings read it (``Measured.read``)."""

    provenance: dict
    documents: dict                  # analysis -> solutions/<analysis>.json
    stability: dict                  # analysis -> core stability records (per kind of test)
    robustness: dict                 # analysis -> robustness/<analysis>_fit.json
    claim_tests: pd.DataFrame        # tables/robustness_claims: each claim in each test solution
    necessity: pd.DataFrame          # tables/necessity: every condition, flagged necessary or not
    expressions: pd.DataFrame        # tables/necessity_expressions: necessary conjunctions, disjunctions
    multiverse: dict = field(default_factory=dict)     # multiverse.json ({} when the run has none)
    flips: pd.DataFrame = field(default_factory=pd.DataFrame)   # tables/multiverse_flips

    @classmethod
    def read(cls, run, analyses) -> "Measured":
        """Read a run's saved results (``run``: ``analysis.runs.Run``); the multiverse is optional."""
        out = run.out
        mv = run.path("multiverse.json")
        return cls(provenance=read_json(run.path("provenance.json")), documents=solution_documents(out, analyses),
                   stability=core_stability_records(out, analyses),
                   robustness={a.name: read_json(Path(out) / "robustness" / f"{a.name}_fit.json") for a in analyses},
                   claim_tests=read_table(run, "robustness_claims"), necessity=read_table(run, "necessity"),
                   expressions=_optional_table(run, "necessity_expressions"),
                   multiverse=read_json(mv) if mv.is_file() else {}, flips=_optional_table(run, "multiverse_flips"))

    @property
    def multiverse_findings(self) -> pd.DataFrame:
        """The multiverse's findings table (finding, kind, judged, holds, share, no_solution)."""
        return pd.DataFrame(self.multiverse.get("findings", []),
                            columns=["finding", "kind", "text", "judged", "holds", "share", "no_solution"])


def _models(block) -> list:
    return [{"expression": " + ".join(f["model"]), **{k: f[k] for k in _FIT},
             "terms": [{"term": t["term"], **{k: t[k] for k in (*_FIT, "covU")}} for t in f.get("terms", [])]}
            for f in block.get("fits", [])]


def solution_summary(doc: dict) -> dict:
    """One analysis in brief, from its ``solutions/<analysis>.json``: the truth table's rows by
    kind, the cases on a crossover, every tied model with its fit, what the enhanced standard
    analysis changed, the warnings; or the reason there is no solution."""
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
    if "enhanced" in doc:
        out["enhanced"] = doc["enhanced"]
    if "error" in doc:                               # some solutions do not exist
        out["error"] = doc["error"]
    return out


def _nan_none(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def _count(holds, judged) -> dict:
    return {"holds": int(holds), "judged": int(judged), "share": _nan_none(holds / judged if judged else None)}


def claim_records(claims, ledger: pd.DataFrame, verdicts: pd.DataFrame, shares: pd.DataFrame,
                  flips: pd.DataFrame) -> list:
    """Per claim, everything ``findings.json`` says of it: id, text, basis (and quote, reading),
    status and evidence at the defaults, ``robustness: {holds, judged, share, by_kind, weakest_kind}``,
    ``multiverse: {holds, judged, share, no_solution, share_with_solution, flips_most}``, ``verdict``."""
    by_id = {str(c["id"]): c for c in claims}
    first_flip = flips.drop_duplicates("finding").set_index("finding") if len(flips) else pd.DataFrame()
    out = []
    for row, v in zip(ledger.to_dict("records"), verdicts.to_dict("records")):
        cid = str(row["id"])
        c = by_id.get(cid, {})
        mine = shares[shares["claim"] == cid]
        by_kind = [{"kind": k, **_count(h, j)} for k, h, j in zip(mine["kind"], mine["holds"], mine["judged"])
                   if k != ALL_TESTS]                 # a list: the kinds in the protocol's order
        flip = None
        if cid in first_flip.index:
            f = first_flip.loc[cid]
            flip = {"choice": f["choice"], "lowest": str(f["lowest"]), "share_lowest": float(f["share_lowest"]),
                    "highest": str(f["highest"]), "share_highest": float(f["share_highest"])}
        out.append({"id": cid, "text": row["text"], "basis": c.get("basis", "interpretation"),
                    **{k: c[k] for k in ("quote", "reading") if c.get(k)},
                    "status": row["status"], "evidence": row["evidence"],
                    "robustness": {**_count(v["robustness_holds"], v["robustness_judged"]), "by_kind": by_kind,
                                   "weakest_kind": v["weakest_kind"] or None},
                    "multiverse": {**_count(v["multiverse_holds"], v["multiverse_judged"]),
                                   "no_solution": int(v["multiverse_no_solution"]),
                                   "share_with_solution": _nan_none(v["multiverse_share_with_solution"]),
                                   "flips_most": flip},
                    "verdict": v["verdict"]})
    return out


def _necessity(measured: Measured) -> dict:
    """{outcome: {"conditions": [...], "expressions": [...]}}: what step 3 found necessary."""
    out = {doc.get("outcome", name): None for name, doc in measured.documents.items()}   # the study's order
    nec = measured.necessity
    for label, g in nec.groupby("outcome", sort=False):
        flagged = g[g["necessary"].astype(str) == "True"]
        out[label] = {"conditions": [{k: r[k] for k in ("condition", "inclN", "RoN", "covN")}
                                     for r in flagged.to_dict("records")], "expressions": []}
    exp = measured.expressions
    for r in exp.to_dict("records") if len(exp) else []:
        if out.get(r["outcome"]) is None:
            out[r["outcome"]] = {"conditions": [], "expressions": []}
        out[r["outcome"]]["expressions"].append(
            {"expression": r["expression"], **{k: r[k] for k in ("inclN", "RoN", "covN") if k in r}})
    return {k: v for k, v in out.items() if v is not None}


def _standin(study) -> dict:
    """The stand-in's seed and, when it was chosen among others, how (``standin.seed_choice``)."""
    d = getattr(study, "standin", None)
    if d is None:
        return {}
    choice = d.seed_choice.describe(d.seed) if d.seed_choice is not None else \
        f"The stand-in's seed is {d.seed}; it was not chosen among other seeds."
    return {"standin": {"seed": d.seed, "seed_choice": choice}}


def findings(study, parameters: dict, measured: Measured, ledger: pd.DataFrame, verdicts: pd.DataFrame,
             shares: pd.DataFrame) -> dict:
    """Everything ``findings.json`` records: the study, the data read, the thresholds, the
    headline and the verdict rule, every claim (``claim_records``), the necessary conditions and
    expressions, every analysis in brief (with what the enhanced standard analysis changed), the
    robustness of every solution, the multiverse, and the software."""
    p = measured.provenance
    mv = measured.multiverse
    return {"study": p["study"], "title": p["title"], "synthetic": bool(study.synthetic), "notice": p["notice"],
            "data": {"file": p["data_file"], "sha256": p["data_sha256"], "n_cases": p["n_cases"]},
            "thresholds": parameters, "dir_exp": {c: study.dir_exp.get(c, "-") for c in study.conditions},
            "conditions": list(study.conditions), "outcomes": list(study.outcomes),
            **({"joint_outcomes": {n: j.expression for n, j in study.joint.items()}} if study.joint else {}),
            **_standin(study),
            "headline": headline(verdicts), "verdict_rule": {"robust": study.verdict.robust,
                                                             "text": study.verdict.describe()},
            "claims": claim_records(study.claims, ledger, verdicts, shares, measured.flips),
            "claims_passed": int((ledger["status"] == "pass").sum()), "claims_total": int(len(ledger)),
            "claims_robust": int((verdicts["verdict"] == "robust").sum()),
            "necessity": _necessity(measured),
            "analyses": list(measured.documents),
            "solutions": {name: solution_summary(doc) for name, doc in measured.documents.items()},
            "robustness": {name: {"outcome": r["outcome"], **{k: r.get(k) for k in _ROBUSTNESS},
                                  "tests": len(r["tests"]), "same_as_IS": sum(bool(t["same_as_IS"]) for t in r["tests"])}
                           for name, r in measured.robustness.items()},
            "multiverse": {"description": mv.get("description", ""),
                           "specifications": int(mv.get("manifest", {}).get("specifications", 0))} if mv else {},
            "packages": package_versions()}


def write_findings(f: dict, out) -> str:
    """Write ``findings.json`` (sorted keys, 6 decimals) and ``findings.md`` (the same content,
    the analyses in the study's order); return the Markdown."""
    path = write_json(f, Path(out) / "findings.json")
    text = findings_markdown(read_json(path))
    (Path(out) / "findings.md").write_text(text, encoding="utf-8")
    return text
