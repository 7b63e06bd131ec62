"""The memberships of a specification's cases in its models, from one table of its literals.

Every specification refits its models on its own memberships: the union of the tied models'
terms (``analysis.qca.models_membership``: the maximum over the distinct terms of the minimum
over their literals) and, for the claims about consistency, each model alone.  With binary
conditions a literal is a column of ``x`` or of ``1 - x``; ``Literals`` holds both side by side
(cases x 2k) and takes a set of terms as one index array (each term padded with its own first
literal, which leaves the minimum unchanged), so that the membership is two numpy reductions.
Minimum and maximum are exact, so the values are ``models_membership``'s bit for bit
(``tests/test_multiverse_reference.py``).

>>> lit = Literals(np.array([[0.9, 0.3], [0.2, 0.8]]), ("A", "B"))
>>> lit.membership([((("A", True),), (("A", False), ("B", True)))]).tolist()
[0.9, 0.8]
"""
from __future__ import annotations

import numpy as np

from ..qca.expressions import is_binary_literal

__all__ = ["Literals"]

_INDEX: dict = {}                  # (conditions, terms) -> index array (terms x longest term)
_INDEX_LIMIT = 50_000


class Literals:
    """The cases' memberships in every literal of ``conditions`` (binary): ``x`` (cases x
    conditions) and ``1 - x`` side by side."""

    def __init__(self, x: np.ndarray, conditions):
        self.conditions = tuple(conditions)
        self.table = np.concatenate([x, 1 - x], axis=1)

    def _index(self, terms: tuple):
        key = (self.conditions, terms)
        index = _INDEX.get(key)
        if index is None:
            if not all(len(t) and all(is_binary_literal(v) and n in self.conditions for n, v in t) for t in terms):
                raise ValueError("Literals takes terms of binary literals of its conditions")
            where, k = {c: j for j, c in enumerate(self.conditions)}, len(self.conditions)
            rows = [[where[name] if value else k + where[name] for name, value in term] for term in terms]
            longest = max(len(r) for r in rows)
            index = np.array([r + r[:1] * (longest - len(r)) for r in rows], dtype=np.int64)
            if len(_INDEX) >= _INDEX_LIMIT:
                _INDEX.clear()
            _INDEX[key] = index
        return index

    def membership(self, models) -> np.ndarray:
        """``models_membership`` of ``models`` (Models or tuples of terms) on these cases."""
        terms = tuple(sorted({t for m in models for t in getattr(m, "terms", m)}))
        if not terms:
            return np.zeros(self.table.shape[0])
        return self.table[:, self._index(terms)].min(axis=2).max(axis=1)
