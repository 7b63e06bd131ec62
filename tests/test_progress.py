"""Live progress for the terminal (analysis.progress): steps report into a file named by
ANALYSIS_PROGRESS; the pipeline's Watcher redraws it on a terminal, and nothing elsewhere."""
import io
import time

from analysis import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_watcher_redraws_the_reported_progress_on_a_terminal(tmp_path, monkeypatch):
    path = tmp_path / "progress"
    monkeypatch.setenv(progress.VARIABLE, str(path))
    term = Terminal()
    with progress.Watcher(path, term, "[5/7] 05_robustness.ipynb ..."):
        progress.report("robustness sweep", 10, 100, force=True)
        for _ in range(100):                      # until the watcher has drawn it (a guard, no timing)
            if "10/100" in term.getvalue():
                break
            time.sleep(0.05)
        progress.report("robustness sweep", 100, 100)
        for _ in range(100):
            if "100/100" in term.getvalue():
                break
            time.sleep(0.05)
    shown = term.getvalue()
    assert "[5/7] 05_robustness.ipynb ... robustness sweep 10/100" in shown
    assert "robustness sweep 100/100" in shown
    assert shown.endswith("\r\033[K[5/7] 05_robustness.ipynb ...")     # the line is left for " done"


def test_nothing_is_shown_without_a_terminal_or_written_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(progress.VARIABLE, raising=False)
    progress.report("multiverse", 1, 2, force=True)                     # no file named: nothing
    assert list(tmp_path.iterdir()) == []
    log = io.StringIO()                                                 # not a terminal
    path = tmp_path / "p"
    monkeypatch.setenv(progress.VARIABLE, str(path))
    with progress.Watcher(path, log, "x"):
        progress.report("multiverse", 1, 2, force=True)
    assert log.getvalue() == "" and progress.read(path) == ("multiverse", 1, 2)


def test_the_sweep_reports_its_progress(tmp_path, monkeypatch):
    import pandas as pd
    from analysis.analyses import Analysis, Cuts
    from analysis.robustness.sweep import Run, run_tasks
    path = tmp_path / "p"
    monkeypatch.setenv(progress.VARIABLE, str(path))
    data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1], "Y": [0.9, 0.9, 0.3, 0.2]},
                        index=list("pqrs"))
    tasks = [Run(Analysis("Y", "Y", False, ("A", "B"), Cuts(c), ("-", "-")), data) for c in (0.7, 0.8, 0.9)]
    run_tasks(tasks, workers=1, progress=False, solution="complex")
    assert progress.read(path) == ("sweep", 3, 3)
