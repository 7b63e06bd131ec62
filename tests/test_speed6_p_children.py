"""A study's process of an all-studies run forked from the runner (analysis.pipeline.children):
it runs the command line's main on its arguments, the runner reads its lines and its exit status,
and the stop rule of analysis.processes holds in it as in a started process (a signal: its
cleanups, one line, 128 + the signal; its parent killed by kill -9: it ends too).  Each case runs
in a fresh interpreter (the runner forks only while it is single-threaded; pytest's may not be)."""
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from analysis.pipeline.children import can_fork, start_study

from conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork is Linux's")

PRELUDE = textwrap.dedent("""
    import os, sys, time
    from analysis.pipeline.children import can_fork, start_study
    from analysis.processes import forward_signals, on_stop, stop_on_signals
    def read_all(child):
        lines = []
        while not child.ended:
            lines += child.read()
        return lines, child.wait()
    def sleeper(folder, message):
        # a study's main that makes its work folder, removed if a signal stops it, and waits
        import shutil
        def main(argv):
            with stop_on_signals(message):
                os.mkdir(folder)
                with on_stop(lambda: shutil.rmtree(folder)):
                    print("ready", file=sys.stderr, flush=True)
                    time.sleep(60)
            return 0
        return main
""")


def python(code: str, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_a_forked_study_runs_main_and_ends_with_its_status():
    proc = python("""
        def main(argv):
            print("first", argv, file=sys.stderr)
            print("é last", end="", file=sys.stderr)       # a last line without its newline
            print("never shown: stdout is os.devnull")
            return 3
        assert can_fork()
        child = start_study(["--study", "x"], main)
        assert child.proc is None and child.pid != os.getpid()
        print(read_all(child), child.last)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "([\"first ['--study', 'x']\", 'é last'], 3) é last\n"


def test_a_refusal_or_a_bug_in_the_fork_is_its_status_and_one_line():
    proc = python("""
        def refused(argv):
            raise SystemExit(2)
        def bug(argv):
            raise KeyError("k")
        print(read_all(start_study([], refused)))
        print(read_all(start_study([], bug)))
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["([], 2)", "([\"error: unexpected KeyError: 'k'\"], 1)"]


def test_a_signal_ends_the_fork_by_the_stop_rule(tmp_path):
    folder = tmp_path / "work"
    proc = python(f"""
        child = start_study([], sleeper({str(folder)!r}, "interrupted; the previous results are unchanged"))
        first = child.read()
        while not first:
            first = child.read()
        child.terminate()
        lines, status = read_all(child)
        print(first + lines, status)
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "['ready', 'error: interrupted; the previous results are unchanged'] 143\n"
    assert not folder.exists()


def test_kill_9_of_the_runner_ends_its_forked_studies(tmp_path):
    folder = tmp_path / "work"
    runner = subprocess.Popen([sys.executable, "-c", PRELUDE + textwrap.dedent(f"""
        with forward_signals():
            child = start_study([], sleeper({str(folder)!r}, "interrupted"))
        while not child.read():
            pass
        print(child.pid, flush=True)
        time.sleep(60)
    """)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    pid = int(runner.stdout.readline())
    assert folder.is_dir()
    runner.kill()
    runner.wait(timeout=30)
    for _ in range(300):                                  # counted polls: the fork got SIGTERM and ended
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] in "ZX":
                    break
        except FileNotFoundError:
            break
        threading.Event().wait(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the forked study outlived its runner")
    assert not folder.exists()                             # it removed its folder on the way out


def test_with_a_thread_running_the_study_is_a_new_interpreter():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not can_fork()
        child = start_study(["--study", "no-such-study"], main=lambda argv: 0)
        assert child.proc is not None                     # python -m analysis.pipeline
        lines = []
        while not child.ended:
            lines += child.read()
        assert child.wait() == 2 and lines[-1].startswith("error: no study named 'no-such-study'")
    finally:
        stop.set()
        t.join()
