"""One analysis as a JSON document: the form the command line prints (``--json``) and the study
side writes to ``solutions/<analysis>.json``, the format of the R reference
(``tests/fixtures/reference/README.md``).

Keys: ``outcome`` (``~Y`` when negated), ``conditions``, ``levels`` (a multi-value table only:
the number of values of each condition; its rows are labelled by the values, ``"20111"``),
``incl_cut`` (one number, or ``[incl1, incl0]``), ``pri_cut``, ``n_cut``, ``dir_exp`` (1, 0 or
``"-"`` per condition, a multi-value condition's expected value or values, or null), ``boundary_cases`` (cases with a condition membership of exactly 0.5: in no row),
``exclude`` (the rows kept out of the simplifying assumptions, each ``{"row", "reason"}``),
``truth_table`` (observed rows), ``necessity`` (each condition and its negation) and
``solutions`` (complex, parsimonious, intermediate blocks, every tied model with its fit).
Floats that are not finite (a ratio with a zero denominator) are written as null.

>>> import pandas as pd
>>> from analysis.qca import necessity_table, solve, truth_table
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1],
...                      "Y": [0.9, 0.9, 0.3, 0.2]}, index=["p", "q", "r", "s"])
>>> tt = truth_table(data, "Y")
>>> doc = document(tt, necessity_table(tt.data, "Y", tt.conditions), solve(tt))
>>> doc["outcome"], doc["truth_table"][0]["row"], doc["solutions"]["parsimonious"]["models"]
('Y', '00', [['A']])
"""
from __future__ import annotations

import math

import pandas as pd

from .models import Solutions
from .truthtable_type import TruthTable

__all__ = ["document", "finite"]


def finite(obj):
    """``obj`` (dicts, lists, numbers) with every non-finite float replaced by None.

    Parameters
    ----------
    obj : dict, list, float or other
        A JSON-like structure.

    Returns
    -------
    same structure
        Copies of the dicts and lists; NaN and infinities become None (JSON ``null``).

    Notes
    -----
    A ratio with a zero denominator is NaN (``fit.ratio``); strict JSON has no NaN, so the
    command line writes ``null`` (and prints with ``allow_nan=False``).

    Examples
    --------
    >>> finite({"inclS": float("nan"), "terms": [1.0, float("inf")]})
    {'inclS': None, 'terms': [1.0, None]}
    """
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [finite(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def document(tt: TruthTable, necessity: pd.DataFrame, solutions: Solutions) -> dict:
    """The JSON form of one analysis, ready for ``json.dumps``.

    Parameters
    ----------
    tt : TruthTable
        The truth table (its exclusions are re-applied from ``solutions.excluded``).
    necessity : pandas.DataFrame
        ``fit_necessity.necessity_table`` of the outcome.
    solutions : Solutions
        ``solve``'s result.

    Returns
    -------
    dict
        The keys of the module docstring: ``outcome``, ``conditions``, ``incl_cut``, ``pri_cut``,
        ``n_cut``, ``dir_exp``, ``boundary_cases``, ``exclude``, ``truth_table``, ``necessity`` and
        ``solutions``; non-finite floats as None.

    Notes
    -----
    The format of the R reference (``tests/fixtures/reference/README.md``), in which
    ``tests/fixtures/reference/qca/<id>.json`` hold what R's QCA 3.25.1 computed; the parity tests
    compare the two.

    Examples
    --------
    >>> from analysis.qca import necessity_table, solve, truth_table
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> doc = document(tt, necessity_table(tt.data, "SURV", tt.conditions), solve(tt, dir_exp="1,1,1,1,1"))
    >>> list(doc)[:6]
    ['outcome', 'conditions', 'incl_cut', 'pri_cut', 'n_cut', 'dir_exp']
    >>> list(doc)[6:]
    ['boundary_cases', 'exclude', 'truth_table', 'necessity', 'solutions']
    >>> doc["solutions"]["intermediate"][0]["models"]
    [['DEV*URB*LIT*STB', 'DEV*LIT*~IND*STB']]
    """
    expectations = solutions.dir_exp
    tt = tt.exclude(solutions.excluded) if solutions.excluded else tt
    levels = {"levels": list(tt.levels)} if tt.levels else {}     # a multi-value table's only
    return finite({
        "outcome": tt.outcome_label, "conditions": tt.conditions, **levels,
        "incl_cut": list(tt.incl_cut) if len(tt.incl_cut) > 1 else tt.incl_cut[0],
        "pri_cut": tt.pri_cut, "n_cut": tt.n_cut,
        "dir_exp": None if expectations is None else [_expectation(e) for e in expectations],
        "boundary_cases": tt.boundary_cases,
        "exclude": [e.to_json() for e in tt.excluded],
        "truth_table": tt.to_records(),
        "necessity": necessity.to_dict(orient="records"),
        "solutions": solutions.to_json(),
    })


def _expectation(value):
    """A directional expectation in the JSON: ``"-"``, 1 or 0, a multi-value condition's value, or
    its values as a list."""
    if value is None:
        return "-"
    if isinstance(value, tuple):
        return int(value[0]) if len(value) == 1 else [int(v) for v in value]
    return value
