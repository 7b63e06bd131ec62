"""Multi-value truth-table rows (mvQCA; Cronqvist & Berg-Schlosser 2009; Dusa 2019, ch. 7): mixed-radix
row codes, the rule that makes a condition multi-value, and the cases' memberships in the rows.

A multi-value condition takes the values 0, 1, ..., L - 1 (its *levels*, L of them); a binary
condition (crisp or fuzzy) the values 0 and 1.  With conditions of L_1, ..., L_k levels there are
L_1 x ... x L_k configurations.  As in R's QCA, a row is numbered by its values read as a
*mixed-radix* number, the first condition the most significant digit: with DEV (3 levels) and
URB, LIT, IND, STB (2 each) the row DEV = 2, URB = 0, LIT = 1, IND = 1, STB = 1 has the code
2*16 + 0*8 + 1*4 + 1*2 + 1 = 39 (R's row 40) and the label ``"20111"``.  With every condition
binary the code is the binary code of ``analysis.qca.rows``: the two agree.

The rule that makes a condition multi-value is R's (``admisc::getLevels``, used by
``truthTable``): a column of whole numbers 0, 1, 2, ... whose largest value is 2 or more has
``max + 1`` levels; any other column (memberships in [0, 1]) is binary.  A case's membership in a
row is, per condition, its membership in the row's value: ``x`` or ``1 - x`` for a binary
condition (value 1 or 0), and 1 when the case has the row's value of a multi-value condition, 0
when not (R's ``C_truthTable``); the minimum over the conditions.  A case belongs to the row of
its values (fuzzy memberships above 0.5 read as 1).

>>> import numpy as np
>>> levels = (3, 2, 2, 2, 2)
>>> codes = case_codes_mv(np.array([[2, 0, 1, 1, 1], [1, 0, 1, 0, 1]]), levels)
>>> codes.tolist(), row_labels_mv(codes, levels)
([39, 21], ['20111', '10101'])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import QCAError
from .limits import MAX_CONDITIONS
from .membership_checks import validate_memberships

__all__ = ["MAX_LEVELS", "MAX_IMPLICANTS", "multivalue_levels", "check_levels", "radix", "case_codes_mv",
           "row_digits", "row_labels_mv", "label_codes", "all_codes_mv", "row_memberships_mv",
           "multivalue_memberships"]

MAX_LEVELS = 10                        # values of one multi-value condition: 0-9, one digit each in a row label
MAX_IMPLICANTS = 3 ** MAX_CONDITIONS   # prod(L + 1): the implicants exact minimisation works on (as 3^16 binary)


def _whole_numbers(values: np.ndarray) -> bool:
    return bool(len(values)) and bool(np.all(np.isfinite(values))) and bool(np.all(values >= 0)) \
        and bool(np.all(values == np.floor(values)))


def multivalue_levels(data, conditions, source: str = "data"):
    """The number of levels of each condition when one of them is multi-value; None otherwise.

    Parameters
    ----------
    data : pandas.DataFrame
        The data, one row per case.
    conditions : sequence of str
        The conditions, in truth-table order (columns of ``data``).
    source : str, default "data"
        The data's name for the messages (e.g. the file).

    Returns
    -------
    tuple of int or None
        ``max + 1`` for a multi-value condition, 2 for every other; None when no condition is
        multi-value (a binary analysis, left to ``analysis.qca.rows``).

    Raises
    ------
    QCAError
        A multi-value condition with more than ``MAX_LEVELS`` (10) values (raw values, such as a
        count, that were not calibrated), or conditions whose configurations are too many to
        minimise exactly (``MAX_IMPLICANTS``, as 3^16 implicants of 16 binary conditions).

    Notes
    -----
    R's rule (``admisc::getLevels``, as ``truthTable`` applies it): a column of whole numbers from
    0 whose largest value is 2 or more has ``max + 1`` levels (values between that are not observed
    still count); any other column is binary.  A column that is not whole numbers from 0 (a
    membership, a missing value, text) is binary here and checked as a membership later
    (``membership_checks.validate_memberships``).

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 7.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"DEV": [0, 1, 2], "URB": [0, 1, 1], "Y": [0.2, 0.9, 0.7]})
    >>> multivalue_levels(data, ["DEV", "URB"]), multivalue_levels(data, ["URB"])
    ((3, 2), None)
    """
    levels = []
    for c in conditions:
        values = pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=float)
        if not _whole_numbers(values) or values.max() < 2:
            levels.append(2)
            continue
        top = int(values.max())
        if top + 1 > MAX_LEVELS:
            raise QCAError(f"{source}: condition {c!r} holds whole numbers up to {top}: read as a multi-value condition "
                           f"(R's rule: whole numbers from 0) it would have {top + 1} values, more than the "
                           f"{MAX_LEVELS} the engine takes; calibrate raw values into memberships in [0, 1], or code "
                           f"its categories 0 to {MAX_LEVELS - 1}")
        levels.append(top + 1)
    if all(v == 2 for v in levels):
        return None
    return check_levels(levels, conditions, source)


def check_levels(levels, conditions=None, source: str = "data") -> tuple:
    """``levels`` as a tuple of ints, each 2 to ``MAX_LEVELS``, that exact minimisation can take.

    Parameters
    ----------
    levels : sequence of int
        The number of values of each condition.
    conditions : sequence of str, optional
        Their names, for the messages.
    source : str, default "data"
        The data's name for the messages.

    Returns
    -------
    tuple of int

    Raises
    ------
    QCAError
        A level count outside 2 to ``MAX_LEVELS``, more than ``MAX_CONDITIONS`` conditions, or
        more than ``MAX_IMPLICANTS`` implicants (the product of ``L + 1``).

    Examples
    --------
    >>> check_levels([3, 2])
    (3, 2)
    """
    levels = tuple(int(v) for v in levels)
    names = list(conditions) if conditions is not None else [f"condition {j + 1}" for j in range(len(levels))]
    bad = [(c, v) for c, v in zip(names, levels) if not 2 <= v <= MAX_LEVELS]
    if bad:
        raise QCAError(f"{source}: {bad[0][0]} has {bad[0][1]} levels; a condition has 2 to {MAX_LEVELS}")
    implicants = int(np.prod([v + 1 for v in levels], dtype=object))
    if len(levels) > MAX_CONDITIONS or implicants > MAX_IMPLICANTS:
        raise QCAError(f"{source}: {len(levels)} conditions with {', '.join(map(str, levels))} values have "
                       f"{implicants:,} implicants, more than the {MAX_IMPLICANTS:,} exact minimisation works on "
                       "(as 16 binary conditions); reduce the conditions or merge categories")
    return levels


def radix(levels) -> np.ndarray:
    """The value of each condition's digit in a row code: the product of the later conditions' levels.

    Parameters
    ----------
    levels : sequence of int
        The levels of the conditions.

    Returns
    -------
    numpy.ndarray of int64
        With every condition binary, 2^(k-1), ..., 2, 1 (``rows.weights``).

    Notes
    -----
    R's ``mbase`` (``truthTable``): ``rev(cumprod(rev(noflevels)))[-1]``, then 1.

    Examples
    --------
    >>> radix((3, 2, 2, 2, 2)).tolist()
    [16, 8, 4, 2, 1]
    """
    levels = np.asarray(levels, dtype=np.int64)
    return np.append(np.cumprod(levels[::-1])[::-1][1:], 1).astype(np.int64)


def case_codes_mv(x, levels) -> np.ndarray:
    """The row code of each case: its value of each multi-value condition, 1 for a binary
    membership above 0.5.

    Parameters
    ----------
    x : array-like, shape (cases, conditions)
        Values (multi-value conditions) and memberships (binary ones).
    levels : sequence of int
        The levels of the conditions.

    Returns
    -------
    numpy.ndarray of int64

    Notes
    -----
    R's ``truthTable``: fuzzy conditions read as ``x > 0.5``, the others as their values, then
    ``values %*% mbase``.

    Examples
    --------
    >>> case_codes_mv([[2, 0.8], [0, 0.3]], (3, 2)).tolist()
    [5, 0]
    """
    x = np.asarray(x, dtype=float)
    multi = np.asarray(levels) > 2
    digits = np.where(multi[None, :], x, x > 0.5).astype(np.int64)
    return digits @ radix(levels)


def row_digits(codes, levels) -> np.ndarray:
    """Each row code's values, first condition first.

    Parameters
    ----------
    codes : array-like of int
        Row codes.
    levels : sequence of int
        The levels of the conditions.

    Returns
    -------
    numpy.ndarray of int64, shape (len(codes), k)

    Examples
    --------
    >>> row_digits([39], (3, 2, 2, 2, 2)).tolist()
    [[2, 0, 1, 1, 1]]
    """
    codes = np.asarray(codes, dtype=np.int64).reshape(-1)
    return (codes[:, None] // radix(levels)[None, :]) % np.asarray(levels, dtype=np.int64)[None, :]


def row_labels_mv(codes, levels) -> list:
    """Row codes as labels, one digit per condition (``"20111"``).

    Parameters
    ----------
    codes : array-like of int
        Row codes.
    levels : sequence of int
        The levels of the conditions (at most ``MAX_LEVELS``: one digit each).

    Returns
    -------
    list of str

    Examples
    --------
    >>> row_labels_mv([39, 0], (3, 2, 2, 2, 2))
    ['20111', '00000']
    """
    digits = row_digits(codes, levels).astype(np.uint8) + ord("0")
    return [bytes(row).decode() for row in digits]


def label_codes(labels, levels, what: str = "row") -> np.ndarray:
    """Row labels such as ``"20111"`` as row codes.

    Parameters
    ----------
    labels : iterable of str
        Labels, one digit per condition.
    levels : sequence of int
        The levels of the conditions.
    what : str, default "row"
        What the labels are, for the message.

    Returns
    -------
    numpy.ndarray of int64

    Raises
    ------
    QCAError
        A label of the wrong length, or a digit that is not a value of its condition.

    Examples
    --------
    >>> label_codes(["20111", "00000"], (3, 2, 2, 2, 2)).tolist()
    [39, 0]
    """
    levels = tuple(levels)
    out = []
    for label in labels:
        text = str(label).strip()
        if len(text) != len(levels) or not text.isdigit() or any(int(d) >= v for d, v in zip(text, levels)):
            raise QCAError(f"{what} {label!r} is not a row of conditions with {', '.join(map(str, levels))} values: "
                           f"give one digit per condition, each below its number of values (e.g. "
                           f"{''.join(str(v - 1) for v in levels)!r})")
        out.append(int(np.dot([int(d) for d in text], radix(levels))))
    return np.array(out, dtype=np.int64)


def all_codes_mv(levels) -> np.ndarray:
    """Every row code, 0 .. prod(levels) - 1 (R's rows 1 .. prod(noflevels)).

    Parameters
    ----------
    levels : sequence of int

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> len(all_codes_mv((3, 2, 2, 2, 2)))
    48
    """
    return np.arange(int(np.prod(levels)), dtype=np.int64)


def row_memberships_mv(x, codes, levels) -> np.ndarray:
    """Membership of each case in each row ``codes``: cases x rows.

    Parameters
    ----------
    x : numpy.ndarray, shape (cases, conditions)
        Values (multi-value conditions) and memberships (binary ones).
    codes : array-like of int
        Row codes.
    levels : sequence of int
        The levels of the conditions.

    Returns
    -------
    numpy.ndarray of float

    Notes
    -----
    Per condition, ``x`` or ``1 - x`` for a binary condition, ``x == value`` for a multi-value one;
    the minimum over the conditions (R's ``C_truthTable``).  On crisp 0/1 columns the two agree.

    Examples
    --------
    >>> row_memberships_mv(np.array([[2, 0.8], [0, 0.3]]), [5, 0], (3, 2)).tolist()
    [[0.8, 0.0], [0.0, 0.7]]
    """
    x = np.asarray(x, dtype=float)
    digits = row_digits(codes, levels)
    binary = np.asarray(levels) == 2
    out = np.ones((x.shape[0], len(digits)))
    for j in range(x.shape[1]):
        if binary[j]:
            m = np.where(digits[None, :, j] == 1, x[:, j:j + 1], 1 - x[:, j:j + 1])
        else:
            m = (x[:, j:j + 1] == digits[None, :, j]).astype(float)
        np.minimum(out, m, out=out)
    return out


def multivalue_memberships(data: pd.DataFrame, conditions, outcome: str, levels, source: str = "data") -> pd.DataFrame:
    """The conditions and the outcome as floats: memberships in [0, 1] for the binary conditions and
    the outcome, values 0 to L - 1 for the multi-value conditions.

    Parameters
    ----------
    data : pandas.DataFrame
        The data.
    conditions : sequence of str
        The conditions, in order.
    outcome : str
        The outcome's column (a membership in [0, 1]).
    levels : sequence of int
        The number of values of each condition (``multivalue_levels``).
    source : str, default "data"
        The data's name for the messages.

    Returns
    -------
    pandas.DataFrame
        The conditions, then the outcome.

    Raises
    ------
    QCAError
        As ``membership_checks.validate_memberships`` for the binary conditions and the outcome (a
        multi-value outcome among them: R's ``truthTable`` too needs a binary one).

    Examples
    --------
    >>> data = pd.DataFrame({"D": [0, 2], "B": [0.2, 0.8], "Y": [0.1, 0.9]})
    >>> multivalue_memberships(data, ["D", "B"], "Y", (3, 2)).to_numpy().tolist()
    [[0.0, 0.2, 0.1], [2.0, 0.8, 0.9]]
    """
    binary = [c for c, v in zip(conditions, levels) if v == 2]
    checked = validate_memberships(data, binary + [outcome], source)
    out = pd.DataFrame(index=data.index)
    for c, v in zip(conditions, levels):
        out[c] = checked[c] if v == 2 else pd.to_numeric(data[c]).astype(float)
    out[outcome] = checked[outcome]
    return out
