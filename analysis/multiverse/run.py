"""Running the multiverse: chunks of specifications on local processes or a Dask cluster.

Specifications are independent, so chunks of them run in parallel: on the local cores
(``concurrent.futures.ProcessPoolExecutor``, one worker per core by default) or, with
``scheduler="tcp://host:8786"``, on a Dask distributed cluster (``dask.distributed.Client``;
``scheduler="local"`` starts a ``LocalCluster`` on this machine).  Each worker gets the
``Universe`` once (an initializer, or Dask's ``scatter``), evaluates a chunk
(``analysis.multiverse.evaluate``) and returns it as Parquet bytes; this process writes each
chunk as it arrives (``analysis.multiverse.store``).  Each worker keeps its own cache of the
truth-table codings it solved: sharing them through a folder (tried, issue 28) cost more than it
saved (20,000 PPIP specifications on two processes: 98 CPU-s in the workers with a shared folder,
89 without; a coding read back and parsed costs about what solving it does, and every coding
not yet there costs a look and a write).  At most a few chunks per worker are in
flight, so memory does not grow with the number of specifications, and a chunk's bytes do not
depend on where it ran: the same specifications give byte-identical files either way.  The local
workers end with this process, even after ``kill -9`` of it (``analysis.workers.WorkerPool``);
Dask's own workers watch their parent (a pipe), and a signal kills them with the run.

A progress display (``tqdm``: done, rate, time left) goes to the terminal (stderr) when there
is one; in a notebook nothing is shown (``progress=False``), and the pipeline's terminal shows
it (``analysis.progress``).
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import FIRST_COMPLETED, wait

from ..errors import StudyError
from .. import progress as live
from ..processes import critical
from ..workers import WorkerPool, quiet_children, quiet_resource_tracker
from . import store
from .evaluate import evaluate
from .scheduler import check_address, probe

__all__ = ["evaluate_bytes", "run_chunks"]

_UNIVERSE = _SET = None
IN_FLIGHT = 3          # chunks per worker handed out ahead


def _init(universe, fingerprint) -> None:
    global _UNIVERSE, _SET
    _UNIVERSE, _SET = universe, fingerprint


def _local_chunk(j, numbers) -> bytes:
    return store.to_parquet(evaluate(_UNIVERSE, numbers), store.chunk_tag(_SET, j, numbers))


def evaluate_bytes(universe, numbers, tag=None) -> bytes:
    """One chunk, evaluated and serialised with its ``tag`` (``store.chunk_tag``; what a Dask
    worker runs)."""
    return store.to_parquet(evaluate(universe, numbers), tag)


def _progress(total, done, enabled):
    from tqdm import tqdm
    tty = enabled and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    return tqdm(total=total, initial=done, desc="multiverse", unit=" spec", file=sys.stderr, disable=not tty,
                smoothing=0.1)


def _chunks(numbers, size: int):
    return [numbers[i:i + size] for i in range(0, len(numbers), size)]


def run_chunks(universe, folder, numbers, chunk: int, workers=None, scheduler=None, progress=True) -> dict:
    """Evaluate ``numbers`` in chunks of ``chunk`` into ``folder`` (opened with
    ``store.open_store``), skipping chunks already there (each checked: ``store.resumable``);
    returns counts of what ran."""
    parts = _chunks(numbers, chunk)
    fingerprint = store.set_fingerprint(store.read_manifest(folder))
    done = store.resumable(folder, parts, fingerprint)
    todo = [j for j in range(len(parts)) if j not in done]
    bar = _progress(len(numbers), sum(len(parts[j]) for j in done), progress)
    counted = [sum(len(parts[j]) for j in done), len(numbers)]     # for analysis.progress
    workers = max(1, int(workers or os.cpu_count() or 1))
    try:
        if scheduler:
            _run_dask(universe, folder, parts, todo, workers, scheduler, bar, counted, fingerprint)
        elif workers == 1 or len(todo) <= 1:
            for j in todo:
                _write(folder, j, evaluate_bytes(universe, parts[j], store.chunk_tag(fingerprint, j, parts[j])))
                bar.update(len(parts[j]))
                counted[0] += len(parts[j])
                live.report("multiverse", counted[0], counted[1])
        else:
            with WorkerPool(workers, _init, (universe, fingerprint)) as pool:
                _stream(lambda j: pool.submit(_local_chunk, j, parts[j]), todo, workers, folder, parts, bar,
                        lambda fs: wait(fs, return_when=FIRST_COMPLETED)[0], lambda f: f.result(), counted)
    finally:
        bar.close()
    return {"chunks": len(parts), "resumed": len(done), "ran": len(todo), "specifications": len(numbers)}


def _write(folder, j: int, data: bytes) -> None:
    """Write chunk ``j``; a signal meanwhile stops the run once it is written (no ``.tmp`` left)."""
    with critical():
        store.write_chunk(folder, j, data)


def _stream(submit, todo, workers, folder, parts, bar, next_done, result, counted) -> None:
    """Keep ``IN_FLIGHT`` chunks per worker running; write each as it completes."""
    pending, queue = {}, list(reversed(todo))
    while queue or pending:
        while queue and len(pending) < IN_FLIGHT * workers:
            j = queue.pop()
            pending[submit(j)] = j
        for f in next_done(list(pending)):
            j = pending.pop(f)
            _write(folder, j, result(f))
            bar.update(len(parts[j]))
            counted[0] += len(parts[j])
            live.report("multiverse", counted[0], counted[1])


def _run_dask(universe, folder, parts, todo, workers, scheduler, bar, counted, fingerprint) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise StudyError("--scheduler needs dask.distributed (pip install 'dask[distributed]')") from None
    cluster, scheduler = None, check_address(scheduler)      # analysis.multiverse.scheduler
    try:
        if scheduler == "local":
            quiet_resource_tracker()          # its workers' semaphores: no warning after a stop
            with quiet_children():            # a Ctrl-C while they start: no tracebacks of theirs
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
            client = Client(cluster)
        else:
            probe(scheduler)                    # a Dask scheduler answers there: counted attempts, bounded waits
            client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as e:
        raise StudyError(f"--scheduler {scheduler}: cannot connect ({' '.join(str(e).split())})") from None
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        shared = client.scatter(universe, broadcast=True)
        seq = as_completed()

        def submit(j):
            f = client.submit(evaluate_bytes, shared, parts[j], store.chunk_tag(fingerprint, j, parts[j]), pure=False)
            seq.add(f)
            return f

        def next_done(_pending):
            return [next(seq)]

        _stream(submit, todo, n, folder, parts, bar, next_done, lambda f: f.result(), counted)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
