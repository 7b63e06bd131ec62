"""Benchmark: the engine on the small truth tables a multiverse solves (new codings, ESA rows).

    .venv/bin/python -m benchmarks.engine_small [--study ppip] [--specs 2000] [--repeat 1]

Runs ``--specs`` specifications of the study's multiverse (``analysis.multiverse``, its own
sample) in this process and records what they ask of the engine: every truth table a new coding
is solved on (``solve(tt, dir_exp, fits=False)``), every coding whose parsimonious simplifying
assumptions are needed (``solutions.parsimonious_sa``) and every call of the enhanced standard
analysis' rule (``enhanced.esa_codes``; timed with the simplifying assumptions it needs found
beforehand, as the multiverse caches them: they are timed as ``parsimonious_sa``).  Then it repeats exactly those engine calls, without the
multiverse's caches, and prints the CPU seconds (``time.process_time``) of each kind per call,
with the load (``os.getloadavg``), and a digest (sha256) of their answers: the models, their
order, the intermediate blocks' easy and difficult counterfactuals, the simplifying assumptions
and the ESA rows, so that two versions of the engine can be compared on the same calls.  Nothing
is asserted: it prints.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analysis.coded as coded  # noqa: E402
import analysis.enhanced as enhanced  # noqa: E402
from analysis.measures import build_measures  # noqa: E402
from analysis.multiverse import universe  # noqa: E402
from analysis.multiverse.evaluate import evaluate  # noqa: E402
from analysis.multiverse.grid import sample  # noqa: E402
from analysis.qca import solutions  # noqa: E402
from analysis.qca.enhanced import esa_codes  # noqa: E402
from analysis.rawdata import load_raw  # noqa: E402
from analysis.studyfile import load_study  # noqa: E402


def record(study: str, specs: int) -> dict:
    """The engine calls of ``specs`` specifications of ``study``'s multiverse, in their order."""
    s = load_study(ROOT / "data" / study / "study.yml")
    u = universe.prepare(s, build_measures(s, load_raw(s)), s.thresholds)
    numbers, _ = sample(u.grid, specs, s.multiverse.seed)
    calls = {"solve": [], "parsimonious_sa": [], "esa_codes": []}
    solve, sa, esa = coded.solve, enhanced.parsimonious_sa, enhanced.esa_codes

    def solve_recorded(tt, dir_exp=None, **kw):
        calls["solve"].append((tt, dir_exp, kw))
        return solve(tt, dir_exp, **kw)

    def sa_recorded(positive, negative, k):
        calls["parsimonious_sa"].append((np.array(positive), np.array(negative), k))
        return sa(positive, negative, k)

    def esa_recorded(*args, **kw):
        calls["esa_codes"].append((args, {n: v for n, v in kw.items() if n != "sa"}))
        return esa(*args, **kw)

    coded.solve, enhanced.parsimonious_sa, enhanced.esa_codes = solve_recorded, sa_recorded, esa_recorded
    try:
        evaluate(u, numbers)
    finally:
        coded.solve, enhanced.parsimonious_sa, enhanced.esa_codes = solve, sa, esa
    return calls


def _solutions_text(sols) -> str:
    parts = [sols.complex.undefined, sols.parsimonious.undefined]
    for sol in (sols.complex, sols.parsimonious, *sols.intermediate):
        parts.append(f"{sol.kind} {sol.label}: " + " | ".join(str(m) for m in sol.models))
        if sol.kind == "intermediate":
            parts.append(f"EC {list(sol.easy_codes)} DC {list(sol.difficult_codes)}")
    parts.append(f"SA {[list(c) for c in sols.parsimonious.simplifying_codes]}")
    return "\n".join(parts)


def replay(calls: dict, repeat: int) -> dict:
    """CPU seconds per call of each kind (the best of ``repeat`` passes) and a digest of the answers."""
    known: dict = {}

    def sa(positive, negative, k):          # the simplifying assumptions, timed on their own
        key = (k, np.asarray(positive).tobytes(), np.asarray(negative).tobytes())
        if key not in known:
            known[key] = solutions.parsimonious_sa(positive, negative, k)
        return known[key]
    for args, kw in calls["esa_codes"]:
        esa_codes(*args, **kw, sa=sa)
    kinds = {
        "solve": lambda c: _solutions_text(solutions.solve(c[0], c[1], **c[2])),
        "parsimonious_sa": lambda c: repr(solutions.parsimonious_sa(*c)),
        "esa_codes": lambda c: repr(sorted(esa_codes(*c[0], **c[1], sa=sa).items())),
    }
    out = {}
    for kind, run in kinds.items():
        best, digest = None, ""
        for _ in range(repeat):
            h = hashlib.sha256()
            start = time.process_time()
            for c in calls[kind]:
                h.update(run(c).encode())
            cpu = time.process_time() - start
            best = cpu if best is None else min(best, cpu)
            digest = h.hexdigest()[:16]
        out[kind] = (len(calls[kind]), best, digest)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--study", default="ppip")
    ap.add_argument("--specs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=1)
    ns = ap.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calls = record(ns.study, ns.specs)
        ks = sorted({c[0].k for c in calls["solve"]})
        print(f"{ns.study}, {ns.specs} specifications: conditions {ks}")
        for kind, (n, cpu, digest) in replay(calls, ns.repeat).items():
            per = cpu / n * 1000 if n else float("nan")
            print(f"{kind:16s} {n:6d} calls  {cpu:7.2f} CPU-s  {per:6.3f} ms/call  digest {digest}  "
                  f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
