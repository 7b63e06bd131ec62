"""Every share the findings report, recounted from the run's own files (issue 24).

For each study, one default run (``study_runs``); then, without the compendium's summarising
code, from what the run wrote:

- the multiverse: each claim's ``judged``, ``holds`` and ``no_solution`` from the Parquet chunks
  (``multiverse/chunks/*.parquet``: a claim column is empty where a specification cannot judge
  it; an analysis without a solution has 0 models);
- the robustness tests: each claim's ``holds`` and ``judged`` per kind of test and over all
  tests from ``tables/robustness_claims.csv``, and, for the ``core`` claims, the verdict itself
  from the core conditions of each test solution in ``tables/robustness_tests.csv``;
- the verdict of each claim by the rule the study file states, and the headline.
"""
import json

import pandas as pd
import pytest

from analysis.studyfile import load_study

from conftest import ROOT

pytestmark = pytest.mark.slow      # runs whole studies

STUDIES = ["ppip", "lipset", "pss"]


@pytest.fixture(scope="module", params=[pytest.param(s, marks=pytest.mark.xdist_group(s)) for s in STUDIES])
def run(request, study_runs):      # a study's tests in the process that makes its run (make test's -n 2)
    out = study_runs(request.param)
    study = load_study(ROOT / "data" / request.param / "study.yml")
    return study, out, json.loads((out / "findings.json").read_text())


def _key(name: str) -> str:
    return "not" + name[1:] if name.startswith("~") else name


def _about(check) -> list:
    names = check.get("outcomes") or [check.get("outcome")]
    return [_key(n) for n in ([names] if isinstance(names, str) else names) if n]


def test_multiverse_shares_recount_from_the_chunks(run):
    study, out, f = run
    chunks = sorted((out / "multiverse" / "chunks").glob("*.parquet"))
    assert chunks, "the run wrote no multiverse chunks"
    frame = pd.concat([pd.read_parquet(p) for p in chunks], ignore_index=True)
    assert len(frame) == f["multiverse"]["specifications"] == frame["spec"].nunique()
    for claim, c in zip(study.claims, f["claims"]):
        column = frame[f"claim: {claim['id']}"]
        judged = column.notna()
        assert c["multiverse"]["judged"] == int(judged.sum()), claim["id"]
        assert c["multiverse"]["holds"] == int((column == True).sum()), claim["id"]   # noqa: E712
        solution_kinds = {"core", "appears", "peripheral", "consistency", "contains", "combines", "equifinality",
                          "conjunctural", "solution", "theory"}
        if claim["check"]["type"] in solution_kinds:
            models = frame[[f"{a}: models" for a in _about(claim["check"])]]
            none = (models == 0).any(axis=1)
            assert c["multiverse"]["no_solution"] == int((judged & none).sum()), claim["id"]
        else:
            assert c["multiverse"]["no_solution"] == 0
        if c["multiverse"]["judged"]:
            assert c["multiverse"]["share"] == pytest.approx(c["multiverse"]["holds"] / c["multiverse"]["judged"],
                                                             abs=5e-7)


def _flags(column: pd.Series) -> pd.Series:
    """"True", "False" or "NA" for each cell of a CSV column of booleans with blanks."""
    return column.map(lambda v: {True: "True", False: "False", "True": "True", "False": "False"}.get(v, "NA"))


def test_robustness_shares_recount_from_the_tables(run):
    study, out, f = run
    table = pd.read_csv(out / "tables" / "robustness_claims.csv", dtype={"claim": str})
    tests = pd.read_csv(out / "tables" / "robustness_tests.csv", keep_default_na=False)
    n_tests = tests["test"].nunique()
    assert table.groupby("claim").size().eq(n_tests).all()          # every claim in every test
    for claim, c in zip(study.claims, f["claims"]):
        mine = table[table["claim"] == str(claim["id"])]
        holds = _flags(mine["holds"])
        assert c["robustness"]["judged"] == int((holds != "NA").sum()), claim["id"]
        assert c["robustness"]["holds"] == int((holds == "True").sum()), claim["id"]
        by_kind = {k["kind"]: (k["holds"], k["judged"]) for k in c["robustness"]["by_kind"]}
        for kind, part in mine.groupby("kind"):
            h = _flags(part["holds"])
            assert by_kind[kind] == (int((h == "True").sum()), int((h != "NA").sum())), (claim["id"], kind)
        check = claim["check"]
        if check["type"] == "core" and check.get("expect", True) and not check["condition"].startswith("~"):
            # a core claim holds in a test iff the condition is core in every outcome's test solution
            labels = {_key(o): o for o in _about(check)}
            core = tests[tests["analysis"].isin(list(labels.values()) + list(labels))]
            verdict = core.groupby("test")["core"].apply(
                lambda cs: all(check["condition"] in [x.strip() for x in str(v).split(",")] for v in cs))
            judged = (holds != "NA").to_numpy()
            expected = verdict.reindex(mine["test"]).to_numpy()
            assert (holds.to_numpy()[judged] == expected[judged].astype(str)).all(), claim["id"]


def test_verdicts_follow_the_study_files_rule(run):
    study, out, f = run
    robust = study.verdict.robust
    assert f["verdict_rule"]["robust"] == robust
    for c in f["claims"]:
        shares = [(k["holds"], k["judged"]) for k in c["robustness"]["by_kind"] if k["judged"]]
        if c["multiverse"].get("judged"):
            shares.append((c["multiverse"]["holds"], c["multiverse"]["judged"]))
        if c["status"] != "pass":
            expected = "fails"
        elif not shares:
            expected = "untested"
        else:
            expected = "robust" if all(h / j >= robust for h, j in shares) else "fragile"
        assert c["verdict"] == expected, c["id"]
    passed = sum(c["status"] == "pass" for c in f["claims"])
    robust_n = sum(c["verdict"] == "robust" for c in f["claims"])
    assert f["headline"].startswith(f"{passed} of {len(f['claims'])} claims hold at the defaults; {robust_n} of them")
    md = (out / "findings.md").read_text()
    assert md.index("## Headline") < md.index("## How far each claim holds") < md.index("## Solutions")
    assert f"**{f['headline']}.**" in md
