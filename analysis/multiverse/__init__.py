"""The multiverse of a study: every combination of its defensible choices, and what survives.

The study file names the choices (``multiverse:``; ``analysis.multiverse.settings``): the
anchors of every set, the cut-offs, the cases, the conditions.  ``run_multiverse`` builds the
grid of their combinations (``grid``), prepares what the specifications share (``universe``),
runs every specification (or a seeded sample of ``size`` of them) in chunks on the local cores
or a Dask cluster (``run``), written to Parquet files that a later run resumes from
(``store``); ``summarise`` gives the share of specifications in which each claim of the ledger
and each core condition holds, by choice, and which choices flip which findings (``summary``);
``analysis.multiverse.curve`` draws the specification curve.

Steegen, Tuerlinckx, Gelman & Vanpaemel (2016), Increasing transparency through a multiverse
analysis, Perspectives on Psychological Science 11(5); Simonsohn, Simmons & Nelson (2020),
Specification curve analysis, Nature Human Behaviour 4; Oana & Schneider (2024), A robustness
test protocol for applied QCA, Sociological Methods & Research 53(1).

Command line: ``python -m analysis.multiverse --study ppip --full`` (``--help``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import store
from .grid import sample
from .run import run_chunks
from .settings import ONE_SPECIFICATION
from .summary import summarise as _summarise
from .universe import prepare

__all__ = ["Multiverse", "prepare", "run_multiverse", "summarise"]


@dataclass(frozen=True)
class Multiverse:
    """One run of a multiverse: where it is, what it holds, what ran."""

    folder: Path
    manifest: dict
    counts: dict

    def summary(self, claims=()):
        return _summarise(self.folder, self.manifest, claims)

    @property
    def description(self) -> str:
        m, c = self.manifest, self.counts
        if m["grid_size"] == 1:
            return ONE_SPECIFICATION
        what = (f"a seeded random sample (seed {m['seed']}) of {m['specifications']:,} of the grid's "
                f"{m['grid_size']:,} specifications" if m["sampled"]
                else f"all {m['grid_size']:,} specifications of the grid")
        resumed = f"; {c['resumed']} of {c['chunks']} chunks were already on disk (resumed)" if c["resumed"] else ""
        return f"{what}, in {c['chunks']} chunks of up to {m['chunk']:,}{resumed}"


def run_multiverse(study, measures, parameters: dict, folder, full: bool = False, size: int | None = None,
                   workers=None, scheduler=None, progress: bool = True, restart: bool = False,
                   settings=None, universe=None) -> Multiverse:
    """Run ``study``'s multiverse into ``folder`` (module docstring).

    ``size``: the specifications to run (default: the study file's ``size``; ``full``: its
    ``limit``): every one when the grid has no more, else a seeded sample.  ``workers``: local
    processes (default: every core); ``scheduler``: a Dask scheduler address, or ``"local"``
    for a ``LocalCluster`` of ``workers`` workers.  A folder holding the same multiverse is
    resumed; ``restart`` starts it afresh.  ``universe``: the multiverse already prepared
    (``prepare``), to show its grid before it runs.
    """
    settings = settings or study.multiverse
    universe = universe or prepare(study, measures, parameters, settings)
    numbers, sampled = sample(universe.grid, size or (settings.limit if full else settings.size), settings.seed)
    meta = store.manifest(universe, numbers, sampled, settings.chunk, settings.seed)
    folder = store.open_store(folder, meta, restart=restart)
    counts = run_chunks(universe, folder, numbers, settings.chunk, workers, scheduler, progress)
    return Multiverse(folder=Path(folder), manifest=meta, counts=counts)


def summarise(multiverse: Multiverse, claims=()):
    """The shares of ``multiverse`` (``analysis.multiverse.summary``)."""
    return multiverse.summary(claims)
