"""The executed notebooks are written once, from papermill's node, and papermill is given the
committed notebook without its stored outputs: the same bytes as writing, reading back and
writing again (the slow runs of tests/test_pipeline_kernels.py hold whole runs)."""
import copy

import nbformat

from analysis.pipeline import execute
from analysis.pipeline.layout import ROOT

NOTEBOOK = ROOT / "notebooks" / "04_sufficiency.ipynb"      # stored outputs: text, tables, figures


def _executed(tmp):
    """A stand-in for papermill's node: a committed notebook (its outputs as a run's), the
    temporary folder's name in a cell, papermill's record with timings and no output path."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.metadata["papermill"] = {"input_path": None, "output_path": None, "start_time": "t0", "duration": 1.5,
                                "parameters": {"out": str(tmp)}}
    nb.cells[1].source += f"\nout = {str(tmp)!r}"
    nb.cells[1].metadata["papermill"] = {"duration": 0.1}
    return nb


def test_a_notebook_written_once_is_the_notebook_written_read_and_written_again(tmp_path):
    tmp, out = tmp_path / ".run.tmp-1", tmp_path / "run"
    once, twice = tmp_path / "once.ipynb", tmp_path / "twice.ipynb"
    node = _executed(tmp)
    execute._strip_volatile(copy.deepcopy(node), once, NOTEBOOK, tmp, out)
    node.metadata["papermill"].update(input_path=str(NOTEBOOK), output_path=str(twice))   # as papermill wrote it
    nbformat.write(node, twice)
    execute._strip_volatile(nbformat.read(twice, as_version=4), twice, NOTEBOOK, tmp, out)
    assert once.read_bytes() == twice.read_bytes().replace(b"twice.ipynb", b"once.ipynb")
    written = nbformat.read(once, as_version=4)
    assert written.metadata.papermill == {"input_path": str(NOTEBOOK), "output_path": str(once),
                                          "parameters": {"out": str(out)}}
    assert str(tmp) not in once.read_text(encoding="utf-8")


def test_papermill_is_given_the_cells_without_their_stored_outputs():
    stored = nbformat.read(NOTEBOOK, as_version=4)
    blank = execute._blank(NOTEBOOK)
    assert any(c.get("outputs") for c in stored.cells)
    assert all(c.outputs == [] for c in blank.cells if c.cell_type == "code")
    assert [(c.cell_type, c.source, c.metadata) for c in blank.cells] == \
        [(c.cell_type, c.source, c.metadata) for c in stored.cells]
    assert blank.metadata == stored.metadata
