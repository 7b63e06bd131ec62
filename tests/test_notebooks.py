"""The notebooks serve every study: no code cell names a study's set or indicator, and none
touches a private name."""
import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
STUDIES = sorted((ROOT / "data").glob("*/study.yml")) + sorted((ROOT / "tests" / "fixtures" / "studies").glob("*/study.yml"))


def study_names() -> set:
    names = set()
    for path in STUDIES:
        spec = yaml.safe_load(path.read_text())
        for name, measure in spec["measures"].items():
            names.add(name)
            names.update(measure["indicators"])
    return names


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_there_are_studies_and_notebooks():
    assert len(NOTEBOOKS) == 7 and len(STUDIES) >= 2
    assert {"MPV", "CONTRACT", "SAT", "WAIT"} <= study_names()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_names_a_studys_sets(path):
    names = study_names()
    for cell in code_cells(path):
        if "parameters" in cell.metadata.get("tags", []):
            continue                      # the default study file's path, which papermill replaces
        used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"#.*", "", cell.source)))
        assert not used & names, f"{path.name}: {cell.source!r} names {sorted(used & names)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_touches_a_private_name(path):
    for cell in code_cells(path):
        assert not re.search(r"\._[A-Za-z]|import _|\b_[a-z]\w*\(", cell.source), cell.source
