"""Command line: ``python -m analysis.qca --data FILE.csv --outcome Y [options]``.

Reads a CSV of memberships (first column: case names), builds the truth table, the necessity
table and the complex, parsimonious and (with ``--dir-exp``) intermediate solutions, and prints
them as readable tables, or as one JSON object with ``--json`` (``analysis.qca.export.document``, the
format of ``tests/fixtures/reference/README.md``).  Bad input ends with one line ``error: ...``
on standard error and exit status 2.

    python -m analysis.qca --data tests/fixtures/reference/datasets/LF.csv --outcome SURV \
        --incl-cut 0.8 --dir-exp 1,1,1,1,1
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings

import pandas as pd

from .export import document
from .errors import QCAError
from .fit import necessity_table
from .intermediate import parse_dir_exp
from .solutions import solve
from .truthtable import truth_table, warn_constant

__all__ = ["main", "read_memberships", "analyse"]


def read_memberships(path: str) -> pd.DataFrame:
    """Read a membership CSV whose first column names the cases; errors name the file."""
    try:
        df = pd.read_csv(path)
    except FileNotFoundError:
        raise QCAError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise QCAError(f"{path}: is a folder, not a CSV file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise QCAError(f"{path}: not a readable CSV file ({str(e).splitlines()[0]})") from None
    header = _header(path)
    dup_cols = sorted({c for c in header if header.count(c) > 1})
    if dup_cols:
        raise QCAError(f"{path}: column name(s) {', '.join(map(repr, dup_cols))} appear more than once in the header")
    if df.shape[1] < 3:
        raise QCAError(f"{path}: needs a case column, at least one condition and the outcome")
    if len(df) == 0:
        raise QCAError(f"{path}: has a header but no cases")
    first = df.columns[0]
    ids = df[first].astype(str).str.strip()
    if df[first].isna().any() or (ids == "").any():
        raise QCAError(f"{path}: column {first!r} has empty case names")
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise QCAError(f"{path}: duplicate case name(s) in column {first!r}: {', '.join(dup[:5])}")
    return df.drop(columns=[first]).set_axis(pd.Index(ids, name="case"))


def _header(path: str) -> list:
    import csv

    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        return next(csv.reader(f), [])


def analyse(data: pd.DataFrame, outcome: str, conditions=None, incl_cut=0.8, pri_cut=0.0, n_cut=1,
            neg_out=False, dir_exp=None, source="data") -> tuple:
    """Everything the command line reports: (JSON document, truth table, necessity, solutions)."""
    if outcome not in data.columns:
        raise QCAError(f"{source}: outcome column {outcome!r} not found; columns: {', '.join(data.columns)}")
    if conditions is None:
        conditions = [c for c in data.columns if c != outcome]
    unknown = [c for c in conditions if c not in data.columns]
    if unknown:
        raise QCAError(f"{source}: unknown condition(s) {', '.join(unknown)}; columns: {', '.join(data.columns)}")
    expectations = parse_dir_exp(dir_exp, list(conditions)) if dir_exp is not None else None
    _check_variation(data, outcome, conditions, neg_out, source)
    tt = truth_table(data, outcome, conditions, incl_cut=incl_cut, pri_cut=pri_cut, n_cut=n_cut, neg_out=neg_out)
    nec = necessity_table(tt.data, outcome, tt.conditions, neg_out=neg_out)
    sols = solve(tt, expectations)
    for reason in sols.undefined.values():
        raise QCAError(reason)
    return document(tt, nec, sols), tt, nec, sols


def _check_variation(data, outcome, conditions, neg_out, source):
    """A constant condition is legal but useless (warning); an outcome no case is in is an error."""
    warn_constant(data, conditions, source)
    y = pd.to_numeric(data[outcome], errors="coerce")
    if y.notna().all() and ((y <= 1) & (y >= 0)).all():
        y = 1 - y if neg_out else y
        if not (y > 0.5).any():
            label = ("~" if neg_out else "") + outcome
            raise QCAError(f"{source}: outcome {label}: no case has membership above 0.5, so there is nothing "
                           "to explain; check the outcome's calibration (or --negate-outcome)")


def _parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m analysis.qca", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="CSV of memberships; first column names the cases")
    ap.add_argument("--outcome", required=True)
    ap.add_argument("--negate-outcome", action="store_true", help="explain the negated outcome ~Y")
    ap.add_argument("--conditions", default=None, help="comma-separated; default: all other columns")
    ap.add_argument("--incl-cut", default="0.8", help="consistency cut-off, or two: incl1,incl0")
    ap.add_argument("--pri-cut", default="0")
    ap.add_argument("--n-cut", default="1")
    ap.add_argument("--dir-exp", default=None, help="one of 1, 0, - per condition, comma-separated")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    return ap.parse_args(_attach_dash_values(sys.argv[1:] if argv is None else list(argv)))


def _attach_dash_values(argv: list) -> list:
    """``--dir-exp -,1,1`` as ``--dir-exp=-,1,1``: argparse would take a value starting with "-"
    (no expectation for the first condition) for an option and stop with "expected one argument"."""
    out = []
    for i, arg in enumerate(argv):
        if i and argv[i - 1] == "--dir-exp" and arg.startswith("-") and not arg.startswith("--"):
            out[-1] = f"--dir-exp={arg}"
        else:
            out.append(arg)
    return out


def _number(name, text):
    try:
        return float(text)
    except ValueError:
        raise QCAError(f"--{name} must be a number, got {text!r}") from None


def _readable(result, tt, nec, sols) -> str:
    out = [repr(tt), "", "Necessity (each condition and its negation):",
           nec.to_string(index=False, float_format=lambda v: f"{v:.3f}"), ""]
    for block in [sols.complex, sols.parsimonious] + list(sols.intermediate):
        out.append(repr(block))
        out.append(block.fit_table().drop(columns=["block"]).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"))
        if block.kind == "intermediate":
            out.append(f"  easy counterfactuals: {', '.join(block.easy) or 'none'}")
            out.append(f"  difficult counterfactuals: {', '.join(block.difficult) or 'none'}")
        out.append("")
    return "\n".join(out)


def main(argv=None) -> int:
    ns = _parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = read_memberships(ns.data)
            cuts = [_number("incl-cut", c) for c in ns.incl_cut.split(",")]
            n_cut = _number("n-cut", ns.n_cut)
            conditions = [c.strip() for c in ns.conditions.split(",")] if ns.conditions else None
            result, tt, nec, sols = analyse(
                data, ns.outcome, conditions, incl_cut=cuts if len(cuts) > 1 else cuts[0],
                pri_cut=_number("pri-cut", ns.pri_cut), n_cut=n_cut, neg_out=ns.negate_outcome,
                dir_exp=ns.dir_exp, source=ns.data)
        for w in caught:
            print(f"warning: {w.message}", file=sys.stderr)
    except QCAError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if ns.json:
        print(json.dumps(result, indent=1, allow_nan=False))
    else:
        print(_readable(result, tt, nec, sols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
