"""Timing benchmarks of the fsQCA engine: ``python -m benchmarks.run [--quick] [--only-k 8 10]``.

For a grid of seeded random fuzzy-set problems (conditions k, cases n, seed, consistency cut-off)
it times, separately, the truth table, the complex solution, the parsimonious solution and the
intermediate solution (median of repeated runs in one process, after a warm-up run), each problem
in its own child process under a time limit.  It then times the whole compendium regeneration
(``python -m analysis.pipeline --out <tmpdir>``, median of 3) and the robustness sweep
(``benchmarks/robustness_sweep.py``, when it exists), prints a plain-text table and writes
``benchmarks/results.json``.  See benchmarks/README.md for how to read the output.

Nothing here asserts a time: the figures depend on the machine and on its load.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results.json"

# --------------------------------------------------------------------------------------------
# Grid
# --------------------------------------------------------------------------------------------
K_VALUES = [4, 6, 8, 10, 12, 14, 16]
N_VALUES = [50, 500, 5000]
INCL_CUTS = [0.8, 0.75, "median"]  # 0.75: more positive rows, more tied models; "median": see below
SEEDS = [1, 2]
LARGE_K = 12                     # from here on the default grid runs one seed at incl_cut 0.8 only
TIMEOUT = 120.0                  # seconds per problem (all four stages and their repetitions); above the
                                 # engine's own refusals (counted work, not time), so that a refusal is seen as one

# --------------------------------------------------------------------------------------------
# R's QCA 3.25.1, as reported by the project (same machine class, 2 cores, median of
# repetitions).  (low, high) seconds; ``cases`` = the case counts the figure was reported for
# (None: no case count was given, so it applies to every n).  The target is half the LOW end.
# --------------------------------------------------------------------------------------------
R_REFERENCE = {
    "complex": {4: ((0.2, 0.2), None), 6: ((0.3, 1.7), None), 8: ((0.2, 60.0), (500, 5000)),
                10: ((2.0, 4.0), (50,))},
    "parsimonious": {4: ((0.2, 0.7), None), 6: ((0.2, 1.7), None), 8: ((0.3, 20.0), (500, 5000)),
                     10: ((1.0, 16.0), (50,))},
}


def r_reference(stage: str, k: int, n: int):
    """(low, high) seconds R's QCA was reported to take for this size, or None."""
    entry = R_REFERENCE.get(stage, {}).get(k)
    if entry is None:
        return None
    rng, cases = entry
    if cases is not None and n not in cases:
        return None
    return rng


# --------------------------------------------------------------------------------------------
# Data generator
# --------------------------------------------------------------------------------------------
def make_problem(k: int, n: int, seed: int) -> pd.DataFrame:
    """A seeded random fuzzy-set problem: columns C1..Ck (conditions) and Y (outcome).

    - Conditions: Beta(0.7, 0.7) memberships (U-shaped: most cases clearly in or out, as after
      calibration), rounded to 2 decimals; a value of exactly 0.5 becomes 0.49 or 0.51, so every
      case lies in one truth table row.
    - Outcome: the fuzzy OR (max) of 2 or 3 random conjunctions; each conjunction is the fuzzy
      AND (min) of 2 to 4 distinct literals (min(4, k)), each literal negated with probability
      0.3; plus Gaussian noise N(0, 0.1), clipped to [0, 1], rounded to 2 decimals.
    The random stream depends on (k, n, seed) only, so every problem is reproducible on its own.
    """
    rng = np.random.default_rng([k, n, seed])
    x = np.round(rng.beta(0.7, 0.7, size=(n, k)), 2)
    half = x == 0.5
    x[half] = np.where(rng.random(int(half.sum())) < 0.5, 0.49, 0.51)
    y = np.zeros(n)
    for _ in range(int(rng.integers(2, 4))):
        size = int(rng.integers(2, min(4, k) + 1))
        conds = rng.choice(k, size=size, replace=False)
        negated = rng.random(size) < 0.3
        literals = np.where(negated[None, :], 1 - x[:, conds], x[:, conds])
        y = np.maximum(y, literals.min(axis=1))
    y = np.clip(y + rng.normal(0.0, 0.1, n), 0.0, 1.0).round(2)
    df = pd.DataFrame(x, columns=[f"C{i + 1}" for i in range(k)],
                      index=[f"case{i + 1}" for i in range(n)])
    df["Y"] = y
    return df


# --------------------------------------------------------------------------------------------
# Timing inside the child process
# --------------------------------------------------------------------------------------------
def _repetitions(warmup: float) -> int:
    """Timed runs after the warm-up: 5 for fast stages, fewer for slow ones (see README)."""
    if warmup < 0.5:
        return 5
    if warmup < 2.0:
        return 3
    if warmup < 5.0:
        return 1
    return 0        # slow (5 s or more): the warm-up run is the measurement


def _timed(fn):
    t0 = time.perf_counter()
    result = fn()
    warmup = time.perf_counter() - t0
    times = []
    for _ in range(_repetitions(warmup)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    if not times:
        return result, {"time": warmup, "runs": 1, "warmup_only": True, "warmup": warmup}
    return result, {"time": statistics.median(times), "runs": len(times), "warmup": warmup}


def _short(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def _engine_warmup():
    """Run a tiny problem once and load what larger charts import lazily (scipy's optimize and
    sparse graphs, the compiled kernels), so that these one-off costs per process (about 1 s)
    are paid outside the timing, as R's are when the package is loaded."""
    from analysis.qca import QCAError, fit, minimize, truth_table
    from analysis.qca.chart import minimal_covers
    from analysis.qca.intermediate import intermediate
    from analysis.qca.kernels import fit as fit_kernel
    from analysis.qca.kernels import truthtable as truthtable_kernel
    rng = np.random.default_rng(0)
    chart = rng.random((60, 40)) < 0.12           # more than SMALL_CHART classes: LP bound, compiled search
    chart[np.arange(40) % 60, np.arange(40)] = True
    try:
        minimal_covers(chart)
    except QCAError:
        pass
    truthtable_kernel.compiled()
    kernel = fit_kernel.compiled()
    if kernel is not None:
        t, y = rng.random((3, 10)), rng.random(10)
        fit._models_fit_compiled(kernel, t, y, [[0, 1], [2]])
    tt = truth_table(make_problem(4, 30, 0), "Y", incl_cut=0.75)
    try:
        c, p = minimize(tt, ""), minimize(tt, "?")
        intermediate(tt, c, p, [1] * 4)
    except Exception:
        pass


def run_problem(spec: dict):
    """Time the four stages of one problem; yields partial results as each stage finishes."""
    from analysis.qca import QCAError, minimize, truth_table
    from analysis.qca.intermediate import intermediate

    _engine_warmup()
    k, n, seed, cut = spec["k"], spec["n"], spec["seed"], spec["incl_cut"]
    df = make_problem(k, n, seed)
    conditions = [f"C{i + 1}" for i in range(k)]
    if cut == "median":
        cut = median_cut(df, conditions)
        yield {"incl_cut_value": cut}

    def stage(name, fn, describe):
        try:
            result, timing = _timed(fn)
        except QCAError as e:
            return None, {name: {"status": "refused", "message": _short(e)}}
        except Exception as e:    # an engine bug: record it, do not stop the suite
            return None, {name: {"status": "error", "message": _short(f"{type(e).__name__}: {e}")}}
        return result, {name: {"status": "ok", **timing, **describe(result)}}

    tt, msg = stage("truth_table", lambda: truth_table(df, "Y", conditions, incl_cut=cut, pri_cut=0, n_cut=1),
                    lambda t: {"rows": int(len(t.table)), "positive": int(len(t.positive)),
                               "negative": int(len(t.negative))})
    yield msg
    if tt is None:
        return
    sol = lambda s: {"models": len(s.models), "primes": int(len(s.primes)), "min_size": len(s.covers[0]),
                     "r_subsets_log10": r_subsets_log10(len(s.primes), len(s.covers[0]))}
    c, msg = stage("complex", lambda: minimize(tt, ""), sol)
    yield msg
    p, msg = stage("parsimonious", lambda: minimize(tt, "?"), sol)
    yield msg
    if c is None or p is None:
        yield {"intermediate": {"status": "skipped", "message": "needs the complex and parsimonious solutions"}}
        return
    dir_exp = [1] * k
    _, msg = stage("intermediate", lambda: intermediate(tt, c, p, dir_exp),
                   lambda blocks: {"blocks": len(blocks), "models": sum(len(b.models) for b in blocks)})
    yield msg


def r_subsets_log10(primes: int, size: int) -> float:
    """log10 of the number of ``size``-subsets of the chart's ``primes`` that R's QCA tests.

    R's ``solveChart`` (default ``all.sol = FALSE``, ``max.comb = 0``) finds the minimum size k
    by linear programming, then its C routine ``find_models`` (QCA ``src/find_models.c``) walks
    every k-subset of the P primes in turn and keeps those covering every column: C(P, k)
    subsets, without pruning (when k = P it returns the one model at once: 0 here).  A count of
    R's loop, not a time: it shows where R's time must explode, not how long R takes.
    """
    return 0.0 if size >= primes else round(math.log10(math.comb(primes, size)), 1)


def median_cut(df, conditions) -> float:
    """The median of the observed rows' inclusion scores, to 3 decimals.

    With thousands of cases, the many small memberships of cases outside a row pull every row's
    inclusion up (at 5000 cases all of them exceed 0.8 in this generator), so fixed cut-offs
    leave no negative row.  A cut-off at the median makes about half the rows positive at any n.
    """
    from analysis.qca import truth_table
    incl = truth_table(df, "Y", conditions, incl_cut=0.5, pri_cut=0, n_cut=1).table["incl"]
    return float(np.floor(np.median(incl) * 1000) / 1000)


def cut_label(rec: dict) -> str:
    cut = rec["incl_cut"]
    if cut == "median":
        value = rec.get("incl_cut_value")
        return "med" + (f"={value:g}" if value is not None else "")
    return f"{cut:g}"


def _child(conn, spec):
    try:
        for msg in run_problem(spec):
            conn.send(msg)
    except BaseException as e:  # noqa: BLE001 - report anything, the parent decides
        conn.send({"crash": _short(f"{type(e).__name__}: {e}")})
    finally:
        conn.send(None)
        conn.close()


STAGES = ["truth_table", "complex", "parsimonious", "intermediate"]


def run_with_timeout(spec: dict, timeout: float) -> dict:
    """Run one problem in a child process; stages not finished within ``timeout`` are 'timeout'."""
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, spec), daemon=True)
    start = time.monotonic()
    proc.start()
    send.close()
    record = dict(spec)
    deadline = start + timeout
    status = "done"
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            status = "timeout"
            break
        if recv.poll(min(remaining, 0.5)):
            try:
                msg = recv.recv()
            except EOFError:
                status = "crashed"
                break
            if msg is None:
                break
            record.update(msg)
        elif not proc.is_alive() and not recv.poll(0):
            status = "crashed"
            break
    if proc.is_alive():
        proc.terminate()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    recv.close()
    record["wall"] = time.monotonic() - start
    record["status"] = status
    if status == "crashed" and "crash" not in record:
        record["crash"] = f"child exited with code {proc.exitcode}"
    for name in STAGES:
        if name not in record:
            if status == "timeout":
                record[name] = {"status": "timeout", "message": f"not finished within {timeout:g} s per problem"}
            elif status == "crashed" or "crash" in record:
                record[name] = {"status": "error", "message": record.get("crash", "child crashed")}
    return record


# --------------------------------------------------------------------------------------------
# Whole-compendium regeneration and the robustness sweep
# --------------------------------------------------------------------------------------------
def time_regeneration(runs: int = 3, timeout: float = 900.0) -> dict:
    times, failures = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-regen-") as tmp:
            t0 = time.perf_counter()
            try:
                proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--out", tmp], cwd=ROOT,
                                      capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                failures.append(f"timeout after {timeout:g} s")
                continue
            elapsed = time.perf_counter() - t0
            if proc.returncode != 0:
                failures.append(_short(f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"))
                continue
            times.append(elapsed)
    out = {"command": "python -m analysis.pipeline --out <tmpdir>", "runs": times, "failures": failures}
    out["median"] = statistics.median(times) if times else None
    return out


def time_sweep(timeout: float = 1800.0) -> dict:
    script = HERE / "robustness_sweep.py"
    if not script.exists():
        return {"status": "not available", "script": "benchmarks/robustness_sweep.py"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "benchmarks.robustness_sweep"], cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": time.perf_counter() - t0, "timeout": timeout}
    elapsed = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    return {"status": "ok" if proc.returncode == 0 else f"exit {proc.returncode}",
            "command": "python -m benchmarks.robustness_sweep", "wall_seconds": elapsed,
            "printed": lines[-1] if lines else "", "stdout_tail": lines[-10:],
            "stderr_tail": proc.stderr.strip().splitlines()[-5:] if proc.returncode else []}


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------
def _fmt_time(entry) -> str:
    if not entry:
        return "-"
    st = entry.get("status")
    if st == "ok":
        t = entry["time"]
        s = f"{t:.3f}" if t < 10 else f"{t:.1f}"
        return s + ("*" if entry.get("warmup_only") else "")
    return {"refused": "REFUSED", "timeout": "TIMEOUT", "error": "ERROR", "skipped": "-"}.get(st, st)


def _count(entry, key) -> str:
    return str(entry[key]) if entry and entry.get("status") == "ok" else "-"


def r_stops_too(stage: str, rec: dict) -> bool:
    """Whether R's QCA stops with an error on this stage: every configuration positive (complex
    solution; QMC leaves one empty implicant) or no negative row (parsimonious), R's "All truth
    table configurations are used, all conditions are minimized" (``minimize.R``)."""
    tt = rec.get("truth_table", {})
    if tt.get("status") != "ok":
        return False
    if stage == "complex":
        return tt["positive"] == 2 ** rec["k"]
    return tt["negative"] == 0


def target_check(stage: str, rec: dict) -> dict:
    ref = r_reference(stage, rec["k"], rec["n"])
    if ref is None:
        return {"r": None, "target": None, "met": None}
    low, high = ref
    target = low / 2
    entry = rec.get(stage, {})
    if entry.get("status") == "refused" and r_stops_too(stage, rec):
        return {"r": [low, high], "target": target, "met": None, "r_stops_too": True}
    met = bool(entry.get("time", float("inf")) <= target) if entry.get("status") == "ok" else False
    return {"r": [low, high], "target": target, "met": met}


def _r_text(ref) -> str:
    if ref is None:
        return "-"
    low, high = ref
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _subsets(entry) -> str:
    if not entry or entry.get("status") != "ok" or "r_subsets_log10" not in entry:
        return "-"
    return f"1e{entry['r_subsets_log10']:.0f}"


def _met(chk) -> str:
    if chk.get("r_stops_too"):
        return "R too"
    return "-" if chk["met"] is None else ("yes" if chk["met"] else "NO")


def format_table(records: list) -> str:
    head = ["k", "n", "seed", "cut", "pos", "#C", "#P", "#I", "tt s", "C s", "P s", "I s", "R sub C", "R sub P",
            "R QCA C (reported)", "target C", "C met", "R QCA P (reported)", "target P", "P met"]
    rows = []
    for r in records:
        tt = r.get("truth_table", {})
        inter = r.get("intermediate", {})
        cells = [r["k"], r["n"], r["seed"], cut_label(r), _count(tt, "positive"),
                 _count(r.get("complex"), "models"), _count(r.get("parsimonious"), "models"),
                 (f"{inter['blocks']}/{inter['models']}" if inter.get("status") == "ok" else "-"),
                 _fmt_time(tt), _fmt_time(r.get("complex")), _fmt_time(r.get("parsimonious")), _fmt_time(inter),
                 _subsets(r.get("complex")), _subsets(r.get("parsimonious"))]
        for stage in ("complex", "parsimonious"):
            chk = r["targets"][stage]
            cells += [_r_text(chk["r"]), "-" if chk["target"] is None else f"{chk['target']:g}", _met(chk)]
        rows.append([str(c) for c in cells])
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths))
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(row) for row in rows])


def machine_info() -> dict:
    import scipy
    info = {"date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "implementation": platform.python_implementation(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__}
    try:
        info["cpus_available"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        info["git_commit"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                            text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "analysis"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        info["engine_uncommitted_changes"] = bool(dirty)
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _load() -> list | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def build_grid(ns) -> list:
    ks = ns.only_k or ([k for k in K_VALUES if k <= 10] if ns.quick else K_VALUES)
    ns_ = ns.only_n or ([n for n in N_VALUES if n <= 500] if ns.quick else N_VALUES)
    grid = []
    for k in ks:
        large = k >= LARGE_K and not ns.full_large
        seeds = ns.seeds or ([1] if ns.quick or large else SEEDS)
        cuts = ns.incl_cut or (INCL_CUTS[:1] if large else INCL_CUTS)
        grid += [{"k": k, "n": n, "seed": s, "incl_cut": c} for n in ns_ for c in cuts for s in seeds]
    return grid


def _cut_arg(text: str):
    if text == "median":
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither a number nor 'median'") from None


def _parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="k <= 10, n <= 500, one seed")
    ap.add_argument("--only-k", type=int, nargs="+", metavar="K", help="only these numbers of conditions")
    ap.add_argument("--only-n", type=int, nargs="+", metavar="N", help="only these numbers of cases")
    ap.add_argument("--seeds", type=int, nargs="+", metavar="S", help=f"seeds (default {SEEDS})")
    ap.add_argument("--incl-cut", type=_cut_arg, nargs="+", metavar="C",
                    help=f"consistency cut-offs, numbers or 'median' (default {INCL_CUTS})")
    ap.add_argument("--full-large", action="store_true",
                    help=f"k >= {LARGE_K}: every seed and cut-off too (default: seed 1, incl_cut 0.8)")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help=f"seconds per problem (default {TIMEOUT:g})")
    ap.add_argument("--regen-runs", type=int, default=3, help="compendium regenerations to time (default 3; 0 skips)")
    ap.add_argument("--no-sweep", action="store_true", help="do not run the robustness sweep")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="JSON results file (default benchmarks/results.json)")
    ap.add_argument("--note", default="", help="free text stored in the results (e.g. machine load)")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    ns = _parse_args(argv)
    grid = build_grid(ns)
    info = machine_info()
    info["load_average_start"] = _load()
    started = time.monotonic()
    print(f"benchmarks: {len(grid)} problem(s), timeout {ns.timeout:g} s each; "
          f"{info['cpu_count']} CPU(s), load average {info['load_average_start']}", flush=True)
    records = []
    for spec in grid:
        rec = run_with_timeout(spec, ns.timeout)
        rec["targets"] = {s: target_check(s, rec) for s in ("complex", "parsimonious")}
        records.append(rec)
        print(f"  k={spec['k']:2d} n={spec['n']:5d} seed={spec['seed']} cut={cut_label(spec)}: "
              + ", ".join(f"{s} {_fmt_time(rec.get(s))}" for s in STAGES)
              + f"  (wall {rec['wall']:.1f} s)", flush=True)
    problems_seconds = time.monotonic() - started

    regen = time_regeneration(ns.regen_runs) if ns.regen_runs > 0 else {"status": "skipped"}
    sweep = {"status": "skipped"} if ns.no_sweep else time_sweep()
    info["load_average_end"] = _load()
    info["total_seconds"] = time.monotonic() - started

    print()
    print(format_table(records))
    print("\ntimes in seconds, median of repeated runs after a warm-up; * = slow stage, the warm-up run is "
          "the measurement; #I = intermediate blocks/models; R sub = k-subsets of the chart's primes R's "
          "solveChart tests (C(P, k), see benchmarks/README.md); target = half the low end of R's reported "
          "range; R too = R's QCA stops with the same error")
    notes = [(r, s) for r in records for s in STAGES if r.get(s, {}).get("status") in ("refused", "error", "timeout")]
    if notes:
        print("\nrefusals, errors and timeouts:")
        for r, s in notes:
            print(f"  k={r['k']} n={r['n']} seed={r['seed']} cut={cut_label(r)} {s}: "
                  f"{r[s]['status']}: {_short(r[s]['message'], 140)}")
    if regen.get("median") is not None:
        print(f"\ncompendium regeneration: median {regen['median']:.1f} s of {len(regen['runs'])} run(s) "
              f"({', '.join(f'{t:.1f}' for t in regen['runs'])})")
    else:
        print(f"\ncompendium regeneration: {regen.get('status') or regen.get('failures')}")
    if sweep.get("status") == "ok":
        print(f"robustness sweep: {sweep['wall_seconds']:.1f} s wall; it printed: {sweep['printed']}")
    else:
        print(f"robustness sweep: {sweep['status']}")
    print(f"problems took {problems_seconds:.0f} s; load average {info['load_average_start']} -> "
          f"{info['load_average_end']} (a shared machine: other work inflates the times)")

    out = {"machine": info, "note": ns.note,
           "settings": {"grid": grid, "timeout": ns.timeout, "quick": ns.quick, "dir_exp": "1 for every condition",
                        "pri_cut": 0, "n_cut": 1, "r_reference": {s: {str(k): {"seconds": v[0], "cases": v[1]}
                                                                        for k, v in d.items()}
                                                                   for s, d in R_REFERENCE.items()}},
           "problems": records, "regeneration": regen, "robustness_sweep": sweep}
    Path(ns.out).write_text(json.dumps(out, indent=1, default=float) + "\n")
    print(f"written {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
