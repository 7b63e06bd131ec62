"""The engine as a package of its own: importing it loads nothing of the study side and no
pandas until a function needs it, ``--help`` answers without pandas, and every public name is
the function or type it names (not a submodule that happens to share the name)."""
import importlib
import pkgutil
import subprocess
import sys
import types

import analysis.qca as qca
from conftest import ROOT


def _modules_after(code: str) -> set:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print(' '.join(sorted(sys.modules)))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return set(out)


def test_import_loads_no_study_side_and_no_pandas():
    loaded = _modules_after("import analysis.qca")
    study = {m for m in loaded if m.startswith("analysis.") and not m.startswith("analysis.qca")}
    assert not study, study
    assert "pandas" not in loaded and "numpy" not in loaded


def test_help_imports_no_pandas():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "analysis.qca", "--help"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "usage: python -m analysis.qca" in proc.stdout
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "pandas" not in imported and "numpy" not in imported, sorted(imported)[:20]


def test_the_engine_imports_nothing_of_the_study_side():
    for info in pkgutil.walk_packages(qca.__path__, "analysis.qca."):
        source = importlib.util.find_spec(info.name).origin
        text = open(source, encoding="utf-8").read()
        assert "from ..." not in text and "from .. import" not in text and "import analysis." not in text.replace(
            "import analysis.qca", ""), info.name


def test_every_public_name_is_what_it_names_after_every_submodule_is_imported():
    for info in pkgutil.walk_packages(qca.__path__, "analysis.qca."):
        importlib.import_module(info.name)
    for name in qca.__all__:
        value = getattr(qca, name)
        assert not isinstance(value, types.ModuleType), f"analysis.qca.{name} is a module, not the function"
