"""The enhanced standard analysis of a study: its settings (the study file's ``esa:``) and the
rows it keeps out of each analysis' simplifying assumptions.

Every study applies the enhanced standard analysis (Schneider & Wagemann 2012, ch. 8.2; 2013)
unless its study file turns it off with a reason.  For each analysis the rows excluded are
(``analysis.qca.enhanced``): the remainders that contradict a necessary condition (by default the
conditions and negations step 3 finds necessary for that analysis' outcome at the study's
``necessity_incl`` and ``necessity_ron``; or the expressions the study file names), the untenable
remainders the study file names with their reasons, the contradictory simplifying assumptions
and the simultaneous subset relations.  The robustness tests and the multiverse apply the same
rule to each of their truth tables, so that they vary the analysis the study reports.  ``ESA``
describes the ``esa:`` section in ``analysis.schema``'s terms (``read_esa`` checks it).

>>> s = read_esa({"untenable": [{"expression": "~A*B", "reason": "B needs A"}]}, "study.yml: esa", ["A", "B"])
>>> s.applies, s.necessary, s.untenable
(True, None, (('~A*B', 'B needs A'),))
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .qca import parse
from .bounded import make_room
from .qca.enhanced import esa, esa_codes
from .qca.rows import row_label
from .qca.solutions import parsimonious_sa
from .schema import FLAG, Either, Expression, Fields, ListOf, Options, Ref, Text, fail, needs, validate

__all__ = ["EnhancedAnalysis", "read_esa", "necessary_literals", "outcomes_necessary_literals", "necessary_mask",
           "literal_names", "exclusions", "exclusion_codes", "ESA", "ESA_KEYS"]

_SA_CACHE: dict = {}
_EXCLUDED: dict = {}                # exclusion_codes, by codings and necessary expressions
_SA_LIMIT = 50_000
_EMPTY = np.zeros(0, dtype=np.int64)
_EMPTY.flags.writeable = False


@dataclass(frozen=True)
class EnhancedAnalysis:
    """The study file's ``esa:`` (module docstring)."""

    applies: bool = True
    reason: str = ""              # why (required when the study turns the analysis off)
    necessary: tuple = None       # ((expression, reason), ...); None: found at the necessity thresholds
    untenable: tuple = ()         # ((expression, reason), ...)
    csa: bool = True
    ssr: bool = True

    def describe(self) -> str:
        """One sentence for the reports."""
        if not self.applies:
            return f"The enhanced standard analysis is turned off: {self.reason}"
        parts = ["remainders without a necessary condition (" + (
            "the conditions found necessary for each outcome" if self.necessary is None
            else ", ".join(e for e, _ in self.necessary) or "none") + ")"]
        if self.untenable:
            parts.append("untenable remainders (" + "; ".join(f"{e}: {r}" for e, r in self.untenable) + ")")
        if self.csa:
            parts.append("contradictory simplifying assumptions")
        if self.ssr:
            parts.append("simultaneous subset relations")
        return "The enhanced standard analysis keeps out of the simplifying assumptions: " + "; ".join(parts) + "."


def _rows(reason: Text, required: tuple) -> ListOf:
    """A list of ``{expression, reason}``: the remainders an expression of the conditions covers."""
    return ListOf(Fields({"expression": Expression(Ref("conditions")), "reason": reason}, required=required,
                         into=lambda r: (r["expression"], r.get("reason") or None)),
                  into=tuple, what="a list of {expression, reason}")


@needs("apply", "reason")
def _off_with_reason(s, where, context):
    if not s.get("apply", True) and not s.get("reason"):
        fail(f"{where}.reason", "the enhanced standard analysis applies to every study",
             "to turn it off (apply: false), say why")


NECESSARY = "'found' (the conditions step 3 finds necessary) or a list of {expression, reason}"
ESA = Fields({"apply": FLAG, "reason": Text(collapse=True, empty=True),
              "necessary": Either({str: Options("found", what=NECESSARY),
                                   list: _rows(Text(collapse=True, empty=True), ("expression",))}, what=NECESSARY),
              "untenable": _rows(Text(collapse=True, note="say why the remainder is untenable"),
                                 ("expression", "reason")),
              "csa": FLAG, "ssr": FLAG},
             rules=(_off_with_reason,), default=EnhancedAnalysis(),
             into=lambda s: EnhancedAnalysis(applies=s.get("apply", True), reason=s.get("reason", ""),
                                             necessary=None if s.get("necessary", "found") == "found" else
                                             s["necessary"],
                                             untenable=s.get("untenable", ()), csa=s.get("csa", True),
                                             ssr=s.get("ssr", True)))
ESA_KEYS = tuple(ESA.fields)


def read_esa(value, where: str, conditions) -> EnhancedAnalysis:
    """The study file's ``esa:`` section (None: the defaults, every part applied), checked against
    the study's ``conditions``; ``where`` starts every message."""
    return EnhancedAnalysis() if value is None else validate(value, ESA, where, conditions=list(conditions))


def necessary_literals(x: np.ndarray, y: np.ndarray, conditions, incl_cut: float, ron_cut: float) -> list:
    """The conditions and negations with inclN >= ``incl_cut`` and RoN >= ``ron_cut`` for ``y``
    (``x``: cases x conditions), in the necessity table's order: what step 3 flags necessary
    (``analysis.necessity``), computed by the engine's ``necessity``."""
    return outcomes_necessary_literals(x, np.asarray(y, dtype=float)[None, :], conditions, incl_cut, ron_cut)[0]


def outcomes_necessary_literals(x: np.ndarray, ys: np.ndarray, conditions, incl_cut: float, ron_cut: float) -> list:
    """``necessary_literals`` for several outcomes at once (``ys``: outcomes x cases): one list per
    outcome.  The sums of the engine's ``necessity`` (inclN = sum(min(X, Y)) / sum(Y), RoN =
    sum(1 - X) / sum(1 - min(X, Y))), each over the cases in their order, bit for bit.

    >>> x = np.array([[0.9, 0.2], [0.8, 0.3], [0.7, 0.9]])
    >>> outcomes_necessary_literals(x, np.array([[0.8, 0.7, 0.6], [0.1, 0.2, 0.9]]), ["A", "B"], 0.9, 0.5)
    [['A'], ['B']]
    """
    names = literal_names(conditions)
    return [[names[j] for j in np.flatnonzero(row)] for row in necessary_mask(x, ys, incl_cut, ron_cut)]


def literal_names(conditions) -> list:
    """The names of the literals of ``conditions`` in ``necessary_mask``'s order: the conditions,
    then their negations (``~A``)."""
    return list(conditions) + ["~" + c for c in conditions]


def necessary_mask(x: np.ndarray, ys: np.ndarray, incl_cut: float, ron_cut: float) -> np.ndarray:
    """Whether each literal (``literal_names``: the conditions of ``x``, then their negations) is
    necessary for each outcome of ``ys`` (outcomes x cases): ``outcomes_necessary_literals`` as a
    boolean array (outcomes x literals), the same sums.

    >>> necessary_mask(np.array([[0.9, 0.2], [0.8, 0.3]]), np.array([[0.8, 0.7]]), 0.9, 0.5).tolist()
    [[True, False, False, True]]
    """
    literals = np.ascontiguousarray(np.concatenate((x.T, 1 - x.T)), dtype=float)  # literals x cases
    xy = np.minimum(literals[None, :, :], ys[:, None, :])                        # outcomes x literals x cases
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = xy.sum(axis=2) / ys.sum(axis=1)[:, None]
        ron = (1 - literals).sum(axis=1)[None, :] / (1 - xy).sum(axis=2)
        return (incl >= incl_cut) & (ron >= ron_cut) & np.isfinite(incl) & np.isfinite(ron)


def _applicable(items, conditions) -> list:
    """The (expression, reason) pairs whose conditions are all among ``conditions`` (a robustness
    test or a specification may leave a condition out)."""
    known = set(conditions)
    return [(e, r) for e, r in items if all(name in known for term in parse(e) for name, _ in term)]


def _necessary(settings: EnhancedAnalysis, x, y, conditions, necessity_cuts, found=None) -> list:
    if settings.necessary is not None:
        return _applicable(settings.necessary, conditions)
    return [(lit, None) for lit in (found if found is not None else necessary_literals(x, y, conditions,
                                                                                      *necessity_cuts))]


def exclusions(settings: EnhancedAnalysis, tt, necessity_cuts) -> pd.DataFrame:
    """The rows the study's enhanced standard analysis excludes from ``tt``'s simplifying
    assumptions (row, kind, reason: ``analysis.qca.enhanced``); empty when it is turned off."""
    if not settings.applies:
        return pd.DataFrame(columns=["row", "kind", "reason"])
    nec = _necessary(settings, tt.x, tt.y, tt.conditions, necessity_cuts)
    return esa(tt, nec_cond=nec, untenable=_applicable(settings.untenable, tt.conditions), csa=settings.csa,
               ssr=settings.ssr)


def _cached_sa(positive, negative, k):
    key = (k, positive.tobytes(), np.asarray(negative, dtype=np.int64).tobytes())
    if key not in _SA_CACHE:
        value = parsimonious_sa(positive, negative, k)
        make_room(_SA_CACHE, _SA_LIMIT)
        _SA_CACHE[key] = value
    return _SA_CACHE[key]


def exclusion_codes(settings: EnhancedAnalysis, conditions, x, y, coding, neg_coding, necessity_cuts,
                    found=None) -> np.ndarray:
    """``exclusions`` from codings, for the robustness sweep and the multiverse: the excluded row
    codes of the truth table whose (positive, negative) rows are ``coding`` (``neg_coding``: its
    negation's, with the same cut-offs), for memberships ``x`` (cases x conditions) and ``y``.
    ``found``: the literals ``necessary_literals`` finds for them, when the caller has them
    (``outcomes_necessary_literals``).  The result is cached by the codings and the necessary
    expressions (all it depends on besides the settings and the conditions), and the
    parsimonious solutions' simplifying assumptions by coding.  The array is read-only."""
    if not settings.applies:
        return _EMPTY
    nec = _necessary(settings, x, y, conditions, necessity_cuts, found)
    key = (settings, tuple(conditions), *(np.asarray(c, dtype=np.int64).tobytes() for c in (*coding, *neg_coding)),
           tuple(nec))
    codes = _EXCLUDED.get(key)
    if codes is None:
        rows = esa_codes(conditions, coding[0], coding[1], neg_coding[0], neg_coding[1], nec,
                         _applicable(settings.untenable, conditions), settings.csa, settings.ssr, sa=_cached_sa)
        codes = np.array(sorted(rows), dtype=np.int64)
        codes.flags.writeable = False
        make_room(_EXCLUDED, _SA_LIMIT)
        _EXCLUDED[key] = codes
    return codes


def labels(codes, k: int) -> list:
    """Row codes as the labels ``exclude`` takes."""
    return [row_label(c, k) for c in codes]
