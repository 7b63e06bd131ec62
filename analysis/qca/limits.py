"""The engine's limits: the sizes beyond which it refuses with a ``QCAError`` rather than return
part of an answer as complete.

Every limit counts work, never time, so that the same input gives the same answer, or the same
refusal, on a fast laptop and on a busy server.  Each limit says what is counted:

============================  ======================================================================
``MAX_CONDITIONS`` 16         conditions of a truth table: exact minimisation works on the 3^k
                              implicants (43 million at 16)
``MAX_MODELS`` 100,000        tied minimal models of one solution (of all blocks of an intermediate
                              solution together), counted as they are found
``MAX_BLOCKS`` 10,000         intermediate blocks: complex models x parsimonious models
``MAX_NODES`` 30,000,000      depth-first steps of one cover search, plus ``STEPS_PER_MODEL`` (20)
                              per model found (a search that keeps finding models may go on)
``MAX_WORK`` 6 x 10^9         chart entries one cover search visits: its steps times the entries
                              and columns of the reduced chart (a step visits each once); on large
                              charts this, not ``MAX_NODES``, bounds the steps
``PROBE_NODES`` 1,000,000,    the same two bounds for the first search, for covers as small as
``PROBE_WORK`` 1.5 x 10^9     the lower bound
``ILP_MAX_KNOWN`` 500         integer programming (one programme per model) takes over from a
                              stopped search only when the search found fewer models than this
``ILP_WORK`` 10^9             the integer programmes of one part of a chart (proving the minimum,
                              enumerating the covers): each programme's branch-and-bound nodes (at
                              least 1) times its constraint matrix's nonzeros times its rows
``ILP_MAX_SIZE`` 5 x 10^7     nonzeros times rows of one integer programme: a larger one is not
                              attempted (its root alone may take minutes)
``INTERMEDIATE_WORK`` 10^11   chart entries the cover searches of all blocks of an intermediate
                              solution visit together
============================  ======================================================================

On this project's 2-core benchmark machine the compiled search visits about 6 x 10^8 chart
entries a second on charts of hundreds of primes (fewer on thousands) and HiGHS about 10^8 units
of ``ILP_WORK``, so each is about 10 s on most charts, more on the largest; the figures are in
``benchmarks/README.md``.
"""
from __future__ import annotations

__all__ = ["MAX_CONDITIONS", "MAX_MODELS", "MAX_BLOCKS", "MAX_NODES", "STEPS_PER_MODEL", "MAX_WORK", "PROBE_NODES",
           "PROBE_WORK", "ILP_MAX_KNOWN", "ILP_WORK", "ILP_MAX_SIZE", "INTERMEDIATE_WORK"]

MAX_CONDITIONS = 16
MAX_MODELS = 100_000
MAX_BLOCKS = 10_000
MAX_NODES = 30_000_000
STEPS_PER_MODEL = 20
MAX_WORK = 6_000_000_000
PROBE_NODES = 1_000_000
PROBE_WORK = 1_500_000_000
ILP_MAX_KNOWN = 500
ILP_WORK = 1_000_000_000
ILP_MAX_SIZE = 50_000_000
INTERMEDIATE_WORK = 100_000_000_000
