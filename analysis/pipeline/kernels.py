"""Jupyter kernels for the step notebooks (``--kernels study`` or ``notebook``, and the notebooks
stored for nbval), or none: the study's own process (``analysis.pipeline.inprocess``, the
default), behind one interface for ``analysis.pipeline.execute``: ``start`` a notebook's kernel,
``take`` it, ``reset`` it between two notebooks, ``stop`` it.  ``engine`` gives papermill the
engine that runs a notebook in the one or the other.
"""
from __future__ import annotations

import os
import queue
import time
from pathlib import Path

from ..errors import StudyError
from ..processes import kernel_preexec
from ..progress import VARIABLE as PROGRESS
from .inprocess import ENGINE, Host

__all__ = ["Kernels", "engine", "RESET", "NOTEBOOK_MODULES"]

NOTEBOOK_MODULES = ("analysis.pipeline", "analysis.report.figures", "analysis.robustness")   # what they import
KERNEL_WAIT = 120                         # seconds: a guard against a kernel that never answers
RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
         "import warnings as _warnings\n_warnings._filters_mutated()\ndel _warnings")


def engine(km, host: Host | None, timeout) -> dict:
    """papermill's engine and its arguments: this process's shell (``host``) or the kernel of ``km``."""
    if host is not None:
        return {"engine_name": ENGINE, "host": host}
    return {"km": km, "execution_timeout": timeout}


class Kernels:
    """Jupyter kernels started one notebook ahead, so that a kernel's start-up (the interpreter,
    ipykernel and the heavy imports: numpy, pandas, matplotlib, the engine) overlaps the previous
    notebook's run instead of following it.  Each notebook still gets its own fresh kernel; the
    pre-imported modules are the ones its first cell imports anyway, so its outputs are unchanged.
    """

    WARM = "import " + ", ".join(NOTEBOOK_MODULES)

    def __init__(self, log_path: Path, host: Host | None = None):
        self.log_path, self.host = log_path, host
        self.progress = log_path.parent / "progress"        # live progress (analysis.progress)
        self.started: dict = {}
        self.count = 0

    def start(self, nb: Path) -> None:
        if self.host is not None:        # no kernel: this process runs the notebooks (.inprocess)
            self.host.setenv(PROGRESS, str(self.progress))
            self.started[Path(nb)] = self.host
            return
        # an asynchronous manager: its client waits for messages without blocking nbclient's
        # event loop, so nbclient's check that the kernel is alive runs every second (with a
        # blocking client a killed kernel left the run waiting forever)
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        # its connection file in the run's temporary folder (nothing left in /tmp after a signal);
        # the kernel is killed when this process ends, even by kill -9 (analysis.processes)
        self.count += 1
        km = AsyncKernelManager(kernel_name="python3",
                                connection_file=str(self.log_path.parent / f"kernel-{self.count}.json"))
        with open(self.log_path, "ab") as fh:
            run_sync(km.start_kernel)(cwd=str(Path(nb).parent), stdout=fh, stderr=fh,
                                      env={**os.environ, PROGRESS: str(self.progress)},
                                      extra_arguments=[f"--IPKernelApp.exec_lines={self.WARM}"],
                                      preexec_fn=kernel_preexec(os.getpid()))
        self.started[Path(nb)] = km

    def take(self, nb: Path):
        return self.started.pop(Path(nb), None)

    def keep(self, nb: Path, km) -> None:
        """Run notebook ``nb`` in the kernel of ``km`` too."""
        self.started[Path(nb)] = km

    @staticmethod
    def reset(km) -> None:
        """Clear ``km``'s kernel between two notebooks: its namespace (``%reset -f``) and the
        warnings' record of what was shown (a notebook shows the warnings a fresh kernel shows);
        run without history, so the execution counts are not advanced.  The request goes on the
        shell channel alone and its reply is awaited there, the kernel's life checked every
        second: the kernel has just run a notebook, so it needs no readiness check (a new
        client's waits about 0.7 s for its output channel), and the reset prints nothing."""
        from jupyter_core.utils import run_sync
        if isinstance(km, Host):
            km.reset(RESET)
            return
        kc = km.blocking_client()
        kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = kc.execute(RESET, store_history=False, allow_stdin=False)
            deadline = time.monotonic() + KERNEL_WAIT
            while True:
                try:
                    reply = kc.get_shell_msg(timeout=1)
                except queue.Empty:
                    if not run_sync(km.is_alive)():
                        raise StudyError("the study's kernel died between two notebooks (killed, e.g. by the system "
                                         "when memory ran out); the previous results are unchanged; run again, with "
                                         "fewer cases or more memory") from None
                    if time.monotonic() > deadline:
                        raise StudyError(f"the study's kernel did not answer within {KERNEL_WAIT} s between two "
                                         "notebooks; the previous results are unchanged; run again") from None
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            kc.stop_channels()
        if reply["content"].get("status") != "ok":
            raise StudyError(f"the kernel could not be cleared between two notebooks: {reply['content'].get('evalue', '')}")

    @staticmethod
    def stop(km) -> None:
        """Stop a kernel and its process group (the workers a notebook started, too)."""
        from jupyter_core.utils import run_sync
        if km is not None and not isinstance(km, Host) and km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)

    def stop_all(self) -> None:
        for km in self.started.values():
            self.stop(km)
        self.started.clear()
