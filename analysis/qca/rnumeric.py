"""R's arithmetic where the engine must equal R to the last bit: ``round``, the C library's
``exp`` and ``log``, and ``glm.fit`` for a logit model.

The calibration functions (``analysis.qca.calibration``) equal R's ``calibrate`` and SetMethods'
``indirectCalibration`` exactly, bit for bit, not only to a tolerance.  Three things make the
difference between "about 1e-6" and "equal":

- **R's ``round``** (R >= 4.0.0) picks, of the two candidates ``floor(x * 10^d) / 10^d`` and
  ``ceil(x * 10^d) / 10^d``, the one nearer to ``x`` (on a tie, the even one); numpy's
  ``round`` rounds ``x * 10^d`` half to even and divides, which differs on about one value in
  ten near a tie (``r_round``);
- **the C library's ``exp`` and ``log``**, which R calls, where numpy uses its own vectorised
  versions that differ by one unit in the last place on some values (``libm``);
- **R's ``glm.fit``** (``glm_logit``): the same starting values (``mustart = (y + 0.5) / 2``),
  the same iteratively reweighted least squares with LINPACK's Householder QR (``dqrdc2`` with
  limited column pivoting, ``dqrsl``; BLAS's ``ddot`` and ``dnrm2`` sum left to right), and the
  same stopping rule: the relative change of the deviance below ``epsilon`` = 1e-8, at most 25
  iterations.  The solver matters most: the indirect method's model matrix (1, log x, sqrt x, x,
  x^2) is badly conditioned (condition number 3e9 on LR's DEV, raw values in the hundreds), and
  numpy's SVD-based ``lstsq``, which the engine used before, gave fitted values up to 4e-8 away
  from R's, enough to change the sixth decimal R rounds to (two of DEV's 18 memberships by
  0.000001); R's start and stopping rule matter less (iterating on moves them by about 1e-10).

References
----------
R Core Team (2022). *R: A Language and Environment for Statistical Computing*, ``glm.fit``
(src/library/stats/R/glm.R), ``dqrdc2`` and ``dqrls`` (src/appl), ``fround`` (src/nmath).

Dongarra, J. J., Bunch, J. R., Moler, C. B., & Stewart, G. W. (1979). *LINPACK Users' Guide*.
SIAM, ch. 9 (``dqrdc``, ``dqrsl``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import QCAError

__all__ = ["r_round", "libm", "LogitFit", "glm_logit"]

_EPS = float(np.finfo(float).eps)       # R's DBL_EPSILON
_THRESH = 30.0                          # R's logit link: beyond +-30 the link is cut off


def r_round(x, digits: int) -> np.ndarray:
    """R's ``round(x, digits)`` (R >= 4.0.0): the nearer of the two candidates, ties to even.

    >>> r_round([0.15, 0.25, 0.35], 1).tolist()          # numpy's round gives 0.2, 0.2, 0.4
    [0.1, 0.2, 0.3]
    """
    x = np.asarray(x, dtype=float)
    sign, x = np.sign(x), np.abs(x)
    p = 10.0 ** digits
    scaled = p * x
    low = np.floor(scaled)
    down, up = low / p, np.ceil(scaled) / p
    du, dd = up - x, x - down
    return sign * np.where((du < dd) | ((du == dd) & (np.fmod(low, 2) == 1)), up, down)


def libm(function, x) -> np.ndarray:
    """``function`` (``math.exp``, ``math.log``) of every value: the C library's, as R calls it.

    >>> libm(math.exp, [0.0, 1.0]).tolist()
    [1.0, 2.718281828459045]
    """
    x = np.asarray(x, dtype=float)
    return np.fromiter((function(v) for v in x.ravel()), dtype=float, count=x.size).reshape(x.shape)


def _ddot(a, b) -> float:
    """BLAS ``ddot``: the products summed left to right."""
    return float(np.cumsum(a * b)[-1]) if len(a) else 0.0


def _dnrm2(a) -> float:
    """BLAS ``dnrm2`` for values of ordinary size: the square root of the squares summed left to right."""
    return math.sqrt(np.cumsum(a * a)[-1]) if len(a) else 0.0


def _dqrdc2(x: np.ndarray, tol: float):
    """LINPACK's Householder QR with R's limited column pivoting (``dqrdc2``): (qr, qraux, pivot, rank)."""
    x = np.array(x, dtype=float)
    n, p = x.shape
    pivot = list(range(p))
    qraux = np.array([_dnrm2(x[:, j]) for j in range(p)])
    original = np.where(qraux == 0, 1.0, qraux)
    k = p + 1
    for col in range(min(n, p)):
        while col + 1 < k and qraux[col] < original[col] * tol:    # a negligible column goes to the end
            order = list(range(col + 1, p)) + [col]
            x[:, col:] = x[:, order]
            qraux[col:], original[col:] = qraux[order], original[order]
            pivot[col:] = [pivot[j] for j in order]
            k -= 1
        if col + 1 == n:
            break
        norm = _dnrm2(x[col:, col])
        if norm == 0:
            continue
        if x[col, col] != 0:
            norm = math.copysign(norm, x[col, col])
        x[col:, col] = x[col:, col] * (1.0 / norm)
        x[col, col] = 1.0 + x[col, col]
        for j in range(col + 1, p):
            t = -_ddot(x[col:, col], x[col:, j]) / x[col, col]
            x[col:, j] = x[col:, j] + t * x[col:, col]
            if qraux[j] != 0:
                tt = max(1.0 - (abs(x[col, j]) / qraux[j]) ** 2, 0.0)
                qraux[j] = _dnrm2(x[col + 1:, j]) if abs(tt) < 1e-6 else qraux[j] * math.sqrt(tt)
        qraux[col] = x[col, col]
        x[col, col] = -norm
    return x, qraux, pivot, min(k - 1, n)


def _dqrls(x: np.ndarray, y: np.ndarray, tol: float):
    """LINPACK's least squares (``dqrls``: ``dqrdc2``, then ``dqrsl``'s Q'y and back substitution):
    (coefficients in pivoted order, the unused ones 0; pivot; rank)."""
    n, p = x.shape
    qr, qraux, pivot, k = _dqrdc2(x, tol)
    qty = np.array(y, dtype=float)
    for j in range(min(k, n - 1)):
        if qraux[j] != 0:
            diagonal, qr[j, j] = qr[j, j], qraux[j]
            t = -_ddot(qr[j:, j], qty[j:]) / qr[j, j]
            qty[j:] = qty[j:] + t * qr[j:, j]
            qr[j, j] = diagonal
    b = np.zeros(p)
    b[:k] = qty[:k]
    for j in range(k - 1, -1, -1):
        b[j] = b[j] / qr[j, j]
        if j:
            b[:j] = b[:j] + (-b[j]) * qr[:j, j]
    return b, pivot, k


def _linkinv(eta):
    tmp = np.where(eta < -_THRESH, _EPS, np.where(eta > _THRESH, 1 / _EPS, libm(math.exp, np.clip(eta, -40, 40))))
    return tmp / (1 + tmp)


def _mu_eta(eta):
    e = libm(math.exp, np.clip(eta, -40, 40))
    return np.where((eta > _THRESH) | (eta < -_THRESH), _EPS, e / ((1 + e) * (1 + e)))


def _y_log_y(y, mu):
    out = np.zeros_like(y)
    nz = y != 0
    out[nz] = y[nz] * libm(math.log, y[nz] / mu[nz])
    return out


def _deviance(y, mu) -> float:
    """The binomial deviance, summed as R's ``sum`` does (in long double)."""
    return float(np.sum((2 * (_y_log_y(y, mu) + _y_log_y(1 - y, 1 - mu))).astype(np.longdouble)))


def _times(x, b):
    """``x %*% b`` as the reference BLAS's ``dgemv`` computes it: column by column."""
    out = np.zeros(x.shape[0])
    for j in range(x.shape[1]):
        out = out + b[j] * x[:, j]
    return out


@dataclass(frozen=True)
class LogitFit:
    """What ``glm_logit`` returns: R's ``coef`` (0 for an aliased column, where R prints NA),
    ``fitted.values``, ``iter``, ``converged`` and ``rank``."""

    coefficients: np.ndarray
    fitted: np.ndarray
    iterations: int
    converged: bool
    rank: int


def glm_logit(X, y, epsilon: float = 1e-8, maxit: int = 25) -> LogitFit:
    """R's ``glm.fit(X, y, family = binomial())`` (and ``quasibinomial``: the same fit), step by step.

    Parameters
    ----------
    X : array-like, shape (n, p)
        The model matrix, its first column the intercept's ones.
    y : array-like, shape (n,)
        The responses, proportions in [0, 1] (weights 1).
    epsilon, maxit : float, int
        R's ``glm.control()`` defaults: the relative change of the deviance that stops the
        iterations, and the most iterations.

    Returns
    -------
    LogitFit
        Coefficients, fitted values, iterations, whether they converged, the rank of ``X``.

    Raises
    ------
    QCAError
        Responses outside [0, 1], or a fit whose deviance is not finite (R halves the step there;
        the engine refuses instead).

    Notes
    -----
    R's algorithm (``glm.fit``, R 4.2): start at mu = (y + 0.5) / 2, eta = logit(mu); then
    repeat: z = eta + (y - mu) / mu.eta(eta), w = sqrt(mu.eta^2 / (mu (1 - mu))), regress z w
    on X w by LINPACK's QR (``Cdqrls``, tolerance min(1e-7, epsilon / 1000)), eta = X b, mu =
    logistic(eta) (cut off at |eta| > 30 as R's C code does), until |dev - dev_old| / (|dev| +
    0.1) < epsilon.  Every step is taken in R's order of operations, so that the fitted values
    equal R's to the last bit (the tests compare them with ``==``).

    Examples
    --------
    >>> fit = glm_logit(np.column_stack([np.ones(4), [1.0, 2.0, 3.0, 4.0]]), [0.0, 0.2, 0.6, 1.0])
    >>> fit.iterations, fit.converged, fit.fitted.round(4).tolist()
    (6, True, [0.0124, 0.1407, 0.6815, 0.9655])
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if ((y < 0) | (y > 1)).any() or np.isnan(y).any():
        raise QCAError("a logit model needs responses in [0, 1] (R: 'y values must be 0 <= y <= 1')")
    mustart = (1 * y + 0.5) / (1 + 1)
    eta = libm(math.log, mustart / (1 - mustart))
    mu = _linkinv(eta)
    dev_old, start, rank = _deviance(y, mu), np.zeros(X.shape[1]), X.shape[1]
    for iteration in range(1, maxit + 1):
        me = _mu_eta(eta)
        good = me != 0
        z = eta[good] + (y - mu)[good] / me[good]
        w = np.sqrt((1 * me[good] * me[good]) / (mu[good] * (1 - mu[good])))
        b, pivot, rank = _dqrls(X[good] * w[:, None], z * w, min(1e-7, epsilon / 1000))
        start = np.zeros(X.shape[1])
        start[pivot] = b
        eta = _times(X, start)
        mu = _linkinv(eta)
        dev = _deviance(y, mu)
        if not math.isfinite(dev):
            raise QCAError("the logit model's fit diverged (its deviance is not finite); R halves the step "
                           "here, the engine refuses: check the raw values for extreme outliers")
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            return LogitFit(start, mu, iteration, True, rank)
        dev_old = dev
    return LogitFit(start, mu, maxit, False, rank)
