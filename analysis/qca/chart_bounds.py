"""The reduced prime implicant chart and the lower bounds the cover search prunes with.

A chart has the primes as rows and the rows to be explained as columns (Quine 1952; Ragin 1987,
ch. 6).  Before any search it is reduced without changing its set of minimum covers:

- primes with identical coverage are merged into *classes* (a cover may take any member of a
  class, so the models of a class-level cover multiply);
- a column whose candidate classes include all the candidates of another column is dropped
  (column dominance: covering the other column covers it too);
- a prime covering none of the kept columns is dropped (it is redundant in every cover).

Three lower bounds on the classes still needed, each exact integer arithmetic:
``lower_bound`` (columns with pairwise disjoint candidate sets each need their own class),
``dual_weights`` (the LP relaxation's dual, Nemhauser & Wolsey 1988, ch. II.3) and
``ascent_bound`` (those weights raised by dual ascent, Balas & Ho 1980).  ``minimum_size``
proves the fewest classes that cover the chart by integer programming (HiGHS).

>>> import numpy as np
>>> ch = ReducedChart(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool))
>>> ch.members                       # primes 0 and 3 cover the same columns: one class
[[1], [2], [0, 3]]
>>> ch.minimum_size()
2
"""
from __future__ import annotations

import math

import numpy as np

from .errors import QCAError
from .limits import ILP_MAX_SIZE
from .work import IlpBudget

__all__ = ["ReducedChart", "DUAL_SCALE", "bits"]

DUAL_SCALE = 1 << 24    # integer scale of the LP dual weights used as a lower bound


def _bitmasks(matrix: np.ndarray) -> list:
    """Each row of a boolean matrix as a Python int (bit j = column j)."""
    if matrix.shape[1] == 0:
        return [0] * matrix.shape[0]
    packed = np.packbits(matrix, axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


class ReducedChart:
    """A reduced prime implicant chart as bitsets, with the bounds the searches share.

    Parameters
    ----------
    chart : numpy.ndarray of bool, shape (primes, columns)
        The prime implicant chart.

    Attributes
    ----------
    matrix : numpy.ndarray of bool
        Classes x kept columns: primes with identical coverage are one class; columns dominated
        by another are dropped.
    members : list of list of int
        The primes (rows of ``chart``) of each class.
    member_counts : list of int
        The size of each class.
    cls_cover, col_cand : list of int
        Bitsets: the columns each class covers, the classes that cover each column.
    n_cols : int
        The kept columns.
    node_cost : int
        What one search step visits: the entries and columns of ``matrix``.

    Notes
    -----
    A column whose candidate classes include all the candidates of another column is dropped
    (column dominance: covering the other column covers it too, so the set of covers is
    unchanged); a prime covering none of the kept columns is dropped (it is redundant in every
    cover).  The bounds are exact integer arithmetic: disjoint columns, the LP dual (Nemhauser &
    Wolsey 1988, ch. II.3) and its dual ascent (Balas & Ho 1980).  The reduction keeps every
    minimum cover, as R's default does not reduce by row dominance (``row.dom = FALSE``).

    References
    ----------
    Nemhauser, G. L., & Wolsey, L. A. (1988). *Integer and Combinatorial Optimization*. Wiley,
    ch. II.3.

    Balas, E., & Ho, A. (1980). Set covering algorithms using cutting planes, heuristics, and
    subgradient optimization: A computational study. *Mathematical Programming Study*, 12, 37-60.

    Examples
    --------
    >>> import numpy as np
    >>> ch = ReducedChart(np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]], dtype=bool))
    >>> ch.members
    [[1], [2], [0, 3]]
    >>> ch.size_bounds([0, 0, 0]), ch.minimum_size(), ch.models_in([(0, 2)])
    ((1, 2), 2, 2)
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
        # what one search step visits: every entry and every column of the reduced chart
        self.node_cost = int(self.matrix.sum()) + self.n_cols

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
        for j in bits(uncovered):
            if weight[j]:
                total += weight[j]
                for c in bits(self.col_cand[j] & allowed):
                    load[c] = load.get(c, 0) + weight[j]
        for low in self.order:
            if not uncovered & low:
                continue
            cands = list(bits(self.col_cand[low.bit_length() - 1] & allowed))
            slack = min((DUAL_SCALE - load.get(c, 0) for c in cands), default=DUAL_SCALE)
            if slack > 0:
                total += slack
                for c in cands:
                    load[c] = load.get(c, 0) + slack
        return total

    def branch_column(self, uncovered: int, allowed: int):
        """The allowed candidates of the uncovered column with the fewest of them (the first such
        column in index order): the classes the search branches on, as a bitset.
        """
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

    def minimum_size(self, budget: IlpBudget | None = None) -> int:
        """The fewest classes that cover every column: a 0/1 integer programme solved exactly.

        When a greedy cover is as small as the disjoint-columns lower bound, that is the minimum
        and no programme is needed (most small charts).  Otherwise HiGHS (through
        ``scipy.optimize.milp``) proves optimality within the work ``budget`` leaves
        (``analysis.qca.limits.ILP_WORK`` for a part of a chart); the objective is a count, so its
        optimum is rounded to the nearest integer.
        """
        low, high = self.size_bounds([0] * self.n_cols)
        if low == high:
            return low
        from scipy.optimize import Bounds, LinearConstraint, milp

        budget = budget or IlpBudget()
        n, size = len(self.cls_cover), int(self.matrix.sum()) * self.n_cols
        if not budget.allows(size):
            raise QCAError(f"the minimum cover of the prime implicant chart ({n} distinct primes, {self.n_cols} rows) "
                           f"needs an integer programme of size {size} (nonzeros x rows), more than the engine "
                           f"attempts ({min(ILP_MAX_SIZE, budget.left)}); the problem is too large to solve exactly; "
                           "simplify the truth table (e.g. a higher incl_cut)")
        res = milp(c=np.ones(n), constraints=LinearConstraint(self.matrix.T.astype(float), lb=1, ub=np.inf),
                   integrality=np.ones(n), bounds=Bounds(0, 1), options={"node_limit": budget.node_limit(size)})
        budget.spend(getattr(res, "mip_node_count", 0) or 0, size)
        if res.status != 0:
            raise QCAError(f"the minimum cover of the prime implicant chart ({n} distinct primes, {self.n_cols} "
                           f"rows) could not be proven ({res.message.strip()}; {budget.describe()}); the problem is "
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


def bits(x: int):
    """The indices of the set bits of ``x``, lowest first.

    Parameters
    ----------
    x : int
        A bitset.

    Yields
    ------
    int

    Notes
    -----
    The bitsets of ``ReducedChart`` (columns of a class, classes of a column).

    Examples
    --------
    >>> list(bits(0b1011))
    [0, 1, 3]
    """
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


