"""The garbage collector's setting (analysis.collector) and where it is applied: the workers of
every WorkerPool (the robustness sweep's, the multiverse's local processes) and the notebooks'
process (tests/test_speed7_p_inprocess.py holds the latter, and that it is put back)."""
import gc

from analysis import collector
from analysis.multiverse import run
from analysis.workers import WorkerPool


def _state():
    return gc.get_threshold(), gc.get_freeze_count() > 0, run._UNIVERSE


def test_settle_freezes_what_lives_and_returns_the_thresholds_before():
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        alive = [[] for _ in range(10)]
        assert collector.settle() == before
        assert gc.get_threshold() == collector.THRESHOLD
        assert gc.get_freeze_count() >= frozen + len(alive)
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def test_a_pool_worker_runs_with_the_collector_settled_after_its_initializer():
    with WorkerPool(1, run._init, ("the universe",)) as pool:
        threshold, frozen, universe = pool.submit(_state).result()
    assert threshold == collector.THRESHOLD and frozen and universe == "the universe"
    assert gc.get_threshold() != collector.THRESHOLD          # the parent's own is left as it was
