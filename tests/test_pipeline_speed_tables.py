"""The table writers' shortcuts against what they replaced, cell for cell and byte for byte.

``frame_html`` writes the notebooks' HTML itself where pandas would write the same (``_plain``);
``texts`` formats a column in one pass instead of ``fmt`` value by value; ``latex_table`` escapes a
column at once and asks the layout for each cell's breakable parts once (``_parts``).
"""
import numpy as np
import pandas as pd
import pytest

from analysis.report import frames, latex, latex_layout, notebook
from analysis.report.format import fmt, is_numeric, texts

TRICKY = ["a & b", "x<y>z", "&lt;", "two  spaces", "A*B_1/c", "", "●", "⊗ core", "nan", "√ ünï", "a\u00a0b"]


def _pandas_html(df: pd.DataFrame) -> str:
    """frame_html as it was: pandas' HTML of the formatted cells, aligned."""
    df = frames.flat(df)
    html = frames._cells(df).to_html(index=False, notebook=True, border=1,
                                       max_rows=pd.get_option("display.max_rows"),
                                       max_cols=pd.get_option("display.max_columns"))
    return frames._aligned(html, [not is_numeric(df[c]) for c in df.columns])


FRAMES = [
    pd.DataFrame({"set": TRICKY, "inclS": np.linspace(0, 1, len(TRICKY)), "n": range(len(TRICKY))}),
    pd.DataFrame({"a b": ["x"], "c&d": [np.nan], "flag": [True]}),
    pd.DataFrame({"cases": pd.Series(["H1, H2", None], dtype="string"), "v": [1.5, None]}),
    pd.DataFrame({"x": pd.Series([], dtype=object), "y": pd.Series([], dtype=float)}),
    pd.DataFrame({"Y": [0.25, 0.5]}, index=pd.Index(["c1", "c2"], name="case")),
    pd.DataFrame({" padded ": ["a"], "t": ["tab\there"], "n": ["line\nbreak"], "e": [" edge "]}),
    pd.DataFrame(index=range(2)),
]


@pytest.fixture()
def shown():
    """The notebooks' display options (as display_setup sets them), restored afterwards."""
    keys = ("display.max_rows", "display.max_columns", "display.max_colwidth", "display.precision",
            "display.float_format", "display.width")
    saved = {k: pd.get_option(k) for k in keys}
    notebook.display_setup()
    yield
    for k, v in saved.items():
        pd.set_option(k, v)


@pytest.mark.parametrize("k", range(len(FRAMES)))
def test_frame_html_is_pandas_html_byte_for_byte(shown, k):
    assert notebook.frame_html(FRAMES[k]) == _pandas_html(FRAMES[k])


def test_the_own_html_is_taken_only_where_pandas_writes_the_same(shown):
    plain = frames._plain
    assert plain(["a"], [["x", "y"]])
    assert not plain(["a"], [["x\ty"]]) and not plain(["a"], [[" x"]]) and not plain([" a"], [["x"]])
    assert not plain([], [])
    pd.set_option("display.max_colwidth", 50)            # pandas would cut long cells: its own HTML
    assert not plain(["a"], [["x"]])
    df = pd.DataFrame({"long": ["w" * 80]})
    assert notebook.frame_html(df) == _pandas_html(df) and "..." in notebook.frame_html(df)


@pytest.mark.parametrize("col", [
    pd.Series([0.91234, np.nan, -0.0, 1e20, np.inf]), pd.Series([1, -2], dtype="int64"),
    pd.Series([3], dtype="uint8"), pd.Series([True, False]), pd.Series([0.5], dtype="float32"),
    pd.Series([1.5, None, "a", ["A", "B"], True, pd.NA], dtype=object),
    pd.Series(["a", None], dtype="string"), pd.Series([1, None], dtype="Int64"),
    pd.Series(pd.to_datetime(["2026-12-07", None])), pd.Series(pd.Categorical(["x", "y"]))])
def test_texts_is_fmt_of_every_value(col):
    assert texts(col) == [fmt(v) for v in col]
    assert texts(col, 6) == [fmt(v, 6) for v in col]


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_column_escaped_at_once_is_its_cells_escaped(wrapped):
    cells = TRICKY + ["back\\slash_", "50% ~ $x$ #1 {a}", "sep\x00inside"]
    assert latex._column(cells, wrapped) == [latex._cell(c, wrapped) for c in cells]
    assert latex._column(cells[:3], wrapped) == [latex._cell(c, wrapped) for c in cells[:3]]
    assert latex._column([], wrapped) == []


def test_the_parts_of_a_cell_are_its_pieces():
    for text in TRICKY + ["M1: A*B + C", "a_b/c d", "  ", "x\u2003y"]:
        pieces = latex_layout._pieces(text)
        assert latex_layout._parts(text) == (len(pieces), max(map(latex_layout.text_width, pieces), default=0.0))


def test_long_cells_are_still_continued_and_short_ones_kept():
    short = [["a", "b"], ["1", "2"]]
    assert latex_layout._continued(short) == short and latex_layout._continued(short) is not short
    long = [["x " * 100, "b"], ["1", "2"]]
    out = latex_layout._continued(long)
    assert len(out[0]) > 2 and out[1][1:].count("") >= 1 and "".join(out[0]).replace(" ", "") == ("x" * 100) + "b"


def _numeric_as_it_was(col: pd.Series) -> bool:
    if getattr(col.dtype, "kind", "O") in "iuf":
        return bool(col.notna().any())
    values = col.dropna()
    return len(values) > 0 and all(isinstance(v, (int, float, np.integer, np.floating))
                                   and not isinstance(v, (bool, np.bool_)) for v in values)


@pytest.mark.parametrize("col", [
    pd.Series([1.5, None], dtype=object), pd.Series([None, pd.NA, np.nan], dtype=object),
    pd.Series([1, "a"], dtype=object), pd.Series([np.int64(2), np.float32(0.5)], dtype=object),
    pd.Series([True, 1], dtype=object), pd.Series([np.bool_(True)], dtype=object), pd.Series([[1], 2], dtype=object),
    pd.Series(["x", None], dtype="string"), pd.Series([None, None], dtype="string"), pd.Series([], dtype=object),
    pd.Series([True, False]), pd.Series(pd.to_datetime(["2026-12-07", None])), pd.Series(pd.Categorical([1, None])),
    pd.Series(pd.Categorical(["a", "b"])), pd.Series([1, None], dtype="Int64"), pd.Series([np.nan, 2.0])])
def test_is_numeric_is_what_it_was(col):
    assert is_numeric(col) == _numeric_as_it_was(col)
