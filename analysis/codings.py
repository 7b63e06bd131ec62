"""An analysis solved from its truth table's coding, once per coding: what the robustness sweep
and the multiverse repeat thousands of times.

The minimal models of an analysis depend on the memberships only through its truth table's
*coding*: which rows are positive, which negative (the rest being remainders), and which rows
the enhanced standard analysis excludes.  ``coding`` finds the positive and negative rows with
the engine's own rules (``row_statistics``, ``out_values``: what ``truth_table`` uses) without
building the table; ``solve_coding`` solves an analysis (``analysis.analyses.Analysis``) on
given memberships: it codes the truth table, finds the exclusions of the study's enhanced
standard analysis from the coding and its negation's (``analysis.enhanced.exclusion_codes``),
and returns the models of the three solutions, minimising only a coding not seen before in this
process (a new coding is first checked against the engine's ``truth_table``, then ``solve``d).
Fits are not kept: a caller computes them on its own memberships.

>>> import pandas as pd
>>> from analysis.analyses import Analysis, Cuts
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1], "Y": [0.9, 0.9, 0.3, 0.2]},
...                     index=["p", "q", "r", "s"])
>>> a = Analysis("Y", "Y", False, ("A", "B"), Cuts(0.8), (1, 1))
>>> solved = solve_coding(a, data)
>>> [str(m) for m in solved.models["parsimonious"]], solved.error
(['A'], '')
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .errors import StudyError
from .enhanced import exclusion_codes, exclusions, labels
from .qca import Model, QCAError, Solution, Solutions, solve, sufficiency
from .qca.cuts import CONTRADICTION, NEGATIVE, POSITIVE, out_values
from .qca.mv_remainders import codes_of
from .qca.rows import case_codes
from .qca.sets import models_membership, outcome_membership
from .qca.truthtable import row_memberships, row_statistics
from .qca.truthtable_type import TruthTable

__all__ = ["Solved", "coding", "coding_statistics", "split_out", "observed_rows", "binary_rows", "checked_truth_table", "solve_coding", "multivalue"]

_CACHE: dict = {}
_CACHE_LIMIT = 50_000
_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Solved:
    """The models of an analysis' solutions on one coding (no fits), or why there are none.

    ``models``: {"complex": (Model, ...), "parsimonious": (...), "intermediate": ((label,
    (Model, ...)), ...)}; ``key``: the coding (analysis, positive, negative and excluded rows)."""

    models: dict
    error: str
    key: tuple

    def chosen(self, kind: str) -> tuple:
        """The tied models of one solution (every intermediate block's, each model once)."""
        if self.error:
            return ()
        if kind != "intermediate":
            return tuple(self.models[kind])
        seen, out = set(), []
        for _, models in self.models["intermediate"]:
            for m in models:
                if m.key not in seen:
                    seen.add(m.key)
                    out.append(m)
        return tuple(out)

    def document(self, columns=None, y=None, fitted=(), member=None) -> dict:
        """The solutions as the claims ledger reads them (``analysis.claims``): the models of every
        solution, or ``{"error": why}``; with the memberships ``columns`` ({condition: array}) and
        the outcome ``y``, the solutions named in ``fitted`` carry every model's fit (inclS, PRI,
        covS) on them.  ``member``: the cases' membership in a list of models, when the caller
        has a faster ``models_membership`` of ``columns`` (``analysis.literals``)."""
        if self.error:
            return {"error": self.error}
        member = member or (lambda models: models_membership(columns, models, len(y)))

        def block(models, kind):
            if kind not in fitted:
                return {"models": [[str(t) for t in m.terms] for m in models]}
            return {"fits": [{"model": [str(t) for t in m.terms], **sufficiency(member([m]), y).to_dict()}
                             for m in models]}
        k = self.models
        return {"solutions": {"complex": block(k["complex"], "complex"),
                              "parsimonious": block(k["parsimonious"], "parsimonious"),
                              "intermediate": [{"label": label, **block(models, "intermediate")}
                                               for label, models in k["intermediate"]]}}


    def solutions(self, y=None, fitted=(), member=None):
        """``document``'s solutions as the engine's ``Solutions``, kept in memory (what
        ``analysis.claims.claim_status`` reads from a document, without writing and parsing it):
        the solutions named in ``fitted`` carry every model's fit, ``sufficiency(member([m]), y)``;
        ``document()`` itself when there is no solution (its ``error``)."""
        if self.error:
            return self.document()

        def block(models, kind, label=""):
            if kind in fitted:
                models = [Model(terms=m.terms, fit=sufficiency(member([m]), y)) for m in models]
            return Solution(kind=kind, models=tuple(models), label=label)
        k = self.models
        return Solutions(complex=block(k["complex"], "complex"), parsimonious=block(k["parsimonious"], "parsimonious"),
                         intermediate=tuple(block(ms, "intermediate", label) for label, ms in k["intermediate"]))


def coding(x: np.ndarray, y: np.ndarray, incl_cut, pri_cut, n_cut, rows=None) -> tuple:
    """(positive, negative) row codes of the truth table of ``x`` (cases x conditions) for ``y``,
    by the engine's own rules, without building the table.  ``rows``: ``(codes, row
    memberships)`` of ``x`` (``observed_rows``), when several outcomes share the conditions."""
    return coding_statistics(x, y, incl_cut, pri_cut, n_cut, rows)[1:]


def coding_statistics(x: np.ndarray, y: np.ndarray, incl_cut, pri_cut, n_cut, rows=None) -> tuple:
    """``(codes, n, incl, PRI, OUT)`` of the observed rows, then the positive and negative row
    codes (``coding``): what ``analysis.coded.coded_table`` builds a truth table from."""
    codes, rm = rows if rows is not None else (np.unique(case_codes(x)), None)
    n, incl, pri = row_statistics(x, y, codes, rm)
    out = np.array(out_values(n, incl, pri, incl_cut, pri_cut, n_cut))
    return (codes, n, incl, pri, out), *split_out(codes, out)


def split_out(codes, out) -> tuple:
    """(positive, negative) row codes of a coding from its rows' ``codes`` and ``OUT`` values
    (``out_values``): a contradiction (C) is not positive, so it counts as negative, as
    ``minimize`` reads it.

    >>> split_out(np.array([0, 1, 3]), np.array(["1", "C", "0"]))
    (array([0]), array([1, 3]))
    """
    return (np.array(codes[out == POSITIVE], dtype=np.int64),
            np.array(codes[(out == NEGATIVE) | (out == CONTRADICTION)], dtype=np.int64))


def multivalue(x: np.ndarray) -> bool:
    """Whether a condition of ``x`` (cases x conditions) is multi-value: values beyond 1 (R's rule,
    ``analysis.qca.mv_rows``; memberships are checked in [0, 1] elsewhere)."""
    return bool(x.size) and bool(np.nanmax(x) > 1)


def observed_rows(x: np.ndarray) -> tuple:
    """The observed rows of ``x`` (codes) and every case's membership in them, for ``coding``
    ((None, None) for multi-value conditions: their truth table is the engine's, ``solve_coding``)."""
    return (None, None) if multivalue(x) else binary_rows(x)


def binary_rows(x: np.ndarray) -> tuple:
    """``observed_rows`` of binary conditions (every value at most 1: the caller knows)."""
    cases = case_codes(x)
    codes = np.flatnonzero(np.bincount(cases, minlength=1)) if x.shape[1] <= 16 else np.unique(cases)
    return codes, row_memberships(x, codes, x.shape[1])


def checked_truth_table(analysis, data, coded) -> TruthTable:
    """The engine's truth table of ``data`` for ``analysis``, checked to have the coding
    ``coded`` (positive, negative row codes as bytes) that ``coding`` found without building it."""
    tt = analysis.truth_table(data)
    if (tt.positive.tobytes(), tt.negative.tobytes()) != tuple(coded):
        raise StudyError("internal error: the coding of a truth table found by codings.coding differs from "
                       "truth_table's")
    return tt


def coding_key(analysis, positive, negative, excluded) -> tuple:
    """What a solution depends on: the analysis (its outcome, conditions and directional
    expectations) and its coding (positive, negative and excluded row codes, as bytes)."""
    return (analysis.label, analysis.conditions, positive.tobytes(), negative.tobytes(), excluded.tobytes(),
            analysis.dir_exp)


def solved_of(run, key) -> Solved:
    """The ``Solved`` of ``run()``, the engine's ``solve`` (no fits) of one coding: its models, or
    why there are none (the engine's refusal, or an undefined solution)."""
    try:
        sols = run()
    except QCAError as e:
        return Solved(models={}, error=" ".join(str(e).split()), key=key)
    if sols.undefined:
        return Solved(models={}, error=" ".join(next(iter(sols.undefined.values())).split()), key=key)
    return Solved(models={"complex": tuple(sols.complex.models), "parsimonious": tuple(sols.parsimonious.models),
                          "intermediate": tuple((b.label, tuple(b.models)) for b in sols.intermediate)},
                  error="", key=key)


def _solve(analysis, data, key, excluded=None) -> Solved:
    tt = checked_truth_table(analysis, data, key[2:4])
    if excluded is None:
        excluded = labels(np.frombuffer(key[4], dtype=np.int64), tt.k)
    return solved_of(lambda: solve(tt, list(analysis.dir_exp), fits=False, exclude=excluded or None), key)


def solve_coding(analysis, data, x: np.ndarray | None = None, y: np.ndarray | None = None, rows=None) -> Solved:
    """The models of ``analysis`` on the memberships ``data`` (one row per case), minimised once
    per coding in this process (module docstring).  ``x`` (cases x the analysis' conditions),
    ``y`` (the outcome, negated for a negated outcome) and ``rows`` (``observed_rows(x)``) may be
    given when the caller has them; ``data`` may then be a function that returns the memberships
    (they are needed only for a coding not seen before)."""
    frame = data if not callable(data) else None
    if x is None:
        x = frame[list(analysis.conditions)].to_numpy(dtype=float)
    if y is None:
        y = outcome_membership(frame, analysis.outcome, analysis.neg_out)
    if multivalue(x):
        return _solve_multivalue(analysis, frame if frame is not None else data())
    cuts = (analysis.cuts.incl, analysis.cuts.pri, analysis.cuts.n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pos, neg = coding(x, y, *cuts, rows=rows)
        excluded = exclusion_codes(analysis.esa, analysis.conditions, x, y, (pos, neg),
                                   coding(x, 1 - y, *cuts, rows=rows), analysis.necessity) \
            if analysis.esa.applies else _NONE
        key = coding_key(analysis, pos, neg, excluded)
        solved = _CACHE.get(key)
        if solved is None:
            solved = _solve(analysis, data() if callable(data) else frame, key)
            if len(_CACHE) < _CACHE_LIMIT:
                _CACHE[key] = solved
    return solved


def _solve_multivalue(analysis, frame) -> Solved:
    """``solve_coding`` for multi-value conditions: the coding and the enhanced standard analysis'
    exclusions read off the engine's truth table (``analysis.qca.mv_rows``, ``esa``), minimised
    once per coding as for binary ones."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tt = analysis.truth_table(frame)
        excluded = exclusions(analysis.esa, tt, analysis.necessity)["row"].tolist()
        key = coding_key(analysis, tt.positive, tt.negative, codes_of(excluded, tt))
        solved = _CACHE.get(key)
        if solved is None:
            solved = _solve(analysis, frame, key, excluded)
            if len(_CACHE) < _CACHE_LIMIT:
                _CACHE[key] = solved
    return solved
