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
from ..coded import NONE, cache_size, solve_key
from ..enhanced import exclusion_codes, outcomes_necessary_literals
from ..qca.cuts import out_codes
from ..qca.truthtable import outcomes_row_statistics

__all__ = ["solve_specification"]


def solve_specification(analyses, x: np.ndarray, ys: np.ndarray, rows, known=None, tag=()) -> list:
    """``solve_coded`` of every one of ``analyses`` (binary conditions, the same conditions and
    cut-offs: one specification's) at once: ``ys`` holds their outcomes (one line each, negated
    for a negated outcome), ``rows`` is ``observed_rows(x)``.  The truth tables of the outcomes and
    of their negations are coded in one pass (``outcomes_row_statistics``, ``out_codes``), the
    literals necessary for each outcome found in another (``outcomes_necessary_literals``); the
    codings, and so the ``Solved``, are those ``solve_coded`` finds one analysis at a time.

    ``known``: a dict (the caller's) of the ``Solved`` by what decides it before the exclusions
    are looked for: the list of ``analyses`` (``tag``, the caller's name for it: it is the same
    list whenever the tag is), the analysis, the observed rows, the ``OUT``
    codes of its outcome and of the negation (its coding, the negation's, and whether a row
    reaches n_cut) and the literals found necessary (the exclusions' other input).  A coding met
    again then costs a look-up instead of the exclusions' and the coding's keys.  The look-ups
    point into ``analysis.coded``'s cache and are emptied with it."""
    codes, rm = rows
    first = analyses[0]
    cuts = (first.cuts.incl, first.cuts.pri, first.cuts.n)
    ys = np.ascontiguousarray(ys, dtype=float)
    known = {} if known is None else known
    if known and not cache_size():
        known.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n, incl, pri = outcomes_row_statistics(rm, np.vstack([ys, 1 - ys]))
        out = out_codes(n, incl, pri, *cuts)
        found = _found(analyses, x, ys)
        solved, m, rows_key = [], len(analyses), codes.tobytes()
        for i, a in enumerate(analyses):
            before = (tag, i, rows_key, out[i].tobytes(), out[m + i].tobytes(), found[i])
            s = known.get(before)
            if s is None:
                pos, neg = split_out(codes, out[i])
                excluded = exclusion_codes(a.esa, a.conditions, x, ys[i], (pos, neg), split_out(codes, out[m + i]),
                                           a.necessity, found[i]) if a.esa.applies and len(pos) else NONE
                s = solve_key(a, (codes, n, incl[i], pri[i], out[i]), coding_key(a, pos, neg, excluded))
                if len(known) >= KNOWN_LIMIT:
                    known.clear()
                known[before] = s
            solved.append(s)
    return solved


KNOWN_LIMIT = 50_000


def _found(analyses, x, ys) -> list:
    """The literals necessary for each analysis' outcome, as a tuple, at its necessity cut-offs
    (None where its settings name them or it has no enhanced standard analysis): what
    ``exclusion_codes`` would find itself, each group of analyses with the same cut-offs in one
    pass (``outcomes_necessary_literals``: the sums of ``necessary_literals``, line by line)."""
    wanted = [a.esa.applies and a.esa.necessary is None for a in analyses]
    found = [None] * len(analyses)
    for nec in dict.fromkeys(a.necessity for a, w in zip(analyses, wanted) if w):
        lines = [i for i, (a, w) in enumerate(zip(analyses, wanted)) if w and a.necessity == nec]
        for i, f in zip(lines, outcomes_necessary_literals(x, ys[lines], analyses[0].conditions, *nec)):
            found[i] = tuple(f)
    return found
