"""Random raw-data CSVs and parameters thrown at the study loader and the pipeline's validation:
a correct result or one clean error (``INPUT_ERRORS``), never any other exception."""
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analysis.errors import INPUT_ERRORS
from analysis import pipeline
from analysis.parameters import THRESHOLDS, parse_sets
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
STUDY = load_study(ROOT / "data" / "ppip" / "study.yml")
LINES = (ROOT / "data" / "ppip" / "raw" / "cases.csv").read_text().splitlines()
HEADER = LINES[0].split(",")

CELL = st.sampled_from(["", "x", "NA", "nan", "inf", "-1", "1e3", "4.5", "4,5", " 3 ", "0", "7", "101", '"5"', "é"])


@st.composite
def raw_csv(draw):
    rows = [line.split(",") for line in LINES[1:draw(st.integers(1, len(LINES)))]]
    header = list(HEADER)
    for _ in range(draw(st.integers(0, 4))):          # damage a few cells, ids or the header
        kind = draw(st.sampled_from(["cell", "cell", "id", "header", "drop", "ragged"]))
        if kind == "cell" and rows:
            r, c = draw(st.integers(0, len(rows) - 1)), draw(st.integers(1, len(header) - 1))
            if c < len(rows[r]):
                rows[r][c] = draw(CELL)
        elif kind == "id" and rows:
            rows[draw(st.integers(0, len(rows) - 1))][0] = draw(st.sampled_from(["", "H01", " ", "H99"]))
        elif kind == "header":
            header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(["", "case", "x", "norms_trust"]))
        elif kind == "drop" and len(header) > 1:
            c = draw(st.integers(0, len(header) - 1))
            header.pop(c)
            rows = [r[:c] + r[c + 1:] for r in rows]
        elif kind == "ragged" and rows:
            rows[-1] = rows[-1][:-1] if draw(st.booleans()) else rows[-1] + ["1"]
    return "\n".join(",".join(r) for r in [header] + rows) + "\n"


@given(raw_csv())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_load_raw_gives_checked_data_or_one_clean_error(tmp_path, text):
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = load_raw(STUDY, path)
    except INPUT_ERRORS as e:
        event("error")
        assert "\n" not in str(e).strip() and "cases.csv" in str(e)
        return
    event("loaded")
    assert len(data) >= 1 and data.index.is_unique and data.index.name == "case"
    assert all(dtype == float for dtype in data.dtypes) and np.isfinite(data.to_numpy()).all()
    for name in STUDY.conditions + STUDY.outcomes:
        lo, hi = STUDY.measures[name].range
        assert data[STUDY.measures[name].indicators].stack().between(lo, hi).all()


VALUE = st.one_of(st.sampled_from(["0.8", "1", "0", "-1", "1.5", "x", "", "nan", "inf", "1e-9", "2", "36", "37"]),
                  st.floats(allow_nan=True, allow_infinity=True).map(str), st.integers(-5, 50).map(str))
NAME = st.sampled_from(list(THRESHOLDS) + ["incl", "n-cut", "", "INCL_CUT"])


@given(st.lists(st.tuples(NAME, VALUE, st.booleans()), max_size=4), raw_csv())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_validation_gives_parameters_or_one_clean_error(tmp_path, sets, text):
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    items = [f"{n}={v}" if eq else f"{n}{v}" for n, v, eq in sets]
    try:
        study, parameters = pipeline.validate(STUDY.path, path, parse_sets(items))
    except INPUT_ERRORS as e:
        event("error")
        assert "\n" not in str(e).strip()
        return
    event("valid")
    assert 0.5 <= parameters["incl_cut"] <= 1 and 0 <= parameters["pri_cut"] <= 1
    assert isinstance(parameters["n_cut"], int) and parameters["n_cut"] >= 1
    assert pd.read_csv(path).shape[0] >= parameters["n_cut"]
