"""An analysis (binary conditions) solved from its truth table's coding, the table built from
the coding: what the robustness sweep and the multiverse repeat thousands of times.

This is ``analysis.codings.solve_coding`` for binary conditions with two differences:

* the truth table a new coding is solved on is built from the numbers the coding was found with
  (``row_statistics``, ``out_values``: the engine's own rules, once) as numpy arrays, instead of
  running the engine's ``truth_table`` on a pandas frame of memberships again (validation,
  frame indexing and one dict per row: 60 % of the time of a new coding);
* codings that ``solve`` cannot tell apart share one solve: without a positive row its refusal
  depends only on the analysis, its cut-offs and whether a row reaches n_cut
  (``_nothing_to_explain``; the exclusions of the enhanced standard analysis, which could not
  change it, are then not looked for: a third of PPIP's multiverse analyses); otherwise it
  reads the positive rows less the excluded and the negative rows with the excluded
  (``_solved_rows``).

The models depend only on the coding (``minimize``, ``intermediate`` read the positive and
negative rows, ``n`` for the message of an undefined solution, the conditions and cut-offs), so
the result is the one ``analysis.codings.solve_coding`` gives: ``tests/test_multiverse_speedpath``
compares both on hundreds of specifications, and the table built here with the engine's.  A
multi-value condition (``analysis.qca.mv_rows``) takes ``analysis.codings.solve_coding``.
The multiverse codes a specification's analyses together (``analysis.multiverse.codings``);
the robustness sweep one run at a time (``analysis.robustness.sweep``).

>>> import numpy as np
>>> from analysis.analyses import Analysis, Cuts
>>> x = np.array([[0.9, 0.2], [0.8, 0.9], [0.2, 0.8], [0.1, 0.1]]); y = np.array([0.9, 0.9, 0.3, 0.2])
>>> a = Analysis("Y", "Y", False, ("A", "B"), Cuts(0.8), (1, 1))
>>> [str(m) for m in solve_coded(a, x, y).models["parsimonious"]]
['A']
"""
from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from .codings import Solved, coding, coding_key, coding_statistics, observed_rows, solved_of, split_out
from .bounded import make_room
from .enhanced import exclusion_codes
from .qca import solve
from .qca.cuts import NEGATIVE, check_cuts
from .qca.rows import row_bits, row_labels
from .qca.remainders import Exclusion
from .qca.truthtable_type import TruthTable

__all__ = ["NONE", "cache_size", "coded_table", "solve_coded", "solve_key"]

_CACHE: dict = {}
_CACHE_LIMIT = 50_000
NONE = np.zeros(0, dtype=np.int64)
_NO_DATA = pd.DataFrame()
EXCLUDED = "excluded by the user"   # the reason TruthTable.exclude records for a bare row label


class _CodedTable(TruthTable):
    """A ``TruthTable`` built from a coding: its positive and negative rows are numpy arrays set
    at construction (the excluded rows applied as ``TruthTable.exclude`` applies them), and its
    ``table`` is a pandas frame built only when read (``minimize`` reads ``n`` when no row is
    positive)."""

    @property
    def table(self) -> pd.DataFrame:
        if "_table" not in self.__dict__:
            codes, n, incl, pri, out = self.__dict__["_stats"]
            k = self.k
            bits = row_bits(codes, k).astype(np.int64)
            out = np.where(np.isin(codes, self.excluded_codes), NEGATIVE, np.asarray(out, dtype=object))
            empty = [[] for _ in codes]
            columns = {"code": np.asarray(codes, dtype=np.int64),
                       **{c: bits[:, j] for j, c in enumerate(self.conditions)},
                       "OUT": out, "n": np.asarray(n, dtype=np.int64), "incl": np.asarray(incl, dtype=float),
                       "PRI": np.asarray(pri, dtype=float), "cases": empty, "DCC": list(empty)}
            self.__dict__["_table"] = pd.DataFrame(columns, index=pd.Index(row_labels(codes, k), name="row"))
        return self.__dict__["_table"].copy(deep=False)


def coded_table(analysis, codes, n, incl, pri, out, excluded=NONE) -> TruthTable:
    """The truth table of ``analysis`` whose observed rows ``codes`` have the statistics ``n``,
    ``incl``, ``PRI`` and the ``OUT`` values ``out`` (``row_statistics``, ``out_values``), with
    the rows ``excluded`` (codes) kept out of the simplifying assumptions, as
    ``truth_table(...).exclude(labels)`` makes it: built with numpy (``_CodedTable``); it lists no
    cases and holds no memberships (nothing that solving reads)."""
    k = len(analysis.conditions)
    cuts, pri_cut, n_cut = check_cuts(analysis.cuts.incl, analysis.cuts.pri, analysis.cuts.n)
    out = np.asarray(out)
    excluded = np.asarray(excluded, dtype=np.int64)
    records = tuple(Exclusion(label, EXCLUDED) for label in row_labels(np.unique(excluded), k))
    tt = _CodedTable(rows=None, memberships=_NO_DATA, conditions=list(analysis.conditions),
                     outcome=analysis.outcome, neg_out=analysis.neg_out, incl_cut=cuts, pri_cut=pri_cut,
                     n_cut=n_cut, excluded=records)
    positive, negative = split_out(codes, out)
    positive, negative = _less(positive, excluded), _with(negative, excluded)
    positive.flags.writeable = negative.flags.writeable = False
    tt.__dict__.update(positive=positive, negative=negative, _stats=(codes, n, incl, pri, out))
    return tt


def _solve(analysis, stats, key) -> Solved:
    """``analysis.codings``' ``Solved`` of a new coding, solved on ``coded_table``."""
    return solved_of(lambda: solve(coded_table(analysis, *stats, np.frombuffer(key[4], dtype=np.int64)),
                                   list(analysis.dir_exp), fits=False), key)


def solve_coded(analysis, x: np.ndarray, y: np.ndarray, rows=None) -> Solved:
    """The models of ``analysis`` (binary conditions) on the memberships ``x`` (cases x its
    conditions) and ``y`` (the outcome, negated for a negated outcome), minimised once per coding
    in this process (module docstring).  ``rows``:
    ``observed_rows(x)`` when the caller has them.  The same ``Solved`` (and ``key``) as
    ``analysis.codings.solve_coding``."""
    rows = observed_rows(x) if rows is None else rows
    cuts = (analysis.cuts.incl, analysis.cuts.pri, analysis.cuts.n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats, pos, neg = coding_statistics(x, y, *cuts, rows)
        excluded = exclusion_codes(analysis.esa, analysis.conditions, x, y, (pos, neg),
                                   coding(x, 1 - y, *cuts, rows), analysis.necessity) \
            if analysis.esa.applies and len(pos) else NONE
        return solve_key(analysis, stats, coding_key(analysis, pos, neg, excluded))


def _nothing_to_explain(analysis, stats, key):
    """When no row is positive once the exclusions are applied, the engine's ``solve`` answers
    with its refusal (``minimize``: no row has OUT = 1, or none reaches n_cut), which depends only
    on the analysis, its cut-offs and whether some observed row reaches n_cut: the key of that
    answer, shared by every such coding; else None."""
    positive, excluded = (np.frombuffer(key[i], dtype=np.int64) for i in (2, 4))
    if len(positive) and not set(positive.tolist()).issubset(excluded.tolist()):
        return None
    reached = bool((np.asarray(stats[1]) >= analysis.cuts.n).any())
    return ("nothing to explain", key[0], key[1], key[5], analysis.cuts, reached)


def _solved_rows(key) -> tuple:
    """The key of what ``solve`` reads of a coding with positive rows: the analysis and the rows
    it minimises once the exclusions are applied (``coded_table``: positive rows less the
    excluded, negative rows and the excluded); the cut-offs enter only a refusal without
    positive rows (``_nothing_to_explain``).  Codings that differ only in whether a row not to be
    used is negative or excluded are solved once."""
    positive, negative, excluded = (np.frombuffer(key[i], dtype=np.int64) for i in (2, 3, 4))
    if not len(excluded):
        return None
    return ("rows", key[0], key[1], key[5], _less(positive, excluded).tobytes(), _with(negative, excluded).tobytes())


def _less(codes, out) -> np.ndarray:
    """``np.setdiff1d(codes, out)`` of row codes (int64), by Python sets (a coding holds a few
    rows): the sorted distinct codes of ``codes`` not in ``out``."""
    return np.array(sorted(set(codes.tolist()).difference(out.tolist())), dtype=np.int64)


def _with(codes, more) -> np.ndarray:
    """``np.union1d(codes, more)`` of row codes (int64), by Python sets: the sorted distinct codes
    of both."""
    return np.array(sorted(set(codes.tolist()).union(more.tolist())), dtype=np.int64)


def cache_size() -> int:
    """How many entries this process' cache of solved codings holds (0 once it is emptied)."""
    return len(_CACHE)


def solve_key(analysis, stats, key) -> Solved:
    """The ``Solved`` of coding ``key``: from this process' cache (by the coding, or by what
    ``solve`` reads of it: ``_nothing_to_explain``, ``_solved_rows``), or solved."""
    solved = _CACHE.get(key)
    if solved is not None:
        return solved
    refusal = _nothing_to_explain(analysis, stats, key)
    short = refusal or _solved_rows(key)
    solved = _CACHE.get(short) if short is not None else None
    if solved is None:
        solved = _solve(analysis, stats, key)
        if short is not None:
            make_room(_CACHE, _CACHE_LIMIT)
            _CACHE[short] = solved
    solved = solved if solved.key == key else replace(solved, key=key)
    make_room(_CACHE, _CACHE_LIMIT)
    _CACHE[key] = solved
    return solved
