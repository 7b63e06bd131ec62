"""Run many perturbed fsQCA analyses in parallel: the engine of the robustness sweep.

A robustness test protocol (``analysis.robustness``; Oana & Schneider 2024) re-runs one analysis
many times: with other calibration anchors, other cut-offs, a case left out.  Each run is
independent, so they are spread over the available cores with
``concurrent.futures.ProcessPoolExecutor`` (``os.cpu_count()`` workers by default; they end
with the process that started them, even after ``kill -9`` of it, and an interrupted sweep kills
them at once: ``analysis.workers.WorkerPool``), handed out in chunks, and collected **in the
order they were given** (``Executor.map``), so that the results, and every file written from
them, do not depend on which worker finished first.  A progress bar
(``tqdm``) goes to stderr, and the progress to the pipeline's terminal (``analysis.progress``).

``Run``       one analysis (``analysis.analyses.Analysis``, a variant made with
              ``dataclasses.replace``) on one set of memberships, with the cases it leaves out
              and, optionally, several cut-off settings.
``analyse``   runs one ``Run`` (``analysis.coded.solve_coded``, or for multi-value conditions
              ``analysis.codings.solve_coding``: truth table coded, the enhanced standard
              analysis, minimisation, once per coding in each worker) and returns a
              ``Result``: the tied models of the chosen solution, those of the parsimonious
              solution (for core conditions), and every case's membership in the solution.
``Sweep``     a pool of workers that maps lists of runs, keeping one progress bar over all calls.

A truth table without a positive (or without a negative) row has no solution: ``Result.status``
is ``"none"`` and the membership of every case in that (empty) solution is 0.  A run may name
several cut-off settings (``Run.cut_settings``): one result each.  A case left out of a test
(``Run.drop``) does not enter its truth table, but it still gets a membership in the test
solution: the solution's formula evaluated on the case's memberships.
"""
from __future__ import annotations

import math
import os
import sys
import warnings
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from ..errors import StudyError
from .. import progress
from ..analyses import Analysis
from ..bounded import make_room
from ..coded import solve_coded
from ..codings import multivalue, observed_rows, solve_coding
from ..workers import WorkerPool
from ..qca import SOLUTION_KINDS
from ..literals import members
from ..qca.sets import outcome_membership
from ..qca.cuts import out_values
from ..qca.membership_checks import validate_memberships
from ..qca.truthtable_type import TruthTable

__all__ = ["Run", "Result", "analyse", "analyse_runs", "recode", "signature", "Sweep", "run_tasks"]


@dataclass(frozen=True, eq=False)
class Run:
    """One analysis of a sweep: the analysis, the memberships it runs on, the cases it leaves out,
    and optionally several cut-off settings (``analysis.analyses.Cuts``), one result each."""

    analysis: Analysis
    data: pd.DataFrame = field(repr=False)   # memberships, one row per case (every case)
    drop: tuple = ()                         # case ids left out of the truth table
    cut_settings: tuple = None               # Cuts, ...; None: the analysis' own
    document: bool = False                   # keep the solutions as the claims ledger reads them

    @property
    def size(self) -> int:
        """The number of analyses the run stands for."""
        return 1 if self.cut_settings is None else len(self.cut_settings)


@dataclass(frozen=True)
class Result:
    """What a sweep keeps of one analysis."""

    status: str            # "ok" or "none" (no solution)
    error: str             # why there is no solution
    models: tuple          # tied models (Model) of the chosen solution (each once over intermediate blocks)
    parsimonious: tuple    # tied models of the parsimonious solution
    membership: np.ndarray  # every case's membership in the union of the tied models
    first: np.ndarray      # ... in the first tied model only
    document: object = None  # with ``Run.document``: every solution with its fits on the kept cases, as
    #                          the claims ledger reads it (``codings.Solved.solutions``: the engine's
    #                          ``Solutions``, or ``{"error": why}``)

    @cached_property
    def texts(self) -> tuple:
        """The tied models as written (``str``), made once: tables and files show them."""
        return tuple(str(m) for m in self.models)

    @cached_property
    def signature(self) -> frozenset:
        """``signature`` of the tied models (computed once: ranges and tables compare it often)."""
        return signature(self.models)


def signature(models) -> frozenset:
    """An order-free form of a set of tied models (``Model`` or tuples of terms): two solutions
    are the same iff equal."""
    return frozenset(m.key if hasattr(m, "key") else frozenset(frozenset(t) for t in m) for m in models)


def _coding(table: pd.DataFrame, incl_cut, pri_cut, n_cut) -> np.ndarray:
    """``OUT`` of every observed row under other cut-offs (the engine's ``out_values``)."""
    return np.array(out_values(table["n"].to_numpy(), table["incl"].to_numpy(), table["PRI"].to_numpy(),
                               float(incl_cut), pri_cut, n_cut), dtype=object)


def recode(tt: TruthTable, incl_cut, pri_cut, n_cut) -> TruthTable:
    """The truth table ``tt`` with ``OUT`` recoded for other (single) cut-offs."""
    table = tt.table.assign(OUT=_coding(tt.table, incl_cut, pri_cut, n_cut))
    return replace(tt, rows=table, incl_cut=(float(incl_cut),), pri_cut=float(pri_cut), n_cut=int(n_cut))


_COLUMNS: dict = {}      # id(frame) -> (frame, {column: its values}): the runs of a sweep share frames
_COLUMNS_LIMIT = 256


def _column(data: pd.DataFrame, name) -> np.ndarray:
    """``data[name].to_numpy(dtype=float)``, read once per frame and column in this process (the
    analyses of one step or test share its frame), read-only."""
    held = _COLUMNS.get(id(data))
    if held is None or held[0] is not data:
        make_room(_COLUMNS, _COLUMNS_LIMIT)
        held = _COLUMNS[id(data)] = (data, {})
    if name not in held[1]:
        values = data[name].to_numpy(dtype=float)
        values.flags.writeable = False
        held[1][name] = values
    return held[1][name]


def _floats(data: pd.DataFrame, names) -> np.ndarray:
    """``data[list(names)].to_numpy(dtype=float)`` (cases x names), read column by column: a
    frame's selection of several columns costs ten times as much, and a sweep makes thousands."""
    return np.column_stack([_column(data, c) for c in names]) if len(names) else np.empty((len(data), 0))


class _Shared:
    """What the analyses of one set of memberships (``data``), conditions and cases left out
    (``drop``) share, made once for all of them: the memberships ``x`` (every case) and ``xk``
    (the cases kept), whether ``xk`` is in [0, 1], its observed rows, and the functions that give
    the cases' memberships in a list of models (``analysis.literals.members``)."""

    def __init__(self, data: pd.DataFrame, conditions, drop):
        self.data, self.drop = data, drop
        self.x = x = _floats(data, conditions)
        self.keep = keep = ~data.index.isin(list(drop)) if drop else slice(None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.xk = xk = x[keep]
            self.binary = len(xk) > 0 and bool(np.all((xk >= 0) & (xk <= 1)))
            self.rows = observed_rows(xk)
        self.member = members(x, conditions)                  # models -> memberships of every case
        self.kept_member = members(xk, conditions) if drop else self.member

    def kept(self) -> pd.DataFrame:
        """The memberships of the cases kept, to name a bad one."""
        return self.data.drop(index=list(self.drop)) if self.drop else self.data


def analyse(run: Run, solution: str = "intermediate", shared: _Shared | None = None):
    """Truth table and solution of one run (see the module docstring); ``solution``: the solution
    compared (complex, parsimonious or intermediate); ``shared``: what the runs on its memberships,
    conditions and cases share (``_Shared``), when the caller has it (``analyse_runs``).

    Returns a ``Result``, or a list of them (one per setting) when ``run.cut_settings`` is given.
    """
    if solution not in SOLUTION_KINDS:
        raise StudyError(f"solution must be one of {', '.join(SOLUTION_KINDS)}, got {solution!r}")
    a, data = run.analysis, run.data
    s = shared if shared is not None else _Shared(data, a.conditions, run.drop)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xk = s.xk
        raw = _column(data, a.outcome)[s.keep]
        valid = s.binary and bool(np.all((raw >= 0) & (raw <= 1)))
        if not valid and not multivalue(xk):
            validate_memberships(s.kept(), list(a.conditions) + [a.outcome])   # names the problem
        y = outcome_membership({a.outcome: raw}, a.outcome, a.neg_out)
        member, kept_member = s.member, s.kept_member
        results = []
        for cuts in ([a.cuts] if run.cut_settings is None else run.cut_settings):
            if solution == "intermediate" and not a.dir_exp:
                raise StudyError("the intermediate solution needs directional expectations")
            variant = replace(a, cuts=cuts)
            solved = _solve(variant, s.kept, xk, y, s.rows, valid)
            models, pars = solved.chosen(solution), solved.chosen("parsimonious")
            document = solved.solutions(y, SOLUTION_KINDS, kept_member) if run.document else None
            union = member([m.terms for m in models])
            first = union.copy() if len(models) <= 1 else member([models[0].terms])
            results.append(Result(status="none" if solved.error else "ok", error=solved.error, models=models,
                                  parsimonious=pars, membership=union, first=first, document=document))
    return results[0] if run.cut_settings is None else results


def analyse_runs(runs, solution: str = "intermediate"):
    """``(i, analyse(runs[i], solution))`` for every run, the runs on the same memberships,
    conditions and cases left out one after another, sharing what they share (``_Shared``, made
    once for them and then let go): the results ``analyse`` gives each run alone.  When runs fail,
    the error raised (after the others have run) is that of the first of them in ``runs``, the
    one running them in their order would have met."""
    groups, failed = {}, None
    for i, r in enumerate(runs):
        groups.setdefault((id(r.data), tuple(r.analysis.conditions), tuple(r.drop)), []).append(i)
    for where in groups.values():
        first = runs[where[0]]
        try:
            shared = _Shared(first.data, first.analysis.conditions, first.drop)
        except Exception as e:               # noqa: BLE001  (raised below, in the runs' order)
            failed = _earlier(failed, where[0], e)
            continue
        for i in where:
            try:
                result = analyse(runs[i], solution, shared)
            except Exception as e:           # noqa: BLE001
                failed = _earlier(failed, i, e)
                continue
            yield i, result
    if failed is not None:
        raise failed[1]


def _earlier(failed, i: int, error):
    """The failure of the run met first in the runs' order: ``failed`` (index, error) or run ``i``'s."""
    return failed if failed is not None and failed[0] < i else (i, error)


def _solve(a, kept, x, y, rows, binary: bool):
    """The run's coding solved: from the coding (``solve_coded``) when every membership is in
    [0, 1], else on the kept cases' frame (``solve_coding``: multi-value conditions)."""
    return solve_coded(a, x, y, rows) if binary else solve_coding(a, kept, x, y, rows)


def _analyse_chunk(job) -> list:
    runs, solution = job
    out = [None] * len(runs)
    for i, result in analyse_runs(runs, solution):
        out[i] = result
    return out


def _progress(total, desc, enabled):
    from tqdm import tqdm
    tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    if tty:
        return tqdm(total=total, desc=desc, unit=" analyses", file=sys.stderr, disable=not enabled)
    # Not a terminal (a notebook, a log): print only the first and the final state, without
    # timings, so that the output is the same from one run to the next.
    return tqdm(total=total, desc=desc, file=sys.stderr, disable=not enabled, mininterval=math.inf,
                miniters=1 << 60, bar_format="{desc}: {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} analyses")


class Sweep:
    """A pool of ``workers`` processes (default ``os.cpu_count()``) that runs lists of tasks.

    ``with Sweep() as sweep: results = sweep.map(tasks)`` returns one ``Result`` per task, in
    the order of ``tasks``.  Successive ``map`` calls share the pool and one progress bar.
    ``workers=1`` runs in this process (no pool).
    """

    def __init__(self, workers: int | None = None, progress: bool = True, desc: str = "sweep",
                 chunks_per_worker: int = 4, solution: str = "intermediate"):
        self.solution = solution
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        self.chunks_per_worker = chunks_per_worker
        self.progress, self.desc = progress, desc
        self.bar = None
        self.pool = None
        self.done = 0
        self.counted = self.total = 0          # for the pipeline's terminal (analysis.progress)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(failed=exc_type is not None)

    def close(self, failed: bool = False):
        """End the pool: after its work, or (``failed``: an exception such as ``KeyboardInterrupt``
        is on its way) at once, its workers killed and its queued work dropped."""
        if self.pool is not None:
            if failed:
                self.pool.kill()
            else:
                self.pool.shutdown()
            self.pool = None
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _chunks(self, tasks):
        size = max(1, math.ceil(len(tasks) / (self.workers * self.chunks_per_worker)))
        return [tasks[i:i + size] for i in range(0, len(tasks), size)]

    def map(self, tasks) -> list:
        tasks = list(tasks)
        if not tasks:
            return []
        self.total += sum(t.size for t in tasks)
        if self.bar is None:
            self.bar = _progress(sum(t.size for t in tasks), self.desc, self.progress)
        else:
            self.bar.total += sum(t.size for t in tasks)
        out = [None] * len(tasks)
        if self.workers == 1 or len(tasks) == 1:
            for i, result in analyse_runs(tasks, self.solution):
                out[i] = result
                self.bar.update(tasks[i].size)
                self.counted += tasks[i].size
                progress.report(self.desc, self.counted, self.total)
        else:
            out = []
            if self.pool is None:
                self.pool = WorkerPool(self.workers)
            chunks = self._chunks(tasks)
            try:
                for chunk, done in zip(chunks, self.pool.map(_analyse_chunk, [(c, self.solution) for c in chunks])):
                    out.extend(done)
                    self.bar.update(sum(t.size for t in chunk))
                    self.counted += sum(t.size for t in chunk)
                    progress.report(self.desc, self.counted, self.total)
            except BaseException:
                self.close(failed=True)          # not after the queued chunks: at once
                raise
        self.done += sum(t.size for t in tasks)
        return out


def run_tasks(tasks, workers: int | None = None, progress: bool = True, desc: str = "sweep",
              solution: str = "intermediate") -> list:
    """Run ``tasks`` (``Run`` records) in parallel (``Sweep``) and return their results in order."""
    with Sweep(workers, progress, desc, solution=solution) as sweep:
        return sweep.map(tasks)
