"""Running the multiverse: chunks of specifications on local processes or a Dask cluster.

Specifications are independent, so chunks of them run in parallel: on the local cores
(``concurrent.futures.ProcessPoolExecutor``, one worker per core by default) or, with
``scheduler="tcp://host:8786"``, on a Dask distributed cluster (``dask.distributed.Client``;
``scheduler="local"`` starts a ``LocalCluster`` on this machine).  Each worker gets the
``Universe`` once (an initializer, or Dask's ``scatter``).  Each keeps its own cache of the
truth-table codings it solved: sharing them through a folder (tried, issue 28) cost more than it
saved (a coding read back and parsed costs about what solving it does).  So the local processes
do not take whole chunks: each evaluates its share of every chunk, the specifications of the
condition sets and cut-offs given to it (``analysis.multiverse.shares``), whose codings the
others rarely meet, and returns their rows; this process puts a chunk's rows back in order and
writes it (``analysis.multiverse.store``).  On Dask each share goes to its worker by preference
(elsewhere if that worker is gone), the same way; a ``LocalCluster`` started here does not steal
tasks from one worker for another, and its workers end without tearing their heaps down
(``analysis.workers.exit_at_once``), as the local processes do.  At most a few chunks per worker are in
flight, so memory does not grow with the number of specifications, and a chunk's bytes do not
depend on where it ran: the same specifications give byte-identical files either way.  The local
workers end with this process, even after ``kill -9`` of it (``analysis.workers.WorkerPool``);
Dask's own workers watch their parent (a pipe), and a signal kills them with the run.

A progress display (``tqdm``: done, rate, time left) goes to the terminal (stderr) when there
is one; in a notebook nothing is shown (``progress=False``), and the pipeline's terminal shows
it (``analysis.progress``).
"""
from __future__ import annotations

import contextlib
import os
import sys
from concurrent.futures import FIRST_COMPLETED, wait

import msgpack
import numpy as np

from ..errors import StudyError
from .. import progress as live
from ..collector import settle
from ..processes import critical
from ..workers import WorkerPool, exit_at_once, quiet_children, quiet_resource_tracker
from . import store
from .evaluate import evaluate_rows
from .scheduler import check_address, probe
from .shares import Shares

__all__ = ["evaluate_bytes", "evaluate_packed", "run_chunks", "unpack_rows"]

_UNIVERSE = None
IN_FLIGHT = 3          # tasks per worker handed out ahead
#: chunks a Dask task holds the shares of: a task costs Dask about 6 ms in all its processes
#: (1,333 tasks of nothing: 7.7 CPU-s), and more in a busy one, so a task takes a worker's shares
#: of several chunks (100,000 PPIP specifications in chunks of 150, 2 workers on 2 cores: 334
#: tasks of 4 chunks cost the parent 9.6/8.4 CPU-s and the workers 7.9/6.8 beside their computing;
#: 111 tasks of 12: 7.2/7.7 and 4.0/4.1; 56 of 24: 7.1/6.7 and 3.2/3.2).  The parent holds at most
#: ``IN_FLIGHT`` x workers x 16 chunks' rows (96 chunks: 14,400 PPIP specifications, 15-20 MB)
DASK_BATCH = 16
#: the scheduler of a LocalCluster started here does not steal tasks: each share is sent to the worker
#: whose caches hold its codings, and a stolen one is solved again by the other (PPIP, 3,000
#: specifications: 14,254 and 14,338 codings solved with stealing, 13,384 and 13,388 without)
#: nor do its workers sample their own stacks every 10 ms for Dask's profile (the dashboard's, which a
#: cluster started here does not serve): 1.7 CPU-s of 48 for 20,000 PPIP specifications;
#: and its event loops wake less often: the check for a blocked loop every 500 ms (not 20), the
#: resource monitor every 2 s (not 0.5), the memory monitor every 500 ms (not 100; the limits
#: still hold, checked 2 times a second): an idle cluster of 2 workers cost 3.3 CPU-s per 30 s
#: in its 3 processes with Dask's defaults, 0.5 with these
LOCAL_CLUSTER = {"distributed.scheduler.work-stealing": False, "distributed.worker.profile.enabled": False,
                 "distributed.admin.tick.interval": "500ms", "distributed.admin.system-monitor.interval": "2s",
                 "distributed.worker.memory.monitor-interval": "500ms"}


def _init(universe) -> None:
    global _UNIVERSE
    _UNIVERSE = universe


def _local_rows(numbers) -> list:
    return evaluate_rows(_UNIVERSE, numbers)


def evaluate_packed(universe, numbers) -> bytes:
    """A share's rows (``evaluate_rows``) as MessagePack bytes, what a Dask worker sends back: one
    frame of bytes, where a list of lists would go through Dask's serialisation item by item
    (1,333 shares of 75 rows: 16.7 CPU-s sent as lists, 10.1 as bytes, in all processes).  A row's
    values (``int``, ``float``, ``str``, ``bool``, ``None``) come back as they were, and nothing
    read runs code (``unpack_rows``)."""
    return msgpack.packb(evaluate_rows(universe, numbers), use_bin_type=True)


def unpack_rows(data: bytes) -> list:
    """The rows ``evaluate_packed`` sent."""
    return msgpack.unpackb(data, raw=False)


def evaluate_bytes(universe, numbers, tag=None) -> bytes:
    """One chunk, evaluated and serialised with its ``tag`` (``store.chunk_tag``; what a run on
    one process does)."""
    numbers = np.asarray(list(numbers), dtype=np.int64)
    return store.chunk_bytes(universe, numbers, evaluate_rows(universe, numbers), tag)


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
            _run_shares(universe, folder, parts, todo, workers, bar, counted, fingerprint)
    finally:
        bar.close()
    return {"chunks": len(parts), "resumed": len(done), "ran": len(todo), "specifications": len(numbers)}


def _run_shares(universe, folder, parts, todo, workers, bar, counted, fingerprint) -> None:
    """Local processes, one pool of one each, every process evaluating its share of each chunk
    (``_stream``)."""
    with contextlib.ExitStack() as stack:
        pools = [stack.enter_context(WorkerPool(1, _init, (universe,))) for _ in range(workers)]
        _stream(universe, folder, parts, todo, workers, bar, counted, fingerprint,
                lambda w, numbers: pools[w].submit(_local_rows, numbers),
                lambda fs: wait(fs, return_when=FIRST_COMPLETED)[0])


def _stream(universe, folder, parts, todo, workers, bar, counted, fingerprint, submit, next_done,
            rows_of=lambda f: f.result(), batch: int = 1) -> None:
    """Every worker evaluates its share of each chunk (``analysis.multiverse.shares``: its caches
    meet only its own codings); a chunk's rows are put back in order and the chunk written here
    once every share of it is back.  A task hands one worker its shares of ``batch`` chunks at once
    (``submit(w, numbers)`` returns a future, ``rows_of(future)`` its rows, in the order of
    ``numbers``).  At most ``IN_FLIGHT`` x ``batch`` chunks per worker are under way."""
    shares = Shares(universe.grid, universe.condition_sets, workers)
    pending, waiting, queue = {}, {}, list(reversed(todo))
    while queue or pending:
        while queue and len(waiting) < IN_FLIGHT * workers * batch:
            js = [queue.pop() for _ in range(min(batch, len(queue)))]
            for w, (numbers, segments) in _hand_out(shares, parts, js, waiting).items():
                pending[submit(w, numbers)] = segments
        for f in next_done(list(pending)):
            rows, start = rows_of(f), 0
            for j, at in pending.pop(f):
                chunk = waiting[j][0]
                for p, row in zip(at, rows[start:start + len(at)]):
                    chunk[p] = row
                start += len(at)
                waiting[j][1] -= 1
                if not waiting[j][1]:
                    del waiting[j]
                    tag = store.chunk_tag(fingerprint, j, parts[j])
                    _write(folder, j, store.chunk_bytes(universe, parts[j], chunk, tag))
                    bar.update(len(parts[j]))
                    counted[0] += len(parts[j])
                    live.report("multiverse", counted[0], counted[1])


def _hand_out(shares, parts, js, waiting) -> dict:
    """Worker -> (the specification numbers of its shares of chunks ``js``, one after the other;
    [(chunk, positions in the chunk)] of each share), for the workers that have any; ``waiting``
    gets each chunk's empty rows and the number of tasks holding a share of it."""
    segments = {}
    for j in js:
        numbers = np.asarray(parts[j], dtype=np.int64)
        split = [(w, at) for w, at in enumerate(shares.split(numbers)) if len(at)]
        waiting[j] = [[None] * len(numbers), len(split)]
        for w, at in split:
            segments.setdefault(w, []).append((j, at, numbers[at]))
    return {w: (np.concatenate([n for _, _, n in segs]), [(j, at) for j, at, _ in segs])
            for w, segs in sorted(segments.items())}


def _write(folder, j: int, data: bytes) -> None:
    """Write chunk ``j``; a signal meanwhile stops the run once it is written (no ``.tmp`` left)."""
    with critical():
        store.write_chunk(folder, j, data)


def _run_dask(universe, folder, parts, todo, workers, scheduler, bar, counted, fingerprint) -> None:
    try:
        from dask import config as dask_config
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise StudyError("--scheduler needs dask.distributed (pip install 'dask[distributed]')") from None
    cluster, scheduler = None, check_address(scheduler)      # analysis.multiverse.scheduler
    try:
        if scheduler == "local":
            quiet_resource_tracker()          # its workers' semaphores: no warning after a stop
            with quiet_children(), dask_config.set(LOCAL_CLUSTER):   # a Ctrl-C while they start: no tracebacks
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
            client = Client(cluster)
            client.run(settle)                # our own workers' collectors, as a local worker's
            client.run(exit_at_once)          # and their exit, as a local worker's (no teardown)
        else:
            probe(scheduler)                    # a Dask scheduler answers there: counted attempts, bounded waits
            client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError) as e:
        raise StudyError(f"--scheduler {scheduler}: cannot connect ({' '.join(str(e).split())})") from None
    try:
        names = sorted(client.scheduler_info().get("workers", {})) or [None] * workers
        shared = client.scatter(universe, broadcast=True)
        seq = as_completed()

        def submit(w, numbers):         # a preference: a task goes elsewhere if its worker is gone
            f = client.submit(evaluate_packed, shared, numbers, pure=False, allow_other_workers=True,
                              workers=None if names[w] is None else [names[w]])
            seq.add(f)
            return f

        _stream(universe, folder, parts, todo, len(names), bar, counted, fingerprint, submit, lambda _: [next(seq)],
                lambda f: unpack_rows(f.result()), DASK_BATCH)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
