"""R's ``pof``: the parameters of fit of one or more set expressions for an outcome, as a table.

Sufficiency (inclS, PRI, covS, and covU for the terms of a model) by ``analysis.qca.fit``,
necessity (inclN, RoN, covN) by ``analysis.qca.fit_necessity``, over memberships computed from the
expressions (``analysis.qca.sets.membership``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import QCAError
from .fit import sufficiency, unique_coverage
from .fit_necessity import necessity
from .sets import membership, outcome_membership

__all__ = ["pof"]


def pof(setms, outcome, data: pd.DataFrame = None, relation: str = "necessity",
        neg_out: bool = False) -> pd.DataFrame:
    """Parameters of fit of one or more set expressions for an outcome (R's ``pof``).

    Parameters
    ----------
    setms : str or list of str
        Expressions over the columns of ``data`` (``"A*~B"``).  A list of several is also read as
        the terms of one model (for sufficiency: covU and a last row ``model``).
    outcome : str or array-like
        A column of ``data`` (``"~Y"`` for its negation), or the outcome's memberships.
    data : pandas.DataFrame
        Memberships, one row per case.
    relation : {"necessity", "sufficiency"}, default "necessity"
        As R's ``pof``, whose default is necessity; read by its first three letters.
    neg_out : bool, default False
        Explain the negated outcome (as ``"~Y"``; R's ``neg.out``).

    Returns
    -------
    pandas.DataFrame
        One row per expression, indexed by it (index name ``expression``): ``inclN``, ``RoN``,
        ``covN`` for necessity; ``inclS``, ``PRI``, ``covS`` for sufficiency, and with several
        expressions also ``covU`` and a last row ``model``, the fit of their union (covU NaN).

    Raises
    ------
    ValueError
        A ``relation`` other than necessity or sufficiency (a plain ``ValueError``, not a
        ``QCAError``).
    QCAError
        An expression that cannot be parsed or names an unknown column.

    Notes
    -----
    The formulas are those of ``sufficiency``, ``necessity`` and ``unique_coverage`` (Ragin 2006;
    Schneider & Wagemann 2012, ch. 5 and 9; Dusa 2019, ch. 5).  The argument order is R's,
    ``pof(setms, outcome, data, relation = "necessity")``.

    Differences from R's ``pof``: R splits one expression ``"A + B"`` into its terms and reports
    each, their covU (sufficiency) and a last row named ``expression`` for the union, for necessity
    as well; here a string is one expression (one row, the union) and a *list* ``["A", "B"]`` gives
    the terms, their covU and a last row named ``model``, for sufficiency only (R refuses a vector
    of expressions: "Only one expression allowed").  R sets any parameter below 0.00001 to 0;
    here the numbers are reported as computed.  R's ``use.labels``, ``inf.test``, ``incl.cut`` and
    ``add`` are not implemented; R's ``pof(outcome =, data =)`` without ``setms`` is
    ``necessity_table``.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 5 and 9.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 5.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.25, 0.75, 1.0], "Y": [0.5, 0.75, 0.5]})
    >>> pof("A", "Y", data, relation="sufficiency")
                inclS  PRI      covS
    expression
    A            0.75  0.5  0.857143
    >>> pof("A", "Y", data).round(3)
                inclN    RoN  covN
    expression
    A           0.857  0.667  0.75
    >>> from analysis.qca.datasets import load
    >>> pof(["DEV*STB", "URB*LIT"], "SURV", load("LF"), relation="sufficiency").round(3)
                inclS    PRI   covS   covU
    expression
    DEV*STB     0.869  0.848  0.824  0.356
    URB*LIT     0.801  0.754  0.538  0.069
    model       0.812  0.780  0.893    NaN
    """
    expressions = setms
    if isinstance(expressions, str):
        expressions = [expressions]
    y = outcome_membership(data, outcome, neg_out) if isinstance(outcome, str) else \
        (1 - np.asarray(outcome, float) if neg_out else np.asarray(outcome, float))
    members = np.array([membership(data, e).to_numpy() for e in expressions])
    rows = []
    if relation.startswith("suf"):
        for e, m in zip(expressions, members):
            rows.append({"expression": e, **sufficiency(m, y).to_dict()})
        if len(expressions) > 1:
            for r, cu in zip(rows, unique_coverage(members, y)):
                r["covU"] = cu
            rows.append({"expression": "model", **sufficiency(members.max(axis=0), y).to_dict()})
    elif relation.startswith("nec"):
        for e, m in zip(expressions, members):
            rows.append({"expression": e, **necessity(m, y).to_dict()})
    else:
        raise QCAError(f"relation must be 'sufficiency' or 'necessity', got {relation!r}")
    return pd.DataFrame(rows).set_index("expression")
