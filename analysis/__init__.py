"""The research compendium: the fsQCA engine (``analysis.qca``) and the study side.

``analysis.qca`` is the engine, importable on its own (it imports nothing of the study side);
its public names are also reachable here, so ``from analysis import calibrate, truth_table,
solve`` works as well (each is imported when first used).  The rest of the package turns a
study file and its raw data into every table and figure, in the order of the notebooks
(``analysis.pipeline`` runs them): ``studyfile`` -> ``rawdata`` -> ``measures`` ->
``memberships`` -> ``analyses`` (truth tables and solutions) -> ``robustness`` -> ``claims`` ->
``report``.
"""
from . import qca as _qca

__all__ = list(_qca.__all__)


def __getattr__(name):
    if name in __all__:
        return getattr(_qca, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
