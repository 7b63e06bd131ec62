"""The command line: ``python -m analysis.pipeline [--study FILE] [--data CSV] [--set k=v] [--out DIR]``.

Bad input prints one line ``error: ...`` and exits 2; an interrupted run (Ctrl-C, SIGTERM,
SIGHUP) removes its temporary folder and leaves the previous results as they were.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from ..parameters import THRESHOLDS, parse_sets
from ..qca import QCAError
from ..qca.arguments import Parser
from .checksums import CHECKSUMS, record_checksums
from .execute import DEFAULT_TIMEOUT, run, store_notebook_outputs
from .layout import DEFAULT_STUDY, NOTEBOOKS

__all__ = ["main"]


def _seconds(text) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise QCAError(f"--timeout must be a number of seconds above 0, got {text!r}")
    return value


def _parse_args(argv):
    ap = Parser(prog="python -m analysis.pipeline", description=__doc__,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", default=str(DEFAULT_STUDY),
                    help="study file (default: data/ppip/study.yml)")
    ap.add_argument("--data", default=None, help="raw case data CSV (default: the study's data file)")
    ap.add_argument("--set", dest="sets", action="extend", nargs="+", default=[], metavar="NAME=VALUE",
                    help=f"change a threshold: {', '.join(THRESHOLDS)}")
    ap.add_argument("--out", default="results", help="output folder (default: results)")
    ap.add_argument("--timeout", default=str(DEFAULT_TIMEOUT), metavar="SECONDS",
                    help=f"seconds one notebook cell may run before the run stops (default {DEFAULT_TIMEOUT}); a guard "
                         "against a hang, not a limit on the results")
    ap.add_argument("--notebooks", default=str(NOTEBOOKS), help=argparse.SUPPRESS)
    ap.add_argument("--record-checksums", action="store_true",
                    help=f"after deliberately replacing the raw data: record the SHA-256 of the files in its folder "
                         f"in {CHECKSUMS} (checked at every run)")
    ap.add_argument("--store-notebook-outputs", action="store_true",
                    help="maintainers: re-execute notebooks/ in place on their defaults (the outputs nbval checks)")
    return ap.parse_args(argv)


class _Terminated(KeyboardInterrupt):
    """SIGTERM / SIGHUP turned into an exception, so that the temporary folder is removed."""


def _terminate(signum, frame):
    raise _Terminated(signum)


def main(argv=None) -> int:
    ns = _parse_args(argv)
    start = time.monotonic()
    handlers = {}
    try:
        for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if sig is not None:
                handlers[sig] = signal.signal(sig, _terminate)
    except ValueError:                    # not the main thread: leave the handlers alone
        pass
    try:
        if ns.record_checksums:
            record_checksums(ns.study, ns.data)
            return 0
        if ns.store_notebook_outputs:
            store_notebook_outputs(ns.notebooks)
            return 0
        out = run(ns.study, ns.data, parse_sets(ns.sets), ns.out, ns.notebooks, timeout=_seconds(ns.timeout))
    except QCAError as e:
        print(f"error: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:
        print("error: interrupted; the previous results are unchanged", file=sys.stderr)
        return 128 + int(e.args[0]) if isinstance(e, _Terminated) else 130
    except OSError as e:                  # e.g. --record-checksums on a read-only raw folder
        print(f"error: {e.filename or ns.out}: {e.strerror or e}; the previous results are unchanged", file=sys.stderr)
        return 2
    except Exception as e:                # a bug: still one line, and the way to see more
        if os.environ.get("ANALYSIS_TRACEBACK"):
            raise
        print(f"error: unexpected {type(e).__name__}: {' '.join(str(e).split())}; the previous results are unchanged; "
              "please report it with the command you ran (ANALYSIS_TRACEBACK=1 shows where it happened)",
              file=sys.stderr)
        return 2
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    print(f"results written to {out} ({time.monotonic() - start:.1f} s)", file=sys.stderr)
    return 0

