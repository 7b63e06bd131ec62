"""The Dask LocalCluster a multiverse run starts (issue 28, round 8): its scheduler does not steal
tasks (each share goes to the worker whose caches hold its codings), and its workers end without
tearing their heaps down (``analysis.workers.exit_at_once``), as forked local workers do.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dask
import dask.distributed
import numpy as np
import pytest

from analysis.multiverse import run

ROOT = Path(__file__).resolve().parents[1]
EXITING = r'''
import atexit, sys
marker = sys.argv[1]
atexit.register(lambda: open(marker, "w").write("torn down"))
if sys.argv[2] == "at-once":
    from analysis.workers import exit_at_once
    exit_at_once()
sys.stdout.write("flushed")
'''


@pytest.mark.parametrize("how", ["at-once", "plain"])
def test_a_process_set_to_exit_at_once_skips_the_teardown_but_flushes(tmp_path, how):
    marker = tmp_path / "marker"
    r = subprocess.run([sys.executable, "-c", EXITING, str(marker), how], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (0, "flushed", "")
    assert marker.exists() == (how == "plain")          # the earlier exit handler ran only without it


class _Started(Exception):
    pass


def test_the_local_cluster_is_started_without_work_stealing(monkeypatch, tmp_path):
    seen = []

    def cluster(**kwargs):
        seen.append((dask.config.get("distributed.scheduler.work-stealing"), kwargs["n_workers"]))
        raise _Started

    monkeypatch.setattr(dask.distributed, "LocalCluster", cluster)
    before = dask.config.get("distributed.scheduler.work-stealing")
    with pytest.raises(_Started):
        run._run_dask(None, tmp_path, [np.arange(3)], [0], 2, "local", None, [0, 3], "set")
    assert seen == [(False, 2)]
    assert dask.config.get("distributed.scheduler.work-stealing") == before    # only while it starts
