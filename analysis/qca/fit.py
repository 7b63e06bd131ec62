"""Parameters of fit for set relations (Ragin 2006; Schneider & Wagemann 2012, ch. 5 and 9).

With X the membership in a condition or expression and Y in the outcome, over all cases:

Sufficiency (X is a subset of Y)
    inclS = sum(min(X, Y)) / sum(X)                                   consistency (Ragin 2006)
    PRI   = (sum(min(X, Y)) - sum(min(X, Y, ~Y)))
            / (sum(X) - sum(min(X, Y, ~Y)))                 proportional reduction in inconsistency
    covS  = sum(min(X, Y)) / sum(Y)                                   coverage (Ragin 2006)

Necessity (Y is a subset of X)
    inclN = sum(min(X, Y)) / sum(Y)
    RoN   = sum(1 - X) / sum(1 - min(X, Y))                 relevance of necessity (Schneider &
                                                                      Wagemann 2012, p. 236)
    covN  = sum(min(X, Y)) / sum(X)

Unique coverage of a term within a model (Ragin 2008, p. 86) is the coverage of the whole model
minus the coverage of the model without that term:  covU_t = covS(M) - covS(M without t).

These are the formulas of R's QCA ``pof()`` (Dusa 2019, ch. 5); a ratio whose denominator is 0
is reported as NaN.

This module holds the records (``SufficiencyFit``), ``ratio`` and the sufficiency measures: inclS,
PRI, covS (``sufficiency``), covU (``unique_coverage``) and the fit of many models at once
(``models_fit``).  The necessity measures inclN, RoN, covN are in ``analysis.qca.fit_necessity``,
R's ``pof`` in ``analysis.qca.fit_pof``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import chain

import numpy as np

from . import kernels

__all__ = ["SufficiencyFit", "ratio", "sufficiency", "unique_coverage", "models_fit"]


class _Fit:
    """A frozen record of parameters of fit; ``to_dict()`` gives its fields as a dict."""

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class SufficiencyFit(_Fit):
    """Parameters of fit of X as sufficient for Y: inclS, PRI, covS.

    A frozen record; ``to_dict()`` gives its fields as a dict.

    Parameters
    ----------
    inclS : float
        Consistency of sufficiency, sum(min(X, Y)) / sum(X).
    PRI : float
        Proportional reduction in inconsistency, (sum(min(X, Y)) - sum(min(X, Y, ~Y))) /
        (sum(X) - sum(min(X, Y, ~Y))).
    covS : float
        Coverage of sufficiency, sum(min(X, Y)) / sum(Y).

    Notes
    -----
    The formulas of R's ``pof(..., relation = "sufficiency")`` (Ragin 2006; Schneider & Wagemann
    2012, ch. 5 and 9; Dusa 2019, ch. 5); a ratio whose denominator is 0 is NaN.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 5 and 9.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 5.

    Examples
    --------
    >>> fit = SufficiencyFit(inclS=0.9, PRI=0.8, covS=0.5)
    >>> fit.to_dict()
    {'inclS': 0.9, 'PRI': 0.8, 'covS': 0.5}
    """

    inclS: float
    PRI: float
    covS: float


def ratio(num, den) -> float:
    """The ratio num / den as a float; NaN when the denominator is 0.

    Parameters
    ----------
    num, den : float
        Numerator and denominator (sums of memberships).

    Returns
    -------
    float

    Notes
    -----
    R's QCA prints NaN for 0/0 too (``pof``); ``super_subset`` differs and reads 0/0 as 0, as R's
    ``superSubset`` does.

    Examples
    --------
    >>> ratio(1, 4), ratio(1, 0)
    (0.25, nan)
    """
    return float(num / den) if den != 0 else float("nan")


def _sufficiency_of_sums(s_xy, s_x, s_xyny, s_y) -> SufficiencyFit:
    """inclS, PRI, covS from the sums of min(X, Y), X, min(X, Y, ~Y) and Y."""
    return SufficiencyFit(inclS=ratio(s_xy, s_x), PRI=ratio(s_xy - s_xyny, s_x - s_xyny), covS=ratio(s_xy, s_y))


def _per_y(u, y_sum) -> np.ndarray:
    """Differences of sums of min(., Y) as shares of sum(Y) (NaN when sum(Y) is 0)."""
    return u / y_sum if y_sum != 0 else np.full(np.shape(u), np.nan)


def sufficiency(x, y) -> SufficiencyFit:
    """Parameters of fit of X as sufficient for Y: inclS, PRI and covS.

    Parameters
    ----------
    x : array-like of float
        Memberships in the condition or expression X, one per case.
    y : array-like of float
        Memberships in the outcome Y (already negated for ~Y).

    Returns
    -------
    SufficiencyFit

    Notes
    -----
    Over all cases:

        inclS = sum(min(X, Y)) / sum(X)                                     (Ragin 2006)
        PRI   = (sum(min(X, Y)) - sum(min(X, Y, ~Y))) / (sum(X) - sum(min(X, Y, ~Y)))
        covS  = sum(min(X, Y)) / sum(Y)                                     (Ragin 2006)

    with ~Y = 1 - Y (Schneider & Wagemann 2012, ch. 5 and 9; R's ``pof``, Dusa 2019, ch. 5); NaN
    where a denominator is 0.  R's ``pof`` sets any parameter below 0.00001 to 0 ("to take care of
    double precision numbers"); the engine reports the number as computed.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 5 and 9.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 5.

    Examples
    --------
    >>> sufficiency([0.25, 0.75, 1.0], [0.5, 0.75, 0.5])
    SufficiencyFit(inclS=0.75, PRI=0.5, covS=0.8571428571428571)
    >>> from analysis.qca.datasets import load
    >>> lf = load("LF")
    >>> sufficiency(lf["DEV"], lf["SURV"])
    SufficiencyFit(inclS=0.7746170678336981, PRI=0.743142144638404, covS=0.8309859154929577)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    return _sufficiency_of_sums(xy.sum(), x.sum(), np.minimum(xy, 1 - y).sum(), y.sum())


def unique_coverage(term_members, y) -> np.ndarray:
    """The unique coverage (covU) of each term within the model the terms form together.

    Parameters
    ----------
    term_members : array-like of float, shape (terms, cases)
        Each term's memberships.
    y : array-like of float
        The outcome's memberships.

    Returns
    -------
    numpy.ndarray of float
        One covU per term (NaN for every term when sum(Y) is 0).

    Notes
    -----
    covU_t = covS(M) - covS(M without t) (Ragin 2008, p. 86), with M the union (maximum) of the
    terms: the model without term t has, case by case, the largest membership among the other
    terms, i.e. the second largest of all terms where t holds the largest, the largest elsewhere.
    With one term, covU = covS.  R's ``pof`` reports the same covU for the terms of a model (and
    none for a lone term, where the engine's ``pof`` reports none either).

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, p. 86.

    Examples
    --------
    >>> unique_coverage([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0]).tolist()
    [0.5, 0.5]
    >>> from analysis.qca.datasets import load
    >>> from analysis.qca import membership
    >>> lf = load("LF")
    >>> unique_coverage([membership(lf, "DEV*STB"), membership(lf, "URB*LIT")], lf["SURV"]).round(4).tolist()
    [0.3556, 0.0692]
    """
    m = np.asarray(term_members, dtype=float)
    y = np.asarray(y, dtype=float)
    n_terms = m.shape[0]
    top = m.max(axis=0)
    total = np.minimum(top, y).sum()
    if n_terms == 1:
        return _per_y(np.array([total]), y.sum())
    first = m.argmax(axis=0)
    second = np.partition(m, n_terms - 2, axis=0)[n_terms - 2]
    others = np.where(first[None, :] == np.arange(n_terms)[:, None], second[None, :], top[None, :])
    rest = np.minimum(others, y[None, :]).sum(axis=1)
    return _per_y(total - rest, y.sum())


CHUNK_FLOATS = 4_000_000   # models x terms x cases held at once by ``models_fit`` (32 MB)
COMPILED_FROM = 2_000_000  # terms x cases over all models from which the compiled kernel is used


def models_fit(term_members, y, models) -> tuple:
    """The fit of many models at once: inclS, PRI, covS of each model and covU of its terms.

    Parameters
    ----------
    term_members : array-like of float, shape (terms, cases)
        One row of memberships per term.
    y : array-like of float
        The outcome's memberships.
    models : sequence of sequences of int
        Each model as row indices into ``term_members``.

    Returns
    -------
    tuple
        ``(fits, covU)``: a list of ``SufficiencyFit`` and a list of arrays (each term's covU), both
        in the order of ``models``.

    Notes
    -----
    The formulas of ``sufficiency`` (the model's membership is the maximum over its terms) and
    ``unique_coverage``, applied to all models with the same number of terms in one array
    operation, summing over cases in the same order, so the numbers are bit for bit those of the
    one-model functions.  Large problems (``COMPILED_FROM`` terms x cases) go to the compiled loop
    of ``kernels.fit``, bit for bit the same again.  R's ``minimize`` computes the same numbers with
    ``pof`` once per model (``$IC$individual``).

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, p. 86.

    Examples
    --------
    >>> fits, cov_u = models_fit([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0], [(0,), (0, 1)])
    >>> fits[1].covS, cov_u[1].tolist()
    (1.0, [0.5, 0.5])
    >>> from analysis.qca.datasets import load
    >>> from analysis.qca import membership
    >>> lf = load("LF")
    >>> terms = [membership(lf, t) for t in ("DEV*STB", "URB*LIT", "LIT*STB")]
    >>> fits, cov_u = models_fit(terms, lf["SURV"], [(0, 1), (2,)])
    >>> round(fits[0].inclS, 4), cov_u[0].round(4).tolist()
    (0.8122, [0.3556, 0.0692])
    """
    t = np.asarray(term_members, dtype=float)
    y = np.asarray(y, dtype=float)
    n = t.shape[1] if t.ndim == 2 else len(y)
    if sum(len(m) for m in models) * n >= COMPILED_FROM:
        from .kernels import fit as fit_kernel
        kernel = fit_kernel.compiled()
        if kernel is not None:
            return _models_fit_compiled(kernel, t, y, models)
    y_sum, not_y = y.sum(), 1 - y
    fits, cov_u = [None] * len(models), [None] * len(models)
    by_size: dict = {}
    for i, m in enumerate(models):
        by_size.setdefault(len(m), []).append(i)
    for size, which in by_size.items():
        step = max(1, CHUNK_FLOATS // max(1, size * n))
        for start in range(0, len(which), step):
            part = which[start:start + step]
            idx = np.array([models[i] for i in part], dtype=np.intp).reshape(len(part), size)
            block = t[idx]                                     # models x terms x cases
            top = block.max(axis=1)
            xy = np.minimum(top, y)
            s_xy, s_x = xy.sum(axis=1), top.sum(axis=1)
            s_xyny = np.minimum(xy, not_y).sum(axis=1)
            if size == 1:
                u = s_xy[:, None]
            else:
                first = block.argmax(axis=1)
                second = np.partition(block, size - 2, axis=1)[:, size - 2]
                own = first[:, None, :] == np.arange(size)[None, :, None]
                others = np.where(own, second[:, None, :], top[:, None, :])
                u = s_xy[:, None] - np.minimum(others, y).sum(axis=2)
            u = _per_y(u, y_sum)
            for j, i in enumerate(part):
                fits[i] = _sufficiency_of_sums(s_xy[j], s_x[j], s_xyny[j], y_sum)
                cov_u[i] = u[j]
    return fits, cov_u


def _models_fit_compiled(kernel, t, y, models) -> tuple:
    """``models_fit`` by the compiled kernel (``kernels.fit``): the same sums, same order."""
    ptr = np.concatenate([[0], np.cumsum([len(m) for m in models])]).astype(np.int64)
    idx = np.fromiter(chain.from_iterable(models), dtype=np.int64, count=int(ptr[-1]))
    sums, rest = np.zeros((len(models), 3)), np.zeros(int(ptr[-1]))
    t, not_y = np.ascontiguousarray(t), 1 - y
    # the models are shared out among the cores by their number of terms; each thread writes
    # its own models' rows of sums and rest (the kernel releases the GIL): same numbers
    bounds = np.searchsorted(ptr, np.linspace(0, ptr[-1], kernels.threads() + 1)[1:-1])
    pieces = list(zip(np.r_[0, bounds], np.r_[bounds, len(models)]))

    def run(piece):
        a, b = piece
        kernel(t, y, not_y, ptr[a:b + 1] - ptr[a], idx[ptr[a]:ptr[b]], sums[a:b], rest[ptr[a]:ptr[b]])

    kernels.run_pieces(run, pieces)
    y_sum = y.sum()
    fits, cov_u = [], []
    for m, (s_xy, s_x, s_xyny) in enumerate(sums):     # rest stays 0 for one-term models: covU = covS
        fits.append(_sufficiency_of_sums(s_xy, s_x, s_xyny, y_sum))
        cov_u.append(_per_y(s_xy - rest[ptr[m]:ptr[m + 1]], y_sum))
    return fits, cov_u
