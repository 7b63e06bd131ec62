"""Counted work: what the chart solver spends, so that its limits never depend on the clock.

``Meter`` counts the chart entries cover searches visit (a search step visits each entry and
column of the reduced chart once); ``IlpBudget`` the work of the integer programming of one part of a
chart (branch-and-bound nodes times the size of their linear programmes).  The limits they are held to are in
``analysis.qca.limits``.

>>> m = Meter(100)
>>> m.spend(60); m.left
40
>>> b = IlpBudget(work=1000)
>>> b.spend(nodes=3, size=200); b.left, b.node_limit(size=300)
(400, 1)
"""
from __future__ import annotations

from .limits import ILP_MAX_SIZE, ILP_WORK

__all__ = ["Meter", "IlpBudget"]


class Meter:
    """Chart entries visited by cover searches, against a limit shared by several searches.

    Parameters
    ----------
    limit : int
        The most chart entries the searches may visit together (e.g.
        ``limits.INTERMEDIATE_WORK`` for all blocks of an intermediate solution).

    Attributes
    ----------
    used : int
        Entries visited so far.
    left : int
        ``limit - used``, at least 0.

    Notes
    -----
    Work, not time: the same input gives the same answer, or the same refusal, on any machine
    (``analysis.qca.limits``).

    Examples
    --------
    >>> m = Meter(100)
    >>> m.spend(60); m.left
    40
    """

    def __init__(self, limit: int):
        self.limit, self.used = int(limit), 0

    @property
    def left(self) -> int:
        """The entries left to visit (at least 0)."""
        return max(0, self.limit - self.used)

    def spend(self, units: int) -> None:
        """Count ``units`` chart entries as visited."""
        self.used += int(units)


class IlpBudget:
    """The integer programming left for one part of a chart.

    A programme costs its branch-and-bound nodes (at least one, the root), each a linear programme
    whose simplex work grows with the constraint matrix's nonzero entries times its rows: ``size``
    = entries x rows (the matrix grows by one cut row per cover found).

    Parameters
    ----------
    work : int, default ``limits.ILP_WORK``
        The budget, in nodes x size.

    Attributes
    ----------
    used, programmes, nodes : int
        Work spent, programmes solved and their branch-and-bound nodes.
    left : int
        ``work - used``, at least 0.

    Notes
    -----
    A programme larger than ``limits.ILP_MAX_SIZE`` is not attempted (its root alone may take
    minutes); the budget counts work, not time (``analysis.qca.limits``).

    Examples
    --------
    >>> b = IlpBudget(work=1000)
    >>> b.spend(nodes=3, size=200); b.left, b.node_limit(size=300), b.allows(500)
    (400, 1, False)
    """

    def __init__(self, work: int = ILP_WORK):
        self.work, self.used, self.programmes, self.nodes = int(work), 0, 0, 0

    @property
    def left(self) -> int:
        """The work left (at least 0)."""
        return max(0, self.work - self.used)

    def allows(self, size: int) -> bool:
        """Whether a programme of ``size`` may be attempted: not larger than ``ILP_MAX_SIZE`` (beyond
        it, HiGHS's work at the root alone is too large to bound) and within the work left."""
        return size <= ILP_MAX_SIZE and size <= self.left

    def node_limit(self, size: int) -> int:
        """Branch-and-bound nodes the next programme (of ``size``) may take."""
        return max(1, self.left // max(1, int(size)))

    def spend(self, nodes: int, size: int) -> None:
        """One programme solved, with ``nodes`` branch-and-bound nodes, of ``size``."""
        self.nodes += int(nodes)
        self.programmes += 1
        self.used += max(1, int(nodes)) * int(size)

    def describe(self) -> str:
        """The programmes, nodes and work spent, for a refusal's message."""
        return (f"{self.programmes} integer programmes, {self.nodes} branch-and-bound nodes, work {self.used} of "
                f"{self.work} (nodes x entries x rows)")
