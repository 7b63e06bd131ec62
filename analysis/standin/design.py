"""The data-generating process of a synthetic stand-in, as the study file's ``standin:`` states it.

When a study's case data cannot be published, the compendium ships a *synthetic stand-in*: cases
generated from a process written in the study file, so that every step can run and a reader can
see what the generator builds in (and hence what the analysis of it can and cannot show).  The
section has these keys (``analysis.standin.generate`` follows them step by step):

``seed``            the random seed (the same seed gives a byte-identical CSV);
``case_ids``        ``{prefix: H, digits: 2}``: ids H01, H02, ...;
``configurations``  the latent crisp configurations, each a conjunction naming every condition
                    (``CONTRACT*~NORMS*RISK*KNOW*PUBLIC``) with its number of ``cases`` and an
                    optional ``note``; the cases add up to the size of the case base;
``conditions``      ``{present, absent, sd}``: a case's latent membership in a condition is
                    Normal(present, sd) where its configuration has the condition and
                    Normal(absent, sd) where it lacks it, clipped to [0.02, 0.98];
``outcomes``        for every measured outcome ``{expression, sd}``: its latent membership is
                    the membership in the expression (e.g. ``CONTRACT*RISK + NORMS*KNOW``, the
                    fuzzy AND / OR of the latent conditions) plus Normal(0, sd), clipped;
``indicators``      for every measure ``{decimals, sd, offsets}``: the latent membership is
                    turned into the measure's raw value by running its calibration backwards
                    (``analysis.qca.inverse_calibrate`` with the measure's anchors), and each
                    indicator is that value plus its offset plus Normal(0, sd), clipped to the
                    codebook range and rounded to ``decimals``.

>>> spec = {"seed": 1, "case_ids": {"prefix": "C", "digits": 2},
...         "configurations": [{"configuration": "A*~B", "cases": 2}, {"configuration": "~A*B", "cases": 1}],
...         "conditions": {"present": 0.7, "absent": 0.3, "sd": 0.1},
...         "outcomes": {"Y": {"expression": "A", "sd": 0.05}},
...         "indicators": {m: {"decimals": 1, "sd": 0.2, "offsets": [0.1, -0.1]} for m in "ABY"}}
>>> design = read_design(spec, ["A", "B"], ["Y"], {m: 2 for m in "ABY"}, "study.yml: standin")
>>> design.n_cases, design.case_names()
(3, ['C01', 'C02', 'C03'])
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..qca import QCAError, parse

__all__ = ["Design", "IndicatorSpec", "read_design", "STANDIN_KEYS", "CLIP"]

STANDIN_KEYS = ("seed", "case_ids", "configurations", "conditions", "outcomes", "indicators")
CLIP = (0.02, 0.98)            # latent memberships stay inside (0, 1): their raw values are finite


@dataclass(frozen=True)
class IndicatorSpec:
    """How the indicators of one measure are drawn: reporting decimals, item noise, item offsets."""

    decimals: int
    sd: float
    offsets: tuple


@dataclass(frozen=True)
class Design:
    """A validated ``standin:`` section (see the module docstring)."""

    seed: int
    prefix: str
    digits: int
    configurations: tuple      # ((code as {condition: 0/1}, cases, note), ...)
    present: float
    absent: float
    sd: float
    outcomes: dict             # {outcome: (expression, sd)}
    indicators: dict           # {measure: IndicatorSpec}

    @property
    def n_cases(self) -> int:
        return sum(cases for _, cases, _ in self.configurations)

    def case_names(self) -> list:
        return [f"{self.prefix}{i:0{self.digits}d}" for i in range(1, self.n_cases + 1)]


def _fail(where, msg):
    raise QCAError(f"{where}: {msg}")


def _keys(where, value, needs, may=()):
    if not isinstance(value, dict):
        _fail(where, f"must be a mapping of {', '.join(needs)}")
    missing = [k for k in needs if k not in value]
    unknown = [str(k) for k in value if k not in needs and k not in may]
    if missing or unknown:
        _fail(where, f"needs {', '.join(needs)}; missing: {', '.join(missing) or 'none'}; "
                     f"unknown: {', '.join(unknown) or 'none'}")


def _num(where, value, low=None, high=None, whole=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(where, f"must be a number, got {value!r}")
    if whole and value != int(value):
        _fail(where, f"must be a whole number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        _fail(where, f"must lie in [{low:g}, {high:g}], got {value!r}")
    return int(value) if whole else float(value)


def _configuration(where, text, conditions) -> dict:
    if not isinstance(text, str):
        _fail(where, f"must be a conjunction such as {'*'.join(conditions)}, got {text!r}")
    terms = parse(text, names=list(conditions))
    if len(terms) != 1 or sorted(n for n, _ in terms[0]) != sorted(conditions):
        _fail(where, f"{text!r} must be one conjunction naming every condition once, present or ~absent "
                     f"({', '.join(conditions)})")
    return {name: int(present) for name, present in terms[0]}


def read_design(value, conditions, outcomes, n_indicators: dict, where: str) -> Design:
    """Check a ``standin:`` section: ``conditions`` and ``outcomes`` of the study, and
    ``n_indicators`` (measure -> its number of indicators); ``where`` starts every message."""
    _keys(where, value, STANDIN_KEYS)
    seed = _num(f"{where}.seed", value["seed"], 0, 2**32 - 1, whole=True)
    ids = value["case_ids"]
    _keys(f"{where}.case_ids", ids, ("prefix", "digits"))
    if not isinstance(ids["prefix"], str):
        _fail(f"{where}.case_ids.prefix", f"must be a text, got {ids['prefix']!r}")
    digits = _num(f"{where}.case_ids.digits", ids["digits"], 1, 9, whole=True)
    rows = value["configurations"]
    if not isinstance(rows, list) or not rows:
        _fail(f"{where}.configurations", "must be a non-empty list of {configuration, cases}")
    configurations, seen = [], set()
    for j, row in enumerate(rows):
        at = f"{where}.configurations[{j}]"
        _keys(at, row, ("configuration", "cases"), ("note",))
        code = _configuration(f"{at}.configuration", row["configuration"], conditions)
        key = tuple(code[c] for c in conditions)
        if key in seen:
            _fail(at, f"configuration {row['configuration']} is listed twice; give it one number of cases")
        seen.add(key)
        configurations.append((code, _num(f"{at}.cases", row["cases"], 1, 10**5, whole=True),
                               str(row.get("note", ""))))
    degrees = value["conditions"]
    _keys(f"{where}.conditions", degrees, ("present", "absent", "sd"))
    present, absent = (_num(f"{where}.conditions.{k}", degrees[k], *CLIP) for k in ("present", "absent"))
    if not absent < 0.5 < present:
        _fail(f"{where}.conditions", f"need absent < 0.5 < present, got absent {absent:g}, present {present:g}")
    sd = _num(f"{where}.conditions.sd", degrees["sd"], 0, 1)
    outs = value["outcomes"]
    _keys(f"{where}.outcomes", outs, tuple(outcomes))
    rules = {}
    for y in outcomes:
        _keys(f"{where}.outcomes.{y}", outs[y], ("expression", "sd"))
        expression = outs[y]["expression"]
        try:
            parse(expression, names=list(conditions))
        except QCAError as e:
            _fail(f"{where}.outcomes.{y}.expression", f"{e} (an expression of the conditions)")
        rules[y] = (" ".join(str(expression).split()), _num(f"{where}.outcomes.{y}.sd", outs[y]["sd"], 0, 1))
    items = value["indicators"]
    _keys(f"{where}.indicators", items, tuple(n_indicators))
    specs = {}
    for m, count in n_indicators.items():
        at = f"{where}.indicators.{m}"
        _keys(at, items[m], ("decimals", "sd", "offsets"))
        offsets = items[m]["offsets"]
        if not isinstance(offsets, list) or len(offsets) != count:
            _fail(f"{at}.offsets", f"must list one offset per indicator ({count}), got {offsets!r}")
        specs[m] = IndicatorSpec(decimals=_num(f"{at}.decimals", items[m]["decimals"], 0, 6, whole=True),
                                 sd=_num(f"{at}.sd", items[m]["sd"], 0),
                                 offsets=tuple(_num(f"{at}.offsets", o) for o in offsets))
    return Design(seed=seed, prefix=ids["prefix"], digits=digits, configurations=tuple(configurations),
                  present=present, absent=absent, sd=sd, outcomes=rules, indicators=specs)
