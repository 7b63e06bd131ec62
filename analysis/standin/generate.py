"""Generate a synthetic stand-in case base from the study file's data-generating process.

``generate(study)`` follows the study file's ``standin:`` section (``analysis.standin.design``)
in five steps, drawing from one seeded random generator in a fixed order, so that the same
study file gives the same cases on any machine:

1. **Latent configurations**: every configuration of the design repeated by its number of cases,
   in a random order of the case ids.
2. **Latent condition memberships**: Normal(present, sd) where the configuration has the
   condition, Normal(absent, sd) where it lacks it (conditions in the study file's order),
   clipped to [0.02, 0.98].
3. **Latent outcome memberships**: the membership in the outcome's expression of the latent
   conditions (fuzzy AND = minimum, OR = maximum; Ragin 2008, ch. 2) plus Normal(0, sd),
   clipped.  This is where the study's argument is built in; whether the analysis recovers it
   is decided by the analysis of the generated data alone.
4. **Raw values**: each latent membership becomes a raw value of its measure by running the
   measure's calibration backwards (``analysis.qca.inverse_calibrate`` with its anchors), so a
   latent membership of 0.7 is a raw value that the study's own anchors calibrate to 0.7.
5. **Indicators**: each indicator is the raw value plus its offset plus Normal(0, sd), clipped to
   the codebook range and rounded to the measure's decimals; the measure (their mean) then
   carries measurement error, as survey means and document counts do.
6. **Off the crossover**: a case whose measure (the exact mean of its rounded indicators) would
   equal the measure's crossover anchor gets one indicator moved by one rounding step towards the
   side of its latent membership (``off_crossover``; no random draw, so the other values stay
   as they are).  A real case may sit on a crossover (R keeps it with a warning, in no
   truth-table row); the stand-in keeps its cases off, so that the anchors can be the round
   values a researcher chooses (a scale midpoint of 4, 50 %) and every case is in a row.

>>> from pathlib import Path
>>> from analysis.studyfile import load_study
>>> study = load_study(Path(__file__).parents[2] / "data" / "ppip" / "study.yml")
>>> cases = generate(study)
>>> len(cases), cases.columns[0], cases.iloc[0, 0]
(36, 'case', 'H01')
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import StudyError
from ..qca import inverse_calibrate, membership
from .design import CLIP

__all__ = ["generate", "latent_memberships", "off_crossover", "write_csv", "formatted"]


def _design(study):
    if study.standin is None:
        raise StudyError(f"{study.path}: the study file has no 'standin:' section (a stand-in's data-generating "
                       "process); only a synthetic study can generate its data")
    return study.standin


def latent_memberships(study, rng=None) -> pd.DataFrame:
    """Steps 1-3: the latent memberships of every case in the conditions and the outcomes."""
    d = _design(study)
    rng = np.random.default_rng(d.seed) if rng is None else rng
    crisp = [code for code, cases, _ in d.configurations for _ in range(cases)]
    crisp = [crisp[i] for i in rng.permutation(len(crisp))]
    latent = {}
    for c in study.conditions:
        centre = np.array([d.present if code[c] else d.absent for code in crisp])
        latent[c] = np.clip(centre + rng.normal(0, d.sd, len(crisp)), *CLIP)
    frame = pd.DataFrame(latent, index=pd.Index(d.case_names(), name="case"))
    for y in study.outcomes:
        expression, sd = d.outcomes[y]
        base = membership(frame[study.conditions], expression).to_numpy()
        frame[y] = np.clip(base + rng.normal(0, sd, len(frame)), *CLIP)
    return frame


def off_crossover(items: np.ndarray, crossover: float, decimals: int, scale, up: np.ndarray) -> np.ndarray:
    """Step 6: the rounded indicators ``items`` (cases x indicators) with every case whose exact
    mean equals ``crossover`` moved off it: its last indicator that can move one rounding step
    (``10**-decimals``) towards its side (``up``: latent membership at least 0.5) inside ``scale``
    moves, else the last that can move the other way.  The mean is compared exactly, in whole
    rounding steps, so a case is moved exactly when R's ``calibrate`` would give it 0.5.

    >>> off_crossover(np.array([[3.99, 4.0, 4.01], [4.0, 4.0, 4.1]]), 4, 2, (1, 7), np.array([True, False]))
    array([[3.99, 4.  , 4.02],
           [4.  , 4.  , 4.1 ]])
    """
    step = Fraction(1, 10 ** decimals)
    units = np.rint(items / float(step)).astype(np.int64)
    target = Fraction(str(crossover)) * items.shape[1] / step
    out = items.copy()
    lo, hi = (Fraction(str(v)) / step for v in scale)
    for i in np.flatnonzero(units.sum(axis=1) == target) if target.denominator == 1 else []:
        for sign in ((1, -1) if up[i] else (-1, 1)):
            movable = [j for j in range(units.shape[1]) if lo <= units[i, j] + sign <= hi]
            if movable:
                j = movable[-1]
                out[i, j] = round(float((units[i, j] + sign) * step), decimals)
                break
    return out


def generate(study) -> pd.DataFrame:
    """The stand-in case base: a ``case`` column, then every indicator in the study file's order."""
    d = _design(study)
    rng = np.random.default_rng(d.seed)
    latent = latent_memberships(study, rng)
    columns = {study.case_id: list(latent.index)}
    for name, m in study.measures.items():
        raw = inverse_calibrate(latent[name].to_numpy(), m.anchors)
        spec = d.indicators[name]
        lo, hi = m.range
        items = np.column_stack([np.round(np.clip(raw + offset + rng.normal(0, spec.sd, len(raw)), lo, hi),
                                          spec.decimals) for offset in spec.offsets])
        up = (latent[name].to_numpy() >= 0.5) == (m.anchors[0] < m.anchors[2])
        items = off_crossover(items, m.anchors[1], spec.decimals, m.range, up)
        columns.update({column: items[:, j] for j, column in enumerate(m.indicators)})
    return pd.DataFrame(columns)


def formatted(study, cases: pd.DataFrame) -> pd.DataFrame:
    """Every indicator as text with its measure's decimals (stable CSV bytes)."""
    out = cases.copy()
    for name, m in study.measures.items():
        decimals = study.standin.indicators[name].decimals
        for column in m.indicators:
            out[column] = cases[column].map(lambda v, d=decimals: f"{v + 0.0:.{d}f}")
    return out


def write_csv(study, cases: pd.DataFrame, path) -> Path:
    """Write the cases as UTF-8 CSV, fixed decimals, ``\\n`` line endings."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        formatted(study, cases).to_csv(fh, index=False, lineterminator="\n")
    return path
