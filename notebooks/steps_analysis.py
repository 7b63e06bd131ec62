"""Steps 1 to 4 of the notebooks, cell by cell: data, calibration, necessity, sufficiency
(written to ``notebooks/NN_*.ipynb`` by ``notebooks/build.py``)."""
from cells import CUTS, NOTICE, code, figure, md, opening, parameters

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

Fuzzy-set QCA works with degrees of membership in sets, not with raw variables. The direct method of calibration (Ragin 2008, ch. 5; Dusa 2019, *QCA with R*, ch. 4) maps three qualitative anchors — full exclusion (membership 0.05), crossover (0.5) and full inclusion (0.95) — onto the log-odds of membership and fills in the rest with a logistic curve. This is R's `calibrate(x, type = "fuzzy", thresholds = c(e, c, i))`; the memberships written here can be loaded into R's QCA or SetMethods directly. A study file may give a set another kind (its `kind:`): memberships already calibrated (a published table, used exactly as given), a crisp set or multi-value categories from thresholds (R's `calibrate(x, type = "crisp")`), or the indirect method (R's `calibrate(x, method = "indirect")`, SetMethods' `indirectCalibration`); the table below names each set's.

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
    code("""show_table(S.codebook()[["measure", "calibration", "exclusion", "crossover", "inclusion", "anchor_reason"]], "anchors")"""),
    md("""
## The method on one set

`calibrate` is R's `calibrate`: the raw values of one measure and its three anchors (exclusion, crossover, inclusion; a decreasing set has them the other way round). Here the study's first set calibrated by the direct method, every case (a study without one, e.g. of published memberships, has nothing to show here):"""),
    code("""measures = read_table(R, "measures", index="case")
first = next(iter(S.anchors), None)  # the first set of kind direct
if first is not None:
    one = measures[[first]].assign(membership=calibrate(measures[first], thresholds=S.anchors[first], idm=S.calibration.idm))
    show_table(one, "calibrate_one", set=first, anchors=S.anchors[first])"""),
    md("""
## Calibrated memberships

Every set the same way (`calibrate_measures`, with the study file's calibration choices). `tables/calibrated.csv` (first column `case`, then the conditions and the outcomes) is the input of the later steps. A case whose raw value equals a crossover gets a membership of exactly 0.5: as in R, it is kept, with a warning, and belongs to no truth-table row (a study file's `strict: {cases_on_crossover: true}` refuses it instead)."""),
    code("joint_outcomes_note(S)"),
    code("""calibrated = calibrate_measures(measures, S.calibrations, S.strict, S.name, S.calibration)
calibrated = calibrated.join(joint_memberships(calibrated, S.joint))  # no column when the study has none
save_table(calibrated, R.out, "calibrated", index=True)
show_table(calibrated, "calibrated")"""),
    md("""
What a reader should know about these memberships: sets whose cases all fall on one side of the crossover (they hardly vary in kind), and cases exactly on a crossover (in no truth-table row)."""),
    code("""notes_markdown(calibration_notes(measures, calibrated, S.calibrations),
               none="Every set has cases on both sides of its crossover, and no case lies on a crossover.")"""),
    md("""
## Raw values against memberships

Each panel shows the S-shaped calibration function with the exclusion (e), crossover (c) and inclusion (i) anchors of a set calibrated by the direct method (sets of other kinds have no anchors to show). Points piled up near 0.5 would signal ambiguous cases; points all on one side of the crossover, a set that hardly varies in kind."""),
    figure("""if S.anchors:  # the sets of kind direct
    fig = calibration_grid(measures, calibrated, S.anchors)
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
one = necessity_table(calibrated, A.label, list(A.conditions))
show_table(one, "necessity_one", label=A.label)
pof([c for c in one["condition"] if not c.startswith("~")], A.label, calibrated)  # the same numbers, R's call"""),
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
from analysis.report.configurations import configuration_figures, study_chart
from analysis.report.figures import term_plots
from analysis.report.notebook import esa_note, markdown_text, show_figure, show_table
from analysis.report.sufficiency import configuration_tables, displayed, sufficiency_tables, write_solution
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

What the study file decides about the enhanced standard analysis (Schneider & Wagemann 2012, ch. 8.2; 2013), the rows kept out of the simplifying assumptions before minimising:"""),
    code("esa_note(S)"),
    code("""excluded = None  # a study that turns the enhanced standard analysis off excludes nothing
if S.esa.applies:
    necessary = necessary_conditions(tt, P["necessity_incl"], P["necessity_ron"]) if S.esa.necessary is None \\
        else [e for e, _ in S.esa.necessary]
    print(f"necessary for {A.label}: {', '.join(necessary) or 'none'}; CSAs (findRows type 2): "
          f"{', '.join(find_rows(tt, 2)) or 'none'}; SSRs (type 3): {', '.join(find_rows(tt, 3)) or 'none'}")
    excluded = esa(tt, nec_cond=necessary, untenable=list(S.esa.untenable), csa=S.esa.csa, ssr=S.esa.ssr)
    show_table(excluded, "esa_one", label=A.label)"""),
    md("""
Then the minimisation (`exclude`: the rows kept out above, if any): the complex, parsimonious and intermediate solutions, every tied model with the fit of each term (inclS, PRI, covS, covU) and of each model, and the cases of the positive rows each term covers; then the remainders each solution rests on: the simplifying assumptions of each parsimonious model (R's `$SA`) and the easy and difficult counterfactuals of each intermediate block (`$i.sol$C1P1$EC`, `$DC`)."""),
    code("""sols = solve(tt, dir_exp=list(A.dir_exp), exclude=excluded)
display(sols)  # as R prints minimize's results: identical intermediate blocks once ("From C1P1, C1P2")
show_table(sols.counterfactuals(), "counterfactuals_one", label=A.label)"""),
    md("""
## Every analysis of the study

The same steps for every analysis: `sufficiency` runs `truth_table`, the study file's choice about the enhanced standard analysis (above) and `solve`, and keeps the reason when a solution does not exist. Each analysis' solutions are also written as `solutions/<analysis>.json`, the engine's JSON to hold against R's QCA."""),
    code("""results = [sufficiency(A, calibrated) for A in study_analyses]
for r in results:
    write_solution(r, R.out)
show_table(overview(results), "overview")"""),
    md("""
For each analysis: the truth table (OUT = 1 first, with the deviant cases for consistency in kind of each row, `DCC`), what the enhanced standard analysis did where the study applies it (the rows it excluded and why; the models without and with it), every tied model, the remainders the solutions rest on, the cases a case study would choose and the matched pairs for comparison (SetMethods' `smmr`, Schneider & Rohlfing 2013: every tied model, typical cases ranked as SetMethods ranks them), and the configuration chart (Fiss 2011): ● core present, • peripheral present, ⊗ core absent, ⊘ peripheral absent, blank: don't care."""),
    code("""for r in results:
    display(markdown_text(f"### {r.label}"))
    for key, table, fields in sufficiency_tables(r):
        save_table(table, R.out, key, index=key == "configurations", **fields)
        show_table(displayed(table) if key == "configurations" else table, key, **fields)"""),
    md("""
The configuration charts as figures, each analysis with its tied models side by side when they fit the page; when they do not, one chart of every configuration the tied models contain, with a row per model (its unique coverages and its solution's fit); what does not fit one chart is continued on the next:"""),
    figure("""for r in results:
    for fields, fig in configuration_figures(configuration_tables(r), r.name, r.label):
        save_figure(fig, R.out, "configuration_chart", **fields)
        show_figure(fig, "configuration_chart", **fields)"""),
    md("""
## Sufficient terms and solutions against the outcome

As SetMethods' `pimplot` draws them: each term of the (first) intermediate model and the whole solution against the outcome. Following Schneider & Rohlfing (2013), *typical* cases (blue; member of the term and of the outcome) are the ones to study for the mechanism, *deviant cases consistency in kind* (red crosses; member of the term but not of the outcome) contradict sufficiency, and *deviant cases coverage* (orange triangles, solution panel only; member of the outcome but of no term) point at paths the solution misses. Typical and deviant cases are labelled, at most eight per panel by the rule stated under each figure, and the others named there (`figures/terms_<analysis>.png`; six panels to a figure, continued in `terms_<analysis>_part2.png`, ...)."""),
    figure("""for fields, fig in term_plots(results, calibrated):
    save_figure(fig, R.out, "terms", **fields)
    show_figure(fig, "terms", **fields)"""),
    md("""
## The configurations of every outcome

As articles print them: the intermediate configurations of every outcome of the study side by side (`figures/configurations.png`; the first of tied models), core conditions (backed by the parsimonious solution) as large circles, peripheral ones as small circles (Fiss 2011)."""),
    figure("""fig = study_chart([(r.label, configuration_tables(r)) for r in results if not r.analysis.neg_out])
if fig is not None:
    save_figure(fig, R.out, "study_chart")
    show_figure(fig, "study_chart")"""),
]
