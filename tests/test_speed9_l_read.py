"""A chunk's digest is checked from its Arrow table's columns (``table.read_hashes``), equal to
the digest of the frame it reads back as (``store._content``), and a table that is not a chunk's
kind of table falls back to the frame's own hashes."""
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.measures import build_measures
from analysis.multiverse import run_multiverse, store
from analysis.multiverse.settings import read_multiverse
from analysis.multiverse.table import read_hashes
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"anchor_shifts": [-0.03, 0, 0.03], "incl_cut": [0.75, 0.8], "n_cut": [1, 2],
            "cases": {"leave_one_out": True}, "size": 40, "seed": 5, "chunk": 20}


@pytest.fixture(scope="module")
def chunks(tmp_path_factory):
    study = load_study(ROOT / "data" / "lipset" / "study.yml")
    study = replace(study, multiverse=read_multiverse(SETTINGS, "test", study.conditions, study.sets))
    mv = run_multiverse(study, build_measures(study, load_raw(study)), study.thresholds,
                        tmp_path_factory.mktemp("mv") / "mv", workers=1, progress=False)
    return sorted((mv.folder / "chunks").glob("*.parquet"))


def _digest_of_arrow(table):
    types, hashes = read_hashes(table)
    return store._combined(zip(table.schema.names, types), hashes)


def test_the_arrow_digest_is_the_frames(chunks):
    assert len(chunks) == 2
    for path in chunks:
        table = pq.read_table(path)
        kinds = {str(t) for t in table.to_pandas().dtypes}
        assert kinds == {"int64", "float64", "string", "boolean"}       # every kind of column is there
        assert any(table.column(i).null_count for i in range(table.num_columns))     # and missing values
        assert _digest_of_arrow(table) == store._content(table.to_pandas())
        assert _digest_of_arrow(table) == store._tag(path, table.schema.metadata)["content"]


def test_a_changed_value_changes_the_arrow_digest(chunks):
    table = pq.read_table(chunks[0])
    for i in range(table.num_columns):
        column = table.column(i).combine_chunks()
        values = column.to_pylist()
        j = next((k for k, v in enumerate(values) if v is not None), None)
        if j is None:
            continue
        v = values[j]
        values[j] = (not v) if isinstance(v, bool) else v + ("x" if isinstance(v, str) else 1)
        changed = table.set_column(i, table.field(i), pa.array(values, type=column.type))
        assert _digest_of_arrow(changed) != _digest_of_arrow(table), table.field(i).name


def test_other_tables_fall_back_to_the_frames_hashes():
    frame = pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": pd.array(["x", None], dtype="string"),
                          "c": np.array([1.5, np.nan])})
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert read_hashes(table) is None                     # Int64 is no chunk's kind of column
    strings = pa.Table.from_pandas(frame[["b", "c"]], preserve_index=False)
    assert read_hashes(strings) is None                   # a string column with a missing value
    numbers = pa.Table.from_pandas(frame[["c"]], preserve_index=False)
    assert _digest_of_arrow(numbers) == store._content(numbers.to_pandas())
