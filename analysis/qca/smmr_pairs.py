"""Pairs of cases for a sufficient solution (comparative process tracing; Schneider & Rohlfing 2013;
Oana, Schneider & Thomann 2021, ch. 11), as SetMethods 4.0's ``matches.suf.*`` selects them.

A pair sets a typical case (``case1``) beside a case that differs from it in the term (or the
focal conjunct, FC) and in the outcome, and is alike in the rest:

- typical-typical per FC: two typical cases that differ most in the FC and in Y;
- typical-IIR per FC: a typical case and an individually irrelevant one (term < 0.5, Y < 0.5);
- typical-deviant consistency: per term, a typical case and a deviant one (X > 0.5, Y < 0.5);
- deviant coverage-IIR: a deviant coverage case and an IIR case of the same truth table row;
- typical-typical and typical-IIR per term.

``best`` is SetMethods' distance (lower is better), rounded to three decimals as SetMethods does
before it ranks.  ``smmr`` (``analysis.qca.casestudies``) is the public entry; ``PAIRS`` maps each case
type to its function ``(frame, term index, necessary literals, max_pairs) -> rows``.

>>> from analysis.qca import truth_table, solve
>>> from analysis.qca.datasets import load
>>> from analysis.qca.casestudies import model_frames
>>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
>>> frame = model_frames(solve(tt).parsimonious, tt)[0]
>>> [(r["case1"], r["case2"], r["best"]) for r in _typical_deviant_consistency(frame)][:2]
[('Switzerland_03', 'Australia_90', 0.84), ('Switzerland_99', 'Switzerland_90', 0.85)]
"""
from __future__ import annotations

import numpy as np

from .smmr_cases import _deviant_consistency, _focal_conjuncts, _tt_columns, _typical_table
from .smmr_frame import Frame, _order, _r3

__all__ = ["PAIRS"]


def _typical_typical_fc(f: Frame, k: int, necessary: frozenset, max_pairs: int) -> list:
    """SetMethods' ``matches.suf.typtyp``: per FC of term ``k``, pairs of typical cases.

    ``best = (0.5 - (FC1 - FC2)) + (0.5 - (Y1 - Y2)) + |cc1 - cc2| + 2 |Y1 - FC1| + 2 |Y2 - FC2|``
    (cc: minimum of the complementary conjuncts, 0 for a one-literal term), over the pairs whose
    first case is at least as typical for the term (``2 (Y - T) + (1 - T)``).  ``pair_rank``:
    1 when the FC is below cc in both cases, 2 in the first only, 3 in the second only, 4 in
    neither (for a necessary FC: at or above the complementary maximum).  Then the clean corridor,
    FC <= Y (>= Y for a necessary FC), unique coverage, ``best``.

    Notes
    -----
    Differences from SetMethods 4.0: whether an FC is necessary is decided on the literal
    ("~OCCUP" in ``nec_cond``), as in the table's title; SetMethods' ranking tests the condition
    without its tilde, so a negated FC is titled necessary but ranked as not, and the reverse
    (fix ``necessary_literal``).  For a necessary FC, ``fc_ge_y`` of the second case is its own;
    SetMethods sets ``FC>=Y1`` twice and never initialises ``FC>=Y2``, so the column takes the
    first pair's value for all pairs, or SetMethods stops (``fc_ge_y2``).  The complementary
    conjuncts are the other literals, not those whose name contains the FC's (``grep_conjuncts``).
    Fewer than two typical cases give no pairs (SetMethods stops: ``no_pairs``).
    """
    typ = _typical_table(f)
    unique = {r["case"]: r["uniquely_covered"] for rows in typ.values() for r in rows}
    most_term = {r["case"] for r in typ[f.names[k]] if r["most_typical"]}
    out = []
    for fc in _focal_conjuncts(f, k):
        nec, ty = fc.literal in necessary, fc.typical(f.y)
        if not len(ty):
            continue
        x, y, t, low, high = fc.x, f.y, fc.term, fc.min_cc, fc.max_cc
        most_fc = _most_typical_fc(fc, f.y)
        clean = fc.clean_high if nec else fc.clean_low
        typical_score = 2 * (y - t) + (1 - t)
        rows = []
        for j in ty:
            for i in ty:
                s = (0.5 - (x[i] - x[j])) + (0.5 - (y[i] - y[j])) + abs(low[i] - low[j]) + 2 * abs(y[i] - x[i]) + \
                    2 * abs(y[j] - x[j])
                rank = _rank4(x[i] >= high[i], x[j] >= high[j]) if nec else _rank4(x[i] < low[i], x[j] < low[j])
                rows.append({"_i": i, "_j": j, "best": _r3(s), "pair_rank": rank,
                             "_first": bool(typical_score[i] <= typical_score[j]),
                             "_u1": unique[f.cases[i]], "_u2": unique[f.cases[j]]})
        rows = _order(rows, "-_first", "pair_rank", "-_u1", "-_u2", "best")
        rows = [r for r in rows if r["_first"] and r["_i"] != r["_j"]]
        for r in rows:
            i, j = r["_i"], r["_j"]
            r.update(_f1=bool(x[i] >= y[i] if nec else x[i] <= y[i]), _f2=bool(x[j] >= y[j] if nec else x[j] <= y[j]),
                     _cc=2 * int(clean[i]) + int(clean[j]), _rank=0 if fc.single else r["pair_rank"])
        rows = _order(rows, "_rank", "-_cc", "-_f1", "-_f2", "-_u1", "-_u2", "best")[:max_pairs]
        for r in rows:
            i, j = r["_i"], r["_j"]
            r.update(term=f.names[k], focal=fc.literal, necessary_fc=nec, case1=f.cases[i], case2=f.cases[j],
                     pair_rank=None if fc.single else r["pair_rank"],
                     clean_corridor=_both(clean[i], clean[j], "typ1", "typ2"),
                     uniquely_covered=_both(r["_u1"], r["_u2"], "typ1", "typ2"),
                     most_typical_fc=_both(i in most_fc, j in most_fc, "typ1", "typ2"),
                     most_typical_term=_both(f.cases[i] in most_term, f.cases[j] in most_term, "typ1", "typ2"),
                     **{"fc_ge_y" if nec else "fc_le_y": _both(r["_f1"], r["_f2"], "typ1", "typ2")})
        out += rows
    return out


def _typical_iir_fc(f: Frame, k: int, necessary: frozenset, max_pairs: int) -> list:
    """SetMethods' ``matches.suf.typiir``: per FC of term ``k``, a typical case and an individually
    irrelevant one (term < 0.5, Y < 0.5).

    ``best = (1 - (FC1 - FC2)) + (1 - (Y1 - Y2)) + |cc1 - cc2| + 2 |Y1 - FC1| + |Y2 - FC2|``;
    ``pair_rank`` 1 to 8 by where FC and cc of each case lie (SetMethods' ``aux.ff``; for a
    necessary FC against the complementary maximum); then the clean corridor of both, FC <= Y
    (>= Y) of the typical case, its unique coverage, FC <= Y of the IIR case, the IIR case
    outside the solution (``globally_uncovered``), ``best``, most typical for the FC and term.

    Notes
    -----
    Whether an FC is necessary is decided on the literal and the complementary conjuncts are the
    other literals, as in ``_typical_typical_fc`` (fixes ``necessary_literal``, ``grep_conjuncts``).
    """
    typ = _typical_table(f)
    unique = {r["case"]: r["uniquely_covered"] for rows in typ.values() for r in rows}
    most_term = {r["case"] for r in typ[f.names[k]] if r["most_typical"]}
    out = []
    for fc in _focal_conjuncts(f, k):
        nec, ty = fc.literal in necessary, fc.typical(f.y)
        irrelevant = np.flatnonzero((fc.term < 0.5) & (f.y < 0.5))
        if not len(ty) or not len(irrelevant):
            continue
        x, y, low, high = fc.x, f.y, fc.min_cc, fc.max_cc
        most_fc = _most_typical_fc(fc, f.y)
        clean = fc.clean_high if nec else fc.clean_low
        i, j = _pairs(ty, irrelevant)
        s = (1 - (x[i] - x[j])) + (1 - (y[i] - y[j])) + np.abs(low[i] - low[j]) + 2 * np.abs(y[i] - x[i]) + \
            np.abs(y[j] - x[j])
        rank = _ranks8_necessary(x[i], high[i], x[j], high[j]) if nec else _ranks8(x[i], low[i], x[j], low[j])
        u = np.array([unique[c] for c in f.cases[i]], dtype=bool)
        g = f.sol[j] < 0.5
        f1, f2 = (x[i] >= y[i], x[j] >= y[j]) if nec else (x[i] <= y[i], x[j] <= y[j])
        cc = 2 * clean[i].astype(int) + clean[j].astype(int)
        mfc = np.isin(i, sorted(most_fc))
        mterm = np.array([c in most_term for c in f.cases[i]], dtype=bool)
        best = np.round(s, 3)
        last = ((0 * rank if fc.single else rank), -cc, ~f1, ~u, ~f2, ~g, best, ~mfc, ~mterm)   # SetMethods' last order,
        top = _first(max_pairs, *last, rank, ~f1, ~u, ~f2, ~g, best)                          # ties by the one before
        for p in top:
            a, b = i[p], j[p]
            out.append({"_i": a, "_j": b, "best": _r3(s[p]), "pair_rank": None if fc.single else int(rank[p]),
                        "_u": bool(u[p]), "_g": bool(g[p]), "_f1": bool(f1[p]), "_f2": bool(f2[p]),
                        "_rank": 0 if fc.single else int(rank[p]), "_cc": int(cc[p]), "_mfc": bool(mfc[p]),
                        "_mterm": bool(mterm[p]), "term": f.names[k], "focal": fc.literal, "necessary_fc": nec,
                        "case1": f.cases[a], "case2": f.cases[b], "clean_corridor": _both(clean[a], clean[b]),
                        "uniquely_covered": bool(u[p]), "globally_uncovered": bool(g[p]),
                        "most_typical_fc": bool(mfc[p]), "most_typical_term": bool(mterm[p]),
                        "fc_ge_y" if nec else "fc_le_y": _both(f1[p], f2[p])})
    return out


def _typical_deviant_consistency(f: Frame, k=None, necessary=frozenset(), max_pairs: int = 5) -> list:
    """SetMethods' ``matches.suf.typdcn``: per term, a typical case and a deviant consistency case,
    by ``best = |X1 - X2| + (1 - (Y1 - Y2)) + (1 - X1) + (1 - X2)``, then the most typical case of
    the term, the most deviant one."""
    typ = _typical_table(f)
    deviant = _deviant_consistency(f)
    out = []
    for name, x in zip(f.names, f.x):
        y = f.y
        ty = np.flatnonzero((x > 0.5) & (y > 0.5) & (x <= y))
        dc = np.flatnonzero((x > 0.5) & (y < 0.5))
        most_term = {r["case"] for r in typ[name] if r["most_typical"]}
        most_dc = {r["case"] for r in deviant if r["term"] == name and r["most_deviant_consistency"]}
        rows = [{"_s": abs(x[i] - x[j]) + (1 - (y[i] - y[j])) + (1 - x[i]) + (1 - x[j]), "term": name,
                 "case1": f.cases[i], "case2": f.cases[j]} for j in dc for i in ty]
        rows = _order(rows, "_s")
        for r in rows:
            r.update(best=_r3(r["_s"]), most_typical_term=r["case1"] in most_term,
                     most_deviant_consistency=r["case2"] in most_dc)
        out += _order(rows, "best", "-most_typical_term", "-most_deviant_consistency")[:max_pairs]
    return out


def _deviant_coverage_iir(f: Frame, k=None, necessary=frozenset(), max_pairs: int = 5) -> list:
    """SetMethods' ``matches.suf.dcviir``: a deviant coverage case (solution < 0.5, Y > 0.5) and an
    IIR case (solution < 0.5, Y < 0.5) of the same truth table row (memberships rounded), by row;
    within a row the pairs whose deviant case has T <= Y first (T: its membership in the row),
    then ``best = |T1 - T2| + (1 - (Y1 - Y2)) + (1 - T1) + (1 - T2)``; ``max_pairs`` per row.

    Notes
    -----
    Without a pair in the same row there are no rows; SetMethods stops with an error there
    (fix ``no_pairs``).
    """
    c = f.cond.to_numpy(dtype=float)
    w = np.where(c <= 0.5, 1 - c, c).min(axis=1)
    crisp = np.round(c)
    label = ["".join(str(int(v)) for v in row) for row in crisp]
    y = f.y
    dcov = np.flatnonzero((f.sol < 0.5) & (y > 0.5))
    iir = np.flatnonzero((f.sol < 0.5) & (y < 0.5))
    rows = [{"_s": abs(w[i] - w[j]) + (1 - (y[i] - y[j])) + (1 - w[i]) + (1 - w[j]), "_row": label[i],
             "term": f.expression, "case1": f.cases[i], "case2": f.cases[j], **_tt_columns(f, crisp[i]),
             "tt_le_y": bool(w[i] <= y[i])} for j in iir for i in dcov if label[i] == label[j]]
    rows = _order(_order(rows, "case1"), "_row")
    out = []
    for row in sorted({r["_row"] for r in rows}):
        out += _order([r for r in rows if r["_row"] == row], "-tt_le_y", "_s")[:max_pairs]
    for r in out:
        r["best"] = _r3(r["_s"])
    return out


def _typical_typical(f: Frame, k=None, necessary=frozenset(), max_pairs: int = 5) -> list:
    """SetMethods' ``matches.suf.typtypnfc``: per term, two typical cases, the first at least as
    typical (``2 (Y - X) + (1 - X)``), by unique coverage of each, then
    ``best = (0.5 - (X1 - X2)) + (0.5 - (Y1 - Y2)) + 2 |Y1 - X1| + 2 |Y2 - X2|``, then most typical.

    Notes
    -----
    Differences from SetMethods 4.0: the pairs left after keeping those whose first case is the
    more typical are ordered by their own distances; SetMethods orders them by the distances of
    all pairs (``R[order(s), ]`` on the shorter table), which adds empty (NA) pairs, shown
    among the ``max_pairs``, and mixes up ties (fix ``nfc_order``).  ``most_typical`` marks the
    most typical cases of this term; SetMethods marks the cases most typical for any term of the
    model (``nfc_most_typical``).  A term with fewer than two typical cases gives no pairs
    (SetMethods stops with an error, ``no_pairs``).
    """
    typ = _typical_table(f)
    unique = {r["case"]: r["uniquely_covered"] for rows in typ.values() for r in rows}
    out = []
    for name, x in zip(f.names, f.x):
        y = f.y
        ty = np.flatnonzero((x > 0.5) & (y > 0.5) & (x <= y))
        score = 2 * (y - x) + (1 - x)
        most = {r["case"] for r in typ[name] if r["most_typical"]}
        rows = [{"_s": (0.5 - (x[i] - x[j])) + (0.5 - (y[i] - y[j])) + 2 * abs(y[i] - x[i]) + 2 * abs(y[j] - x[j]),
                 "term": name, "case1": f.cases[i], "case2": f.cases[j]}
                for j in ty for i in ty if score[i] <= score[j] and i != j]
        rows = _order(rows, "_s")
        for r in rows:
            r.update(best=_r3(r["_s"]), _u1=unique[r["case1"]], _u2=unique[r["case2"]], _m1=r["case1"] in most,
                     _m2=r["case2"] in most)
        rows = _order(rows, "-_u1", "-_u2", "best", "-_m1", "-_m2")[:max_pairs]
        for r in rows:
            r.update(uniquely_covered=_both(r["_u1"], r["_u2"], "typ1", "typ2"),
                     most_typical=_both(r["_m1"], r["_m2"], "typ1", "typ2"))
        out += rows
    return out


def _typical_iir(f: Frame, k=None, necessary=frozenset(), max_pairs: int = 5) -> list:
    """SetMethods' ``matches.suf.typiirnfc``: per term, a typical case and an IIR case (X < 0.5,
    Y < 0.5): the typical case uniquely covered, the IIR case with X <= Y (``consistent_iir``),
    outside the solution (``globally_uncovered``), then
    ``best = (1 - (X1 - X2)) + (1 - (Y1 - Y2)) + 2 |Y1 - X1| + 2 |Y2 - X2|``, most typical.

    Notes
    -----
    Differences from SetMethods 4.0: ``globally_uncovered`` is the IIR case's own (solution
    membership below 0.5); SetMethods indexes the cases by the factor ``R$IIR``, i.e. by its
    level numbers, and so reads the solution membership of the first cases of the data instead
    (fix ``iir_factor_index``).  ``most_typical`` marks the most typical cases of this term;
    SetMethods marks those of any term (``nfc_most_typical``).  A term without typical cases
    gives no pairs; SetMethods stops with an error there (``no_pairs``).
    """
    typ = _typical_table(f)
    unique = {r["case"]: r["uniquely_covered"] for rows in typ.values() for r in rows}
    out = []
    for name, x in zip(f.names, f.x):
        y = f.y
        ty = np.flatnonzero((x > 0.5) & (y > 0.5) & (x <= y))
        iir = np.flatnonzero((x < 0.5) & (y < 0.5))
        most = {r["case"] for r in typ[name] if r["most_typical"]}
        i, j = _pairs(ty, iir)
        s = (1 - (x[i] - x[j])) + (1 - (y[i] - y[j])) + 2 * np.abs(y[i] - x[i]) + 2 * np.abs(y[j] - x[j])
        u = np.array([unique[c] for c in f.cases[i]], dtype=bool)
        c, g = x[j] <= y[j], f.sol[j] < 0.5
        m = np.array([n in most for n in f.cases[i]], dtype=bool)
        for p in _first(max_pairs, ~u, ~c, ~g, np.round(s, 3), ~m, s):
            out.append({"_s": s[p], "term": name, "case1": f.cases[i[p]], "case2": f.cases[j[p]],
                        "uniquely_covered": bool(u[p]), "consistent_iir": bool(c[p]), "globally_uncovered": bool(g[p]),
                        "most_typical": bool(m[p]), "best": _r3(s[p])})
    return out


PAIRS = {"typical-typical fc": _typical_typical_fc, "typical-iir fc": _typical_iir_fc,
         "typical-deviant consistency": _typical_deviant_consistency, "deviant coverage-iir": _deviant_coverage_iir,
         "typical-typical": _typical_typical, "typical-iir": _typical_iir}


def _most_typical_fc(fc, y) -> set:
    """The typical cases of the term with the least ``2 |Y - FC| + (1 - term)`` (SetMethods'
    ``MostTypFC`` of ``cases.suf.typ.fct``)."""
    ty = fc.typical(y)
    s = 2 * np.abs(y[ty] - fc.x[ty]) + (1 - fc.term[ty])
    return set(ty[s == s.min()].tolist()) if len(ty) else set()


def _rank4(first: bool, second: bool) -> int:
    return 1 if first and second else 2 if first else 3 if second else 4


def _pairs(first: np.ndarray, second: np.ndarray) -> tuple:
    """Every pair of a case of ``first`` (``i``) and one of ``second`` (``j``), as two index arrays in
    the order of SetMethods' loops (``for j in second: for i in first``)."""
    return np.tile(first, len(second)), np.repeat(second, len(first))


def _first(n: int, *keys) -> np.ndarray:
    """The first ``n`` pairs in the order ``_order`` gives them: by ``keys`` (arrays, the first
    key first; a decreasing key negated, ``~`` for a boolean one: True first), ties in the pairs' own order (``np.lexsort`` is
    stable), so that only the pairs kept become rows."""
    return np.lexsort(keys[::-1])[:n] if len(keys[0]) else np.empty(0, dtype=int)


def _ranks8(xi, ci, xj, cj) -> np.ndarray:
    """SetMethods' pair rank for typical-IIR (``aux.ff``) of every pair (arrays): the typical
    case's FC ``xi`` against its complementary minimum ``ci``, and where the IIR case's FC ``xj``
    and complementary minimum ``cj`` lie."""
    low_i = xi < ci
    return np.where((xj < 0.5) & (cj >= 0.5), np.where(low_i, 1, 2),
                    np.where((xj < 0.5) & (cj < 0.5), np.where(low_i, np.where(cj > xj, 3, 4), np.where(xj < cj, 5, 6)),
                             np.where(low_i, 7, 8)))


def _ranks8_necessary(xi, ci, xj, cj) -> np.ndarray:
    """The same for a necessary FC, against the complementary maximum (arrays)."""
    high_i = xi >= ci
    return np.where(xj >= 0.5, np.where(high_i, 7, 8),
                    np.where(xj >= cj, np.where(high_i, 1, 2),
                             np.where(cj >= 0.5, np.where(high_i, 3, 4), np.where(high_i, 5, 6))))


def _both(first, second, one: str = "typ", two: str = "iir") -> str:
    return "both" if first and second else one if first else two if second else "none"
