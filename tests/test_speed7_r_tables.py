"""Round 7 (helper R): ``save_table``'s shortcuts write the bytes of the plain code.

* the CSV (``tables._write_csv``: every column formatted in one pass, written by the csv module)
  equals ``_csv_ready(table).to_csv(...)``, pandas' writer, on random tables of every kind of
  column the notebooks write (floats with NaN, infinities and -0.0, integers, booleans, text with
  commas, quotes and line breaks, objects mixing them, pandas' text dtype with missing values)
  and on the kinds left to pandas (nullable integers, categories, column levels, no column, columns
  named by None or numbers);
* the Markdown and LaTeX files (every column's ``texts`` and ``is_numeric`` made once for both)
  equal ``markdown(table)`` and ``latex(table, ...)`` written alone, also for a table with
  ``attrs`` (dropped before writing); a table with a column name twice fails as it did.
"""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analysis.report import tables
from analysis.report.captions import item
from analysis.report.format import CSV_FLOAT

TEXTS = ["", "A", "~A*B", "a, b", 'say "x"', "two\nlines", "cr\rhere", " pad ", "50%", "é ● ⊗", "1.5", "nan"]
OBJECTS = [None, float("nan"), 0.5, -0.0, 3, True, np.float64(0.1234567), np.int64(7), ["A", "B"], ("x",), pd.NA,
           "t", "a,b", 'q"q', float("inf")]
FLOATS = [0.0, -0.0, 0.1234565, 1e-7, -2.5, 1e12, float("nan"), float("inf"), float("-inf"), 0.9999995]


def random_table(rng: random.Random, rows: int) -> pd.DataFrame:
    cols = {}
    for j in range(rng.randint(1, 6)):
        kind = rng.choice(["float", "int", "bool", "text", "object", "string", "float32"])
        name = rng.choice(["x", "", "a,b", 'q"', "col"]) + str(j)
        if kind == "float":
            cols[name] = pd.Series([rng.choice(FLOATS) if rng.random() < 0.5 else rng.uniform(-5, 5)
                                    for _ in range(rows)], dtype=float)
        elif kind == "float32":
            cols[name] = pd.Series([rng.uniform(0, 1) for _ in range(rows)], dtype=np.float32)
        elif kind == "int":
            cols[name] = pd.Series([rng.randint(-10**12, 10**12) for _ in range(rows)], dtype=np.int64)
        elif kind == "bool":
            cols[name] = pd.Series([rng.random() < 0.5 for _ in range(rows)], dtype=bool)
        elif kind == "text":
            cols[name] = pd.Series([rng.choice(TEXTS) for _ in range(rows)], dtype=object)
        elif kind == "object":
            cols[name] = pd.Series([rng.choice(OBJECTS + TEXTS) for _ in range(rows)], dtype=object)
        else:
            cols[name] = pd.Series([rng.choice(TEXTS + [None]) for _ in range(rows)], dtype="string")
    return pd.DataFrame(cols)


def plain_csv(table: pd.DataFrame, path) -> bytes:
    tables._csv_ready(table).to_csv(path, index=False, float_format=CSV_FLOAT, lineterminator="\n")
    return path.read_bytes()


@pytest.mark.parametrize("seed", range(8))
def test_csv_equals_pandas_on_random_tables(seed, tmp_path):
    rng = random.Random(seed)
    for i in range(12):
        table = random_table(rng, rng.choice([0, 1, 2, 7, 40]))
        fast = tmp_path / f"fast{i}.csv"
        tables._write_csv(table, fast)
        assert all(tables._csv_cells(table.iloc[:, j]) is not None for j in range(table.shape[1]))
        assert fast.read_bytes() == plain_csv(table, tmp_path / f"plain{i}.csv"), table.dtypes.to_dict()


def test_csv_of_a_single_empty_cell_and_an_empty_heading_is_quoted_as_pandas_does(tmp_path):
    table = pd.DataFrame({"": ["", "a", ""]})
    tables._write_csv(table, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == plain_csv(table, tmp_path / "plain.csv")
    assert (tmp_path / "fast.csv").read_bytes().startswith(b'""\n')


@pytest.mark.parametrize("table", [
    pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64"), "s": ["a", "b", "c"]}),
    pd.DataFrame({"c": pd.Categorical(["x", "y", "x"]), "v": [0.5, 1.0, float("nan")]}),
    pd.DataFrame([[1, 0.25]], columns=pd.MultiIndex.from_tuples([("a", "b"), ("a", "c")])),
    pd.DataFrame(index=range(3)),
    pd.DataFrame([[1, "a", 0.5]], columns=[None, 0, 1.5]),
], ids=["nullable", "category", "levels", "no-column", "names-not-text"])
def test_kinds_left_to_pandas_are_written_by_pandas(table, tmp_path):
    tables._write_csv(table, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == plain_csv(table, tmp_path / "plain.csv")


@pytest.mark.parametrize("seed", range(4))
def test_save_table_writes_what_each_writer_writes_alone(seed, tmp_path):
    rng = random.Random(100 + seed)
    for i in range(6):
        table = random_table(rng, rng.choice([0, 1, 5, 30]))
        if i == 1:
            table.attrs = {"block": "C1P1", "model": 1, "nested": {"a": [1, 2]}}
        fields = {"name": f"t{i}", "label": "Y", "suffix": "", "block": "C1P1", "model": 1}
        path = tables.save_table(table, tmp_path, "configurations", **fields)
        it = item("configurations", **fields)
        plain = table.reset_index(drop=True)
        assert path.read_bytes() == plain_csv(plain, tmp_path / "plain.csv")
        assert path.with_suffix(".md").read_bytes() == tables.markdown(plain).encode()
        assert path.with_suffix(".tex").read_bytes() == tables.latex(plain, it.file, it.caption).encode()
        assert table.attrs == ({"block": "C1P1", "model": 1, "nested": {"a": [1, 2]}} if i == 1 else {})


def test_save_table_with_the_index_as_a_column(tmp_path):
    table = pd.DataFrame({"A": [0.5, float("nan")], "cases": ["x, y", ""]}, index=pd.Index(["c1", "c,2"], name="case"))
    path = tables.save_table(table, tmp_path, "configurations", index=True, name="t", label="Y", suffix="", block="B",
                              model=1)
    assert path.read_bytes() == plain_csv(table.reset_index(), tmp_path / "plain.csv")
    assert path.read_text(encoding="utf-8").splitlines()[2] == 'c,2,,'.replace("c,2", '"c,2"')


def test_a_column_name_twice_fails_as_before(tmp_path):
    table = pd.DataFrame([[0.5, "a"]], columns=["same", "same"])
    with pytest.raises(AttributeError):
        tables._csv_ready(table)
    with pytest.raises(AttributeError):
        tables.save_table(table, tmp_path, "configurations", name="t", label="Y", suffix="", block="B", model=1)
