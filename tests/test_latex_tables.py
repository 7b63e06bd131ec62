"""The LaTeX tables (analysis.report.latex): escaping, caption and label, the packages each
table names, the layout chosen for wide and long tables, the Fiss symbols of the configuration
chart, and one document of every table of a real run compiled with pdflatex (when installed).
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis.report import latex as L
from analysis.report import latex_layout as LL
from analysis.report.configurations import SYMBOLS
from analysis.report.tables import latex, latex_document

ROOT = Path(__file__).resolve().parent.parent
CASES36 = ", ".join(f"H{i:02d}" for i in range(1, 37))


def requires(tex: str) -> list:
    line = next(x for x in tex.splitlines() if x.startswith("% requires:"))
    return re.findall(r"\\usepackage\{([^}]*)\}", line)


def test_escaping_of_special_characters():
    assert L.tex_escape(r"a_b & 5% $x$ #1 {y} ~A^2 \ <>|") == (
        r"a\_b \& 5\% \$x\$ \#1 \{y\} \textasciitilde{}A\textasciicircum{}2 \textbackslash{} "
        r"\textless{}\textgreater{}\textbar{}")
    assert L.tex_escape("≥ ≤ →") == r"$\geq$ $\leq$ $\rightarrow$"
    tex = latex(pd.DataFrame({"term": ["~A*B"], "n": [3]}))
    assert r"\textasciitilde{}A*B & 3 \\" in tex


def test_caption_label_and_header():
    tex = latex(pd.DataFrame({"set": ["A"], "inclS": [0.91234]}), "truth_table_notMPV_C1P1")
    lines = tex.splitlines()
    assert lines[0].startswith("% truth_table_notMPV_C1P1.tex")
    assert requires(tex) == ["booktabs"]
    assert r"\caption{Truth table: notMPV C1P1}" in lines
    assert r"\label{tab:truth-table-notMPV-C1P1}" in lines
    assert lines.count(r"\toprule") == lines.count(r"\midrule") == lines.count(r"\bottomrule") == 1
    assert r"\begin{table}[htbp]" in lines and lines[-1] == r"\end{table}"
    assert "A & 0.912 \\\\" in lines
    given = latex(pd.DataFrame({"x": [1]}), "t", caption="Fit of A & B: 100%")
    assert r"\caption{Fit of A \& B: 100\%}" in given.splitlines()


def test_labels_are_sanitised_and_captions_derived():
    assert L.label_of("cases_~MPV (2)") == "tab:cases-MPV-2"
    assert re.fullmatch(r"tab:[A-Za-z0-9:-]+", L.label_of("é/ü_x"))
    assert L.caption_of("core_stability") == "Core stability"
    assert L.caption_of("solutions_MPV_PPV") == "Solutions: MPV PPV"


def test_same_table_same_bytes():
    df = pd.DataFrame({"term": ["A*B", "C"], "cases": [CASES36, "H01"], "inclS": [0.9, 0.8]})
    assert latex(df, "x") == latex(df.copy(), "x")


def test_narrow_table_stays_a_plain_portrait_tabular():
    df = pd.DataFrame({"set": ["A", "B"], "inclS": [0.9, 0.8], "covS": [0.5, 0.4]})
    layout = LL.choose_layout(["set", "inclS", "covS"], [["A", "B"], ["0.900", "0.800"], ["0.500", "0.400"]],
                             [False, True, True])
    assert layout == LL.Layout(headers=(("set",), ("inclS",), ("covS",)))
    tex = latex(df)
    assert r"\begin{tabular}{lrr}" in tex
    assert not re.search(r"landscape|longtable|tabularx|xltabular|\\small$|\\footnotesize$|tabcolsep", tex, re.MULTILINE)


def test_a_36_case_column_wraps_instead_of_overflowing():
    df = pd.DataFrame({"row": ["11111", "10101"], "OUT": [1, 0], "n": [36, 1], "cases": [CASES36, "H07"]})
    tex = latex(df, "truth_table_Y")
    assert "tabularx" in requires(tex) and "array" in requires(tex)
    assert r"\begin{tabularx}{\linewidth}{lrr>{\raggedright\arraybackslash}X}" in tex
    assert "landscape" not in tex


def test_wide_table_goes_landscape_and_a_narrow_one_does_not():
    wide = pd.DataFrame({f"CONDITION{i}": [0.5, 0.25] for i in range(7)})
    tex = latex(wide, "wide")
    assert "pdflscape" in requires(tex)
    assert tex.splitlines()[2] == r"\begin{landscape}" and tex.splitlines()[-1] == r"\end{landscape}"
    assert "pdflscape" not in requires(latex(wide.iloc[:, :3], "narrow"))


def test_many_rows_make_a_longtable_with_repeated_heading():
    long = pd.DataFrame({"case": [f"H{i:03d}" for i in range(120)], "Y": [i / 120 for i in range(120)]})
    tex = latex(long, "memberships")
    assert requires(tex) == ["booktabs", "longtable"]
    assert r"\begin{table}" not in tex
    assert tex.count(r"\endhead") == tex.count(r"\endfirsthead") == 1
    assert r"\caption{Memberships}\label{tab:memberships}\\" in tex
    assert "longtable" not in latex(long.head(20), "short")
    wrapped = long.assign(note=CASES36)
    tex = latex(wrapped, "wrapped")          # a long table's wrapped column: a p column of the layout's width
    assert requires(tex) == ["array", "booktabs", "longtable"] and r"\begin{longtable}" in tex
    assert re.search(r"\{lr>\{\\raggedright\\arraybackslash\}p\{\d+\.\dpt\}\}", tex), tex.splitlines()[2]


def test_headings_of_several_words_stack_above_narrow_columns():
    df = pd.DataFrame({"analysis": ["Y"], **{f"{k} deviant coverage": [1] for k in ("robust", "shaky", "extreme")}})
    tex = latex(df)
    assert r"\begin{tabular}[b]{@{}r@{}}robust\\deviant\\coverage\end{tabular}" in tex


def test_a_giant_cell_continues_on_rows_of_its_own():
    models = "; ".join(f"M{i}: " + " + ".join(["A*B*~C*D"] * 6) for i in range(1, 9))
    tex = latex(pd.DataFrame({"test": ["TS1"], "solution": [models]}), "tests")
    rows = [x for x in tex.splitlines() if x.endswith(r"\\") and ("M" in x or x.startswith(" &"))]
    assert len(rows) > 2 and rows[1].startswith(" & ")
    chunks = LL._chunks(models)
    assert len(rows) == len(chunks) and all(len(c) <= LL.LONG_CELL for c in chunks)
    assert " ".join(chunks) == models


def test_fiss_symbols_have_the_charts_shapes_and_a_legend():
    assert set(L.FISS_SYMBOLS) == set(SYMBOLS.values())
    core, peripheral = SYMBOLS[("core", True)], SYMBOLS[("peripheral", True)]
    assert r"\scalebox{1.7}{$\bullet$}" in L.FISS_SYMBOLS[core] and L.FISS_SYMBOLS[peripheral] == r"$\bullet$"
    assert L.FISS_SYMBOLS[SYMBOLS[("core", False)]] == r"$\otimes$"
    assert r"\scalebox{0.6}{$\oslash$}" in L.FISS_SYMBOLS[SYMBOLS[("peripheral", False)]]
    table = pd.DataFrame({"condition": ["A", "B", "C", "D", "inclS", "solution inclS"],
                          "1": ["●", "⊘", "⊗", "•", 0.9, 0.9]})
    tex = latex(table, "configurations_Y")
    assert "graphicx" in requires(tex) and "wasysym" not in tex and r"\CIRCLE" not in tex
    assert r"\begin{tabular}{lc}" in tex
    assert r"\midrule inclS & 0.900 \\" in tex and r"\midrule solution inclS & 0.900 \\" in tex
    assert "core condition present" in tex and "(Fiss 2011)" in tex


def test_document_of_all_tables(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "fit.tex").write_text(latex(pd.DataFrame({"set": ["A"], "inclS": [0.9]}), "fit"))
    (tmp_path / "tables" / "memberships.tex").write_text(latex(pd.DataFrame({"case": ["a"] * 60, "Y": [0.5] * 60}),
                                                               "memberships"))
    (tmp_path / "tables" / "notes.tex").write_text("hand-written, no header\n")
    doc = latex_document(tmp_path / "tables")
    text = doc.read_text()
    assert doc.name == "tables.tex" and text == latex_document(tmp_path / "tables").read_text()
    assert r"\usepackage{booktabs}" in text and r"\usepackage{longtable}" in text
    assert text.index(r"\usepackage{booktabs}") < text.index(r"\usepackage{longtable}")
    assert r"\input{fit.tex}" in text and r"\input{memberships.tex}" in text and "notes" not in text
    assert r"\input{tables.tex}" not in text


def test_document_in_the_reports_order_with_its_numbers(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    for name in ("alpha", "beta", "gamma", "delta"):
        (folder / f"{name}.tex").write_text(latex(pd.DataFrame({"set": ["A"], "n": [1]}), name))
    L.set_number(folder / "gamma.tex", 3)
    L.set_number(folder / "alpha.tex", 7)
    L.set_number(L.set_number(folder / "beta.tex", 1), 5)        # a later number replaces the earlier one
    assert [L.number_of(folder / f"{n}.tex") for n in ("alpha", "beta", "gamma", "delta")] == [7, 5, 3, None]
    beta = (folder / "beta.tex").read_text()
    assert beta.count(r"\reportnumber{table}") == 1 and beta.splitlines()[1].startswith("% requires:")
    text = latex_document(folder).read_text()
    order = re.findall(r"\\input\{([^}]*)\.tex\}", text)
    assert order == ["gamma", "beta", "alpha", "delta"]
    assert "table A1 is written to this folder but not shown in the report" in text
    assert text.index(r"\renewcommand{\thetable}{A") < text.index(r"\input{delta.tex}")
    assert r"\renewcommand{\thetable}{A\arabic{table}}" in text


def test_numbers_under_long_headings_turn_their_headings_sideways():
    heads = [f"multiverse_share_with_solution_{i}" for i in range(14)]
    df = pd.DataFrame({h: [0.123, 0.456] for h in heads})
    tex = latex(df, "wide")
    assert r"\rotatebox{90}{multiverse\_share\_with\_solution\_0}" in tex and "graphicx" in requires(tex)
    narrow = latex(pd.DataFrame({"multiverse_share": [0.5]}), "narrow")
    assert r"\rotatebox" not in narrow and "graphicx" not in requires(narrow)


# ----------------------------------------------------------------------------------------------
# A real run compiled with pdflatex.

def _pdflatex(folder: Path, name: str) -> str:
    for _ in range(2):      # longtable settles its column widths on the second run
        proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
                              check=False, cwd=folder, capture_output=True, text=True, timeout=300)
        log = (folder / f"{name}.log").read_text(encoding="latin-1")
        assert proc.returncode == 0, "pdflatex failed:\n" + "\n".join(
            x for x in log.splitlines() if x.startswith(("!", "l.")))
    return log


def overfull_boxes(log: str) -> list:
    """The widths (pt) of every overfull \\hbox in a LaTeX log."""
    return [float(x) for x in re.findall(r"Overfull \\hbox \(([0-9.]+)pt too wide\)", log)]


@pytest.fixture(scope="module")
def run(study_runs):
    """The tables of the pipeline run of the smallest study (Lipset) this test session shares."""
    return study_runs("lipset")


@pytest.mark.slow
@pytest.mark.xdist_group("lipset")        # with the run it reads (make test's -n 2)
def test_every_table_of_a_run_names_caption_label_and_packages(run):
    tables = sorted(p for p in (run / "tables").glob("*.tex") if p.stem != "tables")
    assert len(tables) > 20
    for p in tables:
        tex = p.read_text(encoding="utf-8")
        assert set(requires(tex)) <= set(L.PACKAGES) and "booktabs" in requires(tex), p.name
        assert re.search(r"\\caption\{[^}]", tex) and rf"\label{{{L.label_of(p.stem)}}}" in tex, p.name
        for package, needs in (("longtable", r"\begin{longtable}"),
                               ("pdflscape", r"\begin{landscape}"), ("graphicx", r"\scalebox"),
                               ("tabularx", r"\begin{tabularx}")):
            if package != "graphicx" or r"\rotatebox" not in tex:
                assert (package in requires(tex)) == (needs in tex), (p.name, package)


@pytest.mark.slow
@pytest.mark.xdist_group("lipset")
def test_the_tables_carry_the_numbers_of_the_report(run):
    """Every table the report shows has its number in its .tex (Table k of the report), each number
    once; tables.tex inputs them in that order, then the tables written but not shown."""
    report = (run / "report.html").read_text(encoding="utf-8")
    numbers = {p.stem: L.number_of(p) for p in (run / "tables").glob("*.tex") if p.stem != "tables"}
    shown = {n: k for n, k in numbers.items() if k is not None}
    assert sorted(shown.values()) == sorted(set(shown.values())) and len(shown) > 20
    for name, k in shown.items():            # the report's caption of table k is the .tex's caption
        caption = re.search(r"\\caption\{(.*)\}\n?\\label", (run / "tables" / f"{name}.tex").read_text())
        assert caption, name
        assert re.search(rf"<strong>Table {k}\.</strong>", report), name
    order, unprinted = _listed((run / "tables" / "tables.tex").read_text())
    assert order[:len(shown)] == sorted(shown, key=shown.get)
    assert set(order[len(shown):]) == {n for n, k in numbers.items() if k is None}
    assert unprinted == {n for n in numbers if L.body_rows(run / "tables" / f"{n}.tex") > L.PRINT_ROWS}


def _listed(doc: str) -> tuple:
    """The tables of a tables.tex in its order (those it inputs and those too long to print), and
    the set of the latter."""
    found = re.findall(r"\\input\{([^}]*)\.tex\}|Table \\thetable\{\} \(([^)]*)\)", doc)
    order = [a or b.replace("\\_", "_") for a, b in found]
    return order, {b.replace("\\_", "_") for a, b in found if b}


IN_CI = bool(os.environ.get("COMPENDIUM_CI"))      # .ci/run installs pdflatex and sets it


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None and not IN_CI,
                    reason="pdflatex is not installed (apt-get install texlive-latex-base "
                           "texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended; .ci/run does)")
@pytest.mark.xdist_group("lipset")
def test_document_of_every_table_of_a_run_compiles_without_overfull_boxes(run, tmp_path):
    assert shutil.which("pdflatex"), "pdflatex is missing in CI: .ci/run should have installed it"
    folder = tmp_path / "tables"
    shutil.copytree(run / "tables", folder)
    doc = latex_document(folder)
    assert doc.read_bytes() == (run / "tables" / "tables.tex").read_bytes()     # the run's own document
    log = _pdflatex(folder, doc.stem)
    assert "LaTeX Error" not in log and "Undefined control sequence" not in log
    assert overfull_boxes(log) == []
    order, unprinted = _listed(doc.read_text())
    labels = dict(re.findall(r"\\newlabel\{(tab:[^}]*)\}\{\{([^}]*)\}", (folder / "tables.aux").read_text()))
    assert sorted(labels) == sorted(L.label_of(n) for n in order if n not in unprinted)   # every table was typeset
    appendix = 0
    for name in order:                       # LaTeX numbers each table as the report does (A1, A2, ...: not shown)
        k = L.number_of(folder / f"{name}.tex")
        appendix += k is None
        if name not in unprinted:            # (one too long to print keeps its number: its line says it)
            assert labels[L.label_of(name)] == (str(k) if k is not None else f"A{appendix}"), name


def test_ci_checks_every_package_the_tables_name():
    """.ci/run installs TeX when pdflatex or one of the tables' packages is missing: its list is
    the tables' (a package added to PACKAGES and not to CI would fail only on a clean machine)."""
    ci = (ROOT / ".ci" / "run").read_text()
    listed = re.search(r"for sty in ([a-z ]+); do", ci)
    assert listed and set(listed.group(1).split()) == set(L.PACKAGES)


def test_a_table_too_long_to_print_keeps_its_number_and_names_its_files(tmp_path):
    from analysis.report.latex import PRINT_ROWS, latex_document, latex_table, set_number
    long = pd.DataFrame({"case": [f"c{i}" for i in range(PRINT_ROWS + 1)], "inclS": 0.9})
    (tmp_path / "cases.tex").write_text(latex_table(long, "cases"))
    (tmp_path / "fit.tex").write_text(latex_table(pd.DataFrame({"set": ["A"], "inclS": [0.9]}), "fit"))
    set_number(tmp_path / "cases.tex", 4)
    set_number(tmp_path / "fit.tex", 5)
    text = latex_document(tmp_path).read_text()
    assert r"\input{fit.tex}" in text and r"\input{cases.tex}" not in text
    assert r"\setcounter{table}{4}" in text and f"{PRINT_ROWS + 1:,} rows, not printed" in text
    assert "cases.csv and cases.md in this folder" in text
