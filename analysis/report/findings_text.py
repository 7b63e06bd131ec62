"""The findings as Markdown: ``findings.md`` and the README's findings in brief.

Both are written from ``findings.json`` (``analysis.report.findings``) and open the same way:
the headline ("N of M claims hold at the defaults; K of them are robust"), then every claim with
its status at the study's settings, its share in the robustness tests and in the multiverse, and
its verdict by the study file's rule, so that no verdict at the defaults stands alone.

>>> f = {"headline": "1 of 1 claims hold at the defaults; 0 of them are robust", "synthetic": True,
...      "thresholds": {"incl_cut": 0.8, "pri_cut": 0.7, "n_cut": 1}, "solutions": {}, "analyses": [],
...      "claims": [{"id": "a", "text": "A is core.", "basis": "abstract", "status": "pass",
...                  "robustness": {"holds": 1, "judged": 2, "share": 0.5, "by_kind": []},
...                  "multiverse": {"holds": 9, "judged": 10, "share": 0.9, "no_solution": 1,
...                                 "share_with_solution": 1.0},
...                  "verdict": "fragile"}]}
>>> print(claims_table(f))
| claim | basis | at the defaults | robustness tests | multiverse | verdict |
|---|---|---|---|---|---|
| `a`: A is core. | abstract | pass | 50% (1/2) | 90% (9/10; 1 without a solution); 100% of the 9 with one | **fragile** |
"""
from __future__ import annotations

from .numbering import SYNTHETIC_HEADLINE

__all__ = ["claims_table", "kinds_table", "findings_markdown", "summary_markdown"]

_FIT = ("inclS", "PRI", "covS")


def _escaped(text: str) -> str:
    r"""Text for a Markdown table cell: ``*``, ``_`` and ``|`` as themselves, not as markup.

    >>> print(_escaped("MPV*PPV | not_it"))
    MPV\*PPV \| not\_it
    """
    return "".join("\\" + ch if ch in "*_|" else ch for ch in " ".join(str(text).split()))


def _share(c: dict, extra: str = "") -> str:
    if not c.get("judged"):
        return "not judged"
    return f"{c['share']:.0%} ({c['holds']}/{c['judged']}{extra})"


def _multiverse(c: dict) -> str:
    if not c:
        return "not run"
    n = c.get("no_solution", 0)
    if not n or not c.get("judged"):
        return _share(c)
    rest = c["judged"] - n
    return _share(c, f"; {n} without a solution") + (
        f"; {c['share_with_solution']:.0%} of the {rest} with one" if rest else "; none with one")


def claims_table(f: dict) -> str:
    """Every claim: basis, status at the defaults, robustness share, multiverse share, verdict."""
    lines = ["| claim | basis | at the defaults | robustness tests | multiverse | verdict |", "|---|---|---|---|---|---|"]
    for c in f["claims"]:
        lines.append(f"| `{c['id']}`: {_escaped(c['text'])} | {c.get('basis', '')} | {c['status']} | "
                     f"{_share(c['robustness'])} | {_multiverse(c.get('multiverse'))} | **{c['verdict']}** |")
    return "\n".join(lines)


def kinds_table(f: dict) -> str:
    """The robustness of every claim per kind of test (holds/judged), and the kind it is weakest in."""
    kinds = list(dict.fromkeys(k["kind"] for c in f["claims"] for k in c["robustness"].get("by_kind", [])))
    if not kinds:
        return "No robustness test judged a claim."
    lines = ["| claim | " + " | ".join(kinds) + " |", "|---" * (len(kinds) + 1) + "|"]
    for c in f["claims"]:
        by = {k["kind"]: k for k in c["robustness"].get("by_kind", [])}
        cells = [_share(by[k]) if k in by else "" for k in kinds]
        lines.append(f"| `{c['id']}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _quotes(f: dict) -> list:
    lines = []
    for c in f["claims"]:
        if c.get("quote") or c.get("reading"):
            what = f"- `{c['id']}` ({c.get('basis', '')})"
            if c.get("quote"):
                what += f": the article: “{' '.join(c['quote'].split())}”"
            if c.get("reading"):
                what += f"; the compendium's reading: {' '.join(c['reading'].split())}"
            lines.append(what)
    return lines


EXPRESSIONS_SHOWN = 6


def _necessity_lines(f: dict) -> list:
    """Per outcome, the necessary conditions and the first ``EXPRESSIONS_SHOWN`` necessary
    expressions (superSubset's order: conjunctions, then disjunctions, by size)."""
    lines = []
    for outcome, n in f.get("necessity", {}).items():
        conds = ", ".join(f"{c['condition']} (inclN {c['inclN']:.3f}, RoN {c['RoN']:.3f})" for c in n["conditions"])
        shown = n["expressions"][:EXPRESSIONS_SHOWN]
        exps = ", ".join(f"`{e['expression']}`" for e in shown)
        more = len(n["expressions"]) - len(shown)
        lines.append(f"- {outcome}: necessary conditions: {conds or 'none'}"
                     + (f"; necessary expressions (superSubset): {exps}" if exps else "")
                     + (f" and {more} more (`tables/necessity_expressions.csv`)" if more > 0 else ""))
    return lines or ["- no analysis (the run wrote no necessity table)"]


def _enhanced_lines(f: dict) -> list:
    lines = []
    for name in f.get("analyses", []):
        s = f["solutions"].get(name, {})
        e = s.get("enhanced")
        if not e:
            continue
        kinds = {}
        for r in e.get("excluded", []):
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        changed = [c for c in e.get("changes", []) if c.get("changed") == "yes"]
        text = f"- {s['outcome']}: {len(e.get('excluded', []))} remainder(s) kept out of the simplifying assumptions"
        text += (" (" + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ")") if kinds else ""
        text += "; " + ("; ".join(f"{c['solution']} solution changed from `{c['standard analysis']}` to "
                                  f"`{c['enhanced standard analysis']}`" for c in changed) if changed
                        else "no solution changed")
        lines.append(text)
    return lines or ["- the enhanced standard analysis changed nothing or was not applied"]


def _robustness_lines(f: dict) -> list:
    lines = ["| analysis | tests | same as IS | RF_cov | RF_SC_minTS | RCR_typ | RCC_Rank |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    robustness = f.get("robustness", {})
    for r in [robustness[n] for n in f.get("analyses", sorted(robustness)) if n in robustness]:
        cells = [("" if r.get(k) is None else f"{r[k]:.3f}") for k in ("RF_cov", "RF_SC_minTS", "RCR_typ")]
        lines.append(f"| {r['outcome']} | {r['tests']} | {r['same_as_IS']} | " + " | ".join(cells)
                     + f" | {r.get('RCC_Rank', '')} |")
    return lines


def _md_models(title, models) -> list:
    lines = [f"- {title}:"]
    for i, m in enumerate(models, 1):
        lines.append(f"  - M{i}: `{m['expression']}` (inclS {m['inclS']:.3f}, PRI {m['PRI']:.3f}, covS {m['covS']:.3f})")
    return lines


def _solution_lines(f: dict) -> list:
    lines = []
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
        lines += [f"- warning: {w}" for w in s["warnings"]] + [""]
    return lines


def findings_markdown(f: dict) -> str:
    """``findings.md``: the headline and how far each claim holds, necessity, the enhanced
    standard analysis, the robustness of the solutions, the multiverse, the run, every solution."""
    lines = [f"# Findings: {f['title']}", ""]
    if f["synthetic"]:
        lines += [f"> {SYNTHETIC_HEADLINE} " + f["notice"], ""]
    d = f["data"]
    mv = f.get("multiverse") or {}
    lines += ["## Headline", "", f"**{f['headline']}.**" + (" (Synthetic stand-in data: these are not the article's "
                                                             "findings.)" if f["synthetic"] else ""), ""]
    if f.get("standin"):
        lines += [f"> {f['standin']['seed_choice']}", ""]
    lines += [f["verdict_rule"]["text"], "",
              "## How far each claim holds", "", claims_table(f), "",
              "A claim holds at the defaults only if it holds in every tied model of the solution it is about. "
              "Robustness tests and multiverse specifications that cannot judge a claim (one of its conditions "
              "left out; a claim about the calibration at the published anchors or about the robustness tests "
              "themselves) are not counted.", "",
              "### The robustness of each claim by kind of test", "", kinds_table(f), ""]
    quotes = _quotes(f)
    if quotes:
        lines += ["### What each claim reads", ""] + quotes + [""]
    lines += ["### Evidence at the defaults", "", "| claim | evidence |", "|---|---|"]
    lines += [f"| `{c['id']}` | {_escaped(c['evidence'])} |" for c in f["claims"]] + [""]
    lines += ["## Necessity", ""] + _necessity_lines(f) + [""]
    lines += ["## The enhanced standard analysis", ""] + _enhanced_lines(f) + [""]
    lines += ["## Robustness of the solutions", ""] + _robustness_lines(f) + [""]
    lines += ["## Multiverse", "", (f"{mv['description']}." if mv else "This run has no multiverse."), ""]
    lines += ["## Run", "",
              f"- study: `{f['study']}`; data file `{d['file']}` ({d['n_cases']} cases), SHA-256 `{d['sha256']}`",
              "- thresholds: " + ", ".join(f"{k} = {v:g}" for k, v in sorted(f["thresholds"].items())),
              "- directional expectations (positive outcomes; none for negated outcomes): "
              + ", ".join(f"{k} = {v}" for k, v in f["dir_exp"].items()),
              "- software: " + ", ".join(f"{k} {v}" for k, v in sorted(f["packages"].items())), "",
              "## In brief", "", summary_markdown(f), "## Solutions", ""] + _solution_lines(f)
    return "\n".join(lines).rstrip("\n") + "\n"


def _cell(v) -> str:
    return "" if v is None else f"{v:.3f}"


def summary_markdown(f: dict) -> str:
    """The findings in brief, for the README: the headline, every claim with how far it holds,
    then every configuration of the intermediate solution of every positive outcome with its fit."""
    kind = "synthetic stand-in data: not the article's findings" if f["synthetic"] else "published data"
    t = f["thresholds"]
    lines = [f"Regenerated by `make reproduce` ({kind}); incl_cut {t['incl_cut']:g}, pri_cut {t['pri_cut']:g}, "
             f"n_cut {t['n_cut']:g}. **{f['headline']}** (robust: at least {f['verdict_rule']['robust']:.0%} in "
             "every kind of robustness test and in the multiverse).", "", claims_table(f), ""]
    if f.get("standin"):
        lines += [f"{f['standin']['seed_choice']}", ""]
    lines += ["Intermediate solutions, every tied model:", "",
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
    return "\n".join(lines) + "\n"
