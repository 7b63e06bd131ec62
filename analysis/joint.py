"""Joint outcomes: an outcome defined as a set expression of the measured outcomes.

A study may ask which configurations produce two outcomes *together*, e.g. material and
procedural public value at once.  In fuzzy-set terms that is the intersection of the two sets,
membership ``min(MPV, PPV)`` (Ragin 2008, ch. 2: the fuzzy AND); "either of them" is the union,
``max(MPV, PPV)`` (the fuzzy OR).  A joint outcome is written in the study file as an
expression of the measured outcomes in the set language of ``analysis.qca.expressions``
(``MPV*PPV``, ``MPV + PPV``, ``MPV*~PPV``), with a label and the reason for it::

    joint_outcomes:
      MPV_PPV:
        label: Material and procedural public value together
        expression: MPV*PPV
        reason: the article's claim that both are produced and balanced together

It is then analysed like any measured outcome, with its negation (``notMPV_PPV``, membership
``1 - min(MPV, PPV)``, i.e. ``~MPV + ~PPV`` by De Morgan).  Its membership is computed once,
from the calibrated outcomes, by ``joint_memberships`` in the calibration step, and stored in
``tables/calibrated.csv`` beside them, so that every later step (and R) reads the same numbers.
``JOINT_OUTCOMES`` describes the section in ``analysis.schema``'s terms: a name that can stand for
a set, is no measure's and not ``not`` + an outcome (a negation's name), and the three texts.

>>> import pandas as pd
>>> calibrated = pd.DataFrame({"MPV": [0.9, 0.3], "PPV": [0.7, 0.8]}, index=["a", "b"])
>>> joint = {"BOTH": JointOutcome("BOTH", "both", "MPV*PPV", "together")}
>>> joint_memberships(calibrated, joint)
      BOTH
case      
a      0.7
b      0.3
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .qca import membership, parse
from .schema import SET_NAME, Expression, Fields, MappingOf, Ref, Text, fail, validate

__all__ = ["JointOutcome", "read_joint_outcomes", "joint_memberships", "JOINT_OUTCOMES", "JOINT_KEYS"]


@dataclass(frozen=True)
class JointOutcome:
    """An outcome defined as a set expression of measured outcomes (``MPV*PPV``)."""

    name: str
    label: str
    expression: str
    reason: str

    @property
    def sets(self) -> list:
        """The measured outcomes the expression names."""
        return sorted({name for term in parse(self.expression) for name, _ in term})


def _own_names(joint, where, context):
    """A joint outcome's name is new: not a measure, not the case column, not ``not`` + an outcome
    (the name of that outcome's negation)."""
    outcomes = list(context.get("outcomes") or []) + list(joint)
    for name in joint:
        if name == "case" or name in (context.get("taken") or ()):
            fail(f"{where}.{name}", f"{name!r} is already {'the case column' if name == 'case' else 'a measure'}",
                 "give the joint outcome its own name")
        if name.startswith("not") and name[3:] in outcomes:
            fail(f"{where}.{name}", f"{name!r} is the name of the negation of {name[3:]}",
                 "give the joint outcome a name that does not start with 'not'")


JOINT = Fields({"label": Text(collapse=True),
                "expression": Expression(Ref("outcomes"), noun="measured outcomes"),
                "reason": Text(collapse=True)}, required=("label", "expression", "reason"))
JOINT_KEYS = tuple(JOINT.fields)
JOINT_OUTCOMES = MappingOf(JOINT, keys=SET_NAME, rules=(_own_names,), default={},
                           what="a mapping of names to {label, expression, reason}",
                           into=lambda joint: {str(n): JointOutcome(name=str(n), **spec) for n, spec in joint.items()})


def read_joint_outcomes(value, outcomes, taken, where: str) -> dict:
    """The study file's ``joint_outcomes`` checked: ``{name: JointOutcome}`` in file order.

    ``outcomes``: the measured outcomes an expression may name; ``taken``: names already used
    (measures); ``where`` starts every message (the file and field).

    >>> spec = {"label": "not Y", "expression": "~Y", "reason": "r"}
    >>> read_joint_outcomes({"notY": spec}, ["Y"], ["Y"], "s.yml: joint_outcomes")
    Traceback (most recent call last):
    ...
    analysis.schema.SchemaError: s.yml: joint_outcomes.notY: 'notY' is the name of the negation of Y; give ...
    """
    return {} if value is None else validate(value, JOINT_OUTCOMES, where, outcomes=list(outcomes), taken=list(taken))


def joint_memberships(calibrated: pd.DataFrame, joint: dict) -> pd.DataFrame:
    """Each joint outcome's membership, computed from the calibrated outcomes (one column per
    joint outcome, indexed like ``calibrated``; no column when the study has none)."""
    columns = {name: membership(calibrated, j.expression).to_numpy() for name, j in joint.items()}
    frame = pd.DataFrame(columns, index=calibrated.index, columns=list(joint))
    frame.index.name = calibrated.index.name or "case"
    return frame
