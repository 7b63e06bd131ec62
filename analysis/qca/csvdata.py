"""Reading case data from CSV as text, exactly as written: the one reader of the command line and
of the study side.

Spreadsheet and statistics programs guess: ``001`` becomes 1, ``NA`` (Namibia's code) becomes
missing, ``True`` becomes 1.  A QCA data set names its cases and its sets, so nothing is guessed
here: ``read_text`` reads every cell of a regular file as text (a device or a pipe is refused,
never read); ``case_ids`` takes the case names exactly as written (surrounding spaces removed),
refusing empty, invisible, duplicate (compared as a reader sees them: Unicode's composed form,
NFC, every space alike, zero-width joiners left out) and control- or hidden-format-character
names (a zero-width space or a bidirectional override inside a name), and names a spreadsheet would run as a formula (CSV formula injection:
a leading ``=``, ``+``, ``-`` or ``@``); ``numbers`` turns the cells of the named columns into
floats, refusing anything that is not a decimal number in ASCII digits (``True``, ``5,5``,
``high``, Arabic-Indic ``٣``) and reading the usual spellings of a missing value (an empty cell,
``NA``, ``NaN``, ``NULL``, ...) as missing, so that the caller can name them.  Every problem is
a ``QCAError`` that names the file, the line or case, and the column.

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
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import QCAError

__all__ = ["read_text", "case_ids", "numbers", "invisible", "MISSING", "FORMULA_START"]

MISSING = frozenset(["", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "NULL", "null", "None", "#N/A", "<NA>", "."])
_BINARY = {b"PK\x03\x04": "an Excel workbook or other zip file", b"\xd0\xcf\x11\xe0": "an old Excel (.xls) file",
           b"%PDF": "a PDF file"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: a number as ``float`` reads it; ASCII letters only: with Unicode case folding, ``İnf`` and ``ınf``
#: (Turkish i) passed and then read as missing, a value silently lost
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$|^[+-]?(inf|infinity)$",
                     re.IGNORECASE | re.ASCII)
#: What makes a spreadsheet run a cell as a formula (OWASP, "CSV injection"); tab and carriage
#: return, the other two, are control characters, refused anywhere in a case id.
FORMULA_START = ("=", "+", "-", "@")
#: Unicode's default-ignorable code points that are neither control (C) nor separator (Z)
#: characters: fillers, variation selectors and the combining grapheme joiner, all invisible.
_IGNORABLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF))


def invisible(char: str) -> bool:
    """Whether ``char`` shows nothing: a control, format (zero-width, bidirectional), private or
    unassigned code point, a separator other than the space, or a default-ignorable filler.

    Examples
    --------
    >>> [invisible(c) for c in ("\u200b", "\u3164", " ", "e", "\u0301")]
    [True, True, False, False, False]
    """
    return (unicodedata.category(char)[0] in "CZ" and char != " ") or \
        any(lo <= ord(char) <= hi for lo, hi in _IGNORABLE)


def _open_checked(path: Path, what: str) -> None:
    if path.is_dir():
        raise QCAError(f"{path}: is a folder, not a {what}; give the CSV file itself")
    if path.exists() and not path.is_file():          # /dev/null, /dev/zero, a pipe: never read
        raise QCAError(f"{path}: is not a regular file (a device, a pipe or a socket), so it cannot be the {what}; "
                       "give the CSV file itself")
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
        spaces), every cell a string.  A first column without a name is R's row names
        (``write.csv`` with ``row.names = TRUE``, as R writes a published table): it is named
        ``case``.

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
    if header[0] == "" and "" not in header[1:] and "case" not in header:
        header[0] = "case"                # R's write.csv(row.names = TRUE): the row names, unnamed
        frame.columns = header
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
        An empty name, one of invisible characters only (a zero-width space), one with a control
        character, one a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or
        ``@``), or a name given twice, also when written in two Unicode forms (``é`` as one code
        point and as ``e`` with a combining accent); the message names the line.

    Notes
    -----
    Case names are kept as text: ``NA`` and ``001`` are names, not a missing value or a number.
    They are kept as written, but compared as a reader sees them, in Unicode's composed form
    (NFC), every space (a no-break space too) alike and the zero-width joiners left out: names
    that look the same are the same case.  Other invisible format characters (a zero-width space,
    a bidirectional override, a soft hyphen) are refused anywhere in a name.  A name starting with ``=``, ``+``, ``-`` or ``@`` is refused because
    every table the analysis writes repeats the case names, and a spreadsheet opening such a CSV
    would run the cell as a formula (CSV formula injection); a ``-`` inside a name is fine.

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
        raise QCAError(f"{path}: the case id on line {_line(control)} (column {column!r}) holds a control character "
                       f"({ids[control].iloc[0]!r}); remove it")
    _check_visible(ids, column, path)
    _check_format(ids, column, path)
    _check_formulas(ids, column, path)
    _check_unique(ids, column, path)
    return pd.Index(ids, name=name)


def _named(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def _line(mask: pd.Series) -> int:
    """The file's line of the first case where ``mask`` holds (the header is line 1)."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 2


def _check_visible(ids: pd.Series, column, path) -> None:
    hidden = ids.map(lambda s: all(invisible(c) for c in s))
    if hidden.any():
        chars = ", ".join(_named(c) for c in dict.fromkeys(ids[hidden].iloc[0]))
        raise QCAError(f"{path}: the case id on line {_line(hidden)} (column {column!r}) is only invisible "
                       f"characters ({chars}); give the case a visible name")


#: Format characters a name may hold: the zero-width non-joiner and joiner shape Persian, Indic
#: and emoji spellings; every other one (a zero-width space, a bidirectional override, a soft
#: hyphen, a byte-order mark) only hides or reorders what a reader sees, and is refused.
_JOINERS = frozenset("\u200c\u200d")


def _hidden_format(name: str):
    """The first format character (Unicode category Cf) of ``name`` other than a joiner; None."""
    return next((c for c in name if unicodedata.category(c) == "Cf" and c not in _JOINERS), None)


def _check_format(ids: pd.Series, column, path) -> None:
    found = ids.map(_hidden_format)
    bad = found.notna()
    if bad.any():
        raise QCAError(f"{path}: the case id {ids[bad].iloc[0]!r} on line {_line(bad)} (column {column!r}) holds the "
                       f"invisible {_named(found[bad].iloc[0])}, which hides or reorders what a reader sees (two ids "
                       "that look the same would be two cases); remove it")


def _seen(name: str) -> str:
    """A name as a reader sees it: composed (NFC), joiners left out, every space a plain space."""
    composed = unicodedata.normalize("NFC", name)
    return "".join(" " if unicodedata.category(c) == "Zs" else c for c in composed if c not in _JOINERS)


def _check_formulas(ids: pd.Series, column, path) -> None:
    formula = ids.map(lambda s: unicodedata.normalize("NFKC", s[0]) in FORMULA_START)
    if formula.any():
        raise QCAError(f"{path}: the case id {ids[formula].iloc[0]!r} on line {_line(formula)} (column {column!r}) "
                       f"starts with {ids[formula].iloc[0][0]!r}, so a spreadsheet opening the results would run it "
                       f"as a formula (CSV formula injection); rename the case without the leading "
                       f"{ids[formula].iloc[0][0]!r}")


def _check_unique(ids: pd.Series, column, path) -> None:
    composed = ids.map(_seen)
    dup = composed[composed.duplicated()].unique()
    if len(dup):
        spelled = [" = ".join(map(repr, dict.fromkeys(ids[composed == d]))) for d in dup[:5]]
        forms = "" if all(" = " not in s for s in spelled) else \
            " (the same name in two Unicode forms: compared as a reader sees it, in composed form NFC, every " \
            "space alike, zero-width joiners left out)"
        raise QCAError(f"{path}: duplicate case id(s) {', '.join(spelled)} in column {column!r}{forms}; "
                       "every case needs its own id")


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
        A cell that is not a decimal number in ASCII digits (``True``, ``5,5``, ``high``, ``٣``);
        the message names the case, the column and the value.

    Notes
    -----
    Decimal numbers with a point in the ASCII digits 0-9 (an exponent, ``inf`` allowed) and the
    spellings of a missing value in ``MISSING`` (an empty cell, ``NA``, ``NaN``, ``NULL``, ...)
    are read; the caller decides what a missing value means (the truth table refuses it).  Digits
    of other scripts (``٣``, full-width ``３``) are refused with their names, not read as missing.

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
            case, value = frame.index[np.flatnonzero(~valid.to_numpy())[0]], text[~valid].iloc[0]
            digits = [_named(c) for c in dict.fromkeys(value) if unicodedata.category(c) == "Nd" and not c.isascii()]
            if digits:
                raise QCAError(f"{path}: case {case!r}, column {col!r}: value {value!r} is written with digits that "
                               f"are not ASCII ({', '.join(digits)}); write numbers with the digits 0-9 and a "
                               "point, e.g. 0.75")
            raise QCAError(f"{path}: case {case!r}, column {col!r}: value {value!r} is not a number "
                           "(write decimals with a point, e.g. 0.75)")
        out[col] = pd.to_numeric(text.where(~missing, None), errors="coerce").astype(float)
    return out
