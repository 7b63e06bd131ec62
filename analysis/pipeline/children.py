"""The process of one study in an all-studies run (``analysis.pipeline.studies.run_studies``).

A study runs as ``python -m analysis.pipeline --study F --out DIR ...`` would, in a process of its
own whose stderr the parent reads (and prefixes with the study's name).  On Linux the process is
a fork of the parent, which has already imported what the run and its notebooks need (pandas,
papermill, matplotlib, the package): a new interpreter would import them again, about a CPU
second a study, and so would each study's notebooks.  The fork runs
the command line's ``main`` on its arguments and ends with its exit status, as the started
process does; the stop rule of ``analysis.processes`` applies to it unchanged (``forked``: its own
state and handlers, its stop line on its own stderr, and it ends with its parent).  The parent
forks only while it is single-threaded (a thread holding a lock at the fork would leave the
child a lock no one releases); elsewhere, and with threads, the study is started as a new
interpreter (``subprocess``).  Either way the results are the same files.
"""
from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
import threading
from importlib import import_module

from ..processes import forked
from .kernels import NOTEBOOK_MODULES
from .layout import ROOT

__all__ = ["Child", "start_study", "can_fork", "preload"]


def can_fork() -> bool:
    """Whether a study's process may be a fork of this one: Linux, and no thread but this one."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1 and threading.current_thread() is threading.main_thread())


class Child:
    """A study's process: ``fd`` (its stderr, to read when ready), ``read()`` (its complete new
    lines), ``ended`` (its stderr closed), ``last`` (its last line), ``wait()`` (its exit status,
    negative for a signal, as ``subprocess`` gives it) and ``terminate()`` (SIGTERM)."""

    def __init__(self, fd: int, pid: int, proc=None):
        self.fd, self.pid, self.proc = fd, pid, proc
        self.ended, self.last, self._rest, self._status = False, "", b"", None

    def read(self) -> list:
        data = os.read(self.fd, 65536)
        if not data:
            self.ended = True
            if self.proc is not None:
                self.proc.stderr.close()
            else:
                os.close(self.fd)
            data, self._rest = self._rest + (b"\n" if self._rest else b""), b""
        else:
            data, self._rest = self._rest + data, b""
        *lines, self._rest = data.split(b"\n")
        lines = [line.decode("utf-8", "replace").rstrip("\r") for line in lines]
        if lines:
            self.last = lines[-1]
        return lines

    def wait(self) -> int:
        if self._status is None:
            if self.proc is not None:
                self._status = self.proc.wait()
            else:
                self._status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self._status

    def terminate(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, 15)


def preload() -> None:
    """Import, before the studies are forked, what each imports to run its notebooks (papermill
    comes with this module's own imports): jupyter_client's kernel manager and the modules the
    notebooks import, matplotlib and the package's figures, which the studies' processes then
    share instead of importing them three times, about a CPU second each."""
    import_module("jupyter_client.manager")
    for name in NOTEBOOK_MODULES:
        import_module(name)


def start_study(argv: list, main=None) -> Child:
    """Start a study's run: ``main(argv)`` in a fork of this process when ``main`` is given and
    ``can_fork()``, else ``python -m analysis.pipeline *argv``; stdout is ``os.devnull``."""
    if main is None or not can_fork():
        proc = subprocess.Popen([sys.executable, "-m", "analysis.pipeline", *argv], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return Child(proc.stderr.fileno(), proc.pid, proc)
    read, write = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()                   # nothing buffered is written twice
    gc.freeze()                              # the child's collector leaves the inherited objects alone
    pid = os.fork()
    if pid == 0:                             # the study's process: never returns
        _run_child(read, write, argv, main)
    os.close(write)
    return Child(read, pid)


def _run_child(read: int, write: int, argv: list, main) -> None:
    status = 1
    try:
        os.close(read)
        os.dup2(write, 2)
        os.close(write)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
        os.chdir(ROOT)                       # where the started process runs
        forked()
        status = main(argv)
    except SystemExit as e:                  # argparse's refusal (its message already written)
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException as e:               # a bug: still one line
        with contextlib.suppress(Exception):
            print(f"error: unexpected {type(e).__name__}: {e}", file=sys.stderr)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status if isinstance(status, int) else 1)
