"""The multiverse on disk: one Parquet file per chunk of specifications, and a manifest.

A run of millions of specifications cannot be held in memory, and may be interrupted.  So the
specifications are cut into chunks (``settings.chunk`` each, in the order of their numbers),
each chunk is written to ``chunks/chunk-NNNNNN.parquet`` as soon as it is done (written to a
temporary name, then renamed: a file that exists is complete), and ``manifest.json`` records
what the folder holds: the grid, the specification numbers (every one, or the seeded sample),
the chunk size and a fingerprint of the inputs.  A second run into the same folder with the same
manifest skips the chunks already written (it *resumes*); with another manifest it stops with an
error rather than mixing two multiverses.

Every chunk carries, in its Parquet file metadata (``compendium.multiverse``), the fingerprint of
its specification set (``set_fingerprint``: the SHA-256 of the manifest: grid, sample, chunk
size, seed, inputs), its number, the numbers of its specifications (first, count and their
SHA-256) and the digest of its rows as they read back (``content``); Parquet's page checksums
are written too.  A resumed run checks each chunk already on disk (``resumable``: all of that,
and that its ``spec`` column holds the numbers it should), and every reading checks the set,
the number and the digest (``read_chunks``): a chunk of another multiverse copied into
``chunks/``, or a truncated, damaged or garbage one, stops the run with one line naming the
chunk to delete (it is then computed anew), never a wrong share.

The bytes of a chunk depend only on its specifications and the inputs (Parquet written by
pyarrow without statistics that vary, no timestamps), so the same chunk is byte-identical
whichever process, machine or Dask worker computed it.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StudyError
from . import table

__all__ = ["chunk_bytes", "chunk_path", "chunk_tag", "fingerprint", "manifest", "open_store", "read_chunks",
           "read_manifest", "resumable", "set_fingerprint", "to_parquet"]

FORMAT = 2              # 2: chunks carry their set's fingerprint and their specifications' numbers
TAG = b"compendium.multiverse"


def _portable(claims) -> list:
    """The claims with each ``reference`` file (made absolute by the study file's reading) named by
    its file name and the SHA-256 of its bytes: what a claim's result depends on, not where the
    compendium lies, so that the same inputs give the same fingerprint in any folder."""
    out = []
    for claim in claims:
        ref = claim.get("check", {}).get("reference") if isinstance(claim, dict) else None
        if ref is not None:
            path = Path(ref)
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
            claim = {**claim, "check": {**claim["check"], "reference": f"{path.name} sha256:{digest}"}}
        out.append(claim)
    return out


def fingerprint(universe) -> str:
    """SHA-256 of everything a specification's result depends on (a claim's reference file by its
    name and contents, ``_portable``)."""
    h = hashlib.sha256()
    for s in sorted(universe.variants):
        h.update(s.encode())
        h.update(np.ascontiguousarray(universe.variants[s], dtype=np.float64).tobytes())
    h.update(json.dumps([universe.cases, universe.conditions, universe.outcomes,
                         sorted((k, repr(v)) for k, v in universe.joint.items()),
                         [repr(a) for a in universe.analyses], _portable(universe.claims),
                         universe.base_cuts, [repr(x) for x in universe.core],
                         [c.tolist() for c in universe.case_subsets], list(universe.condition_sets)],
                        sort_keys=True, default=str).encode())
    return h.hexdigest()


def manifest(universe, numbers, sampled: bool, chunk: int, seed: int) -> dict:
    """What a multiverse folder holds (module docstring)."""
    numbers_hash = (f"range({numbers.start}, {numbers.stop})" if isinstance(numbers, range)
                    else _numbers_digest(numbers))
    return {"format": FORMAT, "grid": [{"name": c.name, "kind": c.kind, "values": list(c.values)}
                                       for c in universe.grid.choices],
            "grid_size": universe.grid.size, "specifications": len(numbers), "sampled": sampled, "seed": seed,
            "chunk": chunk, "chunks": -(-len(numbers) // chunk), "numbers": numbers_hash,
            "inputs": fingerprint(universe)}


def chunk_path(folder, j: int) -> Path:
    return Path(folder) / "chunks" / f"chunk-{j:06d}.parquet"


def open_store(folder, meta: dict, restart: bool = False) -> Path:
    """Create ``folder`` for ``meta``, or check that it already holds the same multiverse
    (then its finished chunks are kept: the run resumes)."""
    folder = Path(folder)
    path = folder / "manifest.json"
    text = json.dumps(meta, indent=1, sort_keys=True) + "\n"
    if path.is_file() and not restart:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise StudyError(f"{path}: unreadable; remove the folder or run with --restart") from None
        if old != meta:
            differs = sorted(k for k in set(old) | set(meta) if old.get(k) != meta.get(k))
            raise StudyError(f"{folder}: holds another multiverse (differs in {', '.join(differs)}); choose another "
                           f"--out or run with --restart to replace it")
    else:
        for p in sorted((folder / "chunks").glob("chunk-*.parquet*")) if (folder / "chunks").is_dir() else []:
            p.unlink()
    (folder / "chunks").mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)                 # whole or not at all
    return folder


def read_manifest(folder) -> dict:
    """The manifest of a multiverse folder (``manifest``)."""
    path = Path(folder) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise StudyError(f"{path}: missing or unreadable; run the multiverse again with --restart") from None


def set_fingerprint(meta: dict) -> str:
    """SHA-256 of a manifest: the fingerprint of the specification set every chunk carries."""
    return hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()


def _numbers_digest(numbers) -> str:
    return hashlib.sha256(np.asarray(numbers, dtype=np.int64).tobytes()).hexdigest()


def chunk_tag(fingerprint: str, j: int, numbers) -> dict:
    """What chunk ``j`` of the set ``fingerprint`` carries: the set, its number and the numbers
    of its specifications (first, count, SHA-256 of them as 64-bit integers); ``to_parquet``
    adds the digest of its contents."""
    numbers = np.asarray(numbers, dtype=np.int64)
    return {"set": fingerprint, "chunk": int(j), "first": int(numbers[0]) if len(numbers) else None,
            "count": int(len(numbers)), "numbers": _numbers_digest(numbers)}


def _content(frame: pd.DataFrame) -> str:
    """SHA-256 of a chunk's rows as read back: its columns, their types and every value."""
    h = hashlib.sha256(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _combined(dtypes, hashes: np.ndarray) -> str:
    """``_content`` of a frame whose columns' types are ``dtypes`` and their
    ``pandas.util.hash_array`` the rows of ``hashes``: pandas' ``combine_hash_arrays`` (as
    ``hash_pandas_object`` combines a frame's columns, CPython's tuple hash), one column at a time
    over every row at once."""
    h = hashlib.sha256(json.dumps([[str(c), str(t)] for c, t in dtypes]).encode())
    out = np.full(hashes.shape[1], 0x345678, dtype=np.uint64)
    mult = 1000003
    for i, column in enumerate(hashes):
        out ^= column
        out *= np.uint64(mult)
        mult += 82520 + 2 * (len(hashes) - i)
    out += np.uint64(97531)           # no column: an empty tuple's hash, as pandas gives it
    h.update(out.tobytes())
    return h.hexdigest()


def _parquet(table) -> bytes:
    """Snappy, Parquet's default codec: a PPIP chunk written in 4 ms and read in 5, 5 % larger than
    with zstd (7 and 8 ms; pyarrow makes a zstd context per page)."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="snappy", write_statistics=False, write_page_checksum=True)
    return sink.getvalue()


def to_parquet(frame: pd.DataFrame, tag: dict | None = None) -> bytes:
    """A chunk as Parquet bytes (deterministic: no index, no statistics, snappy, page checksums; the
    pandas metadata keeps the column types).  ``tag`` (``chunk_tag``) goes into the file metadata
    with the digest of the rows as they read back (``content``), so that any damage is found: the
    digest of ``frame`` itself, which reads back as it is written (a chunk's types: int64,
    float64, string, boolean; ``tests/test_speed7_m_table.py`` holds the two digests equal), so the
    file is written once, not written, read back and written again."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if tag is None:
        return _parquet(table)
    tag = {**tag, "content": _content(frame)}
    return _parquet(table.replace_schema_metadata({**(table.schema.metadata or {}),
                                                   TAG: json.dumps(tag, sort_keys=True).encode()}))


def chunk_bytes(universe, numbers, rows: list, tag: dict | None = None) -> bytes:
    """``to_parquet(table.frame(universe, numbers, rows), tag)``, the same bytes, from the rows'
    columns (``table.arrow_columns``: the same Arrow table, and the digest from the same row
    hashes, ``_combined``) without the frame (a third of the time before; the frame when a row
    holds a value of another type than its column's usual one)."""
    columns = table.arrow_columns(universe, numbers, rows)
    if columns is None or tag is None:
        return to_parquet(table.frame(universe, numbers, rows), tag)
    tag = {**tag, "content": _combined(zip(columns.table.schema.names, columns.dtypes), columns.hashes)}
    meta = {**(columns.table.schema.metadata or {}), TAG: json.dumps(tag, sort_keys=True).encode()}
    return _parquet(columns.table.replace_schema_metadata(meta))


def write_chunk(folder, j: int, data: bytes) -> None:
    path = chunk_path(folder, j)
    tmp = path.with_suffix(".parquet.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


_REDO = "delete it and run the same command again: it is computed anew"
#: what reading a damaged Parquet file can raise, in pyarrow or in pandas' reading of its metadata
_DAMAGE = (pa.ArrowException, OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError,
           MemoryError)


def _damaged(path, reason) -> StudyError:
    reason = " ".join(str(reason).split())[:120] or type(reason).__name__
    return StudyError(f"{path}: not a readable chunk (truncated or damaged: {reason}); {_REDO}")


def _tag(path: Path, metadata) -> dict:
    raw = (metadata or {}).get(TAG)
    try:
        tag = json.loads(raw.decode("utf-8")) if raw is not None else None
    except ValueError:
        tag = None
    if not isinstance(tag, dict):
        raise StudyError(f"{path}: carries no fingerprint of its specification set (not written by this version of "
                         f"the multiverse); {_REDO}")
    return tag


def _read(path: Path, fingerprint: str, j: int):
    """Chunk ``j`` as (its Arrow table, its tag), whole and of set ``fingerprint``, or
    ``StudyError`` naming it.  The digest of its rows is taken from the table's columns
    (``table.read_hashes``: the hashes of the frame it reads back as, without the frame)."""
    try:
        arrow = pq.read_table(path, page_checksum_verification=True, use_threads=False)    # a small file: threads
    except _DAMAGE as e:                                                                   # cost more than they save
        raise _damaged(path, e) from None
    tag = _tag(path, arrow.schema.metadata)
    if tag.get("set") != fingerprint:
        raise StudyError(f"{path}: a chunk of another multiverse (its specification set {str(tag.get('set'))[:12]}... "
                         f"is not this run's {fingerprint[:12]}...: another grid, sample, settings or data); {_REDO}")
    if tag.get("chunk") != j:
        raise StudyError(f"{path}: holds chunk {tag.get('chunk')!r} of this multiverse, not chunk {j}; {_REDO}")
    try:
        hashed = table.read_hashes(arrow)
        content = (_content(arrow.to_pandas(use_threads=False)) if hashed is None
                   else _combined(zip(arrow.schema.names, hashed[0]), hashed[1]))
    except _DAMAGE as e:
        raise _damaged(path, e) from None
    if content != tag.get("content"):
        raise _damaged(path, "its rows differ from the digest it carries")
    return arrow, tag


def check_chunk(folder, j: int, fingerprint: str, numbers) -> None:
    """Chunk ``j`` on disk is whole and the one of set ``fingerprint`` holding ``numbers``
    (module docstring), or ``StudyError`` naming it."""
    path = chunk_path(folder, j)
    arrow, tag = _read(path, fingerprint, j)
    want = chunk_tag(fingerprint, j, numbers)
    if {k: tag.get(k) for k in want} != want or _numbers_digest(arrow.column("spec").to_numpy()) != want["numbers"]:
        raise StudyError(f"{path}: holds other specifications than chunk {j} of this multiverse; {_REDO}")


def resumable(folder, parts, fingerprint: str) -> set:
    """The chunks already written (``parts[j]``: the numbers of chunk ``j``), each checked
    (``check_chunk``); a file named like a chunk beyond them is refused, not left unread."""
    done = {j for j in range(len(parts)) if chunk_path(folder, j).is_file()}
    ours = {chunk_path(folder, j).name for j in range(len(parts))}
    for path in sorted((Path(folder) / "chunks").glob("chunk-*.parquet")):
        if path.name not in ours:         # a chunk this run would neither write nor read
            raise StudyError(f"{path}: not one of the {len(parts)} chunks of this multiverse (chunk-000000 to "
                             f"chunk-{len(parts) - 1:06d}); delete it and run the same command again")
    for j in sorted(done):
        check_chunk(folder, j, fingerprint, parts[j])
    return done


def read_chunks(folder, n_chunks: int, columns=None):
    """Each chunk's rows as a DataFrame (``columns``: only these), one chunk at a time, in order
    (memory: one chunk); each checked whole against the folder's manifest (module docstring)."""
    fingerprint = set_fingerprint(read_manifest(folder))
    for j in range(n_chunks):
        path = chunk_path(folder, j)
        if not path.is_file():
            raise StudyError(f"{path}: missing; the multiverse run did not finish (run it again to resume)")
        arrow, _ = _read(path, fingerprint, j)
        try:
            frame = (arrow if columns is None else arrow.select(list(columns))).to_pandas(use_threads=False)
        except _DAMAGE as e:
            raise _damaged(path, e) from None
        yield frame
