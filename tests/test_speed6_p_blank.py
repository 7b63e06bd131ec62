"""The notebook papermill is given (analysis.pipeline.execute._blank) is what nbformat reads of
the step notebook with every code cell's stored outputs dropped: the outputs are dropped from the
JSON before nbformat reads it, which then validates a small notebook instead of the stored
figures.  Held against nbformat's own reading, notebook by notebook."""
import nbformat
import pytest

from analysis.pipeline import execute
from analysis.pipeline.layout import NOTEBOOKS, notebooks


def _read_then_blank(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    return nb


@pytest.mark.parametrize("path", notebooks(NOTEBOOKS), ids=lambda p: p.name)
def test_the_blank_notebook_is_nbformats_reading_without_outputs(path):
    blank = execute._blank(path)
    assert blank == _read_then_blank(path)
    assert all(c.outputs == [] for c in blank.cells if c.cell_type == "code")


def test_other_cells_and_metadata_are_kept(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# title", attachments={"a.png": {"image/png": "AAAA"}}),
        nbformat.v4.new_raw_cell("raw", metadata={"format": "text/x-rst"}),
        nbformat.v4.new_code_cell("x = 1", execution_count=4, metadata={"tags": ["parameters"]},
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")])])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    blank = execute._blank(path)
    assert blank == _read_then_blank(path)
    assert blank.cells[2].outputs == [] and blank.cells[2].execution_count == 4
    assert blank.cells[0].attachments == {"a.png": {"image/png": "AAAA"}}
