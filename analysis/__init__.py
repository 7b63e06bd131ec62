"""The research compendium: the fsQCA engine (``analysis.qca``) and the study side.

``analysis.qca`` is the engine, importable on its own (it imports nothing of the study side);
its public names are also reachable here, so ``from analysis import calibrate, truth_table,
solve`` works as well (each is imported when first used).  The rest of the package turns a
study file and its raw data into every table and figure, in the order of the notebooks
(``analysis.pipeline`` runs them): ``studyfile`` -> ``rawdata`` -> ``measures`` ->
``memberships`` -> ``analyses`` (truth tables and solutions) -> ``robustness`` -> ``claims`` ->
``report``.
"""
import sys as _sys

# python -m analysis.pipeline (.multiverse, .standin): a signal during the imports that follow is
# handled too (analysis.processes); any other use (import analysis.qca) loads nothing of the study side.
if _sys.argv[:1] == ["-m"]:
    from . import processes as _processes
    _processes.early()

from . import qca as _qca  # noqa: E402

__all__ = list(_qca.__all__)


def __getattr__(name):
    if name in __all__:
        return getattr(_qca, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
