"""Cases' memberships in sets of models, from one table of the literals: the ``models_membership``
of the robustness sweep and of the multiverse.

The robustness protocol (``analysis.robustness``) fits every solution of every test on the
test's cases, and every specification of the multiverse (``analysis.multiverse``) refits its
models on its own memberships: the union of the tied models' terms
(``analysis.qca.models_membership``: the maximum over the distinct terms of the minimum over
their literals) and each model alone, tens of thousands of times in a study.  With binary conditions (every membership at most 1) a literal
is a column of ``x`` or of ``1 - x``; ``LiteralTable`` holds both side by side (cases x 2k) and
takes a set of terms as one index array (each term padded with its own first literal, which
leaves the minimum unchanged), so that a membership is two numpy reductions.  Minimum and
maximum are exact, so the values are ``models_membership``'s bit for bit
(``tests/test_robustness_speed_memberships.py``, ``tests/test_multiverse_reference.py``).  Multi-value conditions, and terms that are
not binary literals of the table's conditions, take ``models_membership`` itself
(``members``).

>>> table = LiteralTable(np.array([[0.9, 0.3], [0.2, 0.8]]), ("A", "B"))
>>> table.membership([((("A", True),), (("A", False), ("B", True)))]).tolist()
[0.9, 0.8]
"""
from __future__ import annotations

import numpy as np

from .bounded import make_room
from .codings import multivalue
from .qca.expressions import is_binary_literal
from .qca.sets import models_membership

__all__ = ["LiteralTable", "members", "terms_index"]

_INDEX: dict = {}                  # (conditions, terms) -> index array (terms x longest term), or None
_INDEX_LIMIT = 50_000


def _terms(models) -> tuple:
    """The distinct terms of ``models`` (Models or tuples of terms), sorted."""
    return tuple(sorted({t for m in models for t in getattr(m, "terms", m)}))


def _index(conditions: tuple, terms: tuple):
    """The columns of the literal table that each term takes (padded with its first), or None
    when a term is empty or holds a literal that is not a binary literal of ``conditions``."""
    key = (conditions, terms)
    if key in _INDEX:
        return _INDEX[key]
    where, k = {c: j for j, c in enumerate(conditions)}, len(conditions)
    if all(len(t) and all(is_binary_literal(v) and n in where for n, v in t) for t in terms):
        rows = [[where[n] if v else k + where[n] for n, v in t] for t in terms]
        longest = max(len(r) for r in rows)
        index = np.array([r + r[:1] * (longest - len(r)) for r in rows], dtype=np.int64)
    else:
        index = None
    make_room(_INDEX, _INDEX_LIMIT)
    _INDEX[key] = index
    return index


def terms_index(conditions, models):
    """The index ``LiteralTable.take`` reads the union of ``models``' terms with (made once by a
    caller that fits the same models many times), or None when ``membership`` must be used (no
    term, or a term that is not of binary literals of ``conditions``)."""
    terms = _terms(models)
    return _index(tuple(conditions), terms) if terms else None


class LiteralTable:
    """The memberships of some cases in every binary literal of ``conditions``: ``x`` (cases x
    conditions, every value at most 1) and ``1 - x`` side by side."""

    def __init__(self, x: np.ndarray, conditions):
        self.conditions = tuple(conditions)
        self.x = x
        self.table = np.concatenate([x, 1 - x], axis=1)

    def membership(self, models) -> np.ndarray:
        """``models_membership`` of ``models`` (Models or tuples of terms) on these cases."""
        terms = _terms(models)
        if not terms:
            return np.zeros(self.table.shape[0])
        index = _index(self.conditions, terms)
        if index is None:
            return models_membership({c: self.x[:, j] for j, c in enumerate(self.conditions)}, models,
                                     self.table.shape[0])
        return self.take(index)

    def take(self, index: np.ndarray) -> np.ndarray:
        """The membership in the terms of ``index`` (``terms_index`` of these conditions): the
        ``membership`` of its models without finding their terms again."""
        return self.table[:, index].min(axis=2).max(axis=1)


def members(x: np.ndarray, conditions):
    """A function ``models -> memberships`` of the cases ``x`` (cases x ``conditions``) in the union
    of the models' terms: ``LiteralTable(x, conditions).membership``, or the engine's
    ``models_membership`` when a condition is multi-value.

    >>> members(np.array([[0.0], [2.0]]), ("D",))([((("D", 2),),)]).tolist()
    [0.0, 1.0]
    """
    if multivalue(x):
        columns = {c: x[:, j] for j, c in enumerate(conditions)}
        return lambda models: models_membership(columns, models, x.shape[0])
    return LiteralTable(x, conditions).membership
