"""Run many perturbed fsQCA analyses in parallel: the engine of the robustness sweep.

A robustness test protocol (``analysis.robustness``; Oana & Schneider 2024) re-runs one analysis
many times: with other calibration anchors, other cut-offs, a case left out.  Each run is
independent, so they are spread over the available cores with
``concurrent.futures.ProcessPoolExecutor`` (``os.cpu_count()`` workers by default), handed out in
chunks, and collected **in the order they were given** (``Executor.map``), so that the results,
and every file written from them, do not depend on which worker finished first.  A progress bar
(``tqdm``) goes to stderr, and the progress to the pipeline's terminal (``analysis.progress``).

``Task``      one analysis: memberships, outcome (negated or not), conditions, cut-offs,
              directional expectations, the cases left out, the solution compared.
``analyse``   runs one task end to end (truth table, minimisation) and returns a ``Result``: the
              tied models of the chosen solution, those of the parsimonious solution (for core
              conditions), and every case's membership in the solution.
``Sweep``     a pool of workers that maps lists of tasks, keeping one progress bar over all calls.

The minimal models depend on the truth table only through its coding (which rows are positive,
which negative, the rest being remainders) and on the directional expectations: the memberships
enter through that coding alone.  Most perturbations leave the coding unchanged, so each worker
keeps a cache from the coding to the models and minimises each distinct truth table once; the
truth table itself and the memberships are always recomputed.  A truth table without a positive
(or without a negative) row has no solution: ``Result.status`` is ``"none"`` and the membership
of every case in that (empty) solution is 0.

A task may name several cut-off settings (``Task.cuts``): the truth table's ``n``, ``incl`` and
``PRI`` do not depend on the cut-offs, so it is built once and only its ``OUT`` column is
recoded for each setting, by the engine's rule (``analysis.qca.truthtable``: ``?`` below ``n_cut``,
``1`` when incl and PRI reach their cut-offs up to R's tolerance, ``0`` otherwise), before each
coding is minimised.  ``tests/test_robustness.py`` checks the recoding against ``truth_table``.

A case left out of a test (``Task.drop``) does not enter its truth table, but it still gets a
membership in the test solution: the solution's formula evaluated on the case's memberships.
"""
from __future__ import annotations

import math
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .. import progress
from ..enhanced import EnhancedAnalysis, exclusion_codes, labels
from ..qca import SOLUTION_KINDS, QCAError, solve
from ..qca.rows import case_codes
from ..qca.sets import models_membership
from ..qca.cuts import CONTRADICTION, NEGATIVE, POSITIVE
from ..qca.truthtable import (TruthTable, check_cuts, out_values, row_memberships, row_statistics, truth_table,
                              validate_memberships)

__all__ = ["Task", "Result", "analyse", "recode", "coding", "observed_rows", "checked_truth_table", "signature",
           "Sweep", "run_tasks"]

_CACHE: dict = {}
_CACHE_LIMIT = 20_000


@dataclass(frozen=True, eq=False)
class Task:
    """One analysis of a sweep."""

    data: pd.DataFrame = field(repr=False)   # memberships, one row per case (every case)
    outcome: str
    conditions: tuple
    neg_out: bool = False
    incl_cut: float = 0.8
    pri_cut: float = 0.0
    n_cut: int = 1
    dir_exp: tuple = None                    # 1, 0 or "-" per condition; None: no intermediate
    drop: tuple = ()                         # case ids left out of the truth table
    solution: str = "intermediate"           # the solution compared and whose membership is taken
    cuts: tuple = None                       # several (incl_cut, pri_cut, n_cut): one result each
    esa: EnhancedAnalysis = EnhancedAnalysis(applies=False, reason="not asked for")   # the study's, to vary it
    necessity: tuple = (0.9, 0.5)            # necessity_incl, necessity_ron (for ``esa``)

    @property
    def size(self) -> int:
        """The number of analyses the task stands for."""
        return 1 if self.cuts is None else len(self.cuts)


@dataclass(frozen=True)
class Result:
    """What a sweep keeps of one analysis."""

    status: str            # "ok" or "none" (no solution)
    error: str             # why there is no solution
    models: tuple          # tied models of the chosen solution (unique over intermediate blocks)
    parsimonious: tuple    # tied models of the parsimonious solution
    membership: np.ndarray  # every case's membership in the union of the tied models
    first: np.ndarray      # ... in the first tied model only

    @property
    def signature(self) -> tuple:
        return signature(self.models)


def _canonical_model(model) -> tuple:
    return tuple(sorted(tuple(sorted(term)) for term in model))


def signature(models) -> tuple:
    """An order-free form of a set of tied models: two solutions are the same iff equal."""
    return tuple(sorted({_canonical_model(m) for m in models}))


def _unique(models) -> tuple:
    seen, out = set(), []
    for m in models:
        key = _canonical_model(m)
        if key not in seen:
            seen.add(key)
            out.append(tuple(m))
    return tuple(out)


def _coding(table: pd.DataFrame, incl_cut, pri_cut, n_cut) -> np.ndarray:
    """``OUT`` of every observed row under other cut-offs (the engine's ``out_values``)."""
    return np.array(out_values(table["n"].to_numpy(), table["incl"].to_numpy(), table["PRI"].to_numpy(),
                               float(incl_cut), pri_cut, n_cut), dtype=object)


def recode(tt: TruthTable, incl_cut, pri_cut, n_cut) -> TruthTable:
    """The truth table ``tt`` with ``OUT`` recoded for other (single) cut-offs."""
    table = tt.table.assign(OUT=_coding(tt.table, incl_cut, pri_cut, n_cut))
    return replace(tt, rows=table, incl_cut=(float(incl_cut),), pri_cut=float(pri_cut), n_cut=int(n_cut))


def _result(columns, n, status, error, models, pars) -> Result:
    return Result(status=status, error=error, models=models, parsimonious=pars,
                  membership=models_membership(columns, models, n), first=models_membership(columns, models[:1], n))


def coding(x: np.ndarray, y: np.ndarray, incl_cut, pri_cut, n_cut, rows=None) -> tuple:
    """(positive, negative) row codes of the truth table of ``x`` (cases x conditions) for ``y``.

    The engine's own ``row_statistics`` and ``out_values`` (what ``truth_table`` uses), without
    building the table: the sweep uses it to
    find the truth tables it has already minimised.  Every new coding is checked against
    ``truth_table`` before it is minimised (``analyse``), and the tests compare the two.
    ``rows``: ``(codes, row memberships)`` of ``x`` (``observed_rows``), when several outcomes
    share the conditions.
    """
    codes, rm = rows if rows is not None else (np.unique(case_codes(x)), None)
    out = np.array(out_values(*row_statistics(x, y, codes, rm), incl_cut, pri_cut, n_cut))
    positive = codes[out == POSITIVE]
    negative = codes[(out == NEGATIVE) | (out == CONTRADICTION)]
    return np.array(positive, dtype=np.int64), np.array(negative, dtype=np.int64)


def observed_rows(x: np.ndarray) -> tuple:
    """The observed rows of ``x`` (codes) and every case's membership in them, for ``coding``."""
    codes = np.unique(case_codes(x))
    return codes, row_memberships(x, codes, x.shape[1])


def checked_truth_table(data, outcome, conditions, cuts, neg_out, coded) -> TruthTable:
    """The engine's truth table, checked to have the coding ``coded`` (positive, negative row
    codes as bytes) that ``coding`` found without building it: a coding not seen before is
    minimised only after this check."""
    tt = truth_table(data, outcome, list(conditions), incl_cut=cuts[0], pri_cut=cuts[1], n_cut=cuts[2],
                     neg_out=neg_out)
    if (tt.positive.tobytes(), tt.negative.tobytes()) != tuple(coded):
        raise QCAError("internal error: the coding of a truth table found by sweep.coding differs from truth_table's")
    return tt


def _solve_new(task, kept, cuts, key):
    """Minimise a coding not seen before, after checking it against the engine's truth table."""
    tt = checked_truth_table(kept, task.outcome, task.conditions, cuts, task.neg_out, key[2:4])
    try:
        excluded = labels(np.frombuffer(key[-1], dtype=np.int64), tt.k) or None
        sols = solve(tt, None if task.dir_exp is None else list(task.dir_exp), exclude=excluded)
        if sols.undefined:                       # nothing to explain, or no row to avoid
            return ("none", " ".join(next(iter(sols.undefined.values())).split()), (), ())
        if task.solution == "intermediate":
            if task.dir_exp is None:
                raise QCAError("the intermediate solution needs directional expectations")
            chosen = [m.terms for block in sols.intermediate for m in block.models]
        else:
            chosen = [m.terms for m in getattr(sols, task.solution).models]
        return ("ok", "", _unique(chosen), _unique(m.terms for m in sols.parsimonious.models))
    except QCAError as e:
        return ("none", " ".join(str(e).split()), (), ())


def analyse(task: Task):
    """Truth table and solution of one task (see the module docstring).

    Returns a ``Result``, or a list of them (one per setting) when ``task.cuts`` is given.
    """
    if task.solution not in SOLUTION_KINDS:
        raise QCAError(f"solution must be one of {', '.join(SOLUTION_KINDS)}, got {task.solution!r}")
    data = task.data
    kept = data.drop(index=list(task.drop)) if task.drop else data
    x = data[list(task.conditions)].to_numpy(dtype=float)
    columns = {c: x[:, j] for j, c in enumerate(task.conditions)}
    settings = [(task.incl_cut, task.pri_cut, task.n_cut)] if task.cuts is None else list(task.cuts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xk = kept[list(task.conditions)].to_numpy(dtype=float)
        y = kept[task.outcome].to_numpy(dtype=float)
        if not (np.all((xk >= 0) & (xk <= 1)) and np.all((y >= 0) & (y <= 1))):
            validate_memberships(kept, list(task.conditions) + [task.outcome])   # names the problem
        y = 1 - y if task.neg_out else y
        results = []
        for cuts in settings:
            check_cuts(*cuts)
            pos, neg = coding(xk, y, *cuts)
            excluded = exclusion_codes(task.esa, task.conditions, xk, y, (pos, neg), coding(xk, 1 - y, *cuts),
                                       task.necessity) if task.esa.applies else np.zeros(0, dtype=np.int64)
            key = (("~" if task.neg_out else "") + task.outcome, tuple(task.conditions), pos.tobytes(),
                   neg.tobytes(), None if task.dir_exp is None else tuple(task.dir_exp), task.solution,
                   excluded.tobytes())
            value = _CACHE.get(key)
            if value is None:
                value = _solve_new(task, kept, cuts, key)
                if len(_CACHE) < _CACHE_LIMIT:
                    _CACHE[key] = value
            results.append(_result(columns, x.shape[0], *value))
    return results[0] if task.cuts is None else results


def _analyse_chunk(tasks: list) -> list:
    return [analyse(t) for t in tasks]


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
                 chunks_per_worker: int = 4):
        self.workers = max(1, int(workers or os.cpu_count() or 1))
        self.chunks_per_worker = chunks_per_worker
        self.progress, self.desc = progress, desc
        self.bar = None
        self.pool = None
        self.done = 0
        self.counted = self.total = 0          # for the pipeline's terminal (analysis.progress)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.pool is not None:
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
        out = []
        if self.workers == 1 or len(tasks) == 1:
            for t in tasks:
                out.append(analyse(t))
                self.bar.update(t.size)
                self.counted += t.size
                progress.report(self.desc, self.counted, self.total)
        else:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=self.workers)
            chunks = self._chunks(tasks)
            for chunk, done in zip(chunks, self.pool.map(_analyse_chunk, chunks)):
                out.extend(done)
                self.bar.update(sum(t.size for t in chunk))
                self.counted += sum(t.size for t in chunk)
                progress.report(self.desc, self.counted, self.total)
        self.done += sum(t.size for t in tasks)
        return out


def run_tasks(tasks, workers: int | None = None, progress: bool = True, desc: str = "sweep") -> list:
    """Run ``tasks`` in parallel (``Sweep``) and return their results in the given order."""
    with Sweep(workers, progress, desc) as sweep:
        return sweep.map(tasks)
