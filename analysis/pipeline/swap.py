"""Moving a finished run into place so that the output folder is never missing or half-written.

A run works in a temporary folder ``.<out>.tmp-<pid>-*`` next to ``--out`` and replaces
``--out`` by it in one atomic step when every notebook succeeded (Linux ``renameat2`` with
``RENAME_EXCHANGE``; elsewhere two renames, a signal in between taking effect after the second:
``analysis.processes.critical``).  What a killed run leaves behind is removed, and a half-done
swap repaired, by the next run (``clean_stale``).
"""
from __future__ import annotations

import errno
import glob
import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..guard import check_replaceable
from ..processes import critical

__all__ = ["move_into_place", "clean_stale", "work_folder_prefix", "cannot_write"]

_HINTS = {errno.ENOSPC: "the disk is full: free some space or choose another --out",
          errno.EROFS: "the file system is read-only: choose a writable --out",
          errno.EACCES: "there is no permission to write there: choose another --out",
          errno.EPERM: "there is no permission to write there: choose another --out",
          errno.ENAMETOOLONG: "a name is too long for the file system: choose a shorter --out",
          errno.EDQUOT: "the disk quota is used up: free some space or choose another --out"}


def cannot_write(number, out, text: str = "") -> str:
    """One line for a failed write of the results to ``out``: the system's words and what to do."""
    hint = _HINTS.get(number, "check that the folder can be written to, or choose another --out")
    reason = f" ({text})" if text else ""
    return f"--out {out}: cannot write the results{reason}; {hint}; the previous results are unchanged"


def work_folder_prefix(out: Path, kind: str) -> str:
    """The name start of a run's temporary (``tmp``) or swapped-out (``old``) folder next to
    ``out``; a long name is shortened (with a hash, so it stays unique) so that the folder's name
    fits any file system's 255-character limit whenever ``out``'s own name does."""
    name = out.name
    if len(name) > 100:
        name = name[:60] + "-" + hashlib.sha256(out.name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f".{name}.{kind}-"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def move_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by the finished run ``tmp`` so that ``out`` is never missing or half-written."""
    check_replaceable(out)                # still a run's own folder (analysis.guard)
    if not out.exists():
        os.replace(tmp, out)
        return
    if _exchange(tmp, out):               # one atomic step: out is new, tmp holds the old results
        shutil.rmtree(tmp, ignore_errors=True)
        return
    with critical():                      # two renames; a crash in between is repaired by clean_stale
        old = Path(tempfile.mkdtemp(prefix=f"{work_folder_prefix(out, 'old')}{os.getpid()}-", dir=out.parent))
        os.replace(out, old / out.name)
        os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out: Path) -> None:
    """Remove what a killed earlier run left next to ``out``; restore ``out`` if it was mid-swap."""
    for kind in ("old", "tmp"):
        prefix = work_folder_prefix(out, kind)
        for folder in sorted(out.parent.glob(f"{glob.escape(prefix)}*")):
            pid = folder.name[len(prefix):].split("-", 1)[0]
            if not pid.isdigit() or _pid_alive(int(pid)) or not folder.is_dir():
                continue
            if kind == "old" and not out.exists() and (folder / out.name).is_dir():
                os.replace(folder / out.name, out)
            shutil.rmtree(folder, ignore_errors=True)
