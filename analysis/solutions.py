"""Complex, parsimonious and intermediate solutions (Ragin & Sonnett 2005; Ragin 2008, ch. 9;
Schneider & Wagemann 2012, ch. 6-8; Dusa 2019, ch. 8).

From a truth table, the rows with OUT = 1 (the positive rows) are to be explained; rows with
OUT = 0 or C must not be covered; the logical remainders (unobserved rows, and rows below
``n_cut``) may or may not be used:

- **complex** (conservative) solution: no remainder is used (R: ``include = ""``);
- **parsimonious** solution: every remainder that helps is used (R: ``include = "?"``); the
  remainders a parsimonious model covers are its *simplifying assumptions*;
- **intermediate** solution: only the *easy counterfactuals* are used, those simplifying
  assumptions that agree with the directional expectations ``dir_exp`` (1: the condition's
  presence is expected to contribute to the outcome, 0: its absence, "-": no expectation).

The intermediate solution follows R's QCA (``minimize`` with ``dir.exp``).  For each pair of a
complex model and a parsimonious model, and for each complex term with a parsimonious term that
is a superset of it, the literals of the complex term that are not in the parsimonious term and
contradict a directional expectation are dropped; the easy counterfactuals are the parsimonious
model's simplifying assumptions covered by the terms so obtained; the positive rows together with
the easy counterfactuals are then minimised exactly, without other remainders.  The remaining
simplifying assumptions are the difficult counterfactuals.  One intermediate block is produced per
(complex, parsimonious) pair, labelled ``C1P1``, ``C1P2``, ...  A condition with expectation "-"
keeps its literal; when every expectation is "-", each block is the complex model and, as in R's
QCA (``minimize``: the expectations then reduce to a zero matrix), lists neither easy nor difficult
counterfactuals: the block rests on no remainder.

Every block lists every tied minimal model; each model carries its parameters of fit
(``analysis.fit``): inclS, PRI, covS for the model, and for each term inclS, PRI, covS, covU
(unique within that model) and the cases of the positive rows it covers.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from .errors import QCAError
from .fit import models_fit, sufficiency
from .minimize import MAX_MODELS, minimal_covers
from .primes import covers, covers_masks, implicant_literals, implicant_masks, prime_implicants
from .sets import fuzzy_and, term_string
from .truthtable import TruthTable

__all__ = ["Model", "Solution", "Solutions", "minimize", "solve", "parse_dir_exp", "MAX_BLOCKS"]

MAX_BLOCKS = 10_000   # intermediate blocks (complex models x parsimonious models) reported at most
INTERMEDIATE_SECONDS = 45.0   # the intermediate solution refuses when its blocks take longer


TERM_FIT_COLUMNS = ["term", "inclS", "PRI", "covS", "covU", "cases"]


@dataclass
class Model:
    """One minimal model: its terms and their parameters of fit."""

    terms: tuple                  # tuple of terms, each a tuple of (condition, present)
    fit: dict                     # inclS, PRI, covS of the whole model
    term_stats: list = field(repr=False)   # per term, its own fit: term, inclS, PRI, covS, cases
    covU: np.ndarray = field(repr=False, compare=False)  # per term: unique coverage in this model

    @cached_property
    def term_rows(self) -> list:
        """Per term: term, inclS, PRI, covS, covU, cases (dicts, in the model's term order)."""
        return [{**stats, "covU": float(u)} for stats, u in zip(self.term_stats, self.covU)]

    @cached_property
    def term_fit(self) -> pd.DataFrame:
        """Per term: inclS, PRI, covS, covU (unique within this model) and the cases covered."""
        return pd.DataFrame(self.term_rows, columns=TERM_FIT_COLUMNS)

    @property
    def expression(self) -> str:
        return " + ".join(term_string(t) for t in self.terms)

    def to_json(self) -> dict:
        return {"model": [term_string(t) for t in self.terms], **self.fit,
                "terms": [{"term": r["term"], "inclS": r["inclS"], "PRI": r["PRI"], "covS": r["covS"],
                           "covU": r["covU"], "cases": list(r["cases"])} for r in self.term_rows]}

    def __repr__(self) -> str:
        return f"M: {self.expression}  (inclS {self.fit['inclS']:.3f}, PRI {self.fit['PRI']:.3f}, covS {self.fit['covS']:.3f})"


@dataclass
class Solution:
    """One solution block: every tied minimal model of one kind."""

    kind: str                     # "complex", "parsimonious" or "intermediate"
    models: list
    label: str = ""
    primes: np.ndarray = field(default=None, repr=False)   # the chart's primes (0/1/2 digits)
    covers: list = field(default_factory=list, repr=False)  # each model as indices into primes
    primes_beyond_depth: int = 0  # parsimonious: primes past R's CCubes search depth, left out
    k: int = 0                    # conditions (row codes -> labels)
    positive: np.ndarray = field(default=None, repr=False)         # the positive rows (codes)
    easy_codes: np.ndarray = field(default=None, repr=False)       # intermediate
    difficult_codes: np.ndarray = field(default=None, repr=False)  # intermediate

    # Simplifying assumptions and row labels such as '10110' are made when first asked for: at
    # 16 conditions a parsimonious solution with a thousand models has tens of millions of them.
    @cached_property
    def simplifying_codes(self) -> list:
        """Parsimonious: the simplifying assumptions of each model (row codes)."""
        if self.kind != "parsimonious" or self.positive is None:
            return []
        return _simplifying(self.k, self.primes, self.covers, self.positive)

    @cached_property
    def simplifying(self) -> list:
        """Parsimonious: the simplifying assumptions of each model (row labels)."""
        return [_row_labels(codes, self.k) for codes in self.simplifying_codes]

    @cached_property
    def easy(self) -> list:
        """Intermediate: the easy counterfactuals (row labels)."""
        return [] if self.easy_codes is None else _row_labels(self.easy_codes, self.k)

    @cached_property
    def difficult(self) -> list:
        """Intermediate: the difficult counterfactuals (row labels)."""
        return [] if self.difficult_codes is None else _row_labels(self.difficult_codes, self.k)

    def to_json(self) -> dict:
        out = {"models": [[term_string(t) for t in m.terms] for m in self.models],
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
                rows.append({"block": self.label or self.kind, "model": f"M{i}", "term": r["term"],
                             "inclS": r["inclS"], "PRI": r["PRI"], "covS": r["covS"], "covU": r["covU"],
                             "cases": ", ".join(r["cases"])})
            rows.append({"block": self.label or self.kind, "model": f"M{i}", "term": "(model)",
                         **m.fit, "covU": np.nan, "cases": ""})
        return pd.DataFrame(rows, columns=["block", "model", "term", "inclS", "PRI", "covS", "covU", "cases"])

    def __repr__(self) -> str:
        name = self.kind + (f" {self.label}" if self.label else "")
        lines = [f"{name} solution: {len(self.models)} model(s)"]
        lines += [f"  M{i}: {m.expression}" for i, m in enumerate(self.models, 1)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self!r}</pre>" + self.fit_table().to_html(float_format=lambda v: f"{v:.3f}", index=False)


@dataclass
class Solutions:
    complex: Solution
    parsimonious: Solution
    intermediate: list

    def to_json(self) -> dict:
        return {"complex": self.complex.to_json(), "parsimonious": self.parsimonious.to_json(),
                "intermediate": [b.to_json() for b in self.intermediate]}

    def __repr__(self) -> str:
        return "\n".join([repr(self.complex), repr(self.parsimonious)] + [repr(b) for b in self.intermediate])


def parse_dir_exp(dir_exp, conditions) -> list:
    """Directional expectations as a list of 1, 0 or None (no expectation), one per condition.

    Accepts "1,0,-", a list such as [1, 0, "-"] (or its parsed form [1, 0, None]), or a dict
    {condition: 1/0/"-"}.
    """
    if dir_exp is None:
        return None
    if isinstance(dir_exp, dict):
        unknown = [c for c in dir_exp if c not in conditions]
        if unknown:
            raise QCAError(f"dir_exp names unknown condition(s) {', '.join(map(str, unknown))}; "
                           f"conditions: {', '.join(conditions)}")
        values = [dir_exp.get(c, "-") for c in conditions]
    else:
        values = dir_exp.split(",") if isinstance(dir_exp, str) else list(dir_exp)
        if len(values) != len(conditions):
            raise QCAError(f"dir_exp has {len(values)} value(s) but there are {len(conditions)} conditions "
                           f"({', '.join(conditions)}); give one of 1, 0 or - per condition")
    out = []
    for c, v in zip(conditions, values):
        v = "-" if v is None else str(v).strip()     # None: already parsed "no expectation"
        if v in ("1", "1.0"):
            out.append(1)
        elif v in ("0", "0.0"):
            out.append(0)
        elif v in ("-", "", "dc"):
            out.append(None)
        else:
            raise QCAError(f"dir_exp for {c}: {v!r} is not 1, 0 or -")
    return out


def _all_codes(k):
    return np.arange(2 ** k, dtype=np.int64)


def ccubes_depth(primes: np.ndarray, chart: np.ndarray) -> int:
    """The complexity up to which R's CCubes search collects prime implicants (Dusa 2018).

    CCubes looks for primes by increasing number of literals.  Once the primes found so far cover
    every positive row, it stops after two consecutive complexity levels that add no prime.
    Primes of higher complexity are then never seen by R's parsimonious solution; to give the
    same models as R, the engine applies the same rule (``minimize(..., search="ccubes")``).
    """
    if len(primes) == 0:
        return 0
    k = primes.shape[1]
    level = (primes != 2).sum(axis=1)
    covered = np.zeros(chart.shape[1], dtype=bool)
    counter = 0
    for depth in range(1, k + 1):
        here = level == depth
        covered |= chart[here].any(axis=0)
        if covered.all():
            counter = 0 if here.any() else counter + 1
        if counter > 1:
            return depth
    return k


def _solve_chart(tt: TruthTable, primes: np.ndarray, positive: np.ndarray):
    chart = covers(primes, positive, tt.k)
    keep = chart.any(axis=1)
    primes, chart = primes[keep], chart[keep]
    return primes, minimal_covers(chart)


class _PrimeFits:
    """Each prime's literals, memberships, own fit and covered cases, computed once.

    One instance serves a whole solution (the complex or parsimonious one, or every block of the
    intermediate one, whose charts share most of their primes).  Memberships are the minimum
    over the literals (``sets.term_membership``), taken from one array of the conditions.
    """

    def __init__(self, tt: TruthTable, positive: np.ndarray):
        self.tt, self.positive, self.y = tt, positive, tt.y
        self.x = tt.data[tt.conditions].to_numpy(dtype=float)
        self.known: dict = {}

    def of(self, primes: np.ndarray) -> list:
        """(terms, memberships, fit without covU) for each prime (rows of 0/1/2 digits)."""
        keys = [p.tobytes() for p in primes]
        new = [j for j, key in enumerate(keys) if key not in self.known]
        if new:
            tt, x = self.tt, self.x
            row_cover = covers(primes[new], self.positive, tt.k)
            for j, cov in zip(new, row_cover):
                prime = primes[j]
                terms = implicant_literals(prime, tt.conditions)
                members = fuzzy_and(*[x[:, c] if d == 1 else 1 - x[:, c] for c, d in enumerate(prime) if d != 2])
                stats = {"term": term_string(terms), **sufficiency(members, self.y),
                         "cases": tt.cases_of(self.positive[cov])}
                self.known[keys[j]] = (terms, members, stats)
        return [self.known[key] for key in keys]


def _models(tt, primes, index_sets, positive, fits: _PrimeFits | None = None):
    """Models with their fits; each prime's membership, fit and coverage are computed once."""
    fits = fits or _PrimeFits(tt, positive)
    used = sorted({i for idx in index_sets for i in idx})
    known = fits.of(primes[used]) if used else []
    position = {i: j for j, i in enumerate(used)}.__getitem__
    local = [list(map(position, idx)) for idx in index_sets]
    members = np.array([m for _, m, _ in known]) if known else np.zeros((0, len(fits.y)))
    model_fit, cov_u = models_fit(members, fits.y, local)
    terms = [t for t, _, _ in known].__getitem__
    stats = [s for _, _, s in known].__getitem__
    return [Model(terms=tuple(map(terms, idx)), fit=f, term_stats=list(map(stats, idx)), covU=u)
            for idx, f, u in zip(local, model_fit, cov_u)]


def minimize(tt: TruthTable, include: str = "", search: str = "ccubes") -> Solution:
    """Minimise the positive rows: complex solution (``include=""``) or parsimonious (``"?"``).

    ``search`` matters only with remainders: ``"ccubes"`` (default) keeps the primes R's CCubes
    search finds (see ``ccubes_depth``), so that the models equal R's; ``"complete"`` uses every
    prime implicant.  The two differ only when a prime exists beyond two empty complexity levels;
    ``Solution.primes_beyond_depth`` counts the primes so left out.
    """
    positive = tt.positive
    if len(positive) == 0:
        raise QCAError(f"no truth table row has OUT = 1 for {tt.outcome_label} (incl_cut "
                       f"{tt._cut_text()}, pri_cut {tt.pri_cut:g}, n_cut {tt.n_cut}): nothing to explain; "
                       "lower the cut-offs or check the outcome")
    if include == "?":
        off = tt.negative
    elif include == "":
        off = np.setdiff1d(_all_codes(tt.k), positive)
    else:
        raise QCAError("include must be '' (complex solution) or '?' (parsimonious)")
    primes = prime_implicants(positive, off, tt.k)
    left_out = 0
    if include == "?" and search == "ccubes":
        depth = ccubes_depth(primes, covers(primes, positive, tt.k))
        keep = (primes != 2).sum(axis=1) <= depth
        left_out = int((~keep).sum())
        primes = primes[keep]
    elif search not in ("ccubes", "complete"):
        raise QCAError("search must be 'ccubes' (as R) or 'complete'")
    if (primes == 2).all(axis=1).any():
        raise QCAError(f"no truth table row is negative for {tt.outcome_label}: every configuration is "
                       "positive or a remainder, so all conditions are minimised away; check the cut-offs")
    primes, covers_found = _solve_chart(tt, primes, positive)
    return Solution(kind="complex" if include == "" else "parsimonious",
                    models=_models(tt, primes, covers_found, positive), primes=primes, covers=covers_found,
                    primes_beyond_depth=left_out, k=tt.k, positive=positive)


def _row_labels(codes, k):
    """Row codes as labels such as '10110' (first condition first)."""
    return _label_table(k)[np.asarray(codes, dtype=np.int64)].tolist()


@lru_cache(maxsize=32)
def _label_table(k) -> np.ndarray:
    """The label of every row code 0 .. 2^k - 1."""
    codes = _all_codes(k)
    digits = ((codes[:, None] >> np.arange(k - 1, -1, -1)) & 1).astype(np.uint8) + ord("0")
    return np.array([bytes(row).decode() for row in digits], dtype=object)


def _simplifying(k, primes, index_sets, positive) -> list:
    """Remainders covered by each model's primes (its simplifying assumptions), as row codes.

    Every row that is not positive and that a model covers is a remainder: the model may not
    cover negative rows.  Each prime's coverage of all 2^k rows is computed once.
    """
    everything = _all_codes(k)
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


def _easy_counterfactuals(k, c_primes, p_primes, sa, expectations) -> np.ndarray:
    """The easy counterfactuals of one (complex model, parsimonious model) pair, as row codes.

    For each complex term and each parsimonious term that is a superset of it (its literals are
    a subset), the complex term's literals that are not in the parsimonious term and contradict
    a directional expectation are dropped; the easy counterfactuals are the simplifying
    assumptions ``sa`` that the terms so obtained cover.  All pairs at once, on the terms' bit
    masks (``implicant_masks``).
    """
    if len(sa) == 0:
        return np.array([], dtype=np.int64)
    c_value, c_care = implicant_masks(c_primes, k)
    p_value, p_care = implicant_masks(p_primes, k)
    bit = np.int64(1) << np.arange(k - 1, -1, -1, dtype=np.int64)
    expected = sum(int(b) for b, e in zip(bit, expectations) if e is not None)
    expected_present = sum(int(b) for b, e in zip(bit, expectations) if e == 1)
    c_value, c_care = c_value[:, None], c_care[:, None]
    subsumes = ((p_care & ~c_care) == 0) & (((c_value ^ p_value) & p_care) == 0)
    drop = c_care & ~p_care & expected & (c_value ^ expected_present)
    care = (c_care & ~drop)[subsumes]
    value = np.broadcast_to(c_value, subsumes.shape)[subsumes] & care
    if len(care) == 0:
        return np.array([], dtype=np.int64)
    return sa[covers_masks(value, care, sa).any(axis=0)]


def _intermediate_block(tt, label, c_primes, p_primes, sa, expectations, positive, cache, fits) -> Solution:
    """One intermediate block; ``sa`` are the parsimonious model's simplifying assumptions (row
    codes); ``cache`` maps a set of easy counterfactuals to its models."""
    ec = _easy_counterfactuals(tt.k, c_primes, p_primes, sa, expectations)
    key = ec.tobytes()
    if key not in cache:
        on = np.union1d(positive, ec)
        off = np.setdiff1d(_all_codes(tt.k), on)
        primes, found = _solve_chart(tt, prime_implicants(on, off, tt.k, through=positive), positive)
        cache[key] = _models(tt, primes, found, positive, fits)
    return Solution(kind="intermediate", label=label, models=cache[key], k=tt.k,
                    easy_codes=ec, difficult_codes=np.setdiff1d(sa, ec))


def intermediate(tt: TruthTable, complex_sol: Solution, pars_sol: Solution, dir_exp) -> list:
    """Intermediate solution blocks, one per (complex model, parsimonious model) pair."""
    expectations = parse_dir_exp(dir_exp, tt.conditions)
    positive = tt.positive
    n_blocks = len(complex_sol.covers) * len(pars_sol.covers)
    if n_blocks > MAX_BLOCKS:
        raise QCAError(f"the intermediate solution has {len(complex_sol.covers)} complex x {len(pars_sol.covers)} "
                       f"parsimonious models = {n_blocks} blocks, more than {MAX_BLOCKS} to report exactly; "
                       "simplify the truth table (e.g. a higher incl_cut)")
    pars_sa = pars_sol.simplifying_codes or _simplifying(tt.k, pars_sol.primes, pars_sol.covers, positive)
    blocks, cache, total, fits = [], {}, 0, _PrimeFits(tt, positive)
    start = time.monotonic()
    for ci, c_cover in enumerate(complex_sol.covers, 1):
        c_primes = complex_sol.primes[list(c_cover)]
        for pi, p_cover in enumerate(pars_sol.covers, 1):
            label = f"C{ci}P{pi}"
            sa = pars_sa[pi - 1]
            if all(e is None for e in expectations):
                m = complex_sol.models[ci - 1]
                blocks.append(Solution(kind="intermediate", label=label, models=[m], k=tt.k,
                                       easy_codes=sa[:0], difficult_codes=sa[:0]))
                continue
            blocks.append(_intermediate_block(tt, label, c_primes, pars_sol.primes[list(p_cover)], sa,
                                              expectations, positive, cache, fits))
            total += len(blocks[-1].models)
            if total > MAX_MODELS:
                raise QCAError(f"the intermediate solution has more than {MAX_MODELS} models over its blocks; "
                               "too many to report exactly; simplify the truth table (e.g. a higher incl_cut)")
            if time.monotonic() - start > INTERMEDIATE_SECONDS:
                raise QCAError(f"the intermediate solution was not finished after {INTERMEDIATE_SECONDS:.0f} s "
                               f"({len(blocks)} of {n_blocks} blocks, {total} models so far); too large to report "
                               "exactly; simplify the truth table (e.g. a higher incl_cut)")
    return blocks


def solve(tt: TruthTable, dir_exp=None, search: str = "ccubes") -> Solutions:
    """All three solutions of a truth table; the intermediate one needs ``dir_exp``."""
    c = minimize(tt, "")
    p = minimize(tt, "?", search=search)
    i = intermediate(tt, c, p, dir_exp) if dir_exp is not None else []
    return Solutions(complex=c, parsimonious=p, intermediate=i)
