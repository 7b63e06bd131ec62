"""An exact fsQCA engine (numpy/pandas) and the plumbing of the PPIP research compendium.

The engine follows R's QCA package (Dusa 2019) and is checked against its results:

- ``calibrate``                    direct-method calibration (analysis.calibration)
- ``membership``, ``negate``, ...  set algebra on memberships (analysis.sets)
- ``pof``, ``necessity_table``      parameters of fit (analysis.fit)
- ``truth_table``                  truth tables (analysis.truthtable)
- ``minimize``, ``solve``          complex, parsimonious, intermediate solutions (analysis.solutions)
- ``super_subset``                 necessary disjunctions (analysis.necessity)
"""
from .calibration import calibrate, calibrate_crisp, calibrate_indirect, percentile_anchors
from .errors import QCAError
from .fit import necessity, necessity_table, pof, sufficiency
from .necessity import super_subset
from .sets import fuzzy_and, fuzzy_or, membership, negate, parse
from .solutions import minimize, parse_dir_exp, solve
from .truthtable import truth_table

__all__ = ["calibrate", "calibrate_crisp", "calibrate_indirect", "percentile_anchors", "QCAError",
           "necessity", "necessity_table", "pof", "sufficiency", "fuzzy_and", "fuzzy_or", "membership",
           "negate", "parse", "minimize", "parse_dir_exp", "solve", "super_subset", "truth_table"]
