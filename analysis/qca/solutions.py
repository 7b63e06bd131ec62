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

import numpy as np

from .chart import solve_chart
from .errors import QCAError, UndefinedSolution
from .intermediate import intermediate, parse_dir_exp
from .models import Solution, Solutions, fit_models, simplifying_assumptions
from .primes import covers, prime_implicants
from .rows import all_codes
from .truthtable import TruthTable, truth_table  # noqa: F401  (truth_table: the docstring's example)

__all__ = ["minimize", "solve", "parse_dir_exp", "ccubes_depth", "cover", "parsimonious_sa"]


def ccubes_depth(primes: np.ndarray, chart: np.ndarray) -> int:
    """The complexity up to which R's CCubes search collects prime implicants (Dusa 2018).

    CCubes looks for primes by increasing number of literals.  Once the primes found so far cover
    every positive row, it stops after two consecutive complexity levels that add no prime.
    Primes of higher complexity are then never seen by R's parsimonious solution; to give the
    same models as R, the engine applies the same rule (``minimize(..., search="ccubes")``).
    """
    if len(primes) == 0:
        return 0
    k = primes.shape[1]
    level = (primes != 2).sum(axis=1)
    covered = np.zeros(chart.shape[1], dtype=bool)
    counter = 0
    for depth in range(1, k + 1):
        here = level == depth
        covered |= chart[here].any(axis=0)
        if covered.all():
            counter = 0 if here.any() else counter + 1
        if counter > 1:
            return depth
    return k


def cover(positive, off, k: int, include: str = "?", search: str = "ccubes", label: str = "the outcome") -> tuple:
    """Every minimal model of a coding: the positive rows covered, the ``off`` rows avoided, the
    other rows remainders (used with ``include="?"``).  Returns (primes, covers, primes left out
    beyond R's CCubes depth); raises ``UndefinedSolution`` when no row is negative (every
    condition would be minimised away).  ``minimize`` and ``parsimonious_sa`` build on it."""
    primes = prime_implicants(positive, off, k)
    left_out = 0
    if include == "?" and search == "ccubes":
        depth = ccubes_depth(primes, covers(primes, positive, k))
        keep = (primes != 2).sum(axis=1) <= depth
        left_out = int((~keep).sum())
        primes = primes[keep]
    elif search not in ("ccubes", "complete"):
        raise QCAError("search must be 'ccubes' (as R) or 'complete'")
    if (primes == 2).all(axis=1).any():
        raise UndefinedSolution(f"no truth table row is negative for {label}: every configuration is "
                                "positive or a remainder, so all conditions are minimised away; check the cut-offs")
    primes, found = solve_chart(primes, positive, k)
    return primes, found, left_out


def parsimonious_sa(positive, negative, k: int):
    """Every simplifying assumption of every tied model of the parsimonious solution of a coding
    (row codes), or None when that solution does not exist (no positive or no negative row): what
    ``find_rows(tt, 2)`` intersects for the outcome and its negation, from the coding alone."""
    positive = np.asarray(positive, dtype=np.int64)
    if len(positive) == 0:
        return None
    try:
        primes, found, _ = cover(positive, negative, k)
    except UndefinedSolution:
        return None
    codes = simplifying_assumptions(k, primes, found, positive)
    return np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)


def minimize(tt: TruthTable, include: str = "", search: str = "ccubes", fits: bool = True,
             exclude=None) -> Solution:
    """Minimise the positive rows: complex solution (``include=""``) or parsimonious (``"?"``).

    ``exclude``: rows kept out of the simplifying assumptions, coded negative first (R's
    ``minimize(..., exclude =)``; ``TruthTable.exclude``): row labels such as ``"00110"``,
    expressions, or ``find_rows``/``esa`` results.

    ``search`` matters only with remainders: ``"ccubes"`` (default) keeps the primes R's CCubes
    search finds (see ``ccubes_depth``), so that the models equal R's; ``"complete"`` uses every
    prime implicant.  The two differ only when a prime exists beyond two empty complexity levels;
    ``Solution.primes_beyond_depth`` counts the primes so left out.

    Raises ``UndefinedSolution`` where the solution does not exist (R's ``minimize`` stops with
    an error there too): no row has OUT = 1, or no row is negative.  ``fits=False`` leaves the
    models without their parameters of fit (``models.fit_models``).
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
    off = tt.negative if include == "?" else np.setdiff1d(all_codes(tt.k), positive)
    primes, covers_found, left_out = cover(positive, off, tt.k, include, search, tt.outcome_label)
    return Solution(kind="complex" if include == "" else "parsimonious",
                    models=fit_models(tt, primes, covers_found, positive, None if fits else False), primes=primes,
                    covers=tuple(covers_found),
                    primes_beyond_depth=left_out, k=tt.k, positive=positive)


def solve(tt: TruthTable, dir_exp=None, search: str = "ccubes", fits: bool = True, exclude=None) -> Solutions:
    """All three solutions of a truth table; the intermediate one needs ``dir_exp``.  ``fits=False``:
    the models only, without their parameters of fit (for callers that refit them).
    ``exclude``: rows kept out of the simplifying assumptions of the parsimonious and
    intermediate solutions (as ``minimize``); ``Solutions.excluded`` lists them with their reasons.

    A solution that does not exist (``minimize`` raises ``UndefinedSolution``) is returned with
    no models and its reason in ``Solution.undefined``; ``Solutions.undefined`` lists them.
    Refusals (a problem too large to solve exactly) raise ``QCAError`` as ``minimize`` does.
    """
    expectations = parse_dir_exp(dir_exp, tt.conditions)
    if exclude is not None:
        tt = tt.exclude(exclude)
    c = _or_undefined(tt, "", fits=fits)
    p = _or_undefined(tt, "?", search, fits)
    defined = not (c.undefined or p.undefined)
    i = tuple(intermediate(tt, c, p, expectations, fits)) if expectations is not None and defined else ()
    return Solutions(complex=c, parsimonious=p, intermediate=i,
                     dir_exp=None if expectations is None else tuple(expectations), excluded=tt.excluded)


def _or_undefined(tt: TruthTable, include: str, search: str = "ccubes", fits: bool = True) -> Solution:
    try:
        return minimize(tt, include, search, fits)
    except UndefinedSolution as why:
        return Solution(kind="complex" if include == "" else "parsimonious", models=(), k=tt.k, undefined=str(why))
