"""What the notebooks display beyond tables and figures: the pandas display options, the notice
on synthetic data, and short notes as Markdown.

>>> notes_markdown([])
<IPython.core.display.Markdown object>
"""
from __future__ import annotations

import pandas as pd

from .tables import TEXT_DIGITS

__all__ = ["display_setup", "notice", "study_overview", "notes_markdown", "markdown_text", "show_sufficiency",
           "show_configuration_figures", "SYNTHETIC_HEADLINE"]

SYNTHETIC_HEADLINE = "**SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.**"


def display_setup() -> None:
    """Pandas display options of the notebooks: 3 decimals, wide tables, no truncation."""
    pd.set_option("display.precision", TEXT_DIGITS)
    pd.set_option("display.float_format", lambda v: f"{v:.{TEXT_DIGITS}f}")
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.width", 160)


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
    configuration charts as tables."""
    from IPython.display import Markdown, display
    display(Markdown(f"### {tables.label}\n\nTruth table (observed rows; OUT = 1 first):"), tables.truth_table,
            Markdown("Every tied model of the complex, parsimonious and intermediate solutions:"), tables.solutions,
            Markdown("Typical and deviant cases of each intermediate configuration:"), tables.cases)
    for table in tables.configurations:
        display(Markdown(f"Configuration chart ({table.attrs.get('block', '')}, model "
                         f"{table.attrs.get('model', 1)}):"), table)


def show_configuration_figures(tables) -> None:
    """Display the configuration chart of one analysis (every tied model side by side)."""
    from IPython.display import display
    if tables.chart is not None:
        display(tables.chart)
