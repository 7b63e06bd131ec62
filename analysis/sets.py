"""Set algebra on fuzzy memberships (Zadeh 1965; Ragin 2008, ch. 2; Dusa 2019, ch. 3).

- negation:      ~A = 1 - A
- intersection:  A*B = min(A, B)      (logical AND)
- union:         A + B = max(A, B)    (logical OR)

Expressions are written as in R's QCA: a sum of products such as ``DEV*~IND + URB*STB``, where
``*`` is AND, ``+`` is OR and ``~`` negates a single condition.  ``parse`` turns one into a tuple of
terms, each a tuple of ``(condition, present)`` literals, and checks every name against the data.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .errors import QCAError

__all__ = ["negate", "fuzzy_and", "fuzzy_or", "parse", "term_string", "expression_string",
           "membership", "term_membership"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def negate(x):
    """Set negation ~x = 1 - x."""
    return 1 - x


def fuzzy_and(*xs):
    """Intersection: the element-wise minimum of the memberships."""
    return np.minimum.reduce([np.asarray(x, dtype=float) for x in xs])


def fuzzy_or(*xs):
    """Union: the element-wise maximum of the memberships."""
    return np.maximum.reduce([np.asarray(x, dtype=float) for x in xs])


def parse(expression: str, names=None):
    """Parse ``"A*~B + C"`` into ``((("A", True), ("B", False)), (("C", True),))``.

    ``names`` (e.g. the data's columns) are the allowed condition names; an unknown name is a
    ``QCAError`` that lists the known ones.
    """
    if not isinstance(expression, str) or not expression.strip():
        raise QCAError("an expression must be a non-empty string such as 'A*~B + C'")
    terms = []
    for raw_term in expression.replace(" ", "").split("+"):
        if not raw_term:
            raise QCAError(f"expression {expression!r}: empty term around '+'")
        literals = []
        for raw in raw_term.split("*"):
            present = True
            while raw.startswith("~"):
                present, raw = not present, raw[1:]
            if not _NAME.match(raw or ""):
                raise QCAError(f"expression {expression!r}: {raw!r} is not a condition name")
            if names is not None and raw not in names:
                raise QCAError(f"expression {expression!r}: unknown condition {raw!r}; "
                               f"known: {', '.join(map(str, names))}")
            literals.append((raw, present))
        terms.append(tuple(literals))
    return tuple(terms)


def term_string(term) -> str:
    """Write a term (tuple of literals) as ``A*~B``."""
    return "*".join(name if present else "~" + name for name, present in term)


def expression_string(terms) -> str:
    return " + ".join(term_string(t) for t in terms)


def term_membership(data: pd.DataFrame, term) -> np.ndarray:
    """Membership of every case in one conjunction: the minimum over its literals."""
    cols = [data[name].to_numpy(dtype=float) if present else 1 - data[name].to_numpy(dtype=float)
            for name, present in term]
    return fuzzy_and(*cols)


def membership(data: pd.DataFrame, expression) -> pd.Series:
    """Membership of every case (row of ``data``) in an expression (text or parsed terms)."""
    terms = parse(expression, list(data.columns)) if isinstance(expression, str) else expression
    values = fuzzy_or(*[term_membership(data, t) for t in terms])
    label = expression if isinstance(expression, str) else expression_string(terms)
    return pd.Series(values, index=data.index, name=label)
