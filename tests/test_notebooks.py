"""The notebooks serve every study: no code cell names a study's set or indicator, and none
touches a private name.  The studies are those found (data/ or $COMPENDIUM_STUDIES, and the test
study), so a study added by files is checked with the others.

A name counts as named when the code uses it as a study's names are used, in a text that is the
name or a set expression of names (``calibrated["MPV"]``, ``"MPV*PPV"``, ``'~RISK'``); whole
names only.  The notebook's own identifiers (a variable ``S = load_study(...)`` while a study
has a set ``S``; attributes and keywords of the library's API), the words of its messages and
the library's own vocabulary (a text that ``analysis/`` itself writes as a name, such as the key
``"size"`` of a table, so that a study with a set ``size`` is not mistaken for one the notebooks
name) are not.

A notebook run by hand with changed parameters (JupyterLab, papermill by hand) writes to its own
folder, as ``--set`` does, never into the study's canonical results, and says where it writes."""
import ast
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline.studies import study_file, study_files
from analysis.runs import ENVIRONMENT as RESULTS_ENVIRONMENT
from analysis.runs import RESULTS, run_folder
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDIES = study_files() + sorted((ROOT / "tests" / "fixtures" / "studies").glob("*/study.yml"))
EXPRESSION = re.compile(r"\s*~?[A-Za-z][A-Za-z0-9_.]*(\s*[*+]\s*~?[A-Za-z][A-Za-z0-9_.]*)*\s*")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")


@cache                  # the same files all session: parsed once, not once per notebook
def library_words() -> frozenset:
    """Every text that ``analysis/`` writes as a name (a string constant such as ``"size"``), the
    names its ``__all__`` lists export aside: the library's vocabulary, not a study's."""
    words = set()
    for path in sorted((ROOT / "analysis").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = {id(n) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                    for n in ast.walk(node.value)}
        words.update(node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                     and isinstance(node.value, str) and id(node) not in exported and NAME.fullmatch(node.value))
    return frozenset(words)


@cache
def study_names() -> frozenset:
    names = set()
    for path in STUDIES:
        study = load_study(path)
        for name, measure in study.measures.items():
            names.add(name)
            names.update(measure.indicators)
        names.update(study.joint)
    return frozenset(names)


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def named(source: str, vocabulary=frozenset()) -> set:
    """The names a cell uses as a study's names are used (module docstring), the words of
    ``vocabulary`` (the library's, ``library_words``) aside."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and EXPRESSION.fullmatch(node.value):
            if re.search(r"[*+~]", node.value) or " " not in node.value.strip():
                found.update(NAME.findall(node.value))
    return found - set(vocabulary)


def test_the_rule_finds_names_as_studies_are_named_not_as_variables():
    assert named('S = load_study(study)\nprint(f"{S.name}: a study", S.calibration.idm)') == set()
    assert named('calibrated["MPV"] + calibrated[\'PPV\']') == {"MPV", "PPV"}
    assert named('membership(calibrated, "CONTRACT*~NORMS + RISK")') == {"CONTRACT", "NORMS", "RISK"}
    assert named('print("necessary for all")') == set()
    # the library's vocabulary is not a study's name, whatever a study calls its sets ...
    words = library_words()
    assert {"size", "calibrated", "case"} <= words
    source = 'tests.groupby("analysis")["same_as_IS"].agg(tests="size")\nshow_table(load_table("calibrated"))'
    assert named(source) >= {"size", "analysis"} and named(source, words) == set()
    # ... and the compendium's sets are no word of the library (the export list of a module aside)
    assert not words & {"MPV", "CONTRACT", "SAT", "WAIT", "DEV", "SURV"}


def test_there_are_studies_and_notebooks():
    assert len(NOTEBOOKS) == 7 and len(STUDIES) >= 2
    assert {"MPV", "CONTRACT", "SAT", "WAIT"} <= study_names()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_names_a_studys_sets(path):
    names, words = study_names(), library_words()
    for cell in code_cells(path):
        if "parameters" in cell.metadata.get("tags", []):
            continue                      # the default study file's path, which papermill replaces
        used = named(cell.source, words)
        assert not used & names, f"{path.name}: {cell.source!r} names {sorted(used & names)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_touches_a_private_name(path):
    for cell in code_cells(path):
        assert not re.search(r"\._[A-Za-z]|import _|\b_[a-z]\w*\(", cell.source), cell.source


def _files(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.slow
@pytest.mark.xdist_group("lipset")
def test_a_notebook_run_by_hand_with_changed_parameters_writes_its_own_folder(study_runs, tmp_path):
    """The issue's JupyterLab run: notebook 04 with another incl_cut and the notebook's default
    ``out`` (the study's canonical results) writes ``<results>/<study>-incl_cut=.../``, says so in
    its notice, and leaves every file of the canonical results as it was.  (The results folder is
    a temporary one, named by COMPENDIUM_RESULTS, as JupyterLab's would be results/.)"""
    name = "lipset"
    base = tmp_path / "results"
    shutil.copytree(study_runs(name), base / name)
    before = _files(base / name)
    study = load_study(study_file(name))
    changed = round(study.thresholds["incl_cut"] - 0.05, 2)
    executed = tmp_path / "04_by_hand.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "notebooks" / "04_sufficiency.ipynb"),
                           str(executed), "-p", "study", str(study.path), "-p", "out", str(RESULTS / name),
                           "-p", "incl_cut", repr(changed), "-k", "python3", "--cwd", str(ROOT / "notebooks")],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200,
                          env={**os.environ, RESULTS_ENVIRONMENT: str(base)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    own = run_folder(name, {"incl_cut": changed}, None, base)
    assert own.name == f"{name}-incl_cut={changed!r}" and (own / "solutions" / f"{study.outcomes[0]}.json").is_file()
    assert _files(base / name) == before                                  # the canonical results untouched
    assert not run_folder(name, {"incl_cut": changed}, None, RESULTS).exists()
    shown = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in code_cells(executed)
                    for o in c.get("outputs", []))
    assert f"This run writes to `results/{own.name}/` (its own folder: it changes incl_cut={changed!r})" in shown
    assert f"come from `results/{name}/`" in shown


def test_every_notebook_says_where_it_writes():
    for path in NOTEBOOKS:
        cells = nbformat.read(path, as_version=4).cells
        first = next(c for c in cells if c.cell_type == "markdown" and "where this run writes" in c.source)
        opening = next(c for c in cells if c.cell_type == "code" and "open_run(study, out" in c.source)
        assert cells.index(first) < cells.index(opening) and "notice(R)" in opening.source, path.name
