"""Joint outcomes: an outcome defined as a set expression of the measured outcomes.

A study may ask which configurations produce two outcomes *together*, e.g. material and
procedural public value at once.  In fuzzy-set terms that is the intersection of the two sets,
membership ``min(MPV, PPV)`` (Ragin 2008, ch. 2: the fuzzy AND); "either of them" is the union,
``max(MPV, PPV)`` (the fuzzy OR).  A joint outcome is written in the study file as an
expression of the measured outcomes in the set language of ``analysis.qca.sets``
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

from .qca import QCAError, is_set_name, membership, parse

__all__ = ["JointOutcome", "read_joint_outcomes", "joint_memberships", "JOINT_KEYS"]

JOINT_KEYS = ("label", "expression", "reason")


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


def read_joint_outcomes(value, outcomes, taken, where: str) -> dict:
    """The study file's ``joint_outcomes`` checked: ``{name: JointOutcome}`` in file order.

    ``outcomes``: the measured outcomes an expression may name; ``taken``: names already used
    (measures); ``where`` starts every message (the file and field).
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise QCAError(f"{where}: must map names to {{label, expression, reason}}")
    out = {}
    for name, spec in value.items():
        at = f"{where}.{name}"
        if not is_set_name(name) or name == "case":
            raise QCAError(f"{at}: {name!r} cannot name a set in an expression: use letters, digits, '_' and '.', "
                           "starting with a letter")
        if name in taken:
            raise QCAError(f"{at}: {name!r} is already a measure; give the joint outcome its own name")
        if not isinstance(spec, dict):
            raise QCAError(f"{at}: must be a mapping of {', '.join(JOINT_KEYS)}")
        unknown = [str(k) for k in spec if k not in JOINT_KEYS]
        missing = [k for k in JOINT_KEYS if k not in spec]
        if unknown or missing:
            raise QCAError(f"{at}: needs {', '.join(JOINT_KEYS)}; missing: {', '.join(missing) or 'none'}; "
                           f"unknown: {', '.join(unknown) or 'none'}")
        texts = {}
        for key in JOINT_KEYS:
            if not isinstance(spec[key], str) or not spec[key].strip():
                raise QCAError(f"{at}.{key}: must be a non-empty text, got {spec[key]!r}")
            texts[key] = " ".join(spec[key].split())
        try:
            parse(texts["expression"], names=list(outcomes))
        except QCAError as e:
            raise QCAError(f"{at}.expression: {e} (a joint outcome combines the measured outcomes "
                           f"{', '.join(outcomes)})") from None
        out[str(name)] = JointOutcome(name=str(name), **texts)
    return out


def joint_memberships(calibrated: pd.DataFrame, joint: dict) -> pd.DataFrame:
    """Each joint outcome's membership, computed from the calibrated outcomes (one column per
    joint outcome, indexed like ``calibrated``; no column when the study has none)."""
    columns = {name: membership(calibrated, j.expression).to_numpy() for name, j in joint.items()}
    frame = pd.DataFrame(columns, index=calibrated.index, columns=list(joint))
    frame.index.name = calibrated.index.name or "case"
    return frame
