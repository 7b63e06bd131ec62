"""Exact Boolean minimisation: every minimal cover of the prime implicant chart.

The second half of the Quine-McCluskey procedure as QCA uses it (Ragin 1987, ch. 6; Dusa 2019,
ch. 8); the prime implicants come from ``analysis.qca.primes``.

**Prime implicant chart.**  Rows to be explained (columns) against primes (rows).  A model is a
set of primes covering every column; R's QCA reports, by default, every cover with the fewest
primes (no row dominance).  ``minimal_covers`` splits the chart into independent parts (whose
models multiply); in each, primes with the same coverage are merged and dominated columns
dropped (``chart_bounds.ReducedChart``), primes that alone cover some row are forced and what is
left is split again.  It looks first for covers as small as the LP lower bound (usually the
minimum), else proves the minimum by integer programming, and enumerates every cover of that
size by branch and bound (``chart_search``).

Limits (``analysis.qca.limits``): more than ``max_models`` tied models, or a chart whose minimum
cannot be proven or whose covers cannot be enumerated within the limits, raise ``QCAError``;
the engine never returns a partial answer as complete.

>>> import numpy as np
>>> minimal_covers(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool))
[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
"""
from __future__ import annotations

from itertools import product

import numpy as np

from . import primes_small
from .chart_bits import bit_covers, depth_of_bits
from .chart_bounds import ReducedChart
from .chart_small import small_covers
from .primes import covers
from .chart_search import (TooManySteps, covers_by_ilp, covers_by_search, search_weights, step_limit, too_complex,
                           too_many_models)
from .errors import QCAError
from .limits import ILP_MAX_KNOWN, MAX_MODELS, MAX_NODES, MAX_WORK, PROBE_NODES, PROBE_WORK
from .work import IlpBudget, Meter

__all__ = ["minimal_covers", "solve_chart", "depth_of_levels"]


def _components(chart: np.ndarray) -> list:
    """Independent parts of the chart: (prime indices, column indices) per connected component.

    Primes and columns are the two sides of a bipartite graph; a cover of the chart is a cover of
    every component, so the models are the Cartesian product of the components' models.  Each
    component is grown from its first column by alternately adding the primes that cover its
    columns and the columns those primes cover.
    """
    n_rows, n_cols = chart.shape
    assigned = np.zeros(n_cols, dtype=bool)
    out = []
    for start in range(n_cols):
        if assigned[start]:
            continue
        cols = np.zeros(n_cols, dtype=bool)
        cols[start] = True
        while True:
            rows = chart[:, cols].any(axis=1)
            grown = chart[rows].any(axis=0) | cols
            if (grown == cols).all():
                break
            cols = grown
        assigned |= cols
        out.append((np.flatnonzero(rows), np.flatnonzero(cols)))
    return out


def _component_covers(chart: np.ndarray, max_models: int, max_nodes: int, meter: Meter | None) -> list:
    """All minimum covers of one connected chart, as tuples of its row indices."""
    alone = np.flatnonzero(chart.all(axis=1))
    if len(alone):            # primes covering every column (e.g. a one-column part): size 1
        if len(alone) > max_models:
            raise too_many_models(max_models)
        return [(int(i),) for i in alone]
    small = small_covers(chart, max_models, meter)       # a few primes: every set tried (chart_small)
    if small is not None:
        return small
    ch = ReducedChart(chart)
    forced = np.flatnonzero(ch.matrix[:, ch.matrix.sum(axis=0) == 1].any(axis=1))
    if len(forced) or len(_components(ch.matrix)) > 1:
        return _expand(ch, _forced_and_rest(ch.matrix, forced, max_models, max_nodes, meter), max_models)
    weight = search_weights(ch)
    size, high = ch.size_bounds(weight)
    ilp = IlpBudget()                     # the integer programming of this part, counted
    if size < high:               # the lower bound is usually the minimum: look for covers of that size
        try:
            found = covers_by_search(ch, size, max_models, step_limit(ch, min(max_nodes, PROBE_NODES), PROBE_WORK,
                                                                      meter), weight, meter)
            if found:
                return _expand(ch, found, max_models)
            size = ch.minimum_size(ilp)   # none of that size: prove the minimum
        except TooManySteps as stop:      # covers found: that size is the minimum; else prove it
            size = size if stop.found else ch.minimum_size(ilp)
    try:
        found = covers_by_search(ch, size, max_models, step_limit(ch, max_nodes, MAX_WORK, meter), weight, meter)
    except TooManySteps as stop:
        if len(stop.found) >= ILP_MAX_KNOWN:              # one programme per model: hopeless
            raise too_complex(ch, size, f"{len(stop.found)} found when the search reached its limit of {stop.limit} "
                                        f"steps ({ch.node_cost} chart entries each)") from None
        found = covers_by_ilp(ch, size, max_models, ilp, known=stop.found)
    return _expand(ch, found, max_models)


def _forced_and_rest(matrix: np.ndarray, forced, max_models: int, max_nodes: int, meter: Meter | None) -> list:
    """Class-level minimum covers when some classes are forced (each is the only class covering
    some column) or the reduced chart falls apart.

    Every cover contains the forced classes; what they leave uncovered is a smaller chart whose
    classes are the others, restricted to those columns (a class covering none of them would be
    redundant, so it is in no minimum cover).  That chart is solved by ``minimal_covers``, which
    splits it into its independent parts: the models of the parts are then multiplied rather
    than searched together, and each part is reduced again in the same way.
    """
    rest = ~matrix[forced].any(axis=0)
    if not rest.any():
        return [tuple(int(c) for c in forced)]
    others = np.flatnonzero(matrix[:, rest].any(axis=1))
    sub = minimal_covers(matrix[np.ix_(others, rest)], max_models, max_nodes, meter)
    return [tuple(sorted([int(c) for c in forced] + [int(others[i]) for i in cover])) for cover in sub]


def _expand(ch: ReducedChart, found, max_models: int) -> list:
    """Class-level covers as covers by primes (each class is any one of its member primes)."""
    if ch.models_in(found) > max_models:        # counted before any is built
        raise too_many_models(max_models)
    models = []                                  # classes are disjoint: no model comes twice
    for cover in found:
        models.extend(tuple(sorted(m)) for m in product(*[ch.members[c] for c in cover]))
    return sorted(models)


def minimal_covers(chart: np.ndarray, max_models: int = MAX_MODELS, max_nodes: int = MAX_NODES,
                   meter: Meter | None = None) -> list:
    """Every cover of the chart's columns with the fewest rows (R's default solutions).

    Parameters
    ----------
    chart : array-like of bool, shape (primes, columns)
        The prime implicant chart: which prime covers which row to be explained.
    max_models : int, default ``limits.MAX_MODELS``
        More tied models than this raise ``QCAError``.
    max_nodes : int, default ``limits.MAX_NODES``
        Depth-first steps of one search (plus ``STEPS_PER_MODEL`` per model found).
    meter : work.Meter, optional
        Collects the search work of several charts (the blocks of an intermediate solution)
        against a common limit.

    Returns
    -------
    list of tuple of int
        Every minimum cover as sorted prime (row) indices, the list sorted; ``[()]`` for a chart
        without columns.

    Raises
    ------
    QCAError
        A column no prime covers; more than ``max_models`` tied models; a chart whose minimum
        cannot be proven or whose covers cannot be enumerated within the limits (the engine never
        returns part of the models as complete).

    Notes
    -----
    The second half of the Quine-McCluskey procedure (Ragin 1987, ch. 6; Dusa 2019, ch. 8): R's
    ``minimize`` reports every cover with the fewest primes (``all.sol = FALSE``, ``row.dom =
    FALSE``).  The chart is split into independent components; in each, primes with the same
    coverage are merged, dominated columns dropped, forced primes taken out and the rest split
    again.  Every cover of the minimum size is then enumerated by a depth-first search, first at
    the lower bound ``ReducedChart.size_bounds`` (``PROBE_NODES`` steps; when no cover of that size
    is found, the minimum is proven by integer programming).  Lower bounds: columns with pairwise
    disjoint candidate sets each need their own prime; the LP relaxation's dual weights of the
    uncovered columns (``ReducedChart.dual_weights``) and their dual ascent
    (``ReducedChart.ascent_bound``).  The search branches on the column with the fewest
    candidates, excluding earlier siblings so that no set is found twice.  When it would take more
    than ``max_nodes`` steps (fewer on large charts, where ``MAX_WORK`` chart entries visited bound
    the steps) having found fewer than ``ILP_MAX_KNOWN`` models, the rest are enumerated by integer
    programming with no-good cuts (``covers_by_ilp``), within ``ILP_WORK`` for one part of the
    chart and ``ILP_MAX_SIZE`` per programme; beyond that the engine refuses.  Every limit counts
    work (``analysis.qca.limits``), so the answer does not depend on the machine's speed.

    References
    ----------
    Ragin, C. C. (1987). *The Comparative Method: Moving Beyond Qualitative and Quantitative
    Strategies*. University of California Press, ch. 6.

    McCluskey, E. J. (1956). Minimization of Boolean functions. *Bell System Technical Journal*,
    35(6), 1417-1444.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> import numpy as np
    >>> minimal_covers(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool))
    [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    """
    chart = np.asarray(chart, dtype=bool)
    if chart.shape[1] == 0:
        return [()]
    uncoverable = np.flatnonzero(~chart.any(axis=0))
    if len(uncoverable):
        raise QCAError(f"the prime implicant chart cannot be solved: column(s) {list(uncoverable)} "
                       "are covered by no prime")
    parts, total = [], 1
    for rows, cols in _components(chart):
        local = _component_covers(chart[np.ix_(rows, cols)], max_models, max_nodes, meter)
        row_of = rows.tolist()
        parts.append([tuple(map(row_of.__getitem__, m)) for m in local])
        total *= len(local)
        if total > max_models:
            raise too_many_models(max_models, why=" (the chart's independent parts multiply)")
    models = [()]
    for part in parts:
        models = [m + p for m in models for p in part]
    return sorted(tuple(sorted(m)) for m in models)


def solve_chart(primes: np.ndarray, rows, k: int, meter: Meter | None = None, index=None) -> tuple:
    """The chart of ``primes`` against the rows to explain, and every minimal cover.

    Parameters
    ----------
    primes : numpy.ndarray, shape (n, k)
        Prime implicants (rows of digits 0, 1, 2).
    rows : array-like of int
        The row codes to explain (the chart's columns).
    k : int
        The number of conditions.
    meter : work.Meter, optional
        Shared search work (see ``minimal_covers``).
    index : sequence of int, optional
        With at most ``primes_small.SMALL_K`` conditions: the primes' positions in
        ``primes_small``'s table, when the caller has them (else they are looked up).

    Returns
    -------
    tuple
        ``(primes, covers)``: the primes that cover at least one of ``rows``, and every minimal
        cover as indices into them (``minimal_covers``).

    Raises
    ------
    QCAError
        As ``minimal_covers``.

    Notes
    -----
    The prime implicant chart (Ragin 1987, ch. 6) and its minimal covers, R's ``minimize`` with
    ``row.dom = FALSE`` and ``all.sol = FALSE``.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.primes import prime_implicants
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> primes, found = solve_chart(prime_implicants(tt.positive, tt.negative, tt.k), tt.positive, tt.k)
    >>> found
    [(0, 1)]
    """
    if 0 < k <= primes_small.SMALL_K and len(primes):      # a few conditions: rows as Python ints
        return _solve_small(primes, primes_small.table_positions(primes, k) if index is None else index, rows, k,
                            meter)
    chart = covers(primes, rows, k)
    keep = chart.any(axis=1)
    return primes[keep], minimal_covers(chart[keep], meter=meter)


def _solve_small(primes: np.ndarray, index, rows, k: int, meter: Meter | None) -> tuple:
    """``solve_chart`` for a few conditions (``primes_small.SMALL_K``): ``index`` gives the primes'
    positions in ``primes_small``'s table, whose rows as Python ints make the chart of
    ``chart_bits.bit_covers``; a chart it leaves (too many search steps) is solved by
    ``minimal_covers``.  The same answer as ``minimal_covers`` alone (tested)."""
    target = primes_small.row_bits_of(rows)
    masks = primes_small.row_masks(index, k)
    keep = [i for i, m in enumerate(masks) if m & target]
    found = bit_covers([masks[i] for i in keep], target, meter)
    if found is None:
        chart = covers(primes[keep], rows, k)
        return primes[keep], minimal_covers(chart, meter=meter)
    return primes[keep], found


def depth_of_levels(level: np.ndarray, chart: np.ndarray, k: int) -> int:
    """The complexity up to which R's CCubes search collects primes, from each prime's number of
    literals ``level`` and the chart (primes x positive rows); ``k`` conditions.

    Parameters
    ----------
    level : numpy.ndarray of int
        Each prime's number of literals (binary or multi-value implicants alike).
    chart : numpy.ndarray of bool, shape (primes, positive rows)
        Which prime covers which positive row.
    k : int
        The number of conditions (the deepest level).

    Returns
    -------
    int

    Notes
    -----
    CCubes (Dusa 2018) looks for primes by increasing number of literals and stops two
    consecutive levels without a new prime after the primes found cover every positive row
    (``solutions.ccubes_depth``, which applies it to binary primes).

    References
    ----------
    Dusa, A. (2018). Consistency cubes: a fast, efficient method for exact Boolean minimization.
    *The R Journal*, 10(2), 357-370.

    Examples
    --------
    >>> depth_of_levels(np.array([1, 2]), np.array([[True, False], [False, True]]), 5)
    4
    """
    packed = np.packbits(np.asarray(chart, dtype=bool), axis=1, bitorder="little")
    masks = [int.from_bytes(row.tobytes(), "little") for row in packed]
    return depth_of_bits(np.asarray(level).tolist(), masks, (1 << chart.shape[1]) - 1, k)
