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
    def __init__(self, found, limit: int):
        super().__init__(f"search stopped after finding {len(found)} covers")
        self.found, self.limit = found, limit


def search_weights(ch: ReducedChart) -> list:
    return ch.dual_weights() if len(ch.cls_cover) > SMALL_CHART else [0] * ch.n_cols


def step_limit(ch: ReducedChart, max_nodes: int, work: int = MAX_WORK, meter: Meter | None = None) -> int:
    """The steps a search of ``ch`` may take: ``max_nodes``, fewer on large charts where
    ``work`` (chart entries visited, ``limits.MAX_WORK``) runs out first, fewer again when a
    shared ``meter`` has less left."""
    work = min(work, meter.left) if meter is not None else work
    return max(0, min(int(max_nodes), work // max(1, ch.node_cost)))


def covers_by_search(ch: ReducedChart, size: int, max_models: int, max_nodes: int, weight=None,
                     meter: Meter | None = None) -> list:
    """Every class-level cover of ``size`` classes, by depth-first search (see minimal_covers).

    The search stops (``TooManySteps``) after ``max_nodes`` steps plus ``STEPS_PER_MODEL`` per
    cover found so far (a search that keeps finding models may go on).  The steps taken, times
    the chart's ``node_cost``, are spent on ``meter``.  Three lower bounds prune a node: the LP
    dual weights of the uncovered columns (``ReducedChart.dual_weights``), the same weights
    raised by dual ascent over the classes still allowed (``ReducedChart.ascent_bound``), and the
    columns with pairwise disjoint candidate sets, each needing its own class.
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
    """The same search as ``covers_by_search``, run by the compiled kernel (``search_kernel``):
    same covers in the same order, same step budget; the buffer of covers is drained between
    chunks of steps."""
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
    return QCAError(f"more than {max_models} tied minimal models{why}; the problem is too large to "
                    "enumerate exactly; simplify the truth table (e.g. a higher incl_cut)")


def too_complex(ch: ReducedChart, size: int, how: str) -> QCAError:
    return QCAError(f"the prime implicant chart is too complex to enumerate every tied model exactly: a part of "
                    f"it that cannot be split further ({len(ch.cls_cover)} distinct primes, {ch.n_cols} rows, "
                    f"minimum {size} primes; {how}); simplify the truth table (e.g. a higher incl_cut)")


def covers_by_ilp(ch: ReducedChart, size: int, max_models: int, budget: IlpBudget | None = None, known=()) -> list:
    """Every class-level cover of ``size`` classes, one integer programme per cover.

    Each solve finds a cover of exactly ``size`` classes that differs from all covers found so
    far (a "no-good" cut: at most size - 1 of its classes again); infeasibility proves that none
    is left.  ``known`` covers (found by the search before it stopped) start as cuts.  Used when
    the depth-first search would take too many steps.  The programmes share ``budget``
    (``limits.ILP_WORK`` constraint entries times nodes); when it runs out the engine refuses.
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


