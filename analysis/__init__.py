"""The research compendium: the fsQCA engine (``analysis.qca``) and the study side.

``analysis.qca`` is the engine, importable on its own; its public functions are re-exported
here, so ``from analysis import calibrate, truth_table, solve`` works as well.  The rest of the
package turns a study file and its raw data into every table and figure, in the order of the
notebooks (``analysis.pipeline`` runs them): ``studyfile`` -> ``rawdata`` -> ``measures`` ->
``memberships`` -> ``analyses`` (truth tables and solutions) -> ``robustness`` -> ``claims``
-> ``report``.
"""
from .qca import *  # noqa: F401,F403
from .qca import __all__  # noqa: F401
