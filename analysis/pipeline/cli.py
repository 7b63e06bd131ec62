"""The command line: ``python -m analysis.pipeline [--study NAME|FILE] [--data CSV] [--set k=v] [--out DIR]``.

Without ``--study`` every study of ``data/`` is regenerated, each into ``results/<name>/``
(``analysis.pipeline.studies``).  Bad input prints one line ``error: ...`` and exits 2; an
interrupted run (Ctrl-C, SIGTERM, SIGHUP) removes its temporary folders and leaves the previous
results as they were.
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from ..errors import INPUT_ERRORS, StudyError
from ..parameters import THRESHOLDS, parse_sets
from ..qca.arguments import Parser, error, unexpected
from ..studyfile import load_study
from .checksums import CHECKSUMS, record_checksums
from .execute import DEFAULT_TIMEOUT, run, store_notebook_outputs
from .layout import NOTEBOOKS
from .studies import default_out, run_studies, study_file, study_files

__all__ = ["main"]


def _seconds(text) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise StudyError(f"--timeout must be a number of seconds above 0, got {text!r}")
    return value


def _parse_args(argv):
    ap = Parser(prog="python -m analysis.pipeline", description=__doc__,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", default=None, metavar="NAME|FILE",
                    help="one study: a name of data/ (ppip, lipset, ...) or a study file (default: every study)")
    ap.add_argument("--data", default=None, help="raw case data CSV (default: the study's data file)")
    ap.add_argument("--set", dest="sets", action="extend", nargs="+", default=[], metavar="NAME=VALUE",
                    help=f"change a threshold: {', '.join(THRESHOLDS)}")
    ap.add_argument("--out", default=None, help="output folder (default: results/<study>, with the changes of "
                                                "--set and --data in its name); with several studies, the folder "
                                                "that holds one folder per study")
    ap.add_argument("--jobs", default="2", help="studies run side by side (default 2)")
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


def _run_all(files, ns, sets: dict, start: float) -> int:
    """Every study side by side, each into its folder; 2 when any of them failed."""
    try:
        jobs = int(ns.jobs)
        assert jobs >= 1
    except (ValueError, AssertionError):
        raise StudyError(f"--jobs must be a whole number of at least 1, got {ns.jobs!r}") from None
    names = {f: load_study(f).name for f in files}
    args = [a for k, v in sets.items() for a in ("--set", f"{k}={v}")] + ["--timeout", ns.timeout,
                                                                           "--notebooks", ns.notebooks]
    base = ns.out or "results"
    outcome = run_studies(files, args, lambda f: default_out(names[f], sets, None, base), jobs)
    from ..report.html import write_index
    write_index(Path(base), [default_out(names[f], sets, None, base) for f in files])
    failed = [(f, last) for f, status, last in outcome if status != 0]
    for f, last in failed:
        print(f"error: study {names[f]} failed ({last.removeprefix('error: ')}); its previous results are unchanged",
              file=sys.stderr)
    done = len(files) - len(failed)
    print(f"{done} of {len(files)} studies regenerated under {base}/ ({time.monotonic() - start:.1f} s)",
          file=sys.stderr)
    return 2 if failed else 0


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
        if ns.store_notebook_outputs:
            store_notebook_outputs(ns.notebooks)
            return 0
        files = [study_file(ns.study)] if ns.study else study_files()
        if ns.data and len(files) > 1:
            raise StudyError("--data names the raw data of one study; give --study too")
        if ns.record_checksums:
            for f in files:
                record_checksums(f, ns.data)
            return 0
        sets, timeout = parse_sets(ns.sets), _seconds(ns.timeout)
        if len(files) > 1:
            return _run_all(files, ns, sets, start)
        out = Path(ns.out) if ns.out else default_out(load_study(files[0]).name, sets, ns.data)
        out = run(files[0], ns.data, sets, out, ns.notebooks, timeout=timeout)
    except INPUT_ERRORS as e:
        return error(e)
    except KeyboardInterrupt as e:
        print("error: interrupted; the previous results are unchanged", file=sys.stderr)
        return 128 + int(e.args[0]) if isinstance(e, _Terminated) else 130
    except OSError as e:                  # e.g. --record-checksums on a read-only raw folder
        print(f"error: {e.filename or ns.out}: {e.strerror or e}; the previous results are unchanged", file=sys.stderr)
        return 2
    except Exception as e:                # a bug: still one line, and the way to see more
        return unexpected(e, "the previous results are unchanged")
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    print(f"results written to {out} ({time.monotonic() - start:.1f} s)", file=sys.stderr)
    return 0

