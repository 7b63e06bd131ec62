"""The value types of a minimisation's result: a term, its fit, and a model.

- ``Term``: a conjunction of literals, ``A*~B``: a tuple of ``(condition, present)`` pairs in
  condition order, written by ``str()`` and read by ``Term.parse``.
- ``TermFit``: a term of a model with its parameters of fit (inclS, PRI, covS, covU within its
  model; Ragin 2008, p. 86) and the cases of the positive rows it covers.
- ``Model``: a disjunction of terms (one minimal model, ``A*~B + C``), with the fit of the whole
  model and of each term when it was fitted; ``str()``, ``Model.parse`` and
  ``Model.from_json`` (the command line's JSON) give and read the one form.

Two models are the same model when they have the same terms, in any order (``Model.key``).

>>> m = Model.parse("DEV*~IND + URB*STB")
>>> str(m), m.terms[0], str(m.terms[0])
('DEV*~IND + URB*STB', (('DEV', True), ('IND', False)), 'DEV*~IND')
>>> m.key == Model.parse("STB*URB + ~IND*DEV").key
True
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property

import pandas as pd

from .fit import SufficiencyFit
from .expressions import Term, parse

__all__ = ["Term", "TermFit", "Model", "TERM_FIT_COLUMNS"]

#: The columns of ``Model.term_fit``: a term's parameters of fit and its cases (R's ``$IC``).
TERM_FIT_COLUMNS = ["term", "inclS", "PRI", "covS", "covU", "cases"]


def _number(value) -> float:
    return float("nan") if value is None else float(value)


@dataclass(frozen=True)
class TermFit:
    """One term of a model: its parameters of fit and the cases of the positive rows it covers.

    Parameters
    ----------
    term : Term
        The term (a conjunction of literals).
    inclS, PRI, covS : float
        The term's consistency, PRI and raw coverage as sufficient for the outcome.
    covU : float
        Its unique coverage within its model: covS(model) - covS(model without the term).
    cases : tuple of str
        The cases of the positive truth table rows the term covers (R's ``cases`` column of
        ``$IC``).

    Notes
    -----
    inclS, PRI and covS are those of ``fit.sufficiency`` on the term's membership (Ragin 2006);
    covU is Ragin's (2008, p. 86) unique coverage (``fit.unique_coverage``).  For a model of one
    term R's ``pof`` leaves covU empty (NA); here it is the term's covS, its unique coverage.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, p. 86.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> fit = solve(tt).parsimonious.models[0].term_fits[1]
    >>> str(fit.term), round(fit.inclS, 3), round(fit.covU, 3), fit.cases
    ('URB*STB', 0.874, 0.43, ('BE', 'CZ', 'NL', 'UK'))
    """

    term: Term
    inclS: float
    PRI: float
    covS: float
    covU: float
    cases: tuple

    def to_dict(self) -> dict:
        """The record as a dict, the term written ``A*~B`` and the cases as a list.

        Returns
        -------
        dict
            ``term``, ``inclS``, ``PRI``, ``covS``, ``covU``, ``cases``.
        """
        return {**asdict(self), "term": str(self.term), "cases": list(self.cases)}


@dataclass(frozen=True)
class Model:
    """One minimal model: its terms and, when fitted, the fit of the model and of each term.

    Parameters
    ----------
    terms : tuple of Term
        The model's terms (plain tuples of literals are turned into ``Term``).
    fit : SufficiencyFit, optional
        inclS, PRI, covS of the whole model (the union of its terms); None when not fitted.
    term_fits : tuple of TermFit, default ()
        The fit of each term, in the model's term order.

    Attributes
    ----------
    expression : str
        The model written as R writes it, ``A*~B + C`` (also ``str(model)``).
    key : frozenset
        The model as a set of terms, each a set of literals: equal for the same model.
    term_fit : pandas.DataFrame
        Per term: ``term``, ``inclS``, ``PRI``, ``covS``, ``covU``, ``cases``.

    Notes
    -----
    A model is a disjunction of prime implicants that covers every positive row with the fewest
    terms (Ragin 1987, ch. 6; Dusa 2019, ch. 8): one of R's ``minimize`` ``$solution``s, written
    ``M1``, ``M2``, ... The fit of the model is ``fit.sufficiency`` of the maximum over its terms
    (Ragin 2006); R's ``$IC$sol.incl.cov``.

    References
    ----------
    Ragin, C. C. (1987). *The Comparative Method: Moving Beyond Qualitative and Quantitative
    Strategies*. University of California Press, ch. 6.

    Ragin, C. C. (2006). Set relations in social research: Evaluating their consistency and
    coverage. *Political Analysis*, 14(3), 291-310.

    Dusa, A. (2019). *QCA with R: A Comprehensive Resource*. Springer, ch. 8.

    Examples
    --------
    >>> from analysis.qca import truth_table, solve
    >>> from analysis.qca.datasets import load
    >>> tt = truth_table(load("LF"), "SURV", incl_cut=0.8)
    >>> m = solve(tt).parsimonious.models[0]
    >>> m
    M: DEV*~IND + URB*STB  (inclS 0.850, PRI 0.819, covS 0.714)
    >>> m.term_fit[["term", "inclS", "covU"]].round(3)
           term  inclS   covU
    0  DEV*~IND  0.815  0.194
    1   URB*STB  0.874  0.430
    >>> m.key == Model.parse("STB*URB + ~IND*DEV").key
    True
    """

    terms: tuple                       # Term, ...
    fit: SufficiencyFit = None         # inclS, PRI, covS of the whole model (None: not fitted)
    term_fits: tuple = ()              # TermFit per term, in the model's term order

    def __post_init__(self):
        object.__setattr__(self, "terms", tuple(t if isinstance(t, Term) else Term(t) for t in self.terms))

    def __str__(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """The model as written, ``A*~B + C`` (made once: tables, keys and claims read it often)."""
        return " + ".join(str(t) for t in self.terms)

    @property
    def expression(self) -> str:
        """The model written as R writes it, ``A*~B + C``."""
        return str(self)

    @cached_property
    def key(self) -> frozenset:
        """The model as a set of terms, each a set of literals: equal for the same model."""
        return frozenset(t.key for t in self.terms)

    @property
    def term_rows(self) -> tuple:
        """The fit of each term (``TermFit``), in the model's term order."""
        return self.term_fits

    @cached_property
    def term_fit(self) -> pd.DataFrame:
        """Per term: inclS, PRI, covS, covU (unique within this model) and the cases covered.

        Returns
        -------
        pandas.DataFrame
            Columns ``term``, ``inclS``, ``PRI``, ``covS``, ``covU``, ``cases``; empty when the model
            was not fitted.
        """
        return pd.DataFrame([t.to_dict() for t in self.term_fits], columns=TERM_FIT_COLUMNS)

    @classmethod
    def parse(cls, text: str, names=None) -> "Model":
        """A model from its expression, ``"A*~B + C"`` (no fit).

        Parameters
        ----------
        text : str
            A sum of products.
        names : sequence of str, optional
            The allowed condition names.

        Returns
        -------
        Model
        """
        return cls(terms=parse(text, names))

    @classmethod
    def from_json(cls, record) -> "Model":
        """A model from the command line's JSON.

        Parameters
        ----------
        record : dict or list of str
            A fit record ``{"model": [...], "inclS": ..., "PRI": ..., "covS": ..., "terms": [...]}``
            (``Model.to_json``), or a bare list of terms ``["A*~B", "C"]``.

        Returns
        -------
        Model
            With its fit and term fits when the record has them (null numbers read as NaN).
        """
        if isinstance(record, (list, tuple)):
            return cls(terms=tuple(Term.parse(t) for t in record))
        terms = tuple(Term.parse(t) for t in record["model"])
        fit = None
        if record.get("inclS", None) is not None or "PRI" in record:
            fit = SufficiencyFit(inclS=_number(record.get("inclS")), PRI=_number(record.get("PRI")),
                                 covS=_number(record.get("covS")))
        by_term = {Term.parse(t["term"]).key: t for t in record.get("terms", [])}
        fits = tuple(TermFit(term=t, inclS=_number(by_term[t.key].get("inclS")), PRI=_number(by_term[t.key].get("PRI")),
                             covS=_number(by_term[t.key].get("covS")), covU=_number(by_term[t.key].get("covU")),
                             cases=tuple(by_term[t.key].get("cases", ()))) for t in terms if t.key in by_term)
        return cls(terms=terms, fit=fit, term_fits=fits if len(fits) == len(terms) else ())

    def to_json(self) -> dict:
        """The command line's JSON of the model: its terms, its fit and each term's.

        Returns
        -------
        dict
            ``model`` (list of terms), ``inclS``, ``PRI``, ``covS`` (when fitted) and ``terms`` (each
            ``TermFit.to_dict()``).
        """
        out = {"model": [str(t) for t in self.terms]}
        if self.fit is not None:
            out.update(self.fit.to_dict())
        out["terms"] = [t.to_dict() for t in self.term_fits]
        return out

    def __repr__(self) -> str:
        if self.fit is None:
            return f"M: {self}"
        return f"M: {self}  (inclS {self.fit.inclS:.3f}, PRI {self.fit.PRI:.3f}, covS {self.fit.covS:.3f})"
