"""Benchmark: how long a sweep of 500 or more perturbed fsQCA analyses takes.

    .venv/bin/python benchmarks/robustness_sweep.py [--analyses 600] [--workers N]

Builds a sweep like the robustness notebook's (``analysis.robustness``), but larger and with no
early end: for each analysis of the study (an outcome, or its negation), every step of every
condition anchor, a grid of ``incl_cut`` x ``pri_cut`` settings and each case dropped in turn,
until at least ``--analyses`` analyses; runs them with ``analysis.robustness.sweep.Sweep`` on ``--workers``
processes (default: every core) with a progress bar on stderr, and prints the time.  Target:
30 s or less on 2 cores.  Nothing is asserted: it prints.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.analyses import analyses  # noqa: E402
from analysis.measures import build_measures  # noqa: E402
from analysis.joint import joint_memberships  # noqa: E402
from analysis.memberships import calibrate_measures  # noqa: E402
from analysis.rawdata import load_raw  # noqa: E402
from analysis.robustness.plan import ANCHORS, range_plan, steps  # noqa: E402
from analysis.robustness.protocol import recalibrated  # noqa: E402
from analysis.analyses import Cuts  # noqa: E402
from analysis.robustness.sweep import Run, Sweep  # noqa: E402
from analysis.studyfile import load_study  # noqa: E402


def build(target: int):
    study = load_study(ROOT / "data" / "ppip" / "study.yml")
    measures = build_measures(study, load_raw(study))
    calibrated = calibrate_measures(measures, study.anchors).round(6)
    calibrated = calibrated.join(joint_memberships(calibrated, study.joint))      # MPV_PPV, ...
    measures.index = calibrated.index
    plan = analyses(study, study.thresholds)
    base = {k: study.thresholds[k] for k in ("incl_cut", "pri_cut", "n_cut")}

    def task(data, a, drop=(), cuts=None):
        return Run(a, data, drop=drop, cut_settings=None if cuts is None else tuple(Cuts(*c) for c in cuts))

    tasks = []
    grid = tuple((ic / 100, pc / 100, n) for ic in range(70, 96) for pc in range(60, 81, 5) for n in (1, 2))
    for p in range_plan(study.robustness, study.condition_anchors, study.scales, base, len(calibrated)):
        if p.anchors is None:
            continue
        for dr in (-1, 1):
            for _, v in steps(p, dr, 20)[0]:
                new = list(p.anchors)
                new[ANCHORS.index(p.which)] = v
                data = recalibrated(calibrated, measures, {p.measure: tuple(new)})
                tasks += [task(data, a) for a in plan]
    for a in plan:
        tasks.append(task(calibrated, a, cuts=grid))
        tasks += [task(calibrated, a, drop=(c,)) for c in calibrated.index]
    while sum(t.size for t in tasks) < target:
        tasks += tasks[: target - sum(t.size for t in tasks)]
    return tasks


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--analyses", type=int, default=600, help="at least this many analyses (default 600)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: os.cpu_count())")
    ns = ap.parse_args(argv)
    tasks = build(max(500, ns.analyses))
    n = sum(t.size for t in tasks)
    workers = ns.workers or os.cpu_count()
    start = time.perf_counter()
    with Sweep(workers=workers, desc="robustness sweep") as sweep:
        results = sweep.map(tasks)
    elapsed = time.perf_counter() - start
    assert len(results) == len(tasks)
    print(f"robustness sweep: {n} perturbed analyses ({len(tasks)} tasks) on {workers} worker(s) "
          f"in {elapsed:.2f} s ({1000 * elapsed / n:.1f} ms per analysis; target: 30 s or less on 2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
