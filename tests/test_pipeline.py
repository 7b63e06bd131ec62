"""The pipeline (python -m analysis.pipeline): validation first, complete output, determinism,
and a failed run that leaves the previous results untouched.

The two full runs share one module-scoped fixture (each run starts four kernels, ~15 s).
"""
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from analysis.parameters import THRESHOLDS
from analysis.qca import solve, truth_table
from analysis.report import configurations, figures
from analysis.studyfile import load_study

from conftest import has, pipeline_error, readme_findings

pytestmark = [pytest.mark.slow,   # runs whole studies (make test runs it; -m 'not slow' skips it)
              pytest.mark.xdist_group("ppip")]   # in the process that makes the PPIP run (make test's -n 2)

ROOT = Path(__file__).resolve().parent.parent
# every analysis of the study file: each outcome it analyses (the joint ones too) and its negation
_PPIP = load_study(ROOT / "data" / "ppip" / "study.yml")
OUTCOMES = [pre + y for y in _PPIP.analysed_outcomes for pre in ("", "not")]


def pipeline(*args, cwd=ROOT):
    study = [] if "--study" in map(str, args) else ["--study", "ppip"]
    return subprocess.run([sys.executable, "-m", "analysis.pipeline", *study, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("args, words", [
    (["--set", "incl_cutoff=0.9"], ["incl_cutoff", *THRESHOLDS]),
    (["--set", "incl_cut=1.5"], ["incl_cut", "[0.5, 1]", "1.5"]),
    (["--set", "n_cut=0"], ["n_cut", "at least 1"]),
    (["--set", "pri_cut=abc"], ["pri_cut", "number"]),
    (["--set", "incl_cut"], ["NAME=VALUE"]),
    (["--study", "no/such/study.yml"], ["study file not found"]),
    (["--data", "no/such/cases.csv"], ["raw data file not found"]),
    (["--unknown-flag"], ["unrecognized arguments"]),
])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, args, words):
    # in-process (the real processes: test_bad_input_run.test_real_command_lines)
    monkeypatch.chdir(ROOT)
    has(pipeline_error(capsys, tmp_path, *args), *words)


def test_n_cut_above_number_of_cases(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "n_cut=1000"), "exceeds the number of cases")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, study_runs):
    base = tmp_path_factory.mktemp("runs")
    shared = study_runs("ppip")          # the test session's default PPIP run (conftest.study_runs)
    shutil.copytree(shared, base / "a")
    a = SimpleNamespace(returncode=0, stderr=study_runs.stderr["ppip"], folder=shared.parent)
    # Same thresholds as the study file, given explicitly, and an output folder whose name is not
    # ASCII: the output must not change.
    b = pipeline("--set", "incl_cut=0.8", "pri_cut=0.7", "--out", base / "b-résultats")
    assert b.returncode == 0, b.stderr
    return base, a, b


def test_run_writes_every_output(two_runs):
    base, proc, _ = two_runs
    out = base / "a"
    for n in ("01_data", "02_calibration", "03_necessity", "04_sufficiency", "05_robustness", "06_multiverse", "07_findings"):
        assert (out / "executed" / f"{n}.ipynb").is_file()
        assert f"{n}.ipynb ... done" in proc.stderr
    for name in OUTCOMES:
        body = json.loads((out / "solutions" / f"{name}.json").read_text())
        assert {"truth_table", "necessity", "solutions", "incl_cut", "pri_cut", "n_cut", "dir_exp"} <= set(body)
        assert body["incl_cut"] == 0.8 and body["pri_cut"] == 0.7
        for ext in ("csv", "md", "tex"):
            assert (out / "tables" / f"truth_table_{name}.{ext}").is_file()
            assert (out / "tables" / f"solutions_{name}.{ext}").is_file()
        for ext in ("png", "svg"):       # one chart, or one per tied intermediate model (..._C1P1_M1)
            assert (out / "figures" / f"configurations_{name}.{ext}").is_file() or \
                list((out / "figures").glob(f"configurations_{name}_C*P*_M*.{ext}"))
        mem = pd.read_csv(out / "robustness" / f"{name}_memberships.csv")
        assert list(mem.columns[:3]) == ["case", "Y", "IS"] and mem.columns[3] == "TS1"
        fit = json.loads((out / "robustness" / f"{name}_fit.json").read_text())
        assert {"RF_cov", "RF_cons", "RF_SC_minTS", "RF_SC_maxTS", "case_types", "RCR_typ", "RCR_dev",
                "RCC_Rank", "sensitivity_ranges"} <= set(fit)
    assert (out / "figures" / "calibration.png").is_file()
    assert (out / "report.html").is_file()                    # tests/test_report_html.py checks it
    assert list((out / "figures").glob("xy_*.svg"))
    for t in ("measures", "reliability", "calibrated", "calibration_summary", "necessity", "claims"):
        for ext in ("csv", "md", "tex"):
            assert (out / "tables" / f"{t}.{ext}").is_file()
    cal = pd.read_csv(out / "tables" / "calibrated.csv")
    assert list(cal.columns) == ["case", *_PPIP.conditions, *_PPIP.analysed_outcomes]
    assert (cal["MPV_PPV"] == cal[["MPV", "PPV"]].min(axis=1)).all()      # the joint outcome: fuzzy AND
    assert ((cal["MPV_only"] - pd.concat([cal["MPV"], 1 - cal["PPV"]], axis=1).min(axis=1)).abs() < 1e-9).all()  # MPV*~PPV
    assert cal.drop(columns="case").stack().between(0, 1).all()
    assert not list(proc.folder.glob(".run.*")) and not list(base.glob(".b-*")), "temporary folders left behind"


def test_findings_record_the_run(two_runs):
    out = two_runs[0] / "a"
    f = json.loads((out / "findings.json").read_text())
    data = ROOT / "data" / "ppip" / "raw" / "cases.csv"
    assert f["data"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert f["thresholds"] == {"incl_cut": 0.8, "pri_cut": 0.7, "n_cut": 1, "necessity_incl": 0.9,
                               "necessity_ron": 0.5}
    assert f["synthetic"] is True and "SYNTHETIC" in f["notice"]
    assert set(f["solutions"]) == set(OUTCOMES)
    assert {c["status"] for c in f["claims"]} <= {"pass", "fail"}
    assert len(f["claims"]) == f["claims_total"] > 0
    assert "numpy" in f["packages"] and "python" in f["packages"]
    md = (out / "findings.md").read_text()
    assert "SYNTHETIC STAND-IN DATA" in md.splitlines()[2]
    assert "## How far each claim holds" in md and f["data"]["sha256"] in md
    for name in ("01_data", "04_sufficiency"):
        nb = nbformat.read(out / "executed" / f"{name}.ipynb", as_version=4)
        assert "SYNTHETIC STAND-IN DATA" in json.dumps(nb.cells[3].outputs)


def test_two_runs_are_byte_identical(two_runs):
    base = two_runs[0]
    files = sorted(p.relative_to(base / "a") for p in (base / "a").rglob("*")
                   if p.is_file() and p.suffix in {".csv", ".md", ".tex", ".json", ".png", ".svg", ".html"})
    assert len(files) > 50
    different = [str(p) for p in files if (base / "a" / p).read_bytes() != (base / "b-résultats" / p).read_bytes()]
    assert different == []
    assert files == sorted(p.relative_to(base / "b-résultats") for p in (base / "b-résultats").rglob("*")
                           if p.is_file() and p.suffix in {".csv", ".md", ".tex", ".json", ".png", ".svg", ".html"})
    text = (base / "a" / "findings.md").read_text() + (base / "a" / "solutions" / "MPV.json").read_text()
    assert str(base) not in text, "absolute paths in the results"
    for nb in (base / "b-résultats" / "executed").glob("*.ipynb"):      # no temporary folder's name
        assert ".tmp-" not in nb.read_text(encoding="utf-8"), nb.name


def test_failed_run_keeps_previous_results(two_runs, tmp_path):
    base = two_runs[0]
    out = base / "a"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    books = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", books)
    nb = nbformat.read(books / "02_calibration.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("deliberate failure")'))
    nbformat.write(nb, books / "02_calibration.ipynb")
    proc = pipeline("--out", out, "--notebooks", books)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: 02_calibration.ipynb failed: RuntimeError: deliberate failure"]
    assert "Traceback" not in proc.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(base.glob(".a.*")), "temporary folders left behind"


def test_figures_are_byte_identical(tmp_path):
    x = pd.DataFrame({"A": [0.1, 0.7, 0.9, 0.2, 0.8], "B": [0.3, 0.9, 0.6, 0.1, 0.7],
                      "Y": [0.2, 0.8, 0.9, 0.1, 0.6]}, index=list("abcde"))
    for run in ("one", "two"):
        figures.write_png_svg(figures.xy_plot(x, "A*B", "Y"), tmp_path / run, "xy")
    for ext in ("png", "svg"):
        assert (tmp_path / "one" / f"xy.{ext}").read_bytes() == (tmp_path / "two" / f"xy.{ext}").read_bytes()


def test_configuration_table_core_and_peripheral():
    x = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1, 0.9, 0.3, 0.7, 0.2],
                      "B": [0.1, 0.2, 0.9, 0.8, 0.7, 0.9, 0.3, 0.1],
                      "C": [0.8, 0.9, 0.7, 0.2, 0.1, 0.9, 0.2, 0.3]}, index=list("abcdefgh"))
    x["Y"] = [0.9, 0.8, 0.3, 0.2, 0.2, 0.4, 0.1, 0.2]
    sols = solve(truth_table(x, "Y", ["A", "B", "C"], incl_cut=0.8), [1, 1, 1])
    table = configurations.configuration_table(sols, ["A", "B", "C"])
    pars = {lit for m in sols.parsimonious.models for t in m.terms for lit in t}
    inter = sols.intermediate[0].models[0].terms
    for j, term in enumerate(inter):
        for cond, present in term:
            kind = "core" if (cond, present) in pars else "peripheral"
            assert table.iloc[list(table.index).index(cond), j] == configurations.SYMBOLS[(kind, present)]
    assert set(configurations.FIT_ROWS + configurations.SOLUTION_ROWS) <= set(table.index)
    assert table.attrs["block"] == "C1P1"


def test_the_readme_shows_what_a_fresh_run_finds(two_runs):
    from analysis.report.findings_text import summary_markdown
    fresh = summary_markdown(json.loads((two_runs[0] / "a" / "findings.json").read_text()))
    assert readme_findings("ppip") == fresh, f"README.md's findings of ppip are out of date; paste:\n{fresh}"


def test_no_figure_of_a_run_is_clipped(two_runs):
    """save_figure refused every clipped figure (check_fits); the saved PNGs keep a blank margin."""
    from analysis.report.canvas import check_saved_png
    pngs = sorted((two_runs[0] / "a" / "figures").glob("*.png"))
    assert {p.stem.split("_")[0] for p in pngs} >= {"calibration", "configurations", "xy", "terms", "robustness"}
    for png in pngs:
        check_saved_png(png)
        assert png.with_suffix(".svg").is_file()
