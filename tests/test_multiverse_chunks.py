"""Every chunk of a multiverse carries the fingerprint of its specification set and the numbers
of its specifications (analysis.multiverse.store).  A resumed run refuses, with one line naming
the chunk to delete, a chunk of another multiverse (another incl_cut), a chunk in another's
place, a truncated chunk, garbage named like a chunk, a chunk beyond the run's chunks and a chunk
without a fingerprint; after the named chunk is deleted the run resumes, and a good resume gives
byte-identical chunks.  No damage to a chunk's bytes gives a wrong share: either the same
findings or the refusal.
"""
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import StudyError
from analysis.measures import build_measures
from analysis.multiverse import run_multiverse, store
from analysis.pipeline.multiverse_cli import main as multiverse
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--size", "60", "--chunk", "20", "--workers", "1"]
# The module's two multiverses (``runs``) are made once: its tests in one process (make test's -n 2 split
# them, and each process made both).
pytestmark = pytest.mark.xdist_group("mv-chunks")


def chunks(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted((folder / "chunks").glob("*"))}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two finished multiverses of a copy of the Lipset study: at its incl_cut and at 0.85."""
    base = tmp_path_factory.mktemp("multiverses")
    shutil.copytree(ROOT / "data" / "lipset", base / "lipset")
    study = base / "lipset" / "study.yml"
    assert multiverse(["--study", str(study), *ARGS, "--out", str(base / "a")]) == 0
    assert multiverse(["--study", str(study), *ARGS, "--set", "incl_cut=0.85", "--out", str(base / "b")]) == 0
    return study, base / "a", base / "b"


@pytest.fixture
def run(runs, tmp_path):
    """A copy of the first multiverse to damage, its study file and its chunks' bytes."""
    study, a, b = runs
    shutil.copytree(a, tmp_path / "a")
    return study, tmp_path / "a", b, chunks(a)


def refused(capsys, study, out, chunk: str, *words) -> None:
    capsys.readouterr()
    before = chunks(out)
    code = multiverse(["--study", str(study), *ARGS, "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    line = err[0]
    assert line.startswith(f"error: {out / 'chunks' / chunk}: ") and "delete it" in line, line
    assert "unexpected" not in line
    for w in words:
        assert w in line, line
    assert chunks(out) == before                                   # nothing rewritten or removed


def resumes(capsys, study, out, original: dict) -> None:
    capsys.readouterr()
    assert multiverse(["--study", str(study), *ARGS, "--out", str(out)]) == 0
    assert "already on disk (resumed)" in capsys.readouterr().out
    assert chunks(out) == original


def test_the_two_multiverses_differ_in_their_specification_sets(runs):
    study, a, b = runs
    assert store.read_manifest(a)["inputs"] != store.read_manifest(b)["inputs"]
    assert chunks(a)["chunk-000001.parquet"] != chunks(b)["chunk-000001.parquet"]


def test_a_chunk_of_another_multiverse_is_refused(capsys, run):
    study, out, other, original = run
    shutil.copy(other / "chunks" / "chunk-000001.parquet", out / "chunks" / "chunk-000001.parquet")
    refused(capsys, study, out, "chunk-000001.parquet", "a chunk of another multiverse")
    (out / "chunks" / "chunk-000001.parquet").unlink()             # as the line says: computed anew
    resumes(capsys, study, out, original)


def test_a_truncated_chunk_is_refused(capsys, run):
    study, out, _, original = run
    path = out / "chunks" / "chunk-000002.parquet"
    path.write_bytes(original[path.name][: len(original[path.name]) // 2])
    refused(capsys, study, out, "chunk-000002.parquet", "truncated or damaged")
    path.unlink()
    resumes(capsys, study, out, original)


def test_garbage_named_like_a_chunk_is_refused(capsys, run):
    study, out, _, original = run
    (out / "chunks" / "chunk-000000.parquet").write_bytes(b"not a chunk at all\n")
    refused(capsys, study, out, "chunk-000000.parquet", "not a readable chunk")


def test_a_chunk_in_the_place_of_another_is_refused(capsys, run):
    study, out, _, original = run
    (out / "chunks" / "chunk-000002.parquet").write_bytes(original["chunk-000000.parquet"])
    refused(capsys, study, out, "chunk-000002.parquet", "holds chunk 0 of this multiverse, not chunk 2")


def test_a_chunk_without_a_fingerprint_is_refused(capsys, run):
    study, out, _, original = run
    rows = next(store.read_chunks(out, 3))
    (out / "chunks" / "chunk-000000.parquet").write_bytes(store.to_parquet(rows))      # the same rows, no tag
    refused(capsys, study, out, "chunk-000000.parquet", "carries no fingerprint")


def test_a_chunk_beyond_the_runs_chunks_is_refused(capsys, run):
    study, out, _, original = run
    junk = out / "chunks" / "chunk-000007.parquet"                 # the run has chunks 0 to 2
    junk.write_bytes(original["chunk-000000.parquet"])
    refused(capsys, study, out, junk.name, "not one of the 3 chunks of this multiverse")
    junk.unlink()
    resumes(capsys, study, out, original)


def test_a_good_resume_gives_byte_identical_chunks(capsys, run):
    study, out, _, original = run
    (out / "chunks" / "chunk-000001.parquet").unlink()
    resumes(capsys, study, out, original)


def test_no_damaged_byte_gives_a_wrong_share(run):
    """One byte of a chunk changed, at 32 places spread over the file: the run either finds the
    same shares (the byte did not change a value) or refuses naming the chunk; never another
    share, never another kind of error."""
    study_path, out, _, original = run
    study = load_study(study_path)
    study = replace(study, multiverse=replace(study.multiverse, chunk=20))
    measures = build_measures(study, load_raw(study))

    def findings():
        mv = run_multiverse(study, measures, study.thresholds, out, size=60, workers=1, progress=False)
        assert mv.counts["ran"] == 0
        return mv.summary(study.claims).findings

    expected = findings()
    path = out / "chunks" / "chunk-000001.parquet"
    good = original[path.name]
    outcomes = {"same": 0, "refused": 0}
    for at in range(0, len(good), max(1, len(good) // 32)):
        damaged = bytearray(good)
        damaged[at] ^= 0x5A
        path.write_bytes(bytes(damaged))
        try:
            pd.testing.assert_frame_equal(findings(), expected)
            outcomes["same"] += 1
        except StudyError as e:
            assert str(e).startswith(f"{path}: ") and "delete it" in str(e), str(e)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0 and sum(outcomes.values()) >= 32
