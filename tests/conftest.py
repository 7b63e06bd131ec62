import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "tests" / "fixtures" / "reference"


def load_dataset(name: str) -> pd.DataFrame:
    df = pd.read_csv(REF / "datasets" / name)
    return df.set_index(df.columns[0])


@pytest.fixture(scope="session")
def specs():
    return json.loads((REF / "specs.json").read_text())


@pytest.fixture(scope="session")
def lipset():
    return load_dataset("LF.csv")
