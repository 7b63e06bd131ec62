"""Robustness of fsQCA solutions: the Oana-Schneider protocol, computed completely.

Reviewers ask first whether a QCA solution survives other reasonable choices of calibration
anchors, cut-offs and cases (Skaaning 2011; Schneider & Wagemann 2012, ch. 11.2).  Oana and
Schneider's robustness test protocol answers in three parts (Oana, I.-E. & Schneider, C. Q.
(2024). A robustness test protocol for applied QCA: theory and R software application.
*Sociological Methods & Research*, 53(1), 57-88; R package SetMethods: ``rob.calibrange``,
``rob.inclrange``, ``rob.ncutrange``, ``rob.fit``, ``rob.cases``, ``rob.case.ratio``,
``rob.xyplot``).  This module computes them for one initial solution (IS) and its test
solutions (TS1..TSk).  The package's modules, one concept each: ``settings`` (the study file's
``robustness:``), ``plan`` (which tests and ranges), ``sweep`` (the perturbed analyses, in
parallel), ``measures`` (parts 3 to 5 below), ``protocol`` (``run_protocol``: all of it for
every analysis) and ``tables`` (the results as tables and files).

1. Sensitivity ranges (``rob.calibrange``, ``rob.inclrange``, ``rob.ncutrange``)
    Each calibration anchor of each condition (exclusion, crossover, inclusion) and each of
    ``incl_cut``, ``pri_cut`` and ``n_cut`` is moved away from its chosen value one step at a
    time, downwards and upwards, all else fixed, and the whole analysis is re-run until the
    solution changes.  The range is the last value, in each direction, that still gives the
    same solution.  Anchor steps are a fraction (``anchor_steps``) of the measure's codebook
    range; an anchor stays inside the codebook range and strictly between its neighbouring
    anchors; cut-off steps are ``cut_steps`` (0.01 for the consistency cut-offs, 1 for
    ``n_cut``), within [0.5, 1], [0, 1] and [1, number of cases]; at most ``max_steps`` steps
    are taken.  A range end is ``changed`` (the next step changes the solution), ``limit`` (the
    next step leaves the allowed values) or ``max_steps``.  *Correction of SetMethods*: a
    solution with several tied models is "the same" only if the **set of all its tied models**
    is the same (every model of every intermediate block, term order ignored), not only its
    first model.  A step that leaves no positive truth table row (no solution) is a change.

2. Test solutions
    Plausible alternatives named in the study file (``robustness:``): anchors at other sample
    percentiles (e.g. 10/50/90) for every condition, other consistency, PRI and frequency
    cut-offs, and each case dropped in turn.  Each is re-run end to end: calibration, truth
    table, minimisation.  The outcome keeps its calibration, so that every test solution is
    compared with the same set Y.  A dropped case still has a membership in the test solution:
    the solution's formula evaluated on the case.  A test with no solution has membership 0
    for every case (nothing was found sufficient).

3. Fit-oriented robustness (``rob.fit``)
    With Cov(X) = sum(min(X, Y)) / sum(Y) and Cons(X) = sum(min(X, Y)) / sum(X), and, for
    every case, minTS = min(TS1, ..., TSk), maxTS = max(TS1, ..., TSk) **over all k test
    solutions** (*correction of SetMethods*, which takes them from the first and the last test
    solution only), and the robust core RC = min(IS, TS1, ..., TSk) = min(IS, minTS)::

        RF_cov      = Cov(RC) / Cov(IS)          share of the IS's coverage the robust core keeps
        RF_cons     = Cons(IS) / Cons(RC)        below 1 when the robust core is more consistent
        RF_SC_minTS = sum(min(IS, minTS)) / sum(max(IS, minTS))   set coincidence of IS and minTS
        RF_SC_maxTS = sum(min(IS, maxTS)) / sum(max(IS, maxTS))   set coincidence of IS and maxTS

    Values near 1 mean a robust solution.  A ratio with a zero denominator is undefined (NaN,
    ``null`` in JSON).

4. Case-oriented robustness (``rob.cases``, ``rob.case.ratio``, ``rob.xyplot``)
    Every case falls in one of eight types by its membership in IS*minTS, IS*~minTS,
    ~IS*maxTS, ~IS*~maxTS and in Y (all comparisons **strict**: a case with IS, minTS / maxTS
    or Y exactly 0.5 falls in no type and is counted as ``unclassified``):

    ==========================  ============================  ===========
    type                        IS and test solutions         outcome
    ==========================  ============================  ===========
    robust typical              IS > 0.5 and minTS > 0.5      Y > 0.5
    shaky typical               IS > 0.5 and minTS < 0.5      Y > 0.5
    possible typical            IS < 0.5 and maxTS > 0.5      Y > 0.5
    extreme deviant coverage    IS < 0.5 and maxTS < 0.5      Y > 0.5
    robust deviant              IS > 0.5 and minTS > 0.5      Y < 0.5
    shaky deviant               IS > 0.5 and minTS < 0.5      Y < 0.5
    possible deviant            IS < 0.5 and maxTS > 0.5      Y < 0.5
    irrelevant                  IS < 0.5 and maxTS < 0.5      Y < 0.5
    ==========================  ============================  ===========

    RCR_typ = robust typical / (robust typical + shaky typical + possible typical), the share
    of the cases that are typical in the IS or in some test solution that are typical in all
    of them; RCR_dev = robust deviant / (robust deviant + shaky deviant + possible deviant),
    likewise for deviant cases consistency in kind.  RCC_Rank, the robust case classification
    rank: 1 when there is no shaky and no possible case, 2 when there are possible cases only,
    3 shaky cases only, 4 both (shaky = shaky typical + shaky deviant; possible = possible
    typical + possible deviant: both kinds of cases guide post-QCA case selection).  The
    robustness XY plot (``analysis.report.figures.robustness_xy_plot``) puts IS on the x axis and, for
    every case, the span from minTS to maxTS on the y axis, with the zones labelled.

5. Stability of core conditions
    A condition (or its absence) is *core* in a solution when it appears in every tied model
    of its parsimonious solution (Fiss 2011; the claims ledger's ``core`` check).  For each
    core condition of the IS: the share of the k test solutions in which it is still core (a
    test without solution counts as "not core").  The ledger's ``stable_core`` claim checks it.

Interpretations stated once: the solution compared and whose memberships are taken is the
**intermediate** solution by default (as in SetMethods; ``solution=`` changes it).  When it has
several tied models (or several intermediate blocks), the IS / TS membership of a case is its
membership in their **union** (max over every term of every tied model): all tied models cover
the same positive truth-table rows and differ only in the remainders they use, so the union
takes no side among them (``ties="first"`` uses the first model, SetMethods' choice).  Y is the
outcome as calibrated for the IS (negated for a negated outcome).  Memberships are rounded to
6 decimals, as written in ``<analysis>_memberships.csv``, before any measure is computed, so
that the file reproduces every figure exactly.
"""
from .measures import (CASE_TYPES, CaseRatios, RobustnessFit, case_ratios, case_types, core_conditions,
                       core_stability, fit_robustness, solution_membership)
from .protocol import Protocol, Robustness, run_protocol
from .settings import RobustnessSettings, read_settings

__all__ = ["CASE_TYPES", "CaseRatios", "RobustnessFit", "case_ratios", "case_types", "core_conditions",
           "core_stability", "fit_robustness", "solution_membership", "Protocol", "Robustness", "run_protocol",
           "RobustnessSettings", "read_settings"]
