"""Which of a solution's tied models to take: every one (the engine's default), or one as
SetMethods picks it (``sol = 1``, ``"c1p2i1"``).

A truth table may have several equally minimal models, and an intermediate solution one block
per pair of a complex and a parsimonious model (R's ``i.sol``: ``C1P1``, ``C1P2``, ...).
SetMethods' functions take one model (``sol``; by default the first of ``C1P1``); the engine's
case selection, theory evaluation and cluster diagnostics take every tied model by default and
reproduce SetMethods' choice on request, through ``solution_models``.
"""
from __future__ import annotations

import re

import numpy as np

from .errors import QCAError
from .models import Solution, Solutions
from .terms import Model

__all__ = ["solution_models", "pick_models"]

_SETMETHODS_SOL = re.compile(r"^c(\d+)p(\d+)i(\d+)$", re.IGNORECASE)


def solution_models(solution, models="all") -> list:
    """The models of a solution as ``(block, model label, Model)``, e.g. ``("C1P2", "M1", model)``.

    Parameters
    ----------
    solution : Solutions, Solution, sequence of Solution, or Model
        ``Solutions`` stands for its intermediate blocks (pass ``sols.parsimonious`` or
        ``sols.complex`` for those); a sequence of blocks for all of them.
    models : {"all", "first"}, int, str or tuple, default "all"
        ``"all"``: every tied model of every block; ``"first"``: the first model of the first
        block (SetMethods' ``sol = 1``: ``C1P1``'s first model); an int k: the k-th model of the
        first block (``sol = k``); ``"c1p2i1"`` or ``("C1P2", 1)``: block C1P2, model 1
        (SetMethods' form).

    Returns
    -------
    list of tuple
        ``(block, model, Model)``: the block's label (``"C1P1"``, ``"parsimonious"``,
        ``"complex"``; empty for a lone Model) and ``"M1"``, ``"M2"``, ... within the block.

    Raises
    ------
    QCAError
        An undefined solution, a ``Solutions`` without intermediate blocks (no ``dir_exp``), or
        a ``models`` that names no model.

    Notes
    -----
    A solution that does not exist (``Solution.undefined``) is a ``QCAError``.  The blocks and
    their labels are those of R's ``minimize`` (``i.sol``: one block per pair of a complex and a
    parsimonious model); SetMethods' ``sol`` picks one model of one block.

    References
    ----------
    Dusa, A. (2019). QCA with R. Springer, ch. 8 (``minimize``, intermediate solutions).

    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). Qualitative Comparative Analysis using
    R. Cambridge University Press (SetMethods' ``sol`` argument).

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", ["EMP", "BARGAIN", "UNI", "OCCUP", "STOCK", "MA"],
    ...                  incl_cut=0.9, neg_out=True)
    >>> [(b, m, x.expression) for b, m, x in solution_models(solve(tt, dir_exp=[0] * 6))]
    [('C1P1', 'M1', '~STOCK + EMP*~UNI*~MA'), ('C1P2', 'M1', '~STOCK + ~UNI*OCCUP*~MA')]
    """
    return [(b.label or b.kind if b is not None else "", f"M{i + 1}", m) for b, i, m in pick_models(solution, models)]


def pick_models(solution, models="all") -> list:
    """``solution_models`` with the blocks themselves: ``(block or None, model index, Model)``.

    For callers that need the block (e.g. R's order of a block's terms, ``smmr``).

    Parameters
    ----------
    solution : Solutions, Solution, sequence of Solution, or Model
        As ``solution_models``.
    models : {"all", "first"}, int, str or tuple, default "all"
        As ``solution_models``.

    Returns
    -------
    list of tuple
        ``(block, index, Model)``: the ``Solution`` block (None for a lone Model) and the model's
        0-based index in it.

    Raises
    ------
    QCAError
        An undefined solution, a ``Solutions`` without intermediate blocks, or a ``models`` that
        names no model.

    Notes
    -----
    SetMethods' ``sol`` (default 1) counts the models of the first block (of ``C1P1`` for an
    intermediate solution); ``"c1p2i1"`` names block C1P2, model 1 (Oana, Schneider & Thomann 2021).

    References
    ----------
    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). *Qualitative Comparative Analysis Using
    R: A Beginner's Guide*. Cambridge University Press.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> sols = solve(truth_table(load("CVF"), "PROTEST", incl_cut=0.85), dir_exp=[1] * 5)
    >>> [(b.label, i) for b, i, m in pick_models(sols)]
    [('C1P1', 0), ('C1P2', 0)]
    >>> [(b.kind, i) for b, i, m in pick_models(sols.parsimonious, 2)]
    [('parsimonious', 1)]
    """
    blocks = _blocks(solution)
    listed = [(b, i, m) for b in blocks for i, m in enumerate(b.models)]
    if isinstance(solution, Model):
        listed = [(None, 0, solution)]
    if models == "all":
        return listed
    if models == "first":
        models = 1
    if isinstance(models, str) and _SETMETHODS_SOL.match(models.strip()):
        c, p, i = _SETMETHODS_SOL.match(models.strip()).groups()
        models = (f"C{c}P{p}", int(i))
    if isinstance(models, tuple) and len(models) == 2:
        label, number = str(models[0]).upper(), models[1]
        chosen = [x for x in listed if x[0] is not None and x[0].label.upper() == label and x[1] + 1 == number]
    elif isinstance(models, (int, np.integer)) and not isinstance(models, bool):
        first = listed[0][0]
        chosen = [x for x in listed if x[0] is first][models - 1:models] if models >= 1 else []
    else:
        raise QCAError(f"models: {models!r} is not 'all', 'first', a model number or a block such as 'c1p1i1'")
    if not chosen:
        raise QCAError(f"models: there is no model {models!r} in this solution ({len(listed)} model(s))")
    return chosen


def _blocks(solution) -> list:
    if isinstance(solution, Model):
        return []
    if isinstance(solution, Solutions):
        if not solution.intermediate:
            raise QCAError("solution: this Solutions has no intermediate solution (no dir_exp); "
                           "pass sols.parsimonious or sols.complex")
        solution = solution.intermediate
    blocks = [solution] if isinstance(solution, Solution) else list(solution)
    if not blocks or not all(isinstance(b, Solution) for b in blocks):
        raise QCAError("solution: give a Solutions, a Solution, a sequence of Solution blocks or a Model")
    for b in blocks:
        if b.undefined:
            raise QCAError(f"solution: the {b.kind} solution does not exist: {b.undefined}")
    return blocks
