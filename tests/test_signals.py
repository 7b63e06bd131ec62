"""Signals and process lifetime (analysis.processes, analysis.workers; issue 25): the rule on
small programs, and the helpers of test_signals_runs.py (the entry points themselves).

SIGINT, SIGTERM and SIGHUP end a run at any moment with one line on stderr and status 130, 143 or
129, the previous results byte-identical and no process of the run left; kernels and workers
end with their parent even after ``kill -9`` of it.  Every process a run starts inherits an
environment token (kernels, pool workers, Dask workers, the pipelines of an all-studies run), so
"no process left" is checked exactly: no live process carries the token.  Every wait is a
counted number of polls; nothing here asserts how fast anything is.
"""
import fcntl
import os
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

ROOT = Path(__file__).resolve().parent.parent
POLL, ATTEMPTS, MOMENT = 0.2, 300, 12000     # a poll; polls for an ending; polls of 0.05 s for a moment
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

    def __init__(self, cmd, cwd=ROOT, env=None):
        self.token = f"ANALYSIS_SIGNALS_TEST={uuid.uuid4().hex}"
        key, value = self.token.split("=")
        self.proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {}), key: value},
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
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


CHILD = textwrap.dedent("""
    import os, sys, time
    from analysis.processes import on_stop, stop_on_signals
    folder = sys.argv[1]
    with stop_on_signals("interrupted; child"), on_stop(lambda: os.rmdir(folder)):
        os.mkdir(folder)
        time.sleep(600)
""")   # a child entry point: makes its folder and removes it when stopped


@pytest.mark.parametrize("how", ["SIGTERM", "kill -9"])
def test_children_of_a_forwarding_parent_stop_themselves(tmp_path, how):
    # what python -m analysis.pipeline does with one pipeline per study
    parent = f"""
        import subprocess, sys, threading
        from analysis.processes import forward_signals, stop_on_signals
        def relay(p):                               # as analysis.pipeline.studies relays each study's lines
            for line in p.stderr:
                print(line, end="", file=sys.stderr, flush=True)
        with stop_on_signals("interrupted; parent"), forward_signals():
            procs = [subprocess.Popen([sys.executable, "-c", {CHILD!r}, f], stderr=subprocess.PIPE,
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


def test_a_child_started_after_the_signal_is_stopped_too(tmp_path):
    # python -m analysis.pipeline with more studies than --jobs: when a stopped study frees its slot,
    # the next one starts; it gets the signal too, and removes its folder (none is left to a kill)
    parent = f"""
        import subprocess, sys, threading
        from analysis.processes import forward_signals, stop_on_signals
        def slot():                                 # one slot: the next starts when the previous ended
            for f in sys.argv[1:]:
                subprocess.run([sys.executable, "-c", {CHILD!r}, f], stderr=subprocess.DEVNULL)
        with stop_on_signals("interrupted; parent"), forward_signals():
            runner = threading.Thread(target=slot, daemon=True)   # as analysis.pipeline.studies runs them
            runner.start()
            while runner.is_alive():
                runner.join(0.2)
    """
    first, second = tmp_path / "first", tmp_path / "second"
    run = Run(python(parent, first, second))
    run.until(lambda: first.exists() and len(run.processes()) == 2, "the first child ran")
    run.send(signal.SIGTERM)
    assert run.ended() == 143 and run.after == "error: interrupted; parent\n"
    assert run.left() == {}
    assert not first.exists() and not second.exists()


def test_a_signal_while_the_interpreter_exits_is_ignored(tmp_path):
    # the run has ended and said so; Python's teardown of its modules can run no handler
    code = """
        import os, sys, time
        from analysis.processes import _install, stop_on_signals
        _install()                                  # as early() does for python -m analysis.pipeline
        ready, go = sys.argv[1:]
        class Slow:                                 # its __del__ runs in the teardown
            def __del__(self, exists=os.path.exists, touch=os.open, sleep=time.sleep,
                        flags=os.O_CREAT | os.O_WRONLY):
                touch(ready, flags)
                while not exists(go):
                    sleep(0.05)
        holder = Slow()
        with stop_on_signals("interrupted; a test"):
            print("done", flush=True)
    """
    ready, go = tmp_path / "ready", tmp_path / "go"
    run = Run(python(code, ready, go))
    run.until(ready.exists, "the teardown began")
    run.send(signal.SIGINT)
    go.touch()
    assert run.ended() == 0                         # not killed by the signal (-2), and no line
    assert run.out == "done\n" and run.err == ""


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


def test_a_child_whose_forwarding_parent_is_gone_stops_at_once(tmp_path):
    # kill -9 of an all-studies run while one of its studies was still starting: that study's
    # pipeline names its parent (ANALYSIS_PARENT_PID) and finds another one: it stops, writes nothing
    out = tmp_path / "cases.csv"
    run = Run([sys.executable, "-m", "analysis.standin", "--study", str(ROOT / "data" / "pss" / "study.yml"),
               "--out", str(out)], env={"ANALYSIS_PARENT_PID": str(os.getppid())})   # not the child's parent
    assert run.ended() == 143
    assert run.err == "error: interrupted before the run started; nothing was changed\n"
    assert not out.exists() and run.left() == {}
