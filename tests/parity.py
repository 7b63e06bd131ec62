"""Parity with R's QCA from the files in this repository: ``make parity`` (or ``python tests/parity.py``).

Runs the command line ``python -m analysis.qca`` on every analysis of
``tests/fixtures/reference/specs.json`` and compares its JSON with what R's QCA 3.25.1 returned
(``tests/fixtures/reference/qca/<id>.json``: truth table, necessity, every tied model of every
solution, every parameter of fit, to 1e-6), then ``analysis.calibrate`` with R's
``calibrate()`` (``calibration_LR.json``).  One line per check, a summary, exit status 1 when
anything differs.  The comparison is the tests' own (``tests/conftest.py``).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from conftest import REF, ROOT, assert_solution_equal, assert_truth_table_and_necessity_equal  # noqa: E402


def command(spec) -> list:
    args = [sys.executable, "-m", "analysis.qca", "--data", str(REF / spec["dataset"]), "--outcome", spec["outcome"],
            "--incl-cut", str(spec["incl_cut"]), "--pri-cut", str(spec.get("pri_cut", 0)),
            "--n-cut", str(spec.get("n_cut", 1)), "--json"]
    if spec.get("neg_out"):
        args.append("--negate-outcome")
    if spec.get("dir_exp"):
        args.append(f"--dir-exp={spec['dir_exp']}")
    return args


def check_analysis(spec) -> str | None:
    """None when the command line equals R on ``spec``; otherwise what differs."""
    ref = json.loads((REF / "qca" / f"{spec['id']}.json").read_text())
    proc = subprocess.run(command(spec), cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        return f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    got = json.loads(proc.stdout)
    try:
        assert_truth_table_and_necessity_equal(ref, got)
        for kind in ("complex", "parsimonious", "intermediate"):
            if kind in ref["solutions"]:
                assert_solution_equal(ref["solutions"][kind], got["solutions"][kind])
    except AssertionError as e:
        return " ".join(str(e).split())[:300]
    return None


def check_calibration(ref) -> str | None:
    from analysis import calibrate
    got = calibrate(ref["raw"], thresholds=tuple(ref["thresholds"]))
    bad = [(c, g, r) for c, g, r in zip(ref["cases"], got, ref["membership"]) if abs(g - r) > 1e-6]
    return f"{len(bad)} case(s) differ, e.g. {bad[:2]}" if bad else None


def main() -> int:
    checks = [(f"analysis {s['id']}", check_analysis, s) for s in json.loads((REF / "specs.json").read_text())]
    checks += [(f"calibrate {r['column']} {r['thresholds']}", check_calibration, r)
               for r in json.loads((REF / "calibration_LR.json").read_text())]
    failed = 0
    for label, check, item in checks:
        problem = check(item)
        failed += problem is not None
        print(f"{'ok  ' if problem is None else 'FAIL'} {label}" + (f": {problem}" if problem else ""))
    print(f"parity with R's QCA 3.25.1: {len(checks) - failed}/{len(checks)} agree")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
