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
``seed_choice``     (optional) how the seed was chosen, when it was: ``{tried: [1, 60], passed:
                    10, reason: ...}``: the seeds tried, how many of them give data on which every
                    claim judged at the study's settings holds (``python -m analysis.standin
                    --seeds 1-60`` recounts them), and why this seed; the findings report it;
``indicators``      for every measure ``{decimals, sd, offsets}``: the latent membership is
                    turned into the measure's raw value by running its calibration backwards
                    (``analysis.qca.inverse_calibrate`` with the measure's anchors), and each
                    indicator is that value plus its offset plus Normal(0, sd), clipped to the
                    codebook range and rounded to ``decimals``.

``STANDIN`` is this description in ``analysis.schema``'s terms, checked once by ``read_design``.

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

from dataclasses import dataclass

from ..qca import QCAError, parse
from ..schema import (NUMBER, SEED, SHARE, Constraint, Expression, Fields, Integral, Interval, ListOf, MappingOf, Name,
                      Real, Ref, Text, fail, needs, validate)

__all__ = ["Design", "IndicatorSpec", "SeedChoice", "read_design", "STANDIN", "STANDIN_KEYS", "CLIP"]

CLIP = (0.02, 0.98)            # latent memberships stay inside (0, 1): their raw values are finite


@dataclass(frozen=True)
class IndicatorSpec:
    """How the indicators of one measure are drawn: reporting decimals, item noise, item offsets."""

    decimals: int
    sd: float
    offsets: tuple


@dataclass(frozen=True)
class SeedChoice:
    """How a stand-in's seed was chosen: the seeds tried (first, last), how many passed, why."""

    first: int
    last: int
    passed: int
    reason: str

    def describe(self, seed: int) -> str:
        """One sentence for the findings, the README and the report."""
        return (f"Seeds tried: {self.first}–{self.last}; on {self.passed} of these {self.last - self.first + 1} "
                f"every claim judged at the study's settings holds (`python -m analysis.standin --seeds "
                f"{self.first}-{self.last}` recounts them); the stand-in's seed is {seed}. {self.reason}")


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
    seed_choice: SeedChoice = None   # how the seed was chosen (None: not chosen among others)

    @property
    def n_cases(self) -> int:
        return sum(cases for _, cases, _ in self.configurations)

    def case_names(self) -> list:
        return [f"{self.prefix}{i:0{self.digits}d}" for i in range(1, self.n_cases + 1)]


class Configuration(Constraint):
    """A conjunction naming every condition once, present or ~absent: its code {condition: 0/1}."""

    def check(self, value, where, context):
        conditions = context["conditions"]
        todo = f"name every condition once, present or ~absent, e.g. {'*'.join(conditions)}"
        try:
            terms = parse(value, names=list(conditions)) if isinstance(value, str) else None
        except QCAError as e:
            fail(where, str(e), todo)
        if not terms or len(terms) != 1 or sorted(n for n, _ in terms[0]) != sorted(conditions):
            fail(where, f"got {value!r}, not one conjunction naming every condition", todo)
        return {name: int(present) for name, present in terms[0]}


def _once(rows, where, context):
    seen = set()
    for j, row in enumerate(rows):
        code = row["configuration"]
        key = tuple(code[c] for c in context["conditions"])
        if key in seen:
            text = "*".join(("" if code[c] else "~") + c for c in context["conditions"])
            fail(f"{where}[{j}]", f"configuration {text} is listed twice", "give it one number of cases")
        seen.add(key)


@needs("present", "absent")
def _around_half(degrees, where, context):
    if not degrees["absent"] < 0.5 < degrees["present"]:
        fail(where, f"absent {degrees['absent']:g} and present {degrees['present']:g} do not lie either side of 0.5",
             "need absent < 0.5 < present")


def _one_offset_each(items, where, context):
    for m, spec in items.items():
        count = context["n_indicators"][m]
        if len(spec.offsets) != count:
            fail(f"{where}.{m}.offsets", f"got {list(spec.offsets)!r}", f"must list one offset per indicator ({count})")


def _first_not_after_last(choice, where, context):
    first, last = choice["tried"]
    if first > last:
        fail(f"{where}.tried", f"first seed {first} is after the last {last}", "give [first, last]")


LATENT = Interval(Real, *CLIP)
SEED_CHOICE = Fields({"tried": ListOf(SEED, length=2, what="[first, last]: the seeds tried"),
                      "passed": Interval(Integral, 0), "reason": Text(collapse=True)},
                     required=("tried", "passed", "reason"), rules=(_first_not_after_last,),
                     into=lambda c: SeedChoice(first=c["tried"][0], last=c["tried"][1], passed=c["passed"],
                                               reason=c["reason"]))
STANDIN = Fields({
    "seed": SEED,
    "seed_choice": SEED_CHOICE,
    "case_ids": Fields({"prefix": Text(empty=True, strip=False), "digits": Interval(Integral, 1, 9)},
                       required=("prefix", "digits")),
    "configurations": ListOf(Fields({"configuration": Configuration(what="a conjunction of every condition"),
                                     "cases": Interval(Integral, 1, 10 ** 5), "note": Text(empty=True, strip=False)},
                                    required=("configuration", "cases")),
                             non_empty=True, rules=(_once,), into=lambda rows: tuple(
                                 (r["configuration"], r["cases"], r.get("note", "")) for r in rows)),
    "conditions": Fields({"present": LATENT, "absent": LATENT, "sd": SHARE}, required=("present", "absent", "sd"),
                         rules=(_around_half,)),
    "outcomes": MappingOf(Fields({"expression": Expression(Ref("conditions")), "sd": SHARE},
                                 required=("expression", "sd"), into=lambda o: (o["expression"], o["sd"])),
                          keys=Name(known=Ref("outcomes"), noun="outcome"), complete=True),
    "indicators": MappingOf(Fields({"decimals": Interval(Integral, 0, 6), "sd": Interval(Real, 0),
                                    "offsets": ListOf(NUMBER, into=tuple)}, required=("decimals", "sd", "offsets"),
                                   into=lambda i: IndicatorSpec(**i)),
                            keys=Name(known=Ref("n_indicators"), noun="measure"), complete=True,
                            rules=(_one_offset_each,)),
}, required=("seed", "case_ids", "configurations", "conditions", "outcomes", "indicators"),
    into=lambda d: Design(seed=d["seed"], prefix=d["case_ids"]["prefix"], digits=d["case_ids"]["digits"],
                          configurations=d["configurations"], present=d["conditions"]["present"],
                          absent=d["conditions"]["absent"], sd=d["conditions"]["sd"], outcomes=d["outcomes"],
                          indicators=d["indicators"], seed_choice=d.get("seed_choice")))
STANDIN_KEYS = tuple(STANDIN.fields)


def read_design(value, conditions, outcomes, n_indicators: dict, where: str) -> Design:
    """Check a ``standin:`` section: ``conditions`` and ``outcomes`` of the study, and
    ``n_indicators`` (measure -> its number of indicators); ``where`` starts every message."""
    return validate(value, STANDIN, where, conditions=list(conditions), outcomes=list(outcomes),
                    n_indicators=dict(n_indicators))
