"""The study side's schema: constraint objects, and the one function that checks a value against them.

A study file, its sections and the thresholds of a run are described by tables, one per record, in
the manner of scikit-learn's ``_parameter_constraints``: a table maps each field to a constraint,
such as ``Interval(Real, 0, 1)``, ``Options("condition", "outcome")``, ``Names(known=CONDITIONS)``,
``Expression(CONDITIONS)``, ``ListOf(...)``, ``MappingOf(...)`` or ``Fields({...})`` (a mapping with
known keys: a record).  ``validate(value, constraint, where, **context)`` checks a value once, where
it enters, and returns it as the records hold it (texts stripped, numbers as float or int, ``into``
applied).  What a table cannot say (anchors inside their range, a name used as condition and
outcome) is a small rule next to the table, attached to its record with ``needs``.

``context`` holds what the tables refer to: ``Ref("conditions")`` stands for the study's conditions
(None: not checked); ``With(constraint, key=function)`` derives an entry for one field; a record
with ``context=True`` (the study file itself) lends its checked fields to the fields after them.

Every problem is one line, ``<file>: <field path>: <what is wrong>; <what to do>``, raised as
``SchemaError``: a ``StudyError`` (``analysis.errors``), and a ``QCAError`` for the callers that
catch the engine's exception.

>>> CASES = Fields({"share": Interval(Real, 0, 1, closed="neither"), "leave_one_out": FLAG})
>>> validate({"share": 0.9}, CASES, "s.yml: cases")
{'share': 0.9}
>>> validate({"share": 1.5, "leave_one_out": True}, CASES, "s.yml: cases")
Traceback (most recent call last):
...
analysis.schema.SchemaError: s.yml: cases.share: got 1.5; must lie strictly between 0 and 1
"""
from __future__ import annotations

from numbers import Integral, Real

from .base import Constraint, Ref, SchemaError, child, fail, needs, show, validate
from .records import (AT_LEAST_ONE, DECIMALS, FLAG, NUMBER, SEED, SET_NAME, SHARE, TEXT, Either, Fields, ListOf,
                      MappingOf, With)
from .values import Expression, Interval, Name, Names, Options, SetName, Text

__all__ = ["SchemaError", "validate", "fail", "show", "child", "needs", "Ref", "With", "Constraint", "Interval",
           "Options", "Text", "SetName", "Name", "Names", "Expression", "ListOf", "MappingOf", "Fields",
           "Either", "FLAG", "TEXT", "NUMBER", "SHARE", "SEED", "DECIMALS", "AT_LEAST_ONE", "SET_NAME", "Integral",
           "Real"]
