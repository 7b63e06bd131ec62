"""Benchmark of the multiverse: ``python -m benchmarks.multiverse [--specs 4000] [--study ppip]``.

Measures, each in a fresh child process (cold caches, as a user's run starts), the CPU seconds
(``resource.getrusage`` of the child and of its worker processes, the figure a shared machine
disturbs least), the wall time with the machine's load (``os.getloadavg`` before and after), and
the specifications per second of a seeded sample of the study's multiverse (``analysis.multiverse``)
on one core (``workers=1``), on every core (local processes), and on a two-worker Dask
``LocalCluster``; with ``--scaling N ...`` runs of N specifications on every core, to show how
the CPU seconds grow with the sample (the share of codings not seen before falls); then the peak memory (resident set size of the parent and of the largest
worker) against the number of specifications, to show that it stays flat (chunks are written
as they finish).  Prints a table and writes ``benchmarks/multiverse.json``.  Nothing here
asserts a time: the figures depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r'''
import json, os, resource, sys, time
from pathlib import Path
from analysis.studyfile import load_study
from analysis.measures import build_measures
from analysis.rawdata import load_raw
from analysis.multiverse import run_multiverse
study, size, workers, scheduler, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] or None, sys.argv[5]
S = load_study(Path("data") / study / "study.yml")
M = build_measures(S, load_raw(S))
def cpu():
    return sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
load, c = os.getloadavg()[0], cpu()
t = time.perf_counter()
mv = run_multiverse(S, M, S.thresholds, out, size=size, workers=workers, scheduler=scheduler, progress=False,
                    restart=True)
run, run_cpu = time.perf_counter() - t, cpu() - c
t = time.perf_counter()
summary = mv.summary(S.claims)
summarise = time.perf_counter() - t
print(json.dumps({"seconds": run, "cpu_seconds": run_cpu, "load_before": load, "load_after": os.getloadavg()[0],
                  "summary_seconds": summarise, "specifications": summary.specifications,
                  "peak_rss_mb_parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "peak_rss_mb_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
'''


def _child(study, size, workers, scheduler=""):
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, "-c", CHILD, study, str(size), str(workers), scheduler, tmp + "/mv"],
                           cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"}
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["per_second"] = out["specifications"] / out["seconds"]
    return out


def _line(r: dict) -> str:
    return (f"{r['cpu_seconds']:7.1f} CPU-s ({1000 * r['cpu_seconds'] / r['specifications']:.2f} ms a spec)  "
            f"{r['seconds']:7.1f} s wall  load {r['load_before']:.1f} -> {r['load_after']:.1f}  "
            f"summary {r['summary_seconds']:.1f} s")


def _series(study, sizes, cores, what, shown) -> list:
    """Runs of each of ``sizes`` specifications on every core, each printed as ``shown(result)``."""
    out = []
    for n in sizes:
        r = _child(study, n, cores)
        out.append({"specifications": n, **r})
        print(f"{what} {n:>9,} specs  " + (r["error"] if "error" in r else shown(r)), flush=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.multiverse", description=__doc__)
    ap.add_argument("--study", default="ppip")
    ap.add_argument("--specs", type=int, default=4000, help="specifications of the speed runs")
    ap.add_argument("--memory", type=int, nargs="*", default=[1000, 4000, 16000],
                    help="specification counts of the memory runs (on every core)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "multiverse.json"))
    ap.add_argument("--runs", nargs="*", choices=("serial", "local", "dask"), default=["serial", "local", "dask"],
                    help="one core; every core as local processes; a two-worker Dask LocalCluster")
    ap.add_argument("--scaling", type=int, nargs="*", default=[],
                    help="specification counts run on every core, to show how the CPU seconds grow (e.g. 20000 "
                         "100000 300000), with what a cluster of n workers would take at that rate")
    ns = ap.parse_args(argv)
    cores = os.cpu_count() or 1
    rows = []
    runs = {"serial": ("1 core", 1, ""), "local": (f"{cores} cores (processes)", cores, ""),
            "dask": ("LocalCluster, 2 workers", 2, "local")}
    for label, workers, scheduler in (runs[r] for r in ns.runs):
        r = _child(ns.study, ns.specs, workers, scheduler)
        rows.append({"run": label, "specifications": ns.specs, **r})
        print(f"{label:28} {ns.specs:>8,} specs  " + (_line(r) if "error" not in r else r["error"]), flush=True)
    scaling = _series(ns.study, ns.scaling, cores, "scaling", lambda r: _line(r) + (
        f"\n        a cluster of n workers at this rate: about {r['cpu_seconds']:.0f} / n s of wall time "
        "(each worker solves the codings of its share of the condition sets and cut-offs, "
        "analysis.multiverse.shares; none are sent between workers)"))
    memory = _series(ns.study, ns.memory, cores, "memory", lambda r: (
        f"{r['cpu_seconds']:7.1f} CPU-s  {r['seconds']:7.1f} s  peak RSS parent {r['peak_rss_mb_parent']:.0f} MB, "
        f"largest worker {r['peak_rss_mb_children']:.0f} MB"))
    Path(ns.out).write_text(json.dumps({"machine": {"cores": cores, "python": platform.python_version(),
                                                    "platform": platform.platform()},
                                        "study": ns.study, "speed": rows, "scaling": scaling, "memory": memory},
                                       indent=1) + "\n")
    print(f"written to {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
