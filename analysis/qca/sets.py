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


def is_set_name(name) -> bool:
    """Whether ``name`` can stand for a set in an expression.

    Parameters
    ----------
    name : object
        A candidate column name.

    Returns
    -------
    bool
        True for a string made of a letter or ``_`` first, then letters, digits, ``_`` or ``.``.

    Notes
    -----
    The rule keeps ``*``, ``+`` and ``~`` free for the operators of R's expression syntax; R
    column names such as ``"A B"`` or ``"1X"`` would have to be renamed for admisc's parser as well.

    Examples
    --------
    >>> is_set_name("RISK"), is_set_name("~RISK"), is_set_name("A*B")
    (True, False, False)
    """
    return isinstance(name, str) and bool(_NAME.match(name))


def parse(expression: str, names=None):
    """Parse a sum of products such as ``"A*~B + C"`` into a tuple of terms.

    Parameters
    ----------
    expression : str
        ``*`` is AND, ``+`` is OR, ``~`` negates the condition that follows (``~~A`` is ``A``);
        spaces are ignored.
    names : sequence of str, optional
        The allowed condition names (e.g. the data's columns).  None: any valid set name.

    Returns
    -------
    tuple of Term
        One ``Term`` per product, each a tuple of ``(condition, present)`` literals in the order
        written: ``((("A", True), ("B", False)), (("C", True),))``.

    Raises
    ------
    QCAError
        An empty expression or term, a name that is not a set name (``is_set_name``), or a name not
        in ``names`` (the message lists the known ones).

    Notes
    -----
    The expressions of R's QCA and admisc in their sum-of-products form (Dusa 2019, ch. 3); no
    brackets, and no multi-value notation ``X[1]`` (the engine's sets are binary).

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 3.

    Examples
    --------
    >>> parse("A*~B + C")
    ((('A', True), ('B', False)), (('C', True),))
    >>> parse("~~A")
    ((('A', True),),)
    >>> from analysis.qca.datasets import load
    >>> parse("DEV*~IND + URB*STB", load("LF").columns)
    ((('DEV', True), ('IND', False)), (('URB', True), ('STB', True)))
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

    A tuple of ``(condition, present)`` pairs; ``str()`` writes it as R does (``A*~B``),
    ``Term.parse`` reads it, and ``key`` compares terms regardless of the literals' order.

    Parameters
    ----------
    literals : iterable of (str, bool), default ()
        The literals: a condition name and True (the condition) or False (its negation).

    Attributes
    ----------
    key : frozenset
        The literals as a set: equal for the same term in any literal order.

    Notes
    -----
    A term of a minimal model is a prime implicant written with the conditions it fixes, in the
    truth table's condition order (Ragin 1987, ch. 6; Dusa 2019, ch. 8).  Its membership is the
    minimum over its literals (``term_membership``).

    References
    ----------
    Ragin, C. C. (1987). *The Comparative Method: Moving Beyond Qualitative and Quantitative
    Strategies*. University of California Press, ch. 6.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

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
        """One conjunction such as ``"A*~B"`` as a ``Term``.

        Parameters
        ----------
        text : str
            One product of literals.
        names : sequence of str, optional
            The allowed condition names.

        Returns
        -------
        Term

        Raises
        ------
        QCAError
            When ``text`` is not one conjunction (e.g. ``"A + B"``) or names an unknown condition.
        """
        terms = parse(text, names)
        if len(terms) != 1:
            raise QCAError(f"{text!r} is not one conjunction such as 'A*~B'")
        return terms[0]


def outcome_of(outcome: str, neg_out: bool = False) -> tuple:
    """An outcome as R writes it, ``"Y"`` or ``"~Y"``, as ``(column, negated)``.

    The one home of the negated-outcome rule, with ``outcome_label`` and ``outcome_membership``.

    Parameters
    ----------
    outcome : str
        The outcome's column, ``"~Y"`` for its negation (``"~~Y"`` is ``"Y"``).
    neg_out : bool, default False
        Negate: ``neg_out=True`` or ``"~Y"`` explains the negation, both together too (R's
        ``truthTable`` negates once when either is given).

    Returns
    -------
    tuple
        ``(name, negated)``: the column name and whether the outcome is its negation.

    Raises
    ------
    QCAError
        When ``outcome`` is not a non-empty string.

    Notes
    -----
    R's QCA writes the negated outcome ``"~Y"`` (``truthTable(data, outcome = "~Y")``); its older
    ``neg.out = TRUE`` is accepted as ``neg_out``.  As in R, either one negates, and both
    together negate once (``neg.out | tilde1st(outcome)``).

    Examples
    --------
    >>> outcome_of("~SURV"), outcome_of("SURV", neg_out=True), outcome_of("~SURV", neg_out=True)
    (('SURV', True), ('SURV', True), ('SURV', True))
    """
    if not isinstance(outcome, str) or not outcome.strip():
        raise QCAError(f"the outcome must name a column, such as 'Y' or '~Y', got {outcome!r}")
    name, tildes = outcome.strip(), 0
    while name.startswith("~"):
        name, tildes = name[1:].strip(), tildes + 1
    return name, bool(neg_out) or tildes % 2 == 1


def outcome_label(outcome: str, neg_out: bool = False) -> str:
    """The outcome as R writes it: ``"Y"``, or ``"~Y"`` for its negation.

    Parameters
    ----------
    outcome : str
        The outcome's column, ``"~Y"`` for its negation.
    neg_out : bool, default False
        Negate (once more).

    Returns
    -------
    str

    Notes
    -----
    See ``outcome_of``.

    Examples
    --------
    >>> outcome_label("SURV", True), outcome_label("~SURV")
    ('~SURV', '~SURV')
    """
    name, negated = outcome_of(outcome, neg_out)
    return ("~" if negated else "") + name


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


def term_string(term) -> str:
    """Write a term (a tuple of literals) as R writes it, ``A*~B``.

    Parameters
    ----------
    term : sequence of (str, bool)
        The literals.

    Returns
    -------
    str

    Notes
    -----
    The literals are written in the order given; the engine's terms are in the truth table's
    condition order, as R writes them.

    Examples
    --------
    >>> term_string((("A", True), ("B", False)))
    'A*~B'
    """
    return "*".join(name if present else "~" + name for name, present in term)


def expression_string(terms) -> str:
    """Write terms as a sum of products, ``A*~B + C``.

    Parameters
    ----------
    terms : sequence of terms
        Each a sequence of ``(condition, present)`` literals.

    Returns
    -------
    str
        The terms joined by ``" + "``, as R prints a model.

    Notes
    -----
    The inverse of ``parse`` up to spaces and double negations.

    Examples
    --------
    >>> expression_string(parse("A*~B+C"))
    'A*~B + C'
    """
    return " + ".join(term_string(t) for t in terms)


def _values(data, name) -> np.ndarray:
    return np.asarray(data[name], dtype=float)


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
    return fuzzy_and(*[_values(data, name) if present else 1 - _values(data, name) for name, present in term])


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
    terms = parse(expression, list(data.columns)) if isinstance(expression, str) else expression
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
