"""The claims of the ledger judged in every robustness test solution (TS1..TSk).

A claim that holds at the study's own settings may hang on them.  Each test solution of the
protocol (``analysis.robustness.plan``: other anchors, cut-offs, a case dropped, a subsample,
another condition set, a random draw) is a complete re-analysis: its solutions for every outcome
(``sweep.Result.document``, with the fits on the test's cases) and its memberships.  The ledger's
own rule (``analysis.claims.claim_status``: a claim holds only in every tied model; no solution
is evidence against it) then says whether each claim holds in it.

A test cannot judge a claim that names a condition the test leaves out, nor a claim judged at
the study's settings only (``analysis.claims.schema.beyond_defaults``: ``memberships``,
``stable_core``): ``holds`` is then missing (``<NA>``), and the claim's robustness is counted
over the tests that judge it.  A published ``solution`` claim is judged by its models alone.  ``claim_tests`` gives one row per test and claim; ``claim_shares``
counts them per claim and kind of test.

>>> verdicts = pd.DataFrame({"test": ["TS1", "TS2", "TS3"], "kind": ["cut-offs", "cut-offs", "case deletion"],
...                          "claim": ["a"] * 3, "holds": pd.array([True, False, pd.NA], dtype="boolean")})
>>> claim_shares(verdicts)
  claim           kind  holds  judged  share
0     a       cut-offs      1       2    0.5
1     a  case deletion      0       0    NaN
2     a      all tests      1       2    0.5
"""
from __future__ import annotations

import pandas as pd

from ..claims import claim_status
from ..claims.schema import beyond_defaults
from ..claims.verdicts import ALL_TESTS
from .plan import KIND_ORDER

__all__ = ["COLUMNS", "claim_tests", "claim_shares"]

COLUMNS = ["test", "kind", "description", "claim", "holds"]


def claim_tests(claims, tests) -> pd.DataFrame:
    """Whether each claim holds in each test solution.

    Parameters
    ----------
    claims : list of dict
        The study's claims (validated).
    tests : iterable of (Alternative, dict, DataFrame, tuple)
        Per test solution: what it changes (``plan.Alternative``), ``{analysis name: solution
        document}`` (``sweep.Result.document``), the memberships of its cases and the
        conditions it analyses.

    Returns
    -------
    DataFrame
        test, kind, description, claim, holds (boolean; ``<NA>`` where the test cannot judge it).
    """
    rows = []
    for spec, documents, data, conditions in tests:
        for claim in claims or ():
            judged = beyond_defaults(claim, conditions)
            holds = pd.NA if judged is None else claim_status(judged, documents, None, data)[0]
            rows.append({"test": spec.name, "kind": spec.kind, "description": spec.description,
                         "claim": str(claim["id"]), "holds": holds})
    return pd.DataFrame(rows, columns=COLUMNS).astype({"holds": "boolean"})


def _flag(value):
    """True, False or missing, from a boolean or its text in a CSV file."""
    if isinstance(value, str):
        return {"True": True, "False": False}.get(value, pd.NA)
    return pd.NA if value is None or value is pd.NA or value != value else bool(value)


def claim_shares(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Per claim and kind of test (then over all tests): the tests that judge the claim, those
    in which it holds, and the share holds / judged (NaN when none judges it).

    The kinds keep the order of ``plan.KIND_ORDER``; ``all tests`` closes each claim's rows."""
    verdicts = verdicts.assign(holds=verdicts["holds"].map(_flag).astype("boolean"))   # also as read from CSV
    rows = []
    for claim, mine in verdicts.groupby("claim", sort=False):
        kinds = sorted(mine["kind"].unique(), key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99)
        for kind, part in [(k, mine[mine["kind"] == k]) for k in kinds] + [(ALL_TESTS, mine)]:
            judged = int(part["holds"].notna().sum())
            holds = int(part["holds"].fillna(False).astype(bool).sum())
            rows.append({"claim": claim, "kind": kind, "holds": holds, "judged": judged,
                         "share": holds / judged if judged else float("nan")})
    return pd.DataFrame(rows, columns=["claim", "kind", "holds", "judged", "share"]).astype(
        {"holds": int, "judged": int, "share": float})
