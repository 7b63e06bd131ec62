"""The results of Boolean minimisation: models, solutions and the set of solutions of a truth table.

- ``TermFit``: one term (configuration) of a model with its parameters of fit: raw consistency
  inclS, PRI, raw coverage covS, unique coverage covU within its model (Ragin 2008, p. 86), and
  the cases of the positive rows it covers.
- ``Model``: one minimal model, a disjunction of terms, with the fit of the whole model.
- ``Solution``: one solution block, every tied minimal model of one kind (complex,
  parsimonious, or one intermediate block ``C<i>P<j>``), or the reason why the solution does
  not exist (``undefined``).
- ``Solutions``: the complex, parsimonious and intermediate solutions of one truth table.

Fit formulas: ``analysis.qca.fit``.  This module holds the solution records (``Solution``,
``Solutions``, ``SOLUTION_KINDS``); the models of a chart's covers are built, with their fits and
simplifying assumptions, in ``analysis.qca.cover_models``.

>>> import pandas as pd
>>> from analysis.qca import truth_table, solve
>>> data = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.2, 0.9, 0.8, 0.1],
...                      "Y": [0.9, 0.9, 0.3, 0.2]}, index=["p", "q", "r", "s"])
>>> sols = solve(truth_table(data, "Y", incl_cut=0.8))
>>> sols.parsimonious
parsimonious solution: 1 model(s)
  M1: A
>>> sols.parsimonious.models[0].term_rows[0]
TermFit(term=(('A', True),), inclS=1.0, PRI=1.0, covS=0.8695652173913042, covU=0.8695652173913042, cases=('p', 'q'))
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .cover_models import simplifying_assumptions
from .mv_primes import simplifying_assumptions_mv
from .mv_rows import label_codes, row_labels_mv
from .rows import row_labels
from .terms import Model

__all__ = ["Solution", "Solutions", "SOLUTION_KINDS", "merged_repr"]

#: The kinds of solution block, ``Solution.kind`` (R's complex, parsimonious and intermediate solutions).
SOLUTION_KINDS = ("complex", "parsimonious", "intermediate")


@dataclass(frozen=True)
class Solution:
    """One solution block: every tied minimal model of one kind, or why there is none.

    Parameters
    ----------
    kind : {"complex", "parsimonious", "intermediate"}
        The kind of solution.
    models : tuple of Model
        Every tied minimal model (R's ``$solution``), empty when the solution is undefined.
    label : str, default ""
        An intermediate block's label, ``"C1P1"``, ``"C1P2"``, ... (R's ``names(i.sol)``).
    primes : numpy.ndarray, optional
        The chart's prime implicants (rows of digits 0, 1, 2 = minimised away).
    covers : tuple, default ()
        Each model as indices into ``primes``.
    primes_beyond_depth : int, default 0
        Parsimonious: primes past R's CCubes search depth, left out (``solutions.ccubes_depth``).
    k : int, default 0
        The number of conditions (row codes to labels).
    positive : numpy.ndarray, optional
        The positive rows (codes).
    easy_codes, difficult_codes : numpy.ndarray, optional
        Intermediate: the easy and difficult counterfactuals (codes).
    undefined : str, default ""
        Empty for a solution that exists; otherwise why it does not (no row to explain, or no row
        to avoid: R's ``minimize`` stops there too), and ``models`` is empty.

    Attributes
    ----------
    SA : dict
        R's ``$SA``: each parsimonious model's simplifying assumptions, ``{"M1": [row labels]}``.
    EC, DC : list of str
        R's ``$i.sol$C1P1$EC`` and ``$DC``: an intermediate block's easy and difficult
        counterfactuals (row labels).
    simplifying, easy, difficult : list
        The same as row labels; ``simplifying_codes``, ``easy_codes``, ``difficult_codes`` as codes.

    Notes
    -----
    The complex solution uses no remainder, the parsimonious one every remainder that helps (its
    *simplifying assumptions*), the intermediate one only the easy counterfactuals (Ragin &
    Sonnett 2005; Ragin 2008, ch. 9; Schneider & Wagemann 2012, ch. 6-8).  R's ``minimize`` returns
    the same models; it writes rows by number (the code plus one), the engine by label (``"10110"``).

    References
    ----------
    Ragin, C. C., & Sonnett, J. (2005). Between complexity and parsimony: Limited diversity,
    counterfactual cases, and comparative analysis. In S. Kropp & M. Minkenberg (Eds.),
    *Vergleichen in der Politikwissenschaft* (pp. 180-197). VS Verlag für Sozialwissenschaften.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences: A
    Guide to Qualitative Comparative Analysis*. Cambridge University Press, ch. 6-8.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca import truth_table, minimize
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> pars = minimize(tt, include="?")
    >>> pars
    parsimonious solution: 1 model(s)
      M1: DEV*~IND + URB*STB
    >>> pars.SA["M1"][:4]
    ['01001', '01011', '01101', '01111']
    >>> pars.fit_table()[["model", "term", "inclS", "covS", "cases"]].round(3)
      model      term  inclS   covS           cases
    0    M1  DEV*~IND  0.815  0.284          FI, IE
    1    M1   URB*STB  0.874  0.520  BE, CZ, NL, UK
    2    M1   (model)  0.850  0.714
    """

    kind: str                     # "complex", "parsimonious" or "intermediate"
    models: tuple
    label: str = ""
    primes: np.ndarray = field(default=None, repr=False)   # the chart's primes (0/1/2 digits)
    covers: tuple = field(default=(), repr=False)  # each model as indices into primes
    primes_beyond_depth: int = 0  # parsimonious: primes past R's CCubes search depth, left out
    k: int = 0                    # conditions (row codes -> labels)
    positive: np.ndarray = field(default=None, repr=False)         # the positive rows (codes)
    easy_codes: np.ndarray = field(default=None, repr=False)       # intermediate
    difficult_codes: np.ndarray = field(default=None, repr=False)  # intermediate
    undefined: str = ""
    levels: tuple = ()            # multi-value: the number of values of each condition (mixed-radix rows)

    # Simplifying assumptions and row labels such as '10110' are made when first asked for: at
    # 16 conditions a parsimonious solution with a thousand models has tens of millions of them.
    @cached_property
    def simplifying_codes(self) -> list:
        """Parsimonious: the simplifying assumptions of each model (row codes)."""
        if self.kind != "parsimonious" or self.positive is None:
            return []
        if self.levels:
            return simplifying_assumptions_mv(self.levels, self.primes, self.covers, self.positive)
        return simplifying_assumptions(self.k, self.primes, self.covers, self.positive)

    @cached_property
    def simplifying(self) -> list:
        """Parsimonious: the simplifying assumptions of each model (row labels)."""
        return [self._labels(codes) for codes in self.simplifying_codes]

    @cached_property
    def easy(self) -> list:
        """Intermediate: the easy counterfactuals (row labels)."""
        return [] if self.easy_codes is None else self._labels(self.easy_codes)

    @cached_property
    def difficult(self) -> list:
        """Intermediate: the difficult counterfactuals (row labels)."""
        return [] if self.difficult_codes is None else self._labels(self.difficult_codes)

    def _labels(self, codes) -> list:
        return row_labels_mv(codes, self.levels) if self.levels else row_labels(codes, self.k)

    @property
    def SA(self) -> dict:
        """R's ``$SA``: the simplifying assumptions of each parsimonious model, ``{"M1": [rows]}``."""
        return {f"M{i}": list(rows) for i, rows in enumerate(self.simplifying, 1)}

    @property
    def EC(self) -> list:
        """R's ``$i.sol$C1P1$EC``: the easy counterfactuals of an intermediate block (row labels)."""
        return list(self.easy)

    @property
    def DC(self) -> list:
        """R's ``$i.sol$C1P1$DC``: the difficult counterfactuals of an intermediate block."""
        return list(self.difficult)

    def to_json(self) -> dict:
        """The block as the command line's JSON.

        Returns
        -------
        dict
            ``models`` (lists of terms), ``fits`` (``Model.to_json``), ``label`` (intermediate), the
            easy and difficult counterfactuals (intermediate) and the simplifying assumptions
            (parsimonious), as row labels.
        """
        out = {"models": [[str(t) for t in m.terms] for m in self.models],
               "fits": [m.to_json() for m in self.models]}
        if self.label:
            out["label"] = self.label
        if self.kind == "intermediate":
            out["easy_counterfactuals"] = list(self.easy)
            out["difficult_counterfactuals"] = list(self.difficult)
        if self.simplifying:
            out["simplifying_assumptions"] = [list(s) for s in self.simplifying]
        return out

    def fit_table(self) -> pd.DataFrame:
        """A tidy table: one row per term of each model, then one row per model.

        Returns
        -------
        pandas.DataFrame
            Columns ``block`` (the label or the kind), ``model`` (``M1``, ...), ``term`` (``(model)`` for
            the model's own row), ``inclS``, ``PRI``, ``covS``, ``covU`` (NaN on the model's row) and
            ``cases`` (comma-separated), as R prints ``$IC``.
        """
        rows = []
        for i, m in enumerate(self.models, 1):
            for r in m.term_rows:
                rows.append({"block": self.label or self.kind, "model": f"M{i}", "term": str(r.term),
                             "inclS": r.inclS, "PRI": r.PRI, "covS": r.covS, "covU": r.covU,
                             "cases": ", ".join(r.cases)})
            rows.append({"block": self.label or self.kind, "model": f"M{i}", "term": "(model)",
                         **m.fit.to_dict(), "covU": np.nan, "cases": ""})
        return pd.DataFrame(rows, columns=["block", "model", "term", "inclS", "PRI", "covS", "covU", "cases"])

    def __repr__(self) -> str:
        name = self.kind + (f" {self.label}" if self.label else "")
        if self.undefined:
            return f"{name} solution: undefined ({self.undefined})"
        lines = [f"{name} solution: {len(self.models)} model(s)"]
        lines += [f"  M{i}: {m.expression}" for i, m in enumerate(self.models, 1)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self!r}</pre>" + self.fit_table().to_html(float_format=lambda v: f"{v:.3f}", index=False)


@dataclass(frozen=True)
class Solutions:
    """The complex, parsimonious and (with directional expectations) intermediate solutions.

    What ``solve`` returns.  ``intermediate`` holds one block per (complex model, parsimonious
    model) pair; it is empty when no expectations were given (``dir_exp`` None) or when the complex
    or the parsimonious solution is undefined (``undefined`` then says why).

    Parameters
    ----------
    complex, parsimonious : Solution
        The complex and the parsimonious solution.
    intermediate : tuple of Solution
        The intermediate blocks ``C1P1``, ``C1P2``, ... (R's ``$i.sol``).
    dir_exp : tuple, optional
        The directional expectations as parsed (1, 0 or None per condition); None when not asked.
    excluded : tuple of Exclusion, default ()
        The rows kept out of the simplifying assumptions (``exclude``), with their reasons.

    Attributes
    ----------
    undefined : dict
        ``{kind: reason}`` for every solution that does not exist (empty when all exist).

    Notes
    -----
    R's ``minimize`` gives one solution per call (``include = ""`` complex, ``"?"``
    parsimonious, with ``dir.exp`` the intermediate blocks); the engine gives all three and reports
    each that does not exist instead of stopping (Ragin 2008, ch. 9; Dusa 2019, ch. 8).

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 9.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> sols = solve(truth_table(load("LF"), "SURV", incl_cut=0.8), dir_exp=[1] * 5)
    >>> sols.intermediate[0]
    intermediate C1P1 solution: 1 model(s)
      M1: DEV*URB*LIT*STB + DEV*LIT*~IND*STB
    >>> sols.counterfactuals().query("block == 'C1P1'")
       block model kind    row
    12  C1P1         EC  11101
    13  C1P1         DC  01001
    14  C1P1         DC  01011
    15  C1P1         DC  01101
    16  C1P1         DC  01111
    17  C1P1         DC  10000
    18  C1P1         DC  10001
    19  C1P1         DC  10100
    20  C1P1         DC  11000
    21  C1P1         DC  11001
    22  C1P1         DC  11011
    23  C1P1         DC  11100
    >>> sols.undefined
    {}
    """

    complex: Solution
    parsimonious: Solution
    intermediate: tuple
    dir_exp: tuple = None         # parsed: 1, 0 or None per condition; None: not asked for
    excluded: tuple = ()          # ``remainders.Exclusion``: rows kept out of the simplifying assumptions

    @property
    def undefined(self) -> dict:
        """{kind: reason} for every solution that does not exist (empty when all exist)."""
        out = {s.kind: s.undefined for s in (self.complex, self.parsimonious) if s.undefined}
        if self.dir_exp is not None and out:
            out["intermediate"] = "it is derived from the complex and the parsimonious solutions: " + \
                                  next(iter(out.values()))
        return out

    def counterfactuals(self) -> pd.DataFrame:
        """The remainders each solution rests on, one row per (block, model, row).

        Returns
        -------
        pandas.DataFrame
            Columns ``block``, ``model`` (empty for intermediate blocks), ``kind`` and ``row``: the
            parsimonious models' simplifying assumptions (``SA``) and each intermediate block's easy
            (``EC``) and difficult (``DC``) counterfactuals, as R's ``$SA``, ``$EC`` and ``$DC``.
        """
        rows = [{"block": "parsimonious", "model": m, "kind": "SA", "row": r}
                for m, sa in self.parsimonious.SA.items() for r in sa]
        for b in self.intermediate:
            rows += [{"block": b.label, "model": "", "kind": kind, "row": r}
                     for kind, rs in (("EC", b.EC), ("DC", b.DC)) for r in rs]
        return pd.DataFrame(rows, columns=["block", "model", "kind", "row"])

    @classmethod
    def from_json(cls, document) -> "Solutions":
        """The solutions of the command line's JSON.

        Parameters
        ----------
        document : dict
            An analysis' document (``export.document``) or its ``solutions``.

        Returns
        -------
        Solutions
            Every block with its models and their fits (``Model.from_json``), the counterfactuals and
            the reasons why a solution does not exist (no primes or covers: those are not in the JSON).
        """
        sol = document.get("solutions", document)
        undefined = sol.get("undefined", {}) or {}
        dir_exp = document.get("dir_exp")
        if isinstance(dir_exp, dict):
            dir_exp = list(dir_exp.values())
        expectations = None if dir_exp is None else tuple(_expectation(e) for e in dir_exp)
        levels = tuple(document.get("levels") or ())       # a multi-value analysis' (export.document)
        return cls(complex=_block_from_json(sol.get("complex"), "complex", undefined, levels),
                   parsimonious=_block_from_json(sol.get("parsimonious"), "parsimonious", undefined, levels),
                   intermediate=tuple(_block_from_json(b, "intermediate", {}, levels)
                                      for b in sol.get("intermediate") or []),
                   dir_exp=expectations)

    def to_json(self) -> dict:
        """Every block as the command line's JSON.

        Returns
        -------
        dict
            ``complex``, ``parsimonious``, ``intermediate`` (a list of blocks) and, only when a solution
            does not exist, ``undefined`` (``{kind: reason}``).
        """
        out = {"complex": self.complex.to_json(), "parsimonious": self.parsimonious.to_json(),
               "intermediate": [b.to_json() for b in self.intermediate]}
        if self.undefined:
            out["undefined"] = self.undefined
        return out

    def intermediate_groups(self) -> list:
        """The intermediate blocks with identical models merged, as R prints them ("From C1P1, C1P2:").

        Returns
        -------
        list of (tuple of str, Solution)
            The labels of the blocks whose models (terms in order) are identical, R's
            ``identical(x$solution)``, and the first of them; in the order of their first block.
        """
        groups = {}
        for b in self.intermediate:
            key = (b.undefined, tuple(tuple(map(str, m.terms)) for m in b.models))
            groups.setdefault(key, []).append(b)
        return [(tuple(b.label for b in bs), bs[0]) for bs in groups.values()]

    def __repr__(self) -> str:
        lines = [repr(self.complex), repr(self.parsimonious)]
        return "\n".join(lines + [merged_repr(labels, b) for labels, b in self.intermediate_groups()])


def merged_repr(labels, block: Solution) -> str:
    """Identical intermediate blocks as R prints them: ``intermediate solution From C1P1, C1P2: ...``
    (one block as itself, ``intermediate C1P1 solution: ...``)."""
    if len(labels) < 2:
        return repr(block)
    return f"intermediate solution From {', '.join(labels)}: " + repr(block).split(": ", 1)[1]


def _codes(labels, levels=()) -> np.ndarray:
    if levels:
        return label_codes(labels, levels)
    return np.array([int(r, 2) for r in labels], dtype=np.int64)


def _expectation(value):
    """One directional expectation from the JSON: None ("-"), 1 or 0, or a multi-value one's values."""
    if isinstance(value, (list, tuple)):
        return tuple(sorted(int(v) for v in value))
    return None if value == "-" else int(value)


def _block_from_json(block, kind: str, undefined: dict, levels=()) -> Solution:
    """One solution block from its JSON (``Solution.to_json``)."""
    if not block or (not block.get("models") and kind in undefined):
        return Solution(kind=kind, models=(), undefined=undefined.get(kind, "no models in the document"))
    models = tuple(Model.from_json(f) for f in block["fits"]) if block.get("fits") \
        else tuple(Model.from_json(m) for m in block.get("models", []))
    rows = [r for r in block.get("easy_counterfactuals", []) + block.get("difficult_counterfactuals", [])]
    k = len(rows[0]) if rows else 0
    return Solution(kind=kind, models=models, label=block.get("label", ""), k=k, levels=levels,
                    easy_codes=_codes(block.get("easy_counterfactuals", []), levels) if kind == "intermediate" else None,
                    difficult_codes=_codes(block.get("difficult_counterfactuals", []), levels)
                    if kind == "intermediate" else None)
