"""The step notebooks, written from their cells in ``steps_analysis.py`` (steps 1-4) and
``steps_robustness.py`` (steps 5-7), built of ``cells.py``'s blocks: ``python notebooks/build.py``
rewrites ``notebooks/NN_*.ipynb`` (cells, tags, ids) without outputs; ``python -m analysis.pipeline
--store-notebook-outputs`` then fills in their outputs on the default study.

Each notebook reads as a methods section: a markdown cell says what the step does and why, with
its sources; the next code cell makes the method's own call (``calibrate``, ``necessity_table``,
``super_subset``, ``truth_table``, ``esa``, ``solve``, ``smmr``, the robustness protocol's named
steps, the multiverse's definition and run); then the step's tables and figures are saved
(``save_table``, ``save_figure``) and shown (``show_table``, ``show_figure``), captioned from
the one registry (``analysis.report.captions``).  Nothing in a notebook names a study's sets.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import steps_analysis  # noqa: E402  (the cells of steps 1-4)
import steps_robustness  # noqa: E402  (the cells of steps 5-7)

STEPS = {**steps_analysis.STEPS, **steps_robustness.STEPS}


def build(name: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = []
    for i, (kind, source, tags) in enumerate(STEPS[name]):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        cell["id"] = f"{name[:2]}-{i:02d}"
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb.cells = cells
    return nb


def main(names=None) -> int:
    for name in names or sorted(STEPS):
        nbformat.write(build(name), HERE / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
