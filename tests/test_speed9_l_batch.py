"""A Dask task holds a worker's shares of several chunks (``analysis.multiverse.run``:
``DASK_BATCH``); the chunks it writes are the bytes one process writes, whatever the batch, with
a last batch of fewer chunks and chunks whose shares fall to one worker only."""
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analysis.measures import build_measures
from analysis.multiverse import run as mvrun, store
from analysis.multiverse.evaluate import evaluate_rows
from analysis.multiverse.grid import sample
from analysis.multiverse.run import evaluate_bytes, evaluate_packed, unpack_rows
from analysis.multiverse.settings import read_multiverse
from analysis.multiverse.universe import prepare
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"anchor_shifts": [-0.03, 0, 0.03], "incl_cut": [0.75, 0.8], "n_cut": [1, 2],
            "chunk": 7, "seed": 11, "size": 60}


class _Bar:
    def update(self, n):
        pass


@pytest.fixture(scope="module")
def lipset():
    study = load_study(ROOT / "data" / "lipset" / "study.yml")
    settings = read_multiverse(SETTINGS, "test", study.conditions, study.sets)
    study = replace(study, multiverse=settings)
    measures = build_measures(study, load_raw(study))
    universe = prepare(study, measures, study.thresholds, settings)
    numbers, sampled = sample(universe.grid, settings.size, settings.seed)
    return universe, numbers, store.manifest(universe, numbers, sampled, settings.chunk, settings.seed)


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted((Path(folder) / "chunks").glob("*.parquet"))}


def _streamed(lipset, folder, batch, workers=2):
    """The chunks ``_stream`` writes with tasks run here at once, as Dask's are (rows packed as bytes)."""
    universe, numbers, meta = lipset
    folder = store.open_store(folder, meta)
    parts = [numbers[i:i + 7] for i in range(0, len(numbers), 7)]
    fingerprint = store.set_fingerprint(store.read_manifest(folder))
    handed = []

    def submit(w, share):
        handed.append((w, len(share)))
        f = Future()
        f.set_result(evaluate_packed(universe, share))
        return f

    mvrun._stream(universe, folder, parts, list(range(len(parts))), workers, _Bar(), [0, len(numbers)],
                  fingerprint, submit, lambda pending: pending[:1], lambda f: unpack_rows(f.result()),
                  batch)
    return folder, parts, handed


@pytest.mark.parametrize("batch", [1, 3, 4])
def test_batched_tasks_write_the_bytes_of_one_process(lipset, tmp_path, batch):
    universe, numbers, meta = lipset
    one = store.open_store(tmp_path / "one", meta)
    fingerprint = store.set_fingerprint(store.read_manifest(one))
    parts = [numbers[i:i + 7] for i in range(0, len(numbers), 7)]
    for j, part in enumerate(parts):
        store.write_chunk(one, j, evaluate_bytes(universe, part, store.chunk_tag(fingerprint, j, part)))
    folder, parts, handed = _streamed(lipset, tmp_path / "batched", batch)
    assert len(parts) == 9 and len(_files(one)) == 9       # 60 specifications in chunks of 7: the last of 4
    assert _files(folder) == _files(one)
    # every specification handed out once, in tasks of at most `batch` chunks' shares
    assert sum(n for _, n in handed) == len(numbers)
    assert max(n for _, n in handed) <= 7 * batch
    assert len(handed) >= -(-len(parts) // batch)


def test_a_packed_share_is_its_rows_value_for_value_and_type_for_type(lipset):
    universe, numbers, _ = lipset
    share = np.asarray(numbers[:20], dtype=np.int64)
    rows, back = evaluate_rows(universe, share), unpack_rows(evaluate_packed(universe, share))
    kinds = {type(v) for row in rows for v in row}
    assert kinds == {int, float, str, bool, type(None)}
    assert [[(type(v), repr(v)) for v in row] for row in back] == [[(type(v), repr(v)) for v in row] for row in rows]
