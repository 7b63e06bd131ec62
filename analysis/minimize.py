"""Exact Boolean minimisation: every minimal cover of the prime implicant chart.

The second half of the Quine-McCluskey procedure as QCA uses it (Ragin 1987, ch. 6; Dusa 2019,
ch. 8); the prime implicants come from ``analysis.primes``.

**Prime implicant chart.**  Rows to be explained (columns) against primes (rows).  A model is a
set of primes covering every column; R's QCA reports, by default, every cover with the fewest
primes (no row dominance).  ``minimal_covers`` looks first for covers as small as the LP lower
bound (usually the minimum), else proves the minimum by integer programming, and enumerates
every cover of that size by branch and bound: primes with the same coverage are merged first,
primes that alone cover some row are forced and what is left is split again into independent
parts (whose models multiply), nodes are pruned by three lower bounds (disjoint columns; the
dual of the LP relaxation; that dual raised by dual ascent at each node), and the search
branches on the column with the fewest candidates, excluding earlier siblings so that no set is
found twice.  ``_covers_by_search`` is the readable form of that search; on charts of more than
``SMALL_CHART`` classes the same search runs compiled (``analysis.search_kernel``, numba).

Limits: more than ``max_models`` tied models, or a chart whose minimum cannot be proven or whose
covers cannot be enumerated within the time limits below, raise ``QCAError``; the engine never
returns a partial answer as complete.
"""
from __future__ import annotations

import math
import time
from itertools import product

import numpy as np

from . import search_kernel
from .errors import QCAError

__all__ = ["minimal_covers", "MAX_MODELS"]

MAX_MODELS = 100_000
MAX_NODES = 30_000_000   # depth-first steps before integer programming takes over (compiled: 0.3-1 us a
                         # step on charts of hundreds of primes, ~35 us on thousands)
STEPS_PER_MODEL = 20     # ... plus this many per model found (many tied models need many steps)
ILP_MAX_KNOWN = 500      # integer programming takes over only when the search found fewer models
ILP_SECONDS = 20.0
SEARCH_SECONDS = 20.0    # wall-clock guard on the search (only the largest charts reach it)
CHART_SECONDS = 45.0     # all the work on one part of a chart, after which the engine refuses
SMALL_CHART = 24        # classes; smaller charts are searched without the LP bound (not worth a solve)
DUAL_SCALE = 1 << 24    # integer scale of the LP dual weights used as a lower bound
KERNEL_CHUNK = 1 << 20  # compiled search: most steps between two looks at the wall clock
PROBE_NODES = 1_000_000  # the first search, for covers as small as the lower bound: at most this many
PROBE_SECONDS = 5.0      # steps and seconds


def _popcount(x: int) -> int:
    return x.bit_count()


def _bitmasks(matrix: np.ndarray) -> list:
    """Each row of a boolean matrix as a Python int (bit j = column j)."""
    if matrix.shape[1] == 0:
        return [0] * matrix.shape[0]
    packed = np.packbits(matrix, axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


class _Chart:
    """A reduced prime implicant chart as bitsets, with the bounds the searches share.

    Primes with identical coverage are merged into classes; a column whose candidate classes
    include all the candidates of another column is dropped (column dominance: covering the
    other column covers it too, so the set of covers is unchanged).
    """

    def __init__(self, chart: np.ndarray):
        rows = np.flatnonzero(chart.any(axis=1))
        distinct = np.unique(chart[rows], axis=0)
        keep = self._undominated_columns(distinct.T)
        reduced = chart[rows][:, keep]
        # a prime covering none of the kept columns is redundant in every cover (each dropped
        # column is covered whenever the column that dominates it is), so never in a minimal one
        useful = reduced.any(axis=1)
        rows, reduced = rows[useful], reduced[useful]
        self.matrix, inverse = np.unique(reduced, axis=0, return_inverse=True)  # classes x columns
        self.members = [rows[inverse.ravel() == c].tolist() for c in range(len(self.matrix))]
        self.member_counts = [len(m) for m in self.members]
        self.cls_cover = _bitmasks(self.matrix)        # class -> columns it covers
        self.n_cols = len(keep)
        cand = self.matrix.T
        self.col_cand = _bitmasks(cand)               # column -> classes that cover it
        # columns with few candidates first: the lower bound then finds more disjoint columns
        self.order_index = np.argsort(cand.sum(axis=1), kind="stable")
        self.order = [1 << int(j) for j in self.order_index]

    @staticmethod
    def _undominated_columns(cand: np.ndarray) -> np.ndarray:
        """Columns to keep: drop j when another column's candidates are strictly within j's, or
        equal to them and that column comes first.  Set inclusion comes from the pairwise counts
        of shared candidates (a matrix product; sparse for large charts)."""
        n = cand.shape[0]
        size = cand.sum(axis=1)
        if cand.size <= 4_000_000:
            a = cand.astype(np.float64)               # BLAS; counts are exact in float64
            inter = a @ a.T
            i, j = np.nonzero(inter)
            shared = inter[i, j]
        else:
            from scipy.sparse import csr_matrix
            a = csr_matrix(cand.astype(np.float64))
            inter = (a @ a.T).tocoo()
            i, j, shared = inter.row, inter.col, inter.data
        within = (shared == size[i]) & (i != j)       # cand(i) is within cand(j)
        equal = within & (shared == size[j])
        drop = np.zeros(n, dtype=bool)
        drop[j[within & ~equal]] = True
        drop[j[equal & (i < j)]] = True
        return np.flatnonzero(~drop)

    def models_in(self, covers) -> int:
        """How many models (sets of primes) the class-level covers stand for: each class may be
        any of its member primes, so a cover stands for the product of its classes' sizes."""
        sizes = self.member_counts
        return sum(math.prod(map(sizes.__getitem__, cover)) for cover in covers)

    def lower_bound(self, uncovered: int, allowed: int) -> int:
        """Columns whose candidate sets are pairwise disjoint each need their own prime."""
        used, count = 0, 0
        for low in self.order:
            if not uncovered & low:
                continue
            c = self.col_cand[low.bit_length() - 1] & allowed
            if not c:
                return 1 << 30          # a column no allowed class can cover: infeasible
            if not c & used:
                used |= c
                count += 1
        return count

    def ascent_bound(self, uncovered: int, allowed: int, weight: list) -> int:
        """A feasible dual of the remaining covering problem, by dual ascent (scale ``DUAL_SCALE``).

        Start from the root LP weights of the uncovered columns (feasible: each class carries at
        most the scale), then, column by column in the chart's order, raise a column's weight by
        the least slack left among its allowed classes.  Columns covered or classes excluded since
        the root free slack, so deep in the search this bound is much stronger than the root
        weights alone; sum / ``DUAL_SCALE`` is a lower bound on the classes still needed (weak
        duality), in exact integers (Balas & Ho 1980 on dual heuristics for set covering).
        """
        load, total = {}, 0
        for j in _bits(uncovered):
            if weight[j]:
                total += weight[j]
                for c in _bits(self.col_cand[j] & allowed):
                    load[c] = load.get(c, 0) + weight[j]
        for low in self.order:
            if not uncovered & low:
                continue
            cands = list(_bits(self.col_cand[low.bit_length() - 1] & allowed))
            slack = min((DUAL_SCALE - load.get(c, 0) for c in cands), default=DUAL_SCALE)
            if slack > 0:
                total += slack
                for c in cands:
                    load[c] = load.get(c, 0) + slack
        return total

    def branch_column(self, uncovered: int, allowed: int):
        best, best_n = 0, 1 << 30
        rest = uncovered
        while rest:
            low = rest & -rest
            rest ^= low
            c = self.col_cand[low.bit_length() - 1] & allowed
            n = c.bit_count()
            if n < best_n:
                best, best_n = c, n
                if n <= 1:
                    break
        return best

    def greedy_size(self) -> int:
        """The size of a cover built greedily (each time the class covering most new columns)."""
        uncovered, count = (1 << self.n_cols) - 1, 0
        while uncovered:
            uncovered &= ~max(self.cls_cover, key=lambda c: (c & uncovered).bit_count())
            count += 1
        return count

    def size_bounds(self, weight: list) -> tuple:
        """(low, high) for the fewest classes covering every column: low the larger of the
        disjoint-columns bound and the LP dual bound (weights ``weight``, rounded up), high the
        size of a greedy cover."""
        full = (1 << self.n_cols) - 1
        low = self.lower_bound(full, (1 << len(self.cls_cover)) - 1)
        return max(low, -(-sum(weight) // DUAL_SCALE)), self.greedy_size()

    def minimum_size(self, seconds: float = ILP_SECONDS) -> int:
        """The fewest classes that cover every column: a 0/1 integer programme solved exactly.

        When a greedy cover is as small as the disjoint-columns lower bound, that is the minimum
        and no programme is needed (most small charts).  Otherwise HiGHS (through
        ``scipy.optimize.milp``) proves optimality; the objective is a count, so its optimum is
        rounded to the nearest integer.
        """
        low, high = self.size_bounds([0] * self.n_cols)
        if low == high:
            return low
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.cls_cover)
        res = milp(c=np.ones(n), constraints=LinearConstraint(self.matrix.T.astype(float), lb=1, ub=np.inf),
                   integrality=np.ones(n), bounds=Bounds(0, 1), options={"time_limit": seconds})
        if res.status != 0:
            raise QCAError(f"the minimum cover of the prime implicant chart ({n} distinct primes, {self.n_cols} "
                           f"rows) could not be proven within {seconds:.0f} s ({res.message}); the problem is "
                           "too large to solve exactly; simplify the truth table (e.g. a higher incl_cut)")
        return int(round(res.fun))

    def dual_weights(self) -> list:
        """Column weights w (integers, scale ``DUAL_SCALE``) such that every class covers at most
        ``DUAL_SCALE`` of weight: a feasible solution of the dual of the covering LP.

        By weak duality, any set of classes covering a set U of columns has at least
        sum(w[U]) / DUAL_SCALE members.  The weights come from the LP relaxation's optimal dual
        (HiGHS), floored to integers and rescaled if rounding left a class over the scale, so the
        bound is exact integer arithmetic (Nemhauser & Wolsey 1988, ch. II.3 on LP bounds in
        branch and bound).  When the LP cannot be solved the weights are 0 (no bound, still exact).
        """
        from scipy.optimize import linprog

        m = self.matrix.astype(float)
        res = linprog(np.ones(len(m)), A_ub=-m.T, b_ub=-np.ones(m.shape[1]), bounds=(0, None),
                      method="highs")
        if res.status != 0 or res.ineqlin is None:
            return [0] * self.n_cols
        y = np.clip(-np.asarray(res.ineqlin.marginals, dtype=float), 0.0, 1.0)
        w = np.floor(y * DUAL_SCALE).astype(np.int64)
        load = int((self.matrix.astype(np.int64) @ w).max()) if len(w) else 0
        if load > DUAL_SCALE:
            w = (w * DUAL_SCALE) // load
        return [int(v) for v in w]


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


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


class _TooManySteps(Exception):
    def __init__(self, found):
        super().__init__(f"search stopped after finding {len(found)} covers")
        self.found = found


def _search_weights(ch: "_Chart") -> list:
    return ch.dual_weights() if len(ch.cls_cover) > SMALL_CHART else [0] * ch.n_cols


def _covers_by_search(ch: "_Chart", size: int, max_models: int, max_nodes: int, weight=None,
                      seconds: float = SEARCH_SECONDS) -> list:
    """Every class-level cover of ``size`` classes, by depth-first search (see minimal_covers).

    The search stops (``_TooManySteps``) after ``max_nodes`` steps plus ``STEPS_PER_MODEL`` per
    cover found so far (a search that keeps finding models may go on), or after
    ``seconds`` on charts so large that steps are slow.  Three lower bounds prune a node:
    the LP dual weights of the uncovered columns (``_Chart.dual_weights``), the same weights
    raised by dual ascent over the classes still allowed (``_Chart.ascent_bound``), and the
    columns with pairwise disjoint candidate sets, each needing its own class.
    """
    weight = _search_weights(ch) if weight is None else weight
    kernel = search_kernel.compiled() if len(ch.cls_cover) > SMALL_CHART else None
    if kernel is not None:
        return _covers_by_kernel(kernel, ch, size, weight, max_models, max_nodes, seconds)
    found: list = []
    nodes, models = [0], [0]
    deadline = time.monotonic() + seconds
    cover = ch.cls_cover

    def enumerate_all(uncovered, allowed, chosen, w_left):
        if not uncovered:
            found.append(chosen)
            models[0] += ch.models_in([chosen])
            if models[0] > max_models:
                raise _too_many_models(max_models)
            return
        nodes[0] += 1
        if nodes[0] > max_nodes + STEPS_PER_MODEL * len(found):
            raise _TooManySteps(found)
        if not nodes[0] % 4096 and time.monotonic() > deadline:
            raise _TooManySteps(found)
        room = size - len(chosen)
        if (w_left > room * DUAL_SCALE or ch.ascent_bound(uncovered, allowed, weight) > room * DUAL_SCALE
                or ch.lower_bound(uncovered, allowed) > room):
            return
        for c in _bits(ch.branch_column(uncovered, allowed)):
            newly = uncovered & cover[c]
            enumerate_all(uncovered ^ newly, allowed, chosen + (c,), w_left - sum(weight[j] for j in _bits(newly)))
            allowed &= ~(1 << c)

    enumerate_all((1 << ch.n_cols) - 1, (1 << len(cover)) - 1, (), sum(weight))
    return found


def _covers_by_kernel(kernel, ch: "_Chart", size: int, weight: list, max_models: int, max_nodes: int,
                      seconds: float) -> list:
    """The same search as ``_covers_by_search``, run by the compiled kernel (``search_kernel``):
    same covers in the same order, same step budget; the wall clock is checked between chunks."""
    run = search_kernel.Search(ch.matrix, ch.order_index, weight, size, DUAL_SCALE, max_nodes, STEPS_PER_MODEL)
    found: list = []
    models = 0
    deadline = time.monotonic() + seconds
    # look at the clock about every 0.1 s: a step costs about a nanosecond per chart entry
    chunk = min(KERNEL_CHUNK, max(1000, 100_000_000 // (int(ch.matrix.sum()) + ch.n_cols)))
    while True:
        why = run.run(kernel, chunk)
        new = run.drain()
        found += new
        models += ch.models_in(new)
        if models > max_models:
            raise _too_many_models(max_models)
        if why == search_kernel.DONE:
            return found
        if why == search_kernel.STEPS or (why == search_kernel.CHUNK and time.monotonic() > deadline):
            raise _TooManySteps(found)


def _too_many_models(max_models: int, why: str = "") -> QCAError:
    return QCAError(f"more than {max_models} tied minimal models{why}; the problem is too large to "
                    "enumerate exactly; simplify the truth table (e.g. a higher incl_cut)")


def _too_complex(ch: "_Chart", size: int, how: str) -> QCAError:
    return QCAError(f"the prime implicant chart is too complex to enumerate every tied model exactly: a part of "
                    f"it that cannot be split further ({len(ch.cls_cover)} distinct primes, {ch.n_cols} rows, "
                    f"minimum {size} primes; {how}); simplify the truth table (e.g. a higher incl_cut)")


def _covers_by_ilp(ch: "_Chart", size: int, max_models: int, seconds: float, known=()) -> list:
    """Every class-level cover of ``size`` classes, one integer programme per cover.

    Each solve finds a cover of exactly ``size`` classes that differs from all covers found so
    far (a "no-good" cut: at most size - 1 of its classes again); infeasibility proves that none
    is left.  ``known`` covers (found by the search before it stopped) start as cuts.  Used when
    the depth-first search would take too many steps.
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
            raise _too_many_models(max_models)
        cut = np.zeros(n)
        cut[list(chosen)] = 1
        cuts.append(cut)

    for chosen in known:
        add(tuple(chosen))
    start = time.monotonic()
    while True:
        constraints = [LinearConstraint(cover_rows, lb=1, ub=np.inf),
                       LinearConstraint(np.ones((1, n)), lb=size, ub=size)]
        if cuts:
            constraints.append(LinearConstraint(np.array(cuts), lb=-np.inf, ub=size - 1))
        left = seconds - (time.monotonic() - start)
        if left <= 0:
            raise _too_complex(ch, size, f"over {seconds:.0f} s of integer programming, {len(found)} found")
        res = milp(c=np.zeros(n), constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1),
                   options={"time_limit": left})
        if res.status == 2:                                   # infeasible: no other cover
            return found
        if res.status != 0:
            raise _too_complex(ch, size, f"over {seconds:.0f} s of integer programming, {len(found)} found")
        add(tuple(int(i) for i in np.flatnonzero(res.x > 0.5)))


def _component_covers(chart: np.ndarray, max_models: int, max_nodes: int) -> list:
    """All minimum covers of one connected chart, as tuples of its row indices."""
    alone = np.flatnonzero(chart.all(axis=1))
    if len(alone):            # primes covering every column (e.g. a one-column part): size 1
        if len(alone) > max_models:
            raise _too_many_models(max_models)
        return [(int(i),) for i in alone]
    ch = _Chart(chart)
    forced = np.flatnonzero(ch.matrix[:, ch.matrix.sum(axis=0) == 1].any(axis=1))
    if len(forced) or len(_components(ch.matrix)) > 1:
        return _expand(ch, _forced_and_rest(ch.matrix, forced, max_models, max_nodes), max_models)
    start = time.monotonic()
    weight = _search_weights(ch)
    size, high = ch.size_bounds(weight)

    def left(limit):              # seconds for the next step: its own limit, within CHART_SECONDS
        return max(0.0, min(limit, CHART_SECONDS - (time.monotonic() - start)))

    if size < high:               # the lower bound is usually the minimum: look for covers of that size
        try:
            found = _covers_by_search(ch, size, max_models, min(max_nodes, PROBE_NODES), weight, PROBE_SECONDS)
            if found:
                return _expand(ch, found, max_models)
            size = ch.minimum_size(max(1.0, left(ILP_SECONDS)))   # none of that size: prove the minimum
        except _TooManySteps as stop:         # covers found: that size is the minimum; else prove it
            size = size if stop.found else ch.minimum_size(max(1.0, left(ILP_SECONDS)))
    try:
        found = _covers_by_search(ch, size, max_models, max_nodes, weight, left(SEARCH_SECONDS))
    except _TooManySteps as stop:
        seconds = left(ILP_SECONDS)
        if len(stop.found) >= ILP_MAX_KNOWN or seconds < 1:   # one programme per model: hopeless
            raise _too_complex(ch, size, f"{len(stop.found)} found when the search reached its limit of "
                               f"{max_nodes} steps or {SEARCH_SECONDS:.0f} s") from None
        found = _covers_by_ilp(ch, size, max_models, seconds, known=stop.found)
    return _expand(ch, found, max_models)


def _forced_and_rest(matrix: np.ndarray, forced, max_models: int, max_nodes: int) -> list:
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
    sub = minimal_covers(matrix[np.ix_(others, rest)], max_models, max_nodes)
    return [tuple(sorted([int(c) for c in forced] + [int(others[i]) for i in cover])) for cover in sub]


def _expand(ch: "_Chart", found, max_models: int) -> list:
    """Class-level covers as covers by primes (each class is any one of its member primes)."""
    if ch.models_in(found) > max_models:        # counted before any is built
        raise _too_many_models(max_models)
    models = []                                  # classes are disjoint: no model comes twice
    for cover in found:
        models.extend(tuple(sorted(m)) for m in product(*[ch.members[c] for c in cover]))
    return sorted(models)


def minimal_covers(chart: np.ndarray, max_models: int = MAX_MODELS, max_nodes: int = MAX_NODES) -> list:
    """Every cover of the chart's columns with the fewest rows (R QCA's default solutions).

    ``chart`` is a boolean matrix primes x columns.  Returns a sorted list of tuples of row
    indices.  The chart is split into independent components; in each, primes with the same
    coverage are merged, dominated columns dropped, forced primes taken out and the rest split
    again (``_forced_and_rest``).  Every cover of the minimum size is then enumerated by a
    depth-first search, first at the lower bound ``_Chart.size_bounds`` (``PROBE_NODES`` steps;
    when no cover of that size is found, the minimum is proven by integer programming).  Lower
    bounds: columns with pairwise disjoint candidate sets each need their own prime; the LP
    relaxation's dual weights of the uncovered columns (``_Chart.dual_weights``) and their dual
    ascent (``_Chart.ascent_bound``).  The search branches on the column with the fewest
    candidates, excluding earlier siblings so that no set is found twice.  Raises ``QCAError``
    when a column cannot be covered, when more than ``max_models`` tied models exist.  When the
    search would take more than ``max_nodes`` steps (plus ``STEPS_PER_MODEL`` per model found)
    having found fewer than ``ILP_MAX_KNOWN`` models, the rest are enumerated by integer
    programming with no-good cuts (``_covers_by_ilp``), within ``ILP_SECONDS`` (and
    ``CHART_SECONDS`` for all the work on one part of the chart); beyond that the engine refuses
    rather than return part of the models.
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
        local = _component_covers(chart[np.ix_(rows, cols)], max_models, max_nodes)
        row_of = rows.tolist()
        parts.append([tuple(map(row_of.__getitem__, m)) for m in local])
        total *= len(local)
        if total > max_models:
            raise _too_many_models(max_models, why=" (the chart's independent parts multiply)")
    models = [()]
    for part in parts:
        models = [m + p for m in models for p in part]
    return sorted(tuple(sorted(m)) for m in models)
