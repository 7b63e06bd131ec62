"""The analyses of one multiverse specification solved together from their truth tables' codings.

The multiverse solves the same analyses on hundreds of thousands of specifications whose truth
tables share a few thousand *codings* (positive, negative and excluded rows: ``analysis.codings``).
``solve_specification`` codes every analysis of one specification (and each negation, for the
enhanced standard analysis) in one pass, and solves each coding with ``analysis.coded`` (the
truth table built from the coding, once per coding in this process): the ``Solved`` that
``analysis.coded.solve_coded`` gives one analysis at a time.
"""
from __future__ import annotations

import warnings

import numpy as np

from ..codings import coding_key, split_out
from ..bounded import make_room
from ..coded import NONE, cache_size, solve_key
from ..enhanced import exclusion_codes, literal_names, necessary_mask
from ..qca.cuts import OUT, out_index
from ..qca.truthtable import outcomes_row_statistics

__all__ = ["solve_specification"]


def solve_specification(analyses, x: np.ndarray, ys: np.ndarray, rows, known=None, tag=()) -> list:
    """``solve_coded`` of every one of ``analyses`` (binary conditions, the same conditions and
    cut-offs: one specification's) at once: ``ys`` holds their outcomes (one line each, negated
    for a negated outcome), ``rows`` is ``observed_rows(x)``.  The truth tables of the outcomes and
    of their negations are coded in one pass (``outcomes_row_statistics``, ``out_index``), the
    literals necessary for each outcome found in another (``necessary_mask``); the codings, and
    so the ``Solved``, are those ``solve_coded`` finds one analysis at a time.

    ``known``: a dict (the caller's) of the ``Solved`` by what decides it before the exclusions
    are looked for: the list of ``analyses`` (``tag``, the caller's name for it: it is the same
    list whenever the tag is), the analysis, the ``OUT`` values of its outcome's rows and of the
    negation's (``_lines``: its coding, the negation's, and whether a row reaches n_cut) and the
    literals found necessary (the exclusions' other input, as the bytes of
    its line of ``necessary_mask``).  A coding met again then costs a look-up instead of the
    exclusions' and the coding's keys.  The look-ups point into ``analysis.coded``'s cache and
    are emptied with it."""
    codes, rm = rows
    first = analyses[0]
    cuts = (first.cuts.incl, first.cuts.pri, first.cuts.n)
    ys = np.ascontiguousarray(ys, dtype=float)
    known = {} if known is None else known
    if known and not cache_size():
        known.clear()
    n, incl, pri, out = _coded(rm, np.concatenate((ys, 1 - ys)), cuts)
    found = _found(analyses, x, ys, tag)
    solved, m, rows_key = [], len(analyses), codes.tobytes()
    for i, a in enumerate(analyses):
        line = found[i]
        before = (tag, i, rows_key, out[i].tobytes(), out[m + i].tobytes(), None if line is None else line.tobytes())
        s = known.get(before)
        if s is None:
            s = known.get(before + (cuts,))
        if s is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                own, negation = OUT[out[i]], OUT[out[m + i]]
                pos, neg = split_out(codes, own)
                nec = None if line is None else tuple(literal_names(a.conditions)[j] for j in np.flatnonzero(line))
                excluded = exclusion_codes(a.esa, a.conditions, x, ys[i], (pos, neg), split_out(codes, negation),
                                           a.necessity, nec) if a.esa.applies and len(pos) else NONE
                s = solve_key(a, (codes, n, incl[i], pri[i], own), coding_key(a, pos, neg, excluded))
            make_room(known, KNOWN_LIMIT)
            known[before + ((cuts,) if s.error else ())] = s
        solved.append(s)
    return solved


KNOWN_LIMIT = 50_000


def _coded(rm, lines, cuts) -> tuple:
    """``outcomes_row_statistics`` and ``out_index`` of the outcomes ``lines``, each distinct line
    computed once (a negated outcome's line, 1 - Y, is also the negation's line of Y): the same
    values, each line's its own."""
    first: dict = {}
    copy = [first.setdefault(line.tobytes(), j) for j, line in enumerate(lines)]
    if len(first) == len(lines):
        n, incl, pri = outcomes_row_statistics(rm, lines)
        return n, incl, pri, out_index(n, incl, pri, *cuts)
    distinct = list(first.values())
    n, incl, pri = outcomes_row_statistics(rm, lines[distinct])
    out = out_index(n, incl, pri, *cuts)
    back = np.array([distinct.index(j) for j in copy])
    return n, incl[back], pri[back], out[back]
_GROUPS: dict = {}                # tag -> _groups of its analyses


def _groups(analyses) -> list:
    """The analyses whose literals ``_found`` finds, grouped by their necessity cut-offs:
    [(cut-offs, their positions, or None for every analysis)]."""
    wanted = [a.esa.applies and a.esa.necessary is None for a in analyses]
    out = []
    for nec in dict.fromkeys(a.necessity for a, w in zip(analyses, wanted) if w):
        lines = [i for i, (a, w) in enumerate(zip(analyses, wanted)) if w and a.necessity == nec]
        out.append((nec, None if len(lines) == len(analyses) else lines))
    return out


def _found(analyses, x, ys, tag=()) -> list:
    """The literals necessary for each analysis' outcome at its necessity cut-offs, as its line of
    ``necessary_mask`` (None where its settings name them or it has no enhanced standard
    analysis): what ``exclusion_codes`` would find itself, each group of analyses with the same
    cut-offs in one pass (the sums of ``necessary_literals``, line by line).  The groups are
    made once per ``tag`` (``solve_specification``)."""
    groups = _GROUPS.get(tag) if tag else None
    if groups is None:
        groups = _groups(analyses)
        if tag:
            make_room(_GROUPS, KNOWN_LIMIT)
            _GROUPS[tag] = groups
    found = [None] * len(analyses)
    for nec, lines in groups:
        mask = necessary_mask(x, ys if lines is None else ys[lines], *nec)
        for i, row in zip(range(len(analyses)) if lines is None else lines, mask):
            found[i] = row
    return found
