"""The compendium's speed as a user meets it: ``python -m benchmarks.speed [--runs 3] [--specs 20000]``.

Each figure is a whole command run as a child process, measured by the operating system: CPU
seconds (user + system of the command and every process it started, from ``wait4``'s resource
usage) and wall seconds, with the machine's load average before the run. Measured, in order:

1. ``python -m analysis.qca --help``: the engine's command line starting and parsing nothing;
2. ``python -m analysis.qca --data LF.csv --outcome SURV --incl-cut 0.8``: a small analysis
   (R's ``LF``, Lipset's fuzzy data), the whole process;
3. ``python -m analysis.pipeline --out <tmp>``: a regeneration of every study of ``data/``
   (notebooks, tables, figures, reports), once (``--regen-runs``);
4. ``python -m analysis.multiverse --study ppip --size N --out <tmp>``: ``--specs``
   specifications of the PPIP multiverse on every core.

The minimum, median and maximum over ``--runs`` runs (figures 1 and 2) are printed; CPU seconds
are the steadier figure on a shared machine, wall seconds depend on the load printed beside
them. Nothing here asserts a time; the tests time nothing (README: Speed).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LF = ROOT / "tests" / "fixtures" / "reference" / "datasets" / "LF.csv"


def measure(argv: list) -> tuple:
    """Run ``argv`` (from the project's root) and return ``(cpu_seconds, wall_seconds, load)``:
    the CPU time of the process and of all it waited for, by ``os.wait4``.

    >>> cpu, wall, load = measure([sys.executable, "-c", "pass"])
    >>> cpu >= 0 and wall > 0 and load >= 0
    True
    """
    load = os.getloadavg()[0]
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark failed: {' '.join(map(str, argv))} exited with {proc.returncode}:\n{err[-2000:]}")
    return usage.ru_utime + usage.ru_stime, wall, load


def report(name: str, figures: list) -> str:
    """One line: the name, then min / median / max of CPU and wall seconds and the loads."""
    cpu = sorted(f[0] for f in figures)
    wall = sorted(f[1] for f in figures)
    loads = ", ".join(f"{f[2]:.1f}" for f in figures)
    return (f"{name:<44} CPU s {cpu[0]:8.2f} {statistics.median(cpu):8.2f} {cpu[-1]:8.2f}   "
            f"wall s {wall[0]:8.2f} {statistics.median(wall):8.2f} {wall[-1]:8.2f}   load {loads}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of the two command-line figures (default 5)")
    ap.add_argument("--regen-runs", type=int, default=1, help="regenerations of every study (default 1; 0 skips)")
    ap.add_argument("--specs", type=int, default=20000, help="multiverse specifications (default 20000; 0 skips)")
    args = ap.parse_args(argv)
    py = sys.executable
    print(f"{os.cpu_count()} cores; python {sys.version.split()[0]}; figures: min median max")
    print(report("python -m analysis.qca --help",
                 [measure([py, "-m", "analysis.qca", "--help"]) for _ in range(args.runs)]), flush=True)
    print(report("python -m analysis.qca (LF, SURV, incl_cut 0.8)",
                 [measure([py, "-m", "analysis.qca", "--data", str(LF), "--outcome", "SURV", "--incl-cut", "0.8"])
                  for _ in range(args.runs)]), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="benchmark-speed-"))
    try:
        figures = []
        for i in range(args.regen_runs):
            figures.append(measure([py, "-m", "analysis.pipeline", "--out", str(tmp / f"regen{i}")]))
        if figures:
            print(report("regeneration of every study (pipeline)", figures), flush=True)
        if args.specs:
            fig = measure([py, "-m", "analysis.multiverse", "--study", "ppip", "--size", str(args.specs),
                           "--out", str(tmp / "multiverse")])
            print(report(f"multiverse: {args.specs:,} PPIP specifications", [fig]), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
