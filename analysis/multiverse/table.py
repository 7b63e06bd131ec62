"""A chunk's rows as a typed frame: the columns of a specification row, their fixed types, and
the frame built a column at a time in those types.

Every chunk has the same schema (``column_types``): ``int64`` for the specification number, the
``n_cut`` choice and the tied models, ``float64`` for the anchors, the other cut-offs and the fits,
``string`` for the cases and conditions choices and the models' text, ``boolean`` (nullable)
for the claims and core conditions.  ``frame`` builds each column directly in its type
(``numpy.array``, ``pandas.array``) from the rows ``evaluate_rows`` gives; it is the frame that
``pandas.DataFrame(rows).astype(column_types(u))`` gives, value for value and type for type
(``tests/test_speed7_m_table.py``), without the frame of Python objects and its conversions
(three quarters of the time a chunk took in the process that writes it).
"""
from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from ..qca import term_string

__all__ = ["column_types", "columns", "frame"]

_TYPES = weakref.WeakKeyDictionary()       # universe -> (columns, their types)


def columns(u) -> list:
    """The columns of a result row, in order."""
    out = ["spec"] + [c.name for c in u.grid.choices]
    for a in u.analyses:
        out += [f"{a.name}: {k}" for k in ("models", "inclS", "covS", "solution", "parsimonious")]
    out += [f"claim: {i}" for i in u.claim_ids]
    out += [f"core: {name}: {term_string((lit,))}" for name, lit in u.core]
    return out


def column_types(u) -> dict:
    """Each column's type (fixed, so that every chunk has the same schema)."""
    types = {"spec": "int64"}
    for c in u.grid.choices:
        types[c.name] = "int64" if c.target == "n_cut" else "float64" if c.kind in ("anchors", "cut") else "string"
    for a in u.analyses:
        types.update({f"{a.name}: models": "int64", f"{a.name}: inclS": "float64", f"{a.name}: covS": "float64",
                      f"{a.name}: solution": "string", f"{a.name}: parsimonious": "string"})
    for col in columns(u):
        if col.startswith(("claim: ", "core: ")):
            types[col] = "boolean"
    return types


def _schema(u) -> tuple:
    """``columns(u)`` and their types in that order (made once per universe)."""
    if u not in _TYPES:
        names = columns(u)
        types = column_types(u)
        _TYPES[u] = (names, [types[n] for n in names])
    return _TYPES[u]


def _column(values, kind: str):
    """One column in its type: numpy for int64 and float64, pandas' arrays for string and boolean."""
    if kind in ("int64", "float64"):
        return np.array(values, dtype=kind)
    return pd.array(values, dtype=kind)


def frame(u, numbers, rows: list) -> pd.DataFrame:
    """The typed frame of the specifications ``numbers`` and their ``evaluate_rows``."""
    numbers = np.asarray(numbers, dtype=np.int64)
    idx = u.grid.decode(numbers)
    names, kinds = _schema(u)
    data = [numbers.copy()]
    for j, c in enumerate(u.grid.choices):
        data.append([c.values[i] for i in idx[:, j]])
    width = len(u.grid.choices) + 1
    data += [list(values) for values in zip(*rows)] if rows else [[] for _ in names[width:]]
    return pd.DataFrame({n: _column(v, t) for n, v, t in zip(names, data, kinds)}, columns=names)
