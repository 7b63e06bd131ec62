"""Running the notebooks and moving the run into place (analysis.pipeline.execute, .swap): no
half-written results, no damaged raw data.

A run interrupted at any point -- here killed with SIGTERM and with SIGKILL while the second
notebook executes -- leaves the previous results folder exactly as it was, byte for byte, and
the raw data and their recorded checksums untouched.  (Two complete runs giving byte-identical
tables, JSON, Markdown and figures are checked by test_pipeline.py::test_two_runs_are_byte_identical;
the executed notebooks recording the data checksum and package versions by
test_pipeline.py::test_findings_record_the_run.)
"""
import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis import pipeline
from analysis.guard import PIPELINE, seal

pytestmark = pytest.mark.slow      # runs whole studies (make test runs it; -m 'not slow' skips it)

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "ppip" / "raw"


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes and every sub-folder (empty ones too)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def raw_state() -> dict:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in RAW.iterdir()}


@pytest.fixture
def previous_results(tmp_path):
    """A results folder of an earlier run (the files a reader relies on)."""
    out = tmp_path / "results"
    (out / "tables").mkdir(parents=True)
    (out / "executed").mkdir()
    (out / "findings.json").write_text('{"claims_passed": 9}\n')
    (out / "findings.md").write_text("# Findings of the earlier run\n")
    (out / "tables" / "solutions_MPV.csv").write_text("model,inclS\nCONTRACT*RISK*KNOW*PUBLIC,0.919\n")
    return seal(out, PIPELINE, "ppip")      # its marker, listing its files, as a finished run leaves it


def start(out: Path, *options):
    return subprocess.Popen([sys.executable, "-m", "analysis.pipeline", "--study", "ppip", "--out", str(out), *options], cwd=ROOT,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True)


def wait_for_first_notebook(proc) -> str:
    """Read the progress lines until the first notebook is done (the second is then running)."""
    seen = ""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
        if line.startswith("[1/") and "done" in line:
            time.sleep(0.5)       # well inside notebook 2
            return seen
    proc.kill()
    pytest.fail(f"the first notebook did not finish: {seen}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_run_leaves_previous_results_unchanged(tmp_path, previous_results, sig):
    before, raw_before = snapshot(previous_results), raw_state()
    proc = start(previous_results)
    wait_for_first_notebook(proc)
    os.kill(proc.pid, sig)
    rest = proc.stderr.read()
    code = proc.wait(timeout=120)
    assert code != 0
    assert snapshot(previous_results) == before
    assert raw_state() == raw_before
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "results")
    if sig == signal.SIGTERM:      # the pipeline cleans up after itself and says so
        assert code == 128 + signal.SIGTERM
        assert "error: interrupted; the previous results are unchanged" in rest
        assert leftovers == []
    else:                          # nothing could run; a temporary folder is left, removed next time
        assert len(leftovers) == 1 and leftovers[0].startswith(".results.tmp-")
        books = tmp_path / "books"
        books.mkdir()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('raise RuntimeError("stop")')])
        nbformat.write(nb, books / "01_fail.ipynb")
        again = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--study", "ppip", "--out", str(previous_results),
                                "--notebooks", str(books)], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert again.returncode == 2 and "RuntimeError: stop" in again.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["books", "results"]
        assert snapshot(previous_results) == before
    try:                           # no process of the killed run keeps running
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_interrupted_swap_is_repaired(tmp_path, previous_results):
    """A crash between the two renames of the fallback swap: the next run restores the results."""
    before = snapshot(previous_results)
    old = tmp_path / ".results.old-999999999-x"
    old.mkdir()
    os.replace(previous_results, old / "results")
    pipeline.clean_stale(previous_results)
    assert snapshot(previous_results) == before and not old.exists()


def test_move_into_place_replaces_atomically(tmp_path, previous_results):
    new = tmp_path / ".results.tmp-1-x"
    (new / "tables").mkdir(parents=True)
    (new / "findings.json").write_text("{}\n")
    pipeline.move_into_place(new, previous_results)
    assert snapshot(previous_results) == {"findings.json": b"{}\n", "tables": None}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def one_notebook(folder: Path, source: str) -> Path:
    """A notebooks folder with one step notebook running ``source``."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "01_step.ipynb")
    return folder


def test_a_killed_kernel_ends_the_run_at_once(tmp_path, previous_results):
    # what the out-of-memory killer does: the pipeline must notice, not wait forever (with kernels:
    # by default the notebooks run in the pipeline's own process, which the killer would end)
    import psutil
    before = snapshot(previous_results)
    proc = start(previous_results, "--kernels", "study")
    wait_for_first_notebook(proc)
    kernels = [p for p in psutil.Process(proc.pid).children(recursive=True) if "ipykernel_launcher" in " ".join(p.cmdline())]
    running = min(kernels, key=lambda p: p.create_time())          # kernels start one notebook ahead
    killed_at = time.monotonic()
    running.kill()
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 2
    assert time.monotonic() - killed_at < 30
    assert "kernel died" in rest and "previous results are unchanged" in rest and "Traceback" not in rest
    assert snapshot(previous_results) == before
    assert not [p for p in kernels if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_a_cell_running_past_the_timeout_is_stopped(tmp_path):
    books = one_notebook(tmp_path / "books", "import time\ntime.sleep(60)")
    proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--study", "ppip", "--notebooks", str(books), "--timeout", "2",
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "01_step.ipynb: a cell ran longer than 2 s and was stopped" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("number, words", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"),
                                           (errno.EACCES, "no permission")])
def test_a_failed_write_is_one_line(tmp_path, capsys, monkeypatch, number, words):
    # the operating system refuses the output folder: one line naming --out and what to do
    from analysis.pipeline import execute

    def refuse(*args, **kwargs):
        raise OSError(number, os.strerror(number), str(tmp_path / "out"))
    monkeypatch.setattr(execute.tempfile, "mkdtemp", refuse)
    assert pipeline.main(["--study", "ppip", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: --out {tmp_path / 'out'}: cannot write the results")
    assert words in err[0] and "Traceback" not in err[0]


def test_a_full_disk_inside_a_notebook_is_one_line(tmp_path):
    books = one_notebook(tmp_path / "books", "raise OSError(28, 'No space left on device')")
    proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--study", "ppip", "--notebooks", str(books),
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert lines == [f"error: 01_step.ipynb: --out {tmp_path / 'out'}: cannot write the results (No space left on "
                     "device); the disk is full: free some space or choose another --out; the previous results are "
                     "unchanged"]


def test_a_long_but_legal_output_name_works(tmp_path):
    # the temporary folder's name is shortened so that it fits wherever --out's own name does
    out = tmp_path / ("r" * 250)
    books = one_notebook(tmp_path / "books", "out = None")
    proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--study", "ppip", "--notebooks", str(books), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "executed" / "01_step.ipynb").is_file()
