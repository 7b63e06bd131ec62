"""The schema's constraints on single values: numbers, options, texts, names, expressions (see
``analysis.schema``)."""
from __future__ import annotations

import sys
from numbers import Integral, Real

from ..qca.expressions import is_set_name, parse
from ..qca.errors import QCAError
from .base import Constraint, allowed, fail, known_names, show

__all__ = ["Interval", "Options", "Text", "SetName", "Name", "Names", "Expression"]


class Interval(Constraint):
    """A number (``Real``: a float) or a whole number (``Integral``: an int) between ``low`` and
    ``high`` (None: unbounded), ``closed`` "both", "left", "right" or "neither".  ``text=True`` also
    reads a number written as text (``--set incl_cut=0.8``; otherwise such a text is refused, and
    said so); ``keep=True`` keeps a ``Real`` as written (10 stays 10)."""

    params = {"kind": Real, "low": None, "high": None, "closed": "both", "text": False, "keep": False}

    def _range(self) -> str:
        lo, hi, left, right = self.low, self.high, self.closed in ("both", "left"), self.closed in ("both", "right")
        if lo is None:
            return ""
        if hi is None:
            return f" {'of at least' if left else 'above'} {lo:g}"
        if self.kind is Integral:
            return f" from {lo} to {hi}"
        if not left and not right:
            return f" strictly between {lo:g} and {hi:g}"
        return f" in {'[' if left else '('}{lo:g}, {hi:g}{']' if right else ')'}"

    def describe(self) -> str:
        return self.what or ("a whole number" if self.kind is Integral else "a number") + self._range()

    def must(self) -> str:
        if self.what or self.kind is Integral or self.high is None:
            return super().must()
        return f"must lie{self._range()}" + (f" ({self.note})" if self.note else "")

    def check(self, value, where, context):
        number = value
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                self.reject(value, where, "not a number")
            if not self.text and abs(number) <= sys.float_info.max:      # YAML 1.1 reads 1e5 as text
                self.reject(value, where, "a number written as text (no quotes; write 1e5 as 1.0e+5)")
        if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number:
            self.reject(value, where, "not a number")
        if abs(number) > sys.float_info.max:
            self.reject(value, where, "too large")
        if self.kind is Integral:
            if isinstance(number, float) and not number.is_integer():
                self.reject(value, where, "not a whole number")
            number = int(number)
        lo, hi, closed = self.low, self.high, self.closed
        if (lo is not None and (number < lo or number == lo and closed in ("right", "neither"))) or \
                (hi is not None and (number > hi or number == hi and closed in ("left", "neither"))):
            self.reject(value, where)
        return number if self.kind is Integral or self.keep else float(number)


class Options(Constraint):
    """One of ``options`` (true is not 1: a flag and a number stay apart)."""

    def __init__(self, *options, **common):
        super().__init__(**common)
        self.options = options

    def describe(self) -> str:
        shown = [repr(o) for o in self.options]
        words = ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else "".join(shown)
        return self.what or ("one of " if len(shown) > 2 else "") + words

    def check(self, value, where, context):
        if not any(value == o and isinstance(value, bool) == isinstance(o, bool) for o in self.options):
            self.reject(value, where)
        return value


class Text(Constraint):
    """A text, non-empty unless ``empty``; returned stripped, with its white space collapsed
    (``collapse``), or as written (``strip=False``)."""

    params = {"empty": False, "collapse": False, "strip": True}

    def describe(self) -> str:
        return self.what or ("a text" if self.empty else "a non-empty text")

    def check(self, value, where, context):
        if not isinstance(value, str) or not (self.empty or value.strip()):
            self.reject(value, where)
        return " ".join(value.split()) if self.collapse else value.strip() if self.strip else value


class SetName(Constraint):
    """A name that can stand for a set in an expression (``analysis.qca.is_set_name``)."""

    def check(self, value, where, context):
        if not is_set_name(value):
            fail(where, f"{show(value)} cannot name a set in an expression",
                 "use letters, digits, '_' and '.', starting with a letter (no '~', '*', '+' or spaces)")
        return value


class Name(Constraint):
    """One of the ``known`` names (a list or a ``Ref``; None: any text); ``noun`` says what it names."""

    params = {"known": None, "noun": "name"}

    def describe(self) -> str:
        return self.what or f"a {self.noun}"

    def check(self, value, where, context):
        known = known_names(self.known, context)
        if not isinstance(value, str):
            self.reject(value, where)
        if known is not None and value not in known:
            fail(where, f"unknown {self.noun} {value!r}", allowed(known))
        return value


class Names(Name):
    """A list of ``at_least`` names or more (1 or 2), each once, each ``known`` (when known)."""

    params = {**Name.params, "at_least": 1}

    def describe(self) -> str:
        return self.what or f"{'a non-empty list of' if self.at_least < 2 else 'a list of two or more'} {self.noun}s"

    def check(self, value, where, context):
        if not isinstance(value, list) or len(value) < self.at_least or not all(isinstance(v, str) for v in value):
            self.reject(value, where)
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            fail(where, f"lists {', '.join(twice)} more than once", "name each once")
        known = known_names(self.known, context)
        unknown = [v for v in value if known is not None and v not in known]
        if unknown:
            fail(where, f"unknown {self.noun}(s) {', '.join(unknown)}", allowed(known))
        return list(value)


class Expression(Constraint):
    """A set expression such as ``A*~B + C`` of the names ``known`` (``noun``: what they are), of
    at most ``terms`` terms; returned with its white space collapsed."""

    params = {"known": None, "noun": "conditions", "terms": None}

    def describe(self) -> str:
        return self.what or ("a conjunction such as 'A*~B'" if self.terms == 1 else "an expression such as 'A*~B + C'")

    def check(self, value, where, context):
        if not isinstance(value, str) or not value.strip():
            self.reject(value, where)
        known = known_names(self.known, context)
        todo = f"use the {self.noun} {', '.join(known)}" if known is not None else self.must()
        try:
            terms = parse(value)
        except QCAError as e:
            fail(where, str(e), todo)
        unknown = sorted({n for term in terms for n, _ in term if known is not None and n not in known})
        if unknown:
            fail(where, f"{value!r} names {', '.join(unknown)}, not among the {self.noun}", todo)
        if self.terms is not None and len(terms) > self.terms:
            self.reject(value, where)
        return " ".join(value.split())


