"""Anchors from the data, and the direct method run backwards.

``percentile_anchors`` places a set's three anchors at sample percentiles (a default when no
substantive anchors exist yet, which the study side marks as needing a reason);
``inverse_calibrate`` gives the raw values that ``calibrate`` maps to chosen memberships (for
simulating raw data; R's QCA has no such function).  Both keep ``calibrate``'s checks of the
anchors (``analysis.qca.calibration``).
"""
from __future__ import annotations

import math

import numpy as np

from .calibration import _as_float_array, _check_anchors
from .errors import QCAError

__all__ = ["inverse_calibrate", "percentile_anchors"]


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
    >>> from analysis.qca import calibrate
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

