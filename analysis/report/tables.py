"""Writing tables and JSON so that the same inputs give the same bytes.

Every table of a run is written three times under ``tables/``: CSV (floats with 6 decimals, for
reuse in R or a spreadsheet), Markdown and LaTeX (3 decimals, for reading and for papers; each
``.tex`` is a captioned, labelled table that names the packages it needs and fits the page, see
``analysis.report.latex``).  JSON is written with sorted keys, floats rounded to a fixed number of
decimals, non-finite numbers as null and a final newline.  Nothing carries a timestamp.

>>> import pandas as pd
>>> print(markdown(pd.DataFrame({"set": ["A"], "inclS": [0.91234]})), end="")
| set | inclS |
| :--- | ---: |
| A | 0.912 |
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import StudyError
from .captions import item
from .format import CSV_FLOAT, fmt, is_numeric, rounded, texts
from .latex import latex_document as tex_document
from .latex import latex_table

__all__ = ["latex", "latex_document", "markdown", "read_json", "read_table", "save_table", "write_json"]

def markdown(df: pd.DataFrame, cells: list | None = None, numeric: list | None = None) -> str:
    """A table as Markdown (numbers right-aligned, 3 decimals); ``cells`` and ``numeric``: every
    column's ``texts`` and ``is_numeric``, when the caller has them (``save_table``)."""
    cols = [str(c) for c in df.columns]
    cells = [texts(df.iloc[:, j]) for j in range(len(cols))] if cells is None else cells
    columns = [[c.replace("|", "\\|").replace("\n", " ") for c in col] for col in cells]
    numeric = [is_numeric(df[c]) for c in df.columns] if numeric is None else numeric
    lines = ["| " + " | ".join(cols) + " |",
             "| " + " | ".join("---:" if n else ":---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in (zip(*columns) if columns else [()] * len(df))]
    return "\n".join(lines) + "\n"


def latex(df: pd.DataFrame, name: str = "table", caption: str | None = None, cells: list | None = None,
          numeric: list | None = None) -> str:
    """A table as a complete LaTeX table (``analysis.report.latex.latex_table``): the packages it
    needs in a ``% requires:`` line, caption, ``\\label{tab:<name>}``, ``booktabs`` rules, 3 decimals
    (``cells``, ``numeric``: as for ``markdown``)."""
    return latex_table(df, name, caption, cells=cells, numeric=numeric)


def latex_document(folder, name: str = "tables") -> Path:
    """Write ``<folder>/<name>.tex``, one document of every LaTeX table in ``folder`` (the tables of
    a run: ``latex_document(out / "tables")``); see ``analysis.report.latex.latex_document``."""
    return tex_document(folder, name)


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: fmt(v, 6) if not isinstance(v, str) else v)
    return out


def _csv_cells(col: pd.Series) -> list | None:
    """A column's cells as pandas writes them in ``save_table``'s CSV (``_csv_ready``, then
    ``to_csv`` with ``CSV_FLOAT`` and missing values empty), or None for a kind of column left
    to pandas (nullable numbers, categories, dates, ...)."""
    dtype = col.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        values = col.to_numpy().tolist()
        if dtype.kind == "f":
            return [CSV_FLOAT % v if v == v else "" for v in values]
        return [str(v) for v in values]
    if dtype == object:
        return [v if isinstance(v, str) else fmt(v, 6) for v in col.tolist()]
    if isinstance(dtype, pd.StringDtype):
        return ["" if v is None else v for v in col.to_numpy(dtype=object, na_value=None).tolist()]
    return None


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """``_csv_ready(table).to_csv(path, index=False, float_format=CSV_FLOAT, lineterminator="\\n")``:
    the same bytes written by the csv module (pandas' writer, with its dialect) from every column's
    cells formatted in one pass (``_csv_cells``); pandas writes a table it would write otherwise
    (one with columns of another kind, a column named by anything but a text, such as a level
    tuple or None, a name twice, or no column)."""
    cells = [_csv_cells(table.iloc[:, j]) for j in range(table.shape[1])]
    if not cells or any(c is None for c in cells) or not table.columns.is_unique \
            or not all(isinstance(c, str) for c in table.columns):
        _csv_ready(table).to_csv(path, index=False, float_format=CSV_FLOAT, lineterminator="\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", delimiter=",", quoting=csv.QUOTE_MINIMAL,
                            doublequote=True, escapechar=None, quotechar='"')
        writer.writerow([str(c) for c in table.columns])
        writer.writerows(zip(*cells))


def save_table(df: pd.DataFrame, out, key: str, index: bool = False, **fields) -> Path:
    """Write the registry's table ``key`` (``analysis.report.captions``: its file name and caption,
    filled in from ``fields``): ``tables/<file>.csv`` (6 decimals), ``.md`` and ``.tex`` (3 decimals,
    captioned and labelled ``tab:<file>``); return the CSV's path.  With ``index=True`` the index
    becomes the first column (e.g. ``case``)."""
    it = item(key, **fields)
    if it.kind != "table" or not it.file:
        raise KeyError(f"{key!r} is not a table that is written (analysis.report.captions.ITEMS)")
    table = df.reset_index() if index else df.reset_index(drop=True)
    table.attrs = {}                 # (pandas copies a frame's attrs deeply at every column read)
    folder = Path(out) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{it.file}.csv"
    _write_csv(table, path)
    cells = [texts(table.iloc[:, j]) for j in range(table.shape[1])]    # formatted once for the Markdown
    numeric = [is_numeric(table.iloc[:, j]) for j in range(table.shape[1])]    # and the LaTeX
    (folder / f"{it.file}.md").write_text(markdown(table, cells, numeric), encoding="utf-8")
    (folder / f"{it.file}.tex").write_text(latex(table, it.file, it.caption, cells, numeric), encoding="utf-8")
    return path


def read_table(out, name: str, index: str | None = None) -> pd.DataFrame:
    """Read ``tables/<name>.csv`` written by an earlier step (``index``: column to index by, read
    as text exactly as written, so that a case named ``NA`` or ``001`` keeps its name).  ``out``: a
    folder, or a run (``analysis.runs.Run``: its own folder, else the folder it reads from)."""
    path = out.path("tables", f"{name}.csv") if hasattr(out, "path") else Path(out) / "tables" / f"{name}.csv"
    if not path.is_file():
        raise StudyError(f"{path}: not found; run the earlier notebooks (or the pipeline) first")
    df = pd.read_csv(path, dtype={index: str} if index else None, keep_default_na=False, na_values=[""])
    return df.set_index(index) if index else df


def write_json(obj, path, digits: int = 6) -> Path:
    """Write JSON with sorted keys, floats rounded to ``digits`` decimals, a final newline."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rounded(obj, digits), indent=1, sort_keys=True, ensure_ascii=False,
                               allow_nan=False) + "\n", encoding="utf-8")
    return path


def read_json(path) -> dict:
    """Read a JSON file written by an earlier step."""
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: not found; run the earlier notebooks (or the pipeline) first")
    return json.loads(path.read_text(encoding="utf-8"))
