"""A model as SetMethods' ``pimdata`` sees it, for set-theoretic multi-method research.

``Frame`` holds one model's terms in R's order (``r_term_order``: the order of the columns of
R's QCA ``pims``, which SetMethods' ``term = 1, 2, ...`` counts) with the cases' memberships in
them and in the outcome; ``_order`` and ``_r3`` are R's ``order`` and ``round(v, 3)``, which the
case tables (``smmr_cases``), the pairs (``smmr_pairs``) and the necessity cases
(``smmr_necessity``) rank and round by.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .errors import QCAError
from .expressions import term_string
from .models import Solution
from .primes import implicant_literals, prime_implicants
from .rows import all_codes
from .truthtable_type import TruthTable

__all__ = ["r_term_order", "Frame"]


def r_term_order(block: Solution, tt: TruthTable, model: int = 1) -> tuple:
    """The terms of one model in R's order, the order SetMethods' ``term = 1, 2, ...`` counts.

    That is the order of the columns of QCA's ``pims`` (SetMethods' ``pimdata``).

    Parameters
    ----------
    block : Solution
        A complex, parsimonious or intermediate solution block.
    tt : TruthTable
        Its truth table.
    model : int
        The model's number in the block (1-based).

    Returns
    -------
    tuple of str
        The model's terms, e.g. ``("~EMP*OCCUP", "BARGAIN*UNI*STOCK", "~OCCUP*STOCK*~MA")``.

    Raises
    ------
    QCAError
        A block without models, or a ``model`` number it does not have.

    Notes
    -----
    R's QCA sorts the prime implicants it finds (C function ``sort_cols``; ``sort_matrix`` for
    the intermediate solution's ``QMC``) and keeps that order for ``pims`` and for each model:
    coded 0 (absent), 1 (~X), 2 (X), the implicants are sorted condition by condition from the
    last to the first, each time the present codes in increasing order before the absent ones,
    and at last by their number of literals.  The C loop leaves the last implicant out of the
    increasing pass when every implicant holds the condition, which puts one ~X after the X;
    this is reproduced, on the same set of implicants: the chart's primes (complex and
    parsimonious) or every prime implicant of the positive rows and the easy counterfactuals
    (intermediate).  The printed model puts the essential implicants first; ``term`` counts in
    this order, not the printed one.

    References
    ----------
    Dusa, A. (2019). QCA with R: A Comprehensive Resource. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> solve(tt).complex.models[0].expression
    'DEV*~URB*LIT*~IND*STB + DEV*URB*LIT*IND*STB'
    >>> r_term_order(solve(tt).complex, tt)
    ('DEV*URB*LIT*IND*STB', 'DEV*~URB*LIT*~IND*STB')
    """
    if not block.models:
        raise QCAError(f"solution: the {block.kind} solution has no model ({block.undefined or 'none found'})")
    if not 1 <= model <= len(block.models):
        raise QCAError(f"model: {model} is not a model of this solution; it has {len(block.models)}")
    used = set(block.models[model - 1].terms)
    return tuple(term_string(t) for t in _block_order(block, tt) if t in used)


def _block_order(block: Solution, tt: TruthTable) -> list:
    """The implicants R sorts for a block, in R's order (see ``r_term_order``).  Multi-value
    data (which SetMethods' ``smmr`` does not take): the terms as the models print them."""
    if tt.multivalue:
        return list(dict.fromkeys(t for m in block.models for t in m.terms))
    if block.primes is not None:
        primes = block.primes
    else:
        on = np.union1d(tt.positive, block.easy_codes if block.easy_codes is not None else [])
        primes = prime_implicants(on.astype(np.int64), np.setdiff1d(all_codes(tt.k), on), tt.k)
    found = [implicant_literals(p, tt.conditions) for p in primes]
    known = set(found)
    found += list(dict.fromkeys(t for m in block.models for t in m.terms if t not in known))
    codes = [[0 if c not in dict(t) else 2 if dict(t)[c] else 1 for c in tt.conditions] for t in found]
    return [found[j] for j in _sort_cols(codes)]


def _sort_cols(codes: list) -> list:
    """R's QCA ``sort_cols``/``sort_matrix`` (C): the order of the implicants (rows of codes).

    The C loops are stable selection sorts: per condition, from the last, decreasing codes, then
    increasing codes over the part before the first 0 (the part before the last implicant when
    none is 0, the C loop's bound), at last increasing numbers of literals."""
    n = len(codes)
    idx = list(range(n))
    for col in reversed(range(len(codes[0]) if n else 0)):
        idx.sort(key=lambda j: -codes[j][col])
        zero = next((p for p, j in enumerate(idx) if codes[j][col] == 0), n - 1)
        idx[:zero] = sorted(idx[:zero], key=lambda j: codes[j][col])
    size = [sum(v != 0 for v in c) for c in codes]
    return sorted(idx, key=lambda j: size[j])


@dataclass(frozen=True)
class Frame:
    """One model as SetMethods' ``pimdata`` sees it: its terms in R's order and their memberships.

    Built by ``casestudies.model_frames``; the case selection functions read it.

    Parameters
    ----------
    model : str
        The model's label, ``"M1"`` or ``"C1P1 M2"``.
    terms : tuple
        The model's terms (tuples of literals) in R's order (``r_term_order``).
    x : tuple of numpy.ndarray
        Each case's membership in each term.
    y : numpy.ndarray
        The outcome's memberships (negated when the truth table's outcome is).
    cases : numpy.ndarray of str
        The case names.
    cond : pandas.DataFrame
        The cases' memberships in the conditions.

    Attributes
    ----------
    names : tuple of str
        The terms written ``A*~B``.
    sol : numpy.ndarray
        The solution's membership, the maximum over the terms (SetMethods' ``solution_formula``).
    expression : str
        The model, its terms joined by ``" + "`` in R's order.

    Notes
    -----
    SetMethods' ``pimdata(results, outcome, sol)`` takes the columns of QCA's ``pims`` that belong to
    the model, in their order (Oana & Schneider 2018).

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2018). SetMethods: an add-on R package for advanced QCA.
    *The R Journal*, 10(1), 507-533.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.casestudies import model_frames
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
    >>> frame = model_frames(solve(tt).parsimonious, tt)[0]
    >>> frame.model, frame.expression
    ('M1', '~EMP*OCCUP + BARGAIN*UNI*STOCK + ~OCCUP*STOCK*~MA')
    >>> frame.sol[:3].round(2).tolist()
    [0.68, 0.3, 0.26]
    """

    model: str
    terms: tuple                 # terms (tuples of literals) in R's order
    x: tuple                     # membership of every case in each term
    y: np.ndarray
    cases: np.ndarray
    cond: pd.DataFrame

    @cached_property
    def names(self) -> tuple:
        """The terms written ``A*~B``, in R's order."""
        return tuple(term_string(t) for t in self.terms)

    @cached_property
    def sol(self) -> np.ndarray:
        """The solution's membership: the maximum over the terms."""
        return np.max(self.x, axis=0)

    @property
    def expression(self) -> str:
        """The model, its terms joined by ``" + "`` in R's order."""
        return " + ".join(self.names)

    def literal(self, name: str, present: bool) -> np.ndarray:
        """Membership in a condition (``present``) or in its negation."""
        values = self.cond[name].to_numpy(dtype=float)
        return values if present else 1 - values


def _r3(v) -> float:
    """R's ``round(v, 3)`` (memberships here have at most a few decimals)."""
    return float(np.round(v, 3))


def _order(rows: list, *keys) -> list:
    """R's ``order`` (stable, increasing) on row dicts; ``"-name"`` decreasing (R: ``-x``, ``1 - x``)."""
    def key(r):
        return tuple(-float(r[k[1:]]) if k[0] == "-" else r[k] for k in keys)
    return sorted(rows, key=key)
