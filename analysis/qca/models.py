"""The results of Boolean minimisation: models, solutions and the set of solutions of a truth table.

- ``TermFit``: one term (configuration) of a model with its parameters of fit: raw consistency
  inclS, PRI, raw coverage covS, unique coverage covU within its model (Ragin 2008, p. 86), and
  the cases of the positive rows it covers.
- ``Model``: one minimal model, a disjunction of terms, with the fit of the whole model.
- ``Solution``: one solution block, every tied minimal model of one kind (complex,
  parsimonious, or one intermediate block ``C<i>P<j>``), or the reason why the solution does
  not exist (``undefined``).
- ``Solutions``: the complex, parsimonious and intermediate solutions of one truth table.

Fit formulas: ``analysis.qca.fit``.  ``fit_models`` builds the models of a chart's covers; each
prime's membership, fit and covered cases are computed once per solution (``PrimeFits``).

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

from .fit import models_fit, sufficiency
from .primes import covers, implicant_literals
from .rows import all_codes, row_labels
from .sets import Term, term_membership
from .terms import Model, TermFit
from .truthtable import TruthTable

__all__ = ["TermFit", "Model", "Solution", "Solutions", "SOLUTION_KINDS", "PrimeFits", "fit_models",
           "simplifying_assumptions"]

SOLUTION_KINDS = ("complex", "parsimonious", "intermediate")


@dataclass(frozen=True)
class Solution:
    """One solution block: every tied minimal model of one kind, or why there is none.

    ``undefined`` is empty for a solution that exists; otherwise it says why it does not (no
    row to explain, or no row to avoid: R's ``minimize`` stops there too) and ``models`` is empty.
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

    # Simplifying assumptions and row labels such as '10110' are made when first asked for: at
    # 16 conditions a parsimonious solution with a thousand models has tens of millions of them.
    @cached_property
    def simplifying_codes(self) -> list:
        """Parsimonious: the simplifying assumptions of each model (row codes)."""
        if self.kind != "parsimonious" or self.positive is None:
            return []
        return simplifying_assumptions(self.k, self.primes, self.covers, self.positive)

    @cached_property
    def simplifying(self) -> list:
        """Parsimonious: the simplifying assumptions of each model (row labels)."""
        return [row_labels(codes, self.k) for codes in self.simplifying_codes]

    @cached_property
    def easy(self) -> list:
        """Intermediate: the easy counterfactuals (row labels)."""
        return [] if self.easy_codes is None else row_labels(self.easy_codes, self.k)

    @cached_property
    def difficult(self) -> list:
        """Intermediate: the difficult counterfactuals (row labels)."""
        return [] if self.difficult_codes is None else row_labels(self.difficult_codes, self.k)

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
        """A tidy table: one row per term of each model, then one row per model."""
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

    ``intermediate`` holds one block per (complex model, parsimonious model) pair; it is empty
    when no expectations were given (``dir_exp`` None) or when the complex or the parsimonious
    solution is undefined (``undefined`` then says why).
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
        """The remainders each solution rests on, one row per (block, model, row): the
        parsimonious models' simplifying assumptions (``SA``) and each intermediate block's easy
        (``EC``) and difficult (``DC``) counterfactuals, as R's ``$SA``, ``$EC`` and ``$DC``."""
        rows = [{"block": "parsimonious", "model": m, "kind": "SA", "row": r}
                for m, sa in self.parsimonious.SA.items() for r in sa]
        for b in self.intermediate:
            rows += [{"block": b.label, "model": "", "kind": kind, "row": r}
                     for kind, rs in (("EC", b.EC), ("DC", b.DC)) for r in rs]
        return pd.DataFrame(rows, columns=["block", "model", "kind", "row"])

    @classmethod
    def from_json(cls, document) -> "Solutions":
        """The solutions of the command line's JSON (an analysis' document, or its ``solutions``):
        every block with its models and their fits (``Model.from_json``), the counterfactuals and
        the reasons why a solution does not exist."""
        sol = document.get("solutions", document)
        undefined = sol.get("undefined", {}) or {}
        dir_exp = document.get("dir_exp")
        if isinstance(dir_exp, dict):
            dir_exp = list(dir_exp.values())
        expectations = None if dir_exp is None else tuple(None if e == "-" else int(e) for e in dir_exp)
        return cls(complex=_block_from_json(sol.get("complex"), "complex", undefined),
                   parsimonious=_block_from_json(sol.get("parsimonious"), "parsimonious", undefined),
                   intermediate=tuple(_block_from_json(b, "intermediate", {}) for b in sol.get("intermediate") or []),
                   dir_exp=expectations)

    def to_json(self) -> dict:
        """Every block as the command line's JSON; ``undefined`` names each solution that does not
        exist and why (only when one does not)."""
        out = {"complex": self.complex.to_json(), "parsimonious": self.parsimonious.to_json(),
               "intermediate": [b.to_json() for b in self.intermediate]}
        if self.undefined:
            out["undefined"] = self.undefined
        return out

    def __repr__(self) -> str:
        return "\n".join([repr(self.complex), repr(self.parsimonious)] + [repr(b) for b in self.intermediate])


def _codes(labels) -> np.ndarray:
    return np.array([int(r, 2) for r in labels], dtype=np.int64)


def _block_from_json(block, kind: str, undefined: dict) -> Solution:
    """One solution block from its JSON (``Solution.to_json``)."""
    if not block or (not block.get("models") and kind in undefined):
        return Solution(kind=kind, models=(), undefined=undefined.get(kind, "no models in the document"))
    models = tuple(Model.from_json(f) for f in block["fits"]) if block.get("fits") \
        else tuple(Model.from_json(m) for m in block.get("models", []))
    rows = [r for r in block.get("easy_counterfactuals", []) + block.get("difficult_counterfactuals", [])]
    k = len(rows[0]) if rows else 0
    return Solution(kind=kind, models=models, label=block.get("label", ""), k=k,
                    easy_codes=_codes(block.get("easy_counterfactuals", [])) if kind == "intermediate" else None,
                    difficult_codes=_codes(block.get("difficult_counterfactuals", [])) if kind == "intermediate" else None)


class PrimeFits:
    """Each prime's literals, memberships, own fit and covered cases, computed once.

    One instance serves a whole solution (the complex or parsimonious one, or every block of the
    intermediate one, whose charts share most of their primes).  Memberships are the minimum
    over the literals (``sets.term_membership``), taken from one array of the conditions.
    """

    def __init__(self, tt: TruthTable, positive: np.ndarray):
        self.tt, self.positive, self.y = tt, positive, tt.y
        x = tt.x
        self.columns = {c: x[:, j] for j, c in enumerate(tt.conditions)}
        self.known: dict = {}

    def of(self, primes: np.ndarray) -> list:
        """(terms, memberships, fit without covU) for each prime (rows of 0/1/2 digits)."""
        keys = [p.tobytes() for p in primes]
        new = [j for j, key in enumerate(keys) if key not in self.known]
        if new:
            tt = self.tt
            row_cover = covers(primes[new], self.positive, tt.k)
            for j, cov in zip(new, row_cover):
                terms = Term(implicant_literals(primes[j], tt.conditions))
                members = term_membership(self.columns, terms)
                stats = (sufficiency(members, self.y), tuple(tt.cases_of(self.positive[cov])))
                self.known[keys[j]] = (terms, members, stats)
        return [self.known[key] for key in keys]


def fit_models(tt: TruthTable, primes, index_sets, positive, fits: PrimeFits | None | bool = None) -> tuple:
    """The models of a chart's covers (``index_sets``, indices into ``primes``) with their fits;
    with ``fits=False``, without (``Model.fit`` None): for a caller that computes the fit itself,
    on other memberships (the multiverse refits every model on each specification's data)."""
    if fits is False:
        return tuple(Model(terms=tuple(Term(implicant_literals(primes[i], tt.conditions)) for i in idx))
                     for idx in index_sets)
    fits = fits or PrimeFits(tt, positive)
    used = sorted({i for idx in index_sets for i in idx})
    known = fits.of(primes[used]) if used else []
    position = {i: j for j, i in enumerate(used)}.__getitem__
    local = [list(map(position, idx)) for idx in index_sets]
    members = np.array([m for _, m, _ in known]) if known else np.zeros((0, len(fits.y)))
    model_fit, cov_u = models_fit(members, fits.y, local)
    terms = [t for t, _, _ in known].__getitem__
    stats = [s for _, _, s in known].__getitem__
    return tuple(Model(terms=tuple(map(terms, idx)), fit=f,
                       term_fits=tuple(_term_fit(terms(i), stats(i), cu) for i, cu in zip(idx, u)))
                 for idx, f, u in zip(local, model_fit, cov_u))


def _term_fit(term, stats, cov_u) -> TermFit:
    fit, cases = stats
    return TermFit(term=term, inclS=fit.inclS, PRI=fit.PRI, covS=fit.covS, covU=float(cov_u), cases=cases)


def simplifying_assumptions(k, primes, index_sets, positive) -> list:
    """Remainders covered by each model's primes (its simplifying assumptions), as row codes.

    Every row that is not positive and that a model covers is a remainder: the model may not
    cover negative rows.  Each prime's coverage of all 2^k rows is computed once.
    """
    everything = all_codes(k)
    used = sorted({i for idx in index_sets for i in idx})
    position = {p: j for j, p in enumerate(used)}
    cov = covers(primes[used], everything, k)
    cov[:, positive] = False
    packed = np.packbits(cov, axis=1)            # a model's union: 8 rows a byte ...
    if packed.shape[1] % 8 == 0:
        packed = packed.view(np.uint64)          # ... 64 rows a word (from 6 conditions)
    out = []
    for idx in index_sets:
        union = np.bitwise_or.reduce(packed[[position[i] for i in idx]], axis=0)
        out.append(np.flatnonzero(np.unpackbits(union.view(np.uint8)).view(bool)[:len(everything)]))
    return out
