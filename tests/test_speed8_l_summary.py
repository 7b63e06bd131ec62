"""The multiverse summary's sums by choice value and its flips, computed without a frame per
group (``analysis.multiverse.summary``), held against the pandas group-bys they replaced."""
import numpy as np
import pandas as pd
import pytest

from analysis.multiverse import summary


def _flips_by_groupby(choices, at_least=0.0):
    """The replaced ``flips``: pandas' groupby, idxmin and idxmax."""
    cols = ["finding", "choice", "lowest", "share_lowest", "judged_lowest", "highest", "share_highest",
            "judged_highest", "spread"]
    rows = []
    judged = choices[choices["judged"] > 0]
    for (finding, choice), g in judged.groupby(["finding", "choice"], sort=False):
        lo, hi = g.loc[g["share"].idxmin()], g.loc[g["share"].idxmax()]
        spread = float(hi["share"] - lo["share"])
        if spread > at_least:
            rows.append({"finding": finding, "choice": choice, "lowest": lo["value"], "share_lowest": float(lo["share"]),
                         "judged_lowest": int(lo["judged"]), "highest": hi["value"],
                         "share_highest": float(hi["share"]), "judged_highest": int(hi["judged"]),
                         "spread": round(spread, 12)})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["spread", "finding", "choice"], ascending=[False, True, True], kind="stable") \
        .reset_index(drop=True)


def _choices(rng, n_findings, n_choices):
    rows = []
    for f in rng.permutation(n_findings):
        for c in range(n_choices):
            for v in rng.permutation(rng.integers(1, 6)):
                t = int(rng.integers(0, 6))
                h = int(rng.integers(0, t + 1)) if t else 0
                rows.append({"finding": f"claim {f}", "choice": f"choice {c}", "value": f"{v / 10:g}", "judged": t,
                             "holds": h, "share": h / t if t else float("nan")})
    return pd.DataFrame(rows, columns=["finding", "choice", "value", "judged", "holds", "share"])


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("at_least", [0.0, 0.25])
def test_flips_equal_the_groupby(seed, at_least):
    choices = _choices(np.random.default_rng(seed), 6, 4)        # ties of shares, zero judged, one value
    pd.testing.assert_frame_equal(summary.flips(choices, at_least), _flips_by_groupby(choices, at_least))


def test_flips_of_no_choice():
    empty = _choices(np.random.default_rng(0), 0, 0)
    pd.testing.assert_frame_equal(summary.flips(empty), _flips_by_groupby(empty))


@pytest.mark.parametrize("seed", range(8))
def test_sums_by_value_equal_the_groupby(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 60)), int(rng.integers(1, 8))
    values = rng.choice(["0.75", "0.8", "nan", "<NA>", "a b"], size=n).astype(object)
    judged = rng.integers(0, 2, size=(n, k)).astype(np.int64)
    holds = judged * rng.integers(0, 2, size=(n, k))
    got_values, t_sum, h_sum = summary._sums_by_value(values, judged, holds)
    t_ref = pd.DataFrame(judged).groupby(values, sort=False).sum()
    h_ref = pd.DataFrame(holds).groupby(values, sort=False).sum()
    assert got_values == list(t_ref.index)
    assert t_sum == [[int(t_ref.at[v, j]) for j in range(k)] for v in t_ref.index]
    assert h_sum == [[int(h_ref.at[v, j]) for j in range(k)] for v in h_ref.index]
