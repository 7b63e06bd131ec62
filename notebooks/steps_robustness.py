"""Steps 5 to 7 of the notebooks, cell by cell: robustness, the multiverse, the findings
(written to ``notebooks/NN_*.ipynb`` by ``notebooks/build.py``)."""
from cells import CUTS, NOTICE, code, figure, md, opening, parameters

STEPS = {}
STEPS["05_robustness"] = [
    md("""
# Step 5 — Robustness: the Oana–Schneider protocol, computed completely

Would the solutions of step 4 survive other reasonable choices of calibration anchors, cut-offs and cases? This notebook applies the robustness test protocol of Oana and Schneider (2024, *Sociological Methods & Research* 53(1); R package SetMethods: `rob.calibrange`, `rob.inclrange`, `rob.ncutrange`, `rob.fit`, `rob.cases`, `rob.case.ratio`, `rob.xyplot`) to every analysis of the study, as the same named steps:

1. **calibration ranges** and **cut-off ranges**: how far each calibration anchor of each condition, and `incl_cut`, `pri_cut` and `n_cut`, can move (in the steps of the study file) before the solution changes;
2. **test solutions** (TS1..TSk): the plausible alternatives the study file names, each re-run end to end;
3. **fit-oriented robustness**: how much of the initial solution's (IS) fit its robust core keeps;
4. **case-oriented robustness** (case types): which cases keep, lose or could gain their typical or deviant status;
5. **stability of core conditions**, per kind of test;
6. **the claims in every test solution**: whether each claim of the ledger holds in each test, counted per kind of test, for the findings (step 7).

Every perturbed analysis is the study's own analysis as step 4 runs it, run end to end in parallel on the available cores and collected in a fixed order, so that the results do not depend on which process finished first. Two corrections of SetMethods are built in (`analysis/robustness/__init__.py` states every formula): a solution with several tied models counts as unchanged only if the *set of all its tied models* is unchanged (SetMethods compares the first model only), and minTS / maxTS are the minimum / maximum over *all* test solutions (SetMethods takes the first and the last). The solution compared is the intermediate one; when it has tied models, a case's membership in it is its membership in their union.

""" + NOTICE),
    parameters(*(("study", "out") + CUTS), extra=(
        'solution = "intermediate"  # the solution compared: intermediate (as SetMethods), complex or parsimonious',
        'ties = "union"  # membership in a solution with tied models: "union" of the models, or "first"',
        "workers = None  # parallel processes for the sweep; None: every available core")),
    opening(5, """from analysis.analyses import analyses
from analysis.report.canvas import save_figure
from analysis.report.notebook import record_table, show_figure, show_table, when
from analysis.report.tables import read_table, save_table
from analysis.robustness import Protocol
from analysis.robustness.claims import claim_shares
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

The alternatives named in the study file's `robustness:` section (the table above), whichever of these it names: anchors of every condition at other sample percentiles instead of the substantive anchors, other consistency, PRI and frequency cut-offs, each case dropped in turn, and qcaERT's subsamples, condition sets and random draws. The table shows the test solutions whose set of tied models differs from the initial solution's (all of them are in `tables/robustness_tests.csv`)."""),
    code("""tests = protocol.test_solutions()
show_table(tests.groupby("analysis", sort=False)["same_as_IS"].agg(tests="size", same_as_IS="sum").reset_index(),
           "robustness_tests_count")
show_table(tests[~tests["same_as_IS"]][["analysis", "test", "description", "models", "solution", "core"]].reset_index(drop=True),
           "robustness_changed")"""),
    md("""
## The measures, for every analysis

From the ranges and the test solutions, every measure of parts 3 to 5; the tables and figures below are written to `tables/` and `figures/`, and every analysis' memberships and measures to `robustness/<analysis>_memberships.csv` (case, Y, IS, TS1..TSk) and `robustness/<analysis>_fit.json`."""),
    code("""results = protocol.results()
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

A condition is *core* when it appears in every tied model of the parsimonious solution (Fiss 2011; the ledger's `core` check). For each core condition of each initial solution and each kind of test (calibration, cut-offs, case deletion, subsamples, condition sets, random draws), the share of that kind's test solutions in which it is still core (a test without a solution counts as "not core"; a test that leaves the condition out does not count). Counting per kind keeps many tests of one kind — a deletion of each case in turn — from outvoting a few of another, such as two cut-offs."""),
    code("""when(any(c["check"]["type"] == "stable_core" for c in S.claims),
     "The ledger's `stable_core` claims are checked against this table in step 7: each core condition must reach "
     "the claim's share in every kind.")"""),
    code("""show_table(core_stability_table(results), "core_stability")"""),
    md("""
## 6. The claims in every test solution

Each test solution is a complete re-analysis, so every claim of the study file can be judged in it by the ledger's own rule (`analysis.claims`: in every tied model; no solution counts against the claim), on the test's solutions for every outcome and on its memberships. A test that leaves out a condition a claim names cannot judge it, nor can any test judge a claim about the calibration at the published anchors or about the robustness tests themselves (`stable_core`): their cells are blank. The shares per kind of test are what the findings (step 7) report beside each claim's status at the study's settings."""),
    code("""claim_tests = protocol.claims(S.claims)
protocol.sweep.close()
save_table(claim_tests, R.out, "robustness_claims")
shares = claim_shares(claim_tests)
save_table(shares, R.out, "robustness_claim_shares")
show_table(shares.pivot(index="claim", columns="kind", values="share").reindex(columns=shares["kind"].unique())
           .reindex(index=shares["claim"].unique()).reset_index(), "robustness_claim_shares")"""),
]

STEPS["06_multiverse"] = [
    md("""
# Step 6 — The multiverse: every defensible choice at once

Step 5 tests the choices of the analysis one at a time, as the robustness protocol of Oana and Schneider (2024) and SetMethods do. But the choices interact: a consistency cut-off that is harmless with the study's anchors may flip a finding once a crossover moves as well. A *multiverse analysis* (Steegen, Tuerlinckx, Gelman & Vanpaemel 2016, *Perspectives on Psychological Science* 11(5)) runs **every combination** of the defensible choices and reports how often each finding survives; a *specification curve* (Simonsohn, Simmons & Nelson 2020, *Nature Human Behaviour* 4) shows the results of all of them at once.

The study file's `multiverse:` section names the choices and their plausible values: the anchors of every set (moved together, each set on its own), the consistency, PRI and frequency cut-offs, the cases (all, each left out in turn, seeded subsamples as in qcaERT) and the conditions (all, each left out in turn, theory-specific sets). Their combinations form a grid that grows multiplicatively; this notebook runs a seeded random sample of it (`size` in the study file), and `python -m analysis.multiverse --study <name> --full` runs the whole grid, in parallel on the local cores or on a Dask cluster (`--scheduler tcp://host:8786`), in chunks written to disk as they finish, so that an interrupted run resumes where it stopped. Every specification is the study's own analysis as step 4 runs it.

""" + NOTICE),
    parameters(*(("study", "out") + CUTS), extra=(
        "size = None  # specifications to run; None: the study file's multiverse size (a seeded sample of a larger grid)",
        "workers = None  # local processes; None: every core",
        'scheduler = None  # a Dask scheduler ("tcp://host:8786") or "local" for a LocalCluster; None: local processes')),
    opening(6, """from analysis.analyses import analyses
from analysis.multiverse import prepare, run_multiverse
from analysis.multiverse.claims_curve import claims_curve
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

For every claim of the study file and every core condition of the study's own solutions (step 4), the share of the specifications that can judge it in which it holds — by the ledger's own rule: in every tied model; a specification in which an outcome the claim is about has no solution counts against it, and `no_solution` says in how many that happened. A specification that leaves out a condition a finding names cannot judge it, and is not counted; claims about the calibration at the published anchors (`memberships`) or about the robustness tests themselves (`stable_core`) are judged at the study's settings only. A finding that holds in nearly every specification does not hang on the choices; one that holds in half of them is a finding about those choices."""),
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
## The specification curve of the claims

Beside the curve of the solutions' fit, the claims themselves: one bar per claim, ranked by the share of the specifications that judge it in which it holds, with the count, the study file's threshold of a robust claim (dashed), and the choice whose values move the claim's share most. A claim whose bar stops short of the line hangs on the choices named at its right."""),
    figure("""fig = claims_curve(summary.findings, summary.flips, robust=S.verdict.robust, specifications=summary.specifications)
save_figure(fig, R.out, "multiverse_claims")
show_figure(fig, "multiverse_claims")"""),
    md("""
## The whole multiverse

The sample above is what `make reproduce` runs. The whole grid, from the command line:

```
.venv/bin/python -m analysis.multiverse --study <study> --full                 # every core of this machine
.venv/bin/python -m analysis.multiverse --study <study> --full --scheduler tcp://host:8786   # a Dask cluster
```

Both write `results/<study>-multiverse-full/`: the chunks, these tables and the curve. The same specifications give byte-identical chunks on local cores and on a cluster; run the same command again after an interruption and it goes on from the last finished chunk."""),
]


STEPS["07_findings"] = [
    md("""
# Step 7 — Findings: how far each claim holds

The study file states the claims of the article it follows before the analysis, each with a check a computer can perform (`analysis.claims`), and says where each comes from (`basis`: the article's abstract, its text, a published result, or the compendium's *interpretation* of the article's words). This last step reads what steps 1 to 6 saved and says, for every claim:

1. its **status at the study's settings** (the ledger): a claim passes only if it holds in **every** tied model, and the evidence names each model's verdict;
2. how often it holds in the **robustness test solutions** of step 5, per kind of test (calibration, cut-offs, case deletion, subsamples, condition sets, random draws), so that 36 case deletions cannot outvote two cut-offs;
3. how often it holds in the **multiverse** of step 6, out of the specifications that can judge it (those without a solution for an outcome of the claim counted against it, and said);
4. its **verdict** by the rule the study file states (`verdict:`): *robust*, *fragile*, *fails* or *untested*.

A verdict at the study's settings never stands alone: the headline counts the claims that hold there and, of them, those that are robust. Nothing earlier is rewritten.

""" + NOTICE),
    parameters(*(("study", "out") + CUTS)),
    opening(7, """from analysis.analyses import analyses
from analysis.claims import ledger
from analysis.claims.verdicts import claim_verdicts, headline
from analysis.report.findings import Measured, findings, write_findings
from analysis.report.notebook import markdown_text, show_table
from analysis.report.tables import read_table, save_table
from analysis.robustness.claims import claim_shares""", CUTS),
    code("""study_analyses = analyses(S, P)
measured = Measured.read(R, study_analyses)
calibrated = read_table(R, "calibrated", index="case")"""),
    md("""
## 1. The claims ledger at the study's settings

Each claim checked against the solutions of step 4, the core stability of step 5 (for `stable_core` claims) and the memberships of step 2 (for `necessary`, `theory` and `memberships` claims)."""),
    code("""claims = ledger(S.claims, measured.documents, measured.stability, calibrated)
save_table(claims, R.out, "claims")
show_table(claims, "claims")"""),
    md("""
## 2. How far each claim holds

The shares of the robustness tests (per kind, from `tables/robustness_claims.csv`) and of the multiverse (from `multiverse.json`), and the verdict by the study file's rule:"""),
    code("""markdown_text(S.verdict.describe())"""),
    code("""shares = claim_shares(measured.claim_tests)
verdicts = claim_verdicts(claims, shares, measured.multiverse_findings, S.verdict)
save_table(verdicts, R.out, "verdicts")
show_table(verdicts, "verdicts")
markdown_text(f"**{headline(verdicts)}.**")"""),
    md("""
## Findings

`findings.md` and `findings.json` collect the headline, how far each claim holds (with the shares per kind of test and the choice that flips it most in the multiverse), the necessary conditions and expressions of step 3, what the enhanced standard analysis of step 4 changed, the robustness of every solution, every solution in brief, the thresholds, the checksum of the data file and the package versions of this run."""),
    code("""F = findings(S, P, measured, claims, verdicts, shares)
markdown_text(write_findings(F, R.out))"""),
]
