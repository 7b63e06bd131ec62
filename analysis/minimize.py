"""Exact Boolean minimisation: prime implicants and every minimal cover of the prime implicant chart.

This is the Quine-McCluskey procedure as QCA uses it (Ragin 1987, ch. 6; Dusa 2019, ch. 8),
done exactly and on bit arrays rather than by pairwise merging:

1. **Implicants.**  With k conditions, an implicant gives each condition the value 0 (absent),
   1 (present) or "-" (minimised away): 3^k implicants in all, stored as a k-dimensional array
   with 3 entries per axis.  For any property of minterms (rows), whether an implicant covers a
   row with that property is the OR over the rows it covers; it is computed for all 3^k
   implicants at once by k vectorised passes, one per axis, where entry "-" becomes the OR of
   entries 0 and 1 (a separable transform, like a zeta transform on each axis).
2. **Prime implicants.**  An implicant is *allowed* when it covers no row of the off-set
   (rows to be avoided).  It is *prime* when it is allowed, covers at least one row to be
   explained, and no implicant with one literal fewer is allowed.
3. **Prime implicant chart.**  Rows to be explained (columns) against primes (rows).  A model
   is a set of primes covering every column; R's QCA reports, by default, every cover with the
   fewest primes (no row dominance).  ``minimal_covers`` finds that minimum by an exhaustive
   branch-and-bound search, then enumerates every cover of that size: primes with the same
   coverage are merged first, essential primes are forced, and the search branches on the
   column with the fewest candidates, excluding earlier siblings so that no set is found twice.

Limits: more than ``MAX_CONDITIONS`` conditions (3^k implicants) or more than ``max_models``
tied models raise ``QCAError``; the engine never returns a partial answer as complete.
"""
from __future__ import annotations

import numpy as np

from .errors import QCAError
from .truthtable import MAX_CONDITIONS

__all__ = ["prime_implicants", "covers", "minimal_covers", "implicant_literals", "MAX_MODELS"]

MAX_MODELS = 100_000


def _minterm_index(codes: np.ndarray, k: int) -> np.ndarray:
    """Position in the 3^k implicant array of each fully specified row code (binary -> ternary)."""
    codes = np.asarray(codes, dtype=np.int64)
    idx = np.zeros(len(codes), dtype=np.int64)
    for j in range(k):
        bit = (codes >> (k - 1 - j)) & 1
        idx += bit * 3 ** (k - 1 - j)
    return idx


def _covers_any(flags: np.ndarray, k: int) -> np.ndarray:
    """For every implicant, whether it covers some row flagged in ``flags`` (flat, length 3^k)."""
    a = flags.reshape((3,) * k) if k else flags
    for axis in range(k):
        zero = np.take(a, 0, axis=axis)
        one = np.take(a, 1, axis=axis)
        idx = [slice(None)] * k
        idx[axis] = 2
        a[tuple(idx)] = zero | one
    return a.reshape(-1)


def _flags(codes, k) -> np.ndarray:
    f = np.zeros(3 ** k, dtype=bool)
    f[_minterm_index(codes, k)] = True
    return f


def prime_implicants(on_rows, off_rows, k: int) -> np.ndarray:
    """Prime implicants that cover at least one row of ``on_rows`` and none of ``off_rows``.

    Rows are integer codes (first condition most significant).  Rows in neither set are
    don't-cares (logical remainders when they are to be used).  Returns an array of shape
    (n_primes, k) with entries 0, 1 or 2 (2 = the condition is minimised away), in a canonical
    order: fewer literals first, then by the ternary digits.
    """
    if k > MAX_CONDITIONS:
        raise QCAError(f"{k} conditions: exact minimisation is limited to {MAX_CONDITIONS}")
    on = _covers_any(_flags(on_rows, k), k)
    allowed = ~_covers_any(_flags(off_rows, k), k)
    prime = allowed & on
    a = allowed.reshape((3,) * k)
    p = prime.reshape((3,) * k)
    for axis in range(k):
        raised_allowed = np.take(a, 2, axis=axis)
        for digit in (0, 1):
            idx = [slice(None)] * k
            idx[axis] = digit
            p[tuple(idx)] &= ~raised_allowed
    flat = np.flatnonzero(p.reshape(-1))
    digits = np.zeros((len(flat), k), dtype=np.int8)
    rest = flat.copy()
    for j in range(k - 1, -1, -1):
        digits[:, j] = rest % 3
        rest //= 3
    n_literals = (digits != 2).sum(axis=1)
    order = np.lexsort(tuple(digits[:, j] for j in range(k - 1, -1, -1)) + (n_literals,))
    return digits[order]


def covers(implicants: np.ndarray, codes, k: int) -> np.ndarray:
    """Boolean matrix implicants x rows: does implicant i cover row code j?"""
    codes = np.asarray(codes, dtype=np.int64)
    bits = ((codes[:, None] >> np.arange(k - 1, -1, -1)[None, :]) & 1).astype(np.int8)
    imp = np.asarray(implicants, dtype=np.int8)
    out = np.empty((len(imp), len(codes)), dtype=bool)
    step = max(1, 4_000_000 // max(1, len(codes) * max(k, 1)))
    for s in range(0, len(imp), step):
        block = imp[s:s + step, None, :]
        out[s:s + step] = ((block == 2) | (block == bits[None, :, :])).all(axis=2)
    return out


def implicant_literals(implicant, conditions) -> tuple:
    """An implicant's literals as ``((condition, present), ...)`` in condition order."""
    return tuple((c, bool(d)) for c, d in zip(conditions, implicant) if d != 2)


def _popcount(x: int) -> int:
    return bin(x).count("1")


def minimal_covers(chart: np.ndarray, max_models: int = MAX_MODELS) -> list:
    """Every cover of the chart's columns with the fewest rows (R QCA's default solutions).

    ``chart`` is a boolean matrix primes x columns.  Returns a sorted list of tuples of row
    indices.  Raises ``QCAError`` when a column cannot be covered or when more than
    ``max_models`` tied covers exist.
    """
    chart = np.asarray(chart, dtype=bool)
    n_rows, n_cols = chart.shape
    if n_cols == 0:
        return [()]
    masks = [int("".join("1" if v else "0" for v in row[::-1]) or "0", 2) for row in chart]
    # merge primes with identical coverage; each class stands for all its members
    classes: dict[int, list] = {}
    for i, m in enumerate(masks):
        if m:
            classes.setdefault(m, []).append(i)
    cls_masks = list(classes)
    full = (1 << n_cols) - 1
    union = 0
    for m in cls_masks:
        union |= m
    if union != full:
        missing = [j for j in range(n_cols) if not (union >> j) & 1]
        raise QCAError(f"the prime implicant chart cannot be solved: column(s) {missing} are covered by no prime")
    col_cands = [[c for c, m in enumerate(cls_masks) if (m >> j) & 1] for j in range(n_cols)]
    # essential classes: the only cover of some column
    forced = sorted({cands[0] for cands in col_cands if len(cands) == 1})
    covered = 0
    for c in forced:
        covered |= cls_masks[c]
    remaining = full & ~covered

    found: list = []

    def search(uncovered, chosen, excluded, budget, first_only):
        if not uncovered:
            found.append(tuple(chosen))
            if len(found) > max_models:
                raise QCAError(f"more than {max_models} tied minimal models; the problem is too large to "
                               "enumerate exactly (raise max_models or simplify the truth table)")
            return first_only
        if budget == 0:
            return False
        best_col, best = -1, None
        rest = uncovered
        while rest:
            low = rest & -rest
            j = low.bit_length() - 1
            rest ^= low
            cands = [c for c in col_cands[j] if not (excluded >> c) & 1]
            if best is None or len(cands) < len(best):
                best_col, best = j, cands
                if len(cands) <= 1:
                    break
        if not best:
            return False
        # bound: even the largest available class cannot finish within the budget
        top = 0
        need = _popcount(uncovered)
        for c, m in enumerate(cls_masks):
            if not (excluded >> c) & 1:
                top = max(top, _popcount(m & uncovered))
        if top == 0 or -(-need // top) > budget:
            return False
        ex = excluded
        for c in best:
            if search(uncovered & ~cls_masks[c], chosen + [c], ex, budget - 1, first_only):
                return True
            ex |= 1 << c
        return False

    budget = 0
    while not search(remaining, [], 0, budget, True):
        budget += 1
        found.clear()
    found.clear()
    search(remaining, [], 0, budget, False)
    models = set()
    for cover in found:
        chosen_classes = sorted(set(forced) | set(cover))
        expanded = [()]
        for c in chosen_classes:
            expanded = [m + (i,) for m in expanded for i in classes[cls_masks[c]]]
            if len(expanded) > max_models:
                raise QCAError(f"more than {max_models} tied minimal models; the problem is too large to "
                               "enumerate exactly")
        models.update(tuple(sorted(m)) for m in expanded)
        if len(models) > max_models:
            raise QCAError(f"more than {max_models} tied minimal models; the problem is too large")
    return sorted(models)
