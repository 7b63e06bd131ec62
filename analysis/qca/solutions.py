"""Complex, parsimonious and intermediate solutions (Ragin & Sonnett 2005; Ragin 2008, ch. 9;
Schneider & Wagemann 2012, ch. 6-8; Dusa 2019, ch. 8).

From a truth table, the rows with OUT = 1 (the positive rows) are to be explained; rows with
OUT = 0 or C must not be covered; the logical remainders (unobserved rows, and rows below
``n_cut``) may or may not be used:

- **complex** (conservative) solution: no remainder is used (R: ``include = ""``);
- **parsimonious** solution: every remainder that helps is used (R: ``include = "?"``); the
  remainders a parsimonious model covers are its *simplifying assumptions*;
- **intermediate** solution: only the *easy counterfactuals* are used, those simplifying
  assumptions that agree with the directional expectations ``dir_exp`` (1: the condition's
  presence is expected to contribute to the outcome, 0: its absence, "-": no expectation);
  ``analysis.qca.intermediate`` derives it.

``minimize`` is R's verb: one solution, or an ``UndefinedSolution`` error where R's ``minimize``
stops too (no row to explain; no row to avoid).  ``solve`` gives all three and reports each
solution that does not exist, with its reason, instead of stopping.

Every solution lists every tied minimal model; each model carries its parameters of fit
(``analysis.qca.fit``): inclS, PRI, covS for the model, and for each term inclS, PRI, covS, covU
(unique within that model) and the cases of the positive rows it covers.

>>> import pandas as pd
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1],
...                      "Y": [0.9, 0.9, 0.3, 0.2]}, index=["p", "q", "r", "s"])
>>> tt = truth_table(data, "Y", incl_cut=0.8)
>>> solve(tt, dir_exp=[1, 1])
complex solution: 1 model(s)
  M1: A
parsimonious solution: 1 model(s)
  M1: A
intermediate C1P1 solution: 1 model(s)
  M1: A
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import primes_small
from .chart import solve_chart
from .cover_small import primes_to_depth
from .errors import QCAError, UndefinedSolution
from .intermediate import intermediate, parse_dir_exp
from .ccubes import ccubes_depth
from .cover_models import fit_models, simplifying_assumptions
from .models import Solution, Solutions
from .mv_intermediate import intermediate_mv, parse_dir_exp_mv
from .mv_solutions import minimize_mv
from .primes import covers, prime_implicants
from .rows import other_codes
from .truthtable import truth_table  # noqa: F401  (the docstring's example)
from .truthtable_type import TruthTable

__all__ = ["minimize", "solve", "parse_dir_exp", "ccubes_depth", "cover", "parsimonious_sa", "COVERS_KEPT"]

COVERS_KEPT = 50_000       # codings whose covers a process keeps (``cover(keep=True)``)


def cover(positive, off, k: int, include: str = "?", search: str = "ccubes", label: str = "the outcome",
          keep: bool = False) -> tuple:
    """Every minimal model of a coding: the positive rows covered, the ``off`` rows avoided.

    ``minimize`` and ``parsimonious_sa`` build on it.  ``keep``: the answer is kept for the
    process by the coding (``_covered``: the last ``COVERS_KEPT`` codings; a refusal is found
    again each time) and its primes are read-only: for callers that solve thousands of codings
    sharing their rows (the complex solution reads only the positive rows; the parsimonious one
    the positive and negative rows, as the enhanced standard analysis' simplifying assumptions do).

    Parameters
    ----------
    positive : array-like of int
        The rows to explain (codes).
    off : array-like of int
        The rows to avoid; the other rows are remainders, used with ``include="?"``.
    k : int
        The number of conditions.
    include : {"?", ""}, default "?"
        ``"?"``: the remainders may be used (with ``search="ccubes"``, only R's CCubes depth).
    search : {"ccubes", "complete"}, default "ccubes"
        See ``minimize``.
    label : str, default "the outcome"
        The outcome's name in the message of ``UndefinedSolution``.
    keep : bool, default False
        Keep the answer for the coding (above).

    Returns
    -------
    tuple
        ``(primes, covers, left_out)``: the chart's primes, every minimal cover as indices into
        them, and the number of primes left out beyond R's CCubes depth.

    Raises
    ------
    UndefinedSolution
        When no row is negative (every condition would be minimised away).
    QCAError
        An unknown ``search``, or a chart too large to solve exactly.

    Notes
    -----
    Prime implicants (``primes.prime_implicants``) and every minimal cover of their chart
    (``chart.solve_chart``): the Quine-McCluskey procedure (Ragin 1987, ch. 6; Dusa 2019, ch. 8).

    References
    ----------
    Ragin, C. C. (1987). *The Comparative Method: Moving Beyond Qualitative and Quantitative
    Strategies*. University of California Press, ch. 6.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> primes, found, left_out = cover(tt.positive, tt.negative, tt.k)
    >>> primes.tolist(), found, left_out
    ([[1, 2, 2, 0, 2], [2, 1, 2, 2, 1]], [(0, 1)], 0)
    """
    got = _covered(k, include, search, np.asarray(positive, dtype=np.int64).tobytes(),
                   np.asarray(off, dtype=np.int64).tobytes()) if keep else _cover(positive, off, k, include, search)
    if got is None:
        raise UndefinedSolution(f"no truth table row is negative for {label}: every configuration is "
                                "positive or a remainder, so all conditions are minimised away; check the cut-offs")
    primes, found, left_out = got
    return primes, list(found), left_out


@lru_cache(maxsize=COVERS_KEPT)
def _covered(k: int, include: str, search: str, positive: bytes, off: bytes):
    """``_cover`` of the row codes ``positive`` and ``off`` (int64 bytes), its primes read-only."""
    got = _cover(np.frombuffer(positive, dtype=np.int64).copy(), np.frombuffer(off, dtype=np.int64).copy(), k,
                 include, search)
    if got is not None:
        got[0].flags.writeable = False
    return got


def _cover(positive, off, k: int, include: str, search: str):
    """``cover``'s ``(primes, covers, left_out)``, or None where no row is negative (``cover``
    raises, naming the outcome)."""
    ccubes, small = include == "?" and search == "ccubes", 0 < k <= primes_small.SMALL_K
    if small:                  # a few conditions: rows as Python ints (cover_small)
        primes, index, left_out = primes_to_depth(positive, off, k, ccubes)
    else:
        primes, left_out = prime_implicants(positive, off, k), 0
    if ccubes and not small:
        depth = ccubes_depth(primes, covers(primes, positive, k))
        keep = (primes != 2).sum(axis=1) <= depth
        left_out = int((~keep).sum())
        primes = primes[keep]
    elif search not in ("ccubes", "complete"):
        raise QCAError("search must be 'ccubes' (as R) or 'complete'")
    if (primes == 2).all(axis=1).any():
        return None
    primes, found = solve_chart(primes, positive, k, index=index if small else None)
    return primes, tuple(found), left_out


def parsimonious_sa(positive, negative, k: int):
    """Every simplifying assumption of every tied parsimonious model of a coding, as row codes.

    Parameters
    ----------
    positive : array-like of int
        The positive rows (codes).
    negative : array-like of int
        The negative rows (codes); the other rows are remainders.
    k : int
        The number of conditions.

    Returns
    -------
    numpy.ndarray of int64 or None
        The sorted codes of the remainders any tied parsimonious model covers; None when that
        solution does not exist (no positive or no negative row).

    Notes
    -----
    What ``find_rows(tt, 2)`` intersects for the outcome and its negation (contradictory
    simplifying assumptions; Schneider & Wagemann 2013), from the coding alone; R's ``findRows``
    takes the union of ``$SA`` over the tied models in the same way.

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2013). Doing justice to logical remainders in QCA: Moving
    beyond the Standard Analysis. *Political Research Quarterly*, 66(1), 211-220.

    Examples
    --------
    >>> from analysis.qca import truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> parsimonious_sa(tt.positive, tt.negative, tt.k).tolist()
    [9, 11, 13, 15, 16, 17, 20, 24, 25, 27, 28, 29]
    """
    positive = np.asarray(positive, dtype=np.int64)
    if len(positive) == 0:
        return None
    try:
        primes, found, _ = cover(positive, negative, k, keep=True)
    except UndefinedSolution:
        return None
    codes = simplifying_assumptions(k, primes, found, positive)
    return np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)


def minimize(tt: TruthTable, include: str = "", search: str = "ccubes", fits: bool = True,
             exclude=None) -> Solution:
    """Minimise the positive rows: the complex (``include=""``) or parsimonious (``"?"``) solution.

    R's ``minimize``: every tied minimal model, each with its parameters of fit.

    Parameters
    ----------
    tt : TruthTable
        The truth table (``truth_table``).
    include : {"", "?"}, default ""
        ``""``: no remainder is used (the complex, or conservative, solution; R's default);
        ``"?"``: every remainder that helps (the parsimonious solution).
    search : {"ccubes", "complete"}, default "ccubes"
        Matters only with remainders: ``"ccubes"`` keeps the primes R's CCubes search finds (see
        ``ccubes_depth``), so that the models equal R's; ``"complete"`` uses every prime implicant.
        The two differ only when a prime exists beyond two empty complexity levels;
        ``Solution.primes_beyond_depth`` counts the primes so left out.
    fits : bool, default True
        False leaves the models without their parameters of fit (``cover_models.fit_models``),
        for a caller that solves many codings and fits the models itself: the cover is then kept
        per coding (``cover(keep=True)``).
    exclude : optional
        Rows kept out of the simplifying assumptions, coded negative first (R's ``exclude``;
        ``TruthTable.exclude``): row labels such as ``"00110"``, expressions, or ``find_rows`` /
        ``esa`` results.

    Returns
    -------
    Solution
        ``kind`` "complex" or "parsimonious", ``models`` (every tied minimal model with its fit and
        its terms' inclS, PRI, covS, covU and cases), the chart's ``primes`` and ``covers``, and
        for the parsimonious solution its simplifying assumptions (``SA``).

    Raises
    ------
    UndefinedSolution
        Where the solution does not exist (R's ``minimize`` stops with an error there too): no row
        reaches ``n_cut``, no row has OUT = 1, or no row is negative.
    QCAError
        An ``include`` other than ``""`` or ``"?"``, an unknown ``search``, or a problem too large to
        solve exactly (``analysis.qca.limits``).

    Notes
    -----
    The positive rows are minimised by the Quine-McCluskey procedure: prime implicants
    (``primes``), then every cover of the prime implicant chart with the fewest primes (``chart``)
    (Ragin 1987, ch. 6; Ragin 2008, ch. 9; Schneider & Wagemann 2012, ch. 7; Dusa 2019, ch. 8).
    Rows with OUT = 0 or C must not be covered; with ``include="?"`` the logical remainders
    (unobserved rows and rows below ``n_cut``) may be.  Fit: ``fit.models_fit``.

    Differences from R's ``minimize(input, include = "", dir.exp = NULL, details, pi.cons, sol.cons,
    all.sol = FALSE, row.dom = FALSE, ...)``: the intermediate solution (R's ``dir.exp``) comes from
    ``solve(tt, dir_exp=...)``; ``pi.cons``, ``sol.cons``, ``all.sol``, ``row.dom``, ``first.min``
    and ``max.comb`` are not implemented (the engine always gives every minimal model, R's
    defaults); rows are written by label, not by number.  With more than 7 conditions R stops
    when an observed positive row is excluded ("There are no solutions, given these
    constraints"); the engine codes the row negative, as R does up to 7 conditions.

    References
    ----------
    Ragin, C. C. (1987). *The Comparative Method: Moving Beyond Qualitative and Quantitative
    Strategies*. University of California Press, ch. 6.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 7.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> minimize(tt)
    complex solution: 1 model(s)
      M1: DEV*~URB*LIT*~IND*STB + DEV*URB*LIT*IND*STB
    >>> pars = minimize(tt, include="?")
    >>> pars
    parsimonious solution: 1 model(s)
      M1: DEV*~IND + URB*STB
    >>> pars.models[0].fit
    SufficiencyFit(inclS=0.8503496503496503, PRI=0.8186440677966101, covS=0.7136150234741785)
    >>> minimize(truth_table(load("CVF"), "PROTEST", incl_cut=0.85), include="?")
    parsimonious solution: 2 model(s)
      M1: ~NATPRIDE + DEMOC*ETHFRACT*GEOCON + DEMOC*GEOCON*POLDIS
      M2: ~NATPRIDE + DEMOC*ETHFRACT*~POLDIS + DEMOC*GEOCON*POLDIS
    """
    if exclude is not None:
        tt = tt.exclude(exclude)
    positive = tt.positive
    if len(positive) == 0 and not (tt.table["n"] >= tt.n_cut).any():
        raise UndefinedSolution(f"no truth table row has n_cut = {tt.n_cut} case(s) or more for {tt.outcome_label} "
                                "(R: 'There are no configurations, using these cutoff values'); lower n_cut")
    if len(positive) == 0:
        raise UndefinedSolution(f"no truth table row has OUT = 1 for {tt.outcome_label} (incl_cut "
                                f"{tt.cut_text()}, pri_cut {tt.pri_cut:g}, n_cut {tt.n_cut}): nothing to explain; "
                                "lower the cut-offs or check the outcome")
    if include not in ("", "?"):
        raise QCAError("include must be '' (complex solution) or '?' (parsimonious)")
    if tt.levels:                       # multi-value: mixed-radix rows (analysis.qca.mv_solutions)
        return minimize_mv(tt, include, search, fits)
    off = tt.negative if include == "?" else other_codes(positive, tt.k)
    primes, covers_found, left_out = cover(positive, off, tt.k, include, search, tt.outcome_label, keep=not fits)
    return Solution(kind="complex" if include == "" else "parsimonious",
                    models=fit_models(tt, primes, covers_found, positive, None if fits else False), primes=primes,
                    covers=tuple(covers_found),
                    primes_beyond_depth=left_out, k=tt.k, positive=positive)


def solve(tt: TruthTable, dir_exp=None, search: str = "ccubes", fits: bool = True, exclude=None) -> Solutions:
    """All three solutions of a truth table: complex, parsimonious and (with ``dir_exp``) intermediate.

    Parameters
    ----------
    tt : TruthTable
        The truth table.
    dir_exp : str, list or dict, optional
        Directional expectations, one of 1, 0 or "-" per condition (``parse_dir_exp``: "1,1,-",
        ``[1, 1, "-"]`` or ``{condition: 1}``).  None: no intermediate solution.
    search : {"ccubes", "complete"}, default "ccubes"
        As ``minimize`` (parsimonious solution).
    fits : bool, default True
        False: the models only, without their parameters of fit (for callers that refit them).
    exclude : optional
        Rows kept out of the simplifying assumptions of the parsimonious and intermediate
        solutions (as ``minimize``); ``Solutions.excluded`` lists them with their reasons.

    Returns
    -------
    Solutions
        ``complex``, ``parsimonious`` and ``intermediate`` (one block per pair of a complex and a
        parsimonious model, ``C1P1``, ``C1P2``, ...).  A solution that does not exist (``minimize``
        raises ``UndefinedSolution``) has no models and its reason in ``Solution.undefined``;
        ``Solutions.undefined`` lists them.

    Raises
    ------
    QCAError
        Bad ``dir_exp``, or a problem too large to solve exactly, as ``minimize``.

    Notes
    -----
    The complex solution uses no remainder, the parsimonious one every remainder that helps, the
    intermediate one only the easy counterfactuals (Ragin & Sonnett 2005; Ragin 2008, ch. 9;
    Schneider & Wagemann 2012, ch. 6-8; Dusa 2019, ch. 8; ``analysis.qca.intermediate``).  R needs
    one ``minimize`` call per solution (``include = ""``; ``include = "?"``; ``include = "?",
    dir.exp = ...`` for the intermediate blocks) and stops where a solution does not exist; here one
    call reports all of them.

    References
    ----------
    Ragin, C. C., & Sonnett, J. (2005). Between complexity and parsimony: Limited diversity,
    counterfactual cases, and comparative analysis. In S. Kropp & M. Minkenberg (Eds.),
    *Vergleichen in der Politikwissenschaft* (pp. 180-197). VS Verlag für Sozialwissenschaften.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 6-8.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> sols = solve(tt, dir_exp="1,1,1,1,1")
    >>> sols
    complex solution: 1 model(s)
      M1: DEV*~URB*LIT*~IND*STB + DEV*URB*LIT*IND*STB
    parsimonious solution: 1 model(s)
      M1: DEV*~IND + URB*STB
    intermediate C1P1 solution: 1 model(s)
      M1: DEV*URB*LIT*STB + DEV*LIT*~IND*STB
    >>> sols.intermediate[0].EC
    ['11101']
    >>> solve(truth_table(load("LF"), "SURV", incl_cut=1)).undefined["complex"][:33]
    'no truth table row has OUT = 1 fo'
    """
    expectations = parse_dir_exp_mv(dir_exp, tt.conditions, tt.levels) if tt.levels else \
        parse_dir_exp(dir_exp, tt.conditions)
    if exclude is not None:
        tt = tt.exclude(exclude)
    c = _or_undefined(tt, "", fits=fits)
    p = _or_undefined(tt, "?", search, fits)
    defined = not (c.undefined or p.undefined)
    blocks = intermediate_mv if tt.levels else intermediate
    i = tuple(blocks(tt, c, p, expectations, fits)) if expectations is not None and defined else ()
    return Solutions(complex=c, parsimonious=p, intermediate=i,
                     dir_exp=None if expectations is None else tuple(expectations), excluded=tt.excluded)


def _or_undefined(tt: TruthTable, include: str, search: str = "ccubes", fits: bool = True) -> Solution:
    try:
        return minimize(tt, include, search, fits)
    except UndefinedSolution as why:
        return Solution(kind="complex" if include == "" else "parsimonious", models=(), k=tt.k, undefined=str(why),
                        levels=tt.levels)
