"""The reproducible pipeline: ``python -m analysis.pipeline [--study FILE] [--data CSV] [--set k=v] [--out DIR]``.

A research compendium should regenerate every reported number from the raw data with one
command and leave a record a reader can check (Marwick, Boettiger & Mullen 2018, "Packaging
data analytical work reproducibly using R (and friends)", *The American Statistician*).  The
pipeline does this for an fsQCA study in the order of the standard protocol (Schneider &
Wagemann 2012, ch. 11; Oana, Schneider & Thomann 2021, *Qualitative Comparative Analysis Using
R*, ch. 1):

1. ``notebooks/01_data.ipynb``         validate the raw data against the codebook, build the
                                       measures, Cronbach's alpha;
2. ``notebooks/02_calibration.ipynb``  direct calibration (Ragin 2008, ch. 5), skewness checks;
3. ``notebooks/03_necessity.ipynb``    necessity of single conditions and of disjunctions,
                                       analysed before sufficiency (Schneider & Wagemann 2012,
                                       ch. 9; Dusa 2019, ch. 5);
4. ``notebooks/04_sufficiency.ipynb``  truth tables, complex / parsimonious / intermediate
                                       solutions with every tied model (Ragin 2008, ch. 7-9;
                                       Dusa 2019, ch. 7-8), configuration charts (Fiss 2011);
5. ``notebooks/05_robustness.ipynb``   the robustness test protocol of Oana & Schneider (2024):
                                       sensitivity ranges, test solutions, fit- and
                                       case-oriented robustness, stability of core conditions
                                       (``analysis.robustness``, run in parallel);
6. ``notebooks/06_multiverse.ipynb``   every combination of the defensible choices at once
                                       (Steegen et al. 2016; ``analysis.multiverse``): how often
                                       each claim holds, which choice flips it;
7. ``notebooks/07_findings.ipynb``     the claims ledger (``analysis.claims``) and how far each
                                       claim holds (robustness tests, multiverse, verdict),
                                       written last, from what steps 1-6 saved.

Each notebook reads only what the steps before it saved under the output folder and writes only
its own outputs, so a step can be re-run and inspected on its own.  The pipeline first validates the study file, the data and
the parameters (so that a typo fails in a second, not after three notebooks), then executes the
notebooks with papermill into a temporary folder next to ``--out`` and moves it into place only
when every notebook succeeded: a failed run leaves the previous results untouched.  Tables,
JSON and Markdown are written without timestamps, with sorted keys and fixed float formats, so
the same input gives byte-identical files (``analysis.report``).

Output (``--out``, default ``results``)::

    executed/NN_*.ipynb        the executed notebooks
    figures/*.png, *.svg       calibration, XY plots, configuration charts
    tables/*.csv, *.md, *.tex  every table (CSV: 6 decimals; Markdown / LaTeX: 3 decimals)
    tables/calibrated.csv      the memberships: case, conditions, outcomes
    solutions/<analysis>.json  one per analysis, e.g. MPV, notMPV (the engine's JSON, with thresholds)
    robustness/<analysis>_memberships.csv   case, Y, IS, TS1..TSk (6 decimals)
    robustness/<analysis>_fit.json          RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS, case types,
                                            RCR_typ, RCR_dev, RCC_Rank, sensitivity ranges, ...
    multiverse/chunks/*.parquet             every specification of the multiverse's sample
    findings.md, findings.json the headline, every claim (status, robustness, multiverse, verdict),
                               necessity, solutions, thresholds, data checksum, versions

The package is the compendium's top layer, its entry points: ``cli`` (``python -m
analysis.pipeline``), ``multiverse_cli`` (``python -m analysis.multiverse``) and ``standin_cli``
(``python -m analysis.standin``; those packages' ``__main__`` only name them), ``preflight``
(validation by the notebooks' own functions), ``execute`` (papermill), ``swap`` (the atomic move into place), ``checksums``
(the raw data are never written) and ``layout`` (where the notebooks and the default study
are).  Bad input prints one line ``error: ...`` and exits 2.  ``--out`` may not lie in a raw
folder nor hold the study, data or code.  SIGTERM, SIGHUP and Ctrl-C remove the temporary folder
and leave the previous results as they were; so does SIGKILL (the next run removes the leftover).
"""
import sys

# jsonschema (which nbformat, papermill and nbclient import) builds the lark grammars of
# ``rfc3987_syntax`` when it is installed, 1.1 CPU seconds of every run, for an ``iri`` format
# check nothing here asks for; it leaves the check out when the import fails, and an entry of
# None in ``sys.modules`` makes it fail.  Here, before any module of the package imports them.
sys.modules.setdefault("rfc3987_syntax", None)

from .checksums import CHECKSUMS, record_checksums, verify_checksums  # noqa: E402
from .cli import main  # noqa: E402
from .execute import run, store_notebook_outputs  # noqa: E402
from .layout import DEFAULT_STUDY, NOTEBOOKS, ROOT  # noqa: E402
from .preflight import check_out, validate  # noqa: E402
from .swap import clean_stale, move_into_place  # noqa: E402

__all__ = ["CHECKSUMS", "record_checksums", "verify_checksums", "main", "run", "store_notebook_outputs",
           "DEFAULT_STUDY", "NOTEBOOKS", "ROOT", "check_out", "validate", "clean_stale", "move_into_place"]
