"""What the notebooks display beyond tables and figures: the pandas display options, the notice
on synthetic data, numbered figures and tables with their captions, and short notes as Markdown.

Numbering: ``display_setup`` starts the count of a notebook; ``show_table`` writes "Table n."
and its caption before a table, ``show_figure`` "Figure n." and its caption after a figure, so a
notebook reads like a paper.  Tables whose index is pandas' 0..n-1 ``RangeIndex`` are shown
without it (it means nothing), in HTML and in plain text alike.

>>> notes_markdown([])
<IPython.core.display.Markdown object>
"""
from __future__ import annotations

import pandas as pd

from .canvas import set_stamp, stamp_for
from .tables import TEXT_DIGITS

__all__ = ["display_setup", "notice", "study_overview", "notes_markdown", "markdown_text", "show_sufficiency",
           "show_configuration_figures", "show_table", "record_table", "show_figure", "show_figures", "frame_html", "frame_text",
           "SYNTHETIC_HEADLINE"]

SYNTHETIC_HEADLINE = "**SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.**"

_COUNT = {"figure": 0, "table": 0}


def _float(v) -> str:
    return f"{v:.{TEXT_DIGITS}f}"


def _plain_index(df) -> bool:
    return isinstance(df.index, pd.RangeIndex) and df.index.name is None and not isinstance(df.columns, pd.MultiIndex)


def frame_html(df: pd.DataFrame) -> str:
    """A DataFrame's HTML as the notebooks show it: no index when it is a plain RangeIndex."""
    if not _plain_index(df):
        return df._repr_html_()
    return df.to_html(index=False, notebook=True, float_format=_float, na_rep="", border=1,
                      max_rows=pd.get_option("display.max_rows"), max_cols=pd.get_option("display.max_columns"))


def frame_text(df: pd.DataFrame) -> str:
    """A DataFrame's plain text as the notebooks show it: no index when it is a plain RangeIndex."""
    if not _plain_index(df):
        return repr(df)
    return df.to_string(index=False, float_format=_float, na_rep="")


def record_table(record: dict) -> pd.DataFrame:
    """A flat record (e.g. the provenance of the raw data) as a two-column table: item, value."""
    return pd.DataFrame({"item": list(record), "value": [str(v) for v in record.values()]})


def display_setup(study=None) -> None:
    """Pandas display options of the notebooks (3 decimals, wide tables, no truncation), tables
    without a meaningless index, the figure and table count started again, and — for a study
    whose data are a synthetic stand-in — the stamp every figure then carries."""
    pd.set_option("display.precision", TEXT_DIGITS)
    pd.set_option("display.float_format", _float)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_rows", None)
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 10000)
    _COUNT.update(figure=0, table=0)
    set_stamp(stamp_for(study) if study is not None else None)
    try:
        from IPython import get_ipython
    except ImportError:                        # pragma: no cover - IPython comes with the notebooks
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, frame_html)
    formatters["text/plain"].for_type(pd.DataFrame, lambda df, p, cycle: p.text(frame_text(df)))


def _caption(kind: str, text: str):
    from IPython.display import Markdown
    _COUNT[kind] += 1
    return Markdown(f"**{kind.capitalize()} {_COUNT[kind]}.** {text}")


def show_table(table, caption: str):
    """Display "Table n. caption", then ``table``; returns nothing (the table is displayed)."""
    from IPython.display import display
    display(_caption("table", caption), table)


def show_figure(fig, caption: str) -> None:
    """Display ``fig``, then "Figure n. caption"."""
    from IPython.display import display
    if fig is not None:
        display(fig, _caption("figure", caption))


def show_figures(figs, captions) -> None:
    """``show_figure`` for each figure and its caption."""
    for fig, text in zip(figs, captions):
        show_figure(fig, text)


def notice(study):
    """The notice cell: a warning box when the study's data are a synthetic stand-in."""
    from IPython.display import Markdown
    if study.synthetic:
        return Markdown(f"> {SYNTHETIC_HEADLINE} {study.notice}")
    return Markdown(f"> Data: {study.title}.")


def notes_markdown(notes, none: str = "Nothing to note.") -> object:
    """A list of notes (sentences) as a Markdown list; ``none`` when there is none."""
    from IPython.display import Markdown
    return Markdown("\n".join(f"- {n}" for n in notes) if notes else none)


def markdown_text(text: str) -> object:
    """Markdown text (e.g. ``findings.md``) for display."""
    from IPython.display import Markdown
    return Markdown(text)


def study_overview(study) -> object:
    """The study in a few lines: its title, source, conditions and outcomes with their labels."""
    from IPython.display import Markdown
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


def show_sufficiency(tables) -> None:
    """Display what ``analysis.report.sufficiency.save_sufficiency`` wrote for one analysis: its
    truth table, every tied model with its fit, the cases of each configuration, and the
    configuration charts as tables, each numbered with its caption."""
    from IPython.display import Markdown, display
    display(Markdown(f"### {tables.label}"))
    show_table(tables.truth_table, f"{tables.label}: truth table (observed rows; OUT = 1 first).")
    show_table(tables.exclusions, f"{tables.label}: rows kept out of the simplifying assumptions by the enhanced "
                                  "standard analysis, and why.")
    show_table(tables.enhanced, f"{tables.label}: the models of the standard and of the enhanced standard analysis.")
    show_table(tables.solutions, f"{tables.label}: every tied model of the complex, parsimonious and intermediate "
                                 "solutions, term by term.")
    show_table(tables.counterfactuals, f"{tables.label}: the remainders the solutions rest on: simplifying assumptions "
                                       "(SA) of each parsimonious model, easy (EC) and difficult (DC) counterfactuals "
                                       "of each intermediate block.")
    show_table(tables.cases, f"{tables.label}: typical and deviant cases of each intermediate configuration.")
    for table in tables.configurations:
        show_table(table, f"{tables.label}: configuration chart ({table.attrs.get('block', '')}, model "
                          f"{table.attrs.get('model', 1)}); ● core present, • peripheral present, ⊗ core absent, "
                          "⊘ peripheral absent, blank: don't care.")


def show_configuration_figures(tables) -> None:
    """Display the configuration chart of each analysis (every tied model side by side), numbered."""
    for t in tables:
        if t.chart is not None:
            show_figure(t.chart, f"{t.label}: configuration chart of the intermediate solution (Fiss 2011 "
                                 "notation: large circles core, small circles peripheral conditions).")
