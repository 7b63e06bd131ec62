"""Theory evaluation: a theory's expectation T against an empirical solution S (Ragin 1987,
pp. 118-121; Schneider & Wagemann 2012, ch. 11.3).

The cases fall into the four intersections of T and S and, within each, into members and
non-members of the outcome Y, which name the kinds of cases (Schneider & Wagemann 2012, ch. 11.3):

==========  ================================  ===================================
set         cases with Y > 0.5                cases with Y < 0.5
==========  ================================  ===================================
``T*S``     covered most likely               inconsistent most likely
``~T*S``    covered least likely              inconsistent least likely
``T*~S``    uncovered most likely             consistent most likely
``~T*~S``   uncovered least likely            consistent least likely
==========  ================================  ===================================

``theory_evaluation`` is SetMethods' ``theory.evaluation`` and QCA's ``modelFit`` as one tidy
table, for every tied model of a solution; ``theory_memberships`` gives the case memberships
(SetMethods' ``$data``).  ``solution_models`` (``analysis.qca.tied``) picks the models of a solution.

>>> from analysis.qca.datasets import load
>>> from analysis.qca import truth_table, solve
>>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
>>> out = theory_evaluation("DEV*STB", solve(tt, dir_exp=[1] * 5), tt)
>>> out[["set", "expression", "n_in", "n_out"]]
     set                          expression  n_in  n_out
0      T                             DEV*STB     8      0
1      S  DEV*URB*LIT*STB + DEV*LIT*~IND*STB     6      0
2    T*S  DEV*URB*LIT*STB + DEV*LIT*~IND*STB     6      0
3   ~T*S                                   -     0      0
4   T*~S     DEV*~LIT*STB + DEV*~URB*IND*STB     2      0
5  ~T*~S                         ~DEV + ~STB     0     10
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .chart import solve_chart
from .errors import QCAError
from .fit import sufficiency
from .tied import solution_models
from .terms import Model
from .primes import implicant_literals, prime_implicants
from .rows import all_codes, row_bits
from .expressions import expression_string, parse
from .sets import fuzzy_and, membership, term_membership
from .truthtable_type import TruthTable

__all__ = ["theory_evaluation", "theory_memberships", "solution_models", "SETS", "CASE_TYPES"]

#: The sets ``theory_evaluation`` reports for each model, in its order; ``CASE_TYPES``: the kinds of
#: cases of each intersection with Y > 0.5 and with Y < 0.5 (Schneider & Wagemann 2012, ch. 11.3).
SETS = ("T", "S", "T*S", "~T*S", "T*~S", "~T*~S")
CASE_TYPES = {"T*S": ("covered most likely", "inconsistent most likely"),
              "~T*S": ("covered least likely", "inconsistent least likely"),
              "T*~S": ("uncovered most likely", "consistent most likely"),
              "~T*~S": ("uncovered least likely", "consistent least likely")}
COLUMNS = ["block", "model", "set", "expression", "inclS", "PRI", "covS", "type_in", "n_in", "cases_in",
           "type_out", "n_out", "cases_out"]


def theory_memberships(theory: str, solution, data, outcome: str | None = None, *, models="all") -> pd.DataFrame:
    """Each case's membership in T, S, the four intersections and Y, for each model.

    Parameters
    ----------
    theory : str
        The theory's expectation as a set expression, e.g. ``"~EMP*MA"`` or ``"EMP + STOCK*~MA"``.
    solution : Solutions, Solution, sequence of Solution, or Model
        The empirical solution (see ``solution_models``).
    data : TruthTable or pandas.DataFrame
        The truth table the solution comes from (its data and outcome, negated or not), or a
        DataFrame of memberships with ``outcome``.
    outcome : str, optional
        With a DataFrame: the outcome column, ``"~Y"`` for its negation.
    models : {"all", "first"}, int or str, default "all"
        Which models (``solution_models``).

    Returns
    -------
    pandas.DataFrame
        Indexed by case (repeated for each model): ``block``, ``model``, ``T``, ``S``, ``T*S``,
        ``~T*S``, ``T*~S``, ``~T*~S`` and ``Y``.

    Raises
    ------
    QCAError
        A theory that names a condition not in the data, a model whose conditions are not all in
        the data, an outcome that is not a column, or a solution that does not exist.

    Notes
    -----
    Fuzzy intersections computed directly, as SetMethods' ``theory.data`` (helper_theory_eval.R):
    T*S = min(T, S), ~T*S = min(1 - T, S), T*~S = min(T, 1 - S), ~T*~S = min(1 - T, 1 - S), with
    T and S the maxima over their terms of the minima over the literals (Zadeh 1965).

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2012). Set-theoretic methods for the social sciences.
    Cambridge University Press, ch. 11.3.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> theory_memberships("DEV*STB", solve(tt).parsimonious, tt).loc["FI"]
    block    parsimonious
    model              M1
    T                0.58
    S                0.58
    T*S              0.58
    ~T*S             0.42
    T*~S             0.42
    ~T*~S            0.42
    Y                0.77
    Name: FI, dtype: object
    """
    frame, y = _inputs(data, outcome)
    t = membership(frame, _parse(frame, theory, "theory")).to_numpy()
    out = [pd.DataFrame({"block": block, "model": label, **_intersections(t, _model_members(frame, model)), "Y": y},
                        index=frame.index)
           for block, label, model in solution_models(solution, models)]
    return pd.concat(out)


def theory_evaluation(theory: str, solution, data, outcome: str | None = None, *, models="all") -> pd.DataFrame:
    """Evaluate a theory T against every model S of a solution (SetMethods' ``theory.evaluation``).

    The fit and the cases of T, S and the four intersections T*S, ~T*S, T*~S, ~T*~S.

    Parameters
    ----------
    theory : str
        The theory's expectation as a set expression, e.g. ``"~EMP*MA"``.
    solution : Solutions, Solution, sequence of Solution, or Model
        The empirical solution (``solution_models``: a ``Solutions`` stands for its intermediate
        blocks).
    data : TruthTable or pandas.DataFrame
        The truth table of the solution (memberships and outcome, negated when it was), or a
        DataFrame of memberships with ``outcome``.
    outcome : str, optional
        With a DataFrame: the outcome column, ``"~Y"`` for its negation.
    models : {"all", "first"}, int or str, default "all"
        Every tied model of every block, or SetMethods' choice (``"first"``: ``sol = 1``).

    Returns
    -------
    pandas.DataFrame
        One row per model and set (``T``, ``S``, ``T*S``, ``~T*S``, ``T*~S``, ``~T*~S``):
        ``block``, ``model``, ``set``, ``expression``, ``inclS``, ``PRI``, ``covS`` (the set as
        sufficient for the outcome), ``type_in``, ``n_in``, ``cases_in`` (tuple: the cases with
        set > 0.5 and Y > 0.5), ``type_out``, ``n_out``, ``cases_out`` (set > 0.5, Y < 0.5).

    Raises
    ------
    QCAError
        A theory that names a condition not in the data, a model whose conditions are not all in
        the data, an outcome that is not a column, or a solution that does not exist.

    Notes
    -----
    The memberships are the fuzzy intersections computed directly (``theory_memberships``),
    as SetMethods' ``theory.evaluation``; the fit is ``fit.sufficiency``: inclS =
    sum(min(X, Y)) / sum(X), PRI, covS = sum(min(X, Y)) / sum(Y) (SetMethods' ``QCAfit`` prints
    them to 3 significant digits).  The kinds of cases (``CASE_TYPES``) follow Schneider &
    Wagemann (2012, ch. 11.3) and Ragin (1987, pp. 118-121).

    ``expression`` is, for an intersection, a minimal sum of products of the *crisp* intersection
    (Quine-McCluskey over the conditions of T and S: every prime implicant, the first cover with
    the fewest; ``"-"`` when it is empty).  It is the same Boolean function as the expressions of
    QCA's ``modelFit`` and SetMethods' ``theory.intersections`` (admisc's ``intersection`` and
    ``invert``), which are not always minimal and order the literals differently.

    QCA's ``modelFit`` computes the memberships of the intersections from those *simplified*
    expressions.  Simplification uses X*~X = 0 and X + ~X = 1, which do not hold for fuzzy sets
    (min(X, 1 - X) can be up to 0.5), so its numbers differ from the direct intersections.  SCHF
    (incl_cut 0.9, intermediate, dir_exp 0), theory ``~EMP*MA``, model M1: modelFit writes
    T*S as ``~EMP*~BARGAIN*OCCUP*MA + ~EMP*BARGAIN*UNI*STOCK*MA`` and reports inclS 0.867, PRI
    0.715, covS 0.339; min(T, S) gives 0.871, 0.726, 0.375.  Canada_90 has T = 0.31 and S = 0.62,
    so min(T, S) = 0.31, but 0.21 in modelFit's expression: S's terms with ~MA (such as
    ``~EMP*~OCCUP*STOCK*~MA``, 0.62) meet T's MA in products with MA*~MA, which modelFit drops
    as contradictions, while min(MA, 1 - MA) = 0.31 for Canada_90.  (On crisp data both agree.)
    A set with no membership at all has inclS and PRI NaN and covS 0 (modelFit: covS NA).

    SetMethods 4.0's ``cases.theory.evaluation`` lists the "inconsistent most likely" cases
    (T*S > 0.5, Y < 0.5) from a column ``T*E`` that does not exist, so that list is always
    empty (on the example below it misses Switzerland_90, Australia_95, Australia_99 and
    Australia_03, e.g. Australia_95 with T*S = 0.78 and Y = 0.31); here those cases are
    listed.  SetMethods evaluates one model (``sol``); here every tied model by default.

    The arguments are SetMethods' ``theory.evaluation(theory, empirics, outcome, sol = 1)`` with
    the truth table (or data and outcome) in place of the outcome's name and ``models`` in place
    of ``sol``; QCA's ``modelFit(model, theory)`` takes the minimisation first.

    References
    ----------
    Ragin, C. C. (1987). The comparative method. University of California Press, pp. 118-121.

    Schneider, C. Q., & Wagemann, C. (2012). Set-theoretic methods for the social sciences.
    Cambridge University Press, ch. 11.3.

    Dusa, A. (2019). QCA with R. Springer (``modelFit``); Oana, I.-E., Schneider, C. Q., &
    Thomann, E. (2021). Qualitative Comparative Analysis using R. Cambridge University Press
    (SetMethods ``theory.evaluation``).

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", ["EMP", "BARGAIN", "UNI", "OCCUP", "STOCK", "MA"],
    ...                  incl_cut=0.9)
    >>> out = theory_evaluation("~EMP*MA", solve(tt, dir_exp=[0] * 6), tt, models="first")
    >>> out[["set", "inclS", "PRI", "covS", "n_in", "n_out"]].round(3)
         set  inclS    PRI   covS  n_in  n_out
    0      T  0.771  0.634  0.490    13     10
    1      S  0.803  0.699  0.714    23     13
    2    T*S  0.871  0.726  0.375     6      4
    3   ~T*S  0.849  0.747  0.609    17      9
    4   T*~S  0.798  0.639  0.370     7      6
    5  ~T*~S  0.574  0.241  0.421     5     21
    >>> out.loc[2, "cases_out"]
    ('Switzerland_90', 'Australia_95', 'Australia_99', 'Australia_03')
    """
    frame, y = _inputs(data, outcome)
    theory_terms = _parse(frame, theory, "theory")
    t = membership(frame, theory_terms).to_numpy()
    rows = []
    for block, label, model in solution_models(solution, models):
        sets = _intersections(t, _model_members(frame, model))
        names = _intersection_expressions(theory_terms, model.terms, list(frame.columns))
        names.update({"T": expression_string(theory_terms), "S": model.expression})
        rows += [{"block": block, "model": label, "set": s, "expression": names[s],
                  **_fit_and_cases(sets[s], y, frame.index, s)} for s in SETS]
    return pd.DataFrame(rows, columns=COLUMNS)


def _intersections(t: np.ndarray, s: np.ndarray) -> dict:
    """T, S and the four fuzzy intersections, computed directly (SetMethods' ``theory.data``)."""
    return dict(zip(SETS, (t, s, fuzzy_and(t, s), fuzzy_and(1 - t, s), fuzzy_and(t, 1 - s), fuzzy_and(1 - t, 1 - s))))


def _fit_and_cases(x: np.ndarray, y: np.ndarray, cases: pd.Index, s: str) -> dict:
    inside, outside = cases[(x > 0.5) & (y > 0.5)], cases[(x > 0.5) & (y < 0.5)]
    type_in, type_out = CASE_TYPES.get(s, ("", ""))
    return {**sufficiency(x, y).to_dict(), "type_in": type_in, "n_in": len(inside), "cases_in": tuple(map(str, inside)),
            "type_out": type_out, "n_out": len(outside), "cases_out": tuple(map(str, outside))}


def _intersection_expressions(theory_terms, model_terms, order) -> dict:
    """A minimal sum of products of each crisp intersection of T and S, ``"-"`` when empty.

    ``order`` (the data's columns) orders the conditions within a term.

    >>> _intersection_expressions(parse("A*B"), parse("B + C"), ["A", "B", "C"])["~T*S"]
    '~A*B + ~B*C'
    """
    names = [c for c in order if any(c == n for term in (*theory_terms, *model_terms) for n, _ in term)]
    k = len(names)
    bits = row_bits(all_codes(k), k).astype(float)
    columns = {n: bits[:, j] for j, n in enumerate(names)}
    t = np.max([term_membership(columns, term) for term in theory_terms], axis=0) > 0.5
    s = np.max([term_membership(columns, term) for term in model_terms], axis=0) > 0.5
    cells = {"T*S": t & s, "~T*S": ~t & s, "T*~S": t & ~s, "~T*~S": ~t & ~s}
    return {name: _minimal_sop(np.flatnonzero(on), np.flatnonzero(~on), names) for name, on in cells.items()}


def _minimal_sop(on: np.ndarray, off: np.ndarray, names: list) -> str:
    if len(on) == 0:
        return "-"
    if len(off) == 0:
        return "1"
    primes, covers = solve_chart(prime_implicants(on, off, len(names)), on, len(names))
    return expression_string([implicant_literals(primes[i], names) for i in covers[0]])


def _inputs(data, outcome):
    """(memberships, outcome memberships) from a truth table or a DataFrame."""
    if isinstance(data, TruthTable):
        return data.data.drop(columns=[data.outcome]), data.y
    if not isinstance(data, pd.DataFrame):
        raise QCAError("data: give the TruthTable of the solution, or a DataFrame of memberships with outcome")
    if not isinstance(outcome, str) or outcome.lstrip("~") not in data.columns:
        raise QCAError(f"outcome: {outcome!r} is not a column of the data; name the outcome column "
                       "('~Y' for its negation)")
    name = outcome.lstrip("~")
    negated = (len(outcome) - len(name)) % 2 == 1
    y = data[name].to_numpy(dtype=float)
    return data.drop(columns=[name]), (1 - y if negated else y)


def _parse(frame: pd.DataFrame, expression: str, argument: str):
    try:
        return parse(expression, list(frame.columns))
    except QCAError as error:
        raise QCAError(f"{argument}: {error}; use the conditions of the data") from None


def _model_members(frame: pd.DataFrame, model: Model) -> np.ndarray:
    missing = [c for term in model.terms for c, _ in term if c not in frame.columns]
    if missing:
        raise QCAError(f"solution: condition {missing[0]!r} of the model is not a column of the data")
    return membership(frame, model.terms).to_numpy()
