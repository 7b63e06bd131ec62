"""Calibration: turning raw measures into set memberships, equal to R's ``calibrate``.

Fuzzy-set QCA needs every condition and outcome as a membership score in [0, 1]. This module
implements the calibration methods of Ragin (2008, *Redesigning Social Inquiry*, ch. 5) in the
form R's QCA package uses (Dusa 2019, *QCA with R*, ch. 4), and SetMethods' variant of the
indirect method; every one equals R's values exactly, bit for bit (``analysis.qca.rnumeric``
says how; ``tests/test_calibration_kinds.py`` compares them with ``==``).

Direct method (``calibrate``)
    Three qualitative anchors, full exclusion ``e``, crossover ``c`` and full inclusion ``i``,
    map to memberships ``1 - idm``, 0.5 and ``idm`` on a logistic curve of the log-odds (the
    formulas are in ``calibrate``'s notes); as in R, memberships below 0.0001 are set to 0 and
    above 0.9999 to 1.  When ``e > i`` the set is *decreasing*.

Crisp calibration (``calibrate_crisp``, ``calibrate(type="crisp")``)
    One or more thresholds cut the raw scale into ordered categories 0, 1, 2, ...: a value gets
    the number of thresholds it reaches (R's ``findInterval``).  One threshold gives a crisp set
    (0/1), several a multi-value set (0..k-1).

Indirect method (``calibrate_indirect``, ``calibrate(method="indirect")``)
    Ragin's (2008, pp. 94-97) second method: thresholds sort the raw values into intervals that
    receive qualitative target memberships (0, 1/m, ..., 1); a fractional-polynomial logit model
    of the targets on the raw values smooths them, and its fitted values are the memberships
    (R's ``method = "indirect"``).

SetMethods' indirect method (``indirect_calibration``)
    The same targets smoothed by a binomial logit model of the targets on the raw values alone
    (SetMethods' ``indirectCalibration(x, x_cal, binom = TRUE)``).

Anchors from the data and the inverse of the direct method are in ``analysis.qca.anchors``.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from .errors import QCAError
from .rnumeric import glm_logit, libm, r_round

__all__ = ["calibrate", "calibrate_crisp", "calibrate_indirect", "indirect_calibration", "indirect_targets"]


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


def _raw(values, name, what):
    """The raw values as floats (no missing value) and the name messages use."""
    label = name or (values.name if isinstance(values, pd.Series) else None) or "values"
    x = _as_float_array(values, label)
    if np.isnan(x).any():
        raise QCAError(f"{label}: {int(np.isnan(x).sum())} missing value(s); fill or drop them before {what}")
    return x, label


def _like(values, out):
    """``out`` as a Series with ``values``' index and name when ``values`` is a Series."""
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name)
    return out


def calibrate(values, thresholds, idm: float = 0.95, name: str | None = None, type: str = "fuzzy",
              method: str = "direct"):
    """Raw values to memberships, as R's ``calibrate``: direct (default), crisp or indirect.

    Parameters
    ----------
    values : array-like or pandas.Series
        Raw scores.  Missing values are an error.
    thresholds : sequence of floats
        Direct method: ``(exclusion, crossover, inclusion)``: e, c, i; ``exclusion > inclusion``
        calibrates a decreasing set (larger raw values, less membership).  ``type="crisp"``: one
        or more thresholds (``calibrate_crisp``); ``method="indirect"``: the cut points of the
        targets (``calibrate_indirect``).
    idm : float, default 0.95
        The membership assigned at the inclusion anchor (R's ``idm``), strictly between 0.5 and 1
        (direct method only).
    name : str, optional
        The name used in error messages (default: the Series' name, else ``"values"``).
    type : {"fuzzy", "crisp"}, default "fuzzy"
        R's ``type``.
    method : {"direct", "indirect"}, default "direct"
        R's ``method`` of fuzzy calibration.

    Returns
    -------
    numpy.ndarray or pandas.Series
        The memberships (crisp: the categories, integers), a Series with the same index and
        name when ``values`` is a Series.

    Raises
    ------
    QCAError
        Anchors that are not three finite numbers strictly monotone (e < c < i or e > c > i), an
        ``idm`` outside (0.5, 1), a value that is not numeric, a missing value, an unknown
        ``type`` or ``method``; for the other kinds, see ``calibrate_crisp`` and
        ``calibrate_indirect``.

    Notes
    -----
    Ragin's (2008, ch. 5) direct method in the form of R's ``calibrate(x, type = "fuzzy", method =
    "direct", thresholds = c(e, c, i), logistic = TRUE, idm = 0.95)`` (Dusa 2019, ch. 4):

        log-odds = (x - c) / (i - c) * ln(idm / (1 - idm))    on the inclusion side of c
        log-odds = (x - c) / (c - e) * ln(idm / (1 - idm))    on the exclusion side
        membership = 1 / (1 + exp(-log-odds)), then below 0.0001 -> 0 and above 0.9999 -> 1

    so that i maps to ``idm``, c to 0.5 and e to 1 - ``idm``.  The values are computed in R's
    order of operations (a decreasing set as 1 minus the increasing one, R's way) with the C
    library's ``exp``, so that they equal R's bit for bit (``tests/test_calibration_kinds.py``;
    ``calibration_LR.json``).

    Differences from R's ``calibrate``: the arguments are ``(values, thresholds, idm, name, type,
    method)`` where R's are ``(x, type = "fuzzy", method = "direct", thresholds, logistic = TRUE,
    idm = 0.95, ...)``; R's six thresholds, ``logistic = FALSE``, ``ecdf``, ``below``/``above``
    and ``method = "TFR"`` are not implemented.  R returns NA for a missing value and computes
    anchors in any order; the engine refuses both.

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
    >>> calibrate([1, 5, 9], thresholds=[5], type="crisp").tolist()
    [0, 1, 1]
    """
    if type not in ("fuzzy", "crisp"):
        raise QCAError(f"calibration type {type!r}: use 'fuzzy' or 'crisp' (R's type)")
    if method not in ("direct", "indirect"):
        raise QCAError(f"calibration method {method!r}: use 'direct' or 'indirect' (R's method)")
    if type == "crisp":
        return calibrate_crisp(values, thresholds, name=name)
    if method == "indirect":
        return _like(values, calibrate_indirect(values, thresholds, name=name))
    e, c, i = _check_anchors(thresholds)
    if not 0.5 < idm < 1:
        raise QCAError(f"idm must lie strictly between 0.5 and 1, got {idm}")
    x, _ = _raw(values, name, "calibrating")
    low, high = (i, e) if e > i else (e, i)              # R computes a decreasing set increasing, then 1 - it
    below = x < c
    sign, anchor = np.where(below, 1.0, -1.0), np.where(below, low, high)
    power = sign * (x - c) * math.log(idm / (1 - idm)) / (anchor - c)
    member = 1 / (1 + libm(math.exp, np.clip(power, -745.0, 709.0)))
    if e > i:
        member = 1 - member
    return _like(values, _clamp(member))


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
    x, label = _raw(values, name, "calibrating")
    th = np.atleast_1d(np.asarray(thresholds, dtype=float))
    if th.size > 1 and not np.all(np.diff(th) > 0):
        raise QCAError(f"{label}: crisp thresholds must be strictly increasing, got {list(th)}")
    if ((th < x.min()) | (th > x.max())).any():
        raise QCAError(f"{label}: crisp threshold(s) {list(th)} outside the range of the values "
                       f"[{x.min():g}, {x.max():g}]")
    return _like(values, (x[:, None] >= th[None, :]).sum(axis=1).astype(int))


def indirect_targets(values, thresholds) -> np.ndarray:
    """The qualitative target membership of every value: R's intervals of the indirect method.

    The sorted thresholds t_1 < ... < t_m cut the raw scale into m + 1 intervals with targets
    ``round(seq(0, 1, by = 1/m), 3)`` (0, 1/m, ..., 1): a value above t_j gets the j-th (R's
    ``calibrate(method = "indirect")``; SetMethods' example of ``indirectCalibration`` assigns
    its ``x_cal`` the same way).

    >>> indirect_targets([1, 3, 5, 7], [2, 4, 6]).tolist()
    [0.0, 0.333, 0.667, 1.0]
    """
    x = _as_float_array(values)
    th = np.sort(np.atleast_1d(np.asarray(thresholds, dtype=float)))
    if th.size == 0 or not np.isfinite(th).all():
        raise QCAError(f"indirect calibration needs one or more finite thresholds, got {list(th)}")
    m = th.size
    levels = r_round(np.minimum(np.arange(m + 1) * (1 / m), 1.0), 3)     # R's round(seq(0, 1, by = 1/m), 3)
    t = np.zeros_like(x)
    for j, cut in enumerate(th):
        t[x > cut] = levels[j + 1]
    return t


def calibrate_indirect(values, thresholds, name: str | None = None) -> np.ndarray:
    """Indirect calibration (Ragin 2008, pp. 94-97), as R's ``calibrate(method = "indirect")``.

    Parameters
    ----------
    values : array-like of float
        Raw scores, non-negative (the model uses log(x)).
    thresholds : sequence of float
        Cut points of the raw scale (sorted here); m thresholds give m + 1 intervals.
    name : str, optional
        The name used in error messages.

    Returns
    -------
    numpy.ndarray of float
        The memberships.

    Raises
    ------
    QCAError
        Missing or negative raw values, no threshold, or a fit that diverges.

    Warns
    -----
    UserWarning
        When R's fit stops after 25 iterations without converging (R warns the same).

    Notes
    -----
    The targets are ``indirect_targets`` (0, 1/m, ..., 1 rounded to 3 decimals; a value above
    threshold j gets j/m).  A fractional polynomial logit model of the targets,

        logit(E[t]) = b0 + b1 log(x) + b2 sqrt(x) + b3 x + b4 x^2

    (a quasi-binomial GLM, Papke & Wooldridge 1996) smooths them; its fitted values, rounded to 6
    decimals by R's ``round``, with those below 0.0001 set to 0 and above 0.9999 to 1, are the
    memberships.  A raw 0 is replaced by 0.00001, as in R.  R fits the model with ``glm(...,
    family = quasibinomial(logit))``; its model matrix is badly conditioned (condition number 3e9
    on LR's DEV), so another least-squares solver gives other fitted values in the eighth decimal
    and sometimes another sixth.  The engine runs R's own algorithm
    (``analysis.qca.rnumeric.glm_logit``: R's start, LINPACK's QR, R's stopping rule), so the
    memberships equal R's exactly (``tests/test_calibration_kinds.py``).  R's argument order is
    ``calibrate(x, type = "fuzzy", method = "indirect", thresholds)``; R gives NaN memberships
    for negative raw values, the engine refuses them.

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
    x, label = _raw(values, name, "calibrating")
    if (x < 0).any():
        raise QCAError(f"{label}: indirect calibration needs non-negative raw values (its model uses log(x))")
    t = indirect_targets(x, thresholds)
    x = np.where(x == 0, 0.00001, x)
    X = np.column_stack([np.ones_like(x), libm(math.log, x), np.sqrt(x), x, x * x])
    fit = _fitted(X, t, label, "R's calibrate(method = 'indirect')")
    return _clamp(r_round(fit.fitted, 6))


def indirect_calibration(values, targets, name: str | None = None) -> np.ndarray:
    """SetMethods' ``indirectCalibration(x, x_cal, binom = TRUE)``: a binomial logit model of the
    target memberships on the raw values.

    Parameters
    ----------
    values : array-like of float
        Raw scores.
    targets : array-like of float
        Each case's qualitative target membership in [0, 1] (SetMethods' ``x_cal``), e.g.
        ``indirect_targets(values, thresholds)``.
    name : str, optional
        The name used in error messages.

    Returns
    -------
    numpy.ndarray of float
        The memberships, 1 / (1 + exp(-(b0 + b1 x))), neither rounded nor cut at the tails (as
        SetMethods returns them).

    Raises
    ------
    QCAError
        Missing values, targets outside [0, 1] or of another length, raw values that do not vary.

    Notes
    -----
    SetMethods (Oana & Schneider 2018) fits ``glm(x_cal ~ x, family = binomial)`` and computes the
    memberships from its coefficients; the engine runs R's ``glm.fit``
    (``analysis.qca.rnumeric.glm_logit``) and the same formula, so the values equal SetMethods'
    exactly.  SetMethods' ``binom = FALSE`` (a beta regression, package betareg) is not
    implemented.

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2018). SetMethods: an add-on R package for advanced QCA.
    *The R Journal*, 10(1), 507-533.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, pp. 94-97.

    Examples
    --------
    >>> x = [1, 2, 3, 4, 5, 6, 7, 8]
    >>> indirect_calibration(x, indirect_targets(x, [2.5, 5.5])).round(3).tolist()
    [0.027, 0.085, 0.235, 0.503, 0.769, 0.916, 0.973, 0.992]
    """
    x, label = _raw(values, name, "calibrating")
    t = _as_float_array(targets, f"{label}: targets")
    if t.shape != x.shape or np.isnan(t).any() or ((t < 0) | (t > 1)).any():
        raise QCAError(f"{label}: indirect calibration needs one target membership in [0, 1] per raw value")
    if np.ptp(x) == 0:
        raise QCAError(f"{label}: the raw values do not vary; the logit model cannot be fitted")
    fit = _fitted(np.column_stack([np.ones_like(x), x]), t, label, "SetMethods' indirectCalibration")
    b0, b1 = fit.coefficients
    return 1 / (1 + libm(math.exp, np.clip(-(b0 + b1 * x), -745.0, 709.0)))


def _fitted(X, targets, label, what):
    fit = glm_logit(X, targets)
    if not fit.converged:
        warnings.warn(f"{label}: {what}: the logit model did not converge in 25 iterations (R warns "
                      "'glm.fit: algorithm did not converge')", UserWarning, stacklevel=3)
    return fit
