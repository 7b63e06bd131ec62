"""A seeded generator of the SYNTHETIC stand-in case base of the PPIP study.

The article this compendium accompanies (a 2025 fuzzy-set QCA study of public-private innovation
partnerships, PPIP, in the digital innovation of Chinese 12345 government service hotlines,
*International Review of Administrative Sciences*) did not publish its case data.  So that every
notebook, table and figure of the compendium can run, this module *generates* a stand-in case
base of 36 hotline partnerships, H01..H36 (no real city is named or implied).  Nothing here is
observed: results computed from it illustrate the method and are **not** the article's findings.
To analyse real data, replace ``data/ppip/raw/cases.csv`` by a file with the same columns (see the
codebook ``data/ppip/README.md``) and rerun.

Data-generating process (everything the data contain comes from these steps; seed 20250101)
--------------------------------------------------------------------------------------------
1. **Latent configurations.**  Each case gets a latent crisp configuration of the five
   conditions CONTRACT, NORMS, RISK, KNOW, PUBLIC from the fixed design ``DESIGN`` below
   (36 cases; the assignment of configurations to case ids is a random permutation).  The design
   contains the two "recipes" of the article's argument and their one-condition-off neighbours:
   CONTRACT*RISK*KNOW*PUBLIC with and without NORMS, NORMS*RISK*KNOW*PUBLIC without CONTRACT,
   the full configuration with each of RISK, KNOW, PUBLIC missing, and configurations in which
   several conditions are absent (cases with weak partnerships, i.e. low outcomes).
2. **Latent degrees.**  A present condition gets a latent degree q ~ Normal(0.78, 0.08), an
   absent one q ~ Normal(0.22, 0.08), both clipped to [0.03, 0.97]; q is the position on the
   measure's scale (0 = bottom, 1 = top of ``SCALES``).
3. **Outcomes as set relations plus noise.**  Material public value follows the fuzzy AND
   (minimum) of CONTRACT, RISK, KNOW and PUBLIC (NORMS plays no part), procedural public value
   the minimum of NORMS, RISK, KNOW and PUBLIC (CONTRACT plays no part):
   q_MPV = min(q_CONTRACT, q_RISK, q_KNOW, q_PUBLIC) + Normal(0, 0.06) and
   q_PPV = min(q_NORMS, q_RISK, q_KNOW, q_PUBLIC) + Normal(0, 0.06), clipped to [0.03, 0.97].
   This builds in the article's claims so that they *can* be recovered by the analysis; whether
   they are is decided by the analysis of the generated data alone.
4. **Indicators.**  Each measure has three indicators in one unit.  An indicator is
   low + q * (high - low) + item offset + Normal(0, item_sd), clipped to the indicator's range
   and rounded to its reporting precision (counts: whole clauses; survey means on 1-7 scales:
   2 decimals; percentages: 1 decimal).  The shared q makes the items of a measure hang together
   (Cronbach's alpha about 0.9-0.96); the item noise makes them imperfect.

Why no case sits on a crossover: a measure is the mean of three indicators rounded to a step r,
so it is a multiple of r/3.  Every crossover in ``data/ppip/study.yml`` is a round number plus
r/2 (12.5 clauses, 4.005 scale points, 50.05 % and 85.05 %), which is never a multiple of r/3;
hence no case calibrates to exactly 0.5 membership (Ragin 2008, p. 30: 0.5 is the point of
maximal ambiguity and such cases belong to no truth-table row).

Usage: ``python -m analysis.standin [--seed S] [--n-cases N] [--out PATH]`` writes the CSV
(default ``data/ppip/raw/cases.csv``) with a fixed float format and ``\\n`` line endings, so
regeneration with the same seed is byte-identical.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["generate", "write_csv", "main", "DESIGN", "SCALES", "INDICATORS", "DEFAULT_SEED", "DEFAULT_OUT"]

DEFAULT_SEED = 20250101
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "ppip" / "raw" / "cases.csv"
CONDITIONS = ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"]

# Latent crisp configurations (CONTRACT, NORMS, RISK, KNOW, PUBLIC) and how many cases get each.
DESIGN = [
    ((1, 1, 1, 1, 1), 4),   # both recipes present
    ((1, 0, 1, 1, 1), 5),   # MPV recipe without shared norms
    ((0, 1, 1, 1, 1), 5),   # PPV recipe without binding contracts
    ((1, 1, 0, 1, 1), 2),   # no risk management
    ((1, 1, 1, 0, 1), 2),   # no knowledge sharing
    ((1, 1, 1, 1, 0), 2),   # no information publicness
    ((0, 0, 1, 1, 1), 2),   # neither governance mechanism
    ((0, 0, 0, 0, 0), 3),   # weak partnerships ...
    ((0, 0, 0, 1, 0), 2),
    ((1, 0, 0, 0, 0), 2),
    ((0, 1, 0, 0, 1), 2),
    ((0, 0, 1, 0, 0), 2),
    ((1, 0, 1, 0, 0), 1),
    ((0, 1, 0, 1, 0), 2),
]

# Measure scales: (low, high) of the latent mapping, reporting decimals, indicator range, item sd.
SCALES = {
    "CONTRACT": dict(low=0.0, high=25.0, decimals=0, range=(0, 30), sd=2.5),
    "NORMS": dict(low=1.0, high=7.0, decimals=2, range=(1, 7), sd=0.7),
    "RISK": dict(low=1.0, high=7.0, decimals=2, range=(1, 7), sd=0.7),
    "KNOW": dict(low=1.0, high=7.0, decimals=2, range=(1, 7), sd=0.7),
    "PUBLIC": dict(low=0.0, high=100.0, decimals=1, range=(0, 100), sd=10.0),
    "MPV": dict(low=70.0, high=100.0, decimals=1, range=(0, 100), sd=3.0),
    "PPV": dict(low=1.0, high=7.0, decimals=2, range=(1, 7), sd=0.7),
}

# Indicators per measure with an item offset (items differ in level, not in what they measure).
INDICATORS = {
    "CONTRACT": {"contract_service_clauses": 1.0, "contract_performance_clauses": 0.0,
                 "contract_data_clauses": -1.0},
    "NORMS": {"norms_trust": 0.1, "norms_reciprocity": 0.0, "norms_solidarity": -0.1},
    "RISK": {"risk_plan": 0.1, "risk_sharing": -0.1, "risk_monitoring": 0.0},
    "KNOW": {"know_joint_training": 0.0, "know_data_exchange": 0.1, "know_joint_solving": -0.1},
    "PUBLIC": {"public_disclosure_pct": 4.0, "public_open_data_pct": -4.0, "public_result_pct": 0.0},
    "MPV": {"mpv_answer_rate_pct": 1.5, "mpv_ontime_pct": 0.0, "mpv_satisfaction_pct": -1.5},
    "PPV": {"ppv_transparency": 0.0, "ppv_participation": -0.1, "ppv_fairness": 0.1},
}

PRESENT, ABSENT, LATENT_SD, OUTCOME_SD = 0.78, 0.22, 0.08, 0.06


def _latent_configurations(rng, n_cases: int) -> np.ndarray:
    """The design's configurations repeated to ``n_cases`` rows, in random case order."""
    rows = [cfg for cfg, count in DESIGN for _ in range(count)]
    rows = [rows[i % len(rows)] for i in range(n_cases)]
    return np.array(rows, dtype=int)[rng.permutation(n_cases)]


def _latent_degrees(rng, crisp: np.ndarray) -> dict:
    """Latent degrees q in [0.03, 0.97] for conditions and outcomes (steps 2 and 3)."""
    q = {}
    for j, name in enumerate(CONDITIONS):
        centre = np.where(crisp[:, j] == 1, PRESENT, ABSENT)
        q[name] = np.clip(centre + rng.normal(0, LATENT_SD, len(crisp)), 0.03, 0.97)
    mpv = np.minimum.reduce([q["CONTRACT"], q["RISK"], q["KNOW"], q["PUBLIC"]])
    ppv = np.minimum.reduce([q["NORMS"], q["RISK"], q["KNOW"], q["PUBLIC"]])
    q["MPV"] = np.clip(mpv + rng.normal(0, OUTCOME_SD, len(crisp)), 0.03, 0.97)
    q["PPV"] = np.clip(ppv + rng.normal(0, OUTCOME_SD, len(crisp)), 0.03, 0.97)
    return q


def _indicator(rng, q: np.ndarray, scale: dict, offset: float) -> np.ndarray:
    """One observed indicator of a latent degree (step 4)."""
    x = scale["low"] + q * (scale["high"] - scale["low"]) + offset + rng.normal(0, scale["sd"], len(q))
    lo, hi = scale["range"]
    return np.round(np.clip(x, lo, hi), scale["decimals"])


def generate(seed: int = DEFAULT_SEED, n_cases: int = 36) -> pd.DataFrame:
    """The stand-in case base: one row per case (``case`` = H01, H02, ...), raw indicators."""
    if n_cases < 1:
        raise ValueError("n_cases must be at least 1")
    rng = np.random.default_rng(seed)
    crisp = _latent_configurations(rng, n_cases)
    q = _latent_degrees(rng, crisp)
    width = max(2, len(str(n_cases)))
    data = {"case": [f"H{i:0{width}d}" for i in range(1, n_cases + 1)]}
    for measure, items in INDICATORS.items():
        for column, offset in items.items():
            data[column] = _indicator(rng, q[measure], SCALES[measure], offset)
    frame = pd.DataFrame(data)
    for measure, items in INDICATORS.items():
        if SCALES[measure]["decimals"] == 0:
            frame[list(items)] = frame[list(items)].astype(int)
    return frame


def _formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """Every numeric column as text with its reporting precision (stable CSV bytes)."""
    out = frame.copy()
    for measure, items in INDICATORS.items():
        d = SCALES[measure]["decimals"]
        for column in items:
            out[column] = frame[column].map(lambda v, d=d: f"{v:.{d}f}")
    return out


def write_csv(frame: pd.DataFrame, path) -> Path:
    """Write ``frame`` as UTF-8 CSV with fixed decimals and ``\\n`` line endings."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        _formatted(frame).to_csv(fh, index=False, lineterminator="\n")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.standin",
                                     description="Write the synthetic stand-in PPIP case base (not real data).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--n-cases", type=int, default=36, help="number of cases (default 36)")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="output CSV (default data/ppip/raw/cases.csv)")
    args = parser.parse_args(argv)
    path = write_csv(generate(seed=args.seed, n_cases=args.n_cases), args.out)
    print(f"wrote {path} ({args.n_cases} synthetic cases, seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
