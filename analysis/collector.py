"""Python's cyclic garbage collector, set for a process that makes many short-lived objects.

CPython frees an object when its last reference goes; the cyclic collector is only for objects
that refer to each other.  By default it collects the youngest generation after every 700 net
allocations of container objects and, every 10 x 10 of those, walks every container object
alive, modules and caches included.  A study's notebooks (tables, figures, the robustness
tests) and a multiverse worker (10 analyses and 17 claims a specification) allocate millions of
short-lived objects, so the collector walked the same long-lived ones over and over: PSS's seven
notebooks in one process spent 5.1 of 20.7 CPU-s in it, a multiverse worker 2.4 of 21 CPU-s for
10,000 PPIP specifications (``gc.callbacks``, 7 December 2026).

``settle`` freezes what is alive now (``gc.freeze``: the collector no longer looks at it; it is
what the process keeps anyway, the modules and the study's inputs) and collects the youngest
generation after ``THRESHOLD[0]`` allocations instead of 700.  Reference cycles made afterwards
are still collected, later; nothing else changes, and nothing a run writes depends on when the
collector runs.  With ``settle`` the same runs spent 0.5 (PSS's notebooks) and 0.4 CPU-s (the
worker) in the collector, at the same peak memory (307 MB for the worker).

>>> import gc
>>> before = settle()
>>> gc.get_threshold() == THRESHOLD
True
>>> gc.set_threshold(*before); gc.unfreeze()
"""
from __future__ import annotations

import gc

__all__ = ["settle", "THRESHOLD"]

THRESHOLD = (50_000, 50, 50)        # the generations' thresholds (CPython's default: 700, 10, 10)


def settle() -> tuple:
    """Freeze the objects alive now for the cyclic collector and set ``THRESHOLD``.

    Returns
    -------
    tuple
        The thresholds before (``gc.get_threshold()``), to put back with ``gc.set_threshold``.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*THRESHOLD)
    return before
