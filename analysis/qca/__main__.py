"""Command line: ``python -m analysis.qca --data FILE.csv --outcome Y [options]``.

Reads a CSV of memberships (first column: case names), builds the truth table, the necessity
table and the complex, parsimonious and (with ``--dir-exp``) intermediate solutions, and prints
them as readable tables, or as one JSON object with ``--json`` (``analysis.qca.export.document``, the
format of ``tests/fixtures/reference/README.md``).  ``--outcome '~Y'`` explains the negated
outcome, as R writes it (``--negate-outcome`` is the same).  ``--exclude`` keeps rows out of the
simplifying assumptions (R's ``exclude``); ``--find-rows TYPE`` prints R's ``findRows``.  Bad input
ends with one line ``error: ...`` on standard error and exit status 2.

    python -m analysis.qca --data tests/fixtures/reference/datasets/LF.csv --outcome SURV \\
        --incl-cut 0.8 --dir-exp 1,1,1,1,1

Multi-value data (mvQCA) are read by R's rule: a condition column of whole numbers 0, 1, 2, ...
whose largest value m is 2 or more has the values 0 to m (at most 10 of them); the outcome stays a
membership in [0, 1].  Rows are then written as the conditions' values (``20111``), terms in R's
notation (``DEV[2]*STB[1]``, ``DEV[1,2]`` for either value), and ``--dir-exp`` takes each
condition's expected value(s), ``;`` between several (``1;2,1,1,-,1``), or R's expression form:

    python -m analysis.qca --data tests/fixtures/reference/mv/datasets/LM.csv --outcome SURV \\
        --incl-cut 0.8 --dir-exp "DEV[1,2], URB[1], LIT[1], IND[1], STB[1]"

The options are parsed here before anything heavy is imported, so ``--help`` and a mistyped
option answer at once; ``analysis.qca.cli`` does the work.  Run as a program, it keeps pandas from
importing pyarrow (``_without_arrow``): the command line reads and writes no Arrow data, and the
import costs about 90 ms of a small analysis' 0.5 s; and it ends without the interpreter's teardown
(``arguments.exit_now``), another 60 ms.
"""
from __future__ import annotations

import argparse
import os
import sys

from .arguments import Parser, exit_now

__all__ = ["main"]


def _parse_args(argv):
    ap = Parser(prog="python -m analysis.qca", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="CSV of memberships (or a multi-value condition's values 0, 1, "
                                                  "2, ...); first column names the cases")
    ap.add_argument("--outcome", required=True, help="the outcome's column; '~Y' for its negation, as R writes it")
    ap.add_argument("--negate-outcome", action="store_true", help="explain the negated outcome (as --outcome '~Y')")
    ap.add_argument("--conditions", default=None, help="comma-separated; default: all other columns")
    ap.add_argument("--incl-cut", default="0.8", help="consistency cut-off, or two: incl1,incl0")
    ap.add_argument("--pri-cut", default="0")
    ap.add_argument("--n-cut", default="1")
    ap.add_argument("--dir-exp", default=None, help="one of 1, 0, - per condition, comma-separated; multi-value: "
                                                    "the expected value(s) per condition, e.g. 1;2,1,- or "
                                                    "'DEV[1,2], URB[1]'")
    ap.add_argument("--exclude", default=None, metavar="ROW,ROW",
                    help="rows kept out of the simplifying assumptions (R's exclude), as the truth table writes "
                         "them, e.g. 00110,00111; or an expression (its remainders)")
    ap.add_argument("--find-rows", default=None, metavar="TYPE",
                    help="print the rows of this type, one per line, and nothing else (R's findRows): 1 remainders "
                         "that are subsets of --expression, 2 contradictory simplifying assumptions, 3 simultaneous "
                         "subset relations, 0 all")
    ap.add_argument("--expression", default=None, help="the expression of --find-rows 1 or 0, e.g. '~A*B'")
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


def main(argv=None) -> int:
    """Run the command line: parse ``argv``, then let ``analysis.qca.cli.run`` do the work.

    Parameters
    ----------
    argv : list of str, optional
        The options (default ``sys.argv[1:]``), e.g. ``["--data", "LF.csv", "--outcome", "SURV"]``.

    Returns
    -------
    int
        The exit status: 0, or 2 after one line ``error: ...`` on standard error.  A mistyped or
        missing option exits with status 2 (``SystemExit``) before anything heavy is imported.

    Examples
    --------
    >>> from analysis.qca.datasets import HERE
    >>> main(["--data", str(HERE / "LF.csv"), "--outcome", "SURV", "--incl-cut", "0.8", "--find-rows", "3",
    ...       "--json"])
    []
    0
    """
    ns = _parse_args(argv)
    from .cli import run           # pandas and the engine, once the options are known to be valid
    return run(ns)


def _stop_on_signals() -> None:
    """A signal (Ctrl-C, SIGTERM, SIGHUP) ends the command at once with the one line
    ``error: interrupted`` and the status 128 + its number, instead of a traceback.  The command
    writes no file, so nothing is left half-written or to remove.  Only for the command line's own
    process, as ``_without_arrow``."""
    import signal

    def stop(signum, frame):
        os.write(2, b"error: interrupted\n")
        os._exit(128 + signum)
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _without_arrow() -> None:
    """Keep pandas from importing pyarrow in this process (``import pyarrow`` then fails, which
    pandas takes as pyarrow not installed): its strings are then kept as Python strings instead
    of Arrow's.  What the command line does with them, reading a CSV (``analysis.qca.csvdata``:
    strip, the two patterns, ``isin``, ``to_numeric``), gives the same values and the same errors
    either way (``tests/test_qca_cli_arrow.py``).  Only for the command line's own process: an
    interpreter that imported this module (a test, a notebook) is left as it is."""
    sys.modules.setdefault("pyarrow", None)


if __name__ == "__main__":
    _stop_on_signals()
    _without_arrow()
    exit_now(main())
