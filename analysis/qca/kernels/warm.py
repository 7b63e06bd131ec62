"""Compile the engine's numba kernels into numba's cache once: ``python -m analysis.qca.kernels.warm``,
which ``make`` runs when it installs .venv.

A fresh clone has no compiled kernel: the first process that needs one compiles it (about 7 s a
kernel), and the tests, the notebooks' kernels and the multiverse's workers may each do so at
the same time.  This script runs each kernel once through the engine's own path (the same
argument types, so the same compiled signature), on a problem made large enough to use it:

- ``truthtable.row_statistics`` and ``fit.models_fit`` with their size thresholds set to 0;
- ``chart.minimal_covers`` on a chart of more than ``chart_search.SMALL_CHART`` classes.

Without numba it does nothing (the engine then uses the readable forms).
"""
import sys

import numpy as np

from analysis.qca import chart, chart_search, fit, truthtable
from analysis.qca.kernels import fit as fit_kernel


def main() -> int:
    if fit_kernel.compiled() is None:
        print("analysis.qca.kernels.warm: numba not installed; nothing to compile")
        return 0
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 4)), rng.random(40)
    truthtable.COMPILED_FROM = fit.COMPILED_FROM = 0
    truthtable.row_statistics(x, y, np.arange(16))
    fit.models_fit(x.T, y, [(0, 1), (2,), (1, 2, 3)])
    pairs = 2 * chart_search.SMALL_CHART
    cycle = np.zeros((pairs, pairs), dtype=bool)          # a cycle of primes: no forced class, a search
    for j in range(pairs):
        cycle[j, [j, (j + 1) % pairs]] = True
    assert len(chart.minimal_covers(cycle)) == 2
    print("analysis.qca.kernels.warm: the truth table, fit and search kernels are compiled (numba's cache)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
