"""The command line's work, after ``analysis.qca.__main__`` has parsed its options: read the
memberships, build the truth table, the necessity table and the solutions, print them.

Reads a CSV of memberships (first column: case names), builds the truth table, the necessity
table and the complex, parsimonious and (with ``--dir-exp``) intermediate solutions, and prints
them as readable tables, or as one JSON object with ``--json`` (``analysis.qca.export.document``, the
format of ``tests/fixtures/reference/README.md``).  Bad input ends with one line ``error: ...``
on standard error and exit status 2.

    python -m analysis.qca --data tests/fixtures/reference/datasets/LF.csv --outcome SURV \\
        --incl-cut 0.8 --dir-exp 1,1,1,1,1
"""
from __future__ import annotations

import json
import os
import sys
import warnings

import pandas as pd

from .arguments import error, unexpected
from .csvdata import case_ids, numbers, read_text
from .errors import QCAError
from .export import document
from .fit_necessity import necessity_table
from .intermediate import parse_dir_exp
from .expressions import is_set_name, outcome_of
from .solutions import solve
from .remainders import find_rows
from .membership_checks import validate_memberships, warn_constant
from .mv_rows import multivalue_levels, multivalue_memberships
from .sets import data_levels
from .models import merged_repr
from .truthtable import check_table_columns, truth_table

__all__ = ["run", "read_memberships", "analyse"]


def read_memberships(path: str) -> pd.DataFrame:
    """Read a membership CSV whose first column names the cases.

    Parameters
    ----------
    path : str or path-like
        The CSV file: a header, then one line per case; the first column names the cases (as
        written: ``NA`` and ``001`` stay names), every other column holds numbers.

    Returns
    -------
    pandas.DataFrame
        Floats (NaN for a missing value), indexed by the case names (index name ``case``).

    Raises
    ------
    QCAError
        A file that cannot be read as CSV, fewer than three columns, a bad case name, a value that
        is not a number, or a column name that cannot name a set; the message names the file, the
        line or case and the column (``analysis.qca.csvdata``).

    Notes
    -----
    Memberships are checked to lie in [0, 1] when the truth table is built
    (``membership_checks.validate_memberships``).

    Examples
    --------
    >>> from analysis.qca.datasets import HERE
    >>> read_memberships(HERE / "LF.csv").head(2)
           DEV   URB   LIT   IND   STB  SURV
    case
    AU    0.81  0.12  0.99  0.73  0.43  0.05
    BE    0.99  0.89  0.98  1.00  0.98  0.95
    """
    frame = read_text(path, "membership file")
    if frame.shape[1] < 3:
        raise QCAError(f"{path}: needs a case column, at least one condition and the outcome")
    first = frame.columns[0]
    frame.index = case_ids(frame, first, path)
    data = numbers(frame, frame.columns[1:], path)
    bad = [c for c in data.columns if not is_set_name(c)]
    if bad:
        raise QCAError(f"{path}: column name {bad[0]!r} cannot name a set in an expression (letters, digits, '_' "
                       "and '.', starting with a letter; no '~', '*', '+' or spaces); rename the column")
    return data


def _table(data: pd.DataFrame, outcome: str, conditions=None, incl_cut=0.8, pri_cut=0.0, n_cut=1,
           neg_out=False, source="data", exclude=None):
    """The checked truth table of the command line (with ``--exclude``'s rows excluded)."""
    outcome, neg_out = outcome_of(outcome, neg_out)
    if outcome not in data.columns:
        raise QCAError(f"{source}: outcome column {outcome!r} not found; columns: {', '.join(data.columns)}")
    if conditions is None:
        conditions = [c for c in data.columns if c != outcome]
    unknown = [c for c in conditions if c not in data.columns]
    if unknown:
        raise QCAError(f"{source}: unknown condition(s) {', '.join(unknown)}; columns: {', '.join(data.columns)}")
    check_table_columns(conditions, source)
    levels = multivalue_levels(data, conditions, source)      # R's rule: whole numbers from 0, some 2 or more
    data = validate_memberships(data, list(conditions) + [outcome], source) if levels is None else \
        multivalue_memberships(data, conditions, outcome, levels, source)
    warn_constant(data, conditions, source)
    y = 1 - data[outcome] if neg_out else data[outcome]
    if not (y > 0.5).any():
        warnings.warn(f"{source}: outcome {'~' if neg_out else ''}{outcome}: no case has membership above 0.5, so "
                      "there is little to explain; check the outcome's calibration (or --negate-outcome)",
                      stacklevel=2)
    tt = truth_table(data, outcome, conditions, incl_cut=incl_cut, pri_cut=pri_cut, n_cut=n_cut, neg_out=neg_out)
    return tt.exclude(exclude, reason="excluded by --exclude") if exclude else tt


def analyse(data: pd.DataFrame, outcome: str, conditions=None, incl_cut=0.8, pri_cut=0.0, n_cut=1,
            neg_out=False, dir_exp=None, source="data", exclude=None) -> tuple:
    """Everything the command line reports: the JSON document, the truth table, necessity, solutions.

    Parameters
    ----------
    data : pandas.DataFrame
        Memberships, one row per case.
    outcome : str
        The outcome's column, ``"~Y"`` for its negation.
    conditions : sequence of str, optional
        Default: every other column.
    incl_cut : float or pair, default 0.8
        The command line's default consistency cut-off (``truth_table``'s default is 1, as R's).
    pri_cut : float, default 0.0
    n_cut : int, default 1
    neg_out : bool, default False
        As ``truth_table``.
    dir_exp : str, list or dict, optional
        Directional expectations (``parse_dir_exp``); None: no intermediate solution.
    source : str, default "data"
        The data's name in messages and warnings.
    exclude : optional
        Rows kept out of the simplifying assumptions (``TruthTable.exclude``).

    Returns
    -------
    tuple
        ``(document, tt, necessity, solutions)``: ``export.document``'s dict, the
        ``TruthTable``, ``fit_necessity.necessity_table`` and ``solve``'s ``Solutions``.

    Raises
    ------
    QCAError
        An unknown condition or outcome, bad memberships, cut-offs or expectations, or a problem
        too large to solve exactly.

    Warns
    -----
    UserWarning
        A constant condition, no case with outcome membership above 0.5, a case on 0.5.

    Notes
    -----
    The analysis of ``python -m analysis.qca``: ``truth_table``, ``necessity_table`` and ``solve``
    (R's ``truthTable``, ``pof`` and ``minimize``), in the JSON format of the R reference
    (``tests/fixtures/reference/README.md``).

    Examples
    --------
    >>> from analysis.qca.datasets import load
    >>> doc, tt, nec, sols = analyse(load("LF"), "SURV", incl_cut=0.8, dir_exp="1,1,1,1,1")
    >>> doc["solutions"]["parsimonious"]["models"]
    [['DEV*~IND', 'URB*STB']]
    """
    if conditions is not None:
        unknown = [c for c in conditions if c not in data.columns]
        if unknown:
            raise QCAError(f"{source}: unknown condition(s) {', '.join(unknown)}; columns: {', '.join(data.columns)}")
    outcome, neg_out = outcome_of(outcome, neg_out)
    names = list(conditions or [c for c in data.columns if c != outcome])
    expectations = parse_dir_exp(dir_exp, names) if dir_exp is not None and not data_levels(data[names]) \
        else dir_exp                      # a multi-value table's expectations are read by solve, with its levels
    tt = _table(data, outcome, conditions, incl_cut, pri_cut, n_cut, neg_out, source, exclude)
    nec = necessity_table(tt.data, outcome, tt.conditions, neg_out=neg_out)
    sols = solve(tt, expectations)
    return document(tt, nec, sols), tt, nec, sols


def _find_rows_type(text):
    """``--find-rows TYPE`` as 0, 1, 2 or 3 (None when not given)."""
    if text is None:
        return None
    if text.strip() not in ("0", "1", "2", "3"):
        raise QCAError(f"--find-rows must be 0, 1, 2 or 3 (1: remainders that are subsets of --expression; 2: "
                       f"contradictory simplifying assumptions; 3: simultaneous subset relations; 0: all), got {text!r}")
    return int(text)


def _conditions(text):
    """``--conditions A,B,C`` as names (None when not given: every other column); an empty list
    or an empty name is refused, not read as "every column"."""
    if text is None:
        return None
    names = [c.strip() for c in text.split(",")]
    if not any(names):
        raise QCAError(f"--conditions is empty ({text!r}); name the conditions, comma-separated (e.g. A,B,C), "
                       "or leave the option out to use every column but the outcome")
    if not all(names):
        raise QCAError(f"--conditions: an empty name in {text!r}; name the conditions, comma-separated (e.g. A,B,C)")
    return names


def _number(name, text):
    try:
        return float(text)
    except ValueError:
        raise QCAError(f"--{name} must be a number, got {text!r}") from None


def _text_table(df: pd.DataFrame) -> str:
    """A table as text: numbers right-aligned with 3 decimals, text left-aligned, a missing value
    blank (R prints no covU on a model's row), one header row."""
    columns = []
    for name in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[name]) and not pd.api.types.is_bool_dtype(df[name])
        cells = ["" if pd.isna(v) else f"{v:.3f}" if isinstance(v, float) else str(v) for v in df[name]]
        width = max([len(str(name))] + [len(c) for c in cells])
        pad = str.rjust if numeric else str.ljust
        columns.append([pad(str(name), width)] + [pad(c, width) for c in cells])
    return "\n".join("  ".join(row).rstrip() for row in zip(*columns))


def _readable(result, tt, nec, sols) -> str:
    out = [repr(tt), "", "Necessity (each condition and its negation):", _text_table(nec), ""]
    blocks = {b.label: b for b in sols.intermediate}
    groups = [((), sols.complex), ((), sols.parsimonious)] + sols.intermediate_groups()
    for labels, block in groups:
        out.append(merged_repr(labels, block) if labels else repr(block))
        if block.undefined:
            out.append("")
            continue
        out.append(_text_table(block.fit_table().drop(columns=["block"])))
        if block.kind == "parsimonious":
            out += [f"  simplifying assumptions of {m}: {', '.join(rows) or 'none'}" for m, rows in block.SA.items()]
        counterfactuals = {(tuple(blocks[x].easy), tuple(blocks[x].difficult)) for x in labels}
        for x in (labels[:1] if len(counterfactuals) == 1 else labels):
            of = f" of {x}" if len(counterfactuals) > 1 else ""
            out.append(f"  easy counterfactuals{of}: {', '.join(blocks[x].easy) or 'none'}")
            out.append(f"  difficult counterfactuals{of}: {', '.join(blocks[x].difficult) or 'none'}")
        out.append("")
    if sols.excluded:
        out.append("Rows kept out of the simplifying assumptions (--exclude): "
                   + ", ".join(e.row for e in sols.excluded))
    if "intermediate" in sols.undefined:
        out += [f"intermediate solution: undefined ({sols.undefined['intermediate']})", ""]
    return "\n".join(out)


def run(ns) -> int:
    """Carry out the parsed options ``ns`` (``__main__``); return the exit status.

    Parameters
    ----------
    ns : argparse.Namespace
        ``data``, ``outcome``, ``negate_outcome``, ``conditions``, ``incl_cut``, ``pri_cut``,
        ``n_cut``, ``dir_exp``, ``exclude``, ``find_rows``, ``expression``, ``json`` (strings as
        typed, parsed here).

    Returns
    -------
    int
        0; or 2 after one line ``error: ...`` on standard error (a ``QCAError``, a file that cannot
        be read, output that cannot be written, or a bug, said in one line).  Warnings are printed
        as ``warning: ...`` lines on standard error.

    Examples
    --------
    >>> import argparse
    >>> from analysis.qca.datasets import HERE
    >>> ns = argparse.Namespace(data=str(HERE / "LF.csv"), outcome="SURV", negate_outcome=False, conditions=None,
    ...                         incl_cut="0.8", pri_cut="0", n_cut="1", dir_exp=None, exclude=None,
    ...                         find_rows="2", expression=None, json=True)
    >>> run(ns)
    ["01001", "01011", "01101", "01111", "10000", "10100", "11000", "11100"]
    0
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            data = read_memberships(ns.data)
            cuts = [_number("incl-cut", c) for c in ns.incl_cut.split(",")]
            n_cut = _number("n-cut", ns.n_cut)
            conditions = _conditions(ns.conditions)
            kind = _find_rows_type(ns.find_rows)
            exclude = [r.strip() for r in ns.exclude.split(",")] if ns.exclude is not None else None
            if exclude is not None and not all(exclude):
                raise QCAError(f"--exclude: an empty row in {ns.exclude!r}; give rows such as 00110,00111")
            args = dict(incl_cut=cuts if len(cuts) > 1 else cuts[0], pri_cut=_number("pri-cut", ns.pri_cut),
                        n_cut=n_cut, neg_out=ns.negate_outcome, source=ns.data, exclude=exclude)
            if kind is not None:
                rows = find_rows(_table(data, ns.outcome, conditions, **args), kind, ns.expression)
                text = json.dumps(rows) if ns.json else "\n".join(rows)
            else:
                result, tt, nec, sols = analyse(data, ns.outcome, conditions, dir_exp=ns.dir_exp, **args)
                text = json.dumps(result, indent=1, allow_nan=False) if ns.json else _readable(result, tt, nec, sols)
        for w in caught:
            print(f"warning: {w.message}", file=sys.stderr)
    except QCAError as e:
        return error(e)
    except OSError as e:                    # e.g. a file that cannot be read: no traceback
        print(f"error: {e.filename or ns.data}: {e.strerror or e}", file=sys.stderr)
        return 2
    except Exception as e:                  # a bug: still one line, and the way to see more
        return unexpected(e)
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:                 # the reader (e.g. head) stopped reading: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as e:                    # e.g. standard output redirected to a full disk
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"error: cannot write the output ({e.strerror or e}); free some space or write elsewhere",
              file=sys.stderr)
        return 2
    return 0

