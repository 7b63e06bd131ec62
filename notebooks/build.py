"""The step notebooks, written from this one file: ``python notebooks/build.py`` rewrites
``notebooks/NN_*.ipynb`` (cells, tags, ids) without outputs; ``python -m analysis.pipeline
--store-notebook-outputs`` then fills in their outputs on the default study.

Each notebook reads as a methods section: a markdown cell says what the step does and why, with
its sources; the next code cell makes the method's own call (``calibrate``, ``necessity_table``,
``super_subset``, ``truth_table``, ``esa``, ``solve``, ``smmr``, the robustness protocol's named
steps, the multiverse's definition and run); then the step's tables and figures are saved
(``save_table``, ``save_figure``) and shown (``show_table``, ``show_figure``), captioned from
the one registry (``analysis.report.captions``).  Nothing in a notebook names a study's sets.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
NOTICE = ("When the study file says `synthetic: true`, the cell below prints its notice: every number, table and "
          "figure of this notebook then describes a synthetic stand-in and illustrates the method only; it is "
          "**not** a finding about real cases. The cell also says where this run writes: a run with other "
          "parameters than the study file's (in JupyterLab, by papermill or with `--set`) writes to its own folder, "
          "never into the study's canonical results.")
PARAMS = {
    "study": 'study = "../data/ppip/study.yml"  # study file: codebook, anchors, thresholds, claims',
    "data": "data = None  # raw case data (CSV); None: the file the study file names",
    "out": 'out = "../results/ppip"  # output folder of the run: the study\'s own results folder (see the notice below)',
    "incl_cut": "incl_cut = None  # consistency cut-off of a positive row; None: value in the study file",
    "pri_cut": "pri_cut = None  # PRI cut-off of a positive row; None: value in the study file",
    "n_cut": "n_cut = None  # minimum cases per row; None: value in the study file",
    "necessity_incl": "necessity_incl = None  # inclN of a necessary condition; None: value in the study file",
    "necessity_ron": "necessity_ron = None  # RoN of a necessary condition; None: value in the study file",
}
CUTS = ("incl_cut", "pri_cut", "n_cut", "necessity_incl", "necessity_ron")


def md(text):
    return ("markdown", text.strip("\n"), None)


def code(text, tags=None):
    return ("code", text.strip("\n"), tags)


def figure(text):
    return code(text, ["nbval-ignore-output"])


def parameters(*names, extra=()):
    lines = ["# Parameters: papermill (python -m analysis.pipeline) replaces these values."]
    lines += [PARAMS[n] for n in names] + list(extra)
    return code("\n".join(lines), ["parameters"])


def opening(step: int, imports: str, given: tuple):
    args = "".join(f", {k}={k}" for k in given)
    return code(f"""{imports}
from analysis.report.notebook import display_setup, notice
from analysis.runs import open_run

R = open_run(study, out{args})
S, P = R.study, R.parameters
display_setup(R, step={step})
notice(R)""")


STEPS = {}

STEPS["01_data"] = [
    md("""
# Step 1 — Data: from raw indicators to measures

This notebook reads the raw case data of a study, checks them against the codebook of its study file, and builds one raw measure per condition and outcome. Every name below comes from the study file (`--study`), so the same notebook serves every study.

""" + NOTICE),
    parameters("study", "data", "out"),
    opening(1, """from analysis.measures import build_measures, descriptives, reliability
from analysis.rawdata import load_raw, provenance
from analysis.report.notebook import record_table, show_table, study_overview
from analysis.report.tables import save_table, write_json""", ("data",)),
    md("""
## The study

In fsQCA every set is defined before the data are looked at: which indicators measure it, and which raw values mark full exclusion, the crossover point of maximal ambiguity and full inclusion (Ragin 2008, *Redesigning Social Inquiry*, ch. 4–5; Schneider & Wagemann 2012, *Set-Theoretic Methods for the Social Sciences*, ch. 1.2). The study file states the conditions and outcomes:"""),
    code("study_overview(S)"),
    md("""
## The codebook

Each measure with its indicators, unit and calibration anchors, and the reason given for the anchors."""),
    code("""codebook = S.codebook()
save_table(codebook, R.out, "codebook")
show_table(codebook, "codebook")"""),
    md("""
## Validating the raw data

`load_raw` refuses data it cannot trust rather than repairing them silently: every codebook column must be present, case ids unique, values numeric, non-missing and inside the codebook range. The checksum identifies the exact file this run used; it is repeated in `findings.md`."""),
    code("""raw = load_raw(S, data)
prov = provenance(S, data, raw)
write_json(prov, R.out / "provenance.json")
show_table(record_table(prov), "provenance")"""),
    md("""
## Measures

Each measure is the mean of its indicators (all indicators of a measure share one unit). The measures are still on their raw scales; step 2 calibrates them into set memberships. This table is the only thing step 2 reads from this step."""),
    code("""measures = build_measures(S, raw)
save_table(measures, R.out, "measures", index=True)
show_table(measures, "measures")"""),
    code("""summary = descriptives(measures)
save_table(summary, R.out, "descriptives")
show_table(summary, "descriptives")"""),
    md("""
## Reliability of the multi-item measures

Cronbach's (1951) alpha of the indicators of each measure; about 0.7 or more is usually read as acceptable internal consistency. A low alpha means the mean mixes things that do not move together, and the set's meaning should be reconsidered before calibration."""),
    code("""alpha = reliability(S, raw)
save_table(alpha, R.out, "reliability")
show_table(alpha, "reliability")"""),
]

STEPS["02_calibration"] = [
    md("""
# Step 2 — Calibration: from measures to set memberships

Fuzzy-set QCA works with degrees of membership in sets, not with raw variables. The direct method of calibration (Ragin 2008, ch. 5; Dusa 2019, *QCA with R*, ch. 4) maps three qualitative anchors — full exclusion (membership 0.05), crossover (0.5) and full inclusion (0.95) — onto the log-odds of membership and fills in the rest with a logistic curve. This is R's `calibrate(x, type = "fuzzy", thresholds = c(e, c, i))`; the memberships written here can be loaded into R's QCA or SetMethods directly.

""" + NOTICE),
    parameters("study", "out"),
    opening(2, """from analysis.joint import joint_memberships
from analysis.memberships import calibrate_measures, calibration_notes, calibration_summary
from analysis.qca import calibrate
from analysis.report.canvas import save_figure
from analysis.report.figures import calibration_grid
from analysis.report.notebook import joint_outcomes_note, notes_markdown, show_figure, show_table
from analysis.report.tables import read_table, save_table""", ()),
    md("""
## Anchors

The anchors come from the study file, each with its substantive justification: anchors are statements about what it means to be in or out of a set, not sample statistics (Schneider & Wagemann 2012, ch. 1.2), so they may lie outside the values observed in the data, as R's `calibrate` allows."""),
    code("""show_table(S.codebook()[["measure", "exclusion", "crossover", "inclusion", "anchor_reason"]], "anchors")"""),
    md("""
## The method on one set

`calibrate` is R's `calibrate`: the raw values of one measure and its three anchors (exclusion, crossover, inclusion; a decreasing set has them the other way round). Here the study's first condition, every case:"""),
    code("""measures = read_table(R, "measures", index="case")
first = S.conditions[0]
one = measures[[first]].assign(membership=calibrate(measures[first], thresholds=S.anchors[first], idm=S.calibration.idm))
show_table(one, "calibrate_one", set=first, anchors=S.anchors[first])"""),
    md("""
## Calibrated memberships

Every set the same way (`calibrate_measures`, with the study file's calibration choices). `tables/calibrated.csv` (first column `case`, then the conditions and the outcomes) is the input of the later steps. A case whose raw value equals a crossover gets a membership of exactly 0.5: as in R, it is kept, with a warning, and belongs to no truth-table row (a study file's `strict: {cases_on_crossover: true}` refuses it instead)."""),
    code("joint_outcomes_note(S)"),
    code("""calibrated = calibrate_measures(measures, S.anchors, S.strict, S.name, S.calibration)
calibrated = calibrated.join(joint_memberships(calibrated, S.joint))  # no column when the study has none
save_table(calibrated, R.out, "calibrated", index=True)
show_table(calibrated, "calibrated")"""),
    md("""
What a reader should know about these memberships: sets whose cases all fall on one side of the crossover (they hardly vary in kind), and cases exactly on a crossover (in no truth-table row)."""),
    code("""notes_markdown(calibration_notes(measures, calibrated, S.anchors),
               none="Every set has cases on both sides of its crossover, and no case lies on a crossover.")"""),
    md("""
## Raw values against memberships

Each panel shows the S-shaped calibration function with the exclusion (e), crossover (c) and inclusion (i) anchors. Points piled up near 0.5 would signal ambiguous cases; points all on one side of the crossover, a set that hardly varies in kind."""),
    figure("""fig = calibration_grid(measures, calibrated, S.anchors)
save_figure(fig, R.out, "calibration")
show_figure(fig, "calibration")"""),
    md("""
## Skewness and cases at the crossover

A set in which almost all cases are in (or out) produces trivially consistent or trivially necessary relations. Following Schneider & Wagemann (2012, pp. 232–250), sets with more than 80 % or fewer than 20 % of the cases above 0.5 are flagged as `skewed`; `n_at_0.5` counts the cases exactly at the crossover."""),
    code("""skew = calibration_summary(calibrated)
save_table(skew, R.out, "calibration_summary")
show_table(skew, "calibration_summary")"""),
]

STEPS["03_necessity"] = [
    md("""
# Step 3 — Necessity

Necessary conditions are analysed before sufficiency, because a necessary condition can be minimised away from the sufficient configurations when logical remainders are used (Schneider & Wagemann 2012, ch. 3 and 9; Dusa 2019, ch. 5). A condition X is necessary for Y when Y is a subset of X:

- **inclN** (consistency of necessity) = Σ min(X, Y) / Σ Y;
- **RoN** (relevance of necessity) = Σ (1 − X) / Σ (1 − min(X, Y)): low when X is nearly always present, i.e. a trivial superset;
- **covN** (coverage of necessity) = Σ min(X, Y) / Σ X.

A condition counts as necessary here when inclN ≥ `necessity_incl` and RoN ≥ `necessity_ron`. Every outcome of the study is analysed together with its negation: set relations are asymmetric, so a negated outcome is analysed in its own right.

""" + NOTICE),
    parameters("study", "out", "necessity_incl", "necessity_ron"),
    opening(3, """from analysis.analyses import analyses, analyses_frame
from analysis.necessity import necessary_expressions, necessity_analysis, necessity_cases
from analysis.qca import necessity_table, pof, super_subset
from analysis.report.canvas import save_figure
from analysis.report.figures import necessity_choices, xy_plots
from analysis.report.notebook import show_figure, show_table
from analysis.report.tables import read_table, save_table""", ("necessity_incl", "necessity_ron")),
    code("""calibrated = read_table(R, "calibrated", index="case")
study_analyses = analyses(S, P)
show_table(analyses_frame(study_analyses)[["analysis", "outcome", "conditions"]], "necessity_analyses")"""),
    md("""
## The method on the first analysis

R's `pof(setms, outcome, data, relation = "necessity")` is `pof` here; `necessity_table` applies it to every condition and its negation:"""),
    code("""A = study_analyses[0]
show_table(necessity_table(calibrated, A.label, list(A.conditions)), "necessity_one", label=A.label)
pof(list(A.conditions), A.label, calibrated)  # the same numbers, R's call"""),
    md("""
## Single conditions

Every condition and its negation, for every outcome (R: `pof(..., relation = "necessity")`, or SetMethods' `QCAfit(..., necessity = TRUE)`)."""),
    code("""necessity = necessity_analysis(calibrated, study_analyses, P["necessity_incl"], P["necessity_ron"])
save_table(necessity, R.out, "necessity", incl=P["necessity_incl"], ron=P["necessity_ron"])
show_table(necessity, "necessity", incl=P["necessity_incl"], ron=P["necessity_ron"])"""),
    md("""
## XY plots of the conditions flagged as necessary

For each outcome, every condition the table above flags as necessary; for an outcome with none, the condition with the highest inclN, which is then *not* necessary (the plot says so). A necessary condition puts the cases on or below the diagonal (X ≥ Y); cases in the upper left quadrant (Y > 0.5 > X, red crosses) contradict necessity in kind (Schneider & Wagemann 2012, ch. 9). Every case is labelled."""),
    code("""plotted = necessity_choices(necessity)
show_table(plotted, "xy_choices")"""),
    figure("""for fields, fig in xy_plots(calibrated, plotted):
    save_figure(fig, R.out, "xy", **fields)
    show_figure(fig, "xy", **fields)"""),
    md("""
## Cases for the necessary conditions

For every condition flagged necessary, the cases a case study would choose, as SetMethods' `smmr(..., necessity = TRUE)` selects and ranks them (Schneider & Rohlfing 2013): *typical* cases (member of the condition and of the outcome, ranked by how clearly), *deviant cases for consistency* (in the outcome but not in the condition: they contradict necessity) and *deviant cases for relevance* (in the condition but not in the outcome)."""),
    code("""cases = necessity_cases(calibrated, study_analyses, necessity)
save_table(cases, R.out, "necessity_cases")
show_table(cases, "necessity_cases")"""),
    md("""
## Necessary conjunctions and disjunctions

A single condition is rarely necessary, but a union of conditions (X1 + X2, membership max(X1, X2)) may be, when the conditions are functional equivalents; and a necessary intersection (X1·X2) says that each of its conditions is necessary. R's `superSubset(relation = "necessity")` (Dusa 2019, ch. 5.4) searches both, by increasing number of conditions: a conjunction is kept when it reaches the inclN cut-off, otherwise the disjunction of the same literals when it reaches it and contains no expression kept before (it would be a trivial superset), and the kept expressions need the RoN cut-off. `super_subset` is that search, with R's order and rules. First the call on the first analysis, at the study's necessity cut-offs:"""),
    code("""found = super_subset(calibrated, A.label, list(A.conditions), incl_cut=P["necessity_incl"], ron_cut=P["necessity_ron"])
show_table(found, "supersubset_one", label=A.label, incl=P["necessity_incl"], ron=P["necessity_ron"])"""),
    md("""
Then every analysis. Such an expression is a candidate that needs a theoretical reading, not a finding by itself (Schneider & Wagemann 2012, p. 74); the single conditions flagged above are those the enhanced standard analysis of step 4 keeps remainders without (unless the study file names others)."""),
    code("""expressions = necessary_expressions(calibrated, study_analyses, P["necessity_incl"], P["necessity_ron"])
save_table(expressions, R.out, "necessity_expressions", incl=P["necessity_incl"], ron=P["necessity_ron"])
show_table(expressions, "necessity_expressions", incl=P["necessity_incl"], ron=P["necessity_ron"])"""),
]

STEPS["04_sufficiency"] = [
    md("""
# Step 4 — Sufficiency: truth tables, solutions and configurations

Which combinations of conditions are sufficient for each outcome, and for its absence? The truth table lists the 2^k logically possible configurations of the k conditions; a row is coded OUT = 1 when its consistency reaches `incl_cut` and its PRI reaches `pri_cut`, and rows with fewer than `n_cut` cases are logical remainders (Ragin 2008, ch. 7; Schneider & Wagemann 2012, ch. 7). Boolean minimisation then gives three solutions (Ragin 2008, ch. 8–9; Dusa 2019, ch. 8):

- the **complex** (conservative) solution uses no remainder;
- the **parsimonious** solution uses every remainder that simplifies the result;
- the **intermediate** solution uses only the *easy counterfactuals*, remainders consistent with the directional expectations of the study file. For a negated outcome the study file states no expectations, so its intermediate solution equals the complex one.

Every tied minimal model is reported: choosing one of several equally good models silently would overstate what the data say. Conditions in the parsimonious solution are *core*, those only in the intermediate solution *peripheral* (Fiss 2011). The results equal those of R's QCA (`truthTable`, `minimize` with `include = "?"` and `dir.exp`).

""" + NOTICE),
    parameters(*(("study", "out") + CUTS)),
    opening(4, """from analysis.analyses import analyses, analyses_frame, overview, sufficiency
from analysis.qca import esa, find_rows, necessary_conditions, solve, truth_table
from analysis.report.canvas import save_figure
from analysis.report.figures import term_plots
from analysis.report.notebook import markdown_text, show_figure, show_table
from analysis.report.sufficiency import (configuration_figure, displayed, study_configuration_chart,
                                         sufficiency_tables, write_solution)
from analysis.report.tables import read_table, save_table""", CUTS),
    code("""calibrated = read_table(R, "calibrated", index="case")
study_analyses = analyses(S, P)
show_table(analyses_frame(study_analyses), "analyses")"""),
    md("""
## The method, step by step, on the first analysis

The two calls of R's QCA, `truthTable` and `minimize`, are `truth_table` and `solve` here (`analysis.qca`). First the truth table: each observed configuration with the number of cases `n` (membership above 0.5 in the row), its sufficiency consistency `incl`, its PRI and its cases."""),
    code("""A = study_analyses[0]
tt = truth_table(calibrated, A.label, list(A.conditions), incl_cut=A.cuts.incl, pri_cut=A.cuts.pri, n_cut=A.cuts.n)
show_table(tt, "truth_table_one", label=A.label)"""),
    md("""
### The enhanced standard analysis

Before minimising, the remainders that would make untenable assumptions are kept out of the simplifying assumptions (Schneider & Wagemann 2012, ch. 8.2; 2013): the remainders without a condition that is necessary for the outcome (step 3: inclN ≥ `necessity_incl` and RoN ≥ `necessity_ron`, unless the study file names the necessary conditions), the untenable remainders the study file names with their reasons, the contradictory simplifying assumptions (CSA: remainders the parsimonious solutions of the outcome and of its negation would both use; R's `findRows(tt, type = 2)`) and the simultaneous subset relations (SSR: rows consistent for both; type 3). `esa` (SetMethods' `esa`) lists them with their reasons, and `solve(..., exclude = ...)` is R's `minimize(..., exclude = ...)`. What the study file decides:"""),
    code("markdown_text(S.esa.describe())"),
    code("""necessary = necessary_conditions(tt, P["necessity_incl"], P["necessity_ron"]) if S.esa.necessary is None \\
    else [e for e, _ in S.esa.necessary]
print(f"necessary for {A.label}: {', '.join(necessary) or 'none'}; CSAs (findRows type 2): "
      f"{', '.join(find_rows(tt, 2)) or 'none'}; SSRs (type 3): {', '.join(find_rows(tt, 3)) or 'none'}")
excluded = esa(tt, nec_cond=necessary, untenable=list(S.esa.untenable), csa=S.esa.csa, ssr=S.esa.ssr) \\
    if S.esa.applies else esa(tt, nec_cond=[], csa=False, ssr=False)
show_table(excluded, "esa_one", label=A.label)"""),
    md("""
Then the minimisation, with those rows excluded: the complex, parsimonious and intermediate solutions, every tied model with the fit of each term (inclS, PRI, covS, covU) and of each model, and the cases of the positive rows each term covers; then the remainders each solution rests on: the simplifying assumptions of each parsimonious model (R's `$SA`) and the easy and difficult counterfactuals of each intermediate block (`$i.sol$C1P1$EC`, `$DC`)."""),
    code("""sols = solve(tt, dir_exp=list(A.dir_exp), exclude=excluded)
for block in (sols.complex, sols.parsimonious, *sols.intermediate):
    display(block)
show_table(sols.counterfactuals(), "counterfactuals_one", label=A.label)"""),
    md("""
## Every analysis of the study

The same steps for every analysis: `sufficiency` runs `truth_table`, the study's enhanced standard analysis and `solve`, keeps the standard analysis' solutions beside them to show what the enhanced analysis changed, and keeps the reason when a solution does not exist. Each analysis' solutions are also written as `solutions/<analysis>.json`, the engine's JSON to hold against R's QCA."""),
    code("""results = [sufficiency(A, calibrated) for A in study_analyses]
for r in results:
    write_solution(r, R.out)
show_table(overview(results), "overview")"""),
    md("""
For each analysis: the truth table (OUT = 1 first, with the deviant cases for consistency in kind of each row, `DCC`), the rows the enhanced standard analysis excluded and why, the models of the standard and of the enhanced analysis, every tied model, the remainders the solutions rest on, the cases a case study would choose and the matched pairs for comparison (SetMethods' `smmr`, Schneider & Rohlfing 2013: every tied model, typical cases ranked as SetMethods ranks them), and the configuration chart (Fiss 2011): ● core present, • peripheral present, ⊗ core absent, ⊘ peripheral absent, blank: don't care."""),
    code("""for r in results:
    display(markdown_text(f"### {r.label}"))
    for key, table, fields in sufficiency_tables(r):
        save_table(table, R.out, key, index=key == "configurations", **fields)
        show_table(displayed(table) if key == "configurations" else table, key, **fields)"""),
    md("""
The configuration charts as figures, each analysis with its tied models side by side:"""),
    figure("""for r in results:
    fig = configuration_figure(r)
    if fig is not None:
        save_figure(fig, R.out, "configuration_chart", name=r.name, label=r.label)
        show_figure(fig, "configuration_chart", name=r.name, label=r.label)"""),
    md("""
## Sufficient terms and solutions against the outcome

As SetMethods' `pimplot` draws them: each term of the (first) intermediate model and the whole solution against the outcome. Following Schneider & Rohlfing (2013), *typical* cases (blue; member of the term and of the outcome) are the ones to study for the mechanism, *deviant cases consistency in kind* (red crosses; member of the term but not of the outcome) contradict sufficiency, and *deviant cases coverage* (orange triangles, solution panel only; member of the outcome but of no term) point at paths the solution misses. Typical and deviant cases are labelled (`figures/terms_<analysis>.png`)."""),
    figure("""for r, fig in term_plots(results, calibrated):
    save_figure(fig, R.out, "terms", name=r.name, label=r.label)
    show_figure(fig, "terms", name=r.name, label=r.label)"""),
    md("""
## The configurations of every outcome

As articles print them: the intermediate configurations of every outcome of the study side by side (`figures/configurations.png`), core conditions (backed by the parsimonious solution) as large circles, peripheral ones as small circles (Fiss 2011)."""),
    figure("""fig = study_configuration_chart(results)
if fig is not None:
    save_figure(fig, R.out, "study_chart")
    show_figure(fig, "study_chart")"""),
]

STEPS["05_robustness"] = [
    md("""
# Step 5 — Robustness: the Oana–Schneider protocol, computed completely

Would the solutions of step 4 survive other reasonable choices of calibration anchors, cut-offs and cases? This notebook applies the robustness test protocol of Oana and Schneider (2024, *Sociological Methods & Research* 53(1); R package SetMethods: `rob.calibrange`, `rob.inclrange`, `rob.ncutrange`, `rob.fit`, `rob.cases`, `rob.case.ratio`, `rob.xyplot`) to every analysis of the study, as the same named steps:

1. **calibration ranges** and **cut-off ranges**: how far each calibration anchor of each condition, and `incl_cut`, `pri_cut` and `n_cut`, can move (in the steps of the study file) before the solution changes;
2. **test solutions** (TS1..TSk): the plausible alternatives the study file names, each re-run end to end;
3. **fit-oriented robustness**: how much of the initial solution's (IS) fit its robust core keeps;
4. **case-oriented robustness** (case types): which cases keep, lose or could gain their typical or deviant status;
5. **stability of core conditions**, which the ledger's `stable_core` claims check (step 6).

Every perturbed analysis is the study's own analysis (its enhanced standard analysis included), run end to end in parallel on the available cores and collected in a fixed order, so that the results do not depend on which process finished first. Two corrections of SetMethods are built in (`analysis/robustness/__init__.py` states every formula): a solution with several tied models counts as unchanged only if the *set of all its tied models* is unchanged (SetMethods compares the first model only), and minTS / maxTS are the minimum / maximum over *all* test solutions (SetMethods takes the first and the last). The solution compared is the intermediate one; when it has tied models, a case's membership in it is its membership in their union.

""" + NOTICE),
    parameters(*(("study", "out") + CUTS), extra=(
        'solution = "intermediate"  # the solution compared: intermediate (as SetMethods), complex or parsimonious',
        'ties = "union"  # membership in a solution with tied models: "union" of the models, or "first"',
        "workers = None  # parallel processes for the sweep; None: every available core")),
    opening(5, """from analysis.analyses import analyses
from analysis.report.canvas import save_figure
from analysis.report.notebook import record_table, show_figure, show_table
from analysis.report.tables import read_table, save_table
from analysis.robustness import Protocol
from analysis.robustness.tables import (core_stability_table, robustness_case_types, robustness_cases, robustness_figures,
                                        robustness_summary, robustness_tables, write_robustness)""", CUTS),
    code("""calibrated = read_table(R, "calibrated", index="case")
measures = read_table(R, "measures", index="case")
show_table(record_table(vars(S.robustness)), "robustness_settings")"""),
    md("""
## 1. Sensitivity ranges

Each anchor (exclusion, crossover, inclusion) of each condition moves by the study file's `anchor_steps` share of the measure's codebook range per step, staying inside the codebook range and strictly between its neighbouring anchors (SetMethods' `rob.calibrange`); `incl_cut` and `pri_cut` move by their `cut_steps` and `n_cut` by its step (`rob.inclrange`, `rob.ncutrange`), at most `max_steps` steps each way. After each step the whole analysis is re-run; the range is the last value, in each direction, that gives the same solution — every tied model compared, and "no solution" counting as a change."""),
    code("""protocol = Protocol(calibrated, measures, analyses(S, P), S.condition_anchors, S.scales, S.robustness, solution=solution,
                    ties=ties, workers=workers, calibration=S.calibration, progress=False)
calibration_ranges = protocol.calibration_ranges()
cut_off_ranges = protocol.cut_off_ranges()"""),
    md("""
## 2. Test solutions

The alternatives named in the study file's `robustness:` section: anchors of every condition at other sample percentiles instead of the substantive anchors, other consistency, PRI and frequency cut-offs, each case dropped in turn (`drop_cases`), and qcaERT's subsamples, condition sets and random draws when named. The table shows the test solutions whose set of tied models differs from the initial solution's (all of them are in `tables/robustness_tests.csv`)."""),
    code("""tests = protocol.test_solutions()
show_table(tests.groupby("analysis", sort=False)["same_as_IS"].agg(tests="size", same_as_IS="sum").reset_index(),
           "robustness_tests_count")
show_table(tests[~tests["same_as_IS"]][["analysis", "test", "description", "models", "solution", "core"]].reset_index(drop=True),
           "robustness_changed")"""),
    md("""
## The measures, for every analysis

From the ranges and the test solutions, every measure of parts 3 to 5; the tables and figures below are written to `tables/` and `figures/`, and every analysis' memberships and measures to `robustness/<analysis>_memberships.csv` (case, Y, IS, TS1..TSk) and `robustness/<analysis>_fit.json`."""),
    code("""results = protocol.results()
protocol.sweep.close()
write_robustness(results, R.out, S.synthetic)
tables = dict(robustness_tables(results))
for key, table in tables.items():
    save_table(table, R.out, key)
figures = robustness_figures(results, max_steps=S.robustness.max_steps)
for key, fig in figures.items():
    save_figure(fig, R.out, key)
show_table(robustness_summary(results)[["analysis", "initial solution", "tests", "same_as_IS"]], "robustness_initial")"""),
    md("""
In the plot of the sensitivity ranges the bar spans the unchanged steps around the chosen value (the dot); a red mark means the next step changes the solution, a grey mark that no further value is allowed, a green arrow that nothing changed within the steps tried. Narrow ranges point at choices the reader should weigh; wide ones at choices that do not matter for the result."""),
    figure('show_figure(figures["robustness_ranges_figure"], "robustness_ranges_figure")'),
    code('show_table(tables["robustness_ranges"], "robustness_ranges")'),
    md("""
## 3. Fit-oriented robustness

With IS the initial solution's membership, minTS and maxTS the minimum and maximum over all test solutions, and the robust core RC = min(IS, TS1, …, TSk): RF_cov = Cov(RC)/Cov(IS) is the share of the IS's coverage that holds in every test; RF_cons = Cons(IS)/Cons(RC) (below 1 when the robust core is more consistent than the IS); RF_SC_minTS and RF_SC_maxTS are the set coincidence of the IS with minTS and with maxTS, Σmin/Σmax (SetMethods' `rob.fit`). Values near 1 mean the solution's fit does not hinge on the choices tested."""),
    code("""show_table(robustness_summary(results)[["analysis", "RF_cov", "RF_cons", "RF_SC_minTS", "RF_SC_maxTS"]], "robustness_fit")"""),
    md("""
## 4. Case-oriented robustness

Each case is placed by IS·minTS, IS·~minTS, ~IS·maxTS and ~IS·~maxTS and by Y (SetMethods' `rob.cases`, `rob.case.ratio`): robust typical (IS > 0.5, minTS > 0.5, Y > 0.5), shaky typical (IS > 0.5, minTS < 0.5, Y > 0.5), possible typical (IS < 0.5, maxTS > 0.5, Y > 0.5), extreme deviant coverage (IS < 0.5, maxTS < 0.5, Y > 0.5), and their counterparts with Y < 0.5: robust deviant, shaky deviant, possible deviant, irrelevant. All comparisons are strict: a case with a membership of exactly 0.5 in IS, in the deciding minTS / maxTS or in Y falls in no type and is counted as *unclassified*. RCR_typ = robust typical / (robust + shaky + possible typical) and RCR_dev likewise for deviant cases; RCC_Rank is 1 when there is no shaky and no possible case, 2 with possible cases only, 3 with shaky cases only, 4 with both."""),
    code("""show_table(robustness_case_types(results).merge(robustness_summary(results)[["analysis", "RCR_typ", "RCR_dev", "RCC_Rank"]]),
           "robustness_case_types")
cases = robustness_cases(results)
show_table(cases[cases["type"].str.startswith(("shaky", "possible"))].reset_index(drop=True), "robustness_shaky")"""),
    md("""
The robustness XY plot (SetMethods' `rob.xyplot`) puts each case at its IS membership (x) and at the test-solution membership that decides its type (y: minTS when IS > 0.5, maxTS when IS < 0.5); the grey line spans minTS to maxTS. Points right of 0.5 and above it are robust, right and below shaky, left and above possible; filled circles have Y > 0.5, crosses Y < 0.5. Shaky and possible cases are named: they are the ones whose status as typical or deviant case depends on the choices tested, so they are poor choices for post-QCA case studies."""),
    figure('show_figure(figures["robustness_xy"], "robustness_xy")'),
    md("""
## 5. Stability of core conditions

A condition is *core* when it appears in every tied model of the parsimonious solution (Fiss 2011; the ledger's `core` check). For each core condition of each initial solution, the share of the test solutions in which it is still core (a test without a solution counts as "not core"). The ledger's `stable_core` claims are checked against this table in step 6."""),
    code("""show_table(core_stability_table(results), "core_stability")"""),
]

STEPS["06_findings"] = [
    md("""
# Step 6 — Findings: the claims ledger

The study file states the claims of the article it follows before the analysis, each with a check a computer can perform (`analysis.claims`): *core* (the condition is in the parsimonious solution), *appears* (it is in the intermediate solution), *consistency* (solution consistency reaches a minimum), *necessary* (inclN and RoN reach given values), *theory* (a theory's expectation against the solution) and *stable_core* (the core conditions survive the robustness tests). A claim passes only if it holds in **every** tied model; the evidence names each model's verdict. This step reads what steps 1 to 5 saved and writes the ledger once; nothing earlier is rewritten.

""" + NOTICE),
    parameters(*(("study", "out") + CUTS)),
    opening(6, """from analysis.analyses import analyses
from analysis.claims import ledger
from analysis.report.findings import core_stability_records, findings, solution_documents, write_findings
from analysis.report.notebook import markdown_text, show_table
from analysis.report.tables import read_json, read_table, save_table""", CUTS),
    code("""study_analyses = analyses(S, P)
documents = solution_documents(R.out, study_analyses)
calibrated = read_table(R, "calibrated", index="case")
stability = core_stability_records(R.out, study_analyses)"""),
    md("## The claims ledger"),
    code("""claims = ledger(S.claims, documents, stability, calibrated)
save_table(claims, R.out, "claims")
show_table(claims, "claims")"""),
    md("""
## Findings

`findings.md` and `findings.json` collect the ledger, every solution in brief, the thresholds, the checksum of the data file and the package versions of this run."""),
    code("""F = findings(S, read_json(R.path("provenance.json")), P, documents, claims)
markdown_text(write_findings(F, R.out))"""),
]

STEPS["07_multiverse"] = [
    md("""
# Step 7 — The multiverse: every defensible choice at once

Step 5 tests the choices of the analysis one at a time, as the robustness protocol of Oana and Schneider (2024) and SetMethods do. But the choices interact: a consistency cut-off that is harmless with the study's anchors may flip a finding once a crossover moves as well. A *multiverse analysis* (Steegen, Tuerlinckx, Gelman & Vanpaemel 2016, *Perspectives on Psychological Science* 11(5)) runs **every combination** of the defensible choices and reports how often each finding survives; a *specification curve* (Simonsohn, Simmons & Nelson 2020, *Nature Human Behaviour* 4) shows the results of all of them at once.

The study file's `multiverse:` section names the choices and their plausible values: the anchors of every set (moved together, each set on its own), the consistency, PRI and frequency cut-offs, the cases (all, each left out in turn, seeded subsamples as in qcaERT) and the conditions (all, each left out in turn, theory-specific sets). Their combinations form a grid that grows multiplicatively; this notebook runs a seeded random sample of it (`size` in the study file), and `python -m analysis.multiverse --study <name> --full` runs the whole grid, in parallel on the local cores or on a Dask cluster (`--scheduler tcp://host:8786`), in chunks written to disk as they finish, so that an interrupted run resumes where it stopped. Every specification is the study's own analysis, its enhanced standard analysis included.

""" + NOTICE),
    parameters(*(("study", "out") + CUTS), extra=(
        "size = None  # specifications to run; None: the study file's multiverse size (a seeded sample of a larger grid)",
        "workers = None  # local processes; None: every core",
        'scheduler = None  # a Dask scheduler ("tcp://host:8786") or "local" for a LocalCluster; None: local processes')),
    opening(7, """from analysis.analyses import analyses
from analysis.multiverse import prepare, run_multiverse
from analysis.multiverse.report import grid_table, multiverse_figure, multiverse_tables, write_multiverse_json
from analysis.report.canvas import save_figure
from analysis.report.notebook import markdown_text, show_figure, show_table
from analysis.report.tables import read_table, save_table""", CUTS),
    md("""
## The choices

Each choice below is one dimension of the grid (`prepare`: the multiverse's definition, from the study file). An anchor shift moves the three anchors of one set (exclusion, crossover, inclusion) together by that share of its codebook range, so that the set keeps its shape and its qualitative threshold moves; each set is shifted on its own. A case choice `-X` leaves case X out; `subsample j` keeps a seeded random share of the cases. A condition choice `-C` leaves condition C out; a named set keeps only its conditions (directional expectations follow the conditions kept)."""),
    code("""measures = read_table(R, "measures", index="case")
U = prepare(S, measures, P)
show_table(grid_table(U.grid), "multiverse_grid")"""),
    md("""
## The run

Then the run: every specification of the sample, each the study's analysis under that combination of choices, in chunks (`multiverse/chunks/*.parquet`)."""),
    code("""M = run_multiverse(S, measures, P, R.out / "multiverse", size=size, workers=workers, scheduler=scheduler,
                   progress=False, restart=True, universe=U)
summary = M.summary(S.claims)
write_multiverse_json(M, summary, R.out)
for key, table in multiverse_tables(summary):
    save_table(table, R.out, key)
markdown_text(f"This run: {M.description}. Every specification is written to `multiverse/chunks/*.parquet`.")"""),
    md("""
## How often each finding survives

For every claim of the ledger (step 6) and every core condition of the study's own solutions (step 4), the share of the specifications that can test it in which it holds — by the ledger's own rule: in every tied model. A specification that leaves out a condition a finding names cannot test it, and is not counted; claims about the robustness tests themselves (`stable_core`) are not tested here. A finding that holds in nearly every specification does not hang on the choices; one that holds in half of them is a finding about those choices."""),
    code('show_table(summary.findings, "multiverse_findings")'),
    md("""
## Which choices flip which findings

For every finding and every choice, the share of specifications in which the finding holds at each value of the choice; the table lists, for each pair whose values give different shares, the value with the lowest share and the one with the highest, with the number of specifications behind each (a value few specifications take, such as one case left out in a sample, gives a noisy share), largest spread first. A large spread names the choice a finding depends on. (Every share by value is in `tables/multiverse_choices.csv`.)"""),
    code('show_table(summary.flips.head(25), "multiverse_flips")'),
    md("""
## The specification curve

Specifications ranked by the consistency of their solution, for each positive outcome: the curve of consistency (inclS) and coverage (covS) above, and below it, for each choice, the value each specification took."""),
    figure("""fig = multiverse_figure(M, summary, analyses(S, P), S.labels)
save_figure(fig, R.out, "multiverse_curve")
show_figure(fig, "multiverse_curve")"""),
    md("""
## The whole multiverse

The sample above is what `make reproduce` runs. The whole grid, from the command line:

```
.venv/bin/python -m analysis.multiverse --study <study> --full                 # every core of this machine
.venv/bin/python -m analysis.multiverse --study <study> --full --scheduler tcp://host:8786   # a Dask cluster
```

Both write `results/<study>-multiverse-full/`: the chunks, these tables and the curve. The same specifications give byte-identical chunks on local cores and on a cluster; run the same command again after an interruption and it goes on from the last finished chunk."""),
]


def build(name: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = []
    for i, (kind, source, tags) in enumerate(STEPS[name]):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        cell["id"] = f"{name[:2]}-{i:02d}"
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb.cells = cells
    return nb


def main(names=None) -> int:
    for name in names or sorted(STEPS):
        nbformat.write(build(name), HERE / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
