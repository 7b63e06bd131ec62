"""Signals and child processes: one rule for every entry point.

The rule (developers' guide: "a signal ends a run in seconds and no process outlives it"):

**SIGINT (Ctrl-C), SIGTERM and SIGHUP end a run at once, at any moment**: while a Jupyter
kernel starts, during a cell, while a pool of workers or a Dask cluster computes.  The run's
descendant processes are killed, what it registered (``on_stop``: its temporary folders) is
removed, ONE line ``error: <message>`` goes to the terminal's stderr, and the process exits with
128 + the signal's number: 130 (SIGINT), 143 (SIGTERM), 129 (SIGHUP).  Nothing unwinds: the
handler cleans up itself and ends the process with ``os._exit``, because an exception raised at
an arbitrary point (inside asyncio, zmq, a kernel's start, a pool's shutdown) printed tracebacks
and could hang.  A step that must not be cut (moving the results into place, writing a chunk or
a data file) runs inside ``critical()``: a signal takes effect at its end.  The command lines run
inside ``stop_on_signals(message)``; ``early()``, called when ``python -m analysis.pipeline``
(``.multiverse``, ``.standin``) starts importing the package, covers the imports before that
(only the interpreter's own start-up, a few hundredths of a second, is left uncovered); once the
interpreter exits (the run has ended and said so), a signal is ignored.

**Kernels and workers never outlive their parent, not even after ``kill -9`` of it.**  Every
child the package starts asks the operating system to kill it when its parent ends (Linux
``prctl(PR_SET_PDEATHSIG, SIGKILL)``), then checks that its parent is still the one that started
it: Jupyter kernels through ``kernel_preexec`` (between fork and exec; the setting survives the
exec), pool workers through ``analysis.workers.WorkerPool``.  The signal fires when the parent
*thread* that forked the child ends, so children are started from a thread that lives as long as
they do (here the main thread).  Dask's workers watch their parent themselves (a pipe whose
closing ends them); the pipelines ``python -m analysis.pipeline`` runs side by side (one per
study) get SIGTERM when their parent ends, or at once if it already has, and so remove their own
temporary folders; a signal to the parent is passed on to them until they have ended, a study
that starts meanwhile too (``forward_signals``).

Elsewhere than Linux (no ``prctl``): a pool worker checks its parent every second, a kernel relies
on ipykernel's parent poller, processes are listed with ``ps``.  Windows (no SIGHUP, no process
groups): Ctrl-C and SIGTERM are handled, children are not searched for.
"""
from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["SIGNALS", "exit_status", "stop_on_signals", "forward_signals", "say", "line_open", "on_stop", "critical",
           "early", "forked", "die_with_parent", "kernel_preexec", "quiet_child", "descendants"]

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
PARENT = "ANALYSIS_PARENT_PID"   # set for child entry points that end with their parent (forward_signals)
ENTRY_POINTS = ("analysis.pipeline", "analysis.multiverse", "analysis.standin")
POLL, WAITS, ROUNDS = 0.05, 400, 20   # counted waits: polls of forwarded children, rounds of kills
_PR_SET_PDEATHSIG = 1


def exit_status(signum: int) -> int:
    """The exit status of a run ended by ``signum``: 128 + its number (the shell's convention).

    >>> exit_status(signal.SIGINT), exit_status(signal.SIGTERM)
    (130, 143)"""
    return 128 + int(signum)


def _prctl():
    """libc's ``prctl`` (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return fn


_PRCTL = _prctl()


class _State:
    """What the handler needs; one per process (a forked worker resets it: ``quiet_child``)."""

    def __init__(self):
        self.owner = None          # the pid whose handler this is (a forked child is not it)
        self.scopes = []           # [message, ...] of the active stop_on_signals, innermost last
        self.cleanups = []         # callables run at a stop, last registered first
        self.depth = 0             # critical() nesting
        self.pending = None        # a signal received inside critical()
        self.open = False          # a progress line without its newline is on the terminal
        self.forward = 0           # forward_signals() nesting
        self.err = None            # the terminal's stderr, kept when the run started
        self.stopping = False
        self.idle = "interrupted before the run started; nothing was changed"   # no stop_on_signals active


_STATE = _State()


def _install() -> bool:
    """Make ``_on_signal`` the handler of every signal of the rule; False when it already was
    or cannot be (not the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if all(signal.getsignal(s) is _on_signal for s in SIGNALS) and _STATE.owner == os.getpid():
        return False
    if _STATE.owner is None:
        atexit.register(_leaving)          # registered first: runs after the other exit handlers
    _STATE.owner = os.getpid()
    if _STATE.err is not None:
        os.close(_STATE.err)
    _STATE.err = os.dup(2)                 # the terminal: fd 2 may be sent elsewhere meanwhile
    for s in SIGNALS:
        signal.signal(s, _on_signal)
    return True


def _leaving() -> None:
    """At exit: ignore the signals (Python's teardown of its modules, which follows, runs no
    handler and would take them the default way: killed, without a line)."""
    if _STATE.owner == os.getpid() and threading.current_thread() is threading.main_thread():
        for s in SIGNALS:
            if signal.getsignal(s) is _on_signal:
                signal.signal(s, signal.SIG_IGN)


def early() -> None:
    """Install the handler while ``python -m analysis.pipeline`` (``.multiverse``, ``.standin``)
    still imports the package, before its ``main`` runs: a signal then ends the start-up with
    the same one line.  Does nothing in any other process (a notebook, a test, a library user)."""
    argv = getattr(sys, "orig_argv", [])
    if sys.argv[:1] != ["-m"] or "-m" not in argv[:-1]:
        return
    if argv[argv.index("-m") + 1] in ENTRY_POINTS:
        _install()
        _follow_parent()


@contextlib.contextmanager
def stop_on_signals(message: str):
    """Run the body under the rule of the module docstring: a signal ends the process with the
    line ``error: <message>`` (changed meanwhile with ``say``) and status ``exit_status``.

    The handlers installed here are removed at the end (a caller such as a test goes on as
    before); those ``early`` installed stay, so that a command line's last lines and its exit
    are covered too.  From a thread other than the main thread the body runs without them."""
    _follow_parent()
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    installed = _install()
    _STATE.scopes.append(message)
    try:
        yield
    finally:
        _STATE.scopes.pop()
        _STATE.idle = "interrupted after the run ended"
        if installed:
            for s, handler in previous.items():
                signal.signal(s, handler)


def say(message: str) -> None:
    """Change the line the innermost ``stop_on_signals`` prints (e.g. once the results are in place)."""
    if _STATE.scopes:
        _STATE.scopes[-1] = message


def line_open(is_open: bool) -> None:
    """Tell the handler whether the terminal's last line lacks its newline (a progress line
    ``[3/7] 03_necessity.ipynb ...``): the stop line then starts on a line of its own.

    Call ``line_open(True)`` before printing the open line and ``line_open(False)`` after its
    newline: a signal that arrives during the print then costs at most an empty line, never the
    stop line glued to the progress line."""
    _STATE.open = bool(is_open)


@contextlib.contextmanager
def on_stop(cleanup):
    """Run ``cleanup()`` if a signal stops the run while the body runs (e.g. remove a temporary
    folder); exceptions it raises are ignored."""
    _STATE.cleanups.append(cleanup)
    try:
        yield
    finally:
        _STATE.cleanups.remove(cleanup)


@contextlib.contextmanager
def critical():
    """A step that must not be cut: a signal received meanwhile stops the run at its end."""
    _STATE.depth += 1
    try:
        yield
    finally:
        _STATE.depth -= 1
        if _STATE.depth == 0 and _STATE.pending is not None and _STATE.owner == os.getpid():
            _stop(_STATE.pending)


@contextlib.contextmanager
def forward_signals():
    """While the body runs, a signal is first passed on to the direct children (one pipeline per
    study), awaited (``WAITS`` polls) so that they remove their own temporary folders; they end
    with their parent even after ``kill -9`` of it (``PARENT``)."""
    _STATE.forward += 1
    before = os.environ.get(PARENT)
    os.environ[PARENT] = str(os.getpid())
    try:
        yield
    finally:
        _STATE.forward -= 1
        if before is None:
            os.environ.pop(PARENT, None)
        else:
            os.environ[PARENT] = before


def _on_signal(signum, frame) -> None:
    if _STATE.owner != os.getpid():        # a forked child that still has its parent's handler
        os._exit(exit_status(signum))
    if _STATE.stopping:
        return
    if _STATE.depth:
        _STATE.pending = _STATE.pending or signum
        return
    _stop(signum)


def _stop(signum) -> None:
    """End the process: children, cleanups, one line, ``os._exit`` (module docstring)."""
    _STATE.stopping = True
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN)
    err = _STATE.err if _STATE.err is not None else 2
    message = _STATE.scopes[-1] if _STATE.scopes else _STATE.idle
    try:
        _silence_stderr()
        _end_children(signum if _STATE.forward else None)
        for cleanup in reversed(_STATE.cleanups):
            try:
                cleanup()
            except Exception:
                pass
        with contextlib.suppress(Exception):
            sys.stdout.flush()
    finally:
        with contextlib.suppress(OSError):
            os.write(err, (("\n" if _STATE.open else "") + f"error: {message}\n").encode("utf-8", "replace"))
        os._exit(exit_status(signum))


def _silence_stderr() -> None:                 # what else would print now is not shown
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)


def _table() -> dict:
    """{pid: (parent pid, process group, start time)} of every process (``/proc`` or ``ps``)."""
    if os.path.isdir("/proc/self/task"):
        found = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat", "rb") as fh:
                        stat = fh.read()
                except OSError:
                    continue
                rest = stat[stat.rindex(b")") + 2:].split()
                if rest[0] not in (b"Z", b"X"):          # a zombie has ended already
                    found[int(name)] = (int(rest[1]), int(rest[2]), int(rest[19]))
        return found
    if os.name != "posix":
        return {}
    try:
        with os.popen("ps -A -o pid=,ppid=,pgid=") as fh:
            text = fh.read()
    except OSError:
        return {}
    return {int(p): (int(pp), int(g), 0) for p, pp, g in (line.split() for line in text.splitlines() if line.strip())}


def descendants(pid: int, table: dict | None = None) -> set:
    """Every live process below ``pid`` (children, their children, ...), and every member of a
    process group led by one of them (a kernel's workers stay in the kernel's group, even once
    the kernel has ended).  ``table``: {pid: (parent pid, group, start time)}, default the
    system's.

    >>> sorted(descendants(1, {1: (0, 1, 0), 10: (1, 10, 0), 11: (10, 10, 0), 12: (1, 1, 0),
    ...                        13: (99, 10, 0), 14: (99, 14, 0)}))
    [10, 11, 12, 13]
    """
    table = _table() if table is None else table
    children = {}
    for p, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(p)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    leaders = {p for p in found if table[p][1] == p}
    found |= {p for p, (_, group, _) in table.items() if group in leaders and p != pid}
    return found


def _end_children(forward) -> None:
    """Pass ``forward`` on to the direct children and await them (a child that ignores it, is
    stuck or keeps being replaced is killed after ``WAITS`` polls); then kill every descendant
    (but multiprocessing's resource tracker, which ends by itself once they are gone and then
    removes the semaphores they held) and await the end of those killed."""
    me = os.getpid()
    if forward is not None:
        # sent again at every poll: to a child started meanwhile (another study taking the slot
        # of one that stopped), or one that got it between fork and exec (where it is lost)
        for _ in range(WAITS):
            children = [p for p, (parent, _, _) in _table().items() if parent == me]
            if not children:
                break
            for p in children:
                with contextlib.suppress(OSError):
                    os.kill(p, forward)
            time.sleep(POLL)
    killed = set()
    for _ in range(2):                     # again for a child started meanwhile (a Dask nanny's restart)
        for _ in range(ROUNDS):            # a child may start another while we look
            left = descendants(me) - killed - _spared()
            if not left:
                break
            for p in left:
                with contextlib.suppress(OSError):
                    os.kill(p, signal.SIGKILL)
            killed |= left
        for _ in range(WAITS):
            if not killed & set(_table()):
                break
            time.sleep(POLL)
    _reap()


def _spared() -> set:
    """multiprocessing's resource tracker, if this process started one."""
    tracker = sys.modules.get("multiprocessing.resource_tracker")      # (started by analysis.workers)
    pid = getattr(getattr(tracker, "_resource_tracker", None), "_pid", None)
    return {pid} if pid else set()


def _reap() -> None:
    """Collect the ended direct children (no zombies left to whoever adopts them)."""
    with contextlib.suppress(ChildProcessError, OSError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def die_with_parent(parent, signum: int = signal.SIGKILL) -> None:
    """In a child process: be sent ``signum`` when the parent (the thread that started this
    process) ends, and now if it already has (``parent``: its pid as the parent saw it; None when
    the parent is a go-between such as multiprocessing's fork server: no check).

    Linux: ``prctl(PR_SET_PDEATHSIG)``.  Elsewhere a daemon thread checks every second that the
    parent is still there (no process groups needed)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    elif os.name == "posix" and parent is not None:
        threading.Thread(target=_watch_parent, args=(parent, signum), daemon=True, name="parent watch").start()
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)


def _watch_parent(parent: int, signum: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), signum)


def _follow_parent() -> None:
    """A command line started by one that forwards signals (``PARENT`` names our parent) gets
    SIGTERM when that parent ends, or now if it already has, and so stops as if interrupted;
    ``PARENT`` leaves the environment (the kernels this process starts are not its children)."""
    parent = os.environ.pop(PARENT, "")
    if parent.isdigit():
        die_with_parent(int(parent), signal.SIGTERM)


def forked() -> None:
    """In a process forked to run an entry point (a study of an all-studies run,
    ``analysis.pipeline.children``): the rule applies as in a started one: its own state and
    handlers (its stop line on its own stderr, fd 2), and it ends with its parent (``PARENT``)."""
    global _STATE
    _STATE = _State()
    _install()
    _follow_parent()


def kernel_preexec(parent: int):
    """A ``preexec_fn`` for ``subprocess.Popen`` (and ``KernelManager.start_kernel``): the child
    is killed when ``parent`` ends.  It runs between fork and exec, so it only calls the
    ``prctl`` bound here and ``os.getppid``."""
    prctl = _PRCTL

    def preexec():
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
    return preexec


def quiet_child() -> None:
    """A worker leaves Ctrl-C (sent to the whole terminal's process group) to its parent, takes
    SIGTERM and SIGHUP the default way, and forgets its parent's stop state (a forked copy)."""
    global _STATE
    _STATE = _State()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for s in SIGNALS:
            if s != signal.SIGINT:
                signal.signal(s, signal.SIG_DFL)
