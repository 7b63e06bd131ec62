"""The command line: ``python -m analysis.pipeline [--study NAME|FILE] [--data CSV] [--set k=v] [--out DIR]``.

Without ``--study`` every study of ``data/`` is regenerated, each into ``results/<name>/``
(``analysis.pipeline.studies``).  Bad input prints one line ``error: ...`` and exits 2; an
interrupted run (Ctrl-C, SIGTERM, SIGHUP) removes its temporary folders and leaves the previous
results as they were: one line, exit status 130, 143 or 129, no kernel or worker left
(``analysis.processes``).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..errors import INPUT_ERRORS, StudyError
from ..guard import PIPELINE, check_folder, claim, seal
from ..parameters import THRESHOLDS, parse_sets
from ..processes import forward_signals, stop_on_signals
from ..qca.arguments import Parser, error, unexpected
from ..report.index_page import write_index
from ..runs import RESULTS
from ..studyfile import load_study
from .checksums import CHECKSUMS, record_checksums
from .execute import DEFAULT_TIMEOUT, KERNELS, run, store_notebook_outputs
from .layout import NOTEBOOKS
from .scaffold import new_study
from .studies import default_out, run_studies, study_file, study_files, study_name, work_size

__all__ = ["main"]


def _whole(option: str, text, what: str) -> int:
    """``text`` as a whole number of at least 1 in ASCII digits (the notebook client counts
    ``--timeout`` in whole seconds), or one line naming the option."""
    digits = str(text).strip().removeprefix("+")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18) or int(digits) < 1:
        raise StudyError(f"{option} must be a whole number of {what}, at least 1, got {text!r}")
    return int(digits)


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
    ap.add_argument("--workers", default=None, metavar="N",
                    help="processes of a study's robustness sweep and multiverse sample, the same results with any "
                         "number (default: every core; with several studies side by side, the cores shared among "
                         "them: more processes than cores cost CPU time and gain none)")
    ap.add_argument("--timeout", default=str(DEFAULT_TIMEOUT), metavar="SECONDS",
                    help=f"seconds one notebook cell may run before the run stops (default {DEFAULT_TIMEOUT}); a guard "
                         "against a hang, not a limit on the results")
    ap.add_argument("--kernels", default="process", choices=KERNELS,
                    help="where a study's notebooks run: in its own process (default), in one Jupyter kernel per "
                         "study, or in a fresh kernel per notebook (as nbval runs them); the same files")
    ap.add_argument("--notebooks", default=str(NOTEBOOKS), help=argparse.SUPPRESS)
    ap.add_argument("--record-checksums", action="store_true",
                    help=f"after deliberately replacing the raw data: record the SHA-256 of the files in its folder "
                         f"in {CHECKSUMS} (checked at every run)")
    ap.add_argument("--store-notebook-outputs", action="store_true",
                    help="maintainers: re-execute notebooks/ in place on their defaults (the outputs nbval checks)")
    ap.add_argument("--new", default=None, metavar="NAME",
                    help="make a new study data/NAME/ from --data FILE.csv (first column: the cases), then run it "
                         "with --study NAME (analysis.pipeline.scaffold)")
    ap.add_argument("--outcome", default=None, metavar="Y[,Y2...]", help="with --new: the outcome column(s) "
                                                                          "(default: the last column)")
    ap.add_argument("--conditions", default=None, metavar="A,B,...", help="with --new: the condition columns "
                                                                          "(default: the other columns)")
    return ap.parse_args(argv)


def _workers(workers, side_by_side: int) -> int:
    """``--workers`` (checked), or the cores shared among the studies run side by side (at least
    1 each): with two studies on two cores, a sweep of two processes in each runs four on two cores.

    >>> _workers(None, 2) == max(1, (os.cpu_count() or 1) // 2)
    True
    >>> _workers(3, 2)
    3
    """
    return workers if workers is not None else max(1, (os.cpu_count() or 1) // max(1, side_by_side))


def _run_all(files, ns, sets: dict, workers, start: float) -> int:
    """Every study side by side, each into its folder; 2 when any of them failed."""
    jobs = _whole("--jobs", ns.jobs, "studies run side by side")
    names = {f: study_name(f) for f in files}
    args = [a for k, v in sets.items() for a in ("--set", f"{k}={v}")] + ["--timeout", ns.timeout,
                                                                           "--notebooks", ns.notebooks,
                                                                           "--kernels", ns.kernels]
    args += ["--workers", str(_workers(workers, min(jobs, len(files))))]
    base = ns.out or "results"
    for f in files:                       # every study's folder is free before any runs (analysis.guard)
        check_folder(default_out(names[f], sets, None, base), PIPELINE, names[f], inputs=(f, load_study(f).data_path))
    if Path(base).resolve() != RESULTS:   # results/ is the compendium's own; another folder gets a marker
        claim(base, PIPELINE, None, verb="writes every study's results and an index.html into")
    with forward_signals():               # a signal: each study's run stops itself, then this one
        outcome = run_studies(files, args, lambda f: default_out(names[f], sets, None, base), jobs,
                              order=sorted(files, key=lambda f: -work_size(f)), main=main)  # the largest first
    write_index(Path(base))        # every study of base, as its folder says
    failed = [(f, last) for f, status, last in outcome if status != 0]
    for f, last in failed:
        print(f"error: study {names[f]} failed ({last.removeprefix('error: ')}); its previous results are unchanged",
              file=sys.stderr)
    done = len(files) - len(failed)
    print(f"{done} of {len(files)} studies regenerated under {base}/ ({time.monotonic() - start:.1f} s)",
          file=sys.stderr)
    return 2 if failed else 0


def main(argv=None) -> int:
    ns = _parse_args(argv)
    with stop_on_signals("interrupted; the previous results are unchanged"):   # analysis.processes
        return _main(ns, time.monotonic())


def _main(ns, start: float) -> int:
    try:
        if ns.store_notebook_outputs:
            store_notebook_outputs(ns.notebooks)
            return 0
        if ns.new is not None or ns.outcome or ns.conditions:
            return new_study(ns)                      # analysis.pipeline.scaffold
        files = [study_file(ns.study)] if ns.study else study_files()
        if ns.data and len(files) > 1:
            raise StudyError("--data names the raw data of one study; give --study too")
        if ns.record_checksums:
            for f in files:
                record_checksums(f, ns.data)
            return 0
        sets, timeout = parse_sets(ns.sets), _whole("--timeout", ns.timeout, "seconds")
        _whole("--jobs", ns.jobs, "studies run side by side")       # refused even with one study
        workers = _whole("--workers", ns.workers, "processes") if ns.workers is not None else None
        if len(files) > 1:
            return _run_all(files, ns, sets, workers, start)
        name = load_study(files[0]).name
        out = Path(ns.out) if ns.out else default_out(study_name(files[0]), sets, ns.data)
        out = run(files[0], ns.data, sets, out, ns.notebooks, timeout=timeout, workers=workers,
                  **({} if ns.kernels == "process" else {"kernels": ns.kernels}))
        seal(out, PIPELINE, name)      # the files it wrote: a file saved there later is never replaced
        if not ns.out:                 # results/index.html: this study's row updated, the others kept
            write_index(out.parent)
    except INPUT_ERRORS as e:
        return error(e)
    except OSError as e:                  # e.g. --record-checksums on a read-only raw folder
        print(f"error: {e.filename or ns.out}: {e.strerror or e}; the previous results are unchanged", file=sys.stderr)
        return 2
    except Exception as e:                # a bug: still one line, and the way to see more
        return unexpected(e, "the previous results are unchanged")
    print(f"results written to {out} ({time.monotonic() - start:.1f} s)", file=sys.stderr)
    return 0

