"""What the multiverse says: how often each finding survives, and which choices flip it.

Read chunk by chunk (memory: one chunk, whatever the number of specifications):

``findings``  one row per finding (each claim of the ledger, each core condition of the study's
              own solutions): the specifications that can judge it, those in which it holds, the
              share (holds / judged; Steegen et al. 2016's "how robust is the finding to the
              choices"), and ``no_solution``: the judged specifications in which an outcome the
              finding is about has no solution (the finding fails in them: no solution is
              evidence against it).
``choices``   the same share for every value of every choice: a finding that holds at one value
              of a choice and fails at another *depends* on that choice.
``flips``     for every finding and choice whose values give different shares: the value with
              the lowest share and the one with the highest (with the specifications behind
              each: a value few specifications take gives a noisy share), and the spread
              between them, largest first: which choices flip which findings.
``curve``     the solution consistency and coverage of every analysis for the specifications of
              the specification curve (Simonsohn, Simmons & Nelson 2020): every specification,
              or an evenly spaced subset of at most ``CURVE_POINTS`` of them (in run order).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..claims.checks import solution_kind
from ..claims.schema import outcome_key, outcomes_of
from . import store

__all__ = ["CURVE_POINTS", "MultiverseSummary", "summarise"]

CURVE_POINTS = 2000
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class MultiverseSummary:
    """The shares of the multiverse (module docstring)."""

    findings: pd.DataFrame
    choices: pd.DataFrame
    flips: pd.DataFrame
    curve: pd.DataFrame
    specifications: int


def _finding_columns(frame) -> list:
    return [c for c in frame.columns if c.startswith(("claim: ", "core: "))]


def _batches(frames, rows: int = BATCH_ROWS):
    """Chunks joined into batches of about ``rows`` rows (fewer, larger group-bys; memory stays
    bounded by the batch)."""
    batch, n = [], 0
    for f in frames:
        batch.append(f)
        n += len(f)
        if n >= rows:
            yield pd.concat(batch, ignore_index=True)
            batch, n = [], 0
    if batch:
        yield pd.concat(batch, ignore_index=True)


def _about(column: str, claims: dict, analyses: list) -> list:
    """The analyses whose solutions a finding column is about (``core: MPV: X``: MPV; a claim:
    the outcomes of its check, for the checks that read solutions)."""
    kind, rest = column.split(": ", 1)
    if kind == "core":
        return [rest.split(": ", 1)[0]]
    check = claims.get(rest, {}).get("check")
    if check is None or solution_kind(check) is None:
        return []
    wanted = {outcome_key(o) for o in outcomes_of(check)}
    return [a for a in analyses if outcome_key(a) in wanted]


def _sums_by_value(values: np.ndarray, judged: np.ndarray, holds: np.ndarray) -> tuple:
    """The distinct ``values`` of a choice in the order they first appear, and the column sums of
    ``judged`` and ``holds`` (specifications x findings, 0/1) over the rows of each, as lists of
    Python integers (what ``groupby(values, sort=False).sum()`` gives, without a frame per choice).

    >>> v, t, h = _sums_by_value(np.array(["b", "a", "b"], dtype=object), np.array([[1, 0], [1, 1], [1, 1]]),
    ...                          np.array([[1, 0], [0, 0], [0, 1]]))
    >>> v, t, h
    (['b', 'a'], [[2, 1], [1, 1]], [[1, 1], [0, 0]])
    """
    codes, uniques = pd.factorize(values, sort=False)
    t_sum = np.zeros((len(uniques), judged.shape[1]), dtype=np.int64)
    h_sum = np.zeros_like(t_sum)
    np.add.at(t_sum, codes, judged)
    np.add.at(h_sum, codes, holds)
    return list(uniques), t_sum.tolist(), h_sum.tolist()


def summarise(folder, meta: dict, claims=()) -> MultiverseSummary:
    """The summary of the multiverse in ``folder`` described by ``meta`` (its manifest)."""
    texts = {f"claim: {c['id']}": str(c.get("text", "")) for c in claims}
    by_id = {str(c["id"]): c for c in claims}
    choices = [g["name"] for g in meta["grid"]]
    step = max(1, math.ceil(meta["specifications"] / CURVE_POINTS))
    totals, by_value, curve, seen = {}, {}, [], 0
    for frame in _batches(store.read_chunks(folder, meta["chunks"])):
        findings = _finding_columns(frame)
        analyses = [c[:-len(": models")] for c in frame.columns if c.endswith(": models")]
        judged = frame[findings].notna().to_numpy(dtype=np.int64)
        holds = frame[findings].fillna(False).astype(bool).to_numpy(dtype=np.int64)
        for j, col in enumerate(findings):
            about = _about(col, by_id, analyses)
            none = (frame[[f"{a}: models" for a in about]] == 0).any(axis=1).to_numpy() if about else False
            t, h, n = totals.get(col, (0, 0, 0))
            totals[col] = (t + int(judged[:, j].sum()), h + int(holds[:, j].sum()),
                           n + int((judged[:, j].astype(bool) & none).sum()))
        for ch in choices:
            values, t_sum, h_sum = _sums_by_value(frame[ch].astype(str).to_numpy(), judged, holds)
            for value, t_row, h_row in zip(values, t_sum, h_sum):
                for col, t_add, h_add in zip(findings, t_row, h_row):
                    key = (col, ch, value)
                    t, h = by_value.get(key, (0, 0))
                    by_value[key] = (t + t_add, h + h_add)
        rank = np.arange(seen, seen + len(frame))
        curve.append(frame.loc[rank % step == 0, [c for c in frame.columns if not c.startswith(("claim: ", "core: "))
                                                  and not c.endswith((": solution", ": parsimonious"))]])
        seen += len(frame)
    rows = [{"finding": col.split(": ", 1)[1], "kind": col.split(": ", 1)[0], "text": texts.get(col, ""),
             "judged": t, "holds": h, "share": h / t if t else float("nan"), "no_solution": n}
            for col, (t, h, n) in totals.items()]
    findings = pd.DataFrame(rows, columns=["finding", "kind", "text", "judged", "holds", "share", "no_solution"])
    order = {g["name"]: [str(v) for v in g["values"]] for g in meta["grid"]}
    crow = [{"finding": col.split(": ", 1)[1], "choice": ch, "value": value, "judged": t, "holds": h,
             "share": h / t if t else float("nan")} for (col, ch, value), (t, h) in by_value.items()]
    chosen = pd.DataFrame(crow, columns=["finding", "choice", "value", "judged", "holds", "share"])
    if len(chosen):
        pos = {(ch, v): i for ch, vs in order.items() for i, v in enumerate(vs)}
        chosen["_f"] = chosen["finding"].map({f: i for i, f in enumerate(findings["finding"])})
        chosen["_c"] = chosen["choice"].map({c: i for i, c in enumerate(choices)})
        chosen["_v"] = [pos.get((c, v), 0) for c, v in zip(chosen["choice"], chosen["value"])]
        chosen = chosen.sort_values(["_f", "_c", "_v"]).drop(columns=["_f", "_c", "_v"]).reset_index(drop=True)
    return MultiverseSummary(findings=findings, choices=chosen, flips=flips(chosen),
                             curve=pd.concat(curve, ignore_index=True) if curve else pd.DataFrame(),
                             specifications=seen)


def flips(choices: pd.DataFrame, at_least: float = 0.0) -> pd.DataFrame:
    """For every (finding, choice) whose values give shares further apart than ``at_least``:
    the value with the lowest share, the one with the highest, and the spread; largest first.

    >>> c = pd.DataFrame({"finding": ["a", "a"], "choice": ["incl_cut"] * 2, "value": ["0.8", "0.9"],
    ...                   "judged": [10, 10], "holds": [10, 2], "share": [1.0, 0.2]})
    >>> flips(c)[["finding", "choice", "lowest", "share_lowest", "spread"]].to_dict("records")
    [{'finding': 'a', 'choice': 'incl_cut', 'lowest': '0.9', 'share_lowest': 0.2, 'spread': 0.8}]
    """
    cols = ["finding", "choice", "lowest", "share_lowest", "judged_lowest", "highest", "share_highest",
            "judged_highest", "spread"]
    rows = []
    judged = choices[choices["judged"] > 0]
    for (finding, choice), (values, shares, counts) in _groups(judged).items():
        lo, hi = shares.index(min(shares)), shares.index(max(shares))      # the first lowest, highest
        spread = float(shares[hi] - shares[lo])
        if spread > at_least:
            rows.append({"finding": finding, "choice": choice, "lowest": values[lo], "share_lowest": float(shares[lo]),
                         "judged_lowest": int(counts[lo]), "highest": values[hi],
                         "share_highest": float(shares[hi]), "judged_highest": int(counts[hi]),
                         "spread": round(spread, 12)})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["spread", "finding", "choice"], ascending=[False, True, True], kind="stable") \
        .reset_index(drop=True)


def _groups(judged: pd.DataFrame) -> dict:
    """``(finding, choice)`` -> the values, shares and judged counts of its rows, in the order of
    the rows, the groups in the order they first appear (``groupby([...], sort=False)``'s groups),
    rows whose share is missing left out (``idxmin`` and ``idxmax`` skip them) and groups with no
    share left dropped; a missing finding or choice is no group (``groupby`` drops it)."""
    out: dict = {}
    for finding, choice, value, share, count in zip(judged["finding"].tolist(), judged["choice"].tolist(),
                                                    judged["value"].tolist(), judged["share"].tolist(),
                                                    judged["judged"].tolist()):
        if pd.isna(finding) or pd.isna(choice) or pd.isna(share):
            continue
        group = out.setdefault((finding, choice), ([], [], []))
        group[0].append(value)
        group[1].append(share)
        group[2].append(count)
    return out
