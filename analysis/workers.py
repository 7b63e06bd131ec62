"""Pools of worker processes that follow the rule of ``analysis.processes``: they end with the
process that started them, even after ``kill -9`` of it, leave Ctrl-C to it, and are killed at
once when their work is abandoned.

``WorkerPool``              a ``concurrent.futures.ProcessPoolExecutor`` of such workers (the
                            robustness sweep, the multiverse's local processes).
``quiet_resource_tracker``  multiprocessing's resource tracker, started without a terminal (a
                            Dask ``LocalCluster``'s spawned workers register their semaphores
                            with it).
``quiet_children``          processes started in its body (a ``LocalCluster``'s nannies and,
                            through them, its workers) write their stderr to ``os.devnull``.
``exit_at_once``            run in a ``LocalCluster``'s worker: the process ends without tearing
                            its heap down when its work is done.

This module is apart from ``analysis.processes`` only so that the signal handler can be in place
before anything heavy is imported (``analysis.processes.early``).
"""
from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker

from .collector import settle
from .qca.arguments import exit_now
from .processes import die_with_parent, quiet_child

__all__ = ["WorkerPool", "exit_at_once", "quiet_resource_tracker", "quiet_children"]


def _start_worker(parent, initializer, initargs) -> None:
    quiet_child()
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)
    settle()        # the collector leaves what the worker was given alone (analysis.collector)


class WorkerPool(ProcessPoolExecutor):
    """A ``ProcessPoolExecutor`` whose workers end with the process that made it (even after
    ``kill -9`` of it), ignore Ctrl-C (their parent decides) and are killed, their queued work
    dropped, when the ``with`` block is left by an exception (``KeyboardInterrupt`` in a
    notebook, an error): the exception then surfaces at once instead of after the queued work.
    A worker's garbage collector is set by ``analysis.collector.settle`` once its initializer
    has run.

    Create it from a thread that outlives its workers (the main thread): the parent-death signal
    fires when the thread that forked a worker ends, and with the fork start method every worker
    is forked at the first ``submit``, by the submitting thread.  With the forkserver method
    (Python 3.14's default on Linux) a worker's parent is the fork server, which ends with this
    process: the worker follows it.

    >>> with WorkerPool(2) as pool:
    ...     list(pool.map(abs, [-1, -2, 3]))
    [1, 2, 3]
    """

    def __init__(self, max_workers=None, initializer=None, initargs=()):
        context = multiprocessing.get_context()
        parent = os.getpid() if context.get_start_method() in ("fork", "spawn") else None
        super().__init__(max_workers=max_workers, mp_context=context, initializer=_start_worker,
                         initargs=(parent, initializer, tuple(initargs)))

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.shutdown(wait=True)
        else:
            self.kill()
        return False

    def kill(self) -> None:
        """Kill the workers and drop the queued work (``shutdown`` without waiting)."""
        for p in list((getattr(self, "_processes", None) or {}).values()):
            with contextlib.suppress(OSError, AttributeError, ValueError):
                p.kill()
        self.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def quiet_children():
    """Processes started in the body get ``os.devnull`` as their stderr (fd 2), and so do theirs.

    For a Dask ``LocalCluster``: its nannies and workers are spawned (a fresh interpreter each),
    in the terminal's process group, so a Ctrl-C reaches them too, and one that arrives while they
    start made each print a ``KeyboardInterrupt`` traceback (or ``Fatal Python error``) beside the
    run's one line.  What they would say of a failed task reaches the run through the task's
    future.  This process's own stderr is the terminal's again at the end of the body (the signal
    handler writes its line to the terminal it kept: ``analysis.processes``)."""
    sys.stderr.flush()
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with its stderr on ``os.devnull`` (if it is not
    running yet): when a stop or ``kill -9`` leaves spawned workers' semaphores to it, it removes
    them without a warning on the terminal (the run's one line stays the only one).  The signal
    handler spares it (``analysis.processes``): it ends by itself once the workers are gone."""
    if getattr(resource_tracker._resource_tracker, "_pid", None):
        return
    with quiet_children():
        resource_tracker.ensure_running()


def exit_at_once() -> None:
    """Make this process end at once when it exits: its output flushed, then ``os._exit(0)``
    before any other exit handler and the interpreter's teardown.

    For the workers of a Dask ``LocalCluster`` this run starts: they are spawned (a fresh
    interpreter each), and a spawned process ends with ``sys.exit``, which tears its heap down
    object by object (the multiverse's caches of codings: about 0.8 CPU-s a worker, and more than
    4 s under load, when the nanny kills it anyway), where a forked worker (``WorkerPool``) ends
    with ``os._exit``.  Run when the worker has started (``Client.run``), so the handler is the
    last registered and runs first; what it skips is the exit handlers of the modules the worker
    imported (distributed's own close the clusters and clients this process made: none) and the
    teardown.  The worker has closed by then (its scratch folder is removed by its ``close``)."""
    atexit.register(exit_now, 0)
