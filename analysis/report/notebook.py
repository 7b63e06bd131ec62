"""What the notebooks display beyond tables and figures: the pandas display options, the notice
on synthetic data, numbered figures and tables with their captions, and short notes as Markdown.

Captions come from the one registry, ``analysis.report.captions`` (the same caption as the
table's LaTeX file).  Numbering is one sequence over a run's notebooks, in reading order:
``display_setup(run, step)`` continues the count after the earlier steps' tables and figures
(each step records what it numbered in ``numbering/NN.json`` of the run's folder), and
``show_table`` writes "Table n." and its caption before a table, ``show_figure`` "Figure n." and
its caption after a figure, so a run reads like a paper.  Tables whose index is pandas' 0..n-1
``RangeIndex`` are shown without it (it means nothing), in HTML and in plain text alike; text
columns are aligned left, numbers right, and nothing that is not a number is shown as "nan".

>>> notes_markdown([])
<IPython.core.display.Markdown object>
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from IPython import get_ipython
from IPython.display import Markdown, display

from .canvas import set_stamp, stamp_for
from .captions import item
from .format import TEXT_DIGITS, is_numeric

__all__ = ["display_setup", "notice", "joint_outcomes_note", "study_overview", "notes_markdown", "markdown_text", "show_table",
           "record_table", "show_figure", "frame_html", "frame_text", "SYNTHETIC_HEADLINE", "NUMBERING"]

SYNTHETIC_HEADLINE = "**SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.**"
NUMBERING = "numbering"        # <run>/numbering/NN.json: what each step numbered

_STATE = {"run": None, "step": None, "start": {"table": 0, "figure": 0}, "items": []}


def _float(v) -> str:
    return f"{v:.{TEXT_DIGITS}f}"


def _plain_index(df) -> bool:
    return isinstance(df.index, pd.RangeIndex) and df.index.name is None and not isinstance(df.columns, pd.MultiIndex)


_CELL = re.compile(r"<(td|th)(\s[^>]*)?>")


def _aligned(html: str, left: list) -> str:
    """The table's cells aligned: text columns left, numbers right (pandas aligns all right)."""
    rows = html.split("<tr")
    for i in range(1, len(rows)):
        j = [-1]

        def align(m):
            j[0] += 1
            side = "left" if j[0] < len(left) and left[j[0]] else "right"
            return f'<{m.group(1)}{m.group(2) or ""} style="text-align: {side};">'
        rows[i] = _CELL.sub(align, rows[i])
    return "<tr".join(rows)


def frame_html(df: pd.DataFrame) -> str:
    """A DataFrame's HTML as the notebooks show it: no index when it is a plain RangeIndex, one
    header row, text columns aligned left and numbers right, nothing shown for a missing value."""
    if not _plain_index(df):
        return df._repr_html_()
    html = df.to_html(index=False, notebook=True, float_format=_float, na_rep="", border=1,
                      max_rows=pd.get_option("display.max_rows"), max_cols=pd.get_option("display.max_columns"))
    return _aligned(html, [not is_numeric(df[c]) for c in df.columns])


def frame_text(df: pd.DataFrame) -> str:
    """A DataFrame's plain text as the notebooks show it: no index when it is a plain RangeIndex."""
    if not _plain_index(df):
        return repr(df)
    return df.to_string(index=False, float_format=_float, na_rep="")


def record_table(record: dict) -> pd.DataFrame:
    """A flat record (e.g. the provenance of the raw data) as a two-column table: item, value."""
    return pd.DataFrame({"item": list(record), "value": [str(v) for v in record.values()]})


def display_setup(run=None, step: int | None = None) -> None:
    """Pandas display options of the notebooks (3 decimals, wide tables, no truncation), tables
    without a meaningless index, the figure and table count continued after the earlier steps of
    ``run`` (``analysis.runs.Run``; ``step``: this notebook's number), and, for a study whose data
    are a synthetic stand-in, the stamp every figure then carries."""
    pd.set_option("display.precision", TEXT_DIGITS)
    pd.set_option("display.float_format", _float)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_rows", None)
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 10000)
    _STATE.update(run=run, step=step, items=[], start=_earlier_counts(run, step))
    set_stamp(stamp_for(run.study) if run is not None else None)
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, frame_html)
    formatters["text/plain"].for_type(pd.DataFrame, lambda df, p, cycle: p.text(frame_text(df)))


def _earlier_counts(run, step) -> dict:
    """The tables and figures the steps before ``step`` of ``run`` numbered."""
    counts = {"table": 0, "figure": 0}
    if run is None or step is None:
        return counts
    for s in range(1, step):
        path = run.path(NUMBERING, f"{s:02d}.json")
        if path.is_file():
            for kind, _, _ in json.loads(path.read_text(encoding="utf-8"))["items"]:
                counts[kind] += 1
    return counts


def _number(kind: str, file: str) -> int:
    """The next number of ``kind`` in this run, recorded with the item's file."""
    n = _STATE["start"][kind] + 1 + sum(1 for k, _, _ in _STATE["items"] if k == kind)
    _STATE["items"].append([kind, n, file])
    run, step = _STATE["run"], _STATE["step"]
    if run is not None and step is not None:
        path = Path(run.out) / NUMBERING / f"{step:02d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"step": step, "items": _STATE["items"]}, indent=1) + "\n", encoding="utf-8")
    return n


def _caption(key: str, fields: dict) -> Markdown:
    it = item(key, **fields)
    return Markdown(f"**{it.kind.capitalize()} {_number(it.kind, it.file)}.** {it.caption}")


def show_table(table, key: str, **fields) -> None:
    """Display "Table n." and the registry's caption of ``key`` (filled in from ``fields``), then
    ``table``."""
    display(_caption(key, fields), table)


def show_figure(fig, key: str, **fields) -> None:
    """Display ``fig``, then "Figure n." and the registry's caption of ``key``."""
    if fig is not None:
        display(fig, _caption(key, fields))


def notice(run):
    """The notice cell: a warning box when the study's data are a synthetic stand-in, and where
    this run writes (``analysis.runs.Run``; a study alone: the notice only)."""
    study = getattr(run, "study", run)
    where = f"\n\n{run.describe()}" if hasattr(run, "describe") else ""
    if study.synthetic:
        return Markdown(f"> {SYNTHETIC_HEADLINE} {study.notice}{where}")
    return Markdown(f"> Data: {' '.join(study.title.split())}.{where}")


def joint_outcomes_note(study):
    """A paragraph on the study's joint outcomes, or nothing for a study without any."""
    if not study.joint:
        return None
    defined = "; ".join(f"`{n}` = `{j.expression}` ({j.label})" for n, j in study.joint.items())
    return Markdown("This study also defines *joint outcomes* (the study file's `joint_outcomes`): set expressions of "
                    "the measured outcomes, " + defined + ". An intersection `Y1*Y2` has membership min(Y1, Y2) "
                    "(Ragin's fuzzy AND), a union `Y1 + Y2` max(Y1, Y2). Their memberships are computed here from the "
                    "calibrated outcomes, stored after them in `tables/calibrated.csv`, and analysed in the later "
                    "steps like any outcome, with their negations.")


def notes_markdown(notes, none: str = "Nothing to note.") -> object:
    """A list of notes (sentences) as a Markdown list; ``none`` when there is none."""
    return Markdown("\n".join(f"- {n}" for n in notes) if notes else none)


def markdown_text(text: str) -> object:
    """Markdown text (e.g. ``findings.md``) for display."""
    return Markdown(text)


def study_overview(study) -> object:
    """The study in a few lines: its title, source, conditions and outcomes with their labels."""
    lines = [f"**{' '.join(study.title.split())}**", ""]
    source = " ".join(str(study.raw.get("source", "")).split()) if study.raw else ""
    if source:
        lines += [source, ""]
    for role, names in (("Conditions", study.conditions), ("Outcomes", study.outcomes)):
        lines.append(f"- {role}: " + "; ".join(f"`{n}` ({study.labels[n]})" for n in names))
    if study.joint:
        lines.append("- Joint outcomes: " + "; ".join(f"`{n}` = `{j.expression}` ({j.label})"
                                                     for n, j in study.joint.items()))
    if study.groups:
        lines.append("- Groups of conditions: " + "; ".join(f"{g}: " + ", ".join(f"`{c}`" for c in members)
                                                          for g, members in study.groups.items()))
    return Markdown("\n".join(lines))
