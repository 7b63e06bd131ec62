"""Single cases for a sufficient solution (Schneider & Rohlfing 2013; Oana, Schneider & Thomann
2021, ch. 11), as SetMethods 4.0 selects them: typical, typical per focal conjunct, deviant
consistency, deviant coverage and individually irrelevant cases, and the focal conjuncts of a
term (``FocalConjunct``), read from the model as SetMethods' ``pimdata`` sees it
(``smmr_frame.Frame``).  The pairs (``smmr_pairs``) share these tables.
``analysis.qca.casestudies.smmr`` is the public entry.

>>> from analysis.qca import truth_table, solve
>>> from analysis.qca.datasets import load
>>> from analysis.qca.casestudies import model_frames
>>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
>>> frame = model_frames(solve(tt).parsimonious, tt)[0]
>>> [(r["case"], round(r["best"], 2)) for r in _typical_table(frame)["BARGAIN*UNI*STOCK"]]
[('Netherlands_03', 0.1), ('Netherlands_99', 0.37), ('Ireland_95', 1.41)]
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .expressions import term_string
from .smmr_frame import Frame, _order, _r3

__all__ = ["FocalConjunct"]


def _typical_table(f: Frame) -> dict:
    """SetMethods' ``cases.suf.typ``: per term, its typical cases (X > 0.5, Y > 0.5, X <= Y) by
    ``best = 2 (Y - X) + (1 - X)``, the cases typical for no other term first (``uniquely_covered``),
    then by ``best`` and X."""
    groups = {}
    for name, x in zip(f.names, f.x):
        idx = np.flatnonzero((x > 0.5) & (f.y > 0.5) & (x <= f.y))
        s = 2 * (f.y[idx] - x[idx]) + (1 - x[idx])
        rows = [dict(term=name, case=f.cases[i], term_membership=float(x[i]), outcome=float(f.y[i]), best=float(v),
                     most_typical=bool(v == s.min())) for i, v in zip(idx, s)]
        groups[name] = _order(rows, "best")
    count = Counter(r["case"] for rows in groups.values() for r in rows)
    for name, rows in groups.items():
        for r in rows:
            r["uniquely_covered"] = count[r["case"]] == 1
        groups[name] = _order(rows, "-uniquely_covered", "best", "term_membership")
    return groups


def _deviant_consistency(f: Frame) -> list:
    """SetMethods' ``cases.suf.dcn``: per term, cases with X > 0.5 and Y < 0.5 by
    ``best = 1 - (X - Y) + (1 - X)``, rounded to three decimals before ranking."""
    out = []
    for name, x in zip(f.names, f.x):
        idx = np.flatnonzero((x > 0.5) & (f.y < 0.5))
        s = 1 - (x[idx] - f.y[idx]) + (1 - x[idx])
        rows = [dict(term=name, case=f.cases[i], term_membership=_r3(x[i]), outcome=_r3(f.y[i]), best=_r3(v),
                     most_deviant_consistency=bool(v == s.min())) for i, v in zip(idx, s)]
        out += _order(_order(rows, "best"), "best", "term_membership")
    return out


def _deviant_coverage(f: Frame) -> list:
    """SetMethods' ``cases.suf.dcv``: cases with solution < 0.5 and Y > 0.5, by truth table row,
    within a row those with T <= Y first, then by ``best = 1 - T`` (T: membership in the row)."""
    crisp, member = _tt_rows(f)
    idx = [i for i in np.flatnonzero((f.sol < 0.5) & (f.y > 0.5))]
    rows = [dict(term=f.expression, case=f.cases[i], solution_membership=_r3(f.sol[i]), _tt=tuple(crisp[i]),
                 tt_membership=member[i], outcome=_r3(f.y[i]), best=_r3(1 - member[i])) for i in idx]
    rows = _order(_order(rows, "case"), "_tt", "best")
    least = {}
    for r in rows:
        least[r["_tt"]] = min(least.get(r["_tt"], np.inf), r["best"])
    for r in rows:
        r.update(_tt_columns(f, r["_tt"]), tt_le_y=bool(r["tt_membership"] <= r["outcome"]),
                 most_deviant_coverage=bool(least[r["_tt"]] == r["best"]))
    return _order(rows, "_tt", "-tt_le_y", "best")


def _individually_irrelevant(f: Frame) -> list:
    """SetMethods' ``cases.suf.iir``: cases with solution < 0.5 and Y < 0.5, by truth table row."""
    crisp, member = _tt_rows(f)
    idx = np.flatnonzero((f.sol < 0.5) & (f.y < 0.5))
    rows = [dict(term=f.expression, case=f.cases[i], solution_membership=_r3(f.sol[i]), _tt=tuple(crisp[i]),
                 **_tt_columns(f, crisp[i]), tt_membership=member[i], outcome=_r3(f.y[i])) for i in idx]
    return _order(_order(rows, "case"), "_tt")


def _typical_fc(f: Frame, k: int, necessary: frozenset, max_pairs: int, typical: dict) -> list:
    """SetMethods' ``cases.suf.typ.fct``: the typical cases of term ``k`` for each focal conjunct.

    For each literal (focal conjunct, FC) of a term with several, the typical cases of the term
    are ranked: ``fc_rank`` 1 when the FC is below the minimum of the complementary conjuncts
    (``cc_min``; for an FC in ``necessary``: when it is at or above their maximum), then the
    cases in a "clean corridor" (for FC <= Y: cc_min < FC or cc_min > Y; otherwise cc_min > FC or
    cc_min < Y; the maximum and the reversed comparisons for a necessary FC), with FC <= Y
    (FC >= Y), uniquely covered, by ``best = 2 |Y - FC| + (1 - term)``, most typical for the FC
    and for the term.  A one-literal term is ranked as a term (``2 |Y - X| + (1 - X)``).

    Notes
    -----
    Differences from SetMethods 4.0, which follow the method (the fixes of
    tests/fixtures/setmethods/smmr/r_smmr.R):

    - ``most_typical_term`` marks the most typical cases of the term; SetMethods reads
      ``mtt$term`` and ``mtt$case``, columns that do not exist (they are ``Term`` and ``Case``),
      and marks no case (fix ``most_typical_term``).
    - The clean corridor of a necessary FC uses the case's own complementary maximum; SetMethods
      assigns the maxima in the order of the data to the table already sorted (``cc_max_order``).
    - The clean corridor is computed for every case; SetMethods re-sorts the table inside the
      loop that computes it, so a case moved above the loop's position is never computed and
      stays out of the corridor (``clean_corridor_loop``).
    - The complementary conjuncts are the other literals; SetMethods drops every literal whose
      name contains the FC's (``grep``: STOCK2 for STOCK, ``grep_conjuncts``).
    - A one-literal negated term (``~DEV``) is studied; SetMethods looks for a column "~DEV" and
      stops (``negated_single_term``).  A term without typical cases gives no rows.
    """
    term, name = f.terms[k], f.names[k]
    unique = _uniquely_covered(f, k)
    most_term = {r["case"] for r in typical[name] if r["most_typical"]}
    if len(term) == 1:
        return _typical_single_fc(f, name, term[0], unique, max_pairs)
    out = []
    for fc in _focal_conjuncts(f, k):
        nec = fc.literal in necessary
        idx = fc.typical(f.y)
        if not len(idx):
            continue
        x, y, a, b, t = fc.x, f.y, fc.low, fc.high, fc.term
        s = 2 * np.abs(y[idx] - x[idx]) + (1 - t[idx])
        flag = "fc_ge_y" if nec else "fc_le_y"
        rows = []
        for i, v in zip(idx, s):
            rank = (1 if x[i] >= b[i] else 2) if nec else (1 if x[i] < a[i] else 2)
            rows.append({"term": name, "focal": fc.literal, "necessary_fc": nec, "case": f.cases[i],
                         "fc_membership": x[i], "outcome": y[i], "cc_min": a[i], "term_membership": t[i],
                         "fc_rank": rank, "best": v, "most_typical_fc": bool(v == s.min()),
                         "uniquely_covered": bool(unique[i]), flag: bool(x[i] >= y[i] if nec else x[i] <= y[i]),
                         "clean_corridor": bool(fc.clean_high[i] if nec else fc.clean_low[i])})
        keys = ("fc_rank", "-clean_corridor", "-" + flag, "-uniquely_covered", "best", "-most_typical_fc")
        rows = _order(_order(rows, "fc_rank", "best"), *keys)
        for r in rows:
            r.update({c: _r3(r[c]) for c in ("fc_membership", "outcome", "cc_min", "term_membership", "best")})
            r["most_typical_term"] = r["case"] in most_term
        out += _order(rows, *keys, "-most_typical_term")[:max_pairs]
    return out


@dataclass(frozen=True)
class FocalConjunct:
    """One literal of a term (a focal conjunct, FC) and its complementary conjuncts.

    SetMethods' ``codata1`` / ``codata2`` in ``cases.suf.typ.fct`` and ``matches.suf.*fct``.

    Parameters
    ----------
    literal : str
        The FC, ``"STOCK"`` or ``"~MA"``.
    x : numpy.ndarray
        The cases' membership in the literal.
    low, high : numpy.ndarray
        The minimum and the maximum of the complementary conjuncts (the literal itself in a
        one-literal term).
    term : numpy.ndarray
        The membership in the whole term.
    single : bool
        Whether the term has one literal.
    y : numpy.ndarray
        The outcome's memberships.

    Attributes
    ----------
    clean_low : numpy.ndarray of bool
        The clean corridor against the minimum: FC <= Y and (low < FC or low > Y), or FC > Y and
        (low > FC or low < Y).
    clean_high : numpy.ndarray of bool
        The clean corridor against the maximum (a necessary FC): FC >= Y and (high > FC or
        high < Y), or FC < Y and (high < FC or high > Y).
    min_cc, max_cc : numpy.ndarray
        The complementary minimum (0 for a one-literal term) and maximum (1) in the pairs.

    Notes
    -----
    The clean corridor and the ranking of focal conjuncts follow Schneider & Rohlfing (2013) as
    SetMethods 4.0 computes them (Oana, Schneider & Thomann 2021, ch. 11), with the fixes listed in
    ``casestudies.smmr`` (``cc_max_order``, ``clean_corridor_loop``, ``grep_conjuncts``).

    References
    ----------
    Schneider, C. Q., & Rohlfing, I. (2013). Combining QCA and process tracing in set-theoretic
    multi-method research. *Sociological Methods & Research*, 42(4), 559-597.

    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). *Qualitative Comparative Analysis Using
    R: A Beginner's Guide*. Cambridge University Press, ch. 11.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.casestudies import model_frames
    >>> from analysis.qca.smmr_cases import _focal_conjuncts
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
    >>> frame = model_frames(solve(tt).parsimonious, tt)[0]
    >>> fc = _focal_conjuncts(frame, 1)[0]                  # BARGAIN in BARGAIN*UNI*STOCK
    >>> fc.literal, frame.cases[fc.typical(frame.y)].tolist()
    ('BARGAIN', ['Ireland_95', 'Netherlands_99', 'Netherlands_03'])
    """

    literal: str                 # "STOCK" or "~MA"
    x: np.ndarray                # membership in the literal
    low: np.ndarray              # minimum of the complementary conjuncts (the literal itself alone)
    high: np.ndarray             # their maximum
    term: np.ndarray             # membership in the term
    single: bool                 # a one-literal term
    y: np.ndarray

    def typical(self, y) -> np.ndarray:
        """The typical cases of the term (term > 0.5, Y > 0.5, term <= Y), as indices.

        Parameters
        ----------
        y : numpy.ndarray
            The outcome's memberships.

        Returns
        -------
        numpy.ndarray of int
        """
        return np.flatnonzero((self.term > 0.5) & (y > 0.5) & (self.term <= y))

    @cached_property
    def clean_low(self) -> np.ndarray:
        """Clean corridor against the minimum: FC <= Y and (low < FC or low > Y), or FC > Y and
        (low > FC or low < Y)."""
        x, a, y = self.x, self.low, self.y
        le = x <= y
        return (le & ((a < x) | (a > y))) | (~le & ((a > x) | (a < y)))

    @cached_property
    def clean_high(self) -> np.ndarray:
        """Clean corridor against the maximum (a necessary FC): FC >= Y and (high > FC or
        high < Y), or FC < Y and (high < FC or high > Y)."""
        x, b, y = self.x, self.high, self.y
        ge = x >= y
        return (ge & ((b > x) | (b < y))) | (~ge & ((b < x) | (b > y)))

    @property
    def min_cc(self) -> np.ndarray:
        """The complementary minimum in the pair distances (0 for a one-literal term)."""
        return np.zeros(len(self.x)) if self.single else self.low

    @property
    def max_cc(self) -> np.ndarray:
        """The complementary maximum in the pair ranks (1 for a one-literal term)."""
        return np.ones(len(self.x)) if self.single else self.high


def _uniquely_covered(f: Frame, k: int) -> np.ndarray:
    """Per case: no term of the model but term ``k`` has it above 0.5 (SetMethods' ``UniqCov``
    for focal conjuncts)."""
    others = [x > 0.5 for j, x in enumerate(f.x) if j != k]
    return ~np.any(others, axis=0) if others else np.ones(len(f.y), dtype=bool)


def _focal_conjuncts(f: Frame, k: int) -> list:
    """Each literal of term ``k`` as a ``FocalConjunct``, in the term's order."""
    term = f.terms[k]
    members = [f.literal(c, p) for c, p in term]
    out = []
    for j, (lit, x) in enumerate(zip(term, members)):
        rest = [m for i, m in enumerate(members) if i != j] or [x]
        low, high = np.minimum.reduce(rest), np.maximum.reduce(rest)
        out.append(FocalConjunct(literal=term_string((lit,)), x=x, low=low, high=high,
                                 term=np.minimum(low, x) if len(term) > 1 else x, single=len(term) == 1, y=f.y))
    return out


def _typical_single_fc(f: Frame, name: str, literal: tuple, unique: np.ndarray, max_pairs: int) -> list:
    x, y = f.literal(*literal), f.y
    idx = np.flatnonzero((x > 0.5) & (y > 0.5) & (x <= y))
    s = 2 * np.abs(y[idx] - x[idx]) + (1 - x[idx])
    rows = [{"term": name, "focal": term_string((literal,)), "necessary_fc": False, "case": f.cases[i],
             "fc_membership": x[i], "outcome": y[i], "fc_rank": None, "fc_le_y": bool(x[i] <= y[i]),
             "uniquely_covered": bool(unique[i]), "best": v, "most_typical": bool(v == s.min())}
            for i, v in zip(idx, s)]
    return _order(_order(rows, "best"), "-fc_le_y", "-uniquely_covered", "best")[:max_pairs]


def _tt_rows(f: Frame):
    """SetMethods' truth table columns: each condition 0 below 0.5, 1 above (0.5 kept), and the
    case's membership in its row (the minimum over the conditions of X or 1 - X), rounded."""
    c = f.cond.to_numpy(dtype=float)
    crisp = np.where(c < 0.5, 0.0, np.where(c > 0.5, 1.0, c))
    member = np.round(np.where(c < 0.5, 1 - c, c).min(axis=1), 3)
    return crisp, member


def _tt_columns(f: Frame, row) -> dict:
    return {f"TT_{c}": float(v) for c, v in zip(f.cond.columns, row)}
