"""Cases and pairs of cases for a necessary condition (Schneider & Rohlfing 2013; Oana, Schneider &
Thomann 2021, ch. 11), as SetMethods 4.0's ``cases.nec.*`` and ``matches.nec.*`` select them.

For a necessary condition N (a condition, a disjunction "A+B" or a conjunction "A*B"):

- typical: N > 0.5, Y > 0.5, N >= Y, by ``best = 2 |N - Y| + (1 - N)``;
- deviant consistency: N < 0.5, Y > 0.5 (in a truth table row of membership above 0.5), by row,
  then ``best = 1 - (Y - N)``;
- deviant relevance: N > 0.5, Y < 0.5, by ``best = (1 - (N - Y)) + (1 - N)``;
- pairs: typical-deviant relevance, typical-deviant consistency (same truth table row apart from
  N's conditions), typical-IIR (N < 0.5, Y < 0.5, N >= Y) and typical-typical.

Each table is computed for every element of the disjunction or conjunction and for the whole
(SetMethods lists the conjuncts only for typical cases and for typical-typical and typical-IIR
pairs; for the other types the conjunction as a whole).  ``_necessity_cases`` is what
``analysis.qca.casestudies.smmr`` calls with ``necessity=True``.

>>> from analysis.qca import truth_table
>>> from analysis.qca.datasets import load
>>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
>>> rows = _necessity_cases(tt, ("typical",), False, "STOCK+MA", 5)
>>> [(r["term"], r["case"]) for r in rows if r["most_typical"]][:2]
[('STOCK', 'USA_99'), ('STOCK', 'Switzerland_03')]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import QCAError
from .expressions import parse, term_string
from .smmr_frame import _order, _r3

__all__ = ["NecessaryCondition", "SINGLE", "PAIRS"]


@dataclass(frozen=True)
class NecessaryCondition:
    """The parts of ``nec_cond`` as SetMethods computes them (its ``NC`` columns).

    Parameters
    ----------
    text : str
        The condition as given, without spaces: ``"STOCK"``, ``"STOCK+MA"``, ``"STOCK*MA"``.
    kind : {"single", "or", "and"}
        A literal, a disjunction or a conjunction.
    parts : tuple of str
        The literals, e.g. ``("STOCK", "~MA")``.
    values : dict
        Each literal's (and, for a disjunction or conjunction, ``text``'s) memberships.
    y : numpy.ndarray
        The outcome's memberships.
    cases : numpy.ndarray of str
        The case names.
    cond : pandas.DataFrame
        The conditions' memberships.

    Notes
    -----
    A disjunction's membership is the maximum over its parts, a conjunction's the minimum.  The
    tables are computed for every part and for the whole (``groups``); SetMethods lists a
    conjunction's parts only for typical cases and for typical-typical and typical-IIR pairs
    (Schneider & Rohlfing 2013; SetMethods 4.0's ``cases.nec.*``, ``matches.nec.*``).

    References
    ----------
    Schneider, C. Q., & Rohlfing, I. (2013). Combining QCA and process tracing in set-theoretic
    multi-method research. *Sociological Methods & Research*, 42(4), 559-597.

    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). *Qualitative Comparative Analysis Using
    R: A Beginner's Guide*. Cambridge University Press, ch. 11.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
    >>> n = _necessary_condition(tt, "STOCK+MA")
    >>> n.kind, n.parts, n.groups(conjuncts=False)
    ('or', ('STOCK', 'MA'), ('STOCK', 'MA', 'STOCK+MA'))
    >>> _necessary_condition(tt, "STOCK*MA").groups(conjuncts=False)
    ('STOCK*MA',)
    """

    text: str                    # "STOCK+MA"
    kind: str                    # "single", "or" or "and"
    parts: tuple                 # the literals, e.g. ("STOCK", "~MA")
    values: dict                 # literal (and ``text``) -> memberships
    y: np.ndarray
    cases: np.ndarray
    cond: object                 # DataFrame of the conditions

    def groups(self, conjuncts: bool) -> tuple:
        """The tables: each part and the whole; a conjunction's parts only with ``conjuncts``."""
        if self.kind == "single":
            return self.parts
        return (self.parts if self.kind == "or" or conjuncts else ()) + (self.text,)

    def others(self, g: str) -> list:
        """The memberships in the other parts of the disjunction or conjunction than ``g``."""
        return [self.values[p] for p in self.parts if p != g]

    def typical_of(self, g: str) -> np.ndarray:
        """Typical for ``g``: the conjunction's membership decides for a conjunct."""
        v = self.values[self.text if self.kind == "and" and g in self.parts else g]
        return (v > 0.5) & (self.y > 0.5) & (v >= self.y)

    def all_below(self, g: str, threshold) -> np.ndarray:
        """Per case: every other part below ``threshold`` (0.5 or an array); True without others."""
        others = self.others(g) if g in self.parts else []
        return np.all([o < threshold for o in others], axis=0) if others else np.ones(len(self.y), bool)

    def corridor(self, g: str) -> np.ndarray:
        """SetMethods' clean corridor of a conjunct: for every other conjunct O, O > N and N >= Y,
        or O < N and O < Y."""
        v, y = self.values[g], self.y
        return np.all([((o > v) & (v >= y)) | ((o < v) & (o < y)) for o in self.others(g)], axis=0)


def _necessary_condition(tt, nec_cond) -> NecessaryCondition:
    """``nec_cond`` ("A", "~A", "A+B", "A*B") checked against the truth table's conditions."""
    if not isinstance(nec_cond, str) or not nec_cond.strip():
        raise QCAError("nec_cond: necessity needs the necessary condition, e.g. nec_cond='STOCK+MA'")
    text = nec_cond.replace(" ", "")
    try:
        terms = parse(text, tt.conditions)
    except QCAError as why:
        raise QCAError(f"nec_cond: {why}") from None
    if len(terms) > 1 and any(len(t) > 1 for t in terms):
        raise QCAError(f"nec_cond: {nec_cond!r} mixes '+' and '*'; give one condition, a disjunction "
                       "'A+B' or a conjunction 'A*B'")
    literals = [(lit,) for t in terms for lit in t]
    parts = tuple(term_string(t) for t in literals)
    cond = tt.data[tt.conditions].astype(float)
    values = {p: (cond[c].to_numpy() if present else 1 - cond[c].to_numpy()) for p, ((c, present),) in
              zip(parts, literals)}
    kind = "single" if len(parts) == 1 else "or" if len(terms) > 1 else "and"
    if kind != "single":
        values[text] = (np.max if kind == "or" else np.min)([values[p] for p in parts], axis=0)
    cases = np.asarray(tt.data.index.astype(str), dtype=object)
    return NecessaryCondition(text=text if kind != "single" else parts[0], kind=kind, parts=parts, values=values,
                              y=np.asarray(tt.y, dtype=float), cases=cases, cond=cond)


def _necessity_cases(tt, names, match: bool, nec_cond, max_pairs: int) -> list:
    """The rows of the case types ``names`` (see ``analysis.qca.casestudies.CASE_TYPES``)."""
    n = _necessary_condition(tt, nec_cond)
    kinds = PAIRS if match else SINGLE
    return [dict(r, type=name, nec_cond=n.text) for name in names for r in kinds[name](n, max_pairs)]


def _typical(n: NecessaryCondition, max_pairs=None) -> list:
    """SetMethods' ``cases.nec.typ``: per part and whole, typical cases by ``best``; an element of a
    disjunction first by unique coverage (the other elements below 0.5); a conjunct first by
    ``fc_rank`` (1: every other conjunct below it) and the clean corridor."""
    out = []
    for g in n.groups(conjuncts=True):
        v, y = n.values[g], n.y
        idx = np.flatnonzero(n.typical_of(g))
        s = 2 * np.abs(v[idx] - y[idx]) + (1 - v[idx])
        rows = [{"term": g, "case": n.cases[i], "nec_membership": v[i], "outcome": y[i], "best": b,
                 "most_typical": bool(b == s.min()), "uniquely_covered": bool(n.all_below(g, 0.5)[i])}
                for i, b in zip(idx, s)]
        if n.kind == "or" and g in n.parts:
            rows = _order(rows, "-uniquely_covered", "best", "nec_membership")
        elif n.kind == "and" and g in n.parts:
            rank, clean = np.where(n.all_below(g, v), 1, 2), n.corridor(g)
            for r, i in zip(rows, idx):
                r.update(fc_rank=int(rank[i]), clean_corridor=bool(clean[i]) if rank[i] == 1 else True)
            rows = _order(rows, "fc_rank", "-clean_corridor", "-uniquely_covered", "best", "nec_membership",
                         "-most_typical")
        else:
            rows = _order(rows, "-uniquely_covered", "best", "nec_membership", "-most_typical")
        out += rows
    return out


def _deviant_consistency(n: NecessaryCondition, max_pairs=None) -> list:
    """SetMethods' ``cases.nec.dcn``: cases with N < 0.5 and Y > 0.5 in a truth table row of
    membership T > 0.5, by row; an element of a disjunction first when the others are below 0.5
    too (``globally_uncovered``); then T <= Y, ``best = 1 - (Y - N)``."""
    c = n.cond.to_numpy(dtype=float)
    crisp = np.where(c < 0.5, 0.0, np.where(c > 0.5, 1.0, c))
    member = np.round(np.where(c < 0.5, 1 - c, c).min(axis=1), 3)
    out = []
    for g in n.groups(conjuncts=False):
        v, y = n.values[g], n.y
        idx = np.flatnonzero((v < 0.5) & (y > 0.5) & (member > 0.5))
        element = n.kind == "or" and g in n.parts
        rows = [{"term": g, "case": n.cases[i], "nec_membership": v[i], "_tt": tuple(crisp[i]),
                 **{f"TT_{k}": float(t) for k, t in zip(n.cond.columns, crisp[i])}, "tt_membership": member[i],
                 "outcome": y[i], "best": 1 - (y[i] - v[i]), "tt_le_y": bool(member[i] <= y[i]),
                 **({"globally_uncovered": bool(n.all_below(g, 0.5)[i])} if element else {})} for i in idx]
        rows = _order(_order(rows, "case"), "_tt", "best")
        least = {}
        for r in rows:
            least[r["_tt"]] = min(least.get(r["_tt"], np.inf), r["best"])
        for r in rows:
            r["most_deviant_consistency"] = bool(least[r["_tt"]] == r["best"])
        out += _order(rows, "_tt", *(("-globally_uncovered",) if element else ()), "-tt_le_y", "best")
    return out


def _deviant_relevance(n: NecessaryCondition, max_pairs=None) -> list:
    """SetMethods' ``cases.nec.drel``: cases with N > 0.5 and Y < 0.5 by
    ``best = (1 - (N - Y)) + (1 - N)``."""
    out = []
    for g in n.groups(conjuncts=False):
        v, y = n.values[g], n.y
        idx = np.flatnonzero((v > 0.5) & (y < 0.5))
        s = (1 - (v[idx] - y[idx])) + (1 - v[idx])
        rows = [{"term": g, "case": n.cases[i], "nec_membership": v[i], "outcome": y[i], "best": b,
                 "most_deviant_relevance": bool(b == s.min())} for i, b in zip(idx, s)]
        out += _order(rows, "best", "-most_deviant_relevance")
    return out


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


#: Necessity case types and their functions ``(NecessaryCondition, max_pairs) -> rows``: single cases
#: (``SINGLE``) and pairs (``PAIRS``), as SetMethods' ``cases.nec.*`` and ``matches.nec.*``.
SINGLE = {"typical": _typical, "deviant consistency": _deviant_consistency, "deviant relevance": _deviant_relevance}
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
