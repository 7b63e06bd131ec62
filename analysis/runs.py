"""Where a run of a study's notebooks reads and writes, and with which parameters.

A study's canonical results are those of its default run, ``results/<name>/``.  A run that
changes its inputs (``--set incl_cut=0.85``, ``--data other.csv``, or a notebook run by hand in
JupyterLab or by papermill with other parameters) goes to its own folder, named after what it
changes (``run_folder``): ``results/ppip-incl_cut=0.85/``.  Values are written exactly as Python
reads them back (``0.8500004`` and ``0.85`` are two folders), another data file adds a short
digest of its path (``data=cases-3f2a9c1e``; a stem that is not a plain short name is left out),
so two different runs never share a folder; a name too long for a file system keeps its start and
a digest of the whole.  Every folder a run writes is its own (``analysis.guard``): ``open_run``
refuses a folder of other files and marks the one it writes.

``open_run`` is the first call of every notebook: it reads the study file, resolves the
parameters (``analysis.parameters``) and decides the folders: ``out``, where the notebook
writes, and ``source``, where the earlier steps' outputs are read when this notebook's folder
does not hold them (a notebook run by hand on other cut-offs reads the calibration of the
canonical run, which the cut-offs do not change).  The pipeline gives every run its own
(temporary) folder, which is used as it is.  ``COMPENDIUM_RESULTS`` names another folder for
the results (the tests re-execute the notebooks there, never in ``results/``).

>>> run_folder("ppip", {"incl_cut": 0.85}, None, "results")
PosixPath('results/ppip-incl_cut=0.85')
>>> run_folder("ppip", {"incl_cut": 0.8500004}, None, "results").name
'ppip-incl_cut=0.8500004'
>>> run_folder("ppip", {}, None, "results", kind="multiverse").name
'ppip-multiverse'
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import parameters
from .guard import PIPELINE, claim
from .studyfile import load_study

__all__ = ["ROOT", "RESULTS", "Run", "open_run", "run_folder", "results_base"]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
ENVIRONMENT = "COMPENDIUM_RESULTS"


def results_base() -> Path:
    """The folder that holds the studies' results: ``results/``, or ``$COMPENDIUM_RESULTS``."""
    return Path(os.environ[ENVIRONMENT]).resolve() if os.environ.get(ENVIRONMENT) else RESULTS


def _value(v) -> str:
    return repr(float(v)) if isinstance(v, float) else str(v)


NAME_LIMIT = 200           # characters of a run folder's name (file systems allow 255 bytes)


def _digest(text: str, n: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:n]


def run_folder(name: str, changes: dict, data=None, base=RESULTS, kind: str = "") -> Path:
    """The folder of a run of study ``name`` (``kind``: e.g. ``multiverse``) that changes
    ``changes`` ({parameter: value}) and perhaps the data file:
    ``<base>/<name>[-<kind>][-<parameter>=<value>...][-data=<stem>-<digest>]``."""
    parts = [name] + ([kind] if kind else []) + [f"{k}={_value(v)}" for k, v in sorted(changes.items())]
    if data:
        path = str(Path(data).resolve())
        stem = Path(path).stem
        plain = re.fullmatch(r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,39}", stem)
        parts.append(f"data={stem}-{_digest(path)}" if plain else f"data={_digest(path)}")
    folder = "-".join(parts)
    if len(folder) > NAME_LIMIT:
        folder = f"{folder[:NAME_LIMIT - 17]}-{_digest(folder, 16)}"
    return Path(base) / folder


@dataclass(frozen=True)
class Run:
    """One run of a notebook: its study, resolved parameters and folders."""

    study: object            # analysis.studyfile.Study
    parameters: dict          # every threshold, resolved (analysis.parameters)
    out: Path                 # where the notebook writes
    source: Path              # where earlier steps' outputs are read when ``out`` lacks them

    def path(self, *parts) -> Path:
        """A file of an earlier step: in ``out`` when it is there, else in ``source``."""
        mine = self.out.joinpath(*parts)
        return mine if mine.exists() or self.source == self.out else self.source.joinpath(*parts)

    def describe(self) -> str:
        """Where this run writes (and reads), for the notebook: a folder of the results named
        relative to them; any other folder (the pipeline's, which moves it into place when every
        step has run) as the folder it was given, so that the text does not depend on it."""
        if self.out.parent != results_base():
            return "This run writes to the folder it was given (`out`)."
        text = f"This run writes to `results/{self.out.name}/`"
        if self.source != self.out:
            text += (f" (its own folder: it changes {', '.join(self.changed)}); the earlier steps' outputs it "
                     f"needs come from `results/{self.source.name}/` unless this folder holds them")
        return text + "."

    @property
    def changed(self) -> list:
        """The parameters this run changes, as ``name=value``."""
        return [f"{k}={_value(v)}" for k, v in sorted(self.parameters.items())
                if v != self.study.thresholds[k]]


def open_run(study, out, data=None, **given) -> Run:
    """The run of a notebook (module docstring): ``study`` a study file, ``out`` the folder the
    notebook was given, ``data`` another raw data file (None: the study's), ``given`` its
    threshold parameters (None: the study file's)."""
    S = load_study(study)
    P = parameters.resolve(S.thresholds, **given)
    out = Path(out).resolve()
    canonical = (RESULTS / S.name).resolve()
    base = results_base()
    if out == canonical:                         # the default: the study's own results folder
        out = canonical = base / S.name
        changes = {k: v for k, v in P.items() if v != S.thresholds[k]}
        if changes or data:
            out = run_folder(S.name, changes, data, base)
    inputs = (S.path, S.data_path) + ((data,) if data else ())
    claim(out, PIPELINE, S.name, inputs, option="out")    # a folder of this study's runs only
    return Run(study=S, parameters=P, out=out, source=canonical if out != canonical else out)
