"""The compendium's report: one self-contained HTML page of a run (``<out>/report.html``).

In order: the study's title and, for a synthetic stand-in, a notice no reader can miss; the
findings (``findings.md``: first the headline and how far each claim holds: its status at the
study's settings, its shares in the robustness tests and the multiverse, its verdict); the claims
ledger with the evidence; the combined configuration chart
(``figures/configurations.png``); then every executed notebook (``executed/*.ipynb``, whatever
notebooks the run executed), with a navigation bar linking each section.  Readable offline: no
script, the style inline, every image embedded as a ``data:`` URI.  The same run gives the same
bytes (no time stamps, no random ids) and no machine paths (the run's folder and the
compendium's root are written relative).  The page of every study, ``results/index.html``, is
``analysis.report.index_page``'s.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> write_report(out).name
'report.html'
>>> text = (out / "report.html").read_text()
>>> text.startswith("<!DOCTYPE html>") and 'id="ledger"' in text and "<script" not in text
True
>>> import shutil; shutil.rmtree(out)
"""
from __future__ import annotations

import base64
import csv
import functools
import html
import json
import os
import re
from pathlib import Path

import mistune  # (a dependency of nbconvert, pinned in requirements.lock)

from .html_style import CSS
from .numbering import SYNTHETIC_HEADLINE, report_numbers

__all__ = ["REPORT", "esc", "page", "read_json", "render_markdown", "write_report", "write_text"]

REPORT = "report.html"
CHART = "figures/configurations.png"
ROOT = Path(__file__).resolve().parent.parent.parent
HEADLINE = SYNTHETIC_HEADLINE.strip("*")          # "SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS."
SKIPPED_TAGS = {"parameters", "injected-parameters", "remove-cell"}      # the run's parameters: findings' "Run"
MIME_ORDER = ("text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/latex", "text/plain")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def esc(text) -> str:
    """``text`` escaped for HTML.

    >>> esc('<a href="x">&</a>')
    '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
    """
    return html.escape(str(text), quote=True)


@functools.lru_cache(maxsize=1)
def _markdown():
    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Markdown as HTML (mistune, with tables; a table's columns of numbers aligned right).

    >>> render_markdown("**a** and `b`")
    '<p><strong>a</strong> and <code>b</code></p>\\n'
    """
    return _NUMBERS_RIGHT_TABLE.sub(_numbers_right, _markdown()(text))


_NUMBERS_RIGHT_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
_NUMBER = re.compile(r"[-\u2212]?(\d+\.?\d*|\.\d+)%?")
_MD_CELL = re.compile(r"<(td|th)(\s[^>]*)?>(.*?)</\1>", re.DOTALL)


def _numbers_right(match) -> str:
    """A Markdown table (mistune's HTML) with every column whose cells are all numbers (or blank)
    aligned right, as the notebooks' tables: a Markdown table without ``---:`` aligns them left.

    >>> table = "<table><tr><th>a</th><th>n</th></tr><tr><td>x</td><td>0.5</td></tr></table>"
    >>> _numbers_right(re.match(".*", table))
    '<table><tr><th>a</th><th style="text-align:right">n</th></tr><tr><td>x</td><td style="text-align:right">0.5</td></tr></table>'
    """
    table = match.group(0)
    rows = [_MD_CELL.findall(r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)]
    body = [r for r in rows[1:] if r]
    width = max((len(r) for r in body), default=0)
    numeric = {j for j in range(width)
               if any(len(r) > j and r[j][2].strip() for r in body)
               and all(len(r) <= j or not r[j][2].strip() or _NUMBER.fullmatch(r[j][2].strip()) for r in body)}
    if not numeric:
        return table

    def row(m):
        cells = iter(range(10**6))
        return _MD_CELL.sub(lambda c: (f'<{c.group(1)} style="text-align:right">{c.group(3)}</{c.group(1)}>'
                                       if next(cells) in numeric and not c.group(2) else c.group(0)), m.group(0))
    return re.sub(r"<tr>.*?</tr>", row, table, flags=re.DOTALL)


def data_uri(data: bytes, mime: str) -> str:
    """``data`` as a ``data:`` URI.

    >>> data_uri(b"x", "image/png")
    'data:image/png;base64,eA=='
    """
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def slug(text: str) -> str:
    """An id for ``text``: lower case letters, digits and dashes.

    >>> slug("01_data.ipynb")
    '01-data-ipynb'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


class _Scrub:
    """Machine paths made relative: the run's folder(s) to ``.``, the compendium's root to ``''``.

    >>> _Scrub([Path("/r/out")], Path("/r"))("see /r/out/tables/x.csv and /r/data/s.yml")
    'see tables/x.csv and data/s.yml'
    """

    def __init__(self, folders, root: Path = ROOT):
        pairs = {}
        for folder, short in [(f, ".") for f in folders] + [(root, ".")]:
            for name in {str(folder), str(Path(folder).resolve())}:
                pairs[name + os.sep], pairs[name] = "", short
        self.pairs = sorted(pairs.items(), key=lambda p: -len(p[0]))

    def __call__(self, text: str) -> str:
        for old, new in self.pairs:
            text = text.replace(old, new)
        return text


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _claims(out: Path, findings: dict) -> list:
    """The claims ledger: from ``findings.json``, else ``tables/claims.csv``."""
    if isinstance(findings.get("claims"), list):
        return findings["claims"]
    try:
        with open(out / "tables" / "claims.csv", newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except OSError:
        return []


def ledger_html(claims: list) -> str:
    """The claims ledger as a table (``id="ledger"``): id, claim, basis, status at the study's
    settings, verdict (how far it holds) and the evidence.

    >>> print(ledger_html([{"id": "c1", "text": "A is core.", "basis": "abstract", "status": "pass",
    ...                     "verdict": "fragile", "evidence": "A core"}]))
    ... # doctest: +ELLIPSIS
    <p>1 of 1 claims hold at the study's settings; 0 of them are robust...</p>
    <table id="ledger" class="ledger">...<td class="status pass">pass</td><td class="verdict fragile">fragile</td>...
    """
    passed = sum(str(c.get("status")) == "pass" for c in claims)
    robust = sum(str(c.get("verdict")) == "robust" for c in claims)
    rows = "".join(f'<tr><td><code>{esc(c.get("id", ""))}</code></td><td>{esc(c.get("text", ""))}</td>'
                   f'<td>{esc(c.get("basis", ""))}</td>'
                   f'<td class="status {slug(str(c.get("status", "")))}">{esc(c.get("status", ""))}</td>'
                   f'<td class="verdict {slug(str(c.get("verdict", "")))}">{esc(c.get("verdict", ""))}</td>'
                   f'<td>{esc(c.get("evidence", ""))}</td></tr>\n' for c in claims)
    head = (f"<p>{passed} of {len(claims)} claims hold at the study's settings; {robust} of them are robust. A claim "
            "holds only if it holds in every tied model of the solution it is about; its verdict says how far it "
            "holds in the robustness tests and the multiverse (the findings above give the shares).</p>\n")
    return (head + '<table id="ledger" class="ledger">\n<thead><tr><th>id</th><th>claim</th><th>basis</th>'
            f'<th>status</th><th>verdict</th><th>evidence</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n')


def _findings_markdown(text: str) -> str:
    """``findings.md`` without its title (the page's own), the synthetic-data notice (the page's
    banner) and its claims ledger (the ledger section's table).

    >>> _findings_markdown("# T\\n\\n## Run\\n\\nr\\n\\n## Claims ledger (1 of 1 pass)\\n\\nx\\n\\n## Solutions\\n")
    '## Run\\n\\nr\\n\\n## Solutions\\n'
    """
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    kept, skipping = [], False
    for line in lines:
        if line.startswith("## "):
            skipping = line.startswith("## Claims ledger")
        if not skipping and not line.startswith(f"> {SYNTHETIC_HEADLINE}"):
            kept.append(line)
    return "".join(kept).lstrip("\n")


def _stream_text(text: str) -> str:
    r"""A stream as the terminal showed it: each line's text after its last carriage return.

    >>> _stream_text("\rsweep:   0%\rsweep: 100%\n")
    'sweep: 100%'
    """
    lines = [line.rsplit("\r", 1)[-1] for line in _ANSI.sub("", text).split("\n")]
    return "\n".join(line for line in lines if line.strip())


def _image(value, mime: str, alt: str) -> str:
    raw = value.encode("utf-8") if mime == "image/svg+xml" else base64.b64decode("".join(value.split()))
    return f'<img src="{data_uri(raw, mime)}" alt="{esc(alt)}">'


def output_html(output: dict, scrub) -> str:
    """One output of a code cell: its richest representation; a stream as plain text (stderr
    grey, not as an error), an error as its traceback.

    >>> output_html({"output_type": "stream", "name": "stderr", "text": "\\rbar 100%"}, str)
    '<pre class="output stream stderr">bar 100%</pre>\\n'
    >>> output_html({"output_type": "display_data", "data": {"text/plain": "<Figure>", "image/png": "eA=="}}, str)
    '<div class="output"><img src="data:image/png;base64,eA==" alt="figure"></div>\\n'
    """
    kind = output.get("output_type")
    if kind == "stream":
        text = _stream_text(_joined(output.get("text", "")))
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        return f'<pre class="output stream {name}">{esc(scrub(text))}</pre>\n' if text else ""
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
        return f'<pre class="output error">{esc(scrub(trace))}</pre>\n'
    data = output.get("data", {})
    mime = next((m for m in MIME_ORDER if m in data), None)
    if mime is None:
        return ""
    value = _joined(data[mime])
    if mime.startswith("image/"):
        body = _image(value, mime, "figure")
    elif mime == "text/html":
        body = scrub(value)
    elif mime == "text/markdown":
        body = render_markdown(scrub(value))
    else:
        body = f"<pre>{esc(scrub(value))}</pre>"
    return f'<div class="output">{body}</div>\n'


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def cell_html(cell: dict, scrub) -> str:
    """One notebook cell: Markdown rendered; code folded in ``<details>``, its outputs shown."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & SKIPPED_TAGS:
        return ""
    source = scrub(_joined(cell.get("source", "")))
    if cell.get("cell_type") == "markdown":
        return f'<div class="markdown">{render_markdown(source)}</div>\n'
    if cell.get("cell_type") != "code":
        return ""
    parts = []
    if source.strip() and not tags & {"remove-input", "hide-input"}:
        parts.append(f'<details class="code"><summary>code</summary><pre><code>{esc(source)}</code></pre></details>\n')
    if "remove-output" not in tags:
        parts += [output_html(o, scrub) for o in merged_streams(cell.get("outputs", []))]
    return "".join(parts)


def merged_streams(outputs: list) -> list:
    """The outputs with each run of one stream's consecutive pieces joined (as a terminal shows
    them: a progress bar's updates overwrite each other).

    >>> merged_streams([{"output_type": "stream", "name": "stderr", "text": "\\r0%"},
    ...                 {"output_type": "stream", "name": "stderr", "text": "\\r100%"}])
    [{'output_type': 'stream', 'name': 'stderr', 'text': '\\r0%\\r100%'}]
    """
    merged = []
    for o in outputs:
        last = merged[-1] if merged else {}
        if o.get("output_type") == "stream" and last.get("output_type") == "stream" and last.get("name") == o.get("name"):
            merged[-1] = {**last, "text": _joined(last.get("text", "")) + _joined(o.get("text", ""))}
        else:
            merged.append(o)
    return merged


def _notebook_title(cells: list, fallback: str) -> str:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            m = re.search(r"^#\s+(.+)$", _joined(cell.get("source", "")), re.MULTILINE)
            if m:
                return m.group(1).strip()
    return fallback


def notebook_section(path: Path, scrub) -> tuple:
    """``(id, title, html)`` of one executed notebook's section."""
    cells = read_json(path).get("cells", [])
    sid, title = "nb-" + slug(path.stem), _notebook_title(cells, path.stem)
    body = "".join(cell_html(c, scrub) for c in cells)
    return sid, title, (f'<section id="{sid}" class="notebook">\n<p class="source">executed/{esc(path.name)}</p>\n'
                        f'{body}</section>\n')


def _chart(out: Path) -> str:
    """The combined configuration chart, captioned with the number it has where step 4 shows it."""
    path = out / CHART
    if not path.is_file():
        return f"<p>This run wrote no combined configuration chart (<code>{CHART}</code>).</p>\n"
    n = report_numbers(out).get(("figure", Path(CHART).stem))
    where = f"Figure {n} below, shown here first" if n else "shown here first"
    return (f'<figure><img src="{data_uri(path.read_bytes(), "image/png")}" alt="configuration chart of every '
            f'outcome"><figcaption>The configurations of every outcome side by side ({where}; '
            f'<code>{CHART}</code>; Fiss\'s notation).</figcaption></figure>\n')


def _notice(findings: dict, md_text: str) -> str:
    """The synthetic-data banner, or '' for real data."""
    if not (findings.get("synthetic") is True or "SYNTHETIC STAND-IN DATA" in md_text):
        return ""
    notice = render_markdown(findings.get("notice") or "The case data are a synthetic stand-in.")
    return f'<div id="synthetic-notice" class="synthetic" role="alert"><p><strong>{esc(HEADLINE)}</strong></p>{notice}</div>\n'


def page(title: str, nav: list, body: str, badge: str = "") -> str:
    links = "".join(f'<a href="#{sid}">{esc(label)}</a>' for sid, label in nav)
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="icon" href="data:,">\n<title>{esc(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n'
            + (f'<nav id="toc">{badge}{links}</nav>\n' if badge or links else "")
            + f'<main>\n{body}</main>\n</body>\n</html>\n')


def report_html(out: Path, shown_as=None) -> str:
    """The report of the run in ``out`` as text (``shown_as``: the folder the run will be moved to)."""
    out = Path(out)
    scrub = _Scrub([out] + ([Path(shown_as)] if shown_as else []))
    findings = read_json(out / "findings.json")
    md_path = out / "findings.md"
    md_text = scrub(md_path.read_text(encoding="utf-8")) if md_path.is_file() else ""
    title = " ".join(str(findings.get("title") or "fsQCA compendium").split())
    notice = _notice(findings, md_text)
    books = [notebook_section(p, scrub) for p in sorted((out / "executed").glob("*.ipynb"))]
    nav = [("findings", "Findings"), ("claims", "Claims ledger"), ("chart", "Configuration chart")]
    nav += [(sid, label.split(":")[0].strip()) for sid, label, _ in books]     # "Step 1 — Data: ..." -> "Step 1 — Data"
    study = f'<p class="study">study <code>{esc(findings["study"])}</code></p>\n' if findings.get("study") else ""
    findings_md = render_markdown(_findings_markdown(md_text)) if md_text else "<p>This run wrote no findings.md.</p>\n"
    body = (f'<header>\n<h1>{esc(title)}</h1>\n{study}{notice}</header>\n'
            f'<section id="findings">\n<h2>Findings</h2>\n{findings_md}</section>\n'
            f'<section id="claims">\n<h2>Claims ledger</h2>\n'
            f'{ledger_html(_claims(out, findings))}</section>\n'
            f'<section id="chart">\n<h2>Configuration chart</h2>\n{_chart(out)}</section>\n'
            + "".join(section for _, _, section in books))
    badge = '<a class="badge" href="#synthetic-notice">SYNTHETIC DATA</a>' if notice else ""
    return page(title, nav, body, badge)


def write_text(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    return path


def write_report(out: Path, shown_as=None) -> Path:
    """Write ``<out>/report.html`` (see the module's description); return its path.

    ``shown_as``: the folder ``out`` will be moved to (a run writes into a temporary folder);
    that path is made relative too.
    """
    out = Path(out)
    return write_text(out / REPORT, report_html(out, shown_as))
