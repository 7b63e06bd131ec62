"""The models of a prime implicant chart's covers: their terms, their fits and what they assume.

A cover is a model given as indices into the chart's prime implicants.  ``fit_models`` builds
each cover's ``Model`` with its parameters of fit (``analysis.qca.fit``: inclS, PRI, covS, and
covU within the model), each prime's membership, fit and covered cases computed once per
solution (``PrimeFits``); ``simplifying_assumptions`` lists the remainders each parsimonious
model covers (R's ``$SA``).  The solution records built from them are in
``analysis.qca.models``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import primes_small
from .cover_small import small_simplifying_assumptions
from .expressions import Term
from .fit import models_fit, sufficiency
from .mv_primes import covers_mv, implicant_term_mv
from .primes import covers, implicant_literals
from .rows import all_codes
from .sets import term_membership
from .terms import Model, TermFit
from .truthtable_type import TruthTable

__all__ = ["PrimeFits", "fit_models", "prime_term", "simplifying_assumptions"]


class PrimeFits:
    """Each prime's literals, memberships, own fit and covered cases, computed once.

    One instance serves a whole solution (the complex or parsimonious one, or every block of the
    intermediate one, whose charts share most of their primes).

    Parameters
    ----------
    tt : TruthTable
        The truth table (its conditions, outcome and cases).
    positive : numpy.ndarray
        The positive rows (codes): a term's cases are those of the positive rows it covers.

    Notes
    -----
    Memberships are the minimum over the literals (``sets.term_membership``), taken from one array
    of the conditions; the fit is ``fit.sufficiency`` (inclS, PRI, covS; covU depends on the model
    and is computed by ``fit_models``).

    Examples
    --------
    >>> from analysis.qca import truth_table, minimize
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> pars = minimize(tt, include="?")
    >>> term, members, (fit, cases) = PrimeFits(tt, tt.positive).of(pars.primes[:1])[0]
    >>> str(term), round(fit.inclS, 3), cases
    ('DEV*~IND', 0.815, ('FI', 'IE'))
    """

    def __init__(self, tt: TruthTable, positive: np.ndarray):
        self.tt, self.positive, self.y = tt, positive, tt.y
        x = tt.x
        self.columns = {c: x[:, j] for j, c in enumerate(tt.conditions)}
        self.known: dict = {}

    def of(self, primes: np.ndarray) -> list:
        """(terms, memberships, fit without covU) for each prime.

        Parameters
        ----------
        primes : numpy.ndarray
            Rows of digits 0, 1, 2 (2 = minimised away).

        Returns
        -------
        list of tuple
            ``(Term, memberships, (SufficiencyFit, cases))`` per prime, computed once per prime.
        """
        keys = [p.tobytes() for p in primes]
        new = [j for j, key in enumerate(keys) if key not in self.known]
        if new:
            tt = self.tt
            row_cover = covers_mv(primes[new], self.positive, tt.levels) if tt.levels else \
                covers(primes[new], self.positive, tt.k)
            for j, cov in zip(new, row_cover):
                terms = prime_term(tt, primes[j])
                members = term_membership(self.columns, terms)
                stats = (sufficiency(members, self.y), tuple(tt.cases_of(self.positive[cov])))
                self.known[keys[j]] = (terms, members, stats)
        return [self.known[key] for key in keys]


def fit_models(tt: TruthTable, primes, index_sets, positive, fits: PrimeFits | None | bool = None) -> tuple:
    """The models of a chart's covers, with their fits.

    Parameters
    ----------
    tt : TruthTable
        The truth table the chart comes from.
    primes : numpy.ndarray
        The chart's primes (rows of digits 0, 1, 2).
    index_sets : sequence of sequences of int
        Each model as indices into ``primes``.
    positive : numpy.ndarray
        The positive rows (codes), whose cases each term lists.
    fits : PrimeFits, None or False, default None
        A shared ``PrimeFits`` (None: a new one); False: the models without their fits
        (``Model.fit`` None), for a caller that computes the fit itself on other memberships (the
        multiverse refits every model on each specification's data).

    Returns
    -------
    tuple of Model
        In the order of ``index_sets``, each with its fit and its terms' fits (covU within it).

    Notes
    -----
    The formulas of ``fit.models_fit`` (Ragin 2006; Ragin 2008, p. 86), as R's ``minimize``
    reports them in ``$IC``.

    Examples
    --------
    >>> from analysis.qca import truth_table, minimize
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> pars = minimize(tt, include="?")
    >>> fit_models(tt, pars.primes, pars.covers, tt.positive)
    (M: DEV*~IND + URB*STB  (inclS 0.850, PRI 0.819, covS 0.714),)
    >>> fit_models(tt, pars.primes, pars.covers, tt.positive, fits=False)
    (M: DEV*~IND + URB*STB,)
    """
    if fits is False:
        terms = {i: prime_term(tt, primes[i]) for i in {i for idx in index_sets for i in idx}}
        return tuple(Model(terms=tuple(terms[i] for i in idx)) for idx in index_sets)
    fits = fits or PrimeFits(tt, positive)
    used = sorted({i for idx in index_sets for i in idx})
    known = fits.of(primes[used]) if used else []
    position = {i: j for j, i in enumerate(used)}.__getitem__
    local = [list(map(position, idx)) for idx in index_sets]
    members = np.array([m for _, m, _ in known]) if known else np.zeros((0, len(fits.y)))
    model_fit, cov_u = models_fit(members, fits.y, local)
    terms = [t for t, _, _ in known].__getitem__
    stats = [s for _, _, s in known].__getitem__
    return tuple(Model(terms=tuple(map(terms, idx)), fit=f,
                       term_fits=tuple(_term_fit(terms(i), stats(i), cu) for i, cu in zip(idx, u)))
                 for idx, f, u in zip(local, model_fit, cov_u))


def prime_term(tt: TruthTable, prime) -> Term:
    """A prime of ``tt``'s chart as a term: ``A*~B``, or ``DEV[2]*URB[0]`` in a multi-value table.

    Parameters
    ----------
    tt : TruthTable
        The truth table (its conditions, and whether it is multi-value).
    prime : sequence of int
        Digits 0, 1, 2 (binary, 2 = left out) or values and -1 (multi-value, ``mv_primes``).

    Returns
    -------
    Term
        An ``MVTerm`` for a multi-value table.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> str(prime_term(truth_table(load("LF"), "SURV"), [1, 2, 2, 0, 2]))
    'DEV*~IND'
    """
    if tt.levels:
        return implicant_term_mv(prime, tt.conditions)
    return _binary_term(tuple(tt.conditions), np.asarray(prime, dtype=np.int8).tobytes())


@lru_cache(maxsize=1 << 16)
def _binary_term(conditions: tuple, digits: bytes) -> Term:
    """A binary prime as a ``Term``, made once per conditions and digits (``Term`` is immutable):
    a multiverse writes the same few primes hundreds of thousands of times."""
    return Term(implicant_literals(digits, conditions))


def _term_fit(term, stats, cov_u) -> TermFit:
    fit, cases = stats
    return TermFit(term=term, inclS=fit.inclS, PRI=fit.PRI, covS=fit.covS, covU=float(cov_u), cases=cases)


def simplifying_assumptions(k, primes, index_sets, positive) -> list:
    """The remainders covered by each model's primes: its simplifying assumptions, as row codes.

    Parameters
    ----------
    k : int
        The number of conditions.
    primes : numpy.ndarray
        The chart's primes (rows of digits 0, 1, 2).
    index_sets : sequence of sequences of int
        Each model as indices into ``primes``.
    positive : array-like of int
        The positive rows (codes).

    Returns
    -------
    list of numpy.ndarray
        Per model, the sorted codes of the rows it covers that are not positive.

    Notes
    -----
    A simplifying assumption is a logical remainder a parsimonious model covers (Ragin 2008,
    ch. 9; Schneider & Wagemann 2012, ch. 6): every row a model covers that is not positive is a
    remainder, since a model may not cover negative rows.  R's ``minimize(..., include = "?")``
    lists them in ``$SA`` per model.  Each prime's coverage of all 2^k rows is computed once.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 6.

    Examples
    --------
    >>> from analysis.qca import truth_table, minimize
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> pars = minimize(tt, include="?")
    >>> simplifying_assumptions(tt.k, pars.primes, pars.covers, tt.positive)[0].tolist()
    [9, 11, 13, 15, 16, 17, 20, 24, 25, 27, 28, 29]
    """
    if 0 < k <= primes_small.SMALL_K:            # a few conditions: rows as Python ints (cover_small)
        return small_simplifying_assumptions(k, primes, index_sets, positive)
    everything = all_codes(k)
    used = sorted({i for idx in index_sets for i in idx})
    position = {p: j for j, p in enumerate(used)}
    cov = covers(primes[used], everything, k)
    cov[:, positive] = False
    packed = np.packbits(cov, axis=1)            # a model's union: 8 rows a byte ...
    if packed.shape[1] % 8 == 0:
        packed = packed.view(np.uint64)          # ... 64 rows a word (from 6 conditions)
    out = []
    for idx in index_sets:
        union = np.bitwise_or.reduce(packed[[position[i] for i in idx]], axis=0)
        out.append(np.flatnonzero(np.unpackbits(union.view(np.uint8)).view(bool)[:len(everything)]))
    return out
