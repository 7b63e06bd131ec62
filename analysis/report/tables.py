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

import json
from pathlib import Path

import pandas as pd

from ..errors import StudyError
from .captions import item
from .format import CSV_FLOAT, fmt, is_numeric, rounded, texts
from .latex import latex_document as tex_document
from .latex import latex_table

__all__ = ["latex", "latex_document", "markdown", "read_json", "read_table", "save_table", "write_json"]

def markdown(df: pd.DataFrame) -> str:
    """A table as Markdown (numbers right-aligned, 3 decimals)."""
    cols = [str(c) for c in df.columns]
    columns = [[c.replace("|", "\\|").replace("\n", " ") for c in texts(df.iloc[:, j])] for j in range(len(cols))]
    numeric = [is_numeric(df[c]) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |",
             "| " + " | ".join("---:" if n else ":---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in (zip(*columns) if columns else [()] * len(df))]
    return "\n".join(lines) + "\n"


def latex(df: pd.DataFrame, name: str = "table", caption: str | None = None) -> str:
    """A table as a complete LaTeX table (``analysis.report.latex.latex_table``): the packages it
    needs in a ``% requires:`` line, caption, ``\\label{tab:<name>}``, ``booktabs`` rules, 3 decimals."""
    return latex_table(df, name, caption)


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


def save_table(df: pd.DataFrame, out, key: str, index: bool = False, **fields) -> Path:
    """Write the registry's table ``key`` (``analysis.report.captions``: its file name and caption,
    filled in from ``fields``): ``tables/<file>.csv`` (6 decimals), ``.md`` and ``.tex`` (3 decimals,
    captioned and labelled ``tab:<file>``); return the CSV's path.  With ``index=True`` the index
    becomes the first column (e.g. ``case``)."""
    it = item(key, **fields)
    if it.kind != "table" or not it.file:
        raise KeyError(f"{key!r} is not a table that is written (analysis.report.captions.ITEMS)")
    table = df.reset_index() if index else df.reset_index(drop=True)
    folder = Path(out) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{it.file}.csv"
    _csv_ready(table).to_csv(path, index=False, float_format=CSV_FLOAT, lineterminator="\n")
    (folder / f"{it.file}.md").write_text(markdown(table), encoding="utf-8")
    (folder / f"{it.file}.tex").write_text(latex(table, it.file, it.caption), encoding="utf-8")
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
