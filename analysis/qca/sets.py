"""Set algebra on fuzzy memberships (Zadeh 1965; Ragin 2008, ch. 2; Dusa 2019, ch. 3).

- negation:      ~A = 1 - A
- intersection:  A*B = min(A, B)      (logical AND)
- union:         A + B = max(A, B)    (logical OR)

Expressions are written as in R's QCA: a sum of products such as ``DEV*~IND + URB*STB``, where
``*`` is AND, ``+`` is OR and ``~`` negates a single condition.  ``parse`` turns one into a tuple of
terms, each a tuple of ``(condition, present)`` literals, and checks every name against the data.
``term_membership`` is the one place where a case's membership in a conjunction is computed;
``membership`` and ``models_membership`` build on it.

>>> import pandas as pd
>>> data = pd.DataFrame({"A": [0.9, 0.25], "B": [0.25, 0.75], "C": [0.5, 0.125]}, index=["x", "y"])
>>> parse("A*~B + C")
((('A', True), ('B', False)), (('C', True),))
>>> membership(data, "A*~B + C").tolist()
[0.75, 0.25]
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .errors import QCAError

__all__ = ["Term", "outcome_of", "outcome_label", "outcome_membership", "negate", "fuzzy_and", "fuzzy_or", "parse", "is_set_name", "term_string", "expression_string",
           "membership", "term_membership", "models_membership"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def negate(x):
    """Set negation ~x = 1 - x.

    >>> negate(0.25)
    0.75
    """
    return 1 - x


def fuzzy_and(*xs):
    """Intersection: the element-wise minimum of the memberships.

    >>> fuzzy_and([0.2, 0.9], [0.5, 0.7]).tolist()
    [0.2, 0.7]
    """
    return np.minimum.reduce([np.asarray(x, dtype=float) for x in xs])


def fuzzy_or(*xs):
    """Union: the element-wise maximum of the memberships.

    >>> fuzzy_or([0.2, 0.9], [0.5, 0.7]).tolist()
    [0.5, 0.9]
    """
    return np.maximum.reduce([np.asarray(x, dtype=float) for x in xs])


def is_set_name(name) -> bool:
    """Whether ``name`` can stand for a set in an expression: a letter or ``_`` first, then
    letters, digits, ``_`` or ``.`` (so that ``*``, ``+`` and ``~`` keep their meaning).

    >>> is_set_name("RISK"), is_set_name("~RISK"), is_set_name("A*B")
    (True, False, False)
    """
    return isinstance(name, str) and bool(_NAME.match(name))


def parse(expression: str, names=None):
    """Parse ``"A*~B + C"`` into ``((("A", True), ("B", False)), (("C", True),))``.

    ``names`` (e.g. the data's columns) are the allowed condition names; an unknown name is a
    ``QCAError`` that lists the known ones.

    >>> parse("~~A")
    ((('A', True),),)
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
            if not is_set_name(raw):
                raise QCAError(f"expression {expression!r}: {raw!r} is not a condition name")
            if names is not None and raw not in names:
                raise QCAError(f"expression {expression!r}: unknown condition {raw!r}; "
                               f"known: {', '.join(map(str, names))}")
            literals.append((raw, present))
        terms.append(Term(literals))
    return tuple(terms)


class Term(tuple):
    """A conjunction of literals: ``(("A", True), ("B", False))`` is ``A*~B``.

    Examples
    --------
    >>> t = Term.parse("A*~B")
    >>> t, str(t), t.key == Term.parse("~B*A").key
    ((('A', True), ('B', False)), 'A*~B', True)
    """

    __slots__ = ()

    def __new__(cls, literals=()):
        return super().__new__(cls, tuple((str(c), bool(p)) for c, p in literals))

    def __str__(self) -> str:
        return term_string(self)

    def __repr__(self) -> str:
        return tuple.__repr__(self)

    @property
    def key(self) -> frozenset:
        """The term's literals as a set: the same term in any literal order."""
        return frozenset(self)

    @classmethod
    def parse(cls, text: str, names=None) -> "Term":
        """One conjunction, ``"A*~B"`` (``names``: the allowed condition names)."""
        terms = parse(text, names)
        if len(terms) != 1:
            raise QCAError(f"{text!r} is not one conjunction such as 'A*~B'")
        return terms[0]


def outcome_of(outcome: str, neg_out: bool = False) -> tuple:
    """An outcome as R writes it, ``"Y"`` or ``"~Y"`` (or ``neg_out=True``): ``(column,
    negated)``; the one home of the negated-outcome rule (with ``outcome_label`` and
    ``outcome_membership``).

    >>> outcome_of("~SURV"), outcome_of("SURV", neg_out=True), outcome_of("~SURV", neg_out=True)
    (('SURV', True), ('SURV', True), ('SURV', False))
    """
    if not isinstance(outcome, str) or not outcome.strip():
        raise QCAError(f"the outcome must name a column, such as 'Y' or '~Y', got {outcome!r}")
    name, negated = outcome.strip(), bool(neg_out)
    while name.startswith("~"):
        name, negated = name[1:].strip(), not negated
    return name, negated


def outcome_label(outcome: str, neg_out: bool = False) -> str:
    """The outcome as R writes it: ``"Y"``, or ``"~Y"`` for its negation.

    >>> outcome_label("SURV", True), outcome_label("~SURV")
    ('~SURV', '~SURV')
    """
    name, negated = outcome_of(outcome, neg_out)
    return ("~" if negated else "") + name


def outcome_membership(data, outcome: str, neg_out: bool = False) -> np.ndarray:
    """The memberships in the outcome (``1 - Y`` for ``"~Y"`` or ``neg_out``), as floats.

    >>> outcome_membership({"Y": [0.2, 0.9]}, "~Y").tolist()
    [0.8, 0.09999999999999998]
    """
    name, negated = outcome_of(outcome, neg_out)
    y = _values(data, name)
    return 1 - y if negated else y


def term_string(term) -> str:
    """Write a term (tuple of literals) as ``A*~B``.

    >>> term_string((("A", True), ("B", False)))
    'A*~B'
    """
    return "*".join(name if present else "~" + name for name, present in term)


def expression_string(terms) -> str:
    """Write terms as a sum of products, ``A*~B + C``."""
    return " + ".join(term_string(t) for t in terms)


def _values(data, name) -> np.ndarray:
    return np.asarray(data[name], dtype=float)


def term_membership(data, term) -> np.ndarray:
    """Membership of every case in one conjunction: the minimum over its literals.

    ``data`` is a DataFrame of memberships or a mapping from condition names to arrays; ``term``
    a tuple of ``(condition, present)`` literals (``~X`` contributes ``1 - X``).

    >>> term_membership({"A": [0.9, 0.25], "B": [0.25, 0.75]}, (("A", True), ("B", False))).tolist()
    [0.75, 0.25]
    """
    return fuzzy_and(*[_values(data, name) if present else 1 - _values(data, name) for name, present in term])


def membership(data: pd.DataFrame, expression) -> pd.Series:
    """Membership of every case (row of ``data``) in an expression (text or parsed terms)."""
    terms = parse(expression, list(data.columns)) if isinstance(expression, str) else expression
    values = fuzzy_or(*[term_membership(data, t) for t in terms])
    label = expression if isinstance(expression, str) else expression_string(terms)
    return pd.Series(values, index=data.index, name=label)


def models_membership(data, models, n_cases: int) -> np.ndarray:
    """Membership of every case in the union of the terms of ``models`` (each a ``Model`` or a
    tuple of terms):
    the maximum over the distinct terms of their memberships, 0 for every case when there is no
    term (no solution: nothing was found sufficient).

    >>> models_membership({"A": [0.9, 0.2], "B": [0.3, 0.8]}, [((("A", True),),), ((("B", True),),)], 2).tolist()
    [0.9, 0.8]
    """
    terms = sorted({t for m in models for t in getattr(m, "terms", m)})
    if not terms:
        return np.zeros(n_cases)
    return np.max([term_membership(data, t) for t in terms], axis=0)
