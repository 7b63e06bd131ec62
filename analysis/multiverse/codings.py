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
from ..coded import NONE, solve_key
from ..enhanced import exclusion_codes, outcomes_necessary_literals
from ..qca.cuts import out_codes
from ..qca.truthtable import outcomes_row_statistics

__all__ = ["solve_specification"]


def solve_specification(analyses, x: np.ndarray, ys: np.ndarray, rows) -> list:
    """``solve_coded`` of every one of ``analyses`` (binary conditions, the same conditions and
    cut-offs: one specification's) at once: ``ys`` holds their outcomes (one line each, negated
    for a negated outcome), ``rows`` is ``observed_rows(x)``.  The truth tables of the outcomes and
    of their negations are coded in one pass (``outcomes_row_statistics``, ``out_codes``), the
    literals necessary for each outcome found in another (``outcomes_necessary_literals``); the
    codings, and so the ``Solved``, are those ``solve_coded`` finds one analysis at a time."""
    codes, rm = rows
    first = analyses[0]
    cuts = (first.cuts.incl, first.cuts.pri, first.cuts.n)
    ys = np.ascontiguousarray(ys, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n, incl, pri = outcomes_row_statistics(rm, np.vstack([ys, 1 - ys]))
        out = out_codes(n, incl, pri, *cuts)
        found = _found(analyses, x, ys)
        solved, m = [], len(analyses)
        for i, a in enumerate(analyses):
            pos, neg = split_out(codes, out[i])
            excluded = exclusion_codes(a.esa, a.conditions, x, ys[i], (pos, neg), split_out(codes, out[m + i]),
                                       a.necessity, found[i]) if a.esa.applies and len(pos) else NONE
            solved.append(solve_key(a, (codes, n, incl[i], pri[i], out[i]), coding_key(a, pos, neg, excluded)))
    return solved


def _found(analyses, x, ys) -> list:
    """The literals necessary for each analysis' outcome (None where its settings name them, or
    at other necessity cut-offs than the first analysis')."""
    wanted = [a.esa.applies and a.esa.necessary is None for a in analyses]
    nec = next((a.necessity for a, w in zip(analyses, wanted) if w), None)
    if nec is None:
        return [None] * len(analyses)
    found = outcomes_necessary_literals(x, ys, analyses[0].conditions, *nec)
    return [f if w and a.necessity == nec else None for a, w, f in zip(analyses, wanted, found)]
