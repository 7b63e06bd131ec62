"""Signals and process lifetime (analysis.processes, analysis.workers; issue 25).

SIGINT, SIGTERM and SIGHUP end a run at any moment with one line on stderr and status 130, 143 or
129, the previous results byte-identical and no process of the run left; kernels and workers
end with their parent even after ``kill -9`` of it.  Every process a run starts inherits an
environment token (kernels, pool workers, Dask workers, the pipelines of an all-studies run), so
"no process left" is checked exactly: no live process carries the token.  Every wait is a
counted number of polls; nothing here asserts how fast anything is.
"""
import fcntl
import os
import re
import signal
import subprocess
import sys
import termios
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from analysis.guard import PIPELINE, mark

ROOT = Path(__file__).resolve().parent.parent
POLL, ATTEMPTS, MOMENT = 0.2, 100, 3000      # a poll; polls for an ending; polls of 0.05 s for a moment
PROGRESS = re.compile(r"\[\d+/\d+\] \S+ \.\.\.( done \(\d+\.\d s\))?")
LINUX = sys.platform.startswith("linux")
pytestmark = pytest.mark.skipif(not LINUX, reason="reads /proc; the handler's Linux behaviour is the one tested")


def token_processes(token: str) -> dict:
    """{pid: command line} of every live process whose environment holds ``token``."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            env = Path(f"/proc/{name}/environ").read_bytes()
            stat = Path(f"/proc/{name}/stat").read_bytes()
            cmd = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if token.encode() in env.split(b"\0") and stat[stat.rindex(b")") + 2:][:1] not in (b"Z", b"X"):
            found[int(name)] = cmd
    return found


class Run:
    """A command in its own session, with stdout and stderr collected and an environment token."""

    def __init__(self, cmd, cwd=ROOT):
        self.token = f"ANALYSIS_SIGNALS_TEST={uuid.uuid4().hex}"
        key, value = self.token.split("=")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, key: value}, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.streams = {"out": [], "err": []}
        self.readers = [threading.Thread(target=self._read, args=(s, k), daemon=True)
                        for s, k in ((self.proc.stdout, "out"), (self.proc.stderr, "err"))]
        for t in self.readers:
            t.start()
        self.mark = 0

    def _read(self, stream, key):
        while chunk := os.read(stream.fileno(), 65536):
            self.streams[key].append(chunk)

    @property
    def err(self) -> str:
        return b"".join(self.streams["err"]).decode(errors="replace")

    @property
    def out(self) -> str:
        return b"".join(self.streams["out"]).decode(errors="replace")

    def processes(self) -> dict:
        return token_processes(self.token)

    def caught(self) -> set:
        """The signals the process has a handler for (``SigCgt`` of /proc/<pid>/status)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                mask = int(line.split()[1], 16)
                return {s for s in range(1, 64) if mask >> (s - 1) & 1}
        return set()

    def until(self, condition, what: str) -> None:
        """Poll ``condition`` (counted: at most ``MOMENT`` polls of 0.05 s) while the run goes on."""
        for _ in range(MOMENT):
            if self.proc.poll() is not None:
                pytest.fail(f"the run ended (status {self.proc.returncode}) before {what}:\n{self.err[-2000:]}")
            if condition():
                return
            time.sleep(0.05)
        self.proc.kill()
        pytest.fail(f"never {what}:\n{self.err[-2000:]}")

    def _drained(self) -> None:
        """Wait until stderr's pipe holds nothing unread, so that ``after`` starts at the signal."""
        for _ in range(ATTEMPTS):
            pending = bytearray(4)
            fcntl.ioctl(self.proc.stderr.fileno(), termios.FIONREAD, pending)
            if int.from_bytes(pending, sys.byteorder) == 0:
                break
            time.sleep(0.01)
        self.mark = len(b"".join(self.streams["err"]))

    def send(self, sig, group=False) -> None:
        """``sig`` to the run (``group``: to its whole process group, as a terminal's Ctrl-C)."""
        self._drained()
        (os.killpg if group else os.kill)(self.proc.pid, sig)

    def ended(self) -> int:
        for _ in range(ATTEMPTS):
            if self.proc.poll() is not None:
                for t in self.readers:
                    t.join(timeout=10)
                return self.proc.returncode
            time.sleep(POLL)
        os.killpg(self.proc.pid, signal.SIGKILL)
        pytest.fail(f"still running {ATTEMPTS} polls after the signal:\n{self.err[-2000:]}")

    def left(self) -> dict:
        """The run's processes still alive once polled ``ATTEMPTS`` times (none, if all is well)."""
        for _ in range(ATTEMPTS):
            alive = self.processes()
            if not alive:
                return {}
            time.sleep(POLL)
        for pid in alive:                           # not to disturb other tests
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return alive

    @property
    def after(self) -> str:
        """What the run wrote to stderr after the signal."""
        return b"".join(self.streams["err"])[self.mark:].decode(errors="replace")


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def python(code: str, *args) -> list:
    return [sys.executable, "-c", textwrap.dedent(code), *map(str, args)]


# --- the rule on small programs (fast) ---------------------------------------------------------

GUARDED = """
    import os, sys, time
    from analysis.processes import on_stop, stop_on_signals
    from analysis.workers import WorkerPool
    folder = sys.argv[1]
    with stop_on_signals("interrupted; a test"), on_stop(lambda: os.rmdir(folder)):
        with WorkerPool(2) as pool:
            futures = [pool.submit(time.sleep, 600) for _ in range(2)]
            print("ready", flush=True)
            futures[0].result()
"""


@pytest.mark.parametrize("sig, group", [(signal.SIGINT, True), (signal.SIGINT, False), (signal.SIGTERM, False),
                                        (signal.SIGHUP, False), (signal.SIGHUP, True)],
                         ids=["ctrl-c", "SIGINT", "SIGTERM", "SIGHUP", "hangup-group"])
def test_a_signal_ends_the_run_its_workers_and_runs_its_cleanup(tmp_path, sig, group):
    folder = tmp_path / "made"
    folder.mkdir()
    run = Run(python(GUARDED, folder))
    run.until(lambda: "ready" in run.out and len(run.processes()) >= 3, "the two workers were running")
    run.send(sig, group)
    assert run.ended() == 128 + sig
    assert run.after == "error: interrupted; a test\n" and run.err == run.after
    assert not folder.exists()                      # on_stop ran
    assert run.left() == {}


def test_kill_9_of_the_parent_ends_its_workers_and_kernels(tmp_path):
    code = """
        import os, subprocess, sys, time
        from analysis.processes import kernel_preexec
        from analysis.workers import WorkerPool
        kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                                  preexec_fn=kernel_preexec(os.getpid()), start_new_session=True)
        with WorkerPool(2) as pool:
            futures = [pool.submit(time.sleep, 600) for _ in range(2)]
            print("ready", flush=True)
            futures[0].result()
    """
    run = Run(python(code))
    run.until(lambda: "ready" in run.out and len(run.processes()) >= 4, "the kernel and the workers were running")
    children = run.processes()
    run.send(signal.SIGKILL)
    assert run.ended() == -signal.SIGKILL
    assert run.left() == {}, f"outlived their parent: {children}"


def test_a_signal_inside_a_critical_step_takes_effect_at_its_end(tmp_path):
    code = """
        import os, sys, time
        from analysis.processes import critical, say, stop_on_signals
        ready, go, done = sys.argv[1:]
        with stop_on_signals("interrupted; nothing was written"):
            with critical():
                open(ready, "w").close()
                while not os.path.exists(go):
                    time.sleep(0.05)
                open(done, "w").close()
                say("interrupted after done was written")
            time.sleep(600)
    """
    ready, go, done = (tmp_path / n for n in ("ready", "go", "done"))
    run = Run(python(code, ready, go, done))
    run.until(ready.exists, "the critical step began")
    run.send(signal.SIGTERM)
    for _ in range(10):                             # the step goes on
        assert run.proc.poll() is None
        time.sleep(0.05)
    go.touch()
    assert run.ended() == 143
    assert done.exists() and run.after == "error: interrupted after done was written\n"


@pytest.mark.parametrize("how", ["SIGTERM", "kill -9"])
def test_children_of_a_forwarding_parent_stop_themselves(tmp_path, how):
    # what python -m analysis.pipeline does with one pipeline per study
    child = """
        import os, sys, time
        from analysis.processes import on_stop, stop_on_signals
        folder = sys.argv[1]
        with stop_on_signals("interrupted; child"), on_stop(lambda: os.rmdir(folder)):
            os.mkdir(folder)
            time.sleep(600)
    """
    parent = f"""
        import subprocess, sys, threading
        from analysis.processes import forward_signals, stop_on_signals
        def relay(p):                               # as analysis.pipeline.studies relays each study's lines
            for line in p.stderr:
                print(line, end="", file=sys.stderr, flush=True)
        with stop_on_signals("interrupted; parent"), forward_signals():
            procs = [subprocess.Popen([sys.executable, "-c", {textwrap.dedent(child)!r}, f], stderr=subprocess.PIPE,
                                      text=True) for f in sys.argv[1:]]
            for p in procs:
                threading.Thread(target=relay, args=(p,), daemon=True).start()
            for p in procs:
                p.wait()
    """
    folders = [tmp_path / "a", tmp_path / "b"]
    run = Run(python(parent, *folders))
    run.until(lambda: all(f.exists() for f in folders) and len(run.processes()) == 3, "both children ran")
    run.send(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
    if how == "SIGTERM":
        assert run.ended() == 143 and run.after == "error: interrupted; parent\n"
    else:
        assert run.ended() == -signal.SIGKILL
    assert run.left() == {}
    assert not any(f.exists() for f in folders)     # each child removed its own folder


def test_an_abandoned_pool_is_killed_not_awaited():
    from analysis.workers import WorkerPool
    with pytest.raises(KeyboardInterrupt):
        with WorkerPool(2) as pool:
            futures = [pool.submit(time.sleep, 30) for _ in range(4)]
            for _ in range(ATTEMPTS):               # both workers have started
                if len(pool._processes) == 2 and all(w.is_alive() for w in pool._processes.values()):
                    break
                time.sleep(POLL)
            workers = list(pool._processes.values())
            raise KeyboardInterrupt                 # what Ctrl-C in a notebook raises
    for _ in range(ATTEMPTS):
        if not any(w.is_alive() for w in workers):
            break
        time.sleep(POLL)
    assert not any(w.is_alive() for w in workers)
    assert not any(f.done() and not f.cancelled() and f.exception() is None for f in futures)


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


def pipeline(out: Path) -> Run:
    return Run([sys.executable, "-m", "analysis.pipeline", "--study", "lipset", "--out", str(out)])


def kernels(run: Run) -> list:
    return [p for p, cmd in run.processes().items() if "ipykernel_launcher" in cmd]


def sweep_workers(run: Run) -> list:
    """Processes of the run whose parent is a kernel: the robustness sweep's pool."""
    ks = set(kernels(run))
    found = []
    for p in run.processes():
        try:
            stat = Path(f"/proc/{p}/stat").read_bytes()
        except OSError:
            continue
        if int(stat[stat.rindex(b")") + 2:].split()[1]) in ks:
            found.append(p)
    return found


MOMENTS = {
    "kernel start": (signal.SIGTERM, False, lambda r: kernels(r) and "[1/7]" not in r.err),
    "mid-notebook": (signal.SIGHUP, False, lambda r: "[2/7]" in r.err and kernels(r)),
    "robustness sweep": (signal.SIGINT, True, lambda r: "[5/7]" in r.err and (sweep_workers(r) or os.cpu_count() == 1)),
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_signal_ends_the_pipeline_at_any_moment(tmp_path, previous, moment):
    sig, group, reached = MOMENTS[moment]
    before = snapshot(previous)
    run = pipeline(previous)
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
    run.until(lambda: len(set(re.findall(r"^(\w+): \[1/7\]", run.err, re.M))) == 2 and len(kernels(run)) >= 2,
              "two studies ran notebooks")
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


@pytest.mark.slow
@pytest.mark.parametrize("sig, scheduler", [(signal.SIGTERM, None), (signal.SIGKILL, None), (signal.SIGINT, "local"),
                                            (signal.SIGKILL, "local")],
                         ids=["SIGTERM-processes", "kill-9-processes", "SIGINT-dask", "kill-9-dask"])
def test_a_signal_ends_a_multiverse_run_and_its_workers(tmp_path, sig, scheduler):
    if scheduler:
        pytest.importorskip("dask.distributed")
    out = tmp_path / "mv"
    run = Run([sys.executable, "-m", "analysis.multiverse", "--study", "lipset", "--size", "2000", "--workers", "2",
               "--out", str(out)] + (["--scheduler", scheduler] if scheduler else []))
    run.until(lambda: (out / "chunks" / "chunk-000000.parquet").is_file() and len(run.processes()) >= 2,
              "the first chunk was written")
    run.send(sig)
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
    run.until(lambda: cpu_seconds(run.proc.pid) > 10, "the audit ran (10 s of processor time: past the imports)")
    run.send(signal.SIGINT)
    assert run.ended() == 130 and run.left() == {}
    assert run.err == "error: interrupted; nothing was written\n" and run.out == ""
