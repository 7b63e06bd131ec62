"""The schema's foundation: its error, the messages' form, ``Constraint`` and ``validate`` (see
``analysis.schema``)."""
from __future__ import annotations

import copy
import reprlib
from collections import ChainMap
from pathlib import Path

from ..errors import StudyError

__all__ = ["SchemaError", "validate", "fail", "show", "child", "needs", "Ref", "Constraint", "known_names",
           "allowed", "ABSENT"]

ABSENT = object()
_SHOW = reprlib.Repr()
_SHOW.maxstring, _SHOW.maxother, _SHOW.maxlong, _SHOW.maxlevel, _SHOW.maxlist, _SHOW.maxdict = 60, 60, 40, 3, 6, 4


class SchemaError(StudyError):
    """A value that breaks its constraint: one line naming the file, the field and what to do."""


def show(value) -> str:
    """``value`` as a message shows it: a repr cut short (a long text, a huge number, a deep list).

    >>> show(10 ** 400)[:12], show("x" * 100)[-6:]
    ('100000000000', "xxxxx'")
    """
    return _SHOW.repr(value)


def fail(where, wrong: str, todo: str = ""):
    """Raise the one line ``<where>: <wrong>; <todo>`` (``where``: a file and field path, or empty).

    >>> fail("s.yml: seed", "got -1", "must be a whole number from 0 to 9")
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: s.yml: seed: got -1; must be a whole number from 0 to 9
    """
    text = f"{wrong}; {todo}" if todo else wrong
    raise SchemaError(f"{where}: {text}" if str(where) else text)


def child(where, key) -> str:
    """The path of ``key`` inside ``where``: ``file: key`` under a file (a ``Path``), else
    ``where.key``, or ``where[i]`` for a list's item.

    >>> child(Path("s.yml"), "claims"), child("s.yml: claims", 3), child("s.yml: esa", "reason")
    ('s.yml: claims', 's.yml: claims[3]', 's.yml: esa.reason')
    """
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{where}[{key}]"
    return f"{where}: {key}" if isinstance(where, Path) else f"{where}.{key}" if str(where) else str(key)


def needs(*fields):
    """Mark a rule ``rule(values, where, context)`` of a ``Fields`` record as reading ``fields``: it
    runs as soon as they are checked (a rule without ``needs`` runs last).

    >>> from analysis.schema import SHARE, Fields
    >>> ordered = needs("min", "max")(lambda values, where, context: values["min"] <= values["max"] or fail(
    ...     where, "min is above max", "give min <= max"))
    >>> validate({"min": 0.9, "max": 0.5}, Fields({"min": SHARE, "max": SHARE}, rules=(ordered,)), "s.yml: check")
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: s.yml: check: min is above max; give min <= max
    """
    def mark(rule):
        rule.needs = fields
        return rule
    return mark


class Ref:
    """The names ``context[key]`` holds (a list, or a mapping's keys), joined over ``keys``; None when
    the context has none of them (the names are then not checked)."""

    def __init__(self, *keys):
        self.keys = keys

    def names(self, context):
        found = [context[k] for k in self.keys if context.get(k) is not None]
        return None if not found else [n for names in found for n in names]


def known_names(known, context):
    return known.names(context) if isinstance(known, Ref) else known


def allowed(known) -> str:                # what to do about an unknown name or key
    return f"allowed: {', '.join(map(str, known)) or 'none'}"


class Constraint:
    """A rule for one value, made with its ``params`` (name: default; given in that order or by
    name).  ``what`` replaces its description, ``note`` says why (added after it), ``default`` is
    the value a record holds when the field is left out."""

    params: dict = {}

    def __init__(self, *args, what=None, note=None, default=ABSENT, **kwargs):
        if len(args) > len(self.params) or set(kwargs) - set(self.params):
            raise TypeError(f"{type(self).__name__} takes {', '.join(self.params) or 'no parameters'}")
        self.__dict__.update(self.params, **dict(zip(self.params, args)), **kwargs)
        self.what, self.note, self.default = what, note, default

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self.params)})"

    def but(self, **changes):
        """A copy with ``changes`` (e.g. ``SHARE.but(note="why")``)."""
        new = copy.copy(self)
        new.__dict__.update(changes)
        return new

    def describe(self) -> str:
        return self.what or "a valid value"

    def must(self) -> str:
        return f"must be {self.describe()}" + (f" ({self.note})" if self.note else "")

    def reject(self, value, where, problem=""):
        fail(where, f"got {show(value)}" + (f", {problem}" if problem else ""), self.must())

    def check(self, value, where, context):
        """``value`` as the record holds it, or a ``SchemaError`` naming ``where``."""
        raise NotImplementedError


def validate(value, constraint: Constraint, where, **context):
    """``value`` checked against ``constraint`` and returned as the record holds it.

    Parameters
    ----------
    value
        What was read (YAML's plain values: texts, numbers, true/false, lists, mappings).
    constraint : Constraint
        Its description, e.g. a record's ``Fields`` table.
    where : str or Path
        The file (a ``Path``: ``file: field``) or the field's path (``"study.yml: robustness"``).
    **context
        What the constraints refer to (``Ref``), e.g. ``conditions=[...]``.

    Returns
    -------
    object
        The checked value; a ``SchemaError`` (one line) names the first problem.

    Examples
    --------
    >>> from analysis.schema import SEED, Fields, Names
    >>> table = Fields({"sets": Names(known=Ref("conditions"), noun="condition"), "seed": SEED}, required=("sets",))
    >>> validate({"sets": ["A"], "seed": 3}, table, "s.yml: multiverse", conditions=["A", "B"])
    {'sets': ['A'], 'seed': 3}
    >>> validate({"sets": ["A", "Z"]}, table, "s.yml: multiverse", conditions=["A", "B"])
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: s.yml: multiverse.sets: unknown condition(s) Z; allowed: A, B
    """
    return constraint.check(value, where, ChainMap(context))




SchemaError.__module__ = "analysis.schema"     # as the messages and doctests name it
