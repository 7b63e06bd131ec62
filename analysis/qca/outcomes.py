"""The outcome's name as R writes it: ``"Y"``, or ``"~Y"`` for its negation.

``outcome_of`` reads an outcome (the column and whether it is negated) and ``outcome_label``
writes it: the one home of the negated-outcome rule, with ``sets.outcome_membership``.  The rest
of the expression language is ``analysis.qca.expressions``.

>>> outcome_of("~SURV"), outcome_label("SURV", True)
(('SURV', True), '~SURV')
"""
from __future__ import annotations

from .errors import QCAError

__all__ = ["outcome_of", "outcome_label"]


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
