"""Every study's report read as a reviewer reads it, in headless Chromium: one numbering of the
tables and of the figures over the whole report (Table 1 ... n and Figure 1 ... m, each once, in
reading order), no "NaN" (nor "nan" or "<NA>") in the text a reader sees, every table with one
header row, text columns aligned left and the numbers of the notebooks' tables aligned right.

What the page shows is measured in the browser (the rendered text, each cell's computed
alignment), not read from the HTML source.  The tests skip, saying why, when no Chromium is
installed (``.ci/run`` installs it); they run whole studies (slow).
"""
import html
import json
import re
from pathlib import Path

import pytest
from test_report_html import chromium, find_chromium

from analysis.report.html import REPORT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(find_chromium() is None, reason=(
                  "no Chromium found (chromium, chromium-browser, google-chrome): install it, e.g. apt-get install "
                  "chromium; .ci/run does"))]

ROOT = Path(__file__).resolve().parent.parent
STUDIES = sorted(p.parent.name for p in (ROOT / "data").glob("*/study.yml"))

# Runs in the page once it has loaded; its findings are written into a <pre> that then stands alone in the
# document, so that --dump-dom prints it and not the whole report again (PSS's is some 17 MB, 120,000
# table cells: serialising it cost Chromium about 3 of its 11 CPU-s).
READ = r"""<script>
window.addEventListener("load", function () {
  var main = document.querySelector("main");
  var captions = [];
  main.querySelectorAll("strong").forEach(function (s) {
    var m = /^(Table|Figure) (\d+)\.$/.exec(s.textContent.trim());
    if (m) { captions.push([m[1], Number(m[2])]); }
  });
  var text = main.innerText;
  var missing = [];
  var re = /(^|[^A-Za-z0-9_<])(NaN|nan|<NA>)(?![A-Za-z0-9_])/g, m;
  while ((m = re.exec(text)) !== null) { missing.push(text.slice(Math.max(0, m.index - 60), m.index + 20)); }
  var number = /^[-\u2212]?\d*\.\d+$/;            // a number written with decimals (labels such as 10110 are text)
  var headers = [], text_right = [], numbers_left = [], tables = 0;
  main.querySelectorAll("table").forEach(function (table, t) {
    tables += 1;
    var head = table.querySelectorAll("thead tr");
    if (head.length > 1) { headers.push(t + ": " + head.length + " header rows"); }
    var names = Array.prototype.map.call(table.querySelectorAll("thead tr:last-child th"),
                                         function (c) { return c.textContent.trim(); });
    var rows = Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (r) { return r.children; });
    var inNotebook = table.closest("section.notebook") !== null;
    for (var j = 0; j < names.length; j++) {
      var cells = rows.map(function (r) { return r[j]; }).filter(function (c) { return c; });
      var filled = cells.filter(function (c) { return c.textContent.trim() !== ""; });
      if (!filled.length) { continue; }
      var numeric = filled.every(function (c) { return number.test(c.textContent.trim()); });
      var isText = filled.every(function (c) { return !/^[-\u2212]?[\d.]+%?$/.test(c.textContent.trim()); });
      cells.forEach(function (c) {
        var align = getComputedStyle(c).textAlign;
        if (isText && !(align === "left" || align === "start")) {
          text_right.push(t + " " + names[j] + ": " + c.textContent.trim().slice(0, 40) + " (" + align + ")");
        }
        if (numeric && inNotebook && !(align === "right" || align === "end")) {
          numbers_left.push(t + " " + names[j] + ": " + c.textContent.trim() + " (" + align + ")");
        }
      });
    }
  });
  var pre = document.createElement("pre");
  pre.id = "reading-result";
  pre.textContent = JSON.stringify({captions: captions, missing: missing, headers: headers, tables: tables,
                                    text_right: text_right.slice(0, 20), numbers_left: numbers_left.slice(0, 20)});
  document.documentElement.replaceChildren(pre);      // read above: the page is no longer needed
});
</script>
"""


def read_in_browser(report: Path, tmp_path: Path) -> dict:
    """What the reading script found in the report as Chromium rendered it (a copy with the script)."""
    page = report.read_text(encoding="utf-8")
    at = page.index("</head>")
    copy = tmp_path / "read" / report.name
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(page[:at] + READ + page[at:], encoding="utf-8")
    proc = chromium("--virtual-time-budget=20000", "--dump-dom", copy.as_uri(), profile=tmp_path / "profile")
    m = re.search(r'<pre id="reading-result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert m, f"no result from the page (exit {proc.returncode}): {proc.stderr[-2000:]}"
    return json.loads(html.unescape(m.group(1)))


@pytest.fixture(scope="module", params=[pytest.param(s, marks=pytest.mark.xdist_group(s)) for s in STUDIES])
def read(request, study_runs, tmp_path_factory):
    """(run folder, what the browser read) of each study's default run."""
    out = study_runs(request.param)
    return out, read_in_browser(out / REPORT, tmp_path_factory.mktemp(f"read-{request.param}"))


def test_one_numbering_of_tables_and_figures(read):
    out, found = read
    for kind in ("Table", "Figure"):
        numbers = [n for k, n in found["captions"] if k == kind]
        assert numbers == list(range(1, len(numbers) + 1)), (kind, numbers)
    assert sum(k == "Table" for k, _ in found["captions"]) > 20
    assert sum(k == "Figure" for k, _ in found["captions"]) >= 5
    numbered = {n for path in (out / "numbering").glob("*.json")
                for _, n, _ in json.loads(path.read_text())["items"]}
    assert numbered                                   # what the notebooks recorded is what the page shows
    assert len(found["captions"]) == sum(len(json.loads(p.read_text())["items"])
                                         for p in (out / "numbering").glob("*.json"))


def test_no_missing_value_shown_as_nan(read):
    _, found = read
    assert found["missing"] == []


def test_tables_have_one_header_row_and_aligned_columns(read):
    _, found = read
    assert found["tables"] > 20
    assert found["headers"] == []
    assert found["text_right"] == []
    assert found["numbers_left"] == []
