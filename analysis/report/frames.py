"""A table as the notebooks show it: one header row, text left and numbers right, a missing
value blank, in HTML and in plain text (``analysis.report.notebook`` registers them for
DataFrames; ``show_table`` shows a table with both made from one formatting, ``_Shown``).

>>> print(frame_text(pd.DataFrame({"set": ["A", "~B"], "inclS": [0.91234, float("nan")]})))
set  inclS
A    0.912
~B
"""
from __future__ import annotations

import re
from html import escape as html_escape

import pandas as pd

from .format import is_numeric, texts

__all__ = ["flat", "frame_html", "frame_text"]


def flat(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with one header row: a meaningful index as the first column(s), column levels
    joined, no name on the column index.

    >>> flat(pd.DataFrame({"Y": [0.5]}, index=pd.Index(["c1"], name="case"))).columns.tolist()
    ['case', 'Y']
    """
    out = df.copy()
    out.attrs = {}           # (pandas copies a frame's attrs deeply at every column read; none is shown)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = [" ".join(str(x) for x in c if str(x)) for c in out.columns]
    if not (isinstance(out.index, pd.RangeIndex) and out.index.name is None):
        names = [n if n is not None else "" for n in out.index.names]
        out.index.names = [n if n not in out.columns else f"{n} " for n in names]
        out = out.reset_index()
    out.columns.name = None
    return out.reset_index(drop=True)


def _columns(df: pd.DataFrame) -> list:
    """Every column's cells as the reader sees them (``fmt``): numbers with 3 decimals, a missing
    value blank."""
    return [texts(df.iloc[:, j]) for j in range(df.shape[1])]


def _cells(df: pd.DataFrame, columns: list | None = None) -> pd.DataFrame:
    """Every cell as the reader sees it (``fmt``): numbers with 3 decimals, a missing value blank
    (``columns``: ``_columns(df)``, when the caller has them)."""
    columns = _columns(df) if columns is None else columns
    return pd.DataFrame(list(zip(*columns)) if df.shape[1] else [[] for _ in range(len(df))],
                        columns=[str(c) for c in df.columns], dtype=object)


def _prepared(df: pd.DataFrame) -> tuple:
    """What the HTML and the plain text of a table are written from: the table with one header
    row (``flat``), its headings, its cells as text (``_columns``) and which columns are numeric."""
    df = flat(df)
    return df, [str(c) for c in df.columns], _columns(df), [is_numeric(df[c]) for c in df.columns]


_CELL = re.compile(r"<(td|th)(\s[^>]*)?>")


def _aligned(html: str, left: list) -> str:
    """The table's cells aligned: text columns left, numbers right (pandas aligns all right)."""
    rows = html.replace('<tr style="text-align: right;">', "<tr>").split("<tr")
    for i in range(1, len(rows)):
        j = [-1]

        def align(m):
            j[0] += 1
            side = "left" if j[0] < len(left) and left[j[0]] else "right"
            return f'<{m.group(1)}{m.group(2) or ""} style="text-align: {side};">'
        rows[i] = _CELL.sub(align, rows[i])
    return "<tr".join(rows)


def frame_html(df: pd.DataFrame) -> str:
    """A DataFrame's HTML as the notebooks show it (module description): one header row, text
    columns aligned left and numbers right, a missing value blank."""
    return _html(*_prepared(df))


def _html(df: pd.DataFrame, headers: list, columns: list, numeric: list) -> str:
    left = [not n for n in numeric]
    if _plain(headers, columns):
        return _table_html(headers, columns, left)
    html = _cells(df, columns).to_html(index=False, notebook=True, border=1,
                                       max_rows=pd.get_option("display.max_rows"),
                                       max_cols=pd.get_option("display.max_columns"))
    return _aligned(html, left)


# pandas' HTML of a table in a notebook (``to_html(notebook=True, border=1)``), as frame_html shows it
_HTML_HEAD = ('<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n\n'
              '    .dataframe tbody tr th {\n        vertical-align: top;\n    }\n\n    .dataframe thead th {\n'
              '        text-align: right;\n    }\n</style>\n<table border="1" class="dataframe">\n  <thead>\n    <tr>\n')
_HTML_OPTIONS = {"display.max_rows": None, "display.max_columns": None, "display.max_colwidth": None,
                 "display.colheader_justify": "right", "display.html.use_mathjax": True}
_PANDAS_OWN = re.compile(r"[\t\r\n]")          # pandas writes these as \t, \r, \n


def _plain(headers: list, columns: list) -> bool:
    """Whether ``_table_html`` writes what pandas writes: the notebooks' display options (nothing
    cut, headings aligned right, MathJax on), dimensions shown only for a cut table, at least one
    column, and no heading or cell that pandas rewrites (a tab or line break, or white space at
    either end, which it strips)."""
    if any(pd.get_option(k) != v for k, v in _HTML_OPTIONS.items()) or pd.get_option("display.show_dimensions") \
            not in ("truncate", False) or not headers:
        return False
    text = "\x00".join(headers + [c for col in columns for c in col])
    if _PANDAS_OWN.search(text):
        return False
    return all(c == c.strip() for c in headers) and all(c == c.strip() for col in columns for c in col)


def _html_cell(kind: str, text: str, left: bool) -> str:
    side = "left" if left else "right"
    return f'      <{kind} style="text-align: {side};">' + html_escape(text, quote=False).replace(
        "  ", "&nbsp;&nbsp;") + f"</{kind}>\n"


_APART = "\x00"          # joins a column's cells to escape them in one pass (no escape touches it)


def _html_column(col: list, left: bool) -> list:
    """``[_html_cell("td", c, left) for c in col]``, the cells escaped in one pass over the column
    joined (no escape spans two cells: none holds the character that joins them, and a run of
    spaces ends where a cell does)."""
    joined = _APART.join(col)
    if not col or joined.count(_APART) != len(col) - 1:
        return [_html_cell("td", c, left) for c in col]
    start, end = f'      <td style="text-align: {"left" if left else "right"};">', "</td>\n"
    return [start + c + end for c in html_escape(joined, quote=False).replace("  ", "&nbsp;&nbsp;").split(_APART)]


def _table_html(headers: list, columns: list, left: list) -> str:
    """The HTML pandas writes for the cells ``columns`` (text) under ``headers``, aligned as
    ``_aligned`` aligns it (held against pandas' own in tests/test_pipeline_speed_tables.py)."""
    parts = [_HTML_HEAD] + [_html_cell("th", h, side) for h, side in zip(headers, left)]
    parts.append("    </tr>\n  </thead>\n  <tbody>\n")
    cells = [_html_column(col, side) for col, side in zip(columns, left)]
    for row in zip(*cells):
        parts += ["    <tr>\n", *row, "    </tr>\n"]
    parts.append("  </tbody>\n</table>\n</div>")
    return "".join(parts)


def frame_text(df: pd.DataFrame) -> str:
    """A DataFrame's plain text as the notebooks show it: one header row, text left, numbers
    right, a missing value blank."""
    return _text(*_prepared(df))


def _text(df: pd.DataFrame, headers: list, columns: list, numeric: list) -> str:
    cols = []
    for c, shown, num in zip(df.columns, columns, numeric):
        width = max([len(str(c))] + [len(s) for s in shown])
        pad = str.rjust if num else str.ljust
        cols.append([pad(str(c), width)] + [pad(s, width) for s in shown])
    return "\n".join("  ".join(row).rstrip() for row in zip(*cols)) if cols else ""


def _pretty_frame(df: pd.DataFrame, p, cycle) -> None:
    """The plain-text printer of a DataFrame in the notebooks (``display_setup``)."""
    p.text(frame_text(df))


class _Shown:
    """A table as a notebook shows it (``frame_html``, ``frame_text``), both written from one
    formatting of its cells (``show_table``)."""

    def __init__(self, df: pd.DataFrame):
        prepared = _prepared(df)
        self.html, self.text = _html(*prepared), _text(*prepared)

    def _repr_html_(self) -> str:
        return self.html

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(self.text)
