"""R's CCubes depth: the complexity up to which its search collects prime implicants (Dusa 2018),
which the engine's parsimonious solutions apply (``solutions.cover``).

>>> import numpy as np
>>> ccubes_depth(np.zeros((0, 3), dtype=np.int8), np.zeros((0, 2), dtype=bool))
0
"""
from __future__ import annotations

import numpy as np

from .chart import depth_of_levels

__all__ = ["ccubes_depth"]


def ccubes_depth(primes: np.ndarray, chart: np.ndarray) -> int:
    """The complexity up to which R's CCubes search collects prime implicants (Dusa 2018).

    Parameters
    ----------
    primes : numpy.ndarray, shape (n, k)
        All prime implicants (rows of digits 0, 1, 2).
    chart : numpy.ndarray of bool, shape (n, positive rows)
        Which prime covers which positive row.

    Returns
    -------
    int
        The largest number of literals R's search reaches (0 without primes, k at most).

    Notes
    -----
    CCubes looks for primes by increasing number of literals.  Once the primes found so far cover
    every positive row, it stops after two consecutive complexity levels that add no prime.
    Primes of higher complexity are then never seen by R's parsimonious solution; to give the
    same models as R, the engine applies the same rule (``minimize(..., search="ccubes")``).

    References
    ----------
    Dusa, A. (2018). Consistency cubes: a fast, efficient method for exact Boolean minimization.
    *The R Journal*, 10(2), 357-370.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.primes import covers, prime_implicants
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> primes = prime_implicants(tt.positive, tt.negative, tt.k)
    >>> ccubes_depth(primes, covers(primes, tt.positive, tt.k))
    4
    """
    if len(primes) == 0:
        return 0
    return depth_of_levels((primes != 2).sum(axis=1), chart, primes.shape[1])
