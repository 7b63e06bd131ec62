"""The page of every study: ``results/index.html``.

One row per study whose folder holds a report: its title, its kind of data (published, or a
synthetic stand-in), the headline of its findings (``findings.json``: how many claims hold at
the defaults and how many of them are robust) and links to its report, ``findings.md`` and
``tables/tables.tex``; runs with changed inputs (``results/ppip-incl_cut=0.85/``) follow in a
list of their own.  The page is written from the folders, not from the run that writes it, so a
run of one study updates its own row and keeps the others as their folders say.  Hidden folders
(a run's work folder) are left out; the same folders give the same bytes.

>>> import tempfile
>>> base = Path(tempfile.mkdtemp())
>>> write_index(base) is None
True
>>> base.rmdir()
"""
from __future__ import annotations

import os
from pathlib import Path

from .html import REPORT, esc, page, read_json, write_text

__all__ = ["INDEX", "index_html", "runs_in", "write_index"]

INDEX = "index.html"
LINKS = (("report", REPORT), ("findings", "findings.md"), ("LaTeX tables", "tables/tables.tex"))


def runs_in(base: Path) -> list:
    """The folders of ``base`` that hold a run's report, by name (hidden folders left out)."""
    base = Path(base)
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / REPORT).is_file())


def _links(base: Path, folder: Path) -> str:
    parts = []
    for label, name in LINKS:
        if (folder / name).is_file():
            href = "/".join(Path(os.path.relpath(folder / name, base)).parts)
            parts.append(f'<a href="{esc(href)}">{esc(label)}</a>')
    return " · ".join(parts)


def _row(base: Path, folder: Path) -> str:
    f = read_json(folder / "findings.json")
    title = " ".join(str(f.get("title") or folder.name).split())
    kind = ('<span class="badge">synthetic stand-in</span>' if f.get("synthetic") is True
            else "published" if f.get("synthetic") is False else "")
    headline = f"{esc(f['headline'])}." if f.get("headline") else "no findings in this folder"
    return (f'<tr><td><code>{esc(folder.name)}</code></td><td>{esc(title)}</td><td>{kind}</td>'
            f'<td class="headline">{headline}</td><td>{_links(base, folder)}</td></tr>\n')


def _table(base: Path, folders: list) -> str:
    rows = "".join(_row(base, f) for f in folders)
    return ('<table class="studies">\n<thead><tr><th>study</th><th>title</th><th>data</th><th>findings</th>'
            f'<th>files</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n')


def index_html(base: Path) -> str | None:
    """The page of every run in ``base`` (``runs_in``); None when there is none."""
    base = Path(base)
    folders = runs_in(base)
    if not folders:
        return None
    studies = [f for f in folders if read_json(f / "findings.json").get("study") == f.name]
    others = [f for f in folders if f not in studies]
    body = ("<h1>The studies of this compendium</h1>\n<p>Each study's report holds its findings, the claims "
            "ledger and every step of the analysis; a synthetic stand-in's results are about the stand-in, not "
            "the article's findings.</p>\n" + (_table(base, studies) if studies else ""))
    if others:
        body += ("<h2>Runs with changed inputs</h2>\n<p>Each folder's name says what it changes "
                 "(<code>--set</code>, <code>--data</code>).</p>\n" + _table(base, others))
    return page("fsQCA compendium: studies", [], body)


def write_index(base: Path) -> Path | None:
    """Write ``<base>/index.html`` (``index_html``); None, writing nothing, when ``base`` holds no
    run with a report."""
    text = index_html(base)
    return None if text is None else write_text(Path(base) / INDEX, text)
