"""Compiled twins (numba) of the engine's three hot loops, and the one helper that runs them on
the cores.

Each kernel repeats, step for step or sum for sum, a readable form that lives with its concept:

===================  =============================================  ==========================
kernel               readable twin                                  what it saves
===================  =============================================  ==========================
``search``           ``chart_search.covers_by_search``              Python per node of the
                                                                    branch and bound
``fit``              ``fit.models_fit`` (array form)                models x terms x cases arrays
``truthtable``       ``truthtable.row_statistics`` (array form)     cases x rows matrices
===================  =============================================  ==========================

The results are the same, bit for bit (the tests compare every pair).  numba is imported only
when a problem is large enough to need a kernel; without numba the readable forms are used.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

__all__ = ["threads", "run_pieces"]


def threads() -> int:
    """Cores this process may use (at most 8)."""
    try:
        return max(1, min(8, len(os.sched_getaffinity(0))))
    except AttributeError:        # not on Linux
        return max(1, min(8, os.cpu_count() or 1))


def run_pieces(run, pieces) -> None:
    """Call ``run(piece)`` for every piece of work, each on its own thread.

    ``run`` is a compiled kernel that releases the GIL; the pieces write disjoint parts of the
    output, so the numbers do not depend on the threads (one piece runs on the caller's thread).
    """
    if len(pieces) == 1:
        run(pieces[0])
    else:
        with ThreadPoolExecutor(len(pieces)) as pool:
            list(pool.map(run, pieces))
