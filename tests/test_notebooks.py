"""The notebooks serve every study: no code cell names a study's set or indicator, and none
touches a private name.  The studies are those found (data/ or $COMPENDIUM_STUDIES, and the test
study), so a study added by files is checked with the others.

A name counts as named when the code uses it as a study's names are used, in a text that is the
name or a set expression of names (``calibrated["MPV"]``, ``"MPV*PPV"``, ``'~RISK'``); whole
names only.  The notebook's own identifiers (a variable ``S = load_study(...)`` while a study
has a set ``S``; attributes and keywords of the library's API) and the words of its messages
are not."""
import ast
import re
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline.studies import study_files
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDIES = study_files() + sorted((ROOT / "tests" / "fixtures" / "studies").glob("*/study.yml"))
EXPRESSION = re.compile(r"\s*~?[A-Za-z][A-Za-z0-9_.]*(\s*[*+]\s*~?[A-Za-z][A-Za-z0-9_.]*)*\s*")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]*")


def study_names() -> set:
    names = set()
    for path in STUDIES:
        study = load_study(path)
        for name, measure in study.measures.items():
            names.add(name)
            names.update(measure.indicators)
        names.update(study.joint)
    return names


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def named(source: str) -> set:
    """The names a cell uses as a study's names are used (module docstring)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and EXPRESSION.fullmatch(node.value):
            if re.search(r"[*+~]", node.value) or " " not in node.value.strip():
                found.update(NAME.findall(node.value))
    return found


def test_the_rule_finds_names_as_studies_are_named_not_as_variables():
    assert named('S = load_study(study)\nprint(f"{S.name}: a study", S.calibration.idm)') == set()
    assert named('calibrated["MPV"] + calibrated[\'PPV\']') == {"MPV", "PPV"}
    assert named('membership(calibrated, "CONTRACT*~NORMS + RISK")') == {"CONTRACT", "NORMS", "RISK"}
    assert named('print("necessary for all")') == set()


def test_there_are_studies_and_notebooks():
    assert len(NOTEBOOKS) == 7 and len(STUDIES) >= 2
    assert {"MPV", "CONTRACT", "SAT", "WAIT"} <= study_names()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_names_a_studys_sets(path):
    names = study_names()
    for cell in code_cells(path):
        if "parameters" in cell.metadata.get("tags", []):
            continue                      # the default study file's path, which papermill replaces
        used = named(cell.source)
        assert not used & names, f"{path.name}: {cell.source!r} names {sorted(used & names)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_touches_a_private_name(path):
    for cell in code_cells(path):
        assert not re.search(r"\._[A-Za-z]|import _|\b_[a-z]\w*\(", cell.source), cell.source
