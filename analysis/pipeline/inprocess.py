"""A study's notebooks executed in the study's own process, as a Jupyter kernel executes them.

A kernel is a second interpreter per study that imports numpy, pandas, matplotlib and the
package again and sends every output through ZeroMQ as JSON, to be read back by nbclient: about
1.3 CPU seconds to start and a few tenths a notebook to talk to (issue 28).  Here the study's
process runs the notebooks' cells itself, in an IPython shell (``Host``), and keeps their outputs
as a kernel's messages would give them: the displays and results formatted by IPython's display
formatter, their images encoded and the whole content passed through the JSON packer and
unpacker of jupyter_client's ``Session`` (what travels between a kernel and nbclient), the
outputs made by nbformat from those messages, printed text flushed into a stream output before
each display and at the end of a cell (as ipykernel's streams flush), the execution counted per
stored cell.  papermill runs the notebook through this engine (``InProcessEngine``) as through
nbclient's: the same parameters cell, the same papermill metadata, the kernel's ``language_info``
(ipykernel's own).  ``tests/test_pipeline_kernels.py`` holds the files written this way against
those of one kernel per study and of a fresh kernel per notebook, byte for byte.

Between two notebooks the shell is cleared as the kernel was (``kernels.RESET``).  A cell that
runs longer than the run's ``timeout`` is stopped by an alarm (``CellTimeoutError``, the one
nbclient raises).  The study's process is the notebooks' process: a signal ends both at once,
and what the notebooks start (the robustness sweep's workers) ends with it
(``analysis.processes``).  What the notebooks set in the process and could change what the run
writes or shows after them (pandas' display options, read by the report and the LaTeX tables;
the warnings' filters; the environment) is put back when the notebooks are done
(``Host.close``); what the modules keep (their caches, the figures' stand-in stamp) stays, which
is one reason each study of an all-studies run has a process of its own.
"""
from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import signal
import sys
import warnings

import pandas as pd
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from ipykernel.compiler import XCachingCompiler
from ipykernel.ipkernel import IPythonKernel
from ipykernel.jsonutil import encode_images
from jupyter_client.session import Session
from nbclient.exceptions import CellTimeoutError
from papermill.engines import Engine, papermill_engines
from traitlets.config import Config

from ..collector import settle
from .outputs import output

__all__ = ["ENGINE", "Host", "InProcessEngine", "CellError"]

ENGINE = "analysis-inprocess"
MPLBACKEND = "module://matplotlib_inline.backend_inline"   # what ipykernel gives its kernels


class CellError(Exception):
    """A cell that raised: ``ename`` and ``evalue`` as a kernel's error reply gives them."""

    def __init__(self, error: BaseException):
        super().__init__(f"{type(error).__name__}: {error}")
        self.ename, self.evalue = type(error).__name__, str(error)


class _Stream(io.TextIOBase):
    """``sys.stdout`` or ``sys.stderr`` of a cell: text kept until the next display or the cell's end."""

    def __init__(self, host: "Host", name: str):
        self.host, self.name, self.parts = host, name, []

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        if self.parts:
            text, self.parts = "".join(self.parts), []
            self.host.add("stream", {"name": self.name, "text": text})


class _Publisher(DisplayPublisher):
    """``display()``: a display_data output, as ipykernel's ZMQDisplayPublisher sends it."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        host = self.shell.host
        host.flush_streams()
        self._validate_data(data, metadata)
        content = {"data": encode_images(data), "metadata": {} if metadata is None else metadata,
                   "transient": {} if transient is None else transient}
        host.add("update_display_data" if update else "display_data", content)

    def clear_output(self, wait=False):
        self.shell.host.flush_streams()
        self.shell.host.add("clear_output", {"wait": wait})


class _Hook(DisplayHook):
    """A cell's last value: an execute_result output, as ipykernel's ZMQShellDisplayHook sends it."""

    def start_displayhook(self):
        self.content = {"data": {}, "metadata": {}}

    def write_output_prompt(self):
        self.content["execution_count"] = self.prompt_count

    def write_format_data(self, format_dict, md_dict=None):
        self.content["data"], self.content["metadata"] = encode_images(format_dict), md_dict

    def finish_displayhook(self):
        self.shell.host.flush_streams()
        if self.content["data"]:
            self.shell.host.add("execute_result", self.content)
        self.content = None


class _Shell(InteractiveShell):
    displayhook_class = _Hook
    display_pub_class = _Publisher
    host = None


_KEPT = ("__builtin__", "__builtins__", "__name__")     # what IPython's reset keeps in the namespace


class Host:
    """The IPython shell that runs a study's notebooks in this process (module docstring).

    ``execute(code)``: run one cell, its outputs as nbformat outputs; ``reset()``: clear the
    shell between notebooks; ``close()``: put back what the notebooks changed in the process."""

    def __init__(self, timeout: float | None = None):
        config = Config()
        config.HistoryManager.enabled = False          # no history file, no thread writing it
        main = sys.modules.get("__main__")
        self.shell = _Shell(config=config, compiler_class=XCachingCompiler)   # the kernel's cell names
        sys.modules["__main__"] = main                 # the notebooks' own only while they run
        self.shell.host = self
        self.session, self.timeout, self.outputs = Session(), timeout, None
        self._threshold = settle()   # what lives now (the modules, the run's state) is not scanned again
        self.streams = {name: _Stream(self, name) for name in ("stdout", "stderr")}
        self._options, self._environ, self._warnings = _pandas_options(), {}, list(warnings.filters)
        if not os.environ.get("MPLBACKEND"):
            self.setenv("MPLBACKEND", MPLBACKEND)

    def setenv(self, name: str, value: str) -> None:
        """Set an environment variable for the notebooks (put back by ``close``)."""
        self._environ.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def add(self, kind: str, content: dict) -> None:
        """An output of the running cell, from the message a kernel would send of ``content``."""
        content = self.session.unpack(self.session.pack(content))
        if kind == "clear_output":
            self.outputs.clear()
        elif kind != "update_display_data":
            self.outputs.append(output(kind, content))      # nbformat's output_from_msg (pipeline.outputs)

    def flush_streams(self) -> None:
        for stream in self.streams.values():
            stream.flush()

    def execute(self, code: str, store_history: bool = True) -> tuple:
        """Run ``code`` as a kernel's cell: (its execution count, its outputs); a ``CellError``
        when it raised, ``CellTimeoutError`` when it ran past the timeout."""
        self.outputs = []
        count = self.shell.execution_count
        with self._current(), self._alarm():
            result = self.shell.run_cell(code, store_history=store_history, silent=False)
            self.flush_streams()
        error = result.error_before_exec or result.error_in_exec
        if isinstance(error, CellTimeoutError):
            raise error
        if error is not None:
            raise CellError(error)
        return count, self.outputs

    def reset(self, code: str) -> None:
        """Clear the shell between two notebooks by running ``code`` (not counted, no output).

        ``%reset`` ends with a full garbage collection; what is left then lives on (the modules
        the notebooks imported, their caches), and is frozen: the next notebook's collections,
        its own ``%reset``'s too, no longer scan it (a lipset run's resets: 1.2 -> 0.4 CPU-s;
        ``analysis.collector``).  ``%reset`` also collects before it clears the namespace (when
        it flushes the output cache), a walk through everything the notebook made, all still
        alive then; ``_let_go`` first drops what the reset drops anyway (the notebook's names,
        its results kept for ``Out``), so that that collection frees them and the last one
        walks only what lives on (PSS's six resets: 1.24 -> 0.94 CPU-s)."""
        self._let_go()
        self.execute(code, store_history=False)
        settle()

    def _let_go(self) -> None:
        """Drop what ``%reset`` drops first of all, before its first collection: the notebook's own
        names (those the shell did not define), the results kept as ``_1``, ``_``, ``Out``, in the
        history and as the last cell's result.  The reset then clears the rest as before, and
        leaves the shell as it would have."""
        shell = self.shell
        ns, hidden = shell.user_ns, shell.user_ns_hidden
        for name in [n for n in ns if (n not in hidden or re.fullmatch(r"_\d+", n)) and n not in _KEPT]:
            del ns[name]
            hidden.pop(name, None)                               # the shell keeps the results there too
        for name in ("_", "__", "___"):
            setattr(shell.displayhook, name, "")
            for names in (ns, hidden):
                if name in names:
                    names[name] = ""
        ns.get("_oh", {}).clear()
        for kept in ("output_hist", "outputs", "exceptions"):  # what the history keeps of the cells
            getattr(shell.history_manager, kept, {}).clear()
        shell.last_execution_result = None

    def close(self) -> None:
        """Put back pandas' options, the warnings' filters, the environment and the garbage
        collector's thresholds as they were before the notebooks ran."""
        _restore_pandas(self._options)
        gc.set_threshold(*self._threshold)
        warnings.filters[:] = self._warnings
        warnings._filters_mutated()
        for name, value in self._environ.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._environ.clear()
        self.shell.host = None

    @contextlib.contextmanager
    def _current(self):
        """While a cell runs: this shell as IPython's current one (``get_ipython()``,
        ``display()``), its namespace as ``__main__`` and its streams as stdout and stderr, as in
        a kernel; afterwards this process's own again."""
        saved = (InteractiveShell.__dict__.get("_instance"), sys.modules.get("__main__"), sys.stdout, sys.stderr)
        InteractiveShell._instance = self.shell
        sys.modules["__main__"] = self.shell.user_module
        sys.stdout, sys.stderr = self.streams["stdout"], self.streams["stderr"]
        try:
            yield
        finally:
            InteractiveShell._instance, sys.modules["__main__"], sys.stdout, sys.stderr = saved

    @contextlib.contextmanager
    def _alarm(self):
        if not self.timeout or not hasattr(signal, "setitimer"):
            yield
            return

        def expired(signum, frame):
            raise CellTimeoutError(f"a cell ran longer than {self.timeout:g} s")

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, float(self.timeout))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _pandas_options() -> dict:
    """Every pandas option's value, to put back (``display_setup`` sets the notebooks' own)."""
    return {key: pd.get_option(key) for key in _option_keys()}


def _option_keys() -> list:
    from pandas._config.config import _registered_options, _deprecated_options
    return [key for key in _registered_options if key not in _deprecated_options]


def _restore_pandas(options: dict) -> None:
    for key, value in options.items():
        if pd.get_option(key) is not value and pd.get_option(key) != value:
            pd.set_option(key, value)


class InProcessEngine(Engine):
    """papermill's engine for ``Host``: the cells run in this process, in the notebook's folder
    (papermill's ``cwd``), the papermill metadata kept by papermill's manager as with nbclient."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, host: Host = None, **kwargs):
        nb = nb_man.nb
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        for index, cell in enumerate(nb.cells):
            try:
                nb_man.cell_start(cell, index)
                if cell.cell_type == "code" and cell.source.strip():
                    cell.execution_count, cell.outputs = host.execute(cell.source)
            except CellError:
                nb_man.cell_exception(nb.cells[index], cell_index=index)
                raise
            finally:
                nb_man.cell_complete(nb.cells[index], cell_index=index)
        nb.metadata["language_info"] = dict(IPythonKernel.language_info)


papermill_engines.register(ENGINE, InProcessEngine)
