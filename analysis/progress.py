"""Live progress of long steps (the robustness sweep, the multiverse) for the terminal.

A notebook run by the pipeline has no terminal: its kernel's output goes into the executed
notebook, where a progress bar would be stored (and shown as an error block).  So the long steps
*report* their progress instead: when the environment variable ``ANALYSIS_PROGRESS`` names a
file, ``report`` writes one line to it — what runs, how much is done, of how much — at most
every ``EVERY`` seconds and always at the end; the pipeline's runner (``Watcher``) reads that
file while the notebook runs and redraws one line in the terminal, with the rate and the time
left.  Without the variable ``report`` does nothing.  Progress is for display only: nothing in
the results depends on it.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "progress")
>>> os.environ[VARIABLE] = path
>>> report("robustness sweep", 10, 40, force=True)
>>> read(path)
('robustness sweep', 10, 40)
>>> del os.environ[VARIABLE]
"""
from __future__ import annotations

import os
import threading
import time

__all__ = ["VARIABLE", "report", "read", "Watcher", "describe"]

VARIABLE = "ANALYSIS_PROGRESS"
EVERY = 0.25
_LAST = {"t": 0.0}


def report(what: str, done: int, total: int, force: bool = False) -> None:
    """Write ``what done total`` to the progress file, if there is one (module docstring)."""
    path = os.environ.get(VARIABLE)
    if not path:
        return
    now = time.monotonic()
    if not force and done < total and now - _LAST["t"] < EVERY:
        return
    _LAST["t"] = now
    try:
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(f"{what}\t{int(done)}\t{int(total)}\n")
        os.replace(tmp, path)
    except OSError:
        pass                                    # progress is never worth failing a run for


def read(path):
    """(what, done, total) from a progress file, or None."""
    try:
        with open(path, encoding="utf-8") as fh:
            what, done, total = fh.read().rstrip("\n").split("\t")
        return what, int(done), int(total)
    except (OSError, ValueError):
        return None


def describe(what: str, done: int, total: int, seconds: float, since: int = 0) -> str:
    """One line: what, done of total, the rate (of the ``done - since`` in ``seconds``) and the
    time left.

    >>> describe("multiverse", 500, 2000, 10.0)
    'multiverse 500/2,000 (50 per s, 30 s left)'
    """
    rate = (done - since) / seconds if seconds > 0 else 0.0
    left = f", {(total - done) / rate:.0f} s left" if rate > 0 and done < total else ""
    return f"{what} {done:,}/{total:,} ({rate:,.0f} per s{left})"


class Watcher:
    """Redraw the progress of ``path`` after ``prefix`` on ``log`` (a terminal) until stopped."""

    def __init__(self, path, log, prefix: str):
        self.path, self.log, self.prefix = path, log, prefix
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.shown = self.own = False
        self.first, self.last = {}, None

    def __enter__(self):
        try:
            os.remove(self.path)                 # an earlier step's progress is not this one's
        except OSError:
            pass
        if hasattr(self.log, "isatty") and self.log.isatty():
            try:        # a stream of its own: the runner sends fd 2 to the kernels' log meanwhile
                self.log = open(os.dup(self.log.fileno()), "w", encoding="utf-8", closefd=True)
                self.own = True
            except (AttributeError, OSError, ValueError):
                pass
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=2)
        if self.shown:
            self.log.write("\r\033[K" + self.prefix)
            self.log.flush()
        if self.own:
            self.log.close()

    def _run(self):
        while not self.stop_event.wait(0.5):
            state = read(self.path)
            if state is None:
                continue
            if state == self.last:
                continue                         # nothing new: the rate stays as last shown
            self.last = state
            what, done, total = state
            start = self.first.setdefault(what, (time.monotonic(), done))
            seconds = time.monotonic() - start[0]
            line = describe(what, done, total, seconds, start[1]) if done > start[1] else f"{what} {done:,}/{total:,}"
            self.log.write(f"\r\033[K{self.prefix} {line}")
            self.log.flush()
            self.shown = True
