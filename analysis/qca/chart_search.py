"""Every cover of a given size of a reduced prime implicant chart: branch and bound, and integer
programming with no-good cuts.

``covers_by_search`` enumerates every class-level cover of ``size`` classes depth first: it
branches on the uncovered column with the fewest allowed candidates, excludes earlier siblings
so that no set is found twice, and prunes a node by the three lower bounds of
``chart_bounds.ReducedChart``.  It is the readable form of the search; on charts of more than
``SMALL_CHART`` classes the same search runs compiled (``kernels.search``, numba), the same
covers in the same order after the same number of steps.  ``covers_by_ilp`` finds the covers
one integer programme at a time (HiGHS), each cut off from the next; it takes over when the
search would need too many steps.  ``analysis.qca.chart.minimal_covers`` decides which to use.
"""
from __future__ import annotations

import numpy as np

from .chart_bounds import DUAL_SCALE, ReducedChart, bits
from .errors import QCAError
from .kernels import search as search_kernel
from .limits import MAX_WORK, STEPS_PER_MODEL
from .work import IlpBudget, Meter

__all__ = ["covers_by_search", "covers_by_ilp", "search_weights", "TooManySteps", "too_many_models", "too_complex"]

SMALL_CHART = 24        # classes; smaller charts are searched without the LP bound (not worth a solve)
KERNEL_CHUNK = 1 << 20  # compiled search: most steps between two drains of its buffer


class TooManySteps(Exception):
    """A cover search reached its step limit; it carries the covers found so far.

    Parameters
    ----------
    found : list of tuple
        The class-level covers found before the search stopped.
    limit : int
        The step limit it reached.

    Notes
    -----
    Internal to the chart solver: ``chart.minimal_covers`` catches it and proves the minimum or
    goes on by integer programming (``covers_by_ilp``); it never reaches the user.

    Examples
    --------
    >>> TooManySteps([(0, 1)], 10).found
    [(0, 1)]
    """
    def __init__(self, found, limit: int):
        super().__init__(f"search stopped after finding {len(found)} covers")
        self.found, self.limit = found, limit


def search_weights(ch: ReducedChart) -> list:
    """The LP dual column weights the search prunes with, or zeros on small charts.

    Parameters
    ----------
    ch : ReducedChart
        The reduced chart.

    Returns
    -------
    list of int
        ``ch.dual_weights()`` (scale ``DUAL_SCALE``) for charts of more than ``SMALL_CHART`` classes,
        zeros (no LP bound: not worth a solve) otherwise.

    Notes
    -----
    Weak LP duality (Nemhauser & Wolsey 1988, ch. II.3): any set of classes covering columns U has
    at least sum(w[U]) / ``DUAL_SCALE`` members.

    Examples
    --------
    >>> import numpy as np
    >>> search_weights(ReducedChart(np.eye(3, dtype=bool)))
    [0, 0, 0]
    """
    return ch.dual_weights() if len(ch.cls_cover) > SMALL_CHART else [0] * ch.n_cols


def step_limit(ch: ReducedChart, max_nodes: int, work: int = MAX_WORK, meter: Meter | None = None) -> int:
    """The steps a search of ``ch`` may take: ``max_nodes``, fewer on large charts where
    ``work`` (chart entries visited, ``limits.MAX_WORK``) runs out first, fewer again when a
    shared ``meter`` has less left."""
    work = min(work, meter.left) if meter is not None else work
    return max(0, min(int(max_nodes), work // max(1, ch.node_cost)))


def covers_by_search(ch: ReducedChart, size: int, max_models: int, max_nodes: int, weight=None,
                     meter: Meter | None = None) -> list:
    """Every class-level cover of ``size`` classes, by depth-first search.

    Parameters
    ----------
    ch : ReducedChart
        The reduced chart.
    size : int
        The cover size sought (the minimum).
    max_models : int
        More models (class covers times their members' products) raise ``QCAError``.
    max_nodes : int
        The step limit (plus ``STEPS_PER_MODEL`` per cover found so far).
    weight : list of int, optional
        The LP dual weights (default ``search_weights(ch)``).
    meter : work.Meter, optional
        The steps taken, times the chart's ``node_cost``, are spent on it.

    Returns
    -------
    list of tuple of int
        The covers, as class indices, in the order found.

    Raises
    ------
    TooManySteps
        When the step limit is reached (with the covers found so far).
    QCAError
        More than ``max_models`` models.

    Notes
    -----
    Branch and bound (see ``chart.minimal_covers``): it branches on the uncovered column with the
    fewest allowed candidates, excludes earlier siblings so that no set is found twice, and prunes a
    node by three lower bounds: the LP dual weights of the uncovered columns
    (``ReducedChart.dual_weights``), the same weights raised by dual ascent over the classes still
    allowed (``ReducedChart.ascent_bound``; Balas & Ho 1980), and the columns with pairwise disjoint
    candidate sets, each needing its own class.  On charts of more than ``SMALL_CHART`` classes the
    compiled kernel (``kernels.search``) runs the same search: the same covers in the same order
    after the same number of steps.

    References
    ----------
    Balas, E., & Ho, A. (1980). Set covering algorithms using cutting planes, heuristics, and
    subgradient optimization: A computational study. *Mathematical Programming Study*, 12, 37-60.

    Examples
    --------
    >>> import numpy as np
    >>> ch = ReducedChart(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool))
    >>> covers_by_search(ch, 2, max_models=100, max_nodes=1000)
    [(1, 0), (1, 2), (2, 0)]
    """
    weight = search_weights(ch) if weight is None else weight
    kernel = search_kernel.compiled() if len(ch.cls_cover) > SMALL_CHART else None
    if kernel is not None:
        return covers_by_kernel(kernel, ch, size, weight, max_models, max_nodes, meter)
    found: list = []
    nodes, models = [0], [0]
    cover = ch.cls_cover

    def enumerate_all(uncovered, allowed, chosen, w_left):
        if not uncovered:
            found.append(chosen)
            models[0] += ch.models_in([chosen])
            if models[0] > max_models:
                raise too_many_models(max_models)
            return
        nodes[0] += 1
        if nodes[0] > max_nodes + STEPS_PER_MODEL * len(found):
            raise TooManySteps(found, max_nodes)
        room = size - len(chosen)
        if (w_left > room * DUAL_SCALE or ch.ascent_bound(uncovered, allowed, weight) > room * DUAL_SCALE
                or ch.lower_bound(uncovered, allowed) > room):
            return
        for c in bits(ch.branch_column(uncovered, allowed)):
            newly = uncovered & cover[c]
            enumerate_all(uncovered ^ newly, allowed, chosen + (c,), w_left - sum(weight[j] for j in bits(newly)))
            allowed &= ~(1 << c)

    try:
        enumerate_all((1 << ch.n_cols) - 1, (1 << len(cover)) - 1, (), sum(weight))
    finally:
        if meter is not None:
            meter.spend(nodes[0] * ch.node_cost)
    return found


def covers_by_kernel(kernel, ch: ReducedChart, size: int, weight: list, max_models: int, max_nodes: int,
                     meter: Meter | None = None) -> list:
    """The same search as ``covers_by_search``, run by the compiled kernel (``kernels.search``).

    Same covers in the same order, same step budget; the buffer of covers is drained between
    chunks of steps, and the models are counted against ``max_models`` there.
    """
    run = search_kernel.Search(ch.matrix, ch.order_index, weight, size, DUAL_SCALE, max_nodes, STEPS_PER_MODEL)
    found: list = []
    models = 0
    try:
        while True:
            why = run.run(kernel, KERNEL_CHUNK)
            new = run.drain()
            found += new
            models += ch.models_in(new)
            if models > max_models:
                raise too_many_models(max_models)
            if why == search_kernel.DONE:
                return found
            if why == search_kernel.STEPS:
                raise TooManySteps(found, max_nodes)
    finally:
        if meter is not None:
            meter.spend(int(run.state[search_kernel.S_NODES]) * ch.node_cost)


def too_many_models(max_models: int, why: str = "") -> QCAError:
    """The refusal when a chart has more tied minimal models than the limit.

    Parameters
    ----------
    max_models : int
        The limit (``limits.MAX_MODELS``).
    why : str, default ""
        Appended after the count, e.g. " (the chart's independent parts multiply)".

    Returns
    -------
    QCAError
        The error to raise (not raised here).

    Notes
    -----
    R's ``minimize`` enumerates every tied model without a limit; the engine refuses rather than
    return part of them as complete (``analysis.qca.limits``).

    Examples
    --------
    >>> str(too_many_models(10)).split(";")[0]
    'more than 10 tied minimal models'
    """
    return QCAError(f"more than {max_models} tied minimal models{why}; the problem is too large to "
                    "enumerate exactly; simplify the truth table (e.g. a higher incl_cut)")


def too_complex(ch: ReducedChart, size: int, how: str) -> QCAError:
    """The refusal when a part of a chart cannot be enumerated exactly within the work limits.

    Parameters
    ----------
    ch : ReducedChart
        The part of the chart.
    size : int
        Its minimum cover size.
    how : str
        What was tried, for the message.

    Returns
    -------
    QCAError
        The error to raise (not raised here).

    Notes
    -----
    See ``analysis.qca.limits``: every limit counts work, never time.

    Examples
    --------
    >>> import numpy as np
    >>> e = too_complex(ReducedChart(np.eye(2, dtype=bool)), 2, "a test")
    >>> str(e).split("(")[1].split(";")[0]
    '2 distinct primes, 2 rows, minimum 2 primes'
    """
    return QCAError(f"the prime implicant chart is too complex to enumerate every tied model exactly: a part of "
                    f"it that cannot be split further ({len(ch.cls_cover)} distinct primes, {ch.n_cols} rows, "
                    f"minimum {size} primes; {how}); simplify the truth table (e.g. a higher incl_cut)")


def covers_by_ilp(ch: ReducedChart, size: int, max_models: int, budget: IlpBudget | None = None, known=()) -> list:
    """Every class-level cover of ``size`` classes, one integer programme per cover.

    Parameters
    ----------
    ch : ReducedChart
        The reduced chart.
    size : int
        The cover size (the proven minimum).
    max_models : int
        More models raise ``QCAError``.
    budget : work.IlpBudget, optional
        The integer programming left for this part of the chart (default a new one,
        ``limits.ILP_WORK``).
    known : sequence of tuple, default ()
        Covers already found (by the search before it stopped); they start as cuts.

    Returns
    -------
    list of tuple of int
        ``known`` and then the covers found, as class indices.

    Raises
    ------
    QCAError
        More than ``max_models`` models, or the budget runs out (``too_complex``).

    Notes
    -----
    Each solve (HiGHS, through ``scipy.optimize.milp``) finds a cover of exactly ``size`` classes
    that differs from all covers found so far (a "no-good" cut: at most size - 1 of its classes
    again); infeasibility proves that none is left (Nemhauser & Wolsey 1988).  Used when the
    depth-first search would need too many steps.

    References
    ----------
    Nemhauser, G. L., & Wolsey, L. A. (1988). *Integer and Combinatorial Optimization*. Wiley.

    Examples
    --------
    >>> import numpy as np
    >>> ch = ReducedChart(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool))
    >>> sorted(covers_by_ilp(ch, 2, max_models=100))
    [(0, 1), (0, 2), (1, 2)]
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(ch.cls_cover)
    cover_rows = ch.matrix.T.astype(float)
    found: list = []
    cuts: list = []
    models = [0]

    def add(chosen):
        found.append(chosen)
        models[0] += ch.models_in([chosen])
        if models[0] > max_models:
            raise too_many_models(max_models)
        cut = np.zeros(n)
        cut[list(chosen)] = 1
        cuts.append(cut)

    for chosen in known:
        add(tuple(chosen))
    budget = budget or IlpBudget()
    chart_entries = int(ch.matrix.sum()) + n           # the covering rows and the size constraint
    while True:
        # the programme: nonzeros (each cut has `size`) times rows (the columns, the size row, the cuts)
        entries = (chart_entries + size * len(cuts)) * (ch.n_cols + 1 + len(cuts))
        if not budget.allows(entries):
            raise too_complex(ch, size, f"{len(found)} covers found with {budget.describe()}")
        constraints = [LinearConstraint(cover_rows, lb=1, ub=np.inf),
                       LinearConstraint(np.ones((1, n)), lb=size, ub=size)]
        if cuts:
            constraints.append(LinearConstraint(np.array(cuts), lb=-np.inf, ub=size - 1))
        res = milp(c=np.zeros(n), constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1),
                   options={"node_limit": budget.node_limit(entries)})
        budget.spend(getattr(res, "mip_node_count", 0) or 0, entries)
        if res.status == 2:                                   # infeasible: no other cover
            return found
        if res.status != 0:
            raise too_complex(ch, size, f"{len(found)} covers found by {budget.describe()}")
        add(tuple(int(i) for i in np.flatnonzero(res.x > 0.5)))


