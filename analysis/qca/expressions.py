"""The expression language of R's QCA: set names, sums of products, terms and the outcome's name.

Expressions are written as in R's QCA: a sum of products such as ``DEV*~IND + URB*STB``, where
``*`` is AND, ``+`` is OR and ``~`` negates a single condition.  ``parse`` turns one into a tuple of
terms (``Term``), each a tuple of ``(condition, present)`` literals, and checks every name against
the data; ``term_string`` and ``expression_string`` write them back.  ``outcome_of`` and
``outcome_label`` (``analysis.qca.outcomes``, re-exported here) read and write an outcome as R
does, ``"Y"`` or ``"~Y"``.  The memberships of cases in expressions are computed in
``analysis.qca.sets``.

Multi-value conditions are written as R's QCA writes them (Dusa 2019, ch. 7): ``DEV[2]`` is the
value 2 of DEV, ``DEV[1,2]`` its values 1 or 2, ``~DEV[2]`` every other value (R's older
``DEV{2}`` is read too).  A term with such a literal is an ``MVTerm``, whose literals are
``(condition, value)`` with an int value (a tuple of ints for several values), and which is
written with every condition in brackets, as R prints a multi-value solution
(``DEV[2]*URB[0]``); a binary literal ``URB`` is the same literal as ``URB[1]``.
"""
from __future__ import annotations

import re

import numpy as np

from .errors import QCAError
from .outcomes import outcome_label, outcome_of  # noqa: F401  (re-exported: their home before)

__all__ = ["Term", "MVTerm", "outcome_of", "outcome_label", "parse", "is_set_name", "term_string",
           "expression_string", "is_binary_literal", "not_a_set"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_VALUES = re.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)(?:\[([0-9,]*)\]|\{([0-9,]*)\})$")    # DEV[1,2], R's older DEV{1,2}


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


def parse(expression: str, names=None, levels=None):
    """Parse a sum of products such as ``"A*~B + C"`` into a tuple of terms.

    Parameters
    ----------
    expression : str
        ``*`` is AND, ``+`` is OR, ``~`` negates the condition that follows (``~~A`` is ``A``);
        ``DEV[2]`` is a value of a multi-value condition, ``DEV[1,2]`` several, ``~DEV[2]`` the
        others; spaces are ignored.
    names : sequence of str, optional
        The allowed condition names (e.g. the data's columns).  None: any valid set name.
    levels : mapping, optional
        ``{condition: number of values}``, needed to negate a multi-value literal (``~DEV[2]`` is
        DEV[0,1] when DEV has 3 values); a condition not named has 2.  When given, a bare
        multi-value condition (``DEV`` with 3 values) is refused, as R's ``compute`` refuses it.

    Returns
    -------
    tuple of Term
        One ``Term`` per product, each a tuple of ``(condition, present)`` literals in the order
        written: ``((("A", True), ("B", False)), (("C", True),))``; a product with a multi-value
        literal is an ``MVTerm`` of ``(condition, value)`` literals.

    Raises
    ------
    QCAError
        An empty expression or term, a name that is not a set name (``is_set_name``), a name not
        in ``names`` (the message lists the known ones), empty brackets, ``~DEV[2]`` without
        DEV's number of values, or a bare multi-value condition (``not_a_set``).

    Notes
    -----
    The expressions of R's QCA and admisc in their sum-of-products form (Dusa 2019, ch. 3 and 7);
    no brackets around terms.  A multi-value literal follows admisc: ``DEV[1,2]`` is true for the
    values 1 and 2, ``~DEV[2]`` for every value but 2.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 3 and 7.

    Examples
    --------
    >>> parse("A*~B + C")
    ((('A', True), ('B', False)), (('C', True),))
    >>> parse("~~A")
    ((('A', True),),)
    >>> from analysis.qca.datasets import load
    >>> parse("DEV*~IND + URB*STB", load("LF").columns)
    ((('DEV', True), ('IND', False)), (('URB', True), ('STB', True)))
    >>> [str(t) for t in parse("DEV[2]*~URB + ~DEV[2]", levels={"DEV": 3})]
    ['DEV[2]*URB[0]', 'DEV[0,1]']
    """
    if not isinstance(expression, str) or not expression.strip():
        raise QCAError("an expression must be a non-empty string such as 'A*~B + C'")
    terms = []
    for raw_term in expression.replace(" ", "").split("+"):
        if not raw_term:
            raise QCAError(f"expression {expression!r}: empty term around '+'")
        literals, multi = [], False
        for raw in raw_term.split("*"):
            present = True
            while raw.startswith("~"):
                present, raw = not present, raw[1:]
            value = present
            bracketed = _VALUES.match(raw)
            if bracketed:
                raw, value = bracketed.group(1), _values(expression, raw, bracketed, present, levels)
                multi = True
            elif levels is not None and levels.get(raw, 2) > 2:
                raise not_a_set(raw, levels[raw] - 1)
            if not is_set_name(raw):
                raise QCAError(f"expression {expression!r}: {raw!r} is not a condition name")
            if names is not None and raw not in names:
                raise QCAError(f"expression {expression!r}: unknown condition {raw!r}; "
                               f"known: {', '.join(map(str, names))}")
            literals.append((raw, value))
        terms.append(MVTerm(literals) if multi else Term(literals))
    return tuple(terms)


def not_a_set(name, top) -> QCAError:
    """The error of a bare multi-value condition (``DEV`` where DEV takes the values 0 to ``top``,
    ``top`` >= 2) in an expression: R's ``compute`` stops too ("Part(s) of the expression refer to
    multi-value data"); its values must be named.

    >>> print(not_a_set("DEV", 2))
    DEV is multi-value (values 0 to 2), not a set: name its value(s) in R's notation, e.g. DEV[2] or DEV[1,2]
    """
    return QCAError(f"{name} is multi-value (values 0 to {top:g}), not a set: name its value(s) in "
                    f"R's notation, e.g. {name}[{top:g}] or {name}[1,{top:g}]")


def _values(expression, raw, match, present, levels):
    """The value (an int) or values (a tuple of ints) of a literal ``DEV[1,2]``, negated by ``~``."""
    text = match.group(2) if match.group(2) is not None else match.group(3)
    parts = text.split(",")
    if not text or not all(parts):
        raise QCAError(f"expression {expression!r}: {raw!r} needs values in its brackets, such as DEV[1] or DEV[1,2]")
    values = sorted({int(v) for v in parts})
    name = match.group(1)
    if not present:
        known = None if levels is None else levels.get(name, 2)
        if known is None:
            raise QCAError(f"expression {expression!r}: {raw!r} is negated, but the number of values of {name} is not "
                           f"known here; write the values it takes instead, e.g. {name}[0,1]")
        values = [v for v in range(int(known)) if v not in values]
        if not values:
            raise QCAError(f"expression {expression!r}: ~{raw} leaves no value of {name}")
    return values[0] if len(values) == 1 else tuple(values)


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


class MVTerm(Term):
    """A conjunction of multi-value literals: ``(("DEV", 2), ("URB", 0))`` is ``DEV[2]*URB[0]``.

    A ``Term`` whose literals are ``(condition, value)`` with an int value, or a tuple of ints for
    several values (``DEV[1,2]``), written with every condition in brackets as R's QCA prints the
    terms of a multi-value analysis.  A binary literal is the same: ``("URB", 1)`` equals
    ``("URB", True)``, so ``key`` compares an ``MVTerm`` with a ``Term`` literal by literal.

    Parameters
    ----------
    literals : iterable of (str, int or bool or tuple of int), default ()
        The literals; True and False become 1 and 0.

    Notes
    -----
    A prime implicant of a multi-value truth table fixes each condition at one value or leaves it
    out (Cronqvist & Berg-Schlosser 2009; Dusa 2019, ch. 7); its membership is the minimum over its
    literals of the case's membership in the value (``sets.term_membership``).

    References
    ----------
    Cronqvist, L., & Berg-Schlosser, D. (2009). Multi-value QCA (mvQCA). In B. Rihoux & C. C. Ragin
    (Eds.), *Configurational Comparative Methods* (pp. 69-86). Sage.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> t = MVTerm([("DEV", 2), ("URB", False)])
    >>> t, str(t), t.key == Term.parse("~URB*DEV[2]").key
    ((('DEV', 2), ('URB', 0)), 'DEV[2]*URB[0]', True)
    """

    __slots__ = ()

    def __new__(cls, literals=()):
        return tuple.__new__(cls, tuple((str(c), _mv_value(v)) for c, v in literals))

    def __str__(self) -> str:
        return term_string(self)


def _mv_value(value):
    if isinstance(value, (tuple, list)):
        values = tuple(sorted({int(v) for v in value}))
        return values[0] if len(values) == 1 else values
    return int(value)


def is_binary_literal(value) -> bool:
    """Whether a literal's value is binary (True or False: ``X``, ``~X``) rather than a value.

    Parameters
    ----------
    value : object
        The second item of a literal.

    Returns
    -------
    bool
        True for ``bool`` (and numpy's); False for an int value or a tuple of values (``X[1]``).

    Examples
    --------
    >>> is_binary_literal(True), is_binary_literal(1), is_binary_literal((1, 2))
    (True, False, False)
    """
    return isinstance(value, (bool, np.bool_))


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
    condition order, as R writes them.  A term with a multi-value literal (an int value, not True
    or False) is written with every condition in brackets, as R prints a multi-value analysis.

    Examples
    --------
    >>> term_string((("A", True), ("B", False)))
    'A*~B'
    >>> term_string((("DEV", 2), ("URB", False)))
    'DEV[2]*URB[0]'
    """
    if all(is_binary_literal(value) for _, value in term):
        return "*".join(name if present else "~" + name for name, present in term)
    return "*".join(f"{name}[{_written(value)}]" for name, value in term)


def _written(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, tuple) else str(int(value))


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
