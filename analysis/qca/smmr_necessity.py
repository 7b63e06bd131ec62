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
``analysis.qca.casestudies.smmr`` calls with ``necessity=True``; the pairs are in
``analysis.qca.smmr_necessity_pairs``.

>>> from analysis.qca import truth_table
>>> from analysis.qca.datasets import load
>>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
>>> rows = _necessity_cases(tt, ("typical",), SINGLE, "STOCK+MA", 5)
>>> [(r["term"], r["case"]) for r in rows if r["most_typical"]][:2]
[('STOCK', 'USA_99'), ('STOCK', 'Switzerland_03')]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import QCAError
from .expressions import parse, term_string
from .smmr_frame import _order

__all__ = ["NecessaryCondition", "SINGLE"]


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


def _necessity_cases(tt, names, kinds: dict, nec_cond, max_pairs: int) -> list:
    """The rows of the case types ``names`` (see ``analysis.qca.casestudies.CASE_TYPES``), by their
    functions in ``kinds`` (``SINGLE``, or ``smmr_necessity_pairs.PAIRS``)."""
    n = _necessary_condition(tt, nec_cond)
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


#: Single cases of a necessary condition and their functions ``(NecessaryCondition, max_pairs) -> rows``,
#: as SetMethods' ``cases.nec.*`` (pairs: ``analysis.qca.smmr_necessity_pairs.PAIRS``).
SINGLE = {"typical": _typical, "deviant consistency": _deviant_consistency, "deviant relevance": _deviant_relevance}
