"""The study's own process gives what a fresh kernel per notebook gives (analysis.pipeline.execute).

The pipeline runs a study's seven notebooks in the study's process, no kernel
(``analysis.pipeline.inprocess``), in one IPython shell cleared between them (``%reset -f``, the
warnings' record forgotten, execution counts numbered per notebook); nbval and a reader in
JupyterLab run each notebook in a fresh kernel.  The two must write the same files with the same
content.  The one difference allowed is the name matplotlib gives a clip path in an SVG: a hash of
the clip rectangle's coordinates to all their digits, which differ in the last bits between the
two ways (the rectangles as written, to six decimals, are the same).
"""
import io
import re

import pytest

from analysis.guard import MARKER
from analysis.pipeline import run

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lipset")]       # two whole runs of the smallest study

STUDY = "lipset"
CLIP_ID = re.compile(rb"\bp[0-9a-f]{10}\b")


def _content(path, folder) -> bytes:
    data = path.read_bytes().replace(str(folder).encode(), b"<out>")
    return CLIP_ID.sub(b"p<clip>", data) if path.suffix == ".svg" else data


def test_the_study_process_writes_what_fresh_kernels_write(study_runs, tmp_path):
    shared = study_runs(STUDY)                                   # the default: the study's own process
    fresh = run(study_path=ROOT / "data" / STUDY / "study.yml", out=tmp_path / "fresh", kernels="notebook",
                log=io.StringIO())
    files = sorted(p.relative_to(shared) for p in shared.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert any(f.suffix == ".ipynb" for f in files) and any(f.suffix == ".svg" for f in files)
    different = [str(f) for f in files if f.name != MARKER             # the run's own record, not a result
                 and _content(shared / f, shared) != _content(fresh / f, fresh)]
    assert different == []


def test_an_unknown_kernel_mode_is_refused(tmp_path):
    from analysis.errors import StudyError
    with pytest.raises(StudyError, match="kernels='one': use one of process, study, notebook"):
        run(study_path=ROOT / "data" / STUDY / "study.yml", out=tmp_path / "x", kernels="one")
    assert not (tmp_path / "x").exists()
