"""The studies of an all-studies run start largest first (analysis.pipeline.studies.work_size):
the run lasts at least as long as its largest study, which so starts at once.  Only the order of
the runs changes, never a result (each study runs in its own process, into its own folder).
The runner's processes are faked here (tests/test_speed6_p_children.py holds the real ones)."""
import io
import os
import shutil
import threading

import pytest

from analysis.pipeline import cli, studies
from analysis.pipeline.children import Child
from analysis.pipeline.studies import STUDIES, run_studies, study_files, work_size


class FakeChild(Child):
    """A study's process as run_studies reads it: a pipe the test writes the study's lines into."""

    def __init__(self, argv, started):
        self.name = argv[argv.index("--study") + 1].split("/")[0]
        started.append(self)
        read, self.write = os.pipe()
        super().__init__(read, -1)

    def end(self):
        if self.write is not None:
            os.write(self.write, f"running {self.name}\ndone {self.name}\n".encode())
            os.close(self.write)
            self.write = None

    def wait(self):
        return 0


@pytest.fixture
def fake_children(monkeypatch):
    started = []
    monkeypatch.setattr(studies, "start_study", lambda argv, main: FakeChild(argv, started))
    return started


def _running(started, n):
    for _ in range(500):                       # counted polls: the runner starts its first studies
        if len(started) >= n:
            return [c.name for c in started]
        threading.Event().wait(0.01)
    return [c.name for c in started]


def test_the_studies_start_in_the_order_given(fake_children):
    files, out, log = ["a/study.yml", "b/study.yml", "c/study.yml", "d/study.yml"], {}, io.StringIO()
    t = threading.Thread(target=lambda: out.update(r=run_studies(files, [], str, jobs=2, log=log,
                                                                 order=files[::-1])), daemon=True)
    t.start()
    assert _running(fake_children, 2) == ["d", "c"]            # the first two of the order, no other yet
    threading.Event().wait(0.2)
    assert len(fake_children) == 2
    fake_children[1].end()                                   # c ends: b takes its place
    assert _running(fake_children, 3) == ["d", "c", "b"]
    for child in fake_children[::-1]:
        child.end()                                          # b, then d: a starts
    assert _running(fake_children, 4) == ["d", "c", "b", "a"]
    fake_children[3].end()
    t.join(timeout=30)
    assert out["r"] == [(f, 0, f"done {f[0]}") for f in files]  # in the order of the files
    assert sorted(log.getvalue().splitlines()) == sorted(f"{f}: {w} {f}" for f in "abcd" for w in ("running", "done"))


def test_the_largest_study_is_the_largest_work():
    sizes = {p.parent.name: work_size(p) for p in study_files(STUDIES)}
    assert sorted(sizes, key=lambda n: -sizes[n]) == ["pss", "ppip", "lipset"]
    assert sizes["lipset"] == 18 * 1 * 2 ** 5          # 18 cases, one outcome, five conditions


def test_a_study_without_its_data_is_ordered_last_not_refused(tmp_path):
    shutil.copytree(STUDIES / "lipset", tmp_path / "lipset")
    study = tmp_path / "lipset" / "study.yml"
    assert work_size(study) == work_size(STUDIES / "lipset" / "study.yml")
    for data in (tmp_path / "lipset" / "raw").iterdir():
        data.unlink()
    assert work_size(study) == 0                  # its own run says that its data are missing


def test_the_command_line_runs_the_largest_study_first(monkeypatch, tmp_path):
    seen, seen_main = {}, []

    def fake(files, args, out_of, jobs, order=None, main=None):
        seen["order"] = [f.parent.name for f in order]
        seen["files"] = [f.parent.name for f in files]
        seen_main.append(main)
        return [(f, 0, "") for f in files]
    monkeypatch.setattr(cli, "run_studies", fake)
    assert cli.main(["--out", str(tmp_path / "all")]) == 0
    assert seen == {"order": ["pss", "ppip", "lipset"], "files": ["lipset", "ppip", "pss"]}
    assert seen_main == [cli.main]
