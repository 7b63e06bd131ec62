"""Signals and process lifetime of the entry points (issue 25): python -m analysis.pipeline (one
study, every study), .multiverse (local processes, a Dask LocalCluster) and .standin, stopped by
SIGINT, SIGTERM, SIGHUP or kill -9 at several moments: one line, status 130/143/129, the previous
results byte-identical, no temporary folder and no process of the run left (``Run.left``: no live
process carries the run's environment token).  Every wait is a counted number of polls.
"""
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_signals import LINUX, ROOT, Run, snapshot

from analysis.guard import PIPELINE, mark

PROGRESS = re.compile(r"\[\d+/\d+\] \S+ \.\.\.( done \(\d+\.\d s\))?")
pytestmark = pytest.mark.skipif(not LINUX, reason="reads /proc; the handler's Linux behaviour is the one tested")


def test_a_signal_while_the_pipeline_imports_is_one_line(tmp_path):
    # right after start: the handler is in place before the heavy imports (analysis.processes.early)
    run = Run([sys.executable, "-m", "analysis.pipeline", "--study", "lipset", "--out", str(tmp_path / "out")])
    run.until(lambda: signal.SIGTERM in run.caught(), "the handler was installed")
    run.send(signal.SIGTERM)
    assert run.ended() == 143
    assert run.after in ("error: interrupted before the run started; nothing was changed\n",
                         "error: interrupted; the previous results are unchanged\n")
    assert run.err == run.after and run.left() == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- whole runs (slow) ---------------------------------------------------------------------------

@pytest.fixture
def previous(tmp_path):
    """The results folder of an earlier lipset run (marked as a run's own folder)."""
    out = tmp_path / "results"
    (out / "tables").mkdir(parents=True)
    (out / "findings.json").write_text('{"claims_passed": 9}\n')
    (out / "tables" / "solutions_SURV.csv").write_text("model,inclS\nDEV*URB*LIT*IND,0.904\n")
    mark(out, PIPELINE, "lipset")
    return out


def pipeline(out: Path, *options) -> Run:
    return Run([sys.executable, "-m", "analysis.pipeline", "--study", "lipset", "--out", str(out), *options])


def kernels(run: Run) -> list:
    return [p for p, cmd in run.processes().items() if "ipykernel_launcher" in cmd]


def children(run: Run, parents) -> list:
    """Processes of the run whose parent is one of ``parents``."""
    found = []
    for p in run.processes():
        try:
            stat = Path(f"/proc/{p}/stat").read_bytes()
        except OSError:
            continue
        if int(stat[stat.rindex(b")") + 2:].split()[1]) in parents:
            found.append(p)
    return found


def sweep_workers(run: Run) -> list:
    """The robustness sweep's pool: processes of the run started by the process that runs the
    notebooks (the pipeline's own, analysis.pipeline.inprocess; a kernel with --kernels study)."""
    ks = set(kernels(run))
    return [p for p in children(run, ks | {run.proc.pid}) if p not in ks]


MOMENTS = {   # the signal, to the whole process group (a terminal's Ctrl-C), when, the options
    "first notebook": (signal.SIGTERM, False, lambda r: "[1/7]" in r.err and "[2/7]" not in r.err, ()),
    "kernel start": (signal.SIGTERM, False, lambda r: kernels(r) and " done (" not in r.err, ("--kernels", "study")),
    "mid-notebook": (signal.SIGHUP, False, lambda r: "[2/7]" in r.err, ()),
    "robustness sweep": (signal.SIGINT, True, lambda r: "[5/7]" in r.err and (sweep_workers(r) or os.cpu_count() == 1),
                         ()),
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_signal_ends_the_pipeline_at_any_moment(tmp_path, previous, moment):
    sig, group, reached, options = MOMENTS[moment]
    before = snapshot(previous)
    run = pipeline(previous, *options)
    run.until(lambda: reached(run), f"the moment '{moment}' came")
    run.send(sig, group)
    assert run.ended() == 128 + sig
    assert run.left() == {}
    rest = [line for line in run.err.splitlines() if line and not PROGRESS.fullmatch(line)]
    assert rest == ["error: interrupted; the previous results are unchanged"] and "Traceback" not in run.err
    assert ("\n" + run.after).endswith("\nerror: interrupted; the previous results are unchanged\n")  # its own line
    assert snapshot(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]     # no temporary folder left


@pytest.mark.slow
def test_kill_9_of_the_pipeline_leaves_no_kernel_or_worker(tmp_path, previous):
    before = snapshot(previous)
    run = pipeline(previous)
    run.until(lambda: "[5/7]" in run.err and (sweep_workers(run) or os.cpu_count() == 1), "the sweep ran")
    seen = run.processes()
    run.send(signal.SIGKILL)
    assert run.ended() == -signal.SIGKILL
    assert run.left() == {}, f"outlived the pipeline: {seen}"
    assert snapshot(previous) == before


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "kill -9"])
def test_every_study_run_stops_with_its_studies(tmp_path, how):
    base = tmp_path / "all"
    run = Run([sys.executable, "-m", "analysis.pipeline", "--out", str(base), "--jobs", "2"])
    run.until(lambda: len(set(re.findall(r"^(\w+): \[1/7\]", run.err, re.M))) == 2 and
              len(children(run, {run.proc.pid})) >= 2, "two studies ran notebooks, each in its process")
    run.send(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
    code = run.ended()
    assert run.left() == {}
    assert [p.name for p in base.iterdir() if ".tmp-" in p.name] == []    # each study removed its own
    if how == "SIGTERM":                # the studies' own lines are not shown: one line for the run
        assert code == 143 and "Traceback" not in run.err
        assert [line for line in run.after.splitlines() if "error" in line] == [
            "error: interrupted; the previous results are unchanged"]
        assert run.after.endswith("error: interrupted; the previous results are unchanged\n")
    else:
        assert code == -signal.SIGKILL


MULTIVERSE_STOPS = {   # the signal, to the whole process group (a terminal's Ctrl-C), the scheduler, when
    "SIGTERM-processes": (signal.SIGTERM, False, None, "chunk"),
    "kill-9-processes": (signal.SIGKILL, False, None, "chunk"),
    "ctrl-c-processes-start": (signal.SIGINT, True, None, "workers"),
    "SIGINT-dask": (signal.SIGINT, False, "local", "chunk"),
    "kill-9-dask": (signal.SIGKILL, False, "local", "chunk"),
    "ctrl-c-dask-start": (signal.SIGINT, True, "local", "workers"),   # the cluster's processes get it too
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(MULTIVERSE_STOPS))
def test_a_signal_ends_a_multiverse_run_and_its_workers(tmp_path, case):
    sig, group, scheduler, moment = MULTIVERSE_STOPS[case]
    if scheduler:
        pytest.importorskip("dask.distributed")
    out = tmp_path / "mv"
    run = Run([sys.executable, "-m", "analysis.multiverse", "--study", "lipset", "--size", "2000", "--workers", "2",
               "--out", str(out)] + (["--scheduler", scheduler] if scheduler else []))
    if moment == "chunk":
        run.until(lambda: (out / "chunks" / "chunk-000000.parquet").is_file() and len(run.processes()) >= 2,
                  "the first chunk was written")
    else:                                           # its workers are starting (or have started)
        run.until(lambda: len(run.processes()) >= 2, "the workers were started")
    run.send(sig, group)
    code = run.ended()
    assert run.left() == {}
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
        assert run.after == ""                       # not even multiprocessing's resource tracker speaks
    else:
        assert code == 128 + sig
        assert run.after == ("error: interrupted; the finished chunks are kept: run the same command again to "
                             "resume\n")
        assert "Traceback" not in run.err
        assert not list((out / "chunks").glob("*.tmp"))


def cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_bytes()
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_an_interrupted_stand_in_writes_all_of_its_file_or_nothing(tmp_path):
    out = tmp_path / "cases.csv"
    study = ROOT / "data" / "pss" / "study.yml"
    run = Run([sys.executable, "-m", "analysis.standin", "--study", str(study), "--out", str(out)])
    run.until(lambda: signal.SIGTERM in run.caught(), "the handler was installed")
    run.send(signal.SIGTERM)
    code = run.ended()
    if code == 0:
        pytest.skip("the stand-in was written before the signal arrived")
    assert code == 143 and run.left() == {}
    assert run.err in ("error: interrupted before the run started; nothing was changed\n",
                       "error: interrupted; nothing was written\n", f"error: interrupted after {out} was written\n")
    written = subprocess.run([sys.executable, "-m", "analysis.standin", "--study", str(study), "--out",
                              str(tmp_path / "whole.csv")], cwd=ROOT, capture_output=True, text=True)
    assert written.returncode == 0, written.stderr
    if "was written" in run.err:
        assert out.read_bytes() == (tmp_path / "whole.csv").read_bytes()
    else:
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("cases.csv", "whole.csv")] == []   # no temporary file


@pytest.mark.slow
def test_a_signal_ends_a_stand_in_seed_audit(tmp_path):
    run = Run([sys.executable, "-m", "analysis.standin", "--study", str(ROOT / "data" / "pss" / "study.yml"),
               "--seeds", "1-100000"])
    # 4 s of processor time: past the imports and well into the audit (a whole run of one seed
    # costs 1.2 s, each further seed about 0.15 s: some twenty seeds are audited by then)
    run.until(lambda: cpu_seconds(run.proc.pid) > 4, "the audit ran (4 s of processor time: past the imports)")
    run.send(signal.SIGINT)
    assert run.ended() == 130 and run.left() == {}
    assert run.err == "error: interrupted; nothing was written\n" and run.out == ""
