"""A signal that arrives while the pipeline prints an open progress line (``[1/7] 01_data.ipynb
...``, no newline yet) still ends the run with the stop line on a line of its own.

CI once saw ``[1/7] 01_data.ipynb ...error: interrupted; ...``: the handler ran after the print
and before the runner noted the open line.  Here the log itself sends the signal while it is
written, so the handler runs inside that print, every time, not by the luck of timing.
"""
import signal
import subprocess
import sys

import pytest
from test_signals import LINUX, ROOT

SCRIPT = r"""
import os, signal, sys
from analysis.pipeline.execute import run
from analysis.processes import stop_on_signals

class Log:
    def write(self, text):
        sys.stderr.write(text)
        sys.stderr.flush()
        if text.startswith("[1/"):
            os.kill(os.getpid(), signal.SIGTERM)     # the handler runs before this print returns
        return len(text)
    def flush(self):
        sys.stderr.flush()

with stop_on_signals("interrupted; the previous results are unchanged"):
    run("data/lipset/study.yml", out=sys.argv[1], log=Log())
"""


@pytest.mark.skipif(not LINUX, reason="the handler's Linux behaviour is the one tested")
def test_a_signal_during_the_progress_print_gets_its_own_line(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "out")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert done.stderr.endswith("[1/7] 01_data.ipynb ...\nerror: interrupted; the previous results are unchanged\n"), \
        done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []     # no temporary folder, no results
