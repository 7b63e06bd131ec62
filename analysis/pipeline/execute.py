"""Executing the step notebooks with papermill, in the study's process, into a temporary folder.

``run`` validates the run (``analysis.pipeline.preflight``), executes every notebook into a
temporary folder next to ``out`` with the run's parameters injected (papermill), strips what
would differ between two runs of the same inputs (timings, random cell ids, the temporary
folder's name), and moves the folder into place when every notebook succeeded
(``analysis.pipeline.swap``).  A failing notebook ends the run with one line naming it and the
error; the previous results stay as they were.  A signal stops the run at once: the processes
the notebooks started (and kernels, if any) are killed, its temporary folders removed, and none
outlives it, even after ``kill -9`` (``analysis.processes``).  ``store_notebook_outputs``
re-executes the committed notebooks in place (the outputs ``pytest --nbval`` compares), each in
a fresh kernel, as nbval runs them.

The study's own process runs its notebooks one after the other (``kernels="process"``, the
default; ``analysis.pipeline.inprocess``): a Jupyter kernel costs about 1.3 CPU seconds to start
(the interpreter, numpy, pandas, matplotlib, the compiled kernels) and its every output travels
through ZeroMQ as JSON.  ``kernels="study"`` runs them in one kernel per study, ``"notebook"`` in
a fresh kernel each (``analysis.pipeline.kernels``).  Between two notebooks the shell's
namespace is cleared (``%reset -f``) and Python's record of the warnings already shown is
forgotten, so that each notebook prints what it prints in a fresh kernel; the execution counts
are numbered per notebook.  The tests hold the three byte for byte
(tests/test_pipeline_kernels.py, tests/test_speed7_p_inprocess.py).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import papermill
from papermill.engines import papermill_engines
from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from papermill.utils import chdir

from ..errors import StudyError
from ..guard import PIPELINE, mark
from ..processes import critical, line_open, on_stop, say
from ..progress import Watcher
from ..report.html import write_report
from ..report.tables import latex_document
from .inprocess import Host
from .kernels import Kernels, engine
from .layout import DEFAULT_STUDY, NOTEBOOKS
from .layout import notebooks as step_notebooks
from .preflight import validate
from .swap import cannot_write, clean_stale, move_into_place, work_folder_prefix

__all__ = ["run", "store_notebook_outputs", "KERNELS"]

KERNELS = ("process", "study", "notebook")  # the study's process, one kernel per study, or one per notebook


def _executed(source, parameters: dict, cwd: Path, engine_name=None, **engine):
    """The notebook ``source`` executed with ``parameters`` in the folder ``cwd``: what papermill's
    ``execute_notebook(source, None, parameters, kernel_name="python3", cwd=cwd, ...)`` returns
    (the same steps, papermill's own functions), without the JSON of the executed notebook it
    writes for no file (``output_path`` None: about 0.05 CPU-s a notebook, its figures encoded)."""
    nb = load_notebook_node(source)
    if parameters:
        nb = parameterize_notebook(nb, parameters, False, kernel_name="python3", engine_name=engine_name)
    nb = remove_error_markers(prepare_notebook_metadata(nb, source, None, False))
    with chdir(str(cwd)):
        nb = papermill_engines.execute_notebook_with_engine(
            engine_name, nb, input_path=source, output_path=None, kernel_name="python3", progress_bar=False,
            log_output=False, start_timeout=60, stdout_file=None, stderr_file=None, **engine)
    raise_for_execution_errors(nb, None)
    return nb


def _replaced(obj, pairs):
    """``obj`` (a notebook's mappings, lists and strings) with every ``old`` text replaced by ``new``."""
    if isinstance(obj, str):
        for old, new in pairs:
            obj = obj.replace(old, new)
        return obj
    if isinstance(obj, list):
        return [_replaced(v, pairs) for v in obj]
    if isinstance(obj, dict):
        return type(obj)({k: _replaced(v, pairs) for k, v in obj.items()})
    return obj


def _blank(path: Path):
    """The notebook ``path`` without the outputs stored in it (nbval's; its run replaces every
    one), what papermill is given: it copies the cells alone, not the stored figures.  They are
    dropped from the JSON before nbformat reads (and validates) it: a third of the cost."""
    import nbformat
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in raw.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
    return nbformat.reads(json.dumps(raw), as_version=4)


def _strip_volatile(nb, path: Path, source: Path, tmp: Path, out: Path) -> None:
    """Write the executed notebook ``nb`` (papermill's, not yet written) to ``path``, reproducible:
    no timings, no random ids, the final folder name (the temporary folder's name replaced
    wherever it appears: as text, and as the escaped string literal papermill writes into the
    parameters cell when the name is not ASCII), the executed cells numbered from 1 (as a fresh
    kernel numbers them), and in papermill's record the notebook ``source`` it ran and the path
    it is written to."""
    import nbformat
    nb.metadata.get("papermill", {}).update(input_path=str(source), output_path=str(path))
    pairs = sorted({(str(tmp), str(out)), (repr(str(tmp))[1:-1], repr(str(out))[1:-1]),
                    (str(tmp).encode("unicode_escape").decode(), str(out).encode("unicode_escape").decode())},
                   key=lambda p: -len(p[0]))
    nb = nbformat.from_dict(_replaced(nb, pairs))
    for key in ("start_time", "end_time", "duration"):
        nb.metadata.get("papermill", {}).pop(key, None)
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
    nbformat.write(nb, path)


@contextlib.contextmanager
def _kernel_output_to(path: Path):
    """Send what kernels and papermill write to the terminal's stderr (fd 2) into ``path``."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _notebook_error(exc) -> tuple:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return ename, " ".join(str(evalue).split())


DEFAULT_TIMEOUT = 1800        # seconds one notebook cell may run before the run stops (--timeout)


def _failure(nb: Path, exc, timeout, out: Path) -> StudyError:
    """One line for a notebook that did not finish: its error, a dead kernel, or a timeout."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    if isinstance(exc, DeadKernelError) or (isinstance(exc, RuntimeError) and "Kernel died" in str(exc)):
        return StudyError(f"{nb.name}: its kernel died (killed, e.g. by the system when memory ran out); the previous "
                        "results are unchanged; run again, with fewer cases or more memory")
    if isinstance(exc, (CellTimeoutError, TimeoutError)):
        return StudyError(f"{nb.name}: a cell ran longer than {timeout:g} s and was stopped; the previous results are "
                        "unchanged; raise the limit with --timeout SECONDS if the input is meant to be this large")
    ename, evalue = _notebook_error(exc)
    if ename in ("QCAError", "UndefinedSolution", "StudyError", "SchemaError", "FigureClipped"):
        return StudyError(f"{nb.name}: {evalue}")
    number = re.match(r"\[Errno (\d+)\] ([^:]*)(?::\s*'?(.*?)'?)?$", evalue)
    if number:                         # a write inside the notebook failed (disk full, read-only, ...)
        return StudyError(f"{nb.name}: " + cannot_write(int(number.group(1)), out, number.group(2)))
    return StudyError(f"{nb.name} failed: {ename}: {evalue}")


def run(study_path=DEFAULT_STUDY, data_path=None, sets=None, out="results", notebooks=NOTEBOOKS,
        log=sys.stderr, timeout: float = DEFAULT_TIMEOUT, kernels: str = "process", workers: int | None = None) -> Path:
    """Validate, execute every notebook into a temporary folder, then move it to ``out``.

    ``timeout``: the seconds one cell may run (a guard against a hang, not a limit on the
    results).  A notebook whose kernel dies ends the run at once (nbclient notices within a
    second).  ``kernels``: ``"process"`` (this process runs the notebooks in turn, no kernel:
    ``analysis.pipeline.inprocess``), ``"study"`` (one kernel runs them in turn) or ``"notebook"``
    (a fresh kernel each); the same files.  ``workers``: the processes of the robustness sweep
    and of the multiverse sample (the notebooks' ``workers`` parameter; None: every core), the
    same results with any number.
    """
    if kernels not in KERNELS:
        raise StudyError(f"kernels={kernels!r}: use one of {', '.join(KERNELS)}")
    study, parameters = validate(study_path, data_path, sets or {}, out=out, log=log)
    books = step_notebooks(notebooks)
    out = Path(out).resolve()
    made = []                             # the run's temporary folders: removed if a signal stops it
    try:
        with on_stop(lambda: _remove(made)):
            return _execute(books, study_path, data_path, {**parameters, **({"workers": workers} if workers else {})}, out, log, timeout,
                            study.name, made, mode=kernels)
    except OSError as e:                  # disk full, read-only, a name too long, no permission
        raise StudyError(cannot_write(e.errno, out, e.strerror or str(e))) from None


def _remove(folders) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _temporary(made: list, **where) -> Path:
    """A new temporary folder (``tempfile.mkdtemp(**where)``), noted in ``made`` at once."""
    with critical():
        made.append(Path(tempfile.mkdtemp(**where)))
    return made[-1]


def _execute(books, study_path, data_path, parameters, out: Path, log, timeout, name: str, made: list,
             mode: str = "process") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    tmp = _temporary(made, prefix=f"{work_folder_prefix(out, 'tmp')}{os.getpid()}-", dir=out.parent)
    kernel_log = kernels = None
    shared, host = mode != "notebook", Host(timeout) if mode == "process" else None
    try:
        mark(tmp, PIPELINE, name)              # the run's own folder (analysis.guard)
        kernel_log = _temporary(made, prefix="ppip-pipeline-") / "kernels.log"
        values = {"study": str(Path(study_path).resolve()),
                  "data": str(Path(data_path).resolve()) if data_path else None,
                  "out": str(tmp), **parameters}
        kernels = Kernels(kernel_log, host)
        kernels.start(books[0])
        for i, nb in enumerate(books, 1):
            prefix = f"[{i}/{len(books)}] {nb.name} ..."
            line_open(True)                      # before the print: a signal during it starts its own line
            print(prefix, end="", file=log, flush=True)
            start = time.monotonic()
            km = kernels.take(nb)
            if shared and i > 1:
                try:
                    kernels.reset(km)            # the study's kernel, cleared of the last notebook
                except BaseException:
                    print(" failed", file=log, flush=True)
                    line_open(False)
                    kernels.stop(km)
                    raise
            elif i < len(books) and not shared:
                kernels.start(books[i])          # the next notebook's kernel starts while this one runs
            source = _blank(nb)
            wanted = papermill.inspect_notebook(source)
            target = tmp / "executed" / nb.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with Watcher(kernels.progress, log, prefix), _kernel_output_to(kernel_log):
                    executed = _executed(source, {k: v for k, v in values.items() if k in wanted}, Path(nb).parent,
                                         **engine(km, host, timeout))
            except Exception as e:                # the notebook's error, a dead kernel, a timeout
                print(" failed", file=log, flush=True)
                line_open(False)
                if isinstance(e, OSError) and not isinstance(e, TimeoutError):
                    raise                         # writing the results failed: said by the caller
                raise _failure(nb, e, timeout, out) from None
            finally:
                if shared and i < len(books):
                    kernels.keep(books[i], km)   # the next notebook runs in it
                else:
                    kernels.stop(km)
            _strip_volatile(executed, target, nb, tmp, out)  # written once, as it is kept
            print(f" done ({time.monotonic() - start:.1f} s)", file=log, flush=True)
            line_open(False)
        if host is not None:
            host.close()                  # pandas' options as they were, for the report and tables
        latex_document(tmp / "tables")    # tables/tables.tex: one LaTeX document of every table
        write_report(tmp, shown_as=out)   # report.html: the findings, the ledger, every notebook
        with critical():                  # a signal now stops the run once the results are in place
            move_into_place(tmp, out)
            say(f"interrupted after the results were written to {out}")
    finally:
        try:
            if kernels is not None:
                kernels.stop_all()        # may itself be interrupted (a signal during shutdown)
            if host is not None:
                host.close()
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
            if kernel_log is not None:
                shutil.rmtree(kernel_log.parent, ignore_errors=True)
    return out


def store_notebook_outputs(notebooks=NOTEBOOKS, log=sys.stderr) -> None:
    """Re-execute the step notebooks in place on their default parameters (the canonical run).

    The committed notebooks carry these outputs; ``pytest --nbval notebooks`` re-executes them
    and compares.  Their default ``out`` is ``../results``, so this also refreshes ``results/``.
    """
    made = []
    with on_stop(lambda: _remove(made)):
        _store_outputs(notebooks, log, _temporary(made, prefix="ppip-pipeline-") / "kernels.log")


def _store_outputs(notebooks, log, kernel_log: Path) -> None:
    import nbformat
    kernels = Kernels(kernel_log)
    try:
        for nb in step_notebooks(notebooks):
            line_open(True)
            print(f"{nb.name} ...", end="", file=log, flush=True)
            target = kernel_log.parent / nb.name
            kernels.start(nb)
            km = kernels.take(nb)
            try:
                with _kernel_output_to(kernel_log):
                    papermill.execute_notebook(str(nb), str(target), kernel_name="python3", cwd=str(nb.parent),
                                        progress_bar=False, log_output=False, km=km)
            except papermill.PapermillExecutionError as e:
                print(" failed", file=log, flush=True)
                line_open(False)
                ename, evalue = _notebook_error(e)
                raise StudyError(f"{nb.name} failed: {ename}: {evalue}") from None
            finally:
                kernels.stop(km)
            book = nbformat.read(target, as_version=4)
            book.metadata.pop("papermill", None)
            for cell in book.cells:
                cell.metadata.pop("papermill", None)
                cell.metadata.pop("execution", None)
                if cell.metadata.get("tags") == []:
                    del cell.metadata["tags"]
            with critical():              # a committed notebook is never left half-written
                nbformat.write(book, nb)
            print(" stored", file=log, flush=True)
            line_open(False)
    finally:
        kernels.stop_all()
        shutil.rmtree(kernel_log.parent, ignore_errors=True)
