"""The intermediate solution: easy and difficult counterfactuals (Ragin & Sonnett 2005; Ragin
2008, ch. 9; Schneider & Wagemann 2012, ch. 6.4 and 8; Dusa 2019, ch. 8.4).

The intermediate solution follows R's QCA (``minimize`` with ``dir.exp``).  For each pair of a
complex model and a parsimonious model, and for each complex term with a parsimonious term that
is a superset of it, the literals of the complex term that are not in the parsimonious term and
contradict a directional expectation are dropped; the easy counterfactuals are the parsimonious
model's simplifying assumptions covered by the terms so obtained; the positive rows together with
the easy counterfactuals are then minimised exactly, without other remainders.  The remaining
simplifying assumptions are the difficult counterfactuals.  One intermediate block is produced per
(complex, parsimonious) pair, labelled ``C1P1``, ``C1P2``, ...  A condition with expectation "-"
keeps its literal; when every expectation is "-", each block is the complex model and, as in R's
QCA (``minimize``: the expectations then reduce to a zero matrix), lists neither easy nor difficult
counterfactuals: the block rests on no remainder.

>>> import pandas as pd
>>> from analysis.qca import solve, truth_table
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.1, 0.2], "B": [0.8, 0.2, 0.2, 0.1], "C": [0.1, 0.2, 0.1, 0.9],
...                      "Y": [0.9, 0.8, 0.1, 0.2]}, index=["p", "q", "r", "s"])
>>> sols = solve(truth_table(data, "Y"), dir_exp=[1, 1, 1])
>>> sols.complex.models[0].expression, sols.parsimonious.models[0].expression
('A*~C', 'A')
>>> block = sols.intermediate[0]        # ~C contradicts the expectation C = 1: dropped
>>> block.label, block.models[0].expression, block.easy, block.difficult
('C1P1', 'A', ['101', '111'], [])
"""
from __future__ import annotations

import numpy as np

from . import primes_small
from .chart import solve_chart
from .errors import QCAError
from .limits import INTERMEDIATE_WORK, MAX_BLOCKS, MAX_MODELS
from .cover_models import PrimeFits, fit_models, simplifying_assumptions
from .models import Solution
from .primes import covers_masks, implicant_masks, prime_implicants
from .rows import other_codes, weights
from .truthtable_type import TruthTable
from .work import Meter

__all__ = ["intermediate", "parse_dir_exp"]


def parse_dir_exp(dir_exp, conditions) -> list:
    """Directional expectations as a list of 1, 0 or None (no expectation), one per condition.

    Parameters
    ----------
    dir_exp : str, sequence, dict or None
        ``"1,0,-"``; a list such as ``[1, 0, "-"]`` (or its parsed form ``[1, 0, None]``); or a
        dict ``{condition: 1, 0 or "-"}`` (conditions not named: no expectation).  ``"-"``, ``""``
        and ``"dc"`` mean no expectation.
    conditions : sequence of str
        The truth table's conditions, in order.

    Returns
    -------
    list or None
        One of 1 (the condition's presence is expected to contribute to the outcome), 0 (its
        absence) or None per condition; None when ``dir_exp`` is None.

    Raises
    ------
    QCAError
        A wrong number of values, a value other than 1, 0 or "-", or a dict naming an unknown
        condition.

    Notes
    -----
    R's ``minimize(dir.exp = ...)`` takes the same "old way" form, one value per condition in
    order (Dusa 2019, ch. 8.4; Ragin 2008, ch. 9); it also reads an expression such as
    ``"DEV, ~IND"`` (conditions not named have no expectation), which the dict form replaces here,
    and multi-value expectations (``"1;0"``), which the engine does not take.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.4.

    Examples
    --------
    >>> parse_dir_exp("1,0,-", ["A", "B", "C"])
    [1, 0, None]
    >>> parse_dir_exp({"B": 0}, ["A", "B"])
    [None, 0]
    >>> from analysis.qca.datasets import load
    >>> parse_dir_exp({"DEV": 1, "STB": 1}, ["DEV", "URB", "LIT", "IND", "STB"])
    [1, None, None, None, 1]
    """
    if dir_exp is None:
        return None
    if isinstance(dir_exp, dict):
        unknown = [c for c in dir_exp if c not in conditions]
        if unknown:
            raise QCAError(f"dir_exp names unknown condition(s) {', '.join(map(str, unknown))}; "
                           f"conditions: {', '.join(conditions)}")
        values = [dir_exp.get(c, "-") for c in conditions]
    else:
        values = dir_exp.split(",") if isinstance(dir_exp, str) else list(dir_exp)
        if len(values) != len(conditions):
            raise QCAError(f"dir_exp has {len(values)} value(s) but there are {len(conditions)} conditions "
                           f"({', '.join(conditions)}); give one of 1, 0 or - per condition")
    out = []
    for c, v in zip(conditions, values):
        v = "-" if v is None else str(v).strip()     # None: already parsed "no expectation"
        if v in ("1", "1.0"):
            out.append(1)
        elif v in ("0", "0.0"):
            out.append(0)
        elif v in ("-", "", "dc"):
            out.append(None)
        else:
            raise QCAError(f"dir_exp for {c}: {v!r} is not 1, 0 or -")
    return out


def _easy_counterfactuals(k, c_primes, p_primes, sa, expectations) -> np.ndarray:
    """The easy counterfactuals of one (complex model, parsimonious model) pair, as row codes.

    For each complex term and each parsimonious term that is a superset of it (its literals are
    a subset), the complex term's literals that are not in the parsimonious term and contradict
    a directional expectation are dropped; the easy counterfactuals are the simplifying
    assumptions ``sa`` that the terms so obtained cover.  The terms are bit masks
    (``implicant_masks``); the rows they cover are read off ``primes_small``'s table for a few
    conditions, else found by ``covers_masks``.
    """
    if len(sa) == 0:
        return np.array([], dtype=np.int64)
    bit = weights(k).tolist()
    expected = sum(b for b, e in zip(bit, expectations) if e is not None)
    expected_present = sum(b for b, e in zip(bit, expectations) if e == 1)
    c_value, c_care = (m.tolist() for m in implicant_masks(c_primes, k))
    p_value, p_care = (m.tolist() for m in implicant_masks(p_primes, k))
    terms = []
    for cv, cc in zip(c_value, c_care):
        for pv, pc in zip(p_value, p_care):
            if pc & ~cc == 0 and (cv ^ pv) & pc == 0:        # the parsimonious term is a superset
                care = cc & ~(cc & ~pc & expected & (cv ^ expected_present))
                terms.append((cv & care, care))
    if not terms:
        return np.array([], dtype=np.int64)
    if 0 < k <= primes_small.SMALL_K:
        covered = 0
        for value, care in terms:
            covered |= primes_small.implicant_rows(value, care, k)
        return primes_small.codes_of_bits(primes_small.row_bits_of(sa) & covered)
    value, care = (np.array(a, dtype=np.int64) for a in zip(*terms))
    return sa[covers_masks(value, care, sa).any(axis=0)]


def _block_chart(k: int, positive, ec, meter) -> tuple:
    """The primes and minimal covers of the positive rows when the easy counterfactuals ``ec`` are
    the only remainders used (``chart.solve_chart``; a few conditions: on Python ints)."""
    if 0 < k <= primes_small.SMALL_K:
        on = primes_small.row_bits_of(positive)
        used = on | primes_small.row_bits_of(ec)
        index = primes_small.small_prime_index(used, ((1 << (1 << k)) - 1) & ~used, k, on)
        return solve_chart(primes_small.digits_of(index, k), positive, k, meter, index)
    on = np.union1d(positive, ec)
    off = other_codes(on, k)
    return solve_chart(prime_implicants(on, off, k, through=positive), positive, k, meter)


def _intermediate_block(tt, label, c_primes, p_primes, sa, expectations, positive, cache, fits, meter) -> Solution:
    """One intermediate block; ``sa`` are the parsimonious model's simplifying assumptions (row
    codes); ``cache`` maps a set of easy counterfactuals to its models."""
    ec = _easy_counterfactuals(tt.k, c_primes, p_primes, sa, expectations)
    key = ec.tobytes()
    if key not in cache:
        primes, found = _block_chart(tt.k, positive, ec, meter)
        cache[key] = fit_models(tt, primes, found, positive, fits)
    difficult = primes_small.codes_of_bits(primes_small.row_bits_of(sa) & ~primes_small.row_bits_of(ec)) \
        if 0 < tt.k <= primes_small.SMALL_K else np.setdiff1d(sa, ec)
    return Solution(kind="intermediate", label=label, models=cache[key], k=tt.k,
                    easy_codes=ec, difficult_codes=difficult)


def count_blocks(complex_sol, pars_sol) -> int:
    """The intermediate blocks (complex x parsimonious models; R's C1P1, C1P2, ...), refused with
    a ``QCAError`` beyond ``MAX_BLOCKS``; binary and multi-value solutions alike."""
    n_blocks = len(complex_sol.covers) * len(pars_sol.covers)
    if n_blocks > MAX_BLOCKS:
        raise QCAError(f"the intermediate solution has {len(complex_sol.covers)} complex x {len(pars_sol.covers)} "
                       f"parsimonious models = {n_blocks} blocks, more than {MAX_BLOCKS} to report exactly; "
                       "simplify the truth table (e.g. a higher incl_cut)")
    return n_blocks


def intermediate(tt: TruthTable, complex_sol: Solution, pars_sol: Solution, dir_exp, fits: bool = True) -> list:
    """The intermediate solution's blocks, one per (complex model, parsimonious model) pair.

    Parameters
    ----------
    tt : TruthTable
        The truth table.
    complex_sol, pars_sol : Solution
        The complex and the parsimonious solution of ``tt`` (both defined).
    dir_exp : str, sequence or dict
        The directional expectations (``parse_dir_exp``).
    fits : bool, default True
        False: models without their parameters of fit (``cover_models.fit_models``).

    Returns
    -------
    list of Solution
        Blocks of kind "intermediate" labelled ``C1P1``, ``C1P2``, ..., each with every tied model,
        its easy (``EC``) and difficult (``DC``) counterfactuals.

    Raises
    ------
    QCAError
        More than ``MAX_BLOCKS`` blocks, more than ``MAX_MODELS`` models over the blocks, or more
        than ``INTERMEDIATE_WORK`` chart entries visited by their searches.

    Notes
    -----
    R's QCA rule (``minimize`` with ``dir.exp``; module docstring): for each complex term and each
    parsimonious term that is a superset of it, the complex term's literals that are not in the
    parsimonious term and contradict a directional expectation are dropped; the easy
    counterfactuals are the parsimonious model's simplifying assumptions covered by the terms so
    obtained; the positive rows and the easy counterfactuals are minimised exactly, without other
    remainders; the remaining simplifying assumptions are the difficult counterfactuals (Ragin &
    Sonnett 2005; Ragin 2008, ch. 9; Schneider & Wagemann 2012, ch. 6.4 and 8; Dusa 2019, ch. 8.4).

    When every expectation is "-", each block is the complex model with neither easy nor difficult
    counterfactuals, as in R.  R 3.25.1 then reports wrong parameters of fit when the complex
    model has more than one term: ``minimize`` passes the model's terms to ``pof`` as if each were
    a model of its own (the ``isoliscsol`` branch), so it gives the fit of the first term as "M1",
    of the second as "M2"; its models are right, and so are the engine's fits, which are the
    complex model's (``tests/fixtures/reference/studies/README.md``).

    References
    ----------
    Ragin, C. C., & Sonnett, J. (2005). Between complexity and parsimony: Limited diversity,
    counterfactual cases, and comparative analysis. In S. Kropp & M. Minkenberg (Eds.),
    *Vergleichen in der Politikwissenschaft* (pp. 180-197). VS Verlag für Sozialwissenschaften.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 6.4 and 8.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.4.

    Examples
    --------
    >>> from analysis.qca import minimize, truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> blocks = intermediate(tt, minimize(tt), minimize(tt, include="?"), [1, 1, 1, 1, 1])
    >>> blocks[0].label, blocks[0].models[0].expression, blocks[0].EC
    ('C1P1', 'DEV*URB*LIT*STB + DEV*LIT*~IND*STB', ['11101'])
    """
    expectations = parse_dir_exp(dir_exp, tt.conditions)
    positive = tt.positive
    n_blocks = count_blocks(complex_sol, pars_sol)
    pars_sa = pars_sol.simplifying_codes or simplifying_assumptions(tt.k, pars_sol.primes, pars_sol.covers, positive)
    blocks, cache, total, fits = [], {}, 0, (PrimeFits(tt, positive) if fits else False)
    meter = Meter(INTERMEDIATE_WORK)          # the cover searches of all blocks together
    for ci, c_cover in enumerate(complex_sol.covers, 1):
        c_primes = complex_sol.primes[list(c_cover)]
        for pi, p_cover in enumerate(pars_sol.covers, 1):
            label = f"C{ci}P{pi}"
            sa = pars_sa[pi - 1]
            if all(e is None for e in expectations):
                m = complex_sol.models[ci - 1]
                blocks.append(Solution(kind="intermediate", label=label, models=(m,), k=tt.k,
                                       easy_codes=sa[:0], difficult_codes=sa[:0]))
                continue
            blocks.append(_intermediate_block(tt, label, c_primes, pars_sol.primes[list(p_cover)], sa,
                                              expectations, positive, cache, fits, meter))
            total += len(blocks[-1].models)
            if total > MAX_MODELS:
                raise QCAError(f"the intermediate solution has more than {MAX_MODELS} models over its blocks; "
                               "too many to report exactly; simplify the truth table (e.g. a higher incl_cut)")
            if meter.used > meter.limit:
                raise QCAError(f"the intermediate solution's cover searches visited {meter.used} chart entries, more "
                               f"than the {meter.limit} allowed ({len(blocks)} of {n_blocks} blocks, {total} models "
                               "so far); too large to report exactly; simplify the truth table (e.g. a higher incl_cut)")
    return blocks


