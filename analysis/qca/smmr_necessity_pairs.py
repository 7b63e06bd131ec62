"""Pairs of cases for a necessary condition (Schneider & Rohlfing 2013; Oana, Schneider & Thomann
2021, ch. 11), as SetMethods 4.0's ``matches.nec.*`` select them: typical-deviant relevance,
typical-deviant consistency (same truth table row apart from N's conditions), typical-IIR
(N < 0.5, Y < 0.5, N >= Y) and typical-typical.  The necessary condition and the single cases
the pairs are built from are in ``analysis.qca.smmr_necessity``.

>>> from analysis.qca import truth_table
>>> from analysis.qca.datasets import load
>>> from analysis.qca.smmr_necessity import _necessity_cases
>>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
>>> rows = _necessity_cases(tt, ("typical-deviant relevance",), PAIRS, "STOCK", 2)
>>> len(rows) <= 2
True
"""
from __future__ import annotations

import numpy as np

from .smmr_frame import _order, _r3
from .smmr_necessity import NecessaryCondition, _deviant_consistency, _deviant_relevance, _typical

__all__ = ["PAIRS"]


def _typical_deviant_relevance(n: NecessaryCondition, max_pairs: int) -> list:
    """SetMethods' ``matches.nec.typdrel``: a typical and a deviant relevance case, by
    ``best = (1 - N1) + (1 - N2) + |1 - (Y1 - Y2)| + |N1 - N2|`` (an element of a disjunction:
    the typical case uniquely covered first), then most typical, most deviant.

    Notes
    -----
    ``most_typical`` marks the most typical cases of the same condition; for a conjunction
    SetMethods takes them from the typical cases of its first conjunct: its lists of tables do
    not line up (fix ``nec_conjunction_lists``).
    """
    most_typ, most_dr = _most(_typical(n), "most_typical"), _most(_deviant_relevance(n), "most_deviant_relevance")
    out = []
    for g in n.groups(conjuncts=False):
        v, y = n.values[g], n.y
        ty, dr = np.flatnonzero(n.typical_of(g)), np.flatnonzero((v > 0.5) & (y < 0.5))
        element = n.kind == "or" and g in n.parts
        unique = n.all_below(g, 0.5)
        rows = [{"term": g, "case1": n.cases[i], "case2": n.cases[j],
                 "best": _r3((1 - v[i]) + (1 - v[j]) + abs(1 - (y[i] - y[j])) + abs(v[i] - v[j])),
                 "most_typical": n.cases[i] in most_typ[g], "most_deviant_relevance": n.cases[j] in most_dr[g],
                 **({"uniquely_covered": bool(unique[i])} if element else {})} for j in dr for i in ty]
        keys = ("best", "-most_typical", "-most_deviant_relevance")
        out += _order(rows, *((("-uniquely_covered",) if element else ()) + keys))[:max_pairs]
    return out


def _typical_deviant_consistency(n: NecessaryCondition, max_pairs: int) -> list:
    """SetMethods' ``matches.nec.typdcn``: a typical case and a deviant consistency case (N < 0.5,
    Y > 0.5) of the same truth table row apart from N's conditions (memberships rounded), by
    row, then ``best = (1 - (N1 - N2)) + |Y1 - Y2|``, most typical, most deviant; ``max_pairs``
    per row and in all.  For an element of a disjunction the typical case whose other elements
    are below its own N first (``uniquely_covered``), then the deviant case likewise
    (``globally_uncovered``), as SetMethods compares them.

    Notes
    -----
    The row leaves out N's conditions without their tilde; SetMethods looks for the literal
    ("~MA") among the column names, keeps a negated condition in the row and so never finds a
    pair for it (fix ``nec_tt_row_tilde``).  With three disjuncts or more, "the others below N"
    is asked of each other disjunct; SetMethods compares data frames of unequal size and stops
    (``nec_three_disjuncts``).  ``most_typical`` as in ``_typical_deviant_relevance``.
    """
    most_typ, most_dc = _most(_typical(n), "most_typical"), _most(_deviant_consistency(n), "most_deviant_consistency")
    crisp = np.round(n.cond.to_numpy(dtype=float))
    out = []
    for g in n.groups(conjuncts=False):
        v, y = n.values[g], n.y
        names = {p.lstrip("~") for p in (n.parts if g == n.text else (g,))}
        keep = [j for j, c in enumerate(n.cond.columns) if c not in names]
        label = ["".join(str(int(t)) for t in row[keep]) for row in crisp]
        ty, dc = np.flatnonzero(n.typical_of(g)), np.flatnonzero((v < 0.5) & (y > 0.5))
        element = n.kind == "or" and g in n.parts
        below = n.all_below(g, v)
        rows = [{"term": g, "case1": n.cases[i], "case2": n.cases[j], "_row": label[j],
                 **{f"TT_{n.cond.columns[k]}": float(crisp[j][k]) for k in keep},
                 "best": _r3((1 - (v[i] - v[j])) + abs(y[i] - y[j])), "most_typical": n.cases[i] in most_typ[g],
                 "most_deviant_consistency": n.cases[j] in most_dc[g],
                 **({"uniquely_covered": bool(below[i]), "globally_uncovered": bool(below[j])} if element else {})}
                for j in dc for i in ty if label[i] == label[j]]
        rows = _order(_order(rows, "case2"), "_row")
        keys = (("-uniquely_covered", "-globally_uncovered") if element else ()) + \
            ("best", "-most_typical", "-most_deviant_consistency")
        grouped = [r for row in sorted({r["_row"] for r in rows})
                   for r in _order([r for r in rows if r["_row"] == row], *keys)[:max_pairs]]
        out += grouped[:max_pairs]
    return out


def _typical_iir(n: NecessaryCondition, max_pairs: int) -> list:
    """SetMethods' ``matches.nec.typiir``: a typical case and an IIR case (N < 0.5, Y < 0.5,
    N >= Y), by ``best = (1 - (N1 - N2)) + (1 - (Y1 - Y2)) + 2 |N1 - Y1| + |N2 - Y2|`` (a conjunct
    adds the difference of the other conjunct); an element of a disjunction: the typical case
    uniquely covered and the IIR case outside the others first; a conjunct: ``pair_rank``
    1 to 8 and the clean corridor of both first.

    Notes
    -----
    ``globally_uncovered`` of an element of a disjunction asks every other element to be below
    0.5; SetMethods reads the first of them only (``gufill[..., 1]``), which differs for three
    elements or more (fix ``nec_glob_uncov``).
    """
    most_typ = _most(_typical(n), "most_typical")
    out = []
    for g in n.groups(conjuncts=True):
        v, y = n.values[g], n.y
        ty, iir = np.flatnonzero(n.typical_of(g)), np.flatnonzero((v < 0.5) & (y < 0.5) & (v >= y))
        conjunct = n.kind == "and" and g in n.parts
        cc = np.min(n.others(g), axis=0) if conjunct else None
        rows = []
        for j in iir:
            for i in ty:
                s = (1 - (v[i] - v[j])) + (1 - (y[i] - y[j]))
                s = (s + abs(cc[i] - cc[j]) if conjunct else s) + 2 * abs(v[i] - y[i]) + abs(v[j] - y[j])
                rows.append({"term": g, "case1": n.cases[i], "case2": n.cases[j], "best": _r3(s), "_i": i, "_j": j,
                             "most_typical": n.cases[i] in most_typ[g]})
        out += (_typical_iir_conjunct(n, g, rows) if conjunct else _typical_iir_other(n, g, rows))[:max_pairs]
    return out


def _typical_typical(n: NecessaryCondition, max_pairs: int) -> list:
    """SetMethods' ``matches.nec.typtyp``: two typical cases, the first at least as typical
    (``2 |N - Y| + (1 - N)``), by ``best = (0.5 - (N1 - N2)) + (0.5 - (Y1 - Y2)) + 2 (N1 - Y1) +
    2 (N2 - Y2)`` (a conjunct adds the difference of the other conjunct); an element of a
    disjunction: both uniquely covered first; a conjunct: ``pair_rank`` (1: the conjunct above
    the others in both cases) and the clean corridor first."""
    most_typ = _most(_typical(n), "most_typical")
    out = []
    for g in n.groups(conjuncts=True):
        v, y = n.values[g], n.y
        ty = np.flatnonzero(n.typical_of(g))
        conjunct = n.kind == "and" and g in n.parts
        cc = np.min(n.others(g), axis=0) if conjunct else None
        score = 2 * np.abs(v - y) + (1 - v)
        rows = []
        for j in ty:
            for i in ty:
                if score[i] > score[j] or i == j:
                    continue
                s = (0.5 - (v[i] - v[j])) + (0.5 - (y[i] - y[j]))
                s = (s + abs(cc[i] - cc[j]) if conjunct else s) + 2 * (v[i] - y[i]) + 2 * (v[j] - y[j])
                rows.append({"term": g, "case1": n.cases[i], "case2": n.cases[j], "best": _r3(s), "_i": i, "_j": j,
                             "_m1": n.cases[i] in most_typ[g], "_m2": n.cases[j] in most_typ[g]})
        out += _typical_typical_rank(n, g, rows, conjunct)[:max_pairs]
    return out


#: Pairs of cases of a necessary condition and their functions ``(NecessaryCondition, max_pairs) -> rows``,
#: as SetMethods' ``matches.nec.*``.
PAIRS = {"typical-deviant relevance": _typical_deviant_relevance,
         "typical-deviant consistency": _typical_deviant_consistency, "typical-iir": _typical_iir,
         "typical-typical": _typical_typical}


def _typical_iir_conjunct(n: NecessaryCondition, g: str, rows: list) -> list:
    v = n.values[g]
    others = n.others(g)
    max_typ = np.where(n.all_below(g, v), 1, 2)
    max_iir = np.where(np.all([o <= v for o in others], axis=0), 1, 2)
    fc_low, cc_high = np.where(v < 0.5, 1, 2), np.where(np.all([o >= 0.5 for o in others], axis=0), 1, 2)
    ranks = {(1, 2, 1, 1): 1, (2, 2, 1, 1): 2, (1, 1, 1, 2): 3, (2, 1, 1, 2): 4, (1, 2, 1, 2): 5, (2, 2, 1, 2): 6}
    clean, unique = n.corridor(g), n.all_below(g, 0.5)
    for r in rows:
        i, j = r["_i"], r["_j"]
        rank = ranks.get((max_typ[i], max_iir[j], fc_low[j], cc_high[j]), 0)
        r.update(pair_rank=(6 + max_typ[i]) if fc_low[j] == 2 else rank, _c1=bool(clean[i]), _c2=bool(clean[j]),
                 clean_corridor=_both(clean[i], clean[j]), uniquely_covered=bool(unique[i]),
                 globally_uncovered=bool(unique[j]))
        r["pair_rank"] = int(r["pair_rank"])
    return _order(rows, "pair_rank", "-_c1", "-_c2", "best", "-most_typical", "-uniquely_covered",
                 "-globally_uncovered")


def _typical_iir_other(n: NecessaryCondition, g: str, rows: list) -> list:
    element = n.kind == "or" and g in n.parts
    unique = n.all_below(g, 0.5) if element else np.ones(len(n.y), bool)
    for r in rows:
        r.update(uniquely_covered=bool(unique[r["_i"]]), globally_uncovered=bool(unique[r["_j"]]))
    return _order(rows, "-uniquely_covered", "-globally_uncovered", "best", "-most_typical")


def _typical_typical_rank(n: NecessaryCondition, g: str, rows: list, conjunct: bool) -> list:
    element = n.kind == "or" and g in n.parts
    unique = n.all_below(g, 0.5) if element or conjunct else np.ones(len(n.y), bool)
    for r in rows:
        r.update(_u1=bool(unique[r["_i"]]), _u2=bool(unique[r["_j"]]))
    if conjunct:
        v = n.values[g]
        top, clean = np.where(n.all_below(g, v), 1, 2), n.corridor(g)
        for r in rows:
            i, j = r["_i"], r["_j"]
            r.update(pair_rank=_rank4(top[i] == 1, top[j] == 1), _c1=bool(clean[i]) if top[i] == 1 else True,
                     _c2=bool(clean[j]) if top[j] == 1 else True)
            r["clean_corridor"] = _both(r["_c1"], r["_c2"], "typ1", "typ2")
        rows = _order(rows, "pair_rank", "-_c1", "-_c2", "best", "-_m1", "-_m2", "-_u1", "-_u2")
    else:
        rows = _order(rows, "-_u1", "-_u2", "best", "-_m1", "-_m2")
    for r in rows:
        r.update(uniquely_covered=_both(r["_u1"], r["_u2"], "typ1", "typ2"),
                 most_typical=_both(r["_m1"], r["_m2"], "typ1", "typ2"))
    return rows


def _most(rows: list, flag: str) -> dict:
    out = {}
    for r in rows:
        out.setdefault(r["term"], set())
        if r[flag]:
            out[r["term"]].add(r["case"])
    return _Sets(out)


class _Sets(dict):
    def __missing__(self, key):
        return set()


def _rank4(first: bool, second: bool) -> int:
    return 1 if first and second else 2 if first else 3 if second else 4


def _both(first, second, one: str = "typ", two: str = "iir") -> str:
    return "both" if first and second else one if first else two if second else "none"
