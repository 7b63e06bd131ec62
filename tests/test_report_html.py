"""The HTML report (analysis.report.html): its structure on a small hand-made run folder, and the
report of a real pipeline run opened in headless Chromium (no console error, every image
decoded, the ledger there, a screenshot saved).

The browser tests skip, saying why, when no Chromium is installed (``.ci/run`` installs it).
"""
import base64
import html
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import nbformat
import pytest

from analysis.report.html import REPORT, write_report
from analysis.report.index_page import write_index

pytestmark = pytest.mark.slow      # runs whole studies (make test runs it; -m 'not slow' skips it)

ROOT = Path(__file__).resolve().parent.parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def tiny_png(width=3, height=2) -> bytes:
    """A valid PNG of ``width`` x ``height`` grey pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


CLAIMS = [{"id": "a-core", "text": "A is a core condition.", "status": "pass", "verdict": "robust",
           "evidence": "Y parsimonious: A -> A core"},
          {"id": "b-core", "text": "B <b> is core.", "status": "fail", "verdict": "fails",
           "evidence": "Y parsimonious: A -> B not core"}]


def notebook(title: str, out: Path, figure: bytes) -> nbformat.NotebookNode:
    """A small executed notebook: parameters (with machine paths), Markdown, code with a table,
    a figure, a progress bar on stderr and a printed path."""
    v4 = nbformat.v4
    params = v4.new_code_cell('out = "../results"')
    params.metadata["tags"] = ["parameters"]
    injected = v4.new_code_cell(f'out = "{out}"\nstudy = "{ROOT}/data/x/study.yml"')
    injected.metadata["tags"] = ["injected-parameters"]
    code = v4.new_code_cell("show()")
    code.outputs = [v4.new_output("stream", name="stderr", text="\rsweep:   0%| | 0/4"),
                    v4.new_output("stream", name="stderr", text="\rsweep: 100%| | 4/4\n"),
                    v4.new_output("stream", name="stdout", text=f"written to {out}/tables/t.csv\n"),
                    v4.new_output("display_data", data={"text/html": "<table class=\"dataframe\"><tr><td>1</td></tr>"
                                                                      "</table>", "text/plain": "df"}),
                    v4.new_output("display_data", data={"image/png": base64.b64encode(figure).decode(),
                                                        "text/plain": "<Figure>"}),
                    v4.new_output("display_data", data={"text/markdown": "**bold note**", "text/plain": "md"})]
    return v4.new_notebook(cells=[v4.new_markdown_cell(f"# {title}\n\nSee [the article](https://doi.org/10.1177/x)."),
                                  params, injected, code])


def fake_run(out: Path, synthetic=True, names=("01_data", "02_calibration")) -> Path:
    """A run folder as the pipeline writes it, in small."""
    for sub in ("executed", "figures", "tables"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    findings = {"study": "toy", "title": "A toy study", "synthetic": synthetic,
                "notice": "The cases are a `synthetic` stand-in." if synthetic else "", "claims": CLAIMS}
    (out / "findings.json").write_text(json.dumps(findings))
    notice = "> **SYNTHETIC STAND-IN DATA — NOT THE ARTICLE'S FINDINGS.** Stand-in.\n\n" if synthetic else ""
    (out / "findings.md").write_text(f"# Findings: A toy study\n\n{notice}## Run\n\n- study: `toy`\n\n## In brief\n\n"
                                     "| outcome | model |\n|---|---|\n| Y | M1 |\n\n## Claims ledger (1 of 2 pass)\n\n"
                                     "| id | claim |\n|---|---|\n| a-core | A |\n\n## Solutions\n\n### Y\n")
    (out / "tables" / "claims.csv").write_text("id,text,status,evidence\na-core,A,pass,e\n")
    (out / "figures" / "configurations.png").write_bytes(tiny_png(5, 4))
    for i, name in enumerate(names):
        nbformat.write(notebook(f"Step {i + 1}: {name}", out, tiny_png(2 + i, 2)), out / "executed" / f"{name}.ipynb")
    return out


@pytest.fixture
def toy(tmp_path):
    out = fake_run(tmp_path / "run")
    return out, write_report(out).read_text(encoding="utf-8")


def test_report_sections_in_order(toy):
    _, text = toy
    marks = ['id="synthetic-notice"', 'id="findings"', "<h2>Run</h2>", 'id="claims"', 'id="ledger"',
             'id="chart"', 'id="nb-01-data"', 'id="nb-02-calibration"']
    where = [text.index(m) for m in marks]
    assert where == sorted(where)
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    nav = text[text.index('<nav id="toc">'):text.index("</nav>")]
    for target in ("#findings", "#claims", "#chart", "#nb-01-data", "#nb-02-calibration"):
        assert f'href="{target}"' in nav
    assert '<a href="#nb-01-data">Step 1</a>' in nav and "SYNTHETIC DATA" in nav
    assert text.count("<h1>") == 1 + 2                          # the page's title and each notebook's
    assert "<h2>Claims ledger (1 of 2 pass)</h2>" not in text    # findings.md's copy replaced by the table


def test_ledger_table(toy):
    _, text = toy
    ledger = text[text.index('id="ledger"'):text.index("</table>", text.index('id="ledger"'))]
    assert ledger.count("<tr>") == 1 + len(CLAIMS)
    assert '<td class="status pass">pass</td>' in ledger and '<td class="status fail">fail</td>' in ledger
    assert "B &lt;b&gt; is core." in ledger                      # claim text escaped
    assert '<td class="verdict robust">robust</td>' in ledger and '<td class="verdict fails">fails</td>' in ledger
    # the findings' headline ("N of M claims hold at the defaults; K of them are robust"), counted from the claims
    assert "<p>1 of 2 claims hold at the study's settings; 1 of them are robust." in text


def test_synthetic_notice_only_for_a_stand_in(tmp_path):
    text = write_report(fake_run(tmp_path / "real", synthetic=False)).read_text()
    assert "synthetic-notice" not in text and "SYNTHETIC" not in text
    text = write_report(fake_run(tmp_path / "fake")).read_text()
    assert "SYNTHETIC STAND-IN DATA — NOT THE ARTICLE&#x27;S FINDINGS." in text
    assert text.index("synthetic-notice") < text.index('id="findings"')
    assert text.count("NOT THE ARTICLE") == 1                    # the banner, not findings.md's copy too


def test_images_embedded_and_nothing_fetched(toy):
    out, text = toy
    sources = re.findall(r'<img [^>]*src="([^"]*)"', text)
    assert len(sources) == 3                                     # the chart and one figure per notebook
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    chart = base64.b64encode((out / "figures" / "configurations.png").read_bytes()).decode()
    assert f'src="data:image/png;base64,{chart}"' in text
    assert not re.search(r'<(script|link|img|iframe|source|video|audio)\b[^>]*(src|href)="(https?:)?//', text)
    assert "<script" not in text and "@import" not in text
    assert 'href="https://doi.org/10.1177/x"' in text           # a link in the text stays a link


def test_no_machine_paths_and_no_parameters_cells(toy):
    out, text = toy
    text = re.sub(r'data:[^"]*', "", text)                      # (base64 may spell anything)
    assert str(out) not in text and str(ROOT) not in text and "/tmp" not in text
    assert "written to tables/t.csv" in text
    assert "../results" not in text                             # the parameters cells are not shown


def test_stderr_is_plain_text_not_an_error(toy):
    _, text = toy
    assert '<pre class="output stream stderr">sweep: 100%| | 4/4</pre>' in text
    assert "sweep:   0%" not in text and 'class="output error"' not in text
    assert "<details class=\"code\"><summary>code</summary><pre><code>show()</code></pre></details>" in text
    assert "<strong>bold note</strong>" in text and '<table class="dataframe">' in text


def test_report_is_deterministic(tmp_path):
    first = write_report(fake_run(tmp_path / "one")).read_bytes()
    again = write_report(tmp_path / "one").read_bytes()
    other = write_report(fake_run(tmp_path / "two-é")).read_bytes()   # same run, another folder
    assert first == again == other
    assert not [p.name for p in (tmp_path / "one").iterdir() if p.name.startswith(".")]   # no temporary file left


def test_whatever_notebooks_ran(tmp_path):
    out = fake_run(tmp_path / "run", names=("01_data", "06_multiverse", "07_findings"))
    text = write_report(out).read_text()
    assert text.index('id="nb-06-multiverse"') < text.index('id="nb-07-findings"')
    assert "<h1>Step 3: 07_findings</h1>" in text


def test_missing_parts_still_give_a_page(tmp_path):
    text = write_report(tmp_path).read_text()
    assert 'id="ledger"' in text and "no combined configuration chart" in text and "no findings.md" in text


def test_index_links_each_report(tmp_path):
    a, b = fake_run(tmp_path / "a"), fake_run(tmp_path / "b", synthetic=False)
    write_report(a)
    write_report(b)
    (tmp_path / "failed").mkdir()                                # a folder without a report
    (tmp_path / ".b.tmp-1-x").mkdir()                            # a run's work folder
    write_report(fake_run(tmp_path / ".b.tmp-1-x"))
    text = write_index(tmp_path).read_text()
    assert 'href="a/report.html"' in text and 'href="b/report.html"' in text and "failed" not in text
    assert 'href="a/findings.md"' in text and ".tmp-" not in text
    assert text.count("synthetic stand-in</span>") == 1 and text.count("<td>published</td>") == 1
    assert "A toy study" in text and str(tmp_path) not in text


def test_index_keeps_the_studies_a_run_did_not_cover(tmp_path):
    """A run of one study rewrites the index from every folder: the others' rows stay as their
    folders say, and the run's own row shows its new headline."""
    for name, headline in (("alpha", "1 of 2 claims hold"), ("beta", "2 of 2 claims hold")):
        out = fake_run(tmp_path / name)
        findings = json.loads((out / "findings.json").read_text())
        (out / "findings.json").write_text(json.dumps({**findings, "study": name, "title": f"Study {name}",
                                                       "headline": headline}))
        write_report(out)
    (tmp_path / "alpha" / "tables" / "tables.tex").write_text("% tables\n")
    first = write_index(tmp_path).read_text()
    beta = json.loads((tmp_path / "beta" / "findings.json").read_text())
    (tmp_path / "beta" / "findings.json").write_text(json.dumps({**beta, "headline": "0 of 2 claims hold"}))
    second = write_index(tmp_path).read_text()
    assert "1 of 2 claims hold." in first and "2 of 2 claims hold." in first
    assert "1 of 2 claims hold." in second and "0 of 2 claims hold." in second and "2 of 2" not in second
    assert 'href="alpha/tables/tables.tex"' in second and 'href="beta/tables/tables.tex"' not in second
    assert second.index("Study alpha") < second.index("Study beta")
    variant = fake_run(tmp_path / "alpha-incl_cut=0.85")
    (variant / "findings.json").write_text(json.dumps({**beta, "study": "alpha", "title": "Study alpha"}))
    write_report(variant)
    third = write_index(tmp_path).read_text()
    assert third.index("Runs with changed inputs") < third.index("alpha-incl_cut=0.85")


# --- in a real browser -------------------------------------------------------------------------

CHECK = """<script>
(function () {
  var problems = [];
  function note(kind, what) { problems.push(kind + ": " + String(what)); }
  window.addEventListener("error", function (e) {
    var t = e.target;
    note("error", t && t !== window && (t.src || t.href) ? "failed to load " + (t.src || t.href).slice(0, 80)
                                                         : e.message + " at line " + e.lineno);
  }, true);
  window.addEventListener("unhandledrejection", function (e) { note("unhandledrejection", e.reason); });
  document.addEventListener("securitypolicyviolation", function (e) { note("fetched", e.blockedURI); });
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () { note("console." + level, Array.prototype.join.call(arguments, " "));
                                   return original.apply(console, arguments); };
  });
  window.addEventListener("load", function () {
    var images = Array.prototype.slice.call(document.images);
    var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                       .map(function (i) { return (i.getAttribute("src") || "").slice(0, 60); });
    var ledger = document.querySelector("table#ledger");
    var result = {errors: problems, images: images.length, broken: broken,
                  ledger_rows: ledger ? ledger.querySelectorAll("tbody tr").length : -1,
                  sections: Array.prototype.map.call(document.querySelectorAll("main section[id]"),
                                                      function (s) { return s.id; }),
                  links: Array.prototype.map.call(document.querySelectorAll("a[href]"),
                                                   function (a) { return a.getAttribute("href"); })};
    var pre = document.createElement("pre");
    pre.id = "test-result";
    pre.textContent = JSON.stringify(result);
    document.body.appendChild(pre);
  });
})();
</script>
"""
# In the test copy only: nothing but inline style and script and data: images may load.
POLICY = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
          'style-src \'unsafe-inline\'; script-src \'unsafe-inline\'">\n')


def find_chromium():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


needs_chromium = pytest.mark.skipif(find_chromium() is None, reason=(
    "no Chromium found (chromium, chromium-browser, google-chrome): install it, e.g. apt-get install chromium; "
    ".ci/run does"))


def chromium(*args, profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium with its own profile folder (several may run at once)."""
    cmd = [find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
           "--disable-extensions", "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)     # a guard against a hang


def with_check(page: str) -> str:
    """``page`` with the checking script (and the offline policy) at the top of its head."""
    m = re.search(r'<meta charset="utf-8">\n?', page) or re.search(r"<head>\n?", page)
    return page[:m.end()] + POLICY + CHECK + page[m.end():]


def open_in_browser(page: Path, tmp_path: Path) -> dict:
    """What the check script found when Chromium loaded ``page`` (a copy with the script)."""
    copy = tmp_path / "checked" / page.name
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(with_check(page.read_text(encoding="utf-8")), encoding="utf-8")
    proc = chromium("--virtual-time-budget=10000", "--dump-dom", copy.as_uri(), profile=tmp_path / "profile")
    m = re.search(r'<pre id="test-result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert m, f"no result from the page (exit {proc.returncode}): {proc.stderr[-2000:]}"
    result = json.loads(html.unescape(m.group(1)))
    result["errors"] += [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]   # logged by the page
    return result


@pytest.fixture(scope="module")
def lipset_run(study_runs):
    """The real run of the smallest study this test session shares (tests/conftest.py)."""
    return study_runs("lipset")


@pytest.mark.xdist_group("lipset")
def test_the_run_writes_the_report(lipset_run):
    text = (lipset_run / REPORT).read_text(encoding="utf-8")
    chart = base64.b64encode((lipset_run / "figures" / "configurations.png").read_bytes()).decode()
    assert f'src="data:image/png;base64,{chart}"' in text              # the combined configuration chart
    for nb in sorted((lipset_run / "executed").glob("*.ipynb")):
        assert f'<p class="source">executed/{nb.name}</p>' in text
    assert str(lipset_run) not in text and str(ROOT) not in text
    assert (lipset_run / REPORT).read_bytes() == write_report(lipset_run).read_bytes()


@needs_chromium
@pytest.mark.xdist_group("lipset")
def test_report_opens_in_chromium(lipset_run, tmp_path):
    result = open_in_browser(lipset_run / REPORT, tmp_path)
    assert result["errors"] == []
    assert result["broken"] == [] and result["images"] >= 5
    claims = json.loads((lipset_run / "findings.json").read_text())["claims"]
    assert result["ledger_rows"] == len(claims) > 0
    books = [f"nb-{p.stem.replace('_', '-')}" for p in sorted((lipset_run / "executed").glob("*.ipynb"))]
    assert result["sections"] == ["findings", "claims", "chart", *books]
    assert {f"#{s}" for s in result["sections"]} <= set(result["links"])
    shot = tmp_path / "report.png"
    proc = chromium(f"--screenshot={shot}", "--window-size=1280,2000", "--virtual-time-budget=10000",
                    (lipset_run / REPORT).as_uri(), profile=tmp_path / "profile")
    assert shot.is_file() and shot.stat().st_size > 10_000, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot of the report: {shot}")


@needs_chromium
@pytest.mark.xdist_group("lipset")
def test_index_opens_in_chromium(lipset_run, tmp_path):
    index = write_index(lipset_run.parent)
    result = open_in_browser(index, tmp_path)
    assert result["errors"] == [] and result["broken"] == []
    assert result["links"] == [f"{lipset_run.name}/{f}" for f in ("report.html", "findings.md", "tables/tables.tex")]


BROKEN = {
    "a broken image": '<img src="data:image/png;base64,bm90IGEgcG5n" alt="x">',
    "a missing image": '<img src="no-such-figure.png" alt="x">',
    "a script error": "<script>undefined_function();</script>",
    "a console error": '<script>console.error("something failed");</script>',
    "a fetch from the network": '<img src="https://example.org/x.png" alt="x">',
}


@needs_chromium
@pytest.mark.parametrize("what", list(BROKEN))
def test_the_browser_check_catches(what, tmp_path):
    """The check itself: a page with one deliberate fault fails it."""
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n</head>\n'
                    f'<body>\n<table id="ledger"><tbody><tr><td>a</td></tr></tbody></table>\n{BROKEN[what]}\n'
                    '</body>\n</html>\n')
    result = open_in_browser(page, tmp_path)
    assert result["errors"] or result["broken"], result
    assert result["ledger_rows"] == 1


@needs_chromium
def test_the_browser_check_passes_a_clean_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n</head>\n'
                    f'<body><img src="data:image/png;base64,{base64.b64encode(tiny_png()).decode()}" alt="x"></body>'
                    "\n</html>\n")
    result = open_in_browser(page, tmp_path)
    assert result == {**result, "errors": [], "broken": [], "images": 1, "ledger_rows": -1}
