"""The schema's containers: lists, mappings, records with known fields, alternatives, and the
constants every table shares (see ``analysis.schema``)."""
from __future__ import annotations

import copy
from numbers import Integral, Real

from .base import ABSENT, Constraint, allowed, child, fail, known_names, show
from .values import Interval, Options, SetName, Text

__all__ = ["ListOf", "MappingOf", "Fields", "Either", "With", "FLAG", "TEXT", "NUMBER", "SHARE", "SEED",
           "DECIMALS", "AT_LEAST_ONE", "SET_NAME"]


class ListOf(Constraint):
    """A list of values that each meet ``item``: ``length`` of them, or any number (at least one
    when ``non_empty``), each once when ``unique``; ``label(item)`` names an item in its path
    (``claims[3] (risk-core)``); ``rules`` check the list; ``into`` makes the record's value."""

    params = {"item": None, "length": None, "non_empty": False, "unique": False, "rules": (), "into": list,
              "label": None}

    def describe(self) -> str:
        return self.what or (f"a list of {self.length}" if self.length else
                             "a non-empty list" if self.non_empty else "a list")

    def check(self, value, where, context):
        if not isinstance(value, list) or len(value) != (self.length or len(value)) or (self.non_empty and not value):
            self.reject(value, where)
        out = []
        for i, item in enumerate(value):
            label = self.label(item) if self.label else None
            out.append(self.item.check(item, child(where, i) + (f" ({label})" if label is not None else ""), context))
        twice = next((v for i, v in enumerate(out) if self.unique and repr(v) in map(repr, out[:i])), ABSENT)
        if twice is not ABSENT:
            fail(where, f"lists {show(twice)} more than once", "give each value once")
        for rule in self.rules:
            rule(out, where, context)
        return self.into(out)


class MappingOf(Constraint):
    """A mapping of ``at_least`` entries whose values meet ``values`` and keys ``keys`` (e.g.
    ``Name(known=...)``); with ``complete``, one entry for every known key, in the known order."""

    params = {"values": None, "keys": None, "complete": False, "at_least": 0, "rules": (), "into": dict}

    def describe(self) -> str:
        return self.what or "a mapping" + (" with at least one entry" if self.at_least else "")

    def check(self, value, where, context):
        if not isinstance(value, dict) or len(value) < self.at_least:
            self.reject(value, where)
        out = {}
        for key, item in value.items():
            at = child(where, key)
            out[self.keys.check(key, at, context) if self.keys else key] = self.values.check(item, at, context)
        known = known_names(self.keys.known, context) if self.complete else None
        if known is not None:
            missing = [k for k in known if k not in out]
            if missing:
                fail(where, f"missing: {', '.join(missing)}", f"give one entry for each of {', '.join(known)}")
            out = {k: out[k] for k in known}
        for rule in self.rules:
            rule(out, where, context)
        return self.into(out)


class Fields(Constraint):
    """A record: a mapping of the keys of ``fields`` (key -> constraint), checked in that order.

    ``required`` keys must be given (a tuple in it: at least one of those); a key left out takes
    its constraint's ``default`` if it has one, and so does an optional key given None with
    ``none_is_absent``; ``rules`` (see ``needs``) check fields together; ``into`` makes the record
    from the checked mapping; ``context=True`` lends the checked fields to the fields after them;
    ``noun`` names a key in messages ("field" at a study file's top level).
    """

    params = {"fields": None, "required": (), "rules": (), "into": None, "noun": "key", "none_is_absent": False,
              "context": False}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order, self.due = list(self.fields), {}
        for rule in self.rules:
            last = max(order.index(f) for f in getattr(rule, "needs", order))
            self.due.setdefault(order[last], []).append(rule)

    def describe(self) -> str:
        return self.what or f"a mapping of {', '.join(self.fields)}"

    def problems(self, value) -> tuple:
        """(missing, unknown): the required keys (or alternatives) not given, the keys not known."""
        missing = [" or ".join(r) if isinstance(r, tuple) else r for r in self.required
                   if not any(k in value for k in (r if isinstance(r, tuple) else (r,)))]
        return missing, [str(k) for k in value if k not in self.fields]

    def check(self, value, where, context):
        if not isinstance(value, dict):
            self.reject(value, where)
        missing, unknown = self.problems(value)
        if unknown or missing:
            fail(where, "; ".join([f"unknown {self.noun}(s) {', '.join(unknown)}"] * bool(unknown) +
                                  [f"missing required {self.noun}(s) {', '.join(missing)}"] * bool(missing)),
                 allowed(self.fields) if unknown else
                 "required: " + ", ".join(" or ".join(r) if isinstance(r, tuple) else r for r in self.required))
        out = {}
        scope = context.new_child(out) if self.context else context
        for key, constraint in self.fields.items():
            if key in value and not (self.none_is_absent and value[key] is None and key not in self.required):
                out[key] = constraint.check(value[key], child(where, key), scope)
            elif constraint.default is not ABSENT:
                out[key] = copy.copy(constraint.default)
            for rule in self.due.get(key, ()):
                rule(out, where, scope)
        return self.into(out) if self.into else out


class Either(Constraint):
    """The constraint of the value's type: ``Either({str: ..., list: ...})``."""

    params = {"forms": None}

    def describe(self) -> str:
        return self.what or " or ".join(c.describe() for c in self.forms.values())

    def check(self, value, where, context):
        if type(value) not in self.forms:
            self.reject(value, where)
        return self.forms[type(value)].check(value, where, context)


class With(Constraint):
    """``constraint``, checked with entries added to the context: ``key=function(context)``."""

    def __init__(self, constraint, **derived):
        super().__init__(what=constraint.describe(), default=constraint.default)
        self.constraint, self.derived = constraint, derived

    def check(self, value, where, context):
        return self.constraint.check(value, where, context.new_child({k: f(context) for k, f in self.derived.items()}))


FLAG = Options(True, False, what="true or false")
TEXT = Text()
NUMBER = Interval(Real)
SHARE = Interval(Real, 0, 1)                        # a share, a fit, a standard deviation on [0, 1]
SEED = Interval(Integral, 0, 2 ** 32 - 1)           # a random seed (numpy's range)
DECIMALS = Interval(Integral, 0, 12)                # digits a value is rounded to
AT_LEAST_ONE = Interval(Integral, 1)                # a count of cases, steps or configurations
SET_NAME = SetName()
