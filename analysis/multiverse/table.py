"""A chunk's rows as a typed frame: the columns of a specification row, their fixed types, and
the frame built a column at a time in those types.

Every chunk has the same schema (``column_types``): ``int64`` for the specification number, the
``n_cut`` choice and the tied models, ``float64`` for the anchors, the other cut-offs and the fits,
``string`` for the cases and conditions choices and the models' text, ``boolean`` (nullable)
for the claims and core conditions.  ``frame`` builds each column directly in its type
(``numpy.array``, ``pandas.array``) from the rows ``evaluate_rows`` gives; it is the frame that
``pandas.DataFrame(rows).astype(column_types(u))`` gives, value for value and type for type
(``tests/test_speed7_m_table.py``), without the frame of Python objects and its conversions
(three quarters of the time a chunk took in the process that writes it).

``arrow_columns`` builds the same columns as Arrow arrays (the table ``pyarrow.Table.from_pandas``
makes of ``frame``, with its pandas metadata, made once per universe) and each column's row hashes
(``pandas.util.hash_array``, what ``pandas.util.hash_pandas_object`` combines), a block of
columns of one type at a time, without the frame: what the process that writes the chunks needs
(``store.chunk_bytes``).  It takes the rows' values in their usual Python types only (``int``,
``float``, ``str``; ``bool`` or ``None`` for a boolean column) and returns ``None`` for anything
else, which then goes through ``frame`` (``tests/test_speed8_w_arrow.py`` holds both equal).
"""
from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ..bounded import make_room
from ..qca import term_string

__all__ = ["ArrowColumns", "arrow_columns", "column_types", "columns", "frame", "read_hashes"]

_TYPES = weakref.WeakKeyDictionary()       # universe -> (columns, their types)
_ARROW = weakref.WeakKeyDictionary()       # universe -> (Arrow schema, column positions of each type)
_NA_HASH = hash(pd.NA)                     # a boolean column's hash of a missing value (pandas' BooleanArray)
_HASHED: dict = {}                         # a string -> its pandas.util.hash_array (_string_hashes)
_HASHED_LIMIT = 50_000
#: the Arrow type a column of each kind is stored in
_STORED = {"int64": pa.types.is_int64, "float64": pa.types.is_float64, "boolean": pa.types.is_boolean,
           "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t)}
_READ_TYPES: dict = {}                     # a chunk's schema (no metadata), its pandas metadata -> column types


def columns(u) -> list:
    """The columns of a result row, in order."""
    out = ["spec"] + [c.name for c in u.grid.choices]
    for a in u.analyses:
        out += [f"{a.name}: {k}" for k in ("models", "inclS", "covS", "solution", "parsimonious")]
    out += [f"claim: {i}" for i in u.claim_ids]
    out += [f"core: {name}: {term_string((lit,))}" for name, lit in u.core]
    return out


def column_types(u) -> dict:
    """Each column's type (fixed, so that every chunk has the same schema)."""
    types = {"spec": "int64"}
    for c in u.grid.choices:
        types[c.name] = "int64" if c.target == "n_cut" else "float64" if c.kind in ("anchors", "cut") else "string"
    for a in u.analyses:
        types.update({f"{a.name}: models": "int64", f"{a.name}: inclS": "float64", f"{a.name}: covS": "float64",
                      f"{a.name}: solution": "string", f"{a.name}: parsimonious": "string"})
    for col in columns(u):
        if col.startswith(("claim: ", "core: ")):
            types[col] = "boolean"
    return types


def _schema(u) -> tuple:
    """``columns(u)`` and their types in that order (made once per universe)."""
    if u not in _TYPES:
        names = columns(u)
        types = column_types(u)
        _TYPES[u] = (names, [types[n] for n in names])
    return _TYPES[u]


def _column(values, kind: str):
    """One column in its type: numpy for int64 and float64, pandas' arrays for string and boolean."""
    if kind in ("int64", "float64"):
        return np.array(values, dtype=kind)
    return pd.array(values, dtype=kind)


def frame(u, numbers, rows: list) -> pd.DataFrame:
    """The typed frame of the specifications ``numbers`` and their ``evaluate_rows``."""
    numbers = np.asarray(numbers, dtype=np.int64)
    idx = u.grid.decode(numbers)
    names, kinds = _schema(u)
    data = [numbers.copy()]
    for j, c in enumerate(u.grid.choices):
        data.append([c.values[i] for i in idx[:, j]])
    width = len(u.grid.choices) + 1
    data += [list(values) for values in zip(*rows)] if rows else [[] for _ in names[width:]]
    return pd.DataFrame({n: _column(v, t) for n, v, t in zip(names, data, kinds)}, columns=names)


@dataclass(frozen=True)
class ArrowColumns:
    """A chunk's columns: ``table``, what ``pyarrow.Table.from_pandas(frame(...), preserve_index=False)``
    gives (schema and pandas metadata included); ``hashes`` (columns x rows, ``uint64``), each
    column's ``pandas.util.hash_array`` as ``hash_pandas_object`` takes it of the frame's column;
    ``dtypes``, the frame's column types as ``str`` gives them."""

    table: pa.Table
    hashes: np.ndarray
    dtypes: tuple


def _arrow_schema(u) -> tuple:
    """The Arrow schema of a chunk (``from_pandas`` of an empty frame: the same fields and pandas
    metadata as any chunk's) and the positions of the columns of each type (made once per universe)."""
    if u not in _ARROW:
        names, kinds = _schema(u)
        schema = pa.Table.from_pandas(frame(u, [], []), preserve_index=False).schema
        at = {k: np.array([i for i, t in enumerate(kinds) if t == k], dtype=np.intp)
              for k in ("int64", "float64", "string", "boolean")}
        _ARROW[u] = (schema, at)
    return _ARROW[u]


def _string_hashes(strings: list) -> np.ndarray:
    """``pandas.util.hash_array`` of each string (pandas hashes a string column's distinct values
    and takes each row's: the same per value), each string hashed once in this process (kept for
    the next chunks, at most ``_HASHED_LIMIT`` of them: the models' texts recur)."""
    new = [v for v in dict.fromkeys(strings) if v not in _HASHED]
    if len(_HASHED) + len(new) > _HASHED_LIMIT:
        _HASHED.clear()
        new = list(dict.fromkeys(strings))
    if new:
        _HASHED.update(zip(new, pd.util.hash_array(np.array(new, dtype=object), categorize=False).tolist()))
    return np.fromiter(map(_HASHED.__getitem__, strings), dtype=np.uint64, count=len(strings))


def _numeric(columns: list, kind: str, n: int) -> tuple:
    """Columns of ``int64`` or ``float64`` as one Arrow array (each a slice of it; a float NaN is
    a null, as ``from_pandas`` makes it) and their hashes."""
    block = np.array(columns, dtype=kind).reshape(len(columns), n).ravel()
    return pa.array(block, from_pandas=True), pd.util.hash_array(block)


def _strings(columns: list, kind, n: int) -> tuple:
    values = [v for column in columns for v in column]
    return pa.array(values, type=kind), _string_hashes(values)


def _flags(columns: list, n: int) -> tuple:
    """Boolean columns of ``True``, ``False`` and ``None`` (missing) as one Arrow array and their
    hashes (pandas' ``BooleanArray``: the hash of the value, ``hash(pd.NA)`` where missing)."""
    block = np.array(columns, dtype=np.float64).reshape(len(columns), n).ravel()    # None -> NaN
    missing, truth = np.isnan(block), block == 1.0
    return pa.array(truth, mask=missing, type=pa.bool_()), _flag_hashes(truth, missing)


def _flag_hashes(truth: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """A boolean column's hashes as pandas' ``BooleanArray`` takes them: the value's
    ``pandas.util.hash_array``, ``hash(pd.NA)`` where ``missing``."""
    hashes = pd.util.hash_array(truth)
    hashes[missing] = _NA_HASH
    return hashes


def arrow_columns(u, numbers, rows: list) -> ArrowColumns | None:
    """``frame(u, numbers, rows)`` as Arrow arrays and row hashes (module docstring), or ``None``
    when a string column holds a value that is not a ``str`` or a boolean column one that is not a
    ``bool`` or ``None`` (``pandas.array`` would convert it: ``frame`` then)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    idx = u.grid.decode(numbers)
    names, kinds = _schema(u)
    schema, at = _arrow_schema(u)
    data = [numbers] + [[c.values[i] for i in idx[:, j]] for j, c in enumerate(u.grid.choices)]
    data += list(zip(*rows)) if rows else [()] * (len(names) - len(data))
    n = len(numbers)
    picked = {kind: [data[i] for i in at[kind]] for kind in at}
    if not (set(map(type, itertools.chain.from_iterable(picked["string"]))) <= {str}
            and set(map(type, itertools.chain.from_iterable(picked["boolean"]))) <= {bool, type(None)}):
        return None
    blocks = {"int64": _numeric(picked["int64"], "int64", n), "float64": _numeric(picked["float64"], "float64", n),
              "string": _strings(picked["string"], schema.field(int(at["string"][0])).type if len(at["string"]) else
                                 None, n), "boolean": _flags(picked["boolean"], n)}
    arrays, hashes = [None] * len(names), np.empty((len(names), n), dtype=np.uint64)
    for kind, (flat, hashed) in blocks.items():
        hashes[at[kind]] = hashed.reshape(len(at[kind]), n)
        for k, i in enumerate(at[kind]):
            arrays[i] = flat.slice(k * n, n)
    return ArrowColumns(pa.Table.from_arrays(arrays, schema=schema), hashes, tuple(kinds))


def _read_types(table: pa.Table) -> tuple:
    """The column types ``table.to_pandas()`` gives (as ``str`` gives them), from its schema and
    pandas metadata (the same for every chunk of a multiverse: found once, from an empty table)."""
    key = (table.schema.remove_metadata(), (table.schema.metadata or {}).get(b"pandas"))
    if key not in _READ_TYPES:
        make_room(_READ_TYPES, 64)
        _READ_TYPES[key] = tuple(str(t) for t in table.schema.empty_table().to_pandas().dtypes)
    return _READ_TYPES[key]


def _block_hashes(columns: list, kind: str) -> np.ndarray | None:
    """``pandas.util.hash_array`` of the columns of one kind of a chunk read back, one after the
    other, as ``hash_pandas_object`` takes it of the frame's columns (``_numeric``, ``_strings``,
    ``_flags``), or ``None`` when a column is not stored as a chunk's column of that kind is."""
    if not all(_STORED[kind](c.type) for c in columns):
        return None
    block = pa.chunked_array([a for c in columns for a in c.chunks], type=columns[0].type)
    if kind in ("int64", "float64") and (kind == "float64" or not block.null_count):
        return pd.util.hash_array(block.to_numpy())                # a null: NaN, as to_pandas gives it
    if kind == "string" and not block.null_count:
        coded = block.combine_chunks().dictionary_encode()
        return _string_hashes(coded.dictionary.to_pylist())[coded.indices.to_numpy()]
    if kind == "boolean":
        return _flag_hashes(block.fill_null(False).to_numpy(), block.is_null().to_numpy())
    return None


def read_hashes(table: pa.Table) -> tuple | None:
    """A chunk read back (``pyarrow.parquet.read_table``): its columns' types as ``to_pandas``
    gives them, and each column's row hashes (columns x rows), without the frame; ``None`` when a
    column is of another type than a chunk's (then the frame's own hashes are taken).

    What ``store`` checks a chunk's digest with, equal to the hashes of ``table.to_pandas()``
    (``tests/test_speed9_l_read.py``): hashing the frame was a third of reading a chunk back.
    """
    types = _read_types(table)
    if not set(types) <= set(_STORED):
        return None
    hashes = np.empty((table.num_columns, table.num_rows), dtype=np.uint64)
    for kind in set(types):
        at = [i for i, t in enumerate(types) if t == kind]
        block = _block_hashes([table.column(i) for i in at], kind)
        if block is None:
            return None
        hashes[at] = block.reshape(len(at), table.num_rows)
    return types, hashes
