"""Cluster diagnostics for pooled (panel or otherwise clustered) data (Garcia-Castro & Arino 2016).

With the cases grouped by *unit* (e.g. a country) and by *cluster* (e.g. a year), the fit of a
set X as sufficient (or necessary) for an outcome Y is computed three ways:

- **pooled**: over all cases, as usual;
- **between**: within each cluster (over the units observed in that cluster, e.g. one year);
- **within**: within each unit (over the clusters in which the unit is observed, e.g. one
  country's years);

and the spread of the between (within) consistencies is summarised by their distance to the
pooled one.  ``cluster`` is SetMethods' ``cluster()`` (Oana, Schneider & Thomann 2021), with
the same numbers, as a tidy table.

>>> from analysis.qca.datasets import load
>>> panel = load("SCHLF")
>>> out = cluster(panel, "EMP*~MA*STOCK", "EXPORT", "COUNTRY", "YEAR")
>>> out.query("level == 'pooled'")[["measure", "value"]].round(3)
       measure  value
0  consistency  0.855
6     coverage  0.270
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import QCAError
from .expressions import expression_string, parse
from .sets import membership, term_membership
from .theory import solution_models

__all__ = ["cluster", "EPSILON"]

EPSILON = 1e-10   # SetMethods adds it to every numerator and denominator: 0/0 reads as 1
COLUMNS = ["block", "model", "set", "relation", "measure", "level", "id", "n", "value"]


def cluster(data, results, outcome, unit_id, cluster_id, *, necessity: bool = False, wicons: bool = False,
            models="all") -> pd.DataFrame:
    """Pooled, between and within consistency and coverage of a set, or of a solution's models.

    Parameters
    ----------
    data : pandas.DataFrame
        The cases in long format: one row per unit and cluster (e.g. country-year), with the
        memberships and, unless given as vectors, the unit and cluster columns.
    results : str, array-like, Solution, Solutions, sequence of Solution or Model
        A set expression such as ``"EMP*~MA + STOCK"`` (evaluated on ``data``); a vector of
        memberships, one per case; or a solution (``analysis.qca.solve``): then every term of each
        model and the model itself (set ``"(model)"``), for the models chosen by ``models``.
    outcome : str or array-like
        The outcome column (``"~EXPORT"`` for its negation) or a vector of memberships.  For a
        solution of the negated outcome, pass ``"~EXPORT"``.
    unit_id, cluster_id : str or array-like
        The columns (or vectors) naming each case's unit and cluster.
    necessity : bool, default False
        Fit of X as necessary for Y instead of sufficient.
    wicons : bool, default False
        Also report the within consistencies and coverages (one per unit) and the within-to-pooled
        distance (SetMethods prints them only with ``wicons = TRUE``).
    models : {"all", "first"}, int or str, default "all"
        Which models of a solution: every tied model of every block; ``"first"`` (SetMethods'
        ``sol = 1``); the k-th model of the first block; or SetMethods' ``"c1p2i1"``.

    Returns
    -------
    pandas.DataFrame
        One row per number: ``block``, ``model`` (empty for an expression or vector), ``set``
        (the expression, a term, or ``"(model)"``), ``relation`` (``"sufficiency"`` or
        ``"necessity"``), ``measure`` (``"consistency"``, ``"coverage"``, ``"distance"``),
        ``level`` (``"pooled"``, ``"between"``, ``"within"``), ``id`` (the cluster or unit;
        empty for pooled and distances), ``n`` (its cases) and ``value``.

    Raises
    ------
    QCAError
        An outcome or id column that is not in the data, vectors of the wrong length, missing
        ids, memberships outside [0, 1], two cases of the same unit and cluster, an expression
        that names an unknown column, or a ``models`` that names no model.

    Notes
    -----
    Garcia-Castro & Arino (2016), as SetMethods' ``cluster()`` and ``cluster.diagnostics()``
    compute them.  The memberships are arranged as a units x clusters matrix (R's ``xtabs``; a
    unit not observed in a cluster contributes 0), and with ``e = 1e-10``:

    - consistency of sufficiency  ``(sum(min(X, Y)) + e) / (sum(X) + e)``, coverage
      ``(sum(min(X, Y)) + e) / (sum(Y) + e)``: pooled over all cases, between over the units of
      one cluster (a column), within over the clusters of one unit (a row).  Necessity swaps
      them: its consistency is ``(sum(min(X, Y)) + e) / (sum(Y) + e)``, its coverage the other.
      So 0/0 (a unit never in X, a cluster never in Y) reads as 1, as in SetMethods;
    - distance between to pooled ``sqrt(sum_j ((b_j + e) / (sum(b) + e) - 1/J)^2)`` over the J
      between consistencies b_j (Euclidean distance of their shares from equal shares); within
      to pooled the same over the N within consistencies.

    Differences from SetMethods 4.0: for a minimisation result SetMethods reports the terms of
    the model only, and silently ignores ``necessity = TRUE`` (it does not pass it on); here the
    model itself is reported too, and ``necessity`` is honoured.  Two cases of the same unit and
    cluster are an error here (``xtabs`` would add their memberships up, beyond 1).  Every tied
    model is reported by default, SetMethods reports one (``sol``).  The argument order is
    SetMethods' ``cluster(data, results, outcome, unit_id, cluster_id, sol = 1, necessity = FALSE,
    wicons = FALSE)``, with ``models`` in place of ``sol``.

    References
    ----------
    Garcia-Castro, R., & Arino, M. A. (2016). A general approach to panel data set-theoretic
    research. Journal of Advances in Management Sciences & Information Systems, 2, 63-76.

    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). Qualitative Comparative Analysis using
    R: A beginner's guide. Cambridge University Press (SetMethods ``cluster``).

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> panel = load("SCHLF")
    >>> conditions = ["EMP", "BARGAIN", "UNI", "OCCUP", "STOCK", "MA"]
    >>> sols = solve(truth_table(panel, "EXPORT", conditions, incl_cut=0.9), dir_exp=[0] * 6)
    >>> out = cluster(panel, sols, "EXPORT", "COUNTRY", "YEAR", models="first")
    >>> between = out.query("set == '(model)' and measure == 'consistency' and level == 'between'")
    >>> print(between[["id", "n", "value"]].round(3).to_string(index=False))
      id  n  value
    1990 19  0.787
    1995 19  0.761
    1999 19  0.809
    2003 19  0.836
    >>> round(float(cluster(panel, "EMP", "EXPORT", "COUNTRY", "YEAR", necessity=True).value.iloc[0]), 3)
    0.58
    """
    y = _outcome(data, outcome)
    if data is not None and len(data) != len(y):
        raise QCAError(f"outcome: {len(y)} memberships for {len(data)} cases of the data; give one per case")
    unit = _ids(data, unit_id, "unit_id", len(y))
    clus = _ids(data, cluster_id, "cluster_id", len(y))
    grid = _Grid(unit, clus)
    relation = "necessity" if necessity else "sufficiency"
    frames = []
    for block, model, name, x in _sets(data, results, models, len(y)):
        frames.append(_diagnostics(grid, x, y, necessity, wicons).assign(block=block, model=model, set=name,
                                                                         relation=relation))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


class _Grid:
    """Cases placed in a units x clusters matrix (R's ``xtabs(x ~ unit + cluster)``)."""

    def __init__(self, unit: pd.Series, clus: pd.Series):
        self.units, self.row = _levels(unit, "unit_id")
        self.clusters, self.col = _levels(clus, "cluster_id")
        pairs = pd.DataFrame({"unit": self.row, "cluster": self.col})
        twice = pairs.duplicated(keep=False).to_numpy()
        if twice.any():
            u, c = self.units[self.row[twice][0]], self.clusters[self.col[twice][0]]
            raise QCAError(f"unit_id {_shown(u)} and cluster_id {_shown(c)}: {int(twice.sum())} cases share one "
                           "unit and cluster; keep one case per unit and cluster")
        self.unit_n = np.bincount(self.row, minlength=len(self.units))
        self.cluster_n = np.bincount(self.col, minlength=len(self.clusters))

    def matrix(self, values: np.ndarray) -> np.ndarray:
        out = np.zeros((len(self.units), len(self.clusters)))
        out[self.row, self.col] = values
        return out


def _shown(value) -> str:
    """An id as written in a message: numpy scalars as plain Python values."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _levels(ids: pd.Series, argument: str):
    """The distinct ids in order (categories for a categorical) and each case's position."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        empty = [c for c, k in ids.value_counts(sort=False).items() if k == 0]
        if empty:
            raise QCAError(f"{argument}: category {_shown(empty[0])} has no cases; drop unused categories "
                           "(Series.cat.remove_unused_categories())")
        levels = list(ids.cat.categories)
    else:
        levels = sorted(pd.unique(ids))
    position = {v: i for i, v in enumerate(levels)}
    return levels, np.array([position[v] for v in ids], dtype=np.intp)


def _ids(data, ids, argument: str, n: int) -> pd.Series:
    """A unit or cluster id per case, from a column of ``data`` or a vector."""
    if isinstance(ids, str):
        if data is None or ids not in data.columns:
            known = "" if data is None else f"; columns: {', '.join(map(str, data.columns))}"
            raise QCAError(f"{argument}: column {ids!r} not found{known}; name the column of the data that "
                           "identifies each case's " + argument.split("_")[0])
        ids = data[ids]
    ids = ids.reset_index(drop=True) if isinstance(ids, pd.Series) else pd.Series(ids)
    if len(ids) != n:
        raise QCAError(f"{argument}: {len(ids)} values for {n} cases; give one per case")
    if ids.isna().any():
        raise QCAError(f"{argument}: case {int(np.flatnonzero(ids.isna())[0])} has no value; "
                       "every case needs a " + argument.split("_")[0])
    return ids


def _vector(values, what: str, n: int | None = None) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or (n is not None and len(x) != n):
        raise QCAError(f"{what}: give one membership per case ({n} cases)")
    if np.isnan(x).any() or (x < 0).any() or (x > 1).any():
        raise QCAError(f"{what}: memberships must be numbers in [0, 1]")
    return x


def _outcome(data, outcome) -> np.ndarray:
    """The outcome memberships, negated for ``"~Y"``."""
    if not isinstance(outcome, str):
        return _vector(outcome, "outcome")
    name, negated = outcome.lstrip("~"), (len(outcome) - len(outcome.lstrip("~"))) % 2 == 1
    if data is None or name not in data.columns:
        known = "" if data is None else f"; columns: {', '.join(map(str, data.columns))}"
        raise QCAError(f"outcome: column {name!r} not found{known}")
    y = _vector(data[name], f"outcome {name!r}")
    return 1 - y if negated else y


def _sets(data, results, models, n: int):
    """(block, model, set name, memberships) for every set to diagnose."""
    if isinstance(results, str):
        if data is None:
            raise QCAError("results: an expression needs the data to evaluate it on")
        try:
            terms = parse(results, list(data.columns))
        except QCAError as error:
            raise QCAError(f"results: {error}; use columns of the data") from None
        return [("", "", results, membership(data, terms).to_numpy())]
    if isinstance(results, (pd.Series, np.ndarray)) or (isinstance(results, (list, tuple)) and results
                                                         and np.isscalar(results[0])):
        name = str(results.name) if isinstance(results, pd.Series) and results.name is not None else "x"
        return [("", "", name, _vector(results, "results", n))]
    out = []
    for block, label, model in solution_models(results, models):
        _check_names(data, model)
        terms = [term_membership(data, term) for term in model.terms]
        out += [(block, label, expression_string((term,)), x) for term, x in zip(model.terms, terms)]
        out.append((block, label, "(model)", np.max(terms, axis=0)))
    return out


def _check_names(data, model) -> None:
    missing = [c for term in model.terms for c, _ in term if data is None or c not in data.columns]
    if missing:
        raise QCAError(f"results: condition {missing[0]!r} of the solution is not a column of the data")


def _ratio(num, den):
    return (num + EPSILON) / (den + EPSILON)


def _distance(values: np.ndarray) -> float:
    """Euclidean distance of the shares of ``values`` from equal shares (SetMethods' dBP, dWP)."""
    return float(np.sqrt(np.sum((_ratio(values, values.sum()) - 1 / len(values)) ** 2)))


def _diagnostics(grid: _Grid, x: np.ndarray, y: np.ndarray, necessity: bool, wicons: bool) -> pd.DataFrame:
    """The rows of one set: consistencies, distances and coverages, pooled, between and within."""
    big_x, big_y = grid.matrix(x), grid.matrix(y)
    both = np.minimum(big_x, big_y)
    pooled = np.minimum(x, y).sum()
    # shares of X (sufficiency's consistency, necessity's coverage) and of Y (the other way round)
    of_x = (_ratio(pooled, x.sum()), _ratio(both.sum(axis=0), big_x.sum(axis=0)),
            _ratio(both.sum(axis=1), big_x.sum(axis=1)))
    of_y = (_ratio(pooled, y.sum()), _ratio(both.sum(axis=0), big_y.sum(axis=0)),
            _ratio(both.sum(axis=1), big_y.sum(axis=1)))
    consistency, coverage = (of_y, of_x) if necessity else (of_x, of_y)
    rows = _level_rows("consistency", consistency, grid, wicons, len(x))
    rows.append(("distance", "between", "", len(x), _distance(consistency[1])))
    if wicons:
        rows.append(("distance", "within", "", len(x), _distance(consistency[2])))
    rows += _level_rows("coverage", coverage, grid, wicons, len(x))
    return pd.DataFrame(rows, columns=["measure", "level", "id", "n", "value"])


def _level_rows(measure: str, values: tuple, grid: _Grid, wicons: bool, n: int) -> list:
    """(measure, level, id, n, value): pooled, per cluster and (with ``wicons``) per unit."""
    pooled, between, within = values
    rows = [(measure, "pooled", "", n, float(pooled))]
    rows += [(measure, "between", c, int(k), float(v)) for c, k, v in zip(grid.clusters, grid.cluster_n, between)]
    if wicons:
        rows += [(measure, "within", u, int(k), float(v)) for u, k, v in zip(grid.units, grid.unit_n, within)]
    return rows
