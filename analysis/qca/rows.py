"""Truth-table rows as integer codes: the one home of the row code.

With k conditions a configuration (a truth-table row) gives each condition the value 1
(present) or 0 (absent).  The engine stores a row as the integer whose binary digits are those
values, the **first condition the most significant bit** (Ragin 2008, ch. 7; R's QCA numbers
its rows the same way, from 1): with conditions A, B, C the row A*~B*C is ``0b101 = 5`` and is
labelled ``"101"``.  A case belongs to the row in which its membership is above 0.5 (Ragin
2008, p. 131): its row code has bit j set where its membership in condition j is above 0.5.

>>> import numpy as np
>>> case_codes(np.array([[0.9, 0.2, 0.7], [0.1, 0.6, 0.4]]))
array([5, 2])
>>> row_labels([5, 2], 3)
['101', '010']
>>> row_bits(np.array([5]), 3)
array([[1, 0, 1]])
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["weights", "case_codes", "row_bits", "row_label", "row_labels", "all_codes"]


def weights(k: int) -> np.ndarray:
    """The value of each condition's bit in a row code: 2^(k-1), ..., 2, 1."""
    return np.int64(1) << np.arange(k - 1, -1, -1, dtype=np.int64)


def case_codes(x: np.ndarray) -> np.ndarray:
    """The row code of each case (rows of ``x``: cases x conditions): bit j where x[:, j] > 0.5."""
    x = np.asarray(x, dtype=float)
    return ((x > 0.5) * weights(x.shape[1])).sum(axis=1).astype(np.int64)


def row_bits(codes, k: int) -> np.ndarray:
    """Rows x k: each row code's condition values (1 present, 0 absent), first condition first."""
    return (np.asarray(codes, dtype=np.int64)[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1


def row_label(code: int, k: int) -> str:
    """A row code as its label, e.g. ``row_label(5, 3) == "101"``."""
    return format(int(code), f"0{k}b") if k else ""


def row_labels(codes, k: int) -> list:
    """Row codes as labels such as ``"10110"`` (first condition first)."""
    return _label_table(k)[np.asarray(codes, dtype=np.int64)].tolist()


def all_codes(k: int) -> np.ndarray:
    """Every row code 0 .. 2^k - 1."""
    return np.arange(2 ** k, dtype=np.int64)


@lru_cache(maxsize=32)
def _label_table(k: int) -> np.ndarray:
    """The label of every row code 0 .. 2^k - 1."""
    digits = (row_bits(all_codes(k), k).astype(np.uint8) + ord("0"))
    return np.array([bytes(row).decode() for row in digits], dtype=object)
