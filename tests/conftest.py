import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "tests" / "fixtures" / "reference"
STUDY = ROOT / "data" / "ppip" / "study.yml"
CSV = ROOT / "data" / "ppip" / "raw" / "cases.csv"
CONDITIONS = ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"]


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
