"""test_report_reading's script hands Chromium back its result alone (issue 28): what the page
showed is read first, then the result stands alone in the document, so that ``--dump-dom`` prints
a few lines and not the whole report again (PSS's report is some 17 MB: its serialisation cost
Chromium about 3 of its 11 CPU-s)."""
import html
import json
import re

import pytest
from test_report_html import chromium, find_chromium
from test_report_reading import READ

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="no Chromium found (chromium, chromium-browser, "
                                "google-chrome): install it, e.g. apt-get install chromium; .ci/run does")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>t</title>
</head>
<body><main>
<p><strong>Table 1.</strong> Cases</p>
<table><thead><tr><th>case</th><th>incl</th></tr></thead>
<tbody><tr><td>a-long-filler-name</td><td>0.912</td></tr></tbody></table>
<p><strong>Figure 1.</strong> A chart</p>
<p>FILLER-TEXT-OF-THE-REPORT</p>
</main></body>
</html>
"""


def test_the_dumped_page_is_the_reading_result_alone(tmp_path):
    page = tmp_path / "report.html"
    at = PAGE.index("</head>")
    page.write_text(PAGE[:at] + READ + PAGE[at:], encoding="utf-8")
    proc = chromium("--virtual-time-budget=20000", "--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    m = re.search(r'<pre id="reading-result">(.*?)</pre>', proc.stdout, re.DOTALL)
    assert m, f"no result from the page (exit {proc.returncode}): {proc.stderr[-2000:]}"
    found = json.loads(html.unescape(m.group(1)))
    # read before the page went: the captions, the table, a text column left and a number right
    assert found["captions"] == [["Table", 1], ["Figure", 1]] and found["tables"] == 1
    assert found["missing"] == [] and found["headers"] == [] and found["text_right"] == []
    assert "FILLER-TEXT-OF-THE-REPORT" not in proc.stdout and "a-long-filler-name" not in proc.stdout
