"""Checks of the memberships an analysis starts from.

``validate_memberships`` refuses a missing column, a value that is not a number, a missing value
or a membership outside [0, 1]; ``warn_constant`` warns about a condition with the same
membership in every case.  The truth table (``analysis.qca.truthtable``), the necessity searches
and the command line use them.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import QCAError

__all__ = ["validate_memberships", "warn_constant"]


def validate_memberships(data: pd.DataFrame, columns, source: str = "data") -> pd.DataFrame:
    """Check that ``columns`` exist and hold memberships in [0, 1]; return them as floats.

    Parameters
    ----------
    data : pandas.DataFrame
        The data, one row per case.
    columns : sequence of str
        The columns to check (conditions and outcome).
    source : str, default "data"
        The data's name for the messages (e.g. the file).

    Returns
    -------
    pandas.DataFrame
        The columns as floats, indexed as ``data``.

    Raises
    ------
    QCAError
        A missing column, a value that is not a number, a missing value, or a membership outside
        [0, 1]; the message names the column and the case.

    Notes
    -----
    Fuzzy-set QCA needs calibrated memberships (Ragin 2008, ch. 5); R's ``pof`` stops on a
    membership above 1 ("Set membership scores should be numbers between 0 and 1").

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> validate_memberships(load("LF"), ["DEV", "SURV"]).head(2)
           DEV  SURV
    case
    AU    0.81  0.05
    BE    0.99  0.95
    >>> validate_memberships(load("LR"), ["DEV"], "LR")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.qca.errors.QCAError: LR: column 'DEV', case 'AU': membership 720 is outside [0, 1]; ...
    """
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise QCAError(f"{source}: column(s) {', '.join(missing)} not found; "
                       f"available: {', '.join(map(str, data.columns))}")
    if columns and len(set(columns)) == len(columns) and all(pd.api.types.is_float_dtype(data[c].dtype) for c in columns):
        values = data[list(columns)].to_numpy(dtype=float)
        if np.all((values >= 0) & (values <= 1)):          # fast path: floats, none missing, all in [0, 1]
            return pd.DataFrame(values, index=data.index, columns=list(columns))
    out = pd.DataFrame(index=data.index)
    for c in columns:
        col = pd.to_numeric(data[c], errors="coerce")
        bad = col.isna() & data[c].notna()
        if bad.any():
            case = data.index[bad.to_numpy()][0]
            raise QCAError(f"{source}: column {c!r}, case {case!r}: value {data[c][bad].iloc[0]!r} "
                           "is not a number; memberships must be numbers in [0, 1]")
        if col.isna().any():
            cases = ", ".join(map(str, data.index[col.isna().to_numpy()][:5]))
            raise QCAError(f"{source}: column {c!r} has missing values (cases {cases}); "
                           "fill them or remove the cases explicitly")
        outside = (col < 0) | (col > 1)
        if outside.any():
            case = data.index[outside.to_numpy()][0]
            raise QCAError(f"{source}: column {c!r}, case {case!r}: membership {col[outside].iloc[0]:g} "
                           "is outside [0, 1]; calibrate raw values first")
        out[c] = col.astype(float)
    return out


def warn_constant(data: pd.DataFrame, conditions, source: str = "data") -> list:
    """Warn about every condition with the same membership in every case.

    Such a condition is legal but cannot distinguish configurations.

    Parameters
    ----------
    data : pandas.DataFrame
        The memberships.
    conditions : sequence of str
        The conditions to check.
    source : str, default "data"
        The data's name for the message.

    Returns
    -------
    list of str
        The constant conditions (one ``UserWarning`` each).

    Notes
    -----
    A set without variation is trivially necessary or irrelevant (Schneider & Wagemann 2012,
    ch. 9); R's ``truthTable`` does not warn about it.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warn_constant(pd.DataFrame({"A": [0.2, 0.2], "B": [0.1, 0.9]}), ["A", "B"])
    ['A']
    """
    constant = []
    for c in conditions:
        col = pd.to_numeric(data[c], errors="coerce")
        if col.notna().all() and col.nunique() == 1:
            warnings.warn(f"{source}: condition {c!r} has the same membership ({col.iloc[0]:g}) in every case; "
                          "it cannot distinguish configurations", stacklevel=3)
            constant.append(c)
    return constant
