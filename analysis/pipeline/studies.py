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
import selectors
import sys
from pathlib import Path

from ..errors import StudyError
from ..runs import run_folder
from ..studyfile import load_study
from .children import can_fork, preload, start_study
from .layout import ROOT

__all__ = ["STUDIES", "ENVIRONMENT", "studies_folder", "study_files", "study_file", "study_name", "default_out",
           "work_size", "run_studies"]

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


def work_size(path) -> int:
    """A study's size, to start the largest studies first: its cases x its outcomes x the rows of
    its truth tables (2 ** conditions), what its analyses, robustness tests and multiverse grow
    with.  Only the order of the runs depends on it, never a result.

    >>> work_size(STUDIES / "lipset" / "study.yml") < work_size(STUDIES / "pss" / "study.yml")
    True
    """
    study = load_study(path)
    try:
        with open(study.data_path, "rb") as fh:
            cases = max(0, sum(1 for line in fh if line.strip()) - 1)    # the lines below the header
    except OSError:
        cases = 0                           # its own run says what is wrong with its data
    return cases * len(study.outcomes) * 2 ** len(study.conditions)


def run_studies(files, args: list, out_of, jobs: int = 2, log=sys.stderr, order=None, main=None) -> list:
    """Run ``python -m analysis.pipeline --study F --out out_of(F) *args`` for every study file,
    ``jobs`` at a time, started in the order of ``order`` (default ``files``); return
    [(file, exit status, last line)] in the order of ``files``.  Each study's stderr is copied to
    ``log`` line by line, prefixed with its name.

    ``analysis.pipeline`` gives the largest studies first (``work_size``): a run lasts at least as
    long as its largest study, which then starts at once instead of after a smaller one.  With
    ``main`` (the command line's) a study's process is, on Linux, a fork of this one that runs
    ``main`` (``analysis.pipeline.children``): it has the modules imported already (pandas,
    papermill, the package), about a CPU second a study."""
    todo, running, results = list(files if order is None else order), {}, {}
    if main is not None and can_fork():
        preload()
    selector = selectors.DefaultSelector()
    try:
        while todo or running:
            while todo and len(running) < max(1, jobs):
                path = todo.pop(0)
                child = start_study(["--study", str(path), "--out", str(out_of(path)), *args], main)
                running[child.fd] = (path, child)
                selector.register(child.fd, selectors.EVENT_READ)
            for key, _ in selector.select():
                path, child = running[key.fd]
                for line in child.read():
                    print(f"{Path(path).parent.name}: {line}", file=log, flush=True)
                if child.ended:
                    selector.unregister(key.fd)
                    del running[key.fd]
                    results[path] = (child.wait(), child.last)
    except BaseException:
        for _, child in running.values():
            child.terminate()                       # each child removes its temporary folder itself
        for _, child in running.values():
            child.wait()
        raise
    finally:
        selector.close()
    return [(p, *results.get(p, (1, "did not run"))) for p in files]
