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


def _callbacks(dask_worker):
    return {k: v.callback_time for k, v in dask_worker.periodic_callbacks.items()}


def test_the_local_cluster_s_event_loops_wake_less_often():
    """Its scheduler, nanny and worker check a blocked loop every 500 ms, their resources every
    2 s and the worker's memory every 500 ms (Dask's defaults: 20 ms, 500 ms, 100 ms): what the
    config of ``run.LOCAL_CLUSTER`` sets is what the worker process runs with."""
    with dask.config.set(run.LOCAL_CLUSTER):
        cluster = dask.distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                                dashboard_address=None)
    try:
        with dask.distributed.Client(cluster) as client:
            (worker,) = client.run(_callbacks).values()
        nanny = {k: v.callback_time for k, v in next(iter(cluster.workers.values())).periodic_callbacks.items()}
        scheduler = {k: v.callback_time for k, v in cluster.scheduler.periodic_callbacks.items()}
    finally:
        cluster.close()
    assert (worker["tick"], worker["monitor"], worker["memory_monitor"]) == (500, 2000, 500)
    assert (nanny["tick"], nanny["memory_monitor"]) == (500, 500)
    assert (scheduler["tick"], scheduler["monitor"]) == (500, 2000)
    assert dask.config.get("distributed.admin.tick.interval") == "20ms"       # only while it starts
