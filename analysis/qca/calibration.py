"""Calibration: turning raw measures into set memberships.

Fuzzy-set QCA needs every condition and outcome as a membership score in [0, 1]. This module
implements the calibration methods of Ragin (2008, *Redesigning Social Inquiry*, ch. 5) in the
form R's QCA package uses (Dusa 2019, *QCA with R*, ch. 4):

Direct method (``calibrate``)
    Three qualitative anchors, full exclusion ``e``, crossover ``c`` and full inclusion ``i``,
    are mapped to log-odds of membership.  A value ``x`` on the inclusion side of ``c`` gets

        log-odds = (x - c) / (i - c) * ln(idm / (1 - idm))

    and a value on the exclusion side gets ``(x - c) / (c - e) * ln(idm / (1 - idm))`` (the
    sign following the direction of the set), so that ``i`` maps to membership ``idm`` (0.95 by
    default, log-odds about +2.94), ``c`` to 0.5 and ``e`` to ``1 - idm``.  Membership is the
    logistic transform ``1 / (1 + exp(-log-odds))``; as in R, memberships below 0.0001 are set
    to 0 and above 0.9999 to 1.  This is R's
    ``calibrate(x, type = "fuzzy", thresholds = c(e, c, i), logistic = TRUE, idm = 0.95)``.
    When ``e > i`` the set is *decreasing* (larger raw values mean less membership).

Crisp calibration (``calibrate_crisp``)
    One or more thresholds cut the raw scale into ordered categories 0, 1, 2, ...: a value gets
    the number of thresholds it reaches (R's ``findInterval``).

Percentile anchors (``percentile_anchors``)
    A helper that places e, c, i at sample percentiles (e.g. 5/50/95), a common default when
    no theoretical anchors exist.  Report and justify such anchors: they make memberships
    relative to the sample.

Indirect method (``calibrate_indirect``)
    Ragin's (2008, pp. 94-97) second method: thresholds sort the raw values into intervals that
    receive qualitative target memberships (0, 1/m, ..., 1); a fractional-polynomial logit model
    of the targets on the raw values smooths them, and its fitted values are the memberships
    (R's ``method = "indirect"``).

Inverse (``inverse_calibrate``)
    The direct method run backwards: the raw values that give chosen memberships, for
    simulating raw data (R's QCA has no such function).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .errors import QCAError

__all__ = ["calibrate", "calibrate_crisp", "percentile_anchors", "calibrate_indirect"]


def _as_float_array(values, what="values") -> np.ndarray:
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise QCAError(f"{what}: calibration needs numbers; found a value that is not numeric") from None
    if x.ndim != 1:
        x = x.ravel()
    return x


def _check_anchors(thresholds) -> tuple[float, float, float]:
    try:
        e, c, i = (float(t) for t in thresholds)
    except (TypeError, ValueError):
        raise QCAError("thresholds must be three numbers: (exclusion, crossover, inclusion)") from None
    if not all(math.isfinite(t) for t in (e, c, i)):
        raise QCAError(f"thresholds must be finite numbers, got {(e, c, i)}")
    if not (e < c < i or e > c > i):
        raise QCAError(
            f"anchors (exclusion={e:g}, crossover={c:g}, inclusion={i:g}) are not strictly monotone: "
            "use exclusion < crossover < inclusion for an increasing set, or "
            "exclusion > crossover > inclusion for a decreasing one"
        )
    return e, c, i


def _clamp(member: np.ndarray) -> np.ndarray:
    """R's rounding of the tails: memberships below 0.0001 become 0, above 0.9999 become 1."""
    member = np.where(member < 0.0001, 0.0, member)
    return np.where(member > 0.9999, 1.0, member)


def calibrate(values, thresholds, idm: float = 0.95, name: str | None = None):
    """Direct-method fuzzy calibration: raw values to memberships by three anchors (R's ``calibrate``).

    Parameters
    ----------
    values : array-like or pandas.Series
        Raw scores.  Missing values are an error.
    thresholds : sequence of three floats
        ``(exclusion, crossover, inclusion)``: e, c, i.  ``exclusion > inclusion`` calibrates a
        decreasing set (larger raw values, less membership).
    idm : float, default 0.95
        The membership assigned at the inclusion anchor (R's ``idm``), strictly between 0.5 and 1.
    name : str, optional
        The name used in error messages (default: the Series' name, else ``"values"``).

    Returns
    -------
    numpy.ndarray or pandas.Series
        The memberships, a Series with the same index and name when ``values`` is a Series.

    Raises
    ------
    QCAError
        Anchors that are not three finite numbers strictly monotone (e < c < i or e > c > i), an
        ``idm`` outside (0.5, 1), a value that is not numeric, or a missing value.

    Notes
    -----
    Ragin's (2008, ch. 5) direct method in the form of R's ``calibrate(x, type = "fuzzy", method =
    "direct", thresholds = c(e, c, i), logistic = TRUE, idm = 0.95)`` (Dusa 2019, ch. 4):

        log-odds = (x - c) / (i - c) * ln(idm / (1 - idm))    on the inclusion side of c
        log-odds = (x - c) / (c - e) * ln(idm / (1 - idm))    on the exclusion side
        membership = 1 / (1 + exp(-log-odds)), then below 0.0001 -> 0 and above 0.9999 -> 1

    so that i maps to ``idm``, c to 0.5 and e to 1 - ``idm``.  The numbers equal R's (the tests
    compare them on ``LR``, ``tests/fixtures/reference/calibration_LR.json``).

    Differences from R's ``calibrate``: the arguments are ``(values, thresholds, idm)`` where R's
    are ``(x, type = "fuzzy", method = "direct", thresholds, logistic = TRUE, idm = 0.95, ...)``;
    only the logistic three-anchor form is here (R's six thresholds, ``logistic = FALSE``, ``ecdf``,
    ``below``/``above`` and ``method = "TFR"`` are not implemented; ``calibrate_crisp`` and
    ``calibrate_indirect`` are R's ``type = "crisp"`` and ``method = "indirect"``).  R returns NA for
    a missing value and computes anchors in any order; the engine refuses both.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 5.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 4.

    Examples
    --------
    >>> calibrate([400, 550, 900, 1098], thresholds=(400, 550, 900)).round(3).tolist()
    [0.05, 0.5, 0.95, 0.99]
    >>> calibrate([2, 5, 10], thresholds=(10, 5, 2)).round(3).tolist()    # a decreasing set
    [0.95, 0.5, 0.05]
    >>> from analysis.qca.datasets import load
    >>> calibrate(load("LR")["DEV"], thresholds=(400, 550, 900)).head(3).round(3)
    case
    AU    0.807
    BE    0.990
    CZ    0.575
    Name: DEV, dtype: float64
    """
    label = name or (values.name if isinstance(values, pd.Series) else None) or "values"
    e, c, i = _check_anchors(thresholds)
    if not 0.5 < idm < 1:
        raise QCAError(f"idm must lie strictly between 0.5 and 1, got {idm}")
    x = _as_float_array(values, label)
    if np.isnan(x).any():
        raise QCAError(f"{label}: {int(np.isnan(x).sum())} missing value(s); fill or drop them before calibrating")
    scale = math.log(idm / (1 - idm))
    on_inclusion_side = (x - c) * (i - c) >= 0
    with np.errstate(over="ignore"):
        log_odds = np.where(on_inclusion_side, (x - c) / (i - c), -(x - c) / (e - c)) * scale
        member = 1.0 / (1.0 + np.exp(-log_odds))
    member = _clamp(member)
    if isinstance(values, pd.Series):
        return pd.Series(member, index=values.index, name=values.name)
    return member


def inverse_calibrate(memberships, thresholds, idm: float = 0.95) -> np.ndarray:
    """The raw values that ``calibrate`` maps to ``memberships``: the direct method run backwards.

    For simulating raw data from memberships (the study side's stand-in data).

    Parameters
    ----------
    memberships : array-like of float
        Memberships strictly between 0 and 1.
    thresholds : sequence of three floats
        ``(exclusion, crossover, inclusion)``, as for ``calibrate``.
    idm : float, default 0.95
        The membership at the inclusion anchor.

    Returns
    -------
    numpy.ndarray of float
        One raw value per membership.

    Raises
    ------
    QCAError
        Anchors that are not strictly monotone, or a membership of 0, 1 or outside (0, 1).

    Notes
    -----
    With L = ln(m / (1 - m)) / ln(idm / (1 - idm)): x = c + L (i - c) on the inclusion side
    (L >= 0) and x = c - L (e - c) on the exclusion side, the inverse of the formulas of
    ``calibrate`` (Ragin 2008, ch. 5).  R's QCA has no such function.  Memberships that
    ``calibrate`` rounds to 0 or 1 (beyond 0.0001 / 0.9999) cannot be inverted exactly.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 5.

    Examples
    --------
    >>> inverse_calibrate([0.05, 0.5, 0.95], thresholds=(400, 550, 900)).round(6).tolist()
    [400.0, 550.0, 900.0]
    >>> x = inverse_calibrate([0.2, 0.7], thresholds=(10, 5, 2))        # a decreasing set
    >>> calibrate(x, thresholds=(10, 5, 2)).round(6).tolist()
    [0.2, 0.7]
    """
    e, c, i = _check_anchors(thresholds)
    m = _as_float_array(memberships, "memberships")
    if not ((m > 0) & (m < 1)).all():
        raise QCAError("inverse_calibrate: memberships must lie strictly between 0 and 1")
    log_odds = np.log(m / (1 - m)) / math.log(idm / (1 - idm))
    return np.where(log_odds >= 0, c + log_odds * (i - c), c - log_odds * (e - c))


def calibrate_crisp(values, thresholds, name: str | None = None):
    """Crisp calibration: the number of thresholds each value reaches (R's ``type = "crisp"``).

    Parameters
    ----------
    values : array-like or pandas.Series
        Raw scores.  Missing values are an error.
    thresholds : float or sequence of float
        One threshold (a 0/1 set: ``x >= t``) or several, strictly increasing (categories 0..k).
    name : str, optional
        The name used in error messages.

    Returns
    -------
    numpy.ndarray of int or pandas.Series
        The categories, a Series with the same index and name when ``values`` is a Series.

    Raises
    ------
    QCAError
        Thresholds that are not strictly increasing or lie outside the range of the values, a
        value that is not numeric, or a missing value.

    Notes
    -----
    category = number of thresholds t with x >= t, R's ``findInterval(x, thresholds)`` as
    ``calibrate(x, type = "crisp", thresholds)`` computes it (Dusa 2019, ch. 4).  R also refuses
    thresholds outside the range of x (and stops with an R error on a missing value); it sorts
    thresholds given out of order, where the engine refuses them.

    References
    ----------
    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 4.

    Examples
    --------
    >>> calibrate_crisp([1, 5, 9], thresholds=[5]).tolist()
    [0, 1, 1]
    >>> from analysis.qca.datasets import load
    >>> calibrate_crisp(load("LR")["URB"], thresholds=[25, 50]).head(3).tolist()
    [1, 2, 2]
    """
    label = name or (values.name if isinstance(values, pd.Series) else None) or "values"
    th = np.atleast_1d(np.asarray(thresholds, dtype=float))
    if th.size > 1 and not np.all(np.diff(th) > 0):
        raise QCAError(f"{label}: crisp thresholds must be strictly increasing, got {list(th)}")
    x = _as_float_array(values, label)
    if np.isnan(x).any():
        raise QCAError(f"{label}: missing values cannot be calibrated")
    if ((th < x.min()) | (th > x.max())).any():
        raise QCAError(f"{label}: crisp threshold(s) {list(th)} outside the range of the values "
                       f"[{x.min():g}, {x.max():g}]")
    out = (x[:, None] >= th[None, :]).sum(axis=1).astype(int)
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    return out


def percentile_anchors(values, q=(5, 50, 95), increasing: bool = True) -> tuple[float, float, float]:
    """Anchors at sample percentiles, as ``(exclusion, crossover, inclusion)``.

    A common default when no theoretical anchors exist; report and justify such anchors, since
    they make the memberships relative to the sample.

    Parameters
    ----------
    values : array-like of float
        Raw scores (missing values are ignored).
    q : sequence of three floats, default (5, 50, 95)
        The percentiles of exclusion, crossover and inclusion of an increasing set.
    increasing : bool, default True
        False mirrors the anchors (high raw values mean low membership).

    Returns
    -------
    tuple of float
        ``(exclusion, crossover, inclusion)``, ready for ``calibrate``.

    Raises
    ------
    QCAError
        When the percentiles coincide (too little variation to calibrate).

    Notes
    -----
    The percentiles are numpy's default (linear interpolation, R's ``quantile(type = 7)``).  R's
    QCA has no such helper; anchors should rest on substantive knowledge where possible (Ragin
    2008, ch. 5; Schneider & Wagemann 2012, ch. 1).

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 5.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press.

    Examples
    --------
    >>> percentile_anchors(range(101), q=(10, 50, 90))
    (10.0, 50.0, 90.0)
    >>> from analysis.qca.datasets import load
    >>> percentile_anchors(load("LR")["DEV"])
    (329.35, 588.0, 1047.0)
    """
    x = _as_float_array(values)
    x = x[~np.isnan(x)]
    lo, mid, hi = (float(np.percentile(x, p)) for p in q)
    anchors = (lo, mid, hi) if increasing else (hi, mid, lo)
    _check_anchors(anchors)
    return anchors


def calibrate_indirect(values, thresholds, max_iter: int = 100, tol: float = 1e-12):
    """Indirect calibration (Ragin 2008, pp. 94-97), as R's ``calibrate(method = "indirect")``.

    Parameters
    ----------
    values : array-like of float
        Raw scores, non-negative (the model uses log(x)).
    thresholds : sequence of float
        Cut points of the raw scale (sorted here); m thresholds give m + 1 intervals.
    max_iter : int, default 100
        Iterations of iteratively reweighted least squares at most.
    tol : float, default 1e-12
        Convergence: the largest change of a coefficient relative to 1 + the largest coefficient.

    Returns
    -------
    numpy.ndarray of float
        The memberships.

    Raises
    ------
    QCAError
        Missing or negative raw values.

    Notes
    -----
    The sorted thresholds cut the raw scale into intervals with the qualitative target memberships
    0, 1/m, ..., 1 (rounded to 3 decimals; a value above threshold j gets j/m).  A fractional
    polynomial logit model of the targets,

        logit(E[t]) = b0 + b1 log(x) + b2 sqrt(x) + b3 x + b4 x^2

    (a quasi-binomial GLM, Papke & Wooldridge 1996, fitted by iteratively reweighted least
    squares) smooths them; its fitted values, rounded to 6 decimals, with those below 0.0001 set to
    0 and above 0.9999 to 1, are the memberships.  A raw 0 is replaced by 0.00001, as in R.  R fits
    the model with ``glm(..., family = quasibinomial(logit))`` (Dusa 2019, ch. 4), whose iterations
    stop earlier (a relative change of the deviance below 1e-8), so the two agree to about 1e-6,
    not always to the sixth decimal: on ``LR``'s ``DEV`` with thresholds 400, 550, 900, 16 of the
    18 memberships are equal and two differ by 0.000001 (0.535034 here, 0.535035 in R).  R's
    argument order is ``calibrate(x, type = "fuzzy", method = "indirect", thresholds)``.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, pp. 94-97.

    Papke, L. E., & Wooldridge, J. M. (1996). Econometric methods for fractional response variables
    with an application to 401(k) plan participation rates. *Journal of Applied Econometrics*,
    11(6), 619-632.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 4.

    Examples
    --------
    >>> m = calibrate_indirect([1, 2, 3, 4, 5, 6, 7, 8], thresholds=[2.5, 5.5])
    >>> bool((m[1:] >= m[:-1]).all()), bool(m[0] < 0.5 < m[-1])
    (True, True)
    >>> from analysis.qca.datasets import load
    >>> calibrate_indirect(load("LR")["DEV"], thresholds=[400, 550, 900])[:4].tolist()
    [0.612253, 0.999843, 0.64751, 0.34005]
    """
    x = _as_float_array(values)
    if np.isnan(x).any():
        raise QCAError("indirect calibration: missing raw values")
    if (x < 0).any():
        raise QCAError("indirect calibration needs non-negative raw values (its model uses log(x))")
    th = np.sort(np.atleast_1d(np.asarray(thresholds, dtype=float)))
    levels = np.round(np.linspace(0, 1, len(th) + 1), 3)
    t = np.zeros_like(x)
    for j, cut in enumerate(th):
        t[x > cut] = levels[j + 1]
    x = np.where(x == 0, 0.00001, x)
    X = np.column_stack([np.ones_like(x), np.log(x), np.sqrt(x), x, x ** 2])
    beta = np.zeros(X.shape[1])
    for _ in range(max_iter):
        eta = X @ beta
        mu = 1 / (1 + np.exp(-eta))
        w = np.clip(mu * (1 - mu), 1e-12, None)
        z = eta + (t - mu) / w
        new = np.linalg.lstsq(np.sqrt(w)[:, None] * X, np.sqrt(w) * z, rcond=None)[0]
        done = np.max(np.abs(new - beta)) < tol * (1 + np.max(np.abs(beta)))
        beta = new
        if done:
            break
    fitted = np.round(1 / (1 + np.exp(-(X @ beta))), 6)
    return _clamp(fitted)
