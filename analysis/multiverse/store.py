"""The multiverse on disk: one Parquet file per chunk of specifications, and a manifest.

A run of millions of specifications cannot be held in memory, and may be interrupted.  So the
specifications are cut into chunks (``settings.chunk`` each, in the order of their numbers),
each chunk is written to ``chunks/chunk-NNNNNN.parquet`` as soon as it is done (written to a
temporary name, then renamed: a file that exists is complete), and ``manifest.json`` records
what the folder holds: the grid, the specification numbers (every one, or the seeded sample),
the chunk size and a fingerprint of the inputs.  A second run into the same folder with the same
manifest skips the chunks already written (it *resumes*); with another manifest it stops with an
error rather than mixing two multiverses.

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

from ..errors import StudyError

__all__ = ["chunk_path", "done_chunks", "fingerprint", "manifest", "open_store", "read_chunks", "to_parquet"]

FORMAT = 1


def fingerprint(universe) -> str:
    """SHA-256 of everything a specification's result depends on."""
    h = hashlib.sha256()
    for s in sorted(universe.variants):
        h.update(s.encode())
        h.update(np.ascontiguousarray(universe.variants[s], dtype=np.float64).tobytes())
    h.update(json.dumps([universe.cases, universe.conditions, universe.outcomes,
                         sorted((k, repr(v)) for k, v in universe.joint.items()),
                         [repr(a) for a in universe.analyses], list(universe.claims),
                         universe.base_cuts, [repr(x) for x in universe.core],
                         [c.tolist() for c in universe.case_subsets], list(universe.condition_sets)],
                        sort_keys=True, default=str).encode())
    return h.hexdigest()


def manifest(universe, numbers, sampled: bool, chunk: int, seed: int) -> dict:
    """What a multiverse folder holds (module docstring)."""
    numbers_hash = (f"range({numbers.start}, {numbers.stop})" if isinstance(numbers, range)
                    else hashlib.sha256(np.asarray(numbers, dtype=np.int64).tobytes()).hexdigest())
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
    path.write_text(text, encoding="utf-8")
    return folder


def done_chunks(folder, n_chunks: int) -> set:
    """The chunks already written."""
    return {j for j in range(n_chunks) if chunk_path(folder, j).is_file()}


def to_parquet(frame: pd.DataFrame) -> bytes:
    """A chunk as Parquet bytes (deterministic: no index, no statistics, zstd; the
    pandas metadata keeps the column types)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=False)
    return sink.getvalue()


def write_chunk(folder, j: int, data: bytes) -> None:
    path = chunk_path(folder, j)
    tmp = path.with_suffix(".parquet.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_chunks(folder, n_chunks: int, columns=None):
    """Each chunk's rows as a DataFrame, one chunk at a time, in order (memory: one chunk)."""
    import pyarrow.parquet as pq
    for j in range(n_chunks):
        path = chunk_path(folder, j)
        if not path.is_file():
            raise StudyError(f"{path}: missing; the multiverse run did not finish (run it again to resume)")
        yield pq.read_table(path, columns=columns).to_pandas()
