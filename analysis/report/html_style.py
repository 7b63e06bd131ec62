"""The style sheet of the HTML report (``analysis.report.html``), inlined into every page.

>>> "nav#toc" in CSS and "http" not in CSS
True
"""

__all__ = ["CSS"]

CSS = """\
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #d0d4da; --paper: #ffffff; --tint: #f4f6f8; }
* { box-sizing: border-box; }
html { scroll-padding-top: 4.5rem; }
body { margin: 0; color: var(--ink); background: var(--paper);
       font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
nav#toc { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap; gap: .25rem .9rem;
          align-items: center; padding: .55rem 1.2rem; background: #24292f; font-size: .9rem; }
nav#toc a { color: #f0f3f6; text-decoration: none; }
nav#toc a:hover { text-decoration: underline; }
a.badge, span.badge { background: #b3261e; color: #fff !important; font-weight: 700; padding: .1rem .5rem;
                      border-radius: 3px; letter-spacing: .03em; white-space: nowrap; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
header h1 { font-size: 1.7rem; line-height: 1.25; margin: 1.2rem 0 .3rem; }
p.study, p.source { color: var(--muted); margin: .2rem 0 1rem; font-size: .9rem; }
div.synthetic { border: 3px solid #b3261e; background: #fdecea; color: #5c0b06; padding: .8rem 1.1rem;
                margin: 1rem 0 1.5rem; border-radius: 4px; font-size: 1.05rem; }
div.synthetic strong { font-size: 1.15rem; }
section { border-top: 2px solid var(--rule); margin-top: 2.5rem; padding-top: .5rem; }
h2 { font-size: 1.4rem; margin: 1rem 0 .6rem; }
h3 { font-size: 1.15rem; margin: 1.2rem 0 .5rem; }
section.notebook div.markdown h1 { font-size: 1.5rem; }
blockquote { margin: 1rem 0; padding: .4rem 1rem; border-left: 4px solid #b3261e; background: var(--tint); }
code { font-family: SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
pre { background: var(--tint); padding: .6rem .8rem; overflow-x: auto; font-size: .85rem; line-height: 1.4;
      white-space: pre-wrap; word-break: break-word; }
pre.stderr { background: #f1f1f1; color: var(--muted); border-left: 3px solid var(--rule); }
pre.error { background: #fdecea; color: #5c0b06; border-left: 3px solid #b3261e; }
details.code { margin: .6rem 0 .2rem; }
details.code > summary { cursor: pointer; color: var(--muted); font-size: .85rem; }
div.output { margin: .4rem 0 .8rem; overflow-x: auto; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .88rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
table.dataframe { border: none; }
table.ledger td.status { font-weight: 700; }
table.ledger td.pass { color: #1a7f37; }
table.ledger td.fail { color: #b3261e; }
table.ledger td.verdict { font-weight: 700; }
table.ledger td.robust { color: #1a7f37; }
table.ledger td.fragile { color: #a15c00; }
table.ledger td.fails { color: #b3261e; }
table.ledger td.untested { color: #5f6368; }
img { max-width: 100%; height: auto; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; }
table.studies td.headline { font-weight: 600; }
@media print { nav#toc { position: static; } details.code { display: none; } }
"""
