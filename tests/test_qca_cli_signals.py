"""A signal ends ``python -m analysis.qca`` at once with one line, never a traceback
(``analysis.qca.__main__._stop_on_signals``): Ctrl-C (SIGINT), SIGTERM and SIGHUP, sent while
a long analysis runs (14 conditions, 4,000 cases: over a minute of work), give
``error: interrupted`` and the status 128 + the signal's number, and leave no process."""
import signal
import sys

import numpy as np
import pytest
from test_signals import LINUX, Run

pytestmark = pytest.mark.skipif(not LINUX, reason="reads /proc; the handler's Linux behaviour is the one tested")


@pytest.fixture(scope="module")
def long_analysis(tmp_path_factory):
    x = np.random.default_rng(1).random((4000, 15)).round(2)
    path = tmp_path_factory.mktemp("qca") / "long.csv"
    path.write_text("case," + ",".join(f"C{i}" for i in range(14)) + ",Y\n"
                    + "".join(f"c{i}," + ",".join(map(str, row)) + "\n" for i, row in enumerate(x)))
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_ends_the_command_with_one_line(long_analysis, sig):
    run = Run([sys.executable, "-m", "analysis.qca", "--data", str(long_analysis), "--outcome", "Y",
               "--incl-cut", "0.7"])
    # Python itself catches SIGINT from the start; SIGTERM caught means the command's handler is in place
    run.until(lambda: signal.SIGTERM in run.caught(), "the command's handler was installed")
    run.send(sig)
    assert run.ended() == 128 + sig
    assert run.err == "error: interrupted\n" and run.out == ""
    assert run.left() == {}
