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
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import chain

import numpy as np
import pandas as pd

from . import kernels
from .sets import membership, outcome_membership, term_string

__all__ = ["SufficiencyFit", "NecessityFit", "ratio", "sufficiency", "necessity", "unique_coverage",
           "models_fit", "pof", "necessity_table"]


class _Fit:
    """A frozen record of parameters of fit; ``to_dict()`` gives its fields as a dict."""

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class SufficiencyFit(_Fit):
    """Parameters of fit of X as sufficient for Y: inclS, PRI, covS (module docstring)."""

    inclS: float
    PRI: float
    covS: float


@dataclass(frozen=True)
class NecessityFit(_Fit):
    """Parameters of fit of X as necessary for Y: inclN, RoN, covN (module docstring)."""

    inclN: float
    RoN: float
    covN: float


def ratio(num, den) -> float:
    """num / den as a float, NaN when the denominator is 0 (R's QCA prints NaN there too).

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
    """inclS, PRI and covS of X as sufficient for Y (formulas in the module docstring).

    >>> sufficiency([0.25, 0.75, 1.0], [0.5, 0.75, 0.5])
    SufficiencyFit(inclS=0.75, PRI=0.5, covS=0.8571428571428571)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    return _sufficiency_of_sums(xy.sum(), x.sum(), np.minimum(xy, 1 - y).sum(), y.sum())


def necessity(x, y) -> NecessityFit:
    """inclN, RoN and covN of X as necessary for Y (formulas in the module docstring).

    >>> necessity([0.75, 1.0, 0.5], [0.5, 0.75, 0.5])
    NecessityFit(inclN=1.0, RoN=0.6, covN=0.7777777777777778)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    return NecessityFit(inclN=ratio(xy.sum(), y.sum()), RoN=ratio((1 - x).sum(), (1 - xy).sum()),
                        covN=ratio(xy.sum(), x.sum()))


def unique_coverage(term_members, y) -> np.ndarray:
    """covU of each term (rows of ``term_members``) within the model they form together.

    The model without term t has, case by case, the largest membership among the other terms:
    the second largest of all terms where t holds the largest, the largest elsewhere.

    >>> unique_coverage([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0]).tolist()
    [0.5, 0.5]
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

    ``term_members`` holds one row of memberships per term (terms x cases); each model is a
    sequence of row indices.  The formulas are those of ``sufficiency`` (the model's membership
    is the maximum over its terms) and ``unique_coverage``, applied to all models with the same
    number of terms in one array operation, summing over cases in the same order, so the numbers
    are bit for bit those of the one-model functions.  Large problems (``COMPILED_FROM`` terms x
    cases) go to the compiled loop of ``kernels.fit``, bit for bit the same again.
    Returns (fits, covU): a list of ``SufficiencyFit`` and a list of arrays, in the order of
    ``models``.

    >>> fits, cov_u = models_fit([[1.0, 0.0], [0.0, 1.0]], [1.0, 1.0], [(0,), (0, 1)])
    >>> fits[1].covS, cov_u[1].tolist()
    (1.0, [0.5, 0.5])
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


def pof(setms, outcome, data: pd.DataFrame = None, relation: str = "necessity",
        neg_out: bool = False) -> pd.DataFrame:
    """Parameters of fit of one or more set expressions for an outcome (R's ``pof``).

    Parameters
    ----------
    setms : str or list of str
        Expressions over the columns of ``data`` (``"A*~B"``); several are also read as the
        terms of one model.
    outcome : str or array-like
        A column of ``data`` (``"~Y"`` for its negation), or the outcome's memberships.
    data : pandas.DataFrame
        Memberships, one row per case.
    relation : {"necessity", "sufficiency"}, default "necessity"
        As R's ``pof``, whose default is necessity.
    neg_out : bool
        Explain the negated outcome (as ``"~Y"``).

    Returns
    -------
    pandas.DataFrame
        One row per expression (indexed by it): inclN, RoN, covN for necessity; inclS, PRI,
        covS for sufficiency, and with several expressions also covU and a last row ``model``,
        the fit of their union (as R prints ``pof("A + B", ..., relation = "sufficiency")``).

    Notes
    -----
    The formulas are in this module's docstring (Ragin 2006; Schneider & Wagemann 2012, ch. 5
    and 9; Dusa 2019, ch. 5).

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.25, 0.75, 1.0], "Y": [0.5, 0.75, 0.5]})
    >>> pof("A", "Y", data, relation="sufficiency")
                inclS  PRI      covS
    expression
    A            0.75  0.5  0.857143
    >>> pof("A", "Y", data).round(3)
                inclN    RoN  covN
    expression
    A           0.857  0.667  0.75
    """
    expressions = setms
    if isinstance(expressions, str):
        expressions = [expressions]
    y = outcome_membership(data, outcome, neg_out) if isinstance(outcome, str) else \
        (1 - np.asarray(outcome, float) if neg_out else np.asarray(outcome, float))
    members = np.array([membership(data, e).to_numpy() for e in expressions])
    rows = []
    if relation.startswith("suf"):
        for e, m in zip(expressions, members):
            rows.append({"expression": e, **sufficiency(m, y).to_dict()})
        if len(expressions) > 1:
            for r, cu in zip(rows, unique_coverage(members, y)):
                r["covU"] = cu
            rows.append({"expression": "model", **sufficiency(members.max(axis=0), y).to_dict()})
    elif relation.startswith("nec"):
        for e, m in zip(expressions, members):
            rows.append({"expression": e, **necessity(m, y).to_dict()})
    else:
        raise ValueError("relation must be 'sufficiency' or 'necessity'")
    return pd.DataFrame(rows).set_index("expression")


def _literal_name(name, present):
    return term_string(((name, present),))


def necessity_table(data: pd.DataFrame, outcome: str, conditions, neg_out: bool = False) -> pd.DataFrame:
    """Each condition and its negation as necessary for the outcome: inclN, RoN, covN.

    The rows are the conditions in the given order, then their negations (``~X``), as in the
    reference output of R's ``pof(..., relation = "necessity")``.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.75, 1.0, 0.5], "Y": [0.5, 0.75, 0.5]})
    >>> necessity_table(data, "Y", ["A"])
      condition     inclN  RoN      covN
    0         A  1.000000  0.6  0.777778
    1        ~A  0.428571  1.0  1.000000
    """
    y = outcome_membership(data, outcome, neg_out)
    rows = []
    for present in (True, False):
        for c in conditions:
            x = data[c].to_numpy(dtype=float)
            rows.append({"condition": _literal_name(c, present),
                         **necessity(x if present else 1 - x, y).to_dict()})
    return pd.DataFrame(rows, columns=["condition", "inclN", "RoN", "covN"])

