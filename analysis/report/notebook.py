"""What the notebooks display beyond tables and figures: the pandas display options, the notice
on synthetic data, numbered figures and tables with their captions, and short notes as Markdown.

Captions come from the one registry, ``analysis.report.captions`` (the same caption as the
table's LaTeX file).  Numbering is one sequence over a run's notebooks, in reading order:
``display_setup(run, step)`` continues the count after the earlier steps' tables and figures
(each step records what it numbered in ``numbering/NN.json`` of the run's folder), and
``show_table`` writes "Table n." and its caption before a table, ``show_figure`` "Figure n." and
its caption after a figure, so a run reads like a paper; the LaTeX file of a numbered table is
given the same number (``analysis.report.latex.set_number``), and ``report_numbers`` reads a
run's numbers back (for the report and ``tables/tables.tex``; ``analysis.report.numbering``).  Every table is shown
(``analysis.report.frames``) with one header row: pandas' 0..n-1 ``RangeIndex`` is left out (it means nothing), any other index
becomes the first column, a column index's name is dropped and column levels are joined, in
HTML and in plain text alike; text columns are aligned left, numbers right, and a missing value
is blank (never "nan" or "<NA>").  The engine's solutions are shown as R prints them, identical
intermediate blocks merged ("From C1P1, C1P2").

>>> notes_markdown([])
<IPython.core.display.Markdown object>
"""
from __future__ import annotations

import json
from html import escape as html_escape
from pathlib import Path

import pandas as pd
from IPython import get_ipython
from IPython.display import Markdown, display

from ..qca import Solution, Solutions, TruthTable
from ..qca.models import merged_repr
from .canvas import set_stamp, stamp_for
from .captions import item
from .format import TEXT_DIGITS
from .frames import _Shown, _pretty_frame, frame_html, frame_text
from .latex import set_number
from .numbering import NUMBERING, SYNTHETIC_HEADLINE, report_numbers

__all__ = ["display_setup", "notice", "joint_outcomes_note", "esa_note", "when", "study_overview", "notes_markdown", "markdown_text", "show_table",
           "record_table", "show_figure", "frame_html", "frame_text", "solutions_html", "truth_table_html",
           "report_numbers",
           "SYNTHETIC_HEADLINE", "NUMBERING"]


_STATE = {"run": None, "step": None, "start": {"table": 0, "figure": 0}, "items": []}


def _float(v) -> str:
    return f"{v:.{TEXT_DIGITS}f}"


def _blocks(sols) -> list:
    """``(heading, block)`` of every block of a ``Solutions`` (identical intermediate blocks
    merged, as R prints them) or of one ``Solution``."""
    if isinstance(sols, Solution):
        return [(repr(sols), sols)]
    groups = [((), sols.complex), ((), sols.parsimonious)] + sols.intermediate_groups()
    return [(merged_repr(labels, b) if labels else repr(b), b) for labels, b in groups]


def solutions_html(sols) -> str:
    """The engine's solutions (``Solutions`` or one ``Solution``) as the notebooks show them:
    each block's models, then its fit table (no covU on a model's row, as R)."""
    parts = []
    for heading, block in _blocks(sols):
        parts.append(f"<pre>{html_escape(heading)}</pre>")
        if not block.undefined:
            parts.append(frame_html(block.fit_table().drop(columns=["block"])))
    return "\n".join(parts)


def truth_table_html(tt: TruthTable) -> str:
    """A truth table as the notebooks show it: its cut-offs, then its rows as any table (one
    header row, ``row`` the first column, text left and numbers right).

    >>> from analysis.qca import truth_table
    >>> data = pd.DataFrame({"A": [0.9, 0.2], "Y": [0.8, 0.1]}, index=["c1", "c2"])
    >>> page = truth_table_html(truth_table(data, "Y", ["A"], incl_cut=0.8))
    >>> page.count("<tr"), '<th style="text-align: left;">row</th>' in page
    (3, True)
    >>> '<td style="text-align: right;">0.818</td>' in page
    True
    """
    shown = tt.table.drop(columns=["code"]).copy()
    for col in ("cases", "DCC"):
        shown[col] = shown[col].map(lambda cs: ", ".join(cs))
    return (f"<p><b>Truth table</b>: outcome {html_escape(tt.outcome_label)}; incl_cut={tt.cut_text()}, "
            f"pri_cut={tt.pri_cut:g}, n_cut={tt.n_cut}</p>\n" + frame_html(shown))


def _solutions_text(sols) -> str:
    return "\n\n".join(heading + ("" if block.undefined else "\n" + frame_text(
        block.fit_table().drop(columns=["block"]))) for heading, block in _blocks(sols))


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
    _record()                      # this step's numbering starts empty: a rerun leaves no stale items
    set_stamp(stamp_for(run.study) if run is not None else None)
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, frame_html)
    formatters["text/plain"].for_type(pd.DataFrame, _pretty_frame)
    formatters["text/html"].for_type(TruthTable, truth_table_html)
    for kind in (Solutions, Solution):
        formatters["text/html"].for_type(kind, solutions_html)
        formatters["text/plain"].for_type(kind, lambda s, p, cycle: p.text(_solutions_text(s)))


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


def _record() -> None:
    """Write what this step numbered so far to ``numbering/NN.json`` of the run's folder."""
    run, step = _STATE["run"], _STATE["step"]
    if run is not None and step is not None:
        path = Path(run.out) / NUMBERING / f"{step:02d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"step": step, "items": _STATE["items"]}, indent=1) + "\n", encoding="utf-8")


def _number(kind: str, file: str) -> int:
    """The next number of ``kind`` in this run, recorded with the item's file; a numbered table's
    LaTeX file carries the number too."""
    n = _STATE["start"][kind] + 1 + sum(1 for k, _, _ in _STATE["items"] if k == kind)
    _STATE["items"].append([kind, n, file])
    _record()
    tex = Path(_STATE["run"].out) / "tables" / f"{file}.tex" if _STATE["run"] is not None and file else None
    if kind == "table" and tex is not None and tex.is_file():
        set_number(tex, n)
    return n


def _caption(key: str, fields: dict) -> Markdown:
    it = item(key, **fields)
    return Markdown(f"**{it.kind.capitalize()} {_number(it.kind, it.file)}.** {it.caption}")


def show_table(table, key: str, **fields) -> None:
    """Display "Table n." and the registry's caption of ``key`` (filled in from ``fields``), then
    ``table`` (a DataFrame in the notebooks' form: its HTML and text made from one formatting)."""
    display(_caption(key, fields), _Shown(table) if _ours(table) else table)


def _ours(table) -> bool:
    """Whether ``table`` is a DataFrame that this shell shows with ``frame_html`` and ``frame_text``."""
    shell = get_ipython()
    if shell is None or not isinstance(table, pd.DataFrame):
        return False
    formatters = shell.display_formatter.formatters
    return formatters["text/html"].type_printers.get(pd.DataFrame) is frame_html and \
        formatters["text/plain"].type_printers.get(pd.DataFrame) is _pretty_frame


def show_figure(fig, key: str, **fields) -> None:
    """Display ``fig``, then "Figure n." and the registry's caption of ``key``."""
    if fig is not None:
        display(fig, _caption(key, fields))


def notice(run):
    """The notice cell: a warning box when the study's data are a synthetic stand-in, and where
    this run writes (``analysis.runs.Run``; a study alone: the notice only)."""
    study = getattr(run, "study", run)
    where = f"\n\n{_where(run)}" if hasattr(run, "describe") else ""
    if study.synthetic:
        return Markdown(f"> {SYNTHETIC_HEADLINE} {study.notice}{where}")
    return Markdown(f"> Data: {' '.join(study.title.split())}.{where}")


def _where(run) -> str:
    """Where the run writes; a hidden folder (the pipeline's work folder, e.g. ``results/.ppip.tmp-...``)
    is not named: its name is random and the pipeline moves it into place when every step has run."""
    if Path(run.out).name.startswith("."):
        return "This run writes to a work folder that the pipeline moves into place when every step has succeeded."
    return run.describe()


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


ESA_METHOD = (
    "Before minimising, the remainders that would make untenable assumptions are kept out of the simplifying "
    "assumptions (Schneider & Wagemann 2012, ch. 8.2; 2013): the remainders without a condition that is necessary for "
    "the outcome (step 3: inclN ≥ `necessity_incl` and RoN ≥ `necessity_ron`, unless the study file names the "
    "necessary conditions), the untenable remainders the study file names with their reasons, the contradictory "
    "simplifying assumptions (CSA: remainders the parsimonious solutions of the outcome and of its negation would "
    "both use; R's `findRows(tt, type = 2)`) and the simultaneous subset relations (SSR: rows consistent for both; "
    "type 3). `esa` (SetMethods' `esa`) lists them with their reasons, and `solve(..., exclude = ...)` is R's "
    "`minimize(..., exclude = ...)`. What the study file decides: ")


def esa_note(study) -> object:
    """What the study does about the enhanced standard analysis: the method and the study file's
    choices when it applies it, only the reason when the study file turns it off."""
    if not study.esa.applies:
        return Markdown(study.esa.describe())
    return Markdown(ESA_METHOD + study.esa.describe())


def when(condition, text: str) -> object:
    """``text`` (Markdown) when ``condition`` holds, i.e. the study uses the feature it is about;
    nothing otherwise, so that no report explains what its study does not do."""
    return Markdown(text) if condition else None


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
