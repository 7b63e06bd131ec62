"""The table of a configuration chart: one column per configuration (term) of an intermediate
solution, one row per condition, with Fiss's symbols for core and peripheral conditions and each
configuration's fit (``analysis.report.configurations`` draws it; its docstring gives the
notation).

Ragin, C. C., & Fiss, P. C. (2008). Net effects analysis versus configurational analysis. In
C. C. Ragin, *Redesigning Social Inquiry* (pp. 190-212). University of Chicago Press.
Fiss, P. C. (2011). Building better causal theories: a fuzzy set approach to typologies in
organization research. *Academy of Management Journal*, 54(2), 393-420.

>>> fiss_order("1b") < fiss_order("2") < fiss_order("10")
True
"""
from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd

from ..errors import StudyError
from ..qca import Solutions
from .format import FIT_ROWS, LEGEND, MV_LEGEND, SOLUTION_ROWS, symbol_cell

__all__ = ["configuration_table", "configuration_models", "fiss_order", "fiss_labels"]


def _solutions(solutions) -> Solutions:
    """The engine's ``Solutions`` (JSON is read once, ``Solutions.from_json``)."""
    return solutions if isinstance(solutions, Solutions) else Solutions.from_json(solutions)


def _literal_sets(model) -> list:
    """A model's terms as dicts condition -> present."""
    return [dict(t) for t in model.terms]


def _term_fits(model) -> list:
    return [{k: getattr(r, k) for k in FIT_ROWS} for r in model.term_fits]


def configuration_models(solutions) -> list:
    """Every (block label, model number) pair of the intermediate solution, in order."""
    return [(b.label, i) for b in _solutions(solutions).intermediate for i in range(1, len(b.models) + 1)]


def _parsimonious_index(label: str, n_models: int) -> int:
    # Block labels are C<i>P<j>: the intermediate block built with parsimonious model j.
    try:
        j = int(label.split("P")[-1])
    except ValueError:
        j = 1
    return min(max(j, 1), n_models) - 1


def fiss_order(label: str) -> tuple:
    """The sort key of a configuration's number: ``1a`` < ``1b`` < ``2`` < ``10a``.

    >>> sorted(["3b", "2", "10", "1b", "3a", "1a"], key=fiss_order)
    ['1a', '1b', '2', '3a', '3b', '10']
    """
    match = re.fullmatch(r"(\d+)([a-z]*)", str(label))
    return (int(match[1]), match[2]) if match else (np.inf, str(label))


def fiss_labels(cores: list) -> list:
    groups, labels = {}, []
    for core in cores:
        key = tuple(sorted(core.items()))
        groups.setdefault(key, []).append(len(labels))
        labels.append(None)
    for number, members in enumerate(groups.values(), 1):
        for k, idx in enumerate(members):
            labels[idx] = f"{number}{string.ascii_lowercase[k]}" if len(members) > 1 else str(number)
    return labels


def configuration_table(solutions, conditions=None, block: str | None = None, model: int = 1) -> pd.DataFrame:
    """The configuration chart as a table: conditions x configurations (Fiss 2011 notation).

    ``solutions`` is a ``Solutions`` object (``analysis.solve``) or its JSON (``to_json()`` or the
    command line's result).  ``block`` is the intermediate block (default: the first, ``C1P1``),
    ``model`` the tied model within it (1-based).  Cells hold the symbols of ``SYMBOLS`` (see
    ``LEGEND``) or ""; the rows ``FIT_ROWS`` hold each configuration's fit and ``SOLUTION_ROWS``
    the model's fit (in the first column).  ``table.attrs`` records block, model, expression and
    the configurations whose intermediate term contains no parsimonious term (all peripheral).
    """
    solutions = _solutions(solutions)
    pars, inter = solutions.parsimonious, list(solutions.intermediate)
    if not inter:
        raise StudyError("configuration chart: no intermediate solution (solve with dir_exp)")
    labels = [b.label for b in inter]
    if block is None:
        block = labels[0]
    if block not in labels:
        raise StudyError(f"configuration chart: no intermediate block {block!r}; blocks: {', '.join(labels)}")
    blk = inter[labels.index(block)]
    models = list(blk.models)
    if not 1 <= model <= len(models):
        raise StudyError(f"configuration chart: block {block} has {len(models)} model(s), asked for model {model}")
    m = models[model - 1]
    terms = _literal_sets(m)
    p_models = list(pars.models)
    p_terms = _literal_sets(p_models[_parsimonious_index(block, len(p_models))])
    if conditions is None:
        conditions = []
        for t in terms:
            conditions += [c for c in t if c not in conditions]
    cores, no_core = [], []
    for j, t in enumerate(terms):
        core = {}
        for p in p_terms:
            if all(t.get(c) == v for c, v in p.items()):
                core.update(p)
        if not core:
            no_core.append(j)
        cores.append(core)
    names = fiss_labels(cores)
    multi = _multi_value(blk, conditions, terms)
    columns = {}
    fits = _term_fits(m)
    order = sorted(range(len(names)), key=lambda j: fiss_order(names[j]))
    for k, (name, t, core, fit) in enumerate((names[j], terms[j], cores[j], fits[j]) for j in order):
        col = {c: (symbol_cell("core" if c in core else "peripheral", t[c], c in multi) if c in t else "")
               for c in conditions}
        col.update(fit)
        col.update({row: getattr(m.fit, key) if k == 0 else ""
                    for row, key in zip(SOLUTION_ROWS, ("inclS", "PRI", "covS"))})
        columns[name] = col
    table = pd.DataFrame(columns, index=list(conditions) + FIT_ROWS + SOLUTION_ROWS, dtype=object)
    table.index.name = "condition"
    table.columns.name = "configuration"
    table.attrs.update({"block": block, "model": model,
                        "expression": str(m),
                        "without_core": [names[j] for j in no_core],
                        "legend": LEGEND + (MV_LEGEND if multi else "")})
    return table


def _multi_value(block, conditions, terms) -> set:
    """The multi-value conditions (more than two values) of a block's analysis."""
    if block.levels and len(block.levels) == len(conditions):
        return {c for c, n in zip(conditions, block.levels) if n > 2}
    return {c for t in terms for c, v in t.items() if isinstance(v, tuple) or (not isinstance(v, bool) and v > 1)}
