"""What a run's report reads of its notebooks without running them: the numbers they gave their
tables and figures, and the headline that marks synthetic data.

Each step records what it numbered in ``numbering/NN.json`` of the run's folder
(``analysis.report.notebook``); ``report_numbers`` reads them back for the report
(``analysis.report.html``) and ``tables/tables.tex``.  This module imports nothing but the
standard library, so that the pipeline's own process writes the report without the notebooks'
display machinery (IPython, matplotlib).
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["NUMBERING", "SYNTHETIC_HEADLINE", "report_numbers"]

SYNTHETIC_HEADLINE = "**SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.**"
NUMBERING = "numbering"        # <run>/numbering/NN.json: what each step numbered


def report_numbers(folder) -> dict:
    """``{(kind, file): number}``: the number of every table and figure with a file that the run
    in ``folder`` showed (``numbering/*.json``; the first number when a file was shown twice).

    >>> report_numbers("/nonexistent")
    {}
    """
    numbers = {}
    for path in sorted((Path(folder) / NUMBERING).glob("[0-9][0-9].json")):
        for kind, n, file in json.loads(path.read_text(encoding="utf-8"))["items"]:
            if file:
                numbers.setdefault((kind, file), n)
    return numbers
