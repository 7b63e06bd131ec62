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
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..qca import QCAError

__all__ = ["CSV_FLOAT", "TEXT_DIGITS", "fmt", "latex", "latex_document", "markdown", "read_json", "read_table",
           "rounded", "save_table", "write_json"]

CSV_FLOAT = "%.6f"
TEXT_DIGITS = 3


def fmt(v, digits: int = TEXT_DIGITS) -> str:
    """One cell as text: floats with ``digits`` decimals (empty when not finite), lists joined."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (float, np.floating)):
        return "" if not math.isfinite(v) else f"{v:.{digits}f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return "" if v is None else str(v)


def _is_numeric(col: pd.Series) -> bool:
    values = col.dropna()
    return len(values) > 0 and all(isinstance(v, (int, float, np.integer, np.floating))
                                   and not isinstance(v, (bool, np.bool_)) for v in values)


def markdown(df: pd.DataFrame) -> str:
    """A table as Markdown (numbers right-aligned, 3 decimals)."""
    cols = [str(c) for c in df.columns]
    cells = [[fmt(v).replace("|", "\\|").replace("\n", " ") for v in row]
             for row in df.itertuples(index=False)]
    numeric = [_is_numeric(df[c]) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |",
             "| " + " | ".join("---:" if n else ":---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(lines) + "\n"


def latex(df: pd.DataFrame, name: str = "table", caption: str | None = None) -> str:
    """A table as a complete LaTeX table (``analysis.report.latex.latex_table``): the packages it
    needs in a ``% requires:`` line, caption, ``\\label{tab:<name>}``, ``booktabs`` rules, 3 decimals."""
    # (here, not at the top: latex.py imports this module)
    from .latex import latex_table
    return latex_table(df, name, caption)


def latex_document(folder, name: str = "tables") -> Path:
    """Write ``<folder>/<name>.tex``, one document of every LaTeX table in ``folder`` (the tables of
    a run: ``latex_document(out / "tables")``); see ``analysis.report.latex.latex_document``."""
    from .latex import latex_document as document
    return document(folder, name)


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: fmt(v, 6) if not isinstance(v, str) else v)
    return out


def save_table(df: pd.DataFrame, out, name: str, index: bool = False, caption: str | None = None) -> pd.DataFrame:
    """Write ``tables/<name>.csv`` (6 decimals), ``.md`` and ``.tex`` (3 decimals); return the table.

    With ``index=True`` the index becomes the first column (e.g. ``case``).  ``caption`` is the
    LaTeX table's caption (default: ``analysis.report.latex.caption_of(name)``); its label is
    ``tab:<name>``.
    """
    table = df.reset_index() if index else df.reset_index(drop=True)
    folder = Path(out) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    _csv_ready(table).to_csv(folder / f"{name}.csv", index=False, float_format=CSV_FLOAT, lineterminator="\n")
    (folder / f"{name}.md").write_text(markdown(table), encoding="utf-8")
    (folder / f"{name}.tex").write_text(latex(table, name, caption), encoding="utf-8")
    return df


def read_table(out, name: str, index: str | None = None) -> pd.DataFrame:
    """Read ``tables/<name>.csv`` written by an earlier step (``index``: column to index by, read
    as text exactly as written, so that a case named ``NA`` or ``001`` keeps its name)."""
    path = Path(out) / "tables" / f"{name}.csv"
    if not path.is_file():
        raise QCAError(f"{path}: not found; run the earlier notebooks (or the pipeline) first")
    df = pd.read_csv(path, dtype={index: str} if index else None, keep_default_na=False, na_values=[""])
    return df.set_index(index) if index else df


def rounded(obj, digits: int = 6):
    """``obj`` (mappings, lists, numbers) with floats rounded to ``digits`` decimals, non-finite
    floats as None, numpy scalars as Python ones: ready for ``json.dumps``."""
    if isinstance(obj, Mapping):
        return {str(k): rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [rounded(v, digits) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return round(float(obj), digits) if math.isfinite(obj) else None
    return obj


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
        raise QCAError(f"{path}: not found; run the earlier notebooks (or the pipeline) first")
    return json.loads(path.read_text(encoding="utf-8"))
