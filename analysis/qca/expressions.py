"""The expression language of R's QCA: set names, sums of products, terms and the outcome's name.

Expressions are written as in R's QCA: a sum of products such as ``DEV*~IND + URB*STB``, where
``*`` is AND, ``+`` is OR and ``~`` negates a single condition.  ``parse`` turns one into a tuple of
terms (``Term``), each a tuple of ``(condition, present)`` literals, and checks every name against
the data; ``term_string`` and ``expression_string`` write them back.  ``outcome_of`` and
``outcome_label`` read and write an outcome as R does, ``"Y"`` or ``"~Y"``.  The memberships of
cases in expressions are computed in ``analysis.qca.sets``.
"""
from __future__ import annotations

import re

from .errors import QCAError

__all__ = ["Term", "outcome_of", "outcome_label", "parse", "is_set_name", "term_string", "expression_string"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


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
