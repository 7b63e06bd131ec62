"""Round 7 (helper R): the notebooks' table display writes what the plain code writes.

* a column's HTML cells escaped in one pass over the column joined (``frames._html_column``)
  equal ``_html_cell`` of every cell, on random texts of HTML's special characters, runs of
  spaces, empty cells and the joining character itself;
* a table with ``attrs`` (dropped from ``flat``'s copy, since pandas copies them deeply at every
  column read) is shown as the same table without them, and keeps its own ``attrs``.
"""
from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis.report import frames
from analysis.report.notebook import display_setup

ALPHABET = ["a", "B", " ", "  ", "&", "<", ">", "&amp;", "\"", "'", "é", "●", "\x00", "nbsp", "0.5"]


@pytest.mark.parametrize("seed", range(6))
def test_html_column_equals_every_cell_escaped_alone(seed):
    rng = random.Random(seed)
    for _ in range(200):
        col = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 8))]
        for left in (True, False):
            assert frames._html_column(col, left) == [frames._html_cell("td", c, left) for c in col], col


def test_shown_table_with_attrs_is_the_table_without_them():
    display_setup()
    table = pd.DataFrame({"condition": ["A", "~B", "C  D"], "inclN": [0.91234, float("nan"), 1.0]},
                         index=pd.Index(["c1", "c2", "c3"], name="case"))
    marked = table.copy()
    marked.attrs = {"block": "C1P1", "model": 2, "nested": {"rows": [1, 2, 3]}}
    plain, shown = frames._Shown(table), frames._Shown(marked)
    assert (shown.html, shown.text) == (plain.html, plain.text)
    assert frames.frame_html(marked) == frames.frame_html(table) == plain.html
    assert marked.attrs == {"block": "C1P1", "model": 2, "nested": {"rows": [1, 2, 3]}}
    assert '<td style="text-align: left;">C&nbsp;&nbsp;D</td>' in plain.html
