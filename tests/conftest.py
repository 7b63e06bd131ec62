import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "tests" / "fixtures" / "reference"
STUDY = ROOT / "data" / "ppip" / "study.yml"
CSV = ROOT / "data" / "ppip" / "raw" / "cases.csv"
CONDITIONS = ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"]


TOL = 1e-6


def term_key(term):
    """A conjunction as a set of literals: 'DEV*~IND' -> {'DEV', '~IND'}."""
    return frozenset(term.replace(" ", "").split("*"))


def models_by_key(block):
    """{model as a set of terms: its fit record} for a solution (a list of blocks too)."""
    blocks = block if isinstance(block, list) else [block]
    out = {}
    for b in blocks:
        fits = {frozenset(map(term_key, f["model"])): f for f in b["fits"]}
        for m in b["models"]:
            key = frozenset(map(term_key, m))
            out[key] = fits[key]
    return out


def assert_truth_table_and_necessity_equal(ref, got):
    """The observed rows (OUT, n, cases, incl, PRI) and the necessity scores, to ``TOL``."""
    rows = {r["row"]: r for r in got["truth_table"] if r["n"] > 0}
    assert set(rows) == {r["row"] for r in ref["truth_table"]}
    for r in ref["truth_table"]:
        g = rows[r["row"]]
        assert (g["OUT"], g["n"], sorted(g["cases"])) == (r["OUT"], r["n"], sorted(r["cases"]))
        assert g["incl"] == pytest.approx(r["incl"], abs=TOL)
        assert g["PRI"] == pytest.approx(r["PRI"], abs=TOL)
    nec = {n["condition"]: n for n in got["necessity"]}
    for n in ref["necessity"]:
        for k in ("inclN", "RoN", "covN"):
            assert nec[n["condition"]][k] == pytest.approx(n[k], abs=TOL), (n["condition"], k)


def assert_solution_equal(ref, got, fits=True):
    """Every tied model of a solution, and (with ``fits``) every parameter of fit, to ``TOL``."""
    want, have = models_by_key(ref), models_by_key(got)
    assert set(have) == set(want)
    for key, rf in (want.items() if fits else ()):
        gf = have[key]
        for k in ("inclS", "PRI", "covS"):
            assert gf[k] == pytest.approx(rf[k], abs=TOL)
        terms = {term_key(t["term"]): t for t in gf["terms"]}
        for rt in rf["terms"]:
            for k in ("inclS", "PRI", "covS", "covU"):
                if rt.get(k) is not None:          # R gives no covU for a model of one term
                    assert terms[term_key(rt["term"])][k] == pytest.approx(rt[k], abs=TOL), (rt["term"], k)


def load_dataset(name: str) -> pd.DataFrame:
    df = pd.read_csv(REF / "datasets" / name)
    return df.set_index(df.columns[0])


@pytest.fixture(scope="session")
def specs():
    return json.loads((REF / "specs.json").read_text())


@pytest.fixture(scope="session")
def lipset():
    return load_dataset("LF.csv")


@pytest.fixture(scope="session")
def study():
    """The PPIP study file, loaded."""
    from analysis.studyfile import load_study
    return load_study(STUDY)


@pytest.fixture(scope="session")
def raw(study):
    """The PPIP raw data, checked against the codebook."""
    from analysis.rawdata import load_raw
    return load_raw(study)


@pytest.fixture(scope="session")
def measures(study, raw):
    """The PPIP measures (the mean of each measure's indicators)."""
    from analysis.measures import build_measures
    return build_measures(study, raw)


def readme_findings(study: str) -> str:
    """The README's copy of a study's findings in brief (between its two markers)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = f"<!-- findings: {study} -->\n", f"<!-- /findings: {study} -->"
    assert start in text and end in text, f"README has no findings block for {study}"
    return text[text.index(start) + len(start):text.index(end)]
