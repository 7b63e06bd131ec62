"""The one registry of the tables and figures a run writes and shows: file name and caption.

Every table and figure of the notebooks has a key here: its kind, the name of its file under
``tables/`` or ``figures/`` (empty for what is only shown), and its caption.  Names and captions
are templates filled with the item's fields (``name``, ``label``, ...).  ``save_table`` and
``save_figure`` name the files and caption the LaTeX tables from here; ``show_table`` and
``show_figure`` caption what the notebook shows from here: one caption for both.

>>> item("truth_table", name="notMPV", label="~MPV").file
'truth_table_notMPV'
>>> item("necessity", incl=0.9, ron=0.5).caption
'Necessity of every condition and its negation; necessary: inclN ≥ 0.9 and RoN ≥ 0.5.'
"""
from __future__ import annotations

from dataclasses import dataclass

from .format import LEGEND

__all__ = ["Item", "ITEMS", "item"]


@dataclass(frozen=True)
class Item:
    """One table or figure: its kind, file name and caption, filled in."""

    kind: str          # "table" or "figure"
    file: str          # tables/<file>.* or figures/<file>.*; "" when it is only shown
    caption: str


def _t(file, caption):
    return ("table", file, caption)


def _f(file, caption):
    return ("figure", file, caption)


FISS = "● core present, • peripheral present, ⊗ core absent, ⊘ peripheral absent, blank: don't care"
ITEMS = {
    # step 1: data
    "codebook": _t("codebook", "The codebook: each measure, its indicators, unit, calibration anchors and the reason "
                               "for them."),
    "provenance": _t("", "Provenance of the raw data: file, checksum, cases and columns."),
    "measures": _t("measures", "The raw measures of every case (means of their indicators)."),
    "descriptives": _t("descriptives", "Descriptive statistics of the raw measures."),
    "reliability": _t("reliability", "Cronbach's alpha of the indicators of each multi-item measure."),
    # step 2: calibration
    "anchors": _t("", "The calibration anchors of every measure and the reason given for them."),
    "calibrate_one": _t("", "calibrate() on {set} with its anchors {anchors}: every case's raw value and membership."),
    "calibrated": _t("calibrated", "Set memberships of every case (tables/calibrated.csv)."),
    "calibration": _f("calibration", "Raw values against set memberships; red lines: the exclusion (e) and inclusion "
                                     "(i) anchors dotted, the crossover (c) dashed."),
    "calibration_summary": _t("calibration_summary", "Skewness of every set and the cases exactly at its crossover."),
    # step 3: necessity
    "necessity_analyses": _t("", "The analyses of this study: outcome (or its negation) and conditions."),
    "necessity_one": _t("", "necessity_table() for {label}: each condition and its negation (R's pof(..., relation = "
                            "\"necessity\"))."),
    "necessity": _t("necessity", "Necessity of every condition and its negation; necessary: inclN ≥ {incl:g} and RoN "
                                 "≥ {ron:g}."),
    "xy_choices": _t("", "The conditions plotted: necessary = True when flagged, False when none is (the highest "
                         "inclN)."),
    "xy": _f("xy_{name}", "XY plot of {condition} (x) and {outcome} (y): {verdict}"),
    "supersubset_one": _t("", "R's superSubset for {label}: necessary conjunctions, then disjunctions (inclN ≥ "
                              "{incl:g}, RoN ≥ {ron:g})."),
    "necessity_expressions": _t("necessity_expressions", "Necessary conjunctions and disjunctions of every analysis "
                                                         "(inclN ≥ {incl:g}, RoN ≥ {ron:g})."),
    "necessity_cases": _t("necessity_cases", "Cases for the necessary conditions (SetMethods' smmr): typical, "
                                             "deviant consistency and deviant relevance cases, ranked."),
    # step 4: sufficiency
    "analyses": _t("", "The analyses of this study: outcome, conditions, cut-offs and directional expectations."),
    "truth_table_one": _t("", "Truth table of {label}: every observed row with its cases, consistency (incl) and PRI."),
    "esa_one": _t("", "{label}: the rows kept out of the simplifying assumptions, and why."),
    "counterfactuals_one": _t("", "{label}: simplifying assumptions (SA), easy (EC) and difficult (DC) "
                                  "counterfactuals."),
    "overview": _t("", "Every analysis in brief: its solutions and their fit."),
    "truth_table": _t("truth_table_{name}", "{label}: truth table (observed rows; OUT = 1 first; DCC: the deviant "
                                            "cases for consistency in kind of each row)."),
    "esa": _t("esa_{name}", "{label}: rows kept out of the simplifying assumptions by the enhanced standard "
                            "analysis, and why."),
    "esa_changes": _t("esa_changes_{name}", "{label}: the models of the standard and of the enhanced standard "
                                            "analysis."),
    "solutions": _t("solutions_{name}", "{label}: every tied model of the complex, parsimonious and intermediate "
                                        "solutions, term by term."),
    "counterfactuals": _t("counterfactuals_{name}", "{label}: the remainders the solutions rest on: simplifying "
                                                    "assumptions (SA) of each parsimonious model, easy (EC) and "
                                                    "difficult (DC) counterfactuals of each intermediate block."),
    "cases": _t("cases_{name}", "{label}: cases for case studies (SetMethods' smmr), every tied model: typical "
                                "(ranked), deviant consistency and coverage, individually irrelevant."),
    "pairs": _t("pairs_{name}", "{label}: matched pairs for comparative case studies (smmr), every tied model: "
                                "typical-typical, typical-IIR, typical-deviant consistency, deviant coverage-IIR."),
    "configurations": _t("configurations_{name}{suffix}", "{label}: configuration chart ({block}, model {model}); "
                                                          + FISS + "."),
    "configuration_chart": _f("configurations_{name}", "{label}: configuration chart of the intermediate solution "
                                                       "(Fiss 2011 notation: large circles core, small circles "
                                                       "peripheral conditions)."),
    "terms": _f("terms_{name}", "{label}: each sufficient term and the solution against the outcome; typical and "
                                "deviant cases labelled."),
    "study_chart": _f("configurations", "The configurations of every outcome side by side (Fiss 2011 notation)."),
    # step 5: robustness
    "robustness_settings": _t("", "The robustness tests the study file names."),
    "robustness_initial": _t("", "The initial solution of every analysis and how many test solutions leave it "
                                 "unchanged."),
    "robustness_ranges_figure": _f("robustness_ranges", "Sensitivity ranges: for each anchor (raw units of its "
                                                        "measure) and cut-off, the values over which the solution "
                                                        "stays the same."),
    "robustness_ranges": _t("robustness_ranges", "Sensitivity ranges: chosen value, step, lowest and highest "
                                                 "unchanged value, and why each end stops."),
    "robustness_tests": _t("robustness_tests", "Every test solution: what it changes, its models and core "
                                               "conditions, and whether it equals the initial solution."),
    "robustness_tests_count": _t("", "Test solutions per analysis and how many of them equal the initial solution."),
    "robustness_changed": _t("", "The test solutions that differ from the initial solution."),
    "robustness_summary": _t("robustness_summary", "The robustness of every analysis: tests, fit- and case-oriented "
                                                   "robustness."),
    "robustness_fit": _t("", "Fit-oriented robustness of every analysis."),
    "robustness_case_types": _t("robustness_case_types", "Case types of every analysis and the case-oriented "
                                                         "robustness ratios."),
    "robustness_cases": _t("robustness_cases", "Every case's memberships in the initial and test solutions and its "
                                               "type."),
    "robustness_shaky": _t("", "The shaky and possible cases: their status depends on the choices tested."),
    "robustness_xy": _f("robustness_xy", "Robustness XY plots: the initial solution (x) against the deciding test "
                                         "solution (y); shaky and possible cases labelled."),
    "core_stability": _t("core_stability", "Share of the test solutions of each kind in which each core condition "
                                           "stays core."),
    "robustness_claims": _t("robustness_claims", "Each claim of the ledger in each test solution: True when it "
                                                 "holds, False when not, blank when the test cannot judge it."),
    "robustness_claim_shares": _t("robustness_claim_shares", "How often each claim holds in the test solutions, per "
                                                             "kind of test and over all tests."),
    # step 6: multiverse
    "multiverse_grid": _t("", "The choices of the multiverse: each choice, the number of its values, and the values."),
    "multiverse_findings": _t("multiverse_findings", "How often each finding holds: specifications that can judge "
                                                     "it, those in which it holds, the share, and those without a solution."),
    "multiverse_choices": _t("multiverse_choices", "For every finding and choice: the share of specifications in "
                                                   "which the finding holds at each value of the choice."),
    "multiverse_flips": _t("multiverse_flips", "The largest spreads: the choice, its value with the lowest and with "
                                               "the highest share of specifications in which the finding holds."),
    "multiverse_curve": _f("multiverse_curve", "Specification curve: solution consistency and coverage of every "
                                               "specification of the sample, ranked, with the choices beneath."),
    "multiverse_claims": _f("multiverse_claims", "The claims across the multiverse: the share of the specifications "
                                                 "that judge each claim in which it holds, and the choice that flips "
                                                 "it most."),
    # step 7: findings
    "claims": _t("claims", "The claims ledger at the study's settings: each claim, where it comes from, its status "
                           "and the evidence."),
    "verdicts": _t("verdicts", "How far each claim holds: its status at the study's settings, its share in the "
                               "robustness tests and in the multiverse, and the verdict by the study file's rule."),
}


def item(key: str, **fields) -> Item:
    """The registry's item ``key`` with its file name and caption filled in from ``fields``."""
    if key not in ITEMS:
        raise KeyError(f"no table or figure {key!r} in analysis.report.captions.ITEMS; add it there")
    kind, file, caption = ITEMS[key]
    fields.setdefault("legend", LEGEND)
    return Item(kind=kind, file=file.format(**fields), caption=caption.format(**fields))
