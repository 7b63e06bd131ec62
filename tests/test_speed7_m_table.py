"""A chunk's typed frame built a column at a time, and its Parquet file written once, equal the
plain path (issue 28, round 7).

``analysis.multiverse.table.frame`` builds each column in its type; the plain path builds a
frame of Python objects and converts it (``astype(column_types(u))``).  ``store.to_parquet`` takes the digest of
the rows from the frame itself; the plain path wrote the file, read it back and took the digest of
what it read, then wrote the file again with the digest.  Held here on the three studies' rows,
with columns that are all null, a chunk of one specification and an empty one: the same frame,
value for value and type for type, and the same Parquet bytes.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.measures import build_measures
from analysis.multiverse import evaluate as ev, prepare, store, table
from analysis.multiverse.grid import sample
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]


def _universe(name):
    study = load_study(ROOT / "data" / name / "study.yml")
    return prepare(study, build_measures(study, load_raw(study)), study.thresholds)


def _plain_frame(u, numbers, rows):
    """The frame of Python objects, converted to the column types afterwards."""
    numbers = np.asarray(numbers, dtype=np.int64)
    idx = u.grid.decode(numbers)
    names = table.columns(u)
    data = {"spec": numbers}
    for j, c in enumerate(u.grid.choices):
        data[c.name] = [c.values[i] for i in idx[:, j]]
    width = len(u.grid.choices) + 1
    for name, values in zip(names[width:], zip(*rows) if rows else [()] * (len(names) - width)):
        data[name] = list(values)
    return pd.DataFrame(data, columns=names).astype(table.column_types(u))


def _plain_parquet(frame, tag):
    """Written, read back, the digest of what was read, written again with it."""
    tab = pa.Table.from_pandas(frame, preserve_index=False)
    plain = store._parquet(tab)
    tag = {**tag, "content": store._content(pq.read_table(io.BytesIO(plain)).to_pandas())}
    return store._parquet(tab.replace_schema_metadata({**(tab.schema.metadata or {}),
                                                       store.TAG: json.dumps(tag, sort_keys=True).encode()}))


def _same(u, numbers, rows):
    new, old = table.frame(u, numbers, rows), _plain_frame(u, numbers, rows)
    assert list(new.dtypes.astype(str)) == list(old.dtypes.astype(str))
    for col in old.columns:
        pd.testing.assert_series_equal(new[col], old[col], check_exact=True, obj=col)
    assert new.equals(old)
    back = pq.read_table(io.BytesIO(store.to_parquet(new))).to_pandas()
    assert store._content(new) == store._content(back)
    tag = store.chunk_tag("set", 3, numbers)
    assert store.to_parquet(new, tag) == _plain_parquet(old, tag)
    assert store.to_parquet(new) == store._parquet(pa.Table.from_pandas(old, preserve_index=False))


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
@pytest.mark.parametrize("name, size", [("lipset", 60), ("ppip", 60), ("pss", 40)])
def test_the_typed_frame_and_its_parquet_are_the_plain_paths(name, size):
    u = _universe(name)
    numbers, _ = sample(u.grid, size, 11)
    rows = ev.evaluate_rows(u, numbers)
    _same(u, numbers, rows)
    _same(u, numbers[:1], rows[:1])
    _same(u, numbers[:0], [])
    width = len(table.columns(u)) - len(u.grid.choices) - 1
    kinds = table._schema(u)[1][-width:]
    nulls = [[None if k == "boolean" else v for v, k in zip(row, kinds)] for row in rows]
    assert any(k == "boolean" for k in kinds)
    _same(u, numbers, nulls)                         # every claim and core column null
    errors = [[0 if k == "int64" else np.nan if k == "float64" else "" if k == "string" else v
               for v, k in zip(row, kinds)] for row in rows]
    _same(u, numbers, errors)                        # no solution anywhere
