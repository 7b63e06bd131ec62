"""The engine's limits: the sizes beyond which it refuses with a ``QCAError`` rather than return
part of an answer as complete.

Each limit says what is counted.  Everything else about a problem's size changes how the
engine computes (which method, compiled or not), never what it answers.

=========================  ========================================================================
``MAX_CONDITIONS`` 16      conditions of a truth table: exact minimisation works on the 3^k
                           implicants (43 million at 16)
``MAX_MODELS`` 100,000     tied minimal models of one solution (of all blocks of an intermediate
                           solution together), counted as they are found
``MAX_BLOCKS`` 10,000      intermediate blocks: complex models x parsimonious models
``MAX_NODES`` 30,000,000   depth-first steps of the chart search (plus ``STEPS_PER_MODEL`` per
                           model found) before integer programming takes over
``ILP_MAX_KNOWN`` 500      integer programming (one programme per model) takes over from a stopped
                           search only when the search found fewer models than this
``PROBE_NODES`` 1,000,000  steps of the first search, for covers as small as the lower bound
=========================  ========================================================================

Wall-clock guards (seconds): ``ILP_SECONDS`` for proving the minimum cover or enumerating by
integer programming, ``SEARCH_SECONDS`` and ``PROBE_SECONDS`` for the searches,
``CHART_SECONDS`` for all the work on one part of a chart, ``INTERMEDIATE_SECONDS`` for the
intermediate solution.
"""
from __future__ import annotations

__all__ = ["MAX_CONDITIONS", "MAX_MODELS", "MAX_BLOCKS", "MAX_NODES", "STEPS_PER_MODEL", "ILP_MAX_KNOWN",
           "PROBE_NODES", "ILP_SECONDS", "SEARCH_SECONDS", "PROBE_SECONDS", "CHART_SECONDS", "INTERMEDIATE_SECONDS"]

MAX_CONDITIONS = 16
MAX_MODELS = 100_000
MAX_BLOCKS = 10_000
MAX_NODES = 30_000_000   # compiled: 0.3-1 us a step on charts of hundreds of primes, ~35 us on thousands
STEPS_PER_MODEL = 20     # many tied models need many steps
ILP_MAX_KNOWN = 500
PROBE_NODES = 1_000_000

ILP_SECONDS = 20.0
SEARCH_SECONDS = 20.0    # only the largest charts reach it
PROBE_SECONDS = 5.0
CHART_SECONDS = 45.0
INTERMEDIATE_SECONDS = 45.0
