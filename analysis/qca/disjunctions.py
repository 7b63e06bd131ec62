"""Necessity of disjunctions: which unions of conditions are supersets of the outcome.

A condition X is necessary for Y when Y is a subset of X: inclN = sum(min(X, Y)) / sum(Y) is high
(Schneider & Wagemann 2012, ch. 3 and 9).  A single condition is rarely necessary, but a
disjunction X1 + X2 (membership max(X1, X2)) may be: R's QCA ``superSubset(relation =
"necessity")`` searches such unions (Dusa 2019, ch. 5).  ``super_subset`` does the same for
disjunctions of up to ``depth`` literals from different conditions, keeping those with
inclN >= ``incl_cut``, RoN >= ``ron_cut`` (relevance of necessity: a superset that is almost
always fully present is trivial) and covN >= ``cov_cut``.  Since adding a literal to a necessary
disjunction keeps it necessary, only minimal disjunctions are reported: no reported expression
contains another reported one.  A necessary disjunction must make theoretical sense as a
functional equivalent (Schneider & Wagemann 2012, p. 74); the search only finds candidates.
"""
from __future__ import annotations

from itertools import combinations, product

import numpy as np
import pandas as pd

from .errors import QCAError
from .fit import necessity
from .truthtable import validate_memberships

__all__ = ["super_subset"]


def super_subset(data: pd.DataFrame, outcome: str, conditions=None, incl_cut: float = 0.9,
                 ron_cut: float = 0.5, cov_cut: float = 0.0, depth: int = 2,
                 neg_out: bool = False) -> pd.DataFrame:
    """Minimal necessary disjunctions (columns: expression, inclN, RoN, covN), best first.

    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.9, 0.1, 0.2], "B": [0.1, 0.9, 0.2], "Y": [0.8, 0.8, 0.1]})
    >>> super_subset(data, "Y", incl_cut=0.9)
      expression  inclN       RoN  covN
    0      A + B    1.0  0.769231  0.85
    """
    if conditions is None:
        conditions = [c for c in data.columns if c != outcome]
    conditions = list(conditions)
    for name, v in (("incl_cut", incl_cut), ("ron_cut", ron_cut), ("cov_cut", cov_cut)):
        if not 0 <= float(v) <= 1:
            raise QCAError(f"{name} must lie in [0, 1], got {v!r}")
    if int(depth) < 1:
        raise QCAError(f"depth must be at least 1, got {depth!r}")
    mem = validate_memberships(data, conditions + [outcome])
    y = mem[outcome].to_numpy()
    if neg_out:
        y = 1 - y
    found, rows = [], []
    for size in range(1, min(int(depth), len(conditions)) + 1):
        for conds in combinations(conditions, size):
            for signs in product((True, False), repeat=size):
                literals = frozenset(zip(conds, signs))
                if any(f <= literals for f in found):
                    continue
                cols = [mem[c].to_numpy() if s else 1 - mem[c].to_numpy() for c, s in zip(conds, signs)]
                fit = necessity(np.maximum.reduce(cols), y)
                if fit["inclN"] >= incl_cut and fit["RoN"] >= ron_cut and fit["covN"] >= cov_cut:
                    found.append(literals)
                    expr = " + ".join(c if s else "~" + c for c, s in zip(conds, signs))
                    rows.append({"expression": expr, "n_literals": size, **fit})
    out = pd.DataFrame(rows, columns=["expression", "n_literals", "inclN", "RoN", "covN"])
    return out.sort_values(["n_literals", "inclN", "expression"], ascending=[True, False, True],
                           kind="stable").drop(columns="n_literals").reset_index(drop=True)
