"""make's install step compiles the installed packages to bytecode less their own test suites
(``compileall -x``, issue 28): no module that the compendium, its notebooks' kernels or its tests
import may lie in a folder the pattern skips, else every process would compile it again."""
import importlib
import re
import sys
import sysconfig
from pathlib import Path

from conftest import ROOT

# what the pipeline, a study's notebooks (in the study's process or a kernel), the multiverse on
# processes or Dask, nbval and the tests import
IMPORTED = ("analysis.pipeline", "analysis.pipeline.inprocess", "analysis.pipeline.children", "analysis.multiverse",
            "analysis.report.figures", "analysis.report.tables", "analysis.robustness", "analysis.standin",
            "papermill", "nbclient", "nbformat", "ipykernel.kernelapp", "distributed", "pyarrow.parquet",
            "scipy.optimize", "numba", "matplotlib.pyplot", "nbval.plugin", "xdist", "hypothesis", "yaml")


def skipped_pattern() -> str:
    """The ``-x`` pattern of the Makefile's compileall line."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "-m compileall" in line)
    return re.search(r"-x '([^']+)'", line).group(1)


def test_the_pattern_skips_test_folders_only():
    skips = re.compile(skipped_pattern()).search
    assert skips("/v/lib/python3.11/site-packages/pandas/tests/frame/test_api.py")
    assert skips("/v/lib/python3.11/site-packages/numpy/_core/tests/test_umath.py")
    assert skips("/v/lib/python3.11/site-packages/zmq/tests/__init__.py")
    for kept in ("numpy/testing/__init__.py", "pandas/_testing/__init__.py", "_pytest/python.py",
                 "pytest/__init__.py", "matplotlib/testing/decorators.py", "hypothesis/core.py"):
        assert not skips(f"/v/lib/python3.11/site-packages/{kept}"), kept


def test_no_imported_package_module_is_skipped():
    for name in IMPORTED:
        importlib.import_module(name)
    skips = re.compile(skipped_pattern()).search
    installed = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    files = [Path(m.__file__).resolve() for m in list(sys.modules.values()) if getattr(m, "__file__", None)]
    ours = [f for f in files if any(f.is_relative_to(p) for p in installed)]
    assert len(ours) > 500                                   # the packages' modules were found
    assert [str(f) for f in ours if skips(str(f))] == []
