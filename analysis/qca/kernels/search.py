"""The depth-first enumeration of minimum covers, compiled (numba), for large prime implicant charts.

``analysis.qca.chart_search.covers_by_search`` is the readable form of the search: Python integers as
bitsets, one recursive call per node.  Each node costs 7-40 microseconds there, and charts of
8-10 conditions with hundreds of cases need 10^4-10^7 nodes.  This module runs the *same* search
(same bounds, same branching column, same order of children, so the same covers in the same order
and the same number of steps) as a loop compiled by numba, about a microsecond a node:

- the chart is held as two sparse lists (class -> columns it covers, column -> classes covering
  it) and a count per column of the chosen classes covering it; choosing a class adds 1 to the
  counts of its columns, undoing it subtracts 1 (Knuth's "dancing" idea without the links), so
  no node copies a set;
- the recursion is an explicit stack (candidates, position and weight left per depth), so the
  kernel can stop at any node and be called again to go on: the caller drains the covers found
  when the buffer is full and counts the models found between chunks of steps (the limits
  count steps, never time: ``analysis.qca.limits``).

Bounds (see ``analysis.qca.chart_search``): the LP dual weights of the uncovered columns; those weights
raised by dual ascent over the classes still allowed (``ReducedChart.ascent_bound``); and the number
of uncovered columns whose allowed candidates are pairwise disjoint (greedy, in the chart's
column order).  Branching: the uncovered column with the fewest allowed candidates (the first such
column in index order), children in increasing class order, each excluding its earlier siblings.

numba is imported only when a chart is large enough to need it (``analysis.qca.chart_search``); without
numba the readable search is used and the results are the same.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

DONE, FULL, CHUNK, STEPS = 0, 1, 2, 3     # why the kernel returned

# state vector slots (int64): depth, steps taken, covers in the buffer, covers drained before,
# the last stamp used to mark classes in the lower bound, columns not yet covered
S_DEPTH, S_NODES, S_FOUND, S_DRAINED, S_STAMP, S_UNCOVERED = 0, 1, 2, 3, 4, 5


def _search(cov_ptr, cov_idx, cand_ptr, cand_idx, order, weight, size, scale, node_limit, per_model,
            chunk, state, count, allowed, mark, cand, ncand, pos, chosen, wleft, buffer, load):
    """Run the search from ``state`` until done, the buffer is full, ``chunk`` more steps were
    taken, or the step budget (``node_limit`` + ``per_model`` per cover found) is spent.

    The compiled twin of ``chart_search.covers_by_search``: the same bounds, branching column and
    order of children, so the same covers in the same order after the same number of steps (the
    tests compare them).  Returns why it stopped: ``DONE``, ``FULL``, ``CHUNK`` or ``STEPS``."""
    n_cols = count.shape[0]
    d = state[S_DEPTH]
    nodes = state[S_NODES]
    found = state[S_FOUND]
    stamp = state[S_STAMP]
    uncovered = state[S_UNCOVERED]
    why = DONE
    taken = 0
    while d >= 0:
        if pos[d] == -1:                                   # a node not yet expanded
            if uncovered == 0:                             # a cover
                if found == buffer.shape[0]:
                    why = FULL
                    break
                for i in range(buffer.shape[1]):
                    buffer[found, i] = chosen[i] if i < d else -1
                found += 1
                d -= 1
                continue
            if taken >= chunk:
                why = CHUNK
                break
            nodes += 1
            taken += 1
            if nodes > node_limit + per_model * (found + state[S_DRAINED]):
                why = STEPS
                break
            room = size - d
            if wleft[d] > room * scale:                    # LP dual bound
                d -= 1
                continue
            # dual ascent: start from the root weights of the uncovered columns (feasible), then
            # raise each column's weight by the least slack among its allowed classes
            for c in range(load.shape[0]):
                load[c] = 0
            total = 0
            for j in range(n_cols):
                if count[j] == 0 and weight[j] > 0:
                    total += weight[j]
                    for q in range(cand_ptr[j], cand_ptr[j + 1]):
                        c = cand_idx[q]
                        if allowed[c]:
                            load[c] += weight[j]
            for t in range(n_cols):
                j = order[t]
                if count[j] != 0:
                    continue
                slack = scale
                for q in range(cand_ptr[j], cand_ptr[j + 1]):
                    c = cand_idx[q]
                    if allowed[c] and scale - load[c] < slack:
                        slack = scale - load[c]
                if slack > 0:
                    total += slack
                    for q in range(cand_ptr[j], cand_ptr[j + 1]):
                        c = cand_idx[q]
                        if allowed[c]:
                            load[c] += slack
            if total > room * scale:
                d -= 1
                continue
            # one pass over the uncovered columns, in the bound's order: the disjoint-columns
            # bound, and the column with the fewest allowed candidates (lowest index on ties)
            stamp += 1
            bound, best, best_n = 0, n_cols, 1 << 30
            for t in range(n_cols):
                j = order[t]
                if count[j] != 0:
                    continue
                n = 0
                hit = False
                for q in range(cand_ptr[j], cand_ptr[j + 1]):
                    c = cand_idx[q]
                    if allowed[c]:
                        n += 1
                        if mark[c] == stamp:
                            hit = True
                if n == 0:                                 # no allowed class can cover j
                    bound = 1 << 30
                    break
                if not hit:
                    for q in range(cand_ptr[j], cand_ptr[j + 1]):
                        c = cand_idx[q]
                        if allowed[c]:
                            mark[c] = stamp
                    bound += 1
                    if bound > room:
                        break
                if n < best_n or (n == best_n and j < best):
                    best, best_n = j, n
            if bound > room:
                d -= 1
                continue
            k = 0
            for q in range(cand_ptr[best], cand_ptr[best + 1]):
                c = cand_idx[q]
                if allowed[c]:
                    cand[d, k] = c
                    k += 1
            ncand[d] = k
            pos[d] = 0
        p = pos[d]
        if p > 0:                                          # undo the previous child, exclude it
            prev = chosen[d]
            for q in range(cov_ptr[prev], cov_ptr[prev + 1]):
                j = cov_idx[q]
                count[j] -= 1
                if count[j] == 0:
                    uncovered += 1
            allowed[prev] = False
        if p < ncand[d]:
            c = cand[d, p]
            pos[d] = p + 1
            chosen[d] = c
            w = 0
            for q in range(cov_ptr[c], cov_ptr[c + 1]):
                j = cov_idx[q]
                if count[j] == 0:
                    w += weight[j]
                    uncovered -= 1
                count[j] += 1
            wleft[d + 1] = wleft[d] - w
            pos[d + 1] = -1
            d += 1
        else:                                              # every child done: restore siblings
            for i in range(p):
                allowed[cand[d, i]] = True
            d -= 1
    state[S_DEPTH], state[S_NODES], state[S_FOUND] = d, nodes, found
    state[S_STAMP], state[S_UNCOVERED] = stamp, uncovered
    return why


@lru_cache(maxsize=1)
def compiled():
    """The compiled kernel, or None when numba is not installed (the caller then uses the
    readable search).  Compiled once per machine (numba's cache), loaded once per process."""
    try:
        import numba
    except ImportError:
        return None
    return numba.njit(cache=True, nogil=True)(_search)


class Search:
    """One enumeration: the chart as arrays, the stack, and the buffer of covers found.

    ``matrix`` is classes x columns (bool), ``order`` the columns in lower-bound order, ``weight``
    the integer dual weights per column (scale ``scale``), ``size`` the cover size sought.
    """

    def __init__(self, matrix, order, weight, size, scale, node_limit, per_model, buffer_rows=4096):
        matrix = np.asarray(matrix, dtype=bool)
        n_cls, n_cols = matrix.shape
        rows, cols = np.nonzero(matrix)                  # row-major: columns ascending per class
        self.cov_ptr = np.searchsorted(rows, np.arange(n_cls + 1)).astype(np.int64)
        self.cov_idx = cols.astype(np.int64)
        cols_t, rows_t = np.nonzero(matrix.T)            # classes ascending per column
        self.cand_ptr = np.searchsorted(cols_t, np.arange(n_cols + 1)).astype(np.int64)
        self.cand_idx = rows_t.astype(np.int64)
        self.order = np.asarray(order, dtype=np.int64)
        self.weight = np.asarray(weight, dtype=np.int64)
        self.size, self.scale = int(size), int(scale)
        self.node_limit, self.per_model = int(node_limit), int(per_model)
        depth = self.size + 1
        width = max(1, int(matrix.sum(axis=0).max()) if n_cols else 1)
        self.state = np.zeros(6, dtype=np.int64)
        self.state[S_UNCOVERED] = n_cols
        self.count = np.zeros(n_cols, dtype=np.int64)
        self.allowed = np.ones(n_cls, dtype=np.bool_)
        self.mark = np.zeros(n_cls, dtype=np.int64)
        self.load = np.zeros(n_cls, dtype=np.int64)
        self.cand = np.zeros((depth, width), dtype=np.int64)
        self.ncand = np.zeros(depth, dtype=np.int64)
        self.pos = np.full(depth, -1, dtype=np.int64)
        self.chosen = np.zeros(depth, dtype=np.int64)
        self.wleft = np.zeros(depth, dtype=np.int64)
        self.wleft[0] = int(self.weight.sum())
        self.buffer = np.zeros((buffer_rows, max(1, self.size)), dtype=np.int64)

    def run(self, kernel, chunk: int) -> int:
        """Go on for at most ``chunk`` steps; returns DONE, FULL, CHUNK or STEPS."""
        return int(kernel(self.cov_ptr, self.cov_idx, self.cand_ptr, self.cand_idx, self.order, self.weight,
                          self.size, self.scale, self.node_limit, self.per_model, chunk, self.state,
                          self.count, self.allowed, self.mark, self.cand, self.ncand, self.pos, self.chosen,
                          self.wleft, self.buffer, self.load))

    def drain(self) -> list:
        """The covers in the buffer (tuples of class indices), emptying it."""
        n = int(self.state[S_FOUND])
        out = [tuple(row) if row[-1] >= 0 else tuple(c for c in row if c >= 0)   # -1 pads short covers
               for row in self.buffer[:n].tolist()]
        self.state[S_FOUND] = 0
        self.state[S_DRAINED] += n
        return out
