"""Remainders of a multi-value truth table: the rows in which an expression is true, and the
simplifying assumptions of a coding, for ``find_rows``, ``exclude`` and ``esa`` (Schneider &
Wagemann 2013; Dusa 2019, ch. 8.6).

``analysis.qca.remainders`` and ``analysis.qca.enhanced`` call these for a truth table with
``levels`` (mixed-radix rows, ``analysis.qca.mv_rows``); binary tables keep their bit-mask
paths.

>>> expression_rows_mv("DEV[2]*STB[1] + ~DEV[1,2]*URB", ["DEV", "URB", "STB"], (3, 2, 2)).tolist()
[2, 3, 9, 11]
"""
from __future__ import annotations

from functools import partial

import numpy as np

from .expressions import is_binary_literal, parse
from .mv_rows import all_codes_mv, label_codes, row_digits, row_labels_mv
from .mv_solutions import parsimonious_sa_mv
from .rows import row_label

__all__ = ["expression_rows_mv", "labels_of", "codes_of", "sa_of"]


def expression_rows_mv(expression: str, conditions, levels) -> np.ndarray:
    """The codes of the rows (of all prod(levels)) in which a crisp sum of products is true.

    Parameters
    ----------
    expression : str
        A sum of products over ``conditions``: ``DEV[2]*STB``, ``~DEV[2]``, ``DEV[1,2]``.
    conditions : sequence of str
        The truth table's conditions, in order.
    levels : sequence of int
        The number of values of each condition.

    Returns
    -------
    numpy.ndarray of int64
        Sorted row codes.

    Raises
    ------
    QCAError
        An expression that cannot be parsed or names a condition not in ``conditions``.

    Notes
    -----
    A row is a subset of a sum of products when one of its terms is true in the row's values
    (``remainders.expression_rows`` for binary rows; R's ``findRows(type = 1)``).

    Examples
    --------
    >>> expression_rows_mv("DEV[2]", ["DEV", "URB"], (3, 2)).tolist()
    [4, 5]
    """
    conditions, levels = list(conditions), tuple(levels)
    digits = row_digits(all_codes_mv(levels), levels)
    column = {c: j for j, c in enumerate(conditions)}
    true = np.zeros(len(digits), dtype=bool)
    for term in parse(expression, conditions, dict(zip(conditions, levels))):
        here = np.ones(len(digits), dtype=bool)
        for name, value in term:
            values = ((1,) if value else (0,)) if is_binary_literal(value) else \
                (value if isinstance(value, tuple) else (value,))
            here &= np.isin(digits[:, column[name]], values)
        true |= here
    return np.flatnonzero(true).astype(np.int64)


def labels_of(codes, tt) -> list:
    """Row codes of ``tt`` as its labels (``"10110"``, or ``"20111"`` for a multi-value table).

    Parameters
    ----------
    codes : iterable of int
    tt : TruthTable

    Returns
    -------
    list of str

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> labels_of([39], SimpleNamespace(levels=(3, 2, 2, 2, 2), k=5))
    ['20111']
    """
    codes = np.asarray(list(codes), dtype=np.int64)
    return row_labels_mv(codes, tt.levels) if tt.levels else [row_label(c, tt.k) for c in codes]


def codes_of(labels, tt) -> np.ndarray:
    """Row labels of ``tt`` as codes (``labels_of``' inverse).

    Parameters
    ----------
    labels : iterable of str
    tt : TruthTable

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> codes_of(["20111"], SimpleNamespace(levels=(3, 2, 2, 2, 2), k=5)).tolist()
    [39]
    """
    if tt.levels:
        return label_codes(labels, tt.levels)
    return np.array([int(r, 2) for r in labels], dtype=np.int64)


def sa_of(tt):
    """The function ``remainders.csa_codes`` takes for a coding's simplifying assumptions: None (the
    binary default) or the multi-value one of ``tt``'s levels.

    Parameters
    ----------
    tt : TruthTable

    Returns
    -------
    callable or None

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> sa_of(SimpleNamespace(levels=()))
    """
    if not tt.levels:
        return None
    return partial(_sa, levels=tt.levels)


def _sa(positive, negative, k, levels):
    return parsimonious_sa_mv(positive, negative, levels)
