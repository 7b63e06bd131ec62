"""A chunk's Parquet file written from its rows' columns without the frame (issue 28, round 8)
is the file ``store.to_parquet`` writes of the frame, byte for byte.

``table.arrow_columns`` builds the Arrow table ``pyarrow.Table.from_pandas`` makes of
``table.frame`` (schema and pandas metadata included) and each column's row hashes;
``store.chunk_bytes`` takes the chunk's digest from them (``store._combined``: pandas'
``combine_hash_arrays``).  Held here on the three studies' rows, with every claim and core
column null, with no solution anywhere (zeros, NaN and empty strings), a chunk of one
specification and an empty one; a row holding a value of another type than its column's usual one
goes through the frame; a chunk written by the frame path is accepted by a resumed run's check.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from analysis.measures import build_measures
from analysis.multiverse import evaluate as ev, prepare, store, table
from analysis.multiverse.grid import sample
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]


def _evaluated(name: str, size: int, seed: int) -> tuple:
    """A study's universe, a sample of ``size`` specifications and their rows."""
    study = load_study(ROOT / "data" / name / "study.yml")
    u = prepare(study, build_measures(study, load_raw(study)), study.thresholds)
    numbers, _ = sample(u.grid, size, seed)
    return u, numbers, ev.evaluate_rows(u, numbers)


def _same(u, numbers, rows):
    """The Arrow table, the digest and the file from the columns equal the frame path's."""
    frame = table.frame(u, numbers, rows)
    columns = table.arrow_columns(u, numbers, rows)
    assert columns is not None
    assert columns.table.equals(pa.Table.from_pandas(frame, preserve_index=False), check_metadata=True)
    assert store._combined(zip(columns.table.schema.names, columns.dtypes), columns.hashes) == store._content(frame)
    tag = store.chunk_tag("set", 5, numbers)
    assert store.chunk_bytes(u, numbers, rows, tag) == store.to_parquet(frame, tag)
    assert store.chunk_bytes(u, numbers, rows) == store.to_parquet(frame)


def _kinds(u):
    width = len(table.columns(u)) - len(u.grid.choices) - 1
    return table._schema(u)[1][-width:]


def _variants(u, numbers, rows) -> list:
    """The rows as evaluated, a chunk of one specification, an empty one, every claim and core
    column null, no solution anywhere."""
    kinds = _kinds(u)
    nulls = [[None if k == "boolean" else v for v, k in zip(row, kinds)] for row in rows]
    empty = {"int64": 0, "float64": np.nan, "string": ""}
    unsolved = [[empty.get(k, v) for v, k in zip(row, kinds)] for row in rows]
    return [(numbers, rows), (numbers[:1], rows[:1]), (numbers[:0], []), (numbers, nulls), (numbers, unsolved)]


@pytest.mark.filterwarnings("ignore:.*exactly 0.5")
@pytest.mark.parametrize("name, size", [("lipset", 40), ("ppip", 20), ("pss", 15)])
def test_the_chunk_from_columns_is_the_frames_file(name, size):
    u, numbers, rows = _evaluated(name, size, 17)
    assert {"int64", "float64", "string", "boolean"} <= set(_kinds(u))
    assert any(v is None for row in rows for v in row)           # claims a specification cannot test
    for chunk in _variants(u, numbers, rows):
        _same(u, *chunk)


def test_the_strings_hashes_kept_across_chunks_are_cleared_past_the_limit(monkeypatch):
    u, numbers, rows = _evaluated("lipset", 30, 5)
    monkeypatch.setattr(table, "_HASHED", {})
    monkeypatch.setattr(table, "_HASHED_LIMIT", 10)
    _same(u, numbers[:15], rows[:15])
    assert len(table._HASHED) > table._HASHED_LIMIT           # one chunk's strings, kept whole
    _same(u, numbers[15:], rows[15:])           # past the limit: cleared, then these chunks' strings
    assert set(table._HASHED) == {v for row in rows[15:] for v in row if isinstance(v, str)} | {
        c.values[i] for c, column in zip(u.grid.choices, u.grid.decode(numbers[15:]).T) for i in column
        if isinstance(c.values[i], str)}


def test_other_types_go_through_the_frame_and_old_chunks_still_check(tmp_path):
    u, numbers, rows = _evaluated("lipset", 12, 3)
    kinds = _kinds(u)
    flag, text = kinds.index("boolean"), kinds.index("string")
    odd = [list(row) for row in rows]
    odd[0][flag] = np.True_                        # pandas' boolean array takes it; the columns path does not
    odd[1][text] = np.str_(odd[1][text])
    assert table.arrow_columns(u, numbers, odd) is None
    tag = store.chunk_tag("set", 0, numbers)
    assert store.chunk_bytes(u, numbers, odd, tag) == store.to_parquet(table.frame(u, numbers, odd), tag)
    old = store.to_parquet(table.frame(u, numbers, rows), tag)      # a chunk the frame path wrote
    assert store.chunk_bytes(u, numbers, rows, tag) == old
    store.chunk_path(tmp_path, 0).parent.mkdir()
    store.write_chunk(tmp_path, 0, old)
    store.check_chunk(tmp_path, 0, "set", numbers)             # raises if the chunk does not check
