"""The intermediate solution of a multi-value truth table: directional expectations as values,
easy and difficult counterfactuals (Ragin & Sonnett 2005; Dusa 2019, ch. 8.4).

R's QCA takes a multi-value condition's expectation as the value or values expected to
contribute to the outcome: ``dir.exp = c("1;2", "1", "1", "-", "1")`` (one per condition, values
separated by ``;``) or ``dir.exp = "DEV[1,2], URB[1], LIT[1], STB[1]"`` (conditions not named have
none).  The rule is the binary one (``analysis.qca.intermediate``, R's ``C_getEC``): for each
complex term and each parsimonious term that subsumes it, the complex term's literals that the
parsimonious term leaves out and whose value is not among the condition's expected values are
dropped; the simplifying assumptions the terms so obtained cover are the easy counterfactuals;
the positive rows and the easy counterfactuals are minimised without other remainders.

>>> parse_dir_exp_mv("DEV[1,2], STB[1]", ["DEV", "URB", "STB"], (3, 2, 2))
[(1, 2), None, (1,)]
>>> parse_dir_exp_mv("1;2,-,1", ["DEV", "URB", "STB"], (3, 2, 2))
[(1, 2), None, (1,)]
"""
from __future__ import annotations

import re

import numpy as np

from .cover_models import PrimeFits, fit_models
from .errors import QCAError
from .expressions import is_binary_literal, parse
from .intermediate import count_blocks
from .limits import INTERMEDIATE_WORK, MAX_MODELS
from .models import Solution
from .mv_primes import MINIMISED, covers_mv, prime_implicants_mv, simplifying_assumptions_mv
from .mv_rows import all_codes_mv
from .mv_solutions import solve_chart_mv
from .truthtable_type import TruthTable
from .work import Meter

__all__ = ["parse_dir_exp_mv", "intermediate_mv", "easy_counterfactuals_mv"]

_NONE = ("-", "", "dc")
_ITEMS = re.compile(r"[^,\[{]+(?:[\[{][^\]}]*[\]}])?")     # "DEV[1,2], URB[1]": items, commas inside brackets kept


def _values(condition: str, value, levels: int) -> tuple | None:
    """One condition's expectation as its sorted values, None for none."""
    if value is None or (isinstance(value, str) and value.strip() in _NONE):
        return None
    if isinstance(value, str):
        parts = [v.strip() for v in value.split(";")]
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = list(value)
    else:
        parts = [value]
    try:
        values = sorted({int(float(v)) for v in parts if str(v).strip() not in _NONE})
        exact = all(float(v) == int(float(v)) for v in parts if str(v).strip() not in _NONE)
    except (TypeError, ValueError):
        values, exact = [], False
    if not values or not exact or not all(0 <= v < levels for v in values):
        raise QCAError(f"dir_exp for {condition}: {value!r} is not among its values 0 to {levels - 1} (give a value, "
                       f"several as '1;2', or - for none)")
    return tuple(values)


def _from_expression(text: str, conditions, levels) -> list:
    """R's expression form, ``"DEV[1,2], URB[1]"``: conditions not named have no expectation."""
    out = {}
    named = dict(zip(conditions, levels))
    for item in (m.group(0).strip() for m in _ITEMS.finditer(text)):
        if not item:
            continue
        terms = parse(item, conditions, named)
        if len(terms) != 1 or len(terms[0]) != 1:
            raise QCAError(f"dir_exp: {item!r} is not one condition's expected values, such as DEV[1,2]")
        (name, value), = terms[0]
        values = ((1,) if value else (0,)) if is_binary_literal(value) else \
            (value if isinstance(value, tuple) else (value,))
        out[name] = tuple(sorted(set(out.get(name, ())) | set(values)))
    return [out.get(c) for c in conditions]


def parse_dir_exp_mv(dir_exp, conditions, levels) -> list | None:
    """Directional expectations of a multi-value analysis: per condition, the expected values or None.

    Parameters
    ----------
    dir_exp : str, sequence, dict or None
        ``"1;2,1,-"`` (one per condition, values separated by ``;``); R's expression form
        ``"DEV[1,2], URB[1]"`` (conditions not named: no expectation); a list such as
        ``[[1, 2], 1, "-"]``; or a dict ``{condition: values}``.  ``"-"``, ``""`` and ``"dc"``
        mean no expectation.
    conditions : sequence of str
        The truth table's conditions, in order.
    levels : sequence of int
        The number of values of each condition.

    Returns
    -------
    list or None
        A tuple of the expected values (sorted) or None per condition; None when ``dir_exp`` is
        None.

    Raises
    ------
    QCAError
        A wrong number of values, a value that is not one of the condition's, or a dict naming an
        unknown condition.

    Notes
    -----
    R's ``minimize(dir.exp = ...)`` on multi-value data (``verify.dir.exp``): the "old way" (one
    entry per condition, ``"1;2"`` for several values) or an expression with square brackets; a
    binary condition's expectation 1 or 0 is its value (Dusa 2019, ch. 8.4).

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.4.

    Examples
    --------
    >>> parse_dir_exp_mv([[1, 2], 1, "-"], ["DEV", "URB", "STB"], (3, 2, 2))
    [(1, 2), (1,), None]
    >>> parse_dir_exp_mv({"DEV": 2}, ["DEV", "URB"], (3, 2))
    [(2,), None]
    """
    if dir_exp is None:
        return None
    conditions, levels = list(conditions), list(levels)
    if isinstance(dir_exp, str) and ("[" in dir_exp or "{" in dir_exp):
        return _from_expression(dir_exp, conditions, levels)
    if isinstance(dir_exp, dict):
        unknown = [c for c in dir_exp if c not in conditions]
        if unknown:
            raise QCAError(f"dir_exp names unknown condition(s) {', '.join(map(str, unknown))}; "
                           f"conditions: {', '.join(conditions)}")
        values = [dir_exp.get(c) for c in conditions]
    else:
        values = dir_exp.split(",") if isinstance(dir_exp, str) else list(dir_exp)
        if len(values) != len(conditions):
            raise QCAError(f"dir_exp has {len(values)} value(s) but there are {len(conditions)} conditions "
                           f"({', '.join(conditions)}); give the expected value(s) of each ('1;2' for two) or -")
    return [_values(c, v, n) for c, v, n in zip(conditions, values, levels)]


def easy_counterfactuals_mv(c_primes, p_primes, sa, expectations, levels) -> np.ndarray:
    """The easy counterfactuals of one (complex model, parsimonious model) pair, as row codes.

    Parameters
    ----------
    c_primes, p_primes : numpy.ndarray
        The complex and the parsimonious model's terms (values, -1 for a condition left out).
    sa : numpy.ndarray of int
        The parsimonious model's simplifying assumptions.
    expectations : list
        Per condition, the expected values or None (``parse_dir_exp_mv``).
    levels : sequence of int
        The number of values of each condition.

    Returns
    -------
    numpy.ndarray of int64
        The simplifying assumptions that the reduced complex terms cover.

    Notes
    -----
    R's ``C_getEC`` (module docstring).

    Examples
    --------
    >>> easy_counterfactuals_mv(np.array([[2, 1]]), np.array([[2, -1]]), np.array([4]), [None, (1,)], (3, 2)).tolist()
    []
    >>> easy_counterfactuals_mv(np.array([[2, 1]]), np.array([[2, -1]]), np.array([4]), [None, (0,)], (3, 2)).tolist()
    [4]
    """
    if len(sa) == 0:
        return np.array([], dtype=np.int64)
    expected = [set(e) if e is not None else None for e in expectations]
    reduced = []
    for c in np.asarray(c_primes):
        for p in np.asarray(p_primes):
            if not all(pv == MINIMISED or pv == cv for cv, pv in zip(c, p)):
                continue                              # p does not subsume c
            reduced.append([MINIMISED if cv != MINIMISED and pv == MINIMISED and e is not None and int(cv) not in e
                            else cv for cv, pv, e in zip(c, p, expected)])
    if not reduced:
        return np.array([], dtype=np.int64)
    return sa[covers_mv(np.array(reduced), sa, levels).any(axis=0)]


def _block(tt, label, c_primes, p_primes, sa, expectations, positive, cache, fits, meter) -> Solution:
    """One intermediate block; ``cache`` maps a set of easy counterfactuals to its models."""
    ec = easy_counterfactuals_mv(c_primes, p_primes, sa, expectations, tt.levels)
    key = ec.tobytes()
    if key not in cache:
        on = np.union1d(positive, ec)
        off = np.setdiff1d(all_codes_mv(tt.levels), on)
        primes, found = solve_chart_mv(prime_implicants_mv(on, off, tt.levels, through=positive), positive,
                                       tt.levels, meter)
        cache[key] = fit_models(tt, primes, found, positive, fits)
    return Solution(kind="intermediate", label=label, models=cache[key], k=tt.k, levels=tt.levels,
                    easy_codes=ec, difficult_codes=np.setdiff1d(sa, ec))


def intermediate_mv(tt: TruthTable, complex_sol: Solution, pars_sol: Solution, expectations, fits: bool = True) -> list:
    """The intermediate solution's blocks of a multi-value truth table, one per (complex,
    parsimonious) pair of models.

    Parameters
    ----------
    tt : TruthTable
        A multi-value truth table.
    complex_sol, pars_sol : Solution
        Its complex and parsimonious solutions (both defined).
    expectations : list
        Per condition, the expected values or None (``parse_dir_exp_mv``).
    fits : bool, default True
        False: models without their parameters of fit.

    Returns
    -------
    list of Solution
        Blocks ``C1P1``, ``C1P2``, ..., each with every tied model and its easy and difficult
        counterfactuals.

    Raises
    ------
    QCAError
        More than ``MAX_BLOCKS`` blocks, ``MAX_MODELS`` models or ``INTERMEDIATE_WORK`` search work
        (``analysis.qca.limits``), as the binary ``intermediate``.

    Notes
    -----
    R's ``minimize(include = "?", dir.exp = ...)`` on multi-value data (module docstring; Ragin &
    Sonnett 2005; Dusa 2019, ch. 8.4).  With no expectation at all each block is the complex model
    without counterfactuals, as in R.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.qca import solve, truth_table
    >>> data = pd.DataFrame({"D": [0, 1, 2], "B": [0, 1, 1], "Y": [0, 0, 1]}, index=list("pqr"))
    >>> tt = truth_table(data, "Y")
    >>> sols = solve(tt, dir_exp="D[1,2], B[0]")      # B[1] is not expected: dropped, on the remainder 20
    >>> sols.complex.models[0].expression, sols.parsimonious.models[0].expression, sols.parsimonious.SA
    ('D[2]*B[1]', 'D[2]', {'M1': ['20']})
    >>> block = sols.intermediate[0]
    >>> block.models[0].expression, block.EC, block.DC
    ('D[2]', ['20'], [])
    >>> solve(tt, dir_exp="D[1,2], B[1]").intermediate[0].models[0].expression
    'D[2]*B[1]'
    """
    positive = tt.positive
    count_blocks(complex_sol, pars_sol)           # refused beyond MAX_BLOCKS
    pars_sa = pars_sol.simplifying_codes or simplifying_assumptions_mv(tt.levels, pars_sol.primes, pars_sol.covers,
                                                                      positive)
    blocks, cache, total, fits = [], {}, 0, (PrimeFits(tt, positive) if fits else False)
    meter = Meter(INTERMEDIATE_WORK)
    for ci, c_cover in enumerate(complex_sol.covers, 1):
        for pi, p_cover in enumerate(pars_sol.covers, 1):
            label, sa = f"C{ci}P{pi}", pars_sa[pi - 1]
            if all(e is None for e in expectations):
                blocks.append(Solution(kind="intermediate", label=label, models=(complex_sol.models[ci - 1],),
                                       k=tt.k, levels=tt.levels, easy_codes=sa[:0], difficult_codes=sa[:0]))
                continue
            blocks.append(_block(tt, label, complex_sol.primes[list(c_cover)], pars_sol.primes[list(p_cover)], sa,
                                 expectations, positive, cache, fits, meter))
            total += len(blocks[-1].models)
            if total > MAX_MODELS or meter.used > meter.limit:
                raise QCAError(f"the intermediate solution needs more than {MAX_MODELS} models or {meter.limit} chart "
                               "entries searched over its blocks; too large to report exactly; simplify the truth "
                               "table (e.g. a higher incl_cut)")
    return blocks
