"""A notebook executed in the study's process (analysis.pipeline.inprocess) is what a Jupyter kernel
writes: the same outputs, counts and papermill metadata for a notebook of every kind of output
the step notebooks make (printed text, warnings, Markdown, HTML and PNG displays, a DataFrame, a
cell's value, a cleared output) run both ways through the pipeline's own papermill call; a
failing cell and a cell past the timeout give the errors the run turns into its one line; what
the notebooks change in the process (pandas' options, ``__main__``, the environment, IPython's
current shell) is this process's own again afterwards.  One kernel is started (about 1.3 CPU-s).
"""
import gc
import os
import signal
import sys
import warnings

import nbformat
import pandas as pd
import papermill
import pytest
from IPython.core.interactiveshell import InteractiveShell

from analysis import collector
from analysis.pipeline import inprocess
from analysis.pipeline.execute import _failure, _strip_volatile
from analysis.pipeline.kernels import RESET, Kernels, engine

CELLS = [
    ("study = None\nout = None", ["parameters"]),
    ("import warnings\nimport pandas as pd\nfrom IPython.display import HTML, Image, Markdown, clear_output, display\n"
     "print('one', 1)\nprint('two')\nwarnings.warn('a warning the reader sees')\n"
     "display(Markdown(f'**{out}**'))\nprint('after')\nHTML('<b>value</b>')", []),
    ("", []),
    ("pd.set_option('display.precision', 2)\nframe = pd.DataFrame({'a': [1.23456, 2.0], 'b': ['x', None]})\n"
     "display(frame)\nframe", []),
    ("import base64\n"
     "png = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')\n"
     "display(Image(png, width=10))\nimport sys\nsys.stdout.write('no newline')", []),
    ("print('gone')\nclear_output()\nprint('kept')\nx = 1;", []),
    ("import math\nmath.pi", []),
]


def _notebook(folder):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A step")]
    for i, (source, tags) in enumerate(CELLS):
        cell = nbformat.v4.new_code_cell(source)
        cell["id"] = f"cell-{i}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.cells[0]["id"] = "title"
    path = folder / "01_step.ipynb"
    nbformat.write(nb, path)
    return path


def _executed(path, target, host=None, km=None):
    """The notebook ``path`` run through the pipeline's papermill call, written as the run writes it."""
    nb = papermill.execute_notebook(str(path), None, parameters={"out": "the folder"}, kernel_name="python3",
                             cwd=str(path.parent), progress_bar=False, log_output=False, report_mode=False,
                             request_save_on_cell_execute=False, **engine(km, host, 60))
    _strip_volatile(nb, target, path, path.parent, path.parent)      # no times, no random ids
    return target.read_text(encoding="utf-8")


def _printed(message, category, filename, lineno, file=None, line=None):
    """Python's own way of showing a warning (pytest records them instead)."""
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def test_a_notebook_in_this_process_is_what_a_kernel_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(warnings, "showwarning", _printed)
    path = _notebook(tmp_path)
    (tmp_path / 'mine').mkdir()
    options = pd.get_option("display.precision")
    host = inprocess.Host(timeout=60)
    try:
        mine = _executed(path, tmp_path / 'mine' / 'out.ipynb', host=host)
    finally:
        host.close()
    assert pd.get_option("display.precision") == options                  # the notebook's 2 is not kept
    kernels = Kernels(tmp_path / "kernel" / "kernels.log")
    (tmp_path / "kernel").mkdir()
    kernels.start(path)
    km = kernels.take(path)
    pid = km.provisioner.process.pid
    try:
        theirs = _executed(path, tmp_path / 'kernel' / 'out.ipynb', km=km)
    finally:
        kernels.stop(km)
    # the one difference: the warning names the cell's file, in a folder named by the process's id
    theirs = theirs.replace(f"ipykernel_{pid}", "ipykernel_<pid>").replace("/kernel/out.ipynb", "/mine/out.ipynb")
    mine = mine.replace(f"ipykernel_{os.getpid()}", "ipykernel_<pid>")
    assert "a warning the reader sees" in mine and "ipykernel_<pid>" in mine and "no newline" in mine
    assert '"3.141592653589793"' in mine and "<b>value</b>" in mine and "image/png" in mine
    assert '"gone' not in mine and "kept" in mine
    assert mine == theirs


def test_the_process_is_its_own_again_after_the_notebooks(monkeypatch):
    main, out, err = sys.modules["__main__"], sys.stdout, sys.stderr
    monkeypatch.delenv("MPLBACKEND", raising=False)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)}
    before = InteractiveShell.__dict__.get("_instance")
    filters, threshold = list(warnings.filters), gc.get_threshold()
    host = inprocess.Host(timeout=60)
    assert gc.get_threshold() == collector.THRESHOLD != threshold       # the notebooks' collector
    host.setenv("ANALYSIS_PROGRESS", "/nowhere/progress")
    host.execute("import warnings\nwarnings.simplefilter('ignore')")
    count, outputs = host.execute("import os, sys\nshown = (sys.modules['__main__'].__dict__ is globals(), "
                                  "os.environ['MPLBACKEND'], os.environ['ANALYSIS_PROGRESS'])\nshown")
    assert outputs[0]["data"]["text/plain"] == f"(True, {inprocess.MPLBACKEND!r}, '/nowhere/progress')"
    assert (sys.modules["__main__"], sys.stdout, sys.stderr) == (main, out, err)
    assert InteractiveShell.__dict__.get("_instance") is before
    host.reset(RESET)
    with pytest.raises(inprocess.CellError):          # the namespace was cleared
        host.execute("shown")
    host.close()
    assert "MPLBACKEND" not in os.environ and "ANALYSIS_PROGRESS" not in os.environ
    assert warnings.filters == filters and gc.get_threshold() == threshold
    assert {s: signal.getsignal(s) for s in handlers} == handlers


def test_a_failing_cell_and_a_cell_past_the_timeout_give_the_runs_lines(tmp_path):
    alarm = signal.getsignal(signal.SIGALRM)
    host = inprocess.Host(timeout=1)
    try:
        with pytest.raises(inprocess.CellError) as failed:
            host.execute("from analysis.errors import StudyError\nraise StudyError('the study says no')")
        line = str(_failure(tmp_path / "05_robustness.ipynb", failed.value, 1, tmp_path))
        assert line == "05_robustness.ipynb: the study says no"
        with pytest.raises(Exception) as late:
            host.execute("while True:\n    pass")
        line = str(_failure(tmp_path / "05_robustness.ipynb", late.value, 1, tmp_path))
        assert line.startswith("05_robustness.ipynb: a cell ran longer than 1 s and was stopped")
        assert host.execute("1 + 1")[1][0]["data"]["text/plain"] == "2"      # the shell goes on
    finally:
        host.close()
    assert signal.getsignal(signal.SIGALRM) == alarm and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)

