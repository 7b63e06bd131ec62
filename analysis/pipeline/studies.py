"""The studies of the compendium and where each run of them goes.

A study is a folder ``data/<name>/`` with its ``study.yml``.  ``python -m analysis.pipeline``
without ``--study`` regenerates every study, each into ``results/<name>/``, side by side in
separate processes (``--jobs``, two by default: the studies are independent).  ``--study`` takes
a study's name (``lipset``) or the path of any study file.  A study of ``data/`` is named as its
folder, and no other study file takes the name of one of them (``study_name``): its results
would replace that study's.  The studies are found, never listed:
whatever folders of ``data/`` hold a ``study.yml`` (``study_files``); ``COMPENDIUM_STUDIES``
names another folder of studies (``studies_folder``: the tests add a study in a copy, never in
``data/``).

Runs that change the inputs get their own folder, so that the canonical results of a study are
only ever the default run's: ``--set incl_cut=0.85`` writes ``results/ppip-incl_cut=0.85/``,
``--data other.csv`` writes ``results/ppip-data=other-<digest>/`` (a digest of the file's path:
two files of one name are two folders); ``--out`` names the folder itself (for
one study) or the folder that holds one folder per study.

>>> default_out("ppip", {}, None, "results")
PosixPath('results/ppip')
>>> default_out("ppip", {"incl_cut": 0.85}, None, "results")
PosixPath('results/ppip-incl_cut=0.85')
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from ..errors import StudyError
from ..runs import run_folder
from ..studyfile import load_study
from .layout import ROOT

__all__ = ["STUDIES", "ENVIRONMENT", "studies_folder", "study_files", "study_file", "study_name", "default_out", "run_studies"]

STUDIES = ROOT / "data"
ENVIRONMENT = "COMPENDIUM_STUDIES"


def studies_folder() -> Path:
    """The folder of the studies: ``data/``, or ``$COMPENDIUM_STUDIES`` when it names one."""
    return Path(os.environ[ENVIRONMENT]).resolve() if os.environ.get(ENVIRONMENT) else STUDIES


def study_files(folder=None) -> list:
    """Every study file ``<folder>/<name>/study.yml`` (``folder``: ``studies_folder()``), by name."""
    folder = studies_folder() if folder is None else folder
    found = sorted(p for p in Path(folder).glob("*/study.yml") if not p.parent.name.startswith("."))
    if not found:
        raise StudyError(f"{folder}: no study (a folder with a study.yml) found")
    return found


def study_file(value) -> Path:
    """A study given by name (``lipset``: ``data/lipset/study.yml``) or by the path of its file."""
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9_.-]+", text) and not text.endswith((".yml", ".yaml")):
        path = studies_folder() / text / "study.yml"
        if not path.is_file():
            names = ", ".join(p.parent.name for p in study_files())
            raise StudyError(f"no study named {text!r} (studies: {names}); give a name of data/ or a study file")
        return path
    return Path(text)


def study_name(path) -> str:
    """The name of the study file ``path`` (its ``name:``), which names its results folder; a
    ``StudyError`` when the name is not the study's own: a study of the studies' folder
    (``studies_folder()``) named otherwise than its folder, or any study file named as another
    study of that folder (a copy of ``data/pss/study.yml`` that keeps ``name: pss``), whose run
    would replace that study's results.

    >>> study_name(STUDIES / "lipset" / "study.yml")
    'lipset'
    """
    path = Path(path).resolve()
    name, folder = load_study(path).name, studies_folder()
    if path.parent.parent == folder and name != path.parent.name:
        raise StudyError(f"{path}: name: {name!r} differs from its folder's name ({path.parent.name!r}); a study of "
                         f"{folder} is named as its folder: write name: {path.parent.name}")
    own = folder / name / "study.yml"
    if path.parent.parent != folder and own.is_file():
        raise StudyError(f"{path}: name: {name!r} is the name of the study {own}, whose results a run of this file "
                         "would replace; give this study a name of its own")
    return name


def default_out(name: str, sets: dict, data, base="results") -> Path:
    """Where a run of study ``name`` goes: ``<base>/<name>``, with what it changes in the name
    (``analysis.runs.run_folder``: exact values, a digest for another data file)."""
    return run_folder(name, sets, data, base)


def _relay(name: str, stream, log, lock) -> list:
    """Copy a child's stderr to ``log`` line by line, each line prefixed with the study's name."""
    lines = []
    for line in iter(stream.readline, ""):
        lines.append(line.rstrip("\n"))
        with lock:
            print(f"{name}: {line.rstrip()}", file=log, flush=True)
    return lines


def run_studies(files, args: list, out_of, jobs: int = 2, log=sys.stderr) -> list:
    """Run ``python -m analysis.pipeline --study F --out out_of(F) *args`` for every study file,
    ``jobs`` at a time; return [(file, exit status, last line)] in the order of ``files``."""
    lock = threading.Lock()
    results, procs = {}, []
    slots = threading.Semaphore(max(1, jobs))
    stopping = threading.Event()

    def one(path):
        with slots:
            if stopping.is_set():
                return
            cmd = [sys.executable, "-m", "analysis.pipeline", "--study", str(path), "--out", str(out_of(path)), *args]
            with lock:
                proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                procs.append(proc)
            lines = _relay(Path(path).parent.name, proc.stderr, log, lock)
            results[path] = (proc.wait(), lines[-1] if lines else "")

    threads = [threading.Thread(target=one, args=(p,), daemon=True) for p in files]
    try:
        for t in threads:
            t.start()
        for t in threads:
            while t.is_alive():
                t.join(0.2)                         # stays responsive to Ctrl-C and SIGTERM
    except BaseException:
        stopping.set()
        with lock:
            for proc in procs:
                proc.terminate()                    # each child removes its temporary folder itself
        for proc in procs:
            proc.wait()
        raise
    return [(p, *results.get(p, (1, "did not run"))) for p in files]
