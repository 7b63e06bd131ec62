"""``python -m analysis.multiverse --study NAME [--full | --size N] [--workers N] [--scheduler ADDR]``

Runs a study's multiverse (``analysis.multiverse``) outside the notebooks: by default the
study file's ``size`` specifications, with ``--full`` the whole grid (up to its ``limit``; a
larger grid is sampled, and the run says so).  Chunks go to ``<out>/chunks/`` as they finish;
run the same command again after an interruption and it resumes.  ``--scheduler
tcp://host:8786`` runs on a Dask cluster, ``--scheduler local`` on a Dask ``LocalCluster`` of
``--workers`` processes.  The tables and the specification curve are written to ``<out>``
(default ``results/<study>-multiverse`` or ``-multiverse-full``, with what ``--set``, ``--size``
and ``--data`` change in the name).  ``<out>`` is the run's own folder (``analysis.guard``): a
folder of other files, of another command or study, or inside ``data/`` or the code is refused;
``--restart`` discards only the chunks of a multiverse folder.  Bad input: one line ``error:
...`` and exit status 2.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..errors import INPUT_ERRORS, StudyError
from ..guard import MULTIVERSE, claim
from ..analyses import analyses
from ..measures import build_measures, check_measures
from ..multiverse import run_multiverse
from ..multiverse.export import export_sample
from ..multiverse.report import write_multiverse
from ..multiverse.scheduler import check_address, probe
from ..multiverse.universe import prepare
from ..parameters import parse_sets, resolve
from ..processes import stop_on_signals
from ..qca.arguments import Parser, error, unexpected
from ..rawdata import load_raw
from ..runs import run_folder
from ..studyfile import load_study
from .studies import study_file, study_name

__all__ = ["main"]


def _whole(name, text, low=1):
    try:
        value = int(text)
        assert value >= low
    except (TypeError, ValueError, AssertionError):
        raise StudyError(f"{name} must be a whole number of at least {low}, got {text!r}") from None
    return value


def _parse(argv):
    ap = Parser(prog="python -m analysis.multiverse", description=__doc__,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--study", required=True, metavar="NAME|FILE", help="a name of data/ (ppip, ...) or a study file")
    ap.add_argument("--data", default=None, help="raw case data CSV (default: the study's)")
    ap.add_argument("--set", dest="sets", action="extend", nargs="+", default=[], metavar="NAME=VALUE",
                    help="change a threshold of the study's own analysis (its core conditions)")
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="the whole grid (up to the study file's limit)")
    size.add_argument("--size", default=None, help="run this many specifications (a seeded sample)")
    ap.add_argument("--chunk", default=None, help="specifications per chunk file (default: the study file's)")
    ap.add_argument("--out", default=None, help="output folder (default: results/<study>-multiverse[-full])")
    ap.add_argument("--workers", default=None, help="local processes or LocalCluster workers (default: every core)")
    ap.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="a Dask scheduler (tcp://host:8786), or 'local' for a LocalCluster")
    ap.add_argument("--restart", action="store_true", help="discard the chunks of an earlier run in --out")
    ap.add_argument("--export", default=None, metavar="N",
                    help="also write N specifications of the run (seeded), their memberships and settings and the "
                         "models found, to <out>/export/ (specs.json, datasets/), to re-derive with R's QCA")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    # a signal: one line, status 130/143/129, the workers (local or a LocalCluster's) killed
    with stop_on_signals("interrupted; the finished chunks are kept: run the same command again to resume"):
        return _main(argv)


def _main(argv) -> int:
    start = time.monotonic()
    try:
        ns = _parse(argv)
        # its form, before the study is read; the server, before anything is written
        scheduler = None if ns.scheduler is None else check_address(ns.scheduler)
        size = _whole("--size", ns.size) if ns.size is not None else None
        workers = _whole("--workers", ns.workers) if ns.workers is not None else None
        chunk = _whole("--chunk", ns.chunk) if ns.chunk is not None else None
        export = _whole("--export", ns.export) if ns.export is not None else None
        study = load_study(study_file(ns.study))
        parameters = resolve(study.thresholds, **parse_sets(ns.sets))
        raw = load_raw(study, ns.data)
        measures = build_measures(study, raw)
        check_measures(study, measures)
        settings = study.multiverse if chunk is None else replace(study.multiverse, chunk=chunk)
        changes = {k: v for k, v in parameters.items() if v != study.thresholds[k]} | ({"size": size} if size else {})
        out = Path(ns.out or run_folder(study_name(study.path), changes, ns.data, "results",
                                        kind="multiverse-full" if ns.full else "multiverse"))
        if scheduler not in (None, "local"):
            probe(scheduler)                # a Dask scheduler answers there, before anything is written
        claim(out, MULTIVERSE, study.name, inputs=(study.path, study.data_path, ns.data or study.data_path))
        mv = run_multiverse(study, measures, parameters, out, full=ns.full, size=size, workers=workers,
                            scheduler=ns.scheduler, progress=True, restart=ns.restart,
                            settings=settings)
        summary = mv.summary(study.claims)
        write_multiverse(mv, summary, out, analyses(study, parameters), study.labels)
        if export is not None:
            export_sample(prepare(study, measures, parameters, settings), out, mv.manifest, export, settings.seed,
                          out / "export")
    except INPUT_ERRORS as e:
        return error(e)
    except OSError as e:
        print(f"error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except Exception as e:                # a bug: still one line, and the way to see more
        return unexpected(e)
    seconds = time.monotonic() - start
    print(f"{mv.description}; {summary.specifications:,} specifications in {seconds:.1f} s "
          f"({summary.specifications / max(seconds, 1e-9):,.0f} per second)")
    for r in summary.findings.itertuples():
        share = "not judged" if r.judged == 0 else f"{r.share:6.1%} of {r.judged:,}"
        print(f"  {r.kind:5} {r.finding:40} holds in {share}")
    if study.synthetic:
        print("  (synthetic stand-in data: not the article's findings)")
    print(f"tables and the specification curve written to {out}", file=sys.stderr)
    return 0

