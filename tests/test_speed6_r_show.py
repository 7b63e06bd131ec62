"""Round 6 (helper R): ``show_table`` shows a DataFrame through ``_Shown``, its HTML and plain text
written from one formatting of its cells, and the notebooks get the same output as when the
shell formatted the DataFrame itself (``frame_html`` and ``frame_text``, registered by
``display_setup``)."""
from __future__ import annotations

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from analysis.report import notebook
from analysis.report.frames import _Shown
from test_pipeline_speed_tables import FRAMES as TABLE_FRAMES

FRAMES = TABLE_FRAMES + [pd.DataFrame({("A", "x"): [1.0], ("A", "y"): ["t"]}), pd.DataFrame({"long": ["w" * 80]}),
                         pd.DataFrame({"set": ["two  spaces", "●"], "n": [1, 2]}, index=pd.Index(["a", "b"], name="n"))]


@pytest.fixture()
def shell():
    """An IPython shell with the notebooks' display options and formatters (``display_setup``),
    the options restored afterwards."""
    keys = ("display.max_rows", "display.max_columns", "display.max_colwidth", "display.precision",
            "display.float_format", "display.width")
    saved = {k: pd.get_option(k) for k in keys}
    sh = InteractiveShell.instance()
    notebook.display_setup()
    yield sh
    for k, v in saved.items():
        pd.set_option(k, v)


@pytest.mark.parametrize("k", range(len(FRAMES)))
def test_shown_is_the_shells_own_output(shell, k):
    df = FRAMES[k]
    assert notebook._ours(df)
    own = shell.display_formatter.format(df)
    shown = shell.display_formatter.format(_Shown(df))
    assert shown == own and set(own[0]) == {"text/plain", "text/html"}
    assert own[0]["text/html"] == notebook.frame_html(df) and own[0]["text/plain"] == notebook.frame_text(df)


def test_cut_tables_are_the_shells_own_output_too(shell):
    pd.set_option("display.max_colwidth", 20)               # pandas' own HTML (cells cut)
    df = FRAMES[len(TABLE_FRAMES) + 1]
    assert shell.display_formatter.format(_Shown(df)) == shell.display_formatter.format(df)
    assert "..." in shell.display_formatter.format(df)[0]["text/html"]


def test_other_tables_are_left_to_the_shell(shell):
    assert not notebook._ours(pd.Series([1.0])) and not notebook._ours([1, 2])
    formatters = shell.display_formatter.formatters
    formatters["text/plain"].for_type(pd.DataFrame, lambda df, p, cycle: p.text("other"))
    try:
        assert not notebook._ours(FRAMES[0])               # a shell not set up by display_setup
    finally:
        notebook.display_setup()
    assert notebook._ours(FRAMES[0])
