"""Set-theoretic multi-method research: selecting cases for within-case study after QCA
(Schneider & Rohlfing 2013; Oana & Schneider 2018; Oana, Schneider & Thomann 2021, ch. 11), as
SetMethods 4.0's ``smmr`` does.

A sufficient solution (or a necessary condition) sorts the cases by their membership in the
term X (or condition) and in the outcome Y (membership above or below 0.5):

========================  ========================  ========================================
case type                 memberships               studied for
========================  ========================  ========================================
typical                   X > 0.5, Y > 0.5, X <= Y  the mechanism linking X and Y
deviant consistency       X > 0.5, Y < 0.5          why X fails to bring about Y
deviant coverage          solution < 0.5, Y > 0.5   a path to Y the solution misses
individually irrelevant   X < 0.5, Y < 0.5          the comparison case of a typical one
deviant relevance (nec.)  X > 0.5, Y < 0.5          a trivial or irrelevant necessary X
========================  ========================  ========================================

Single cases are ranked within their term by SetMethods' formulas (``best``: lower is better);
pairs match a typical case with a second case that differs in the term (or focal conjunct) and
in the outcome as much as possible and is alike otherwise.  This module holds the public function
``smmr`` and the choice of the models; ``smmr_cases`` the single cases for sufficiency (and R's
order of the terms), ``smmr_pairs`` the pairs for sufficiency, ``smmr_necessity`` the cases and
``smmr_necessity_pairs`` the pairs for necessity.

>>> from analysis.qca import truth_table, solve
>>> from analysis.qca.datasets import load
>>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
>>> best = smmr(solve(tt).parsimonious, tt, cases="typical").query("rank == 1")
>>> print(best[["term", "case", "best"]].round(2).to_string(index=False))
             term           case  best
       ~EMP*OCCUP     Denmark_99  0.35
BARGAIN*UNI*STOCK Netherlands_03  0.10
 ~OCCUP*STOCK*~MA       Japan_95  0.15
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import smmr_pairs
from .errors import QCAError
from .models import Solution, Solutions
from .sets import term_membership
from .tied import pick_models
from .expressions import parse, term_string
from .smmr_cases import _deviant_consistency, _deviant_coverage, _individually_irrelevant, _typical_fc, _typical_table
from .smmr_frame import Frame, _block_order, r_term_order
from .smmr_necessity import SINGLE, _necessity_cases
from .smmr_necessity_pairs import PAIRS as NECESSITY_PAIRS
from .truthtable_type import TruthTable

__all__ = ["smmr", "r_term_order", "model_frames", "CASE_TYPES", "SETMETHODS_COLUMNS"]

# The case types in SetMethods' numbering (``cases = 1, 2, ...``; the next number is "all").
CASE_TYPES = {
    ("sufficiency", False): ("typical", "typical fc", "deviant consistency", "deviant coverage",
                             "individually irrelevant"),
    ("sufficiency", True): ("typical-typical fc", "typical-iir fc", "typical-deviant consistency",
                            "deviant coverage-iir", "typical-typical", "typical-iir"),
    ("necessity", False): ("typical", "deviant consistency", "deviant relevance"),
    ("necessity", True): ("typical-deviant relevance", "typical-deviant consistency", "typical-iir",
                          "typical-typical"),
}

# SetMethods' column names and ours (its TT_<condition> columns keep their names).
SETMETHODS_COLUMNS = {
    "Case": "case", "Cases": "case", "TYP": "case1", "TYP1": "case1", "DCOV": "case1", "TYP2": "case2",
    "IIR": "case2", "DCONS": "case2", "DREL": "case2", "TermMemb": "term_membership", "Term": "term_membership",
    "Sol": "solution_membership", "NecCond": "nec_membership", "FC": "fc_membership",
    "Suff.Term/FC": "fc_membership", "CC_Min": "cc_min", "Outcome": "outcome", "TT_row": "tt_membership",
    "TT<=Y": "tt_le_y", "TT_DCV<=Y": "tt_le_y", "FC<=Y": "fc_le_y", "FC>=Y": "fc_ge_y", "Rank": "fc_rank",
    "PairRank": "pair_rank", "CleanCorr": "clean_corridor", "UniqCov": "uniquely_covered",
    "GlobUncov": "globally_uncovered", "ConsIIR": "consistent_iir", "Best": "best", "MostTyp": "most_typical",
    "MostTypFC": "most_typical_fc", "MostTypTerm": "most_typical_term", "MostDCONS": "most_deviant_consistency",
    "MostDCOV": "most_deviant_coverage", "MostDREL": "most_deviant_relevance",
}

_FRONT = ["model", "relation", "type", "term", "focal", "necessary_fc", "rank", "case", "case1", "case2",
          "term_membership", "solution_membership", "nec_membership", "fc_membership", "cc_min"]
_BACK = ["tt_membership", "outcome", "fc_rank", "pair_rank", "clean_corridor", "fc_le_y", "fc_ge_y", "tt_le_y",
         "uniquely_covered", "consistent_iir", "globally_uncovered", "best", "most_typical", "most_typical_fc",
         "most_typical_term", "most_deviant_consistency", "most_deviant_coverage", "most_deviant_relevance",
         "nec_cond"]


def smmr(solution, tt: TruthTable, *, cases, match: bool = False, necessity: bool = False, sol=None, term=1,
         nec_cond: str | None = None, max_pairs: int = 5, models: str = "all") -> pd.DataFrame:
    """Cases (or pairs of cases) for within-case study after QCA: SetMethods' ``smmr``.

    Parameters
    ----------
    solution : Solution, Solutions or None
        One solution block (``sols.parsimonious``, ``sols.complex``, ``sols.intermediate[0]``) or
        all solutions (then the intermediate blocks, as SetMethods reads ``i.sol``).  Necessity
        reads only the outcome, so ``None`` will do there.
    tt : TruthTable
        The truth table the solution was minimised from (its outcome may be negated).
    cases : str or int
        The case type: a name from ``CASE_TYPES`` ("typical", "deviant_coverage", "typical-iir",
        ...; spaces, hyphens and underscores alike) or SetMethods' number for ``match`` and
        ``necessity``; "all" (or the number after the last) gives every type.
    match : bool
        Pairs of cases (comparative, ``match = TRUE``) instead of single cases.
    necessity : bool
        Cases for the necessary condition ``nec_cond`` instead of the sufficient solution.
    sol : int, str, tuple or None
        One model only: its number in the block (intermediate: in C1P1, as SetMethods), a
        SetMethods label such as "c1p2i1", or ``("C1P2", 1)``.
    term : int or str
        The term whose focal conjuncts are studied (types "typical fc", "typical-typical fc",
        "typical-iir fc"): its number in R's order of the model's terms (``r_term_order``; what
        SetMethods' ``term`` counts) or the term itself, e.g. "BARGAIN*UNI*STOCK".
    nec_cond : str or None
        Necessity: the necessary condition, "A", "~A", "A+B" or "A*B".  Sufficiency focal
        conjuncts: the conditions known to be necessary, e.g. "STOCK+MA" (ranked as such).
    max_pairs : int
        At most this many rows per table (SetMethods cuts the focal-conjunct tables and every
        table of pairs; deviant coverage-IIR keeps this many per truth table row).
    models : {"all", "first"}
        "all": every tied model of every block given (SetMethods takes one); "first": the model
        SetMethods takes by default (the first of the block, of C1P1 for intermediate solutions).

    Returns
    -------
    pandas.DataFrame
        One row per case or pair, SetMethods' tables one under the other: ``model`` ("M1",
        "C1P1 M2"; empty for necessity), ``relation``, ``type``, ``term`` (the term, the model for
        deviant coverage and IIR cases, the necessary condition), ``focal`` and ``necessary_fc``,
        ``rank`` (position in SetMethods' table), ``case`` or ``case1``/``case2`` (the typical
        case first), the memberships used and SetMethods' flags and scores (``best``: lower is
        better); ``SETMETHODS_COLUMNS`` maps SetMethods' column names to these.

    Raises
    ------
    QCAError
        An unknown case type, a term not in the model, a ``nec_cond`` naming an unknown
        condition, a ``sol`` that names no model.

    Notes
    -----
    Formulas and rankings are SetMethods 4.0's (``cases.suf.typ``, ``cases.suf.typ.fct``,
    ``cases.suf.dcn``, ``cases.suf.dcv``, ``cases.suf.iir``; ``matches.suf.*``;
    ``cases.nec.*``, ``matches.nec.*``), after Schneider & Rohlfing (2013) and Oana, Schneider &
    Thomann (2021, ch. 11), including its thresholds (typical: X > 0.5, Y > 0.5, X <= Y), its
    rounding to three decimals where it rounds before ranking, and its tie rule (R's stable
    ``order``).  Typical single cases rank by ``2 (Y - X) + (1 - X)``, uniquely covered cases
    first; deviant consistency cases by ``1 - (X - Y) + (1 - X)``; deviant coverage cases by
    ``1 - T`` within their truth table row (T: membership in the row).  Tables are grouped by
    term in R's order of the model's terms (SetMethods sorts them by the term's text, an order
    that depends on the locale's collation); within a table the order is SetMethods'.

    SetMethods' arguments are ``smmr(results, outcome, sol = 1, match, cases, max_pairs = 5,
    term = 1, nec.cond = NULL, necessity = FALSE)``: here the truth table replaces the outcome's
    name (it knows whether the outcome is negated), ``match`` defaults to False (SetMethods
    requires it), the arguments after ``tt`` are keywords, and ``sol`` defaults to None (the
    models ``models`` chooses: every tied model by default) where SetMethods' default is 1.

    Where SetMethods is wrong the method is followed instead.  Each difference is named after
    its fix in tests/fixtures/setmethods/smmr/r_smmr.R, which also runs SetMethods with the
    fixes (our tables equal those everywhere; tests/test_qca_smmr_differences.py shows each
    difference in SetMethods' own output):

    - ``most_typical_term`` (typical fc): SetMethods reads ``mtt$term``/``mtt$case``, columns
      that do not exist, and marks no case most typical for the term.
    - ``cc_max_order`` (typical fc, necessary FC): the complementary maximum of each case, not
      the maxima in the data's order assigned to the sorted table.
    - ``clean_corridor_loop`` (typical fc): the clean corridor of every case; SetMethods re-sorts
      inside the loop that computes it and skips cases.
    - ``grep_conjuncts`` (focal conjunct types): the complement is the other literals, not all
      whose name contains the FC's (``grep("STOCK")`` matches STOCK2).
    - ``negated_single_term`` (focal conjunct types): a term "~DEV" alone; SetMethods stops.
    - ``fc_ge_y2`` (typical-typical fc, necessary FC): the second case's own FC >= Y; SetMethods
      never initialises ``FC>=Y2`` (it sets ``FC>=Y1`` twice).
    - ``necessary_literal`` (pairs per FC): a negated FC is necessary when its literal ("~OCCUP")
      is in ``nec_cond``, as SetMethods' title says; its ranking tests "OCCUP".
    - ``nfc_order`` (typical-typical): the kept pairs ordered by their own distances; SetMethods
      indexes them by the order of all pairs and shows empty (NA) pairs.
    - ``nfc_most_typical`` (typical-typical, typical-iir): most typical for this term, not any.
    - ``iir_factor_index`` (typical-iir): the IIR case's own solution membership; SetMethods
      indexes by factor level numbers, i.e. other cases.
    - ``nec_tt_row_tilde`` (necessity, typical-deviant consistency): a negated condition is left
      out of the truth table row; SetMethods keeps it and finds no pair.
    - ``nec_three_disjuncts``, ``nec_glob_uncov`` (necessity, three or more disjuncts): every
      other disjunct is compared; SetMethods stops, or reads the first only.
    - ``nec_conjunction_lists`` (necessity, conjunction): most typical cases of the conjunction,
      not of its first conjunct.
    - ``nnec_cond``: "all" single-case types for necessity give the three types; SetMethods stops
      (it passes the misspelled ``nnec.cond``).
    - ``no_pairs``: where SetMethods stops because a table is empty (a term without typical
      cases, a focal conjunct with one typical case, no pair in one truth table row, no deviant
      coverage case), that table has no rows here.

    References
    ----------
    Schneider, C. Q., & Rohlfing, I. (2013). Combining QCA and process tracing in set-theoretic
    multi-method research. Sociological Methods & Research, 42(4), 559-597.
    Oana, I.-E., & Schneider, C. Q. (2018). SetMethods: an add-on R package for advanced QCA.
    The R Journal, 10(1), 507-533.
    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). Qualitative Comparative Analysis using R.
    Cambridge University Press, ch. 11.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
    >>> sols = solve(tt, dir_exp=[0] * 6)
    >>> dcov = smmr(sols.parsimonious, tt, cases="deviant coverage")
    >>> print(dcov.loc[dcov.most_deviant_coverage, ["case", "tt_membership", "outcome"]].to_string(index=False))
          case  tt_membership  outcome
         UK_03           0.88     0.98
     France_95           0.56     0.62
    Germany_99           0.71     0.67
    >>> typ = smmr(sols, tt, cases=1, match=True, term="BARGAIN*UNI*STOCK")   # every model of C1P1
    >>> sorted(typ.model.unique()), typ.focal.unique().tolist()
    (['C1P1 M1', 'C1P1 M2', 'C1P1 M3', 'C1P1 M4'], ['BARGAIN', 'UNI', 'STOCK'])
    >>> nec = smmr(None, tt, cases="deviant relevance", necessity=True, nec_cond="STOCK")
    >>> print(nec[["case", "nec_membership", "outcome", "best"]].head(2).round(2).to_string(index=False))
              case  nec_membership  outcome  best
    Switzerland_90            1.00     0.31  0.31
          Spain_03            0.98     0.30  0.34
    """
    relation = "necessity" if necessity else "sufficiency"
    names = _case_types(cases, relation, bool(match))
    if not isinstance(max_pairs, (int, np.integer)) or isinstance(max_pairs, bool) or max_pairs < 1:
        raise QCAError(f"max_pairs: {max_pairs!r} is not a positive whole number; give e.g. max_pairs=5")
    if not isinstance(tt, TruthTable):
        raise QCAError("tt: give the TruthTable the solution was minimised from (analysis.qca.truth_table)")
    if necessity:
        rows = _necessity_cases(tt, names, NECESSITY_PAIRS if match else SINGLE, nec_cond, max_pairs)
        return _table([dict(r, model="", relation=relation) for r in rows])
    necessary = _necessary_literals(nec_cond, tt)
    frames = model_frames(solution, tt, sol, models)
    focal = any(n.endswith(" fc") for n in names)
    picks = [_term_index(f, term, every=len(frames) > 1) if focal else None for f in frames]
    if focal and all(p is None for p in picks):
        raise QCAError(f"term: {term!r} is in no model studied ({'; '.join(f.expression for f in frames)}); give "
                       "a term of the model or its number")
    rows = []
    for frame, k in zip(frames, picks):
        for name in names:
            if name.endswith(" fc") and k is None:
                continue
            found = _sufficiency(frame, name, bool(match), k, necessary, max_pairs)
            rows += [dict(r, model=frame.model, relation=relation, type=name) for r in found]
    return _table(rows)


def model_frames(solution, tt: TruthTable, sol=None, models: str = "all") -> list:
    """The models to study, each as SetMethods' ``pimdata`` sees it (a ``Frame``).

    Parameters
    ----------
    solution : Solution or Solutions
        As in ``smmr``: one block, or the solutions (their intermediate blocks).
    tt : TruthTable
        The truth table the solution was minimised from.
    sol : int, str, tuple or None
        One model, as in ``smmr``.
    models : {"all", "first"}
        Every model of every block, or the first (SetMethods' default ``sol = 1``).

    Returns
    -------
    list of Frame
        Per model: its label ("M1", "C1P1 M2"), its terms in R's order with their memberships,
        the solution's and the outcome's memberships, the conditions' memberships.

    Raises
    ------
    QCAError
        A ``models`` other than "all" or "first", a ``solution`` that is not a ``Solution`` or
        ``Solutions``, an undefined solution, or a ``sol`` that names no model.

    Notes
    -----
    SetMethods' ``pimdata``: the columns of QCA's ``pims`` that belong to the model, in their
    order (``r_term_order``), ``solution_formula`` (the maximum over the terms) and ``out`` (the
    outcome, negated when the truth table's is).

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2018). SetMethods: an add-on R package for advanced QCA.
    The R Journal, 10(1), 507-533.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("SCHF"), "EXPORT", incl_cut=0.9)
    >>> frames = model_frames(solve(tt, dir_exp=[0] * 6), tt)
    >>> [f.model for f in frames], frames[2].names[3]
    (['C1P1 M1', 'C1P1 M2', 'C1P1 M3', 'C1P1 M4'], '~EMP*OCCUP*~STOCK*~MA')
    """
    if models not in ("all", "first"):
        raise QCAError(f"models: {models!r}; use 'all' (every tied model) or 'first' (SetMethods' choice)")
    if not isinstance(solution, (Solution, Solutions)):
        raise QCAError("solution: give a Solution block (e.g. sols.parsimonious) or the Solutions of solve()")
    try:
        picked = [(b, i) for b, i, _ in pick_models(solution, models if sol is None else sol)]
    except QCAError as e:
        raise QCAError(f"sol: {e}" if sol is not None else str(e)) from None
    cases = np.asarray(tt.data.index.astype(str), dtype=object)
    cond = tt.data[tt.conditions].astype(float)
    columns = {c: cond[c].to_numpy() for c in tt.conditions}     # read once, not once per literal
    orders, terms_x, out = {}, {}, []
    for block, i in picked:
        order = orders.setdefault(id(block), _block_order(block, tt))
        terms = tuple(t for t in order if t in set(block.models[i].terms))
        x = tuple(terms_x[t] if t in terms_x else terms_x.setdefault(t, term_membership(columns, t)) for t in terms)
        label = (f"{block.label} " if block.kind == "intermediate" else "") + f"M{i + 1}"
        out.append(Frame(model=label, terms=terms, x=x, y=np.asarray(tt.y, dtype=float), cases=cases, cond=cond))
    return out


def _sufficiency(f: Frame, name: str, match: bool, k, necessary: frozenset, max_pairs: int) -> list:
    if match:
        return smmr_pairs.PAIRS[name](f, k, necessary, max_pairs)
    if name == "typical":
        return [r for rows in _typical_table(f).values() for r in rows]
    if name == "typical fc":
        return _typical_fc(f, k, necessary, max_pairs, _typical_table(f))
    return {"deviant consistency": _deviant_consistency, "deviant coverage": _deviant_coverage,
            "individually irrelevant": _individually_irrelevant}[name](f)


def _case_types(cases, relation: str, match: bool) -> tuple:
    names = CASE_TYPES[(relation, match)]
    if isinstance(cases, (int, np.integer)) and not isinstance(cases, bool):
        if 1 <= cases <= len(names) + 1:
            return names if cases == len(names) + 1 else (names[cases - 1],)
        raise QCAError(f"cases: {cases} is no case type for {relation} with match={match}; use 1 to "
                       f"{len(names) + 1} or a name: {', '.join(names)}, all")
    key = re.sub(r"[\s_-]+", "_", str(cases).strip().lower())
    if key == "all":
        return names
    for n in names:
        if re.sub(r"[\s_-]+", "_", n) == key:
            return (n,)
    other = [(r, m) for (r, m), ns in CASE_TYPES.items() if key in {re.sub(r"[\s_-]+", "_", n) for n in ns}]
    hint = f" (it is a type for {other[0][0]} with match={other[0][1]})" if other else ""
    raise QCAError(f"cases: {cases!r} is no case type for {relation} with match={match}{hint}; use one of "
                   f"{', '.join(names)}, all, or 1 to {len(names) + 1}")


def _necessary_literals(nec_cond, tt: TruthTable) -> frozenset:
    if nec_cond is None:
        return frozenset()
    try:
        terms = parse(nec_cond, tt.conditions)
    except QCAError as why:
        raise QCAError(f"nec_cond: {why}") from None
    if any(len(t) != 1 for t in terms):
        raise QCAError(f"nec_cond: {nec_cond!r}; for focal conjuncts name the necessary conditions joined by "
                       "'+', e.g. 'STOCK+~MA'")
    return frozenset(term_string(t) for t in terms)


def _term_index(f: Frame, term, every: bool):
    """The index of ``term`` in the model; None when the model lacks it and several are studied."""
    if isinstance(term, (int, np.integer)) and not isinstance(term, bool):
        if 1 <= term <= len(f.terms):
            return int(term) - 1
        if every and term > len(f.terms):
            return None
        raise QCAError(f"term: {term} is not a term of {f.model} ({f.expression}); give 1 to {len(f.terms)} "
                       "or the term itself")
    if not isinstance(term, str):
        raise QCAError(f"term: {term!r}; give the term's number (1, 2, ...) or the term, e.g. 'A*~B'")
    try:
        parsed = parse(term, list(f.cond.columns))
    except QCAError as why:
        raise QCAError(f"term: {why}") from None
    if len(parsed) != 1:
        raise QCAError(f"term: {term!r} is a sum of terms; give one term of the model, e.g. 'A*~B'")
    wanted = frozenset(parsed[0])
    for i, t in enumerate(f.terms):
        if frozenset(t) == wanted:
            return i
    if every:
        return None
    raise QCAError(f"term: {term!r} is not a term of {f.model} ({f.expression}); give one of its terms or its "
                   "number")


def _table(rows: list) -> pd.DataFrame:
    """The tidy table: SetMethods' tables one under the other, ``rank`` counted within each."""
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=["model", "relation", "type", "term", "focal", "rank", "case"])
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    for c in ("focal",):
        frame[c] = frame[c].fillna("") if c in frame else ""
    group = ["model", "relation", "type", "term", "focal"]
    frame["rank"] = frame.groupby(group, sort=False).cumcount() + 1
    tt = [c for c in frame.columns if c.startswith("TT_")]
    order = [c for c in _FRONT if c in frame] + tt + [c for c in _BACK if c in frame]
    frame = frame[order + [c for c in frame.columns if c not in order]]
    return frame.astype({c: float for c in frame.columns if frame[c].dtype.kind == "f"})
