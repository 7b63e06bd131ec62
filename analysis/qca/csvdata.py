"""Reading case data from CSV as text, exactly as written: the one reader of the command line and
of the study side.

Spreadsheet and statistics programs guess: ``001`` becomes 1, ``NA`` (Namibia's code) becomes
missing, ``True`` becomes 1.  A QCA data set names its cases and its sets, so nothing is guessed
here: ``read_text`` reads every cell as text; ``case_ids`` takes the case names exactly as written
(surrounding spaces removed), refusing empty, duplicate and control-character names;
``numbers`` turns the cells of the named columns into floats, refusing anything that is not a
decimal number (``True``, ``5,5``, ``high``) and reading the usual spellings of a missing value
(an empty cell, ``NA``, ``NaN``, ``NULL``, ...) as missing, so that the caller can name them.
Every problem is a ``QCAError`` that names the file, the line or case, and the column.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "m.csv")
>>> _ = open(path, "w").write("case,A,Y\\nNA,0.25,0.5\\n001,0.75,1\\n")
>>> frame = read_text(path)
>>> case_ids(frame, "case", path).tolist()
['NA', '001']
>>> numbers(frame.set_index("case"), ["A", "Y"], path)["A"].tolist()
[0.25, 0.75]
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import QCAError

__all__ = ["read_text", "case_ids", "numbers", "MISSING"]

MISSING = frozenset(["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "NULL", "null", "None", "#N/A", "<NA>", "."])
_BINARY = {b"PK\x03\x04": "an Excel workbook or other zip file", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) file",
           b"%PDF": "a PDF file"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity)$", re.IGNORECASE)


def _open_checked(path: Path, what: str) -> None:
    if path.is_dir():
        raise QCAError(f"{path}: is a folder, not a {what}; give the CSV file itself")
    if not path.is_file():
        raise QCAError(f"{path}: {what} not found; check the path")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise QCAError(f"{path}: cannot open the {what}: {exc.strerror}") from None
    for magic, kind in _BINARY.items():
        if head.startswith(magic):
            raise QCAError(f"{path}: cannot read the CSV: this is {kind}; save the sheet as CSV (comma-separated, "
                           "UTF-8) and pass that file")


def _header(path: Path) -> list:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [h.strip() for h in next(csv.reader(fh), [])]


def read_text(path, what: str = "CSV file") -> pd.DataFrame:
    """Every cell of a comma-separated UTF-8 file as text (a byte-order mark is allowed).

    Parameters
    ----------
    path : str or path-like
        The CSV file.
    what : str, default "CSV file"
        What the file is, for the messages (``"membership file"``).

    Returns
    -------
    pandas.DataFrame
        One row per line after the header, one column per header name (stripped of surrounding
        spaces), every cell a string.

    Raises
    ------
    QCAError
        A missing file, a folder, a binary file (Excel, PDF), text that is not UTF-8, an empty file,
        a header without cases, duplicate or empty column names, or a line with more fields than the
        header (unless the extra field is empty on every line: a trailing comma).

    Notes
    -----
    Nothing is guessed (module docstring): R's ``read.csv`` and pandas' defaults would read
    ``NA`` (Namibia) as missing and ``001`` as 1.  A line with fewer fields than the header gets
    empty cells, which ``numbers`` reports as missing.

    Examples
    --------
    >>> from analysis.qca.datasets import HERE
    >>> read_text(HERE / "LF.csv").iloc[0].tolist()
    ['AU', '0.81', '0.12', '0.99', '0.73', '0.43', '0.05']
    """
    path = Path(path)
    _open_checked(path, what)
    try:
        header = _header(path)
    except UnicodeDecodeError:
        raise QCAError(f"{path}: cannot read the CSV: it is not UTF-8 text; save it as CSV UTF-8 "
                       "(comma-separated)") from None
    except (OSError, csv.Error) as exc:
        raise QCAError(f"{path}: cannot read the CSV: {exc}") from None
    if not header or header == [""]:
        raise QCAError(f"{path}: cannot read the CSV: the file is empty; it needs a header line and one line per case")
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise QCAError(f"{path}: column name(s) {', '.join(map(repr, dup))} appear more than once in the header")
    names = list(range(len(header) + 1))            # one column more, to catch a line with extra fields
    try:
        frame = pd.read_csv(path, header=None, skiprows=1, names=names, dtype=str, keep_default_na=False,
                            na_filter=False, encoding="utf-8-sig", skipinitialspace=True, skip_blank_lines=True)
    except UnicodeDecodeError:
        raise QCAError(f"{path}: cannot read the CSV: it is not UTF-8 text; save it as CSV UTF-8 "
                       "(comma-separated)") from None
    except pd.errors.ParserError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f"line {int(line.group(1)) + 1}" if line else "a line"
        raise QCAError(f"{path}: {where} has more fields than the header ({len(header)} columns); check the commas "
                       "(a decimal comma, or a value with a comma, needs quotes)") from None
    except (pd.errors.EmptyDataError, ValueError, OSError) as exc:
        raise QCAError(f"{path}: cannot read the CSV: {' '.join(str(exc).split())}") from None
    extra = frame[len(header)] != ""
    if extra.any():
        line = int(np.flatnonzero(extra.to_numpy())[0]) + 2
        raise QCAError(f"{path}: line {line} has more fields than the header ({len(header)} columns); check the "
                       "commas (a decimal comma, or a value with a comma, needs quotes)")
    frame = frame.drop(columns=[len(header)])
    frame.columns = header
    if header[-1] == "" and (frame[""] == "").all():     # a trailing comma on every line, the header too
        frame, header = frame.drop(columns=[""]), header[:-1]
    if "" in header:
        raise QCAError(f"{path}: column {header.index('') + 1} of the header has no name; name it or remove it")
    if len(frame) == 0:
        raise QCAError(f"{path}: has a header but no cases; add one line per case")
    return frame


def case_ids(frame: pd.DataFrame, column: str, path, name: str = "case") -> pd.Index:
    """The case names of ``column``, as written (surrounding spaces removed).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``read_text``'s cells.
    column : str
        The column of case names.
    path : str or path-like
        The file, for the messages.
    name : str, default "case"
        The name of the returned index.

    Returns
    -------
    pandas.Index

    Raises
    ------
    QCAError
        An empty, duplicate or control-character name (the message names the line).

    Notes
    -----
    Case names are kept as text: ``NA`` and ``001`` are names, not a missing value or a number.

    Examples
    --------
    >>> from analysis.qca.datasets import HERE
    >>> case_ids(read_text(HERE / "LF.csv"), "case", "LF.csv")[:3].tolist()
    ['AU', 'BE', 'CZ']
    """
    ids = frame[column].str.strip()
    blank = ids == ""
    if blank.any():
        lines = ", ".join(str(i + 2) for i in np.flatnonzero(blank.to_numpy())[:5])
        raise QCAError(f"{path}: empty case id on line(s) {lines} (column {column!r})")
    control = ids.str.contains(_CONTROL)
    if control.any():
        line = int(np.flatnonzero(control.to_numpy())[0]) + 2
        raise QCAError(f"{path}: the case id on line {line} (column {column!r}) holds a control character "
                       f"({ids[control].iloc[0]!r}); remove it")
    dup = ids[ids.duplicated()].unique()
    if len(dup):
        raise QCAError(f"{path}: duplicate case id(s) {', '.join(map(str, dup[:5]))} in column {column!r}; "
                       "every case needs its own id")
    return pd.Index(ids, name=name)


def numbers(frame: pd.DataFrame, columns, path) -> pd.DataFrame:
    """The cells of ``columns`` as floats (NaN for a missing value).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``read_text``'s cells (indexed by case, for the messages).
    columns : sequence of str
        The columns to convert.
    path : str or path-like
        The file, for the messages.

    Returns
    -------
    pandas.DataFrame
        The columns as floats, indexed as ``frame``.

    Raises
    ------
    QCAError
        A cell that is not a decimal number (``True``, ``5,5``, ``high``); the message names the
        case, the column and the value.

    Notes
    -----
    Decimal numbers with a point (an exponent, ``inf`` allowed) and the spellings of a missing
    value in ``MISSING`` (an empty cell, ``NA``, ``NaN``, ``NULL``, ...) are read; the caller
    decides what a missing value means (the truth table refuses it).

    Examples
    --------
    >>> from analysis.qca.datasets import HERE
    >>> cells = read_text(HERE / "LF.csv").set_index("case")
    >>> numbers(cells, ["DEV", "SURV"], "LF.csv").head(2)
           DEV  SURV
    case
    AU    0.81  0.05
    BE    0.99  0.95
    """
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        text = frame[col].str.strip()
        missing = text.isin(MISSING)
        valid = missing | text.str.match(_NUMBER)
        if not valid.all():
            case = frame.index[np.flatnonzero(~valid.to_numpy())[0]]
            raise QCAError(f"{path}: case {case!r}, column {col!r}: value {text[~valid].iloc[0]!r} is not a number "
                           "(write decimals with a point, e.g. 0.75)")
        out[col] = pd.to_numeric(text.where(~missing, None), errors="coerce").astype(float)
    return out
