"""Set algebra on fuzzy memberships (Zadeh 1965; Ragin 2008, ch. 2; Dusa 2019, ch. 3).

- negation:      ~A = 1 - A
- intersection:  A*B = min(A, B)      (logical AND)
- union:         A + B = max(A, B)    (logical OR)

Expressions are written as in R's QCA: a sum of products such as ``DEV*~IND + URB*STB``, where
``*`` is AND, ``+`` is OR and ``~`` negates a single condition.  ``parse`` turns one into a tuple of
terms, each a tuple of ``(condition, present)`` literals, and checks every name against the data.
``term_membership`` is the one place where a case's membership in a conjunction is computed;
``membership`` and ``models_membership`` build on it.  This module computes memberships; the
expression language itself (``parse``, ``Term``, ``term_string``, the outcome's name ``"~Y"``) is
``analysis.qca.expressions``.

>>> import pandas as pd
>>> data = pd.DataFrame({"A": [0.9, 0.25], "B": [0.25, 0.75], "C": [0.5, 0.125]}, index=["x", "y"])
>>> parse("A*~B + C")
((('A', True), ('B', False)), (('C', True),))
>>> membership(data, "A*~B + C").tolist()
[0.75, 0.25]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import QCAError
from .expressions import expression_string, is_binary_literal, not_a_set, outcome_of, parse

__all__ = ["outcome_membership", "negate", "fuzzy_and", "fuzzy_or", "membership", "term_membership",
           "models_membership", "value_membership", "data_levels"]


def negate(x):
    """Set negation: ~x = 1 - x.

    Parameters
    ----------
    x : float or array-like of float
        Memberships in a set (a number, a numpy array or a pandas Series).

    Returns
    -------
    float or array-like
        1 - x, of the same type as ``x``.

    Notes
    -----
    Zadeh's (1965) complement, the negation of fuzzy-set QCA (Ragin 2008, ch. 2; Dusa 2019,
    ch. 3), written ``~X`` in R's expressions.  It negates memberships; admisc's ``negate()``
    negates a Boolean *expression* (De Morgan), which is a different function.

    References
    ----------
    Zadeh, L. A. (1965). Fuzzy sets. *Information and Control*, 8(3), 338-353.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 2.

    Examples
    --------
    >>> negate(0.25)
    0.75
    >>> from analysis.qca.datasets import load
    >>> negate(load("LF")["SURV"]).head(2).tolist()
    [0.95, 0.050000000000000044]
    """
    return 1 - x


def fuzzy_and(*xs):
    """Intersection (logical AND): the element-wise minimum of the memberships.

    Parameters
    ----------
    *xs : array-like of float
        Two or more membership vectors of the same length.

    Returns
    -------
    numpy.ndarray of float
        min(x1, x2, ...) case by case.

    Notes
    -----
    A*B = min(A, B) (Zadeh 1965; Ragin 2008, ch. 2); R's QCA ``fuzzyand``.

    References
    ----------
    Zadeh, L. A. (1965). Fuzzy sets. *Information and Control*, 8(3), 338-353.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 2.

    Examples
    --------
    >>> fuzzy_and([0.2, 0.9], [0.5, 0.7]).tolist()
    [0.2, 0.7]
    >>> from analysis.qca.datasets import load
    >>> lf = load("LF")
    >>> fuzzy_and(lf["DEV"], lf["STB"])[:3].tolist()
    [0.43, 0.98, 0.58]
    """
    return np.minimum.reduce([np.asarray(x, dtype=float) for x in xs])


def fuzzy_or(*xs):
    """Union (logical OR): the element-wise maximum of the memberships.

    Parameters
    ----------
    *xs : array-like of float
        Two or more membership vectors of the same length.

    Returns
    -------
    numpy.ndarray of float
        max(x1, x2, ...) case by case.

    Notes
    -----
    A + B = max(A, B) (Zadeh 1965; Ragin 2008, ch. 2); R's QCA ``fuzzyor``.

    References
    ----------
    Zadeh, L. A. (1965). Fuzzy sets. *Information and Control*, 8(3), 338-353.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 2.

    Examples
    --------
    >>> fuzzy_or([0.2, 0.9], [0.5, 0.7]).tolist()
    [0.5, 0.9]
    >>> from analysis.qca.datasets import load
    >>> lf = load("LF")
    >>> fuzzy_or(lf["DEV"], lf["STB"])[:3].tolist()
    [0.81, 0.99, 0.91]
    """
    return np.maximum.reduce([np.asarray(x, dtype=float) for x in xs])


def outcome_membership(data, outcome: str, neg_out: bool = False) -> np.ndarray:
    """The memberships in the outcome, ``1 - Y`` for ``"~Y"`` or ``neg_out``, as floats.

    Parameters
    ----------
    data : pandas.DataFrame or mapping
        Memberships, with the outcome's column.
    outcome : str
        The outcome's column, ``"~Y"`` for its negation.
    neg_out : bool, default False
        Negate (once more).

    Returns
    -------
    numpy.ndarray of float

    Notes
    -----
    ~Y = 1 - Y (Zadeh 1965; see ``negate``).

    Examples
    --------
    >>> outcome_membership({"Y": [0.2, 0.9]}, "~Y").tolist()
    [0.8, 0.09999999999999998]
    >>> from analysis.qca.datasets import load
    >>> outcome_membership(load("LF"), "~SURV")[:3].round(2).tolist()
    [0.95, 0.05, 0.11]
    """
    name, negated = outcome_of(outcome, neg_out)
    y = _values(data, name)
    return 1 - y if negated else y


def _values(data, name) -> np.ndarray:
    return np.asarray(data[name], dtype=float)


def _literal(data, name, value) -> np.ndarray:
    """Membership in one literal: X or ~X (binary), or the value(s) of a multi-value literal."""
    x = _values(data, name)
    if is_binary_literal(value):
        if len(x) and np.nanmax(x) > 1:           # R's compute: "Part(s) of the expression refer to multi-value data"
            raise not_a_set(name, np.nanmax(x))
        return x if value else 1 - x
    return value_membership(x, value)


def value_membership(x, value) -> np.ndarray:
    """Membership in a value (or values) of a condition: ``X[1]``, ``X[0]``, ``DEV[2]``, ``DEV[1,2]``.

    Parameters
    ----------
    x : array-like of float
        The condition's column: memberships in [0, 1], or the values of a multi-value condition.
    value : int or tuple of int
        The value, or several (their union).

    Returns
    -------
    numpy.ndarray of float

    Notes
    -----
    A column whose values all lie in [0, 1] is a binary set: its value 1 is X and its value 0 is
    1 - X (on crisp 0/1 data the same as below).  A multi-value column (whole numbers, some 2 or
    more) is crisp in each value: 1 where the case has it, 0 elsewhere.  Several values are their
    union (maximum), as admisc computes ``DEV[1,2]`` (Dusa 2019, ch. 7).

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> value_membership([0, 1, 2], 2).tolist(), value_membership([0.2, 0.9], 0).tolist()
    ([0.0, 0.0, 1.0], [0.8, 0.09999999999999998])
    >>> value_membership([0, 1, 2], (1, 2)).tolist()
    [0.0, 1.0, 1.0]
    """
    x = np.asarray(x, dtype=float)
    values = value if isinstance(value, tuple) else (value,)
    if len(x) and np.nanmax(x) <= 1:
        parts = [x if v == 1 else (1 - x if v == 0 else np.zeros_like(x)) for v in values]
        return np.maximum.reduce(parts)
    return np.isin(x, values).astype(float)


def data_levels(data) -> dict:
    """``{column: number of values}`` of the multi-value columns of ``data`` (whole numbers from 0,
    some 2 or more: R's rule), to negate a multi-value literal such as ``~DEV[2]``."""
    out = {}
    for c in getattr(data, "columns", data):
        x = pd.to_numeric(pd.Series(np.asarray(data[c]).ravel()), errors="coerce").to_numpy(dtype=float)
        if len(x) and np.all(np.isfinite(x)) and np.all(x >= 0) and np.all(x == np.floor(x)) and x.max() >= 2:
            out[c] = int(x.max()) + 1
    return out


def term_membership(data, term) -> np.ndarray:
    """Membership of every case in one conjunction: the minimum over its literals.

    Parameters
    ----------
    data : pandas.DataFrame or mapping
        Memberships, or a mapping from condition names to arrays.
    term : sequence of (str, bool)
        The literals; ``~X`` contributes ``1 - X``.

    Returns
    -------
    numpy.ndarray of float
        One membership per case.

    Notes
    -----
    A*~B = min(A, 1 - B) (Zadeh 1965; Ragin 2008, ch. 2).  This is the one place where a case's
    membership in a conjunction is computed; ``membership`` and ``models_membership`` build on it.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 2.

    Examples
    --------
    >>> term_membership({"A": [0.9, 0.25], "B": [0.25, 0.75]}, (("A", True), ("B", False))).tolist()
    [0.75, 0.25]
    >>> from analysis.qca.datasets import load
    >>> term_membership(load("LF"), (("DEV", True), ("IND", False)))[:3].round(2).tolist()
    [0.27, 0.0, 0.1]
    """
    return fuzzy_and(*[_literal(data, name, value) for name, value in term])


def membership(data: pd.DataFrame, expression) -> pd.Series:
    """Membership of every case in an expression (R's ``compute``).

    Parameters
    ----------
    data : pandas.DataFrame
        Memberships, one row per case; the columns are the condition names.
    expression : str or sequence of terms
        A sum of products such as ``"DEV*~IND + URB*STB"`` (names checked against the columns), or
        terms as ``parse`` returns them.

    Returns
    -------
    pandas.Series
        Indexed as ``data``, named by the expression.

    Raises
    ------
    QCAError
        When the expression cannot be parsed or names an unknown column.

    Notes
    -----
    The maximum over the terms of the minimum over each term's literals (``~X`` = 1 - X):
    max_t min_(X in t) X (Zadeh 1965; Ragin 2008, ch. 2), as admisc's ``compute(expression,
    data)`` returns it (Dusa 2019, ch. 3).

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 2.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 3.

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> membership(load("LF"), "DEV*~IND + URB*STB").head(3)
    case
    AU    0.27
    BE    0.89
    CZ    0.91
    Name: DEV*~IND + URB*STB, dtype: float64
    """
    if isinstance(expression, str):
        values = "[" in expression or "{" in expression     # the number of values: ~DEV[2], a bare DEV
        terms = parse(expression, list(data.columns), data_levels(data) if values else None)
    else:
        terms = expression
    values = fuzzy_or(*[term_membership(data, t) for t in terms])
    label = expression if isinstance(expression, str) else expression_string(terms)
    return pd.Series(values, index=data.index, name=label)


def models_membership(data, models, n_cases: int) -> np.ndarray:
    """Membership of every case in the union of the terms of several models.

    Parameters
    ----------
    data : pandas.DataFrame or mapping
        Memberships in the conditions.
    models : sequence of Model or of tuples of terms
        The models whose terms are united (a term in several models counts once).
    n_cases : int
        The number of cases (the length of the result when there is no term).

    Returns
    -------
    numpy.ndarray of float
        The maximum over the distinct terms of their memberships; 0 for every case when there is
        no term (no solution: nothing was found sufficient).

    Notes
    -----
    Union = maximum (Zadeh 1965; Ragin 2008, ch. 2), over the terms of all the models together:
    the cases any of the tied models covers.

    Examples
    --------
    >>> models_membership({"A": [0.9, 0.2], "B": [0.3, 0.8]}, [((("A", True),),), ((("B", True),),)], 2).tolist()
    [0.9, 0.8]
    >>> from analysis.qca.datasets import load
    >>> models_membership(load("LF"), [parse("DEV*STB"), parse("URB + LIT")], 18)[:3].tolist()
    [0.99, 0.98, 0.98]
    """
    terms = sorted({t for m in models for t in getattr(m, "terms", m)})
    if not terms:
        return np.zeros(n_cases)
    return np.max([term_membership(data, t) for t in terms], axis=0)
