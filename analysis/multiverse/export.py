"""A sample of a multiverse's specifications, exported to be re-derived elsewhere (R's QCA).

``export_sample`` draws ``n`` specifications of a finished run (seeded), and writes for each
specification and analysis the memberships it analyses (``datasets/<id>.csv``: the kept cases,
the specification's conditions and the outcome, as computed from its anchors) and one entry of
``specs.json`` in the format of the R reference files (``tests/fixtures/reference``): ``id``,
``dataset``, ``outcome``, ``neg_out``, ``conditions``, ``incl_cut``, ``pri_cut``, ``n_cut``,
``dir_exp``, the value of every choice, and
what the compendium found: the tied models of its intermediate and parsimonious solutions
(``solution``, ``parsimonious``: models separated by `` | ``) and the solution's inclS and covS.
Running ``truthTable`` and ``minimize`` of R's QCA on each dataset with these settings must
give the same models.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..report.format import CSV_FLOAT
from . import store
from .evaluate import _Spec, evaluate

__all__ = ["export_sample"]


def _numbers(folder, meta) -> np.ndarray:
    return np.concatenate([f["spec"].to_numpy() for f in store.read_chunks(folder, meta["chunks"], ["spec"])])


def export_sample(universe, folder, meta: dict, n: int, seed: int, out) -> Path:
    """Write ``n`` specifications of the run in ``folder`` (manifest ``meta``) to ``out``."""
    out = Path(out)
    (out / "datasets").mkdir(parents=True, exist_ok=True)
    numbers = _numbers(folder, meta)
    chosen = np.sort(np.random.default_rng(seed).choice(numbers, size=min(n, len(numbers)), replace=False))
    rows = evaluate(universe, chosen)
    specs = []
    for number, idx, row in zip(chosen, universe.grid.decode(chosen), rows.to_dict("records")):
        spec = _Spec(universe, idx, {})
        kept = spec.frame(universe).iloc[spec.kept]
        for a in universe.analyses:
            sid = f"spec{int(number)}_{a.name}"
            data = kept[list(spec.conds) + [a.outcome]]
            data.to_csv(out / "datasets" / f"{sid}.csv", index_label="case", float_format=CSV_FLOAT,
                        lineterminator="\n")
            dir_exp = ",".join(str(d) for c, d in zip(a.conditions, a.dir_exp) if c in spec.conds)
            specs.append({"id": sid, "dataset": f"datasets/{sid}.csv", "outcome": a.outcome, "neg_out": a.neg_out,
                          "conditions": list(spec.conds),
                          "incl_cut": float(spec.cuts[0]), "pri_cut": float(spec.cuts[1]), "n_cut": int(spec.cuts[2]),
                          "dir_exp": dir_exp, "choices": {k: _plain(row[k]) for k in (c.name for c in universe.grid.choices)},
                          "solution": row[f"{a.name}: solution"], "parsimonious": row[f"{a.name}: parsimonious"],
                          "inclS": _plain(row[f"{a.name}: inclS"]), "covS": _plain(row[f"{a.name}: covS"])})
    (out / "specs.json").write_text(json.dumps(specs, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return out


def _plain(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else round(float(v), 6)
    return None if v is pd.NA else v
