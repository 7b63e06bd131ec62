"""A new study from one data file: ``python -m analysis.pipeline --new NAME --data FILE.csv
[--outcome Y[,Y2...]] [--conditions A,B,...]``.

``scaffold`` writes ``data/NAME/`` (the studies' folder, ``analysis.pipeline.studies``): a
``study.yml`` whose codebook comes from the file's columns, ``raw/`` with a copy of the file and
its ``SHA256SUMS``, and a ``README.md`` to fill in; ``--study NAME`` then runs it at once.  The
first column names the cases; the outcome is the last column (or ``--outcome``), the conditions
the other columns (or ``--conditions``).  Each set's kind (``analysis.memberships.KINDS``) comes
from its values:

- values all 0 or 1: a crisp set, 1 in the set as coded (``kind: crisp``, threshold 1: R's
  ``calibrate(x, type = "crisp", thresholds = 1)`` gives the column back);
- values all in [0, 1]: memberships already calibrated, a published table's, used exactly as
  given (``kind: calibrated``);
- a condition of whole numbers 0 to m (0 among them), 2 <= m <= 9: a multi-value condition's categories,
  as R's ``truthTable`` reads such a column (``kind: multivalue``, thresholds 1 to m give the
  column back), marked ``proposed`` (``MULTIVALUE``): such a column may as well be a count or a
  score to calibrate (kind direct), so every run warns until it has an ``anchor_reason``;
- any other values: the direct method with anchors *proposed from the data* (``PROPOSAL``: the
  5th and 95th percentiles and the median, the median moved halfway to the next observed value
  when a case lies on it), marked ``proposed`` in the file: anchors are substantive decisions,
  so every run warns (one line) until each such measure has an ``anchor_reason``.

The file says all this in its comments.  Nothing is written unless the whole study passes the
pipeline's own checks of a study and its data (``load_study``, ``load_raw``, ``build_measures``,
``check_measures``, ``calibrate_measures``): it is written into a hidden folder beside its place
(``data/.NAME-new-*``, which no study listing sees) and renamed into place only then.  An
existing study name, a name ``--study`` could not find, a file the pipeline would refuse, or a
column that cannot be a set is refused with one line (``StudyError``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from ..errors import INPUT_ERRORS, StudyError
from ..guard import CHECKSUMS
from ..measures import build_measures, check_measures
from ..memberships import calibrate_measures
from ..qca import MAX_CONDITIONS, is_set_name
from ..qca.csvdata import case_ids, numbers, read_text
from ..qca.truthtable import TABLE_COLUMNS
from ..rawdata import _check_size, load_raw, sha256
from ..studyfile import load_study
from .studies import studies_folder

__all__ = ["MULTIVALUE", "PROPOSAL", "THRESHOLDS", "propose", "scaffold", "new_study"]

MULTIVALUE = "the data's whole numbers 0 to {m}, read as categories as R's truthTable reads them"
PROPOSAL = "the data's 5th and 95th percentiles and median (moved halfway to the next value when a case lies on it)"
THRESHOLDS = {"incl_cut": 0.8, "pri_cut": 0, "n_cut": 1, "necessity_incl": 0.9, "necessity_ron": 0.5}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")      # what --study NAME finds (analysis.pipeline.studies)


def _crossover(x: np.ndarray) -> float:
    """The median, moved halfway to the next observed value above (else below) when a case lies on it."""
    c = float(np.median(x))
    if not (x == c).any():
        return c
    above, below = x[x > c], x[x < c]
    return (c + float(above.min())) / 2 if above.size else (c + float(below.max())) / 2


def propose(x, condition: bool = True) -> dict:
    """The measure fields of one column from its values (module docstring): kind, and the range,
    anchors or thresholds the kind needs; ``condition``: the column is a condition (an outcome is
    never multi-value).

    >>> propose([0, 1, 1, 0])["kind"], propose([0.2, 0.9, 0.5])["kind"]
    ('crisp', 'calibrated')
    >>> p = propose([0, 2, 1, 2, 0])
    >>> p["kind"], p["thresholds"], propose([0, 2, 1, 2, 0], condition=False)["kind"]
    ('multivalue', [1, 2], 'direct')
    >>> p = propose([3.0, 5.0, 7.0, 9.0, 11.0])
    >>> p["kind"], p["anchors"], p["range"]
    ('direct', [3.4, 8.0, 10.6], [3.0, 11.0])
    """
    x = np.asarray(x, dtype=float)
    if np.isin(x, (0.0, 1.0)).all():
        return {"kind": "crisp", "unit": "0/1 as coded in the data", "range": [0, 1], "thresholds": [1],
                "anchor_reason": "The data code the set 0/1: 1 is in the set, as coded."}
    if ((x >= 0) & (x <= 1)).all():
        return {"kind": "calibrated"}
    m = float(x.max())
    if condition and x.min() == 0 and (x == np.floor(x)).all() and 2 <= m <= 9:
        return {"kind": "multivalue", "unit": f"categories 0-{m:g} as coded in the data", "range": [0, int(m)],
                "thresholds": list(range(1, int(m) + 1)), "proposed": MULTIVALUE.format(m=f"{m:g}")}
    lo, hi = float(x.min()), float(x.max())
    exact = (float(np.percentile(x, 5)), _crossover(x), float(np.percentile(x, 95)))
    tidy = tuple(min(max(float(f"{v:.10g}"), lo), hi) for v in exact)     # 12.05, not 12.049999999999999
    e, c, i = tidy if not (x == tidy[1]).any() else exact
    e, i = (e if e < c else lo), (i if c < i else hi)
    return {"kind": "direct", "unit": "as in the data file (write the unit)", "range": [lo, hi],
            "anchors": [e, c, i], "proposed": PROPOSAL}


# --------------------------------------------------------------------------- what the file holds

def _names(text, what: str, columns: list, path) -> list:
    names = [n.strip() for n in str(text).split(",") if n.strip()]
    unknown = [n for n in names if n not in columns]
    if not names or unknown:
        raise StudyError(f"--{what} {text}: " + (f"{', '.join(map(repr, unknown))} not a column of {path}" if unknown
                                                 else "names no column") + f" (columns: {', '.join(columns)})")
    if len(set(names)) != len(names):
        raise StudyError(f"--{what} {text}: names a column twice")
    return names


def _roles(columns: list, outcome, conditions, path) -> tuple:
    """(conditions, outcomes) from the options, or the last column as outcome and the rest as conditions."""
    outcomes = _names(outcome, "outcome", columns, path) if outcome else columns[-1:]
    chosen = _names(conditions, "conditions", columns, path) if conditions else [c for c in columns
                                                                                if c not in outcomes]
    both = [c for c in chosen if c in outcomes]
    if both:
        raise StudyError(f"--conditions and --outcome both name {', '.join(both)}; give each column one role")
    if not chosen:
        raise StudyError(f"{path}: no column left for the conditions (outcome {', '.join(outcomes)}); name them with "
                         "--conditions")
    if len(chosen) > MAX_CONDITIONS:
        raise StudyError(f"{path}: {len(chosen)} conditions; the exact engine handles at most {MAX_CONDITIONS}: name "
                         "the ones to analyse with --conditions")
    for name in chosen + outcomes:
        if not is_set_name(name) or name == "case" or (name in TABLE_COLUMNS and name in chosen):
            raise StudyError(f"{path}: column {name!r} cannot name a set (letters, digits, '_' and '.', starting with "
                             f"a letter; not 'case' nor a truth table column): rename it in the file")
    return chosen, outcomes


def _read(path: Path):
    """(case column, {column: values}) of the data file, refused as the pipeline refuses it."""
    _check_size(path)
    frame = read_text(path, "data file")
    case = frame.columns[0]
    frame.index = case_ids(frame, case, path)
    values = numbers(frame, list(frame.columns[1:]), path)
    missing = values.columns[values.isna().any().to_numpy()]
    if len(missing):
        raise StudyError(f"{path}: missing values in column(s) {', '.join(missing)}; fill them or remove the cases "
                         "(nothing is dropped silently)")
    if not np.isfinite(values.to_numpy()).all():
        raise StudyError(f"{path}: a value is infinite; give finite numbers")
    if values.shape[1] < 2:
        raise StudyError(f"{path}: needs the case column and at least two columns (a condition and an outcome)")
    return case, {c: values[c].to_numpy() for c in values.columns}


def _yaml(value) -> str:
    """A value in YAML flow style (JSON is YAML): texts quoted, numbers as Python writes them,
    with a decimal point before an exponent (``1.0e+308``: YAML 1.1, which the loader reads,
    takes ``1e+308`` for a text).

    >>> _yaml(["a", 1, 0.5, 1e308, 2.5e-07])
    '["a", 1, 0.5, 1.0e+308, 2.5e-07]'
    """
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(_yaml, value)) + "]"
    if isinstance(value, float):
        text = repr(value)
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    return json.dumps(value, ensure_ascii=False)


def _measure_text(name: str, role: str, fields: dict) -> str:
    lines = [f"  {_yaml(name)}:", f"    label: {_yaml(name + ' (write what the set means)')}", f"    role: {role}",
             f"    indicators: [{_yaml(name)}]", f"    kind: {fields['kind']}"]
    for key in ("unit", "range", "anchors", "thresholds"):
        if key in fields:
            lines.append(f"    {key}: {_yaml(fields[key])}")
    if "proposed" in fields:
        lines.append(f"    proposed: {_yaml(fields['proposed'])}   # NO REASON YET: give anchor_reason")
        lines.append("    # anchor_reason: why these anchors (they are substantive decisions; the run warns until given)")
    elif "anchor_reason" in fields:
        lines.append(f"    anchor_reason: {_yaml(fields['anchor_reason'])}")
    return "\n".join(lines)


HEADER = """\
# Study {name}: made by `python -m analysis.pipeline --new {name} --data {file}` from the columns
# of {file} ({n} cases). A first draft for you to check and complete; README.md's "Study file
# reference" explains every key. What the scaffold decided, and how:
# - the cases are named by the first column, {case};
# - the outcome{s} {outcomes} ({why_outcome}); the conditions {conditions} ({why_conditions});
# - each set's kind comes from its values:
#   - values all 0 or 1: kind crisp, threshold 1 (R's calibrate(x, type = "crisp", thresholds = 1)):
#     1 is in the set, as coded;
#   - values all in [0, 1]: kind calibrated: memberships already calibrated (a published table),
#     used exactly as given (checked in [0, 1]; neither recalibrated nor rounded);
#   - any other values: kind direct (R's calibrate(x, type = "fuzzy")) with anchors PROPOSED FROM
#     THE DATA: exclusion and inclusion at the 5th and 95th percentiles, the crossover at the
#     median (moved halfway to the next observed value when a case lies on it, so that none does).
#     Such anchors describe this sample, not the concept: each measure marked `proposed` needs
#     its substantive anchors and an anchor_reason, and every run warns (one line) until each has
#     one. As in R, anchors may lie outside the observed values, and a case exactly on a
#     crossover gets membership 0.5, R's warning, and belongs to no truth-table row;
#   - a condition of whole numbers 0 to m (2 <= m <= 9): kind multivalue, thresholds 1 to m, the
#     categories as coded, as R's truthTable reads such a column; PROPOSED too (it may be a count
#     or score to calibrate instead, kind direct): give it an anchor_reason once you have decided;
#   - other kinds you may give a set: multivalue (thresholds: [t1, t2, ...]: categories 0..k-1),
#     indirect (thresholds: [...]; model: fractional_polynomial, R's QCA, or binomial, SetMethods);
# - thresholds: incl_cut 0.8, a common first choice, and R's defaults pri_cut 0 and n_cut 1: decide them;
# - the enhanced standard analysis is off, so that the solutions are those R's minimize() finds by
#   default; turn it on (esa:) when you have reasons to keep remainders out.
"""


def study_text(name: str, file: str, case: str, n: int, roles: tuple, fields: dict, given: tuple) -> str:
    """The study file: the header's comments, then the keys (``load_study`` reads it back)."""
    conditions, outcomes = roles
    text = HEADER.format(name=name, file=file, n=n, case=case, s="s" if len(outcomes) > 1 else "",
                         outcomes=", ".join(outcomes), conditions=", ".join(conditions),
                         why_outcome="--outcome" if given[0] else "the last column",
                         why_conditions="--conditions" if given[1] else "the other columns")
    keys = [f"name: {_yaml(name)}", f"title: {_yaml(name + ': write the study title')}", "synthetic: false",
            f"data: {_yaml('raw/' + file)}", f"case_id: {_yaml(case)}", "", "measures:"]
    keys += [_measure_text(c, "condition", fields[c]) for c in conditions]
    keys += [_measure_text(c, "outcome", fields[c]) for c in outcomes]
    keys += ["", f"conditions: {_yaml(conditions)}", f"outcomes: {_yaml(outcomes)}", "",
             "thresholds: " + _yaml(THRESHOLDS).replace('"', ""), "",
             "esa:", "  apply: false",
             '  reason: "The scaffold\'s default: the standard analysis, as R\'s minimize() by default."', "",
             "# one specification per choice; add anchor_shifts, cases and conditions (README: multiverse)",
             "multiverse:", "  incl_cut: [0.75, 0.8, 0.85]", ""]
    return text + "\n".join(keys)


def readme_text(name: str, file: str, digest: str, n: int, roles: tuple, fields: dict) -> str:
    rows = [f"| `{c}` | {'condition' if c in roles[0] else 'outcome'} | {fields[c]['kind']}"
            + (" (anchors proposed from the data: give them a reason)" if "proposed" in fields[c] else "") + " |"
            for c in roles[0] + roles[1]]
    return "\n".join([
        f"# {name}", "",
        f"Made by `python -m analysis.pipeline --new {name} --data {file}`: write here where the data come from "
        "(the source, its licence), what each set means and why its calibration is what `study.yml` says.", "",
        f"- data: `raw/{file}`, {n} cases, SHA-256 `{digest}` (recorded in `raw/{CHECKSUMS}`, checked at every run);",
        f"- run it: `python -m analysis.pipeline --study {name}` (results in `results/{name}/`).", "",
        "| set | role | kind |", "|---|---|---|", *rows, ""])


# --------------------------------------------------------------------------- writing

def _check_name(name: str, folder: Path) -> Path:
    if not _NAME.fullmatch(name) or name.endswith((".yml", ".yaml")):
        raise StudyError(f"--new {name!r}: not a plain study name; use letters, digits, '-', '_' and '.', starting "
                         "with a letter or digit (at most 100 characters)")
    place = folder / name
    if place.exists() or place.is_symlink():
        raise StudyError(f"--new {name}: {place} exists; choose another name (nothing was written)")
    return place


def _validate(study_path: Path) -> list:
    """The pipeline's checks of a study and its data; the warnings they give, one line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study = load_study(study_path)
        measures = build_measures(study, load_raw(study))
        check_measures(study, measures)
        calibrate_measures(measures, study.calibrations, study.strict, study.name, study.calibration)
    return [" ".join(str(w.message).split()) for w in caught]


def scaffold(name: str, data, outcome=None, conditions=None, folder=None) -> tuple:
    """Write the study ``name`` from the data file ``data`` (module docstring) into ``folder``
    (default: ``studies_folder()``); return (its study file, the checks' warnings).

    Raises ``StudyError`` (one line) and writes nothing when the name is taken or not plain, or the
    file, a column or the options cannot make a study.
    """
    folder = Path(folder) if folder is not None else studies_folder()
    place = _check_name(str(name), folder)
    path = Path(data).resolve()
    case, columns = _read(path)
    roles = _roles(list(columns), outcome, conditions, path)
    constant = [c for c in roles[0] + roles[1] if np.ptp(columns[c]) == 0]
    if constant:
        raise StudyError(f"{path}: column {constant[0]} is constant (every case has {columns[constant[0]][0]:g}): a "
                         "set without variation cannot distinguish cases; leave it out (--conditions, --outcome)")
    fields = {c: propose(columns[c], c in roles[0]) for c in roles[0] + roles[1]}
    work = Path(tempfile.mkdtemp(prefix=f".{name}-new-", dir=folder))
    try:
        (work / "raw").mkdir()
        shutil.copyfile(path, work / "raw" / path.name)
        digest = sha256(work / "raw" / path.name)
        (work / "raw" / CHECKSUMS).write_text(f"{digest}  {path.name}\n", encoding="utf-8")
        n = len(next(iter(columns.values())))
        (work / "study.yml").write_text(study_text(name, path.name, case, n, roles, fields,
                                                   (bool(outcome), bool(conditions))), encoding="utf-8")
        (work / "README.md").write_text(readme_text(name, path.name, digest, n, roles, fields), encoding="utf-8")
        try:
            notes = _validate(work / "study.yml")
        except INPUT_ERRORS as exc:
            raise StudyError(str(exc).replace(str(work), str(place)) + " (nothing was written)") from None
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(work, 0o777 & ~mask)                 # mkdtemp made it private; a study folder is not
        os.rename(work, place)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return place / "study.yml", [w.replace(str(work), str(place)) for w in notes]


def new_study(ns, log=None) -> int:
    """The command line's ``--new NAME --data FILE [--outcome ...] [--conditions ...]``: the study
    written, its checks' warnings and what to run next on ``log``; ``StudyError`` for an option
    that does not go with ``--new``."""
    if ns.new is None:
        raise StudyError("--outcome and --conditions go with --new NAME (making a study); a study's own are in its "
                         "study file")
    clash = [o for o, v in (("--study", ns.study), ("--set", ns.sets), ("--out", ns.out),
                            ("--record-checksums", ns.record_checksums)) if v]
    if clash:
        raise StudyError(f"--new makes a study and does not run it: leave out {', '.join(clash)}, then run it with "
                         f"--study {ns.new}")
    if not ns.data:
        raise StudyError(f"--new {ns.new}: give the data file with --data FILE.csv (first column: the cases)")
    log = log or sys.stderr
    try:
        path, notes = scaffold(ns.new, ns.data, ns.outcome, ns.conditions)
    except OSError as e:
        raise StudyError(f"--new {ns.new}: {e.filename or ''}: {e.strerror or e}; nothing was written") from None
    for note in notes:
        print(f"warning: {note}", file=log)
    study = load_study(path)
    kinds = ", ".join(f"{n} {c.kind}" for n, c in study.calibrations.items())
    print(f"study {study.name} written to {path.parent}: study.yml ({kinds}), raw/ with its {CHECKSUMS}, README.md; "
          f"run it with: python -m analysis.pipeline --study {study.name}", file=log)
    return 0
