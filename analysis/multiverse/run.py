"""Running the multiverse: chunks of specifications on local processes or a Dask cluster.

Specifications are independent, so chunks of them run in parallel: on the local cores
(``concurrent.futures.ProcessPoolExecutor``, one worker per core by default) or, with
``scheduler="tcp://host:8786"``, on a Dask distributed cluster (``dask.distributed.Client``;
``scheduler="local"`` starts a ``LocalCluster`` on this machine).  Each worker gets the
``Universe`` once (an initializer, or Dask's ``scatter``), evaluates a chunk
(``analysis.multiverse.evaluate``) and returns it as Parquet bytes; this process writes each
chunk as it arrives (``analysis.multiverse.store``).  At most a few chunks per worker are in
flight, so memory does not grow with the number of specifications, and a chunk's bytes do not
depend on where it ran: the same specifications give byte-identical files either way.

A progress display (``tqdm``: done, rate, time left) goes to the terminal (stderr) when there
is one; in a notebook nothing is shown (``progress=False``), and the pipeline's terminal shows
it (``analysis.progress``).
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from ..errors import StudyError
from .. import progress as live
from . import store
from .evaluate import evaluate

__all__ = ["evaluate_bytes", "run_chunks"]

_UNIVERSE = None
IN_FLIGHT = 3          # chunks per worker handed out ahead


def _init(universe) -> None:
    global _UNIVERSE
    _UNIVERSE = universe


def _local_chunk(numbers) -> bytes:
    return store.to_parquet(evaluate(_UNIVERSE, numbers))


def evaluate_bytes(universe, numbers) -> bytes:
    """One chunk, evaluated and serialised (what a Dask worker runs)."""
    return store.to_parquet(evaluate(universe, numbers))


def _progress(total, done, enabled):
    from tqdm import tqdm
    tty = enabled and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    return tqdm(total=total, initial=done, desc="multiverse", unit=" spec", file=sys.stderr, disable=not tty,
                smoothing=0.1)


def _chunks(numbers, size: int):
    return [numbers[i:i + size] for i in range(0, len(numbers), size)]


def run_chunks(universe, folder, numbers, chunk: int, workers=None, scheduler=None, progress=True) -> dict:
    """Evaluate ``numbers`` in chunks of ``chunk`` into ``folder`` (opened with
    ``store.open_store``), skipping chunks already there; returns counts of what ran."""
    parts = _chunks(numbers, chunk)
    done = store.done_chunks(folder, len(parts))
    todo = [j for j in range(len(parts)) if j not in done]
    bar = _progress(len(numbers), sum(len(parts[j]) for j in done), progress)
    counted = [sum(len(parts[j]) for j in done), len(numbers)]     # for analysis.progress
    workers = max(1, int(workers or os.cpu_count() or 1))
    try:
        if scheduler:
            _run_dask(universe, folder, parts, todo, workers, scheduler, bar, counted)
        elif workers == 1 or len(todo) <= 1:
            for j in todo:
                store.write_chunk(folder, j, evaluate_bytes(universe, parts[j]))
                bar.update(len(parts[j]))
                counted[0] += len(parts[j])
                live.report("multiverse", counted[0], counted[1])
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(universe,)) as pool:
                _stream(lambda j: pool.submit(_local_chunk, parts[j]), todo, workers, folder, parts, bar,
                        lambda fs: wait(fs, return_when=FIRST_COMPLETED)[0], lambda f: f.result(), counted)
    finally:
        bar.close()
    return {"chunks": len(parts), "resumed": len(done), "ran": len(todo), "specifications": len(numbers)}


def _stream(submit, todo, workers, folder, parts, bar, next_done, result, counted) -> None:
    """Keep ``IN_FLIGHT`` chunks per worker running; write each as it completes."""
    pending, queue = {}, list(reversed(todo))
    while queue or pending:
        while queue and len(pending) < IN_FLIGHT * workers:
            j = queue.pop()
            pending[submit(j)] = j
        for f in next_done(list(pending)):
            j = pending.pop(f)
            store.write_chunk(folder, j, result(f))
            bar.update(len(parts[j]))
            counted[0] += len(parts[j])
            live.report("multiverse", counted[0], counted[1])


def _run_dask(universe, folder, parts, todo, workers, scheduler, bar, counted) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise StudyError("--scheduler needs dask.distributed (pip install 'dask[distributed]')") from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as e:
        raise StudyError(f"--scheduler {scheduler}: cannot connect ({' '.join(str(e).split())})") from None
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        shared = client.scatter(universe, broadcast=True)
        seq = as_completed()

        def submit(j):
            f = client.submit(evaluate_bytes, shared, parts[j], pure=False)
            seq.add(f)
            return f

        def next_done(_pending):
            return [next(seq)]

        _stream(submit, todo, n, folder, parts, bar, next_done, lambda f: f.result(), counted)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
