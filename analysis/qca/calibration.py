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
    """Direct-method fuzzy calibration (Ragin 2008, ch. 5; R QCA ``calibrate``, logistic).

    Parameters
    ----------
    values : array-like or pandas Series of raw scores.  Missing values are an error.
    thresholds : (exclusion, crossover, inclusion).  ``exclusion > inclusion`` calibrates a
        decreasing set.
    idm : membership assigned at the inclusion anchor (0.95, as in R).
    name : used in error messages (e.g. the column name).

    Returns a numpy array (or a Series with the same index when given a Series).

    >>> calibrate([400, 550, 900, 1098], thresholds=(400, 550, 900)).round(3).tolist()
    [0.05, 0.5, 0.95, 0.99]
    >>> calibrate([2, 5, 10], thresholds=(10, 5, 2)).round(3).tolist()    # a decreasing set
    [0.95, 0.5, 0.05]
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
    """The raw values that ``calibrate`` maps to ``memberships`` (the direct method run backwards),
    for simulating raw data from memberships: log-odds ``L = ln(m / (1 - m))``, then
    ``x = c + L / ln(idm / (1 - idm)) * (i - c)`` on the inclusion side (``L >= 0``) and
    ``x = c - L / ln(idm / (1 - idm)) * (e - c)`` on the exclusion side.  Memberships must lie
    strictly between 0 and 1.

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
    """Crisp calibration: category = number of thresholds the value reaches (R's type="crisp").

    One threshold gives a 0/1 set (``x >= t``); k increasing thresholds give categories 0..k.

    >>> calibrate_crisp([1, 5, 9], thresholds=[5]).tolist()
    [0, 1, 1]
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
    """Anchors at sample percentiles, returned as (exclusion, crossover, inclusion).

    ``q`` gives the percentiles for exclusion, crossover and inclusion of an increasing set;
    with ``increasing=False`` they are mirrored so that high raw values mean low membership.
    Raises when the percentiles coincide (too little variation to calibrate).

    >>> percentile_anchors(range(101), q=(10, 50, 90))
    (10.0, 50.0, 90.0)
    """
    x = _as_float_array(values)
    x = x[~np.isnan(x)]
    lo, mid, hi = (float(np.percentile(x, p)) for p in q)
    anchors = (lo, mid, hi) if increasing else (hi, mid, lo)
    _check_anchors(anchors)
    return anchors


def calibrate_indirect(values, thresholds, max_iter: int = 100, tol: float = 1e-12):
    """Indirect calibration (Ragin 2008, pp. 94-97), as R's ``calibrate(method = "indirect")``.

    The sorted ``thresholds`` cut the raw scale into intervals that receive the qualitative target
    memberships 0, 1/m, ..., 1 (m = number of thresholds; a value above threshold j gets j/m).
    A fractional-polynomial logit model of the targets,
    logit(E[t]) = b0 + b1 log(x) + b2 sqrt(x) + b3 x + b4 x^2 (Papke & Wooldridge 1996's
    quasi-binomial GLM, fitted by iteratively reweighted least squares), smooths them; its fitted
    values, rounded to 6 decimals and with tails below 0.0001 / above 0.9999 set to 0 / 1, are the
    memberships.  Raw values must be non-negative (0 is replaced by 0.00001, as in R).

    >>> m = calibrate_indirect([1, 2, 3, 4, 5, 6, 7, 8], thresholds=[2.5, 5.5])
    >>> bool((m[1:] >= m[:-1]).all()), bool(m[0] < 0.5 < m[-1])
    (True, True)
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
