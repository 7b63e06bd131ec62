"""An exact fsQCA engine in numpy/pandas, equal to R's QCA package (Dusa 2019) on the same data.

Importable on its own (it imports nothing from the rest of the compendium), in R's vocabulary:

==========================  ===================================================  ==================
function                    what                                                 R's QCA
==========================  ===================================================  ==================
``calibrate``               direct-method calibration (also crisp, indirect)     ``calibrate``
``indirect_calibration``    the indirect method by a binomial logit              SetMethods
                                                                                 ``indirectCalibration``
``membership``, ``negate``  set algebra on memberships, ``"A*~B + C"``           ``compute``
``pof``                     parameters of fit: inclS, PRI, covS, covU;           ``pof``
                            inclN, RoN, covN
``necessity_table``         each condition and its negation as necessary         ``pof``
``super_subset``            necessary conjunctions and disjunctions              ``superSubset``
``find_rows``               untenable remainders, CSAs, SSRs                     ``findRows``
``esa``                     the enhanced standard analysis' exclusions           SetMethods ``esa``
``theory_evaluation``       a theory against a solution: T*S, T*~S, ~T*S, ~T*~S  ``modelFit``;
                            with their cases and fit                             SetMethods
                                                                                 ``theory.evaluation``
``cluster``                 pooled, between and within consistency and coverage  SetMethods ``cluster``
``smmr``                    set-theoretic multi-method case selection: typical,  SetMethods ``smmr``
                            deviant and irrelevant cases, matched pairs
``truth_table``             the truth table with ``incl_cut``, ``pri_cut``,      ``truthTable``
                            ``n_cut``
``minimize``                the complex (``include=""``) or parsimonious         ``minimize``
                            (``include="?"``) solution, every tied model;
                            ``exclude`` keeps rows out of the simplifying
                            assumptions
``solve``                   complex, parsimonious and intermediate (``dir_exp``)  ``minimize``
``document``                one analysis as the command line's JSON
==========================  ===================================================  ==================

Modules, one concept each: ``calibration`` with ``anchors`` (anchors from the data, the inverse)
and ``rnumeric`` (R's round, exp and glm.fit, bit for bit), ``expressions`` (the expression language) and
``sets`` (memberships in them), ``membership_checks`` (memberships in [0, 1]), ``rows`` (row
codes), ``fit`` (sufficiency), ``fit_necessity`` and ``fit_pof`` (R's ``pof``), ``cuts`` (the
cut-offs and the OUT rule), ``truthtable`` (building it) and ``truthtable_type`` (the value),
``primes`` (prime implicants), ``chart`` with ``chart_bounds`` and ``chart_search`` (every
minimal cover of the prime implicant chart), ``cover_models`` (the covers' models and their
fits), ``terms`` and ``models`` (the result types), ``solutions``, ``intermediate``
(directional expectations, easy and difficult counterfactuals), ``remainders`` (``find_rows``,
exclusions), ``enhanced`` (``esa``), ``supersubset`` (necessary expressions), ``tied`` (which
tied models to take), ``theory`` (theory evaluation), ``clustered`` (cluster diagnostics),
``casestudies`` with ``smmr_frame``, ``smmr_cases``, ``smmr_pairs``, ``smmr_necessity`` and
``smmr_necessity_pairs`` (case selection), ``export`` (the JSON document), ``limits`` and ``work``
(when the engine refuses, counted in work), ``errors``, the compiled twins in ``kernels``, the
bundled data in ``datasets``, and the command line ``python -m analysis.qca`` (``cli``, ``csvdata``,
``arguments``).

>>> import pandas as pd
>>> from analysis.qca import truth_table, solve
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1],
...                      "Y": [0.9, 0.9, 0.3, 0.2]}, index=["p", "q", "r", "s"])
>>> solve(truth_table(data, "Y", incl_cut=0.8), dir_exp=[1, 1]).parsimonious.fit_table()
          block model     term  inclS  PRI      covS      covU cases
0  parsimonious    M1        A    1.0  1.0  0.869565  0.869565  p, q
1  parsimonious    M1  (model)    1.0  1.0  0.869565       NaN
"""
from importlib import import_module

# Each public name and the module that defines it.  The modules are imported when a name is
# first used (PEP 562), so that ``import analysis.qca`` and ``python -m analysis.qca --help``
# load neither pandas nor the compiled kernels until they are needed.
_HOMES = {
    "calibration": ("calibrate", "calibrate_crisp", "calibrate_indirect", "indirect_calibration", "indirect_targets"),
    "anchors": ("inverse_calibrate", "percentile_anchors"),
    "export": ("document",),
    "errors": ("QCAError", "UndefinedSolution"),
    "fit": ("SufficiencyFit", "sufficiency"),
    "fit_necessity": ("NecessityFit", "necessity", "necessity_table"),
    "fit_pof": ("pof",),
    "intermediate": ("parse_dir_exp",),
    "limits": ("MAX_CONDITIONS",),
    "models": ("SOLUTION_KINDS", "Solution", "Solutions"),
    "terms": ("Model", "Term", "TermFit"),
    "remainders": ("Exclusion", "find_rows"),
    "supersubset": ("super_subset",),
    "enhanced": ("esa", "necessary_conditions"),
    "theory": ("theory_evaluation", "theory_memberships"),
    "clustered": ("cluster",),
    "casestudies": ("smmr",),
    "tied": ("solution_models",),
    "expressions": ("expression_string", "is_set_name", "parse", "term_string", "outcome_of", "outcome_label"),
    "sets": ("fuzzy_and", "fuzzy_or", "membership", "negate", "term_membership", "outcome_membership"),
    "solutions": ("minimize", "solve"),
    "cuts": ("check_cuts",),
    "truthtable": ("truth_table",),
    "truthtable_type": ("TruthTable",),
}
_WHERE = {name: module for module, names in _HOMES.items() for name in names}
__all__ = [name for names in _HOMES.values() for name in names]


def __getattr__(name):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
