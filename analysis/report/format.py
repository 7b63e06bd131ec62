"""How the compendium writes values: the formatting leaf every writer of tables shares.

Numbers have ``TEXT_DIGITS`` decimals in text (Markdown, LaTeX, the notebooks) and ``CSV_FLOAT``
in CSV; a number that is not finite is written as nothing (the reader sees a blank, never
"nan"); lists are joined with commas.  ``rounded`` prepares JSON.  The configuration charts'
notation (Fiss 2011, p. 403) is written with ``SYMBOLS`` and explained by ``LEGEND``.  This module
imports nothing of the compendium: tables, LaTeX, Markdown, HTML and the charts all build on it.

>>> fmt(0.91234), fmt(float("nan")), fmt(pd.NA), fmt(["A", "B"])
('0.912', '', '', 'A, B')
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["CSV_FLOAT", "TEXT_DIGITS", "SYMBOLS", "LEGEND", "MV_LEGEND", "symbol_cell", "FIT_ROWS", "SOLUTION_ROWS",
           "fmt", "texts", "is_numeric", "rounded"]

CSV_FLOAT = "%.6f"
TEXT_DIGITS = 3


def fmt(v, digits: int = TEXT_DIGITS) -> str:
    """One cell as text: floats with ``digits`` decimals (empty when not finite), lists joined, a
    missing value (None, NaN, pandas' NA and NaT) empty."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (float, np.floating)):
        return "" if not math.isfinite(v) else f"{v:.{digits}f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def texts(col, digits: int = TEXT_DIGITS) -> list:
    """``[fmt(v, digits) for v in col]``: a column's cells as text, a numpy column of numbers or
    booleans formatted in one pass over its values (the tables of a run format about a million
    cells; a column of another kind, or anything but a Series, goes value by value).

    >>> texts(pd.Series([0.91234, float("nan"), 2.0])), texts(pd.Series([1, 2])), texts(pd.Series([True]))
    (['0.912', '', '2.000'], ['1', '2'], ['True'])
    >>> texts(pd.Series([0.5, None, "a"], dtype=object)) == [fmt(0.5), "", "a"]
    True
    >>> texts(pd.Series(["a", None], dtype="string"))
    ['a', '']
    """
    dtype = getattr(col, "dtype", None)
    if isinstance(col, pd.Series) and isinstance(dtype, pd.StringDtype):     # str, or missing: blank
        return ["" if v is None else v for v in col.to_numpy(dtype=object, na_value=None).tolist()]
    if not isinstance(col, pd.Series) or not isinstance(dtype, np.dtype) or dtype.kind not in "biuf":
        return [v if type(v) is str else fmt(v, digits) for v in col]      # (fmt of a str is itself)
    values = col.to_numpy().tolist()               # Python scalars, as iterating the Series gives
    if dtype.kind == "f":
        finite, spec = math.isfinite, f".{digits}f"
        return [format(v, spec) if finite(v) else "" for v in values]
    return [str(bool(v)) for v in values] if dtype.kind == "b" else [str(v) for v in values]


def is_numeric(col: pd.Series) -> bool:
    """Whether a column holds numbers only (missing values aside): right-aligned, formatted.

    >>> is_numeric(pd.Series([1.5, None])), is_numeric(pd.Series([True])), is_numeric(pd.Series(["1"]))
    (True, False, False)
    >>> is_numeric(pd.Series([float("nan")])), is_numeric(pd.Series([1, "a"], dtype=object))
    (False, False)
    >>> is_numeric(pd.Series([None, 2, float("nan")], dtype=object)), is_numeric(pd.Series(["1", None], dtype="string"))
    (True, False)
    """
    if getattr(col.dtype, "kind", "O") in "iuf":          # a numeric dtype: no value to look at
        return bool(col.notna().any())
    if isinstance(col.dtype, pd.StringDtype):              # text, or missing
        return False
    found = False                                          # the values that are not missing, up to the first text
    for v, present in zip(col.to_numpy(dtype=object).tolist(), col.notna().to_numpy().tolist()):
        if present:
            if not isinstance(v, (int, float, np.integer, np.floating)) or isinstance(v, (bool, np.bool_)):
                return False
            found = True
    return found


def rounded(obj, digits: int = 6):
    """``obj`` (mappings, lists, numbers) with floats rounded to ``digits`` decimals, non-finite
    floats as None, numpy scalars as Python ones: ready for ``json.dumps``."""
    if isinstance(obj, Mapping):
        return {str(k): rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v, digits) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return round(float(obj), digits) if math.isfinite(obj) else None
    return obj


SYMBOLS = {("core", True): "●", ("peripheral", True): "•",
           ("core", False): "⊗", ("peripheral", False): "⊘"}
LEGEND = ("● core condition present; • peripheral condition present; ⊗ core condition absent; "
          "⊘ peripheral condition absent; blank: don't care. Core conditions are part of the "
          "parsimonious solution, peripheral ones appear only in the intermediate solution "
          "(Fiss 2011).")
MV_LEGEND = (" A multi-value condition (R's DEV[2] notation) shows its value after the symbol: ● 2 core, "
             "• 2 peripheral condition with the value 2; • 1,2 with the value 1 or 2.")
FIT_ROWS = ["inclS", "PRI", "covS", "covU"]


def symbol_cell(kind: str, value, multi: bool = False) -> str:
    """A configuration table's cell: Fiss's symbol of a present (1) or absent (0) condition; a
    multi-value condition's value(s) after the symbol of presence.

    >>> symbol_cell("core", False), symbol_cell("peripheral", 2, multi=True), symbol_cell("core", (1, 2), multi=True)
    ('⊗', '• 2', '● 1,2')
    """
    if not multi:
        return SYMBOLS[(kind, bool(value))]
    return f"{SYMBOLS[(kind, True)]} " + ",".join(str(x) for x in (value if isinstance(value, tuple) else (value,)))
SOLUTION_ROWS = ["solution inclS", "solution PRI", "solution covS"]
