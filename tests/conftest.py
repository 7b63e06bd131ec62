import fcntl
import functools
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml
from _pytest.nodeid import NodeId     # see pytest_collection_modifyitems

from analysis.qca import smmr, solve, truth_table
from analysis.qca.casestudies import SETMETHODS_COLUMNS
from analysis.qca.datasets import load

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "tests" / "fixtures" / "reference"
STUDY = ROOT / "data" / "ppip" / "study.yml"
CSV = ROOT / "data" / "ppip" / "raw" / "cases.csv"
CONDITIONS = ["CONTRACT", "NORMS", "RISK", "KNOW", "PUBLIC"]

# Every figure a test draws or a test's run saves is held artist by artist against its canvas
# (analysis.report.canvas.check_fits); a run outside the tests checks the saved image only.
os.environ["COMPENDIUM_CHECK_FIGURES"] = "full"


TOL = 1e-6


def term_key(term):
    """A conjunction as a set of literals: 'DEV*~IND' -> {'DEV', '~IND'}."""
    return frozenset(term.replace(" ", "").split("*"))


def models_by_key(block):
    """{model as a set of terms: its fit record} for a solution (a list of blocks too)."""
    blocks = block if isinstance(block, list) else [block]
    out = {}
    for b in blocks:
        fits = {frozenset(map(term_key, f["model"])): f for f in b["fits"]}
        for m in b["models"]:
            key = frozenset(map(term_key, m))
            out[key] = fits[key]
    return out


def assert_truth_table_and_necessity_equal(ref, got):
    """The observed rows (OUT, n, cases, incl, PRI) and the necessity scores, to ``TOL``."""
    rows = {r["row"]: r for r in got["truth_table"] if r["n"] > 0}
    assert set(rows) == {r["row"] for r in ref["truth_table"]}
    for r in ref["truth_table"]:
        g = rows[r["row"]]
        assert (g["OUT"], g["n"], sorted(g["cases"])) == (r["OUT"], r["n"], sorted(r["cases"]))
        assert g["incl"] == pytest.approx(r["incl"], abs=TOL)
        assert g["PRI"] == pytest.approx(r["PRI"], abs=TOL)
    nec = {n["condition"]: n for n in got["necessity"]}
    for n in ref["necessity"]:
        for k in ("inclN", "RoN", "covN"):
            assert nec[n["condition"]][k] == pytest.approx(n[k], abs=TOL), (n["condition"], k)


def assert_solution_equal(ref, got, fits=True):
    """Every tied model of a solution, and (with ``fits``) every parameter of fit, to ``TOL``."""
    want, have = models_by_key(ref), models_by_key(got)
    assert set(have) == set(want)
    for key, rf in (want.items() if fits else ()):
        gf = have[key]
        for k in ("inclS", "PRI", "covS"):
            assert gf[k] == pytest.approx(rf[k], abs=TOL)
        terms = {term_key(t["term"]): t for t in gf["terms"]}
        for rt in rf["terms"]:
            for k in ("inclS", "PRI", "covS", "covU"):
                if rt.get(k) is not None:          # R gives no covU for a model of one term
                    assert terms[term_key(rt["term"])][k] == pytest.approx(rt[k], abs=TOL), (rt["term"], k)


def load_dataset(name: str) -> pd.DataFrame:
    df = pd.read_csv(REF / "datasets" / name)
    return df.set_index(df.columns[0])


@pytest.fixture(scope="session")
def specs():
    return json.loads((REF / "specs.json").read_text())


@pytest.fixture(scope="session")
def lipset():
    return load_dataset("LF.csv")


@pytest.fixture(scope="session")
def study():
    """The PPIP study file, loaded."""
    from analysis.studyfile import load_study
    return load_study(STUDY)


@pytest.fixture(scope="session")
def raw(study):
    """The PPIP raw data, checked against the codebook."""
    from analysis.rawdata import load_raw
    return load_raw(study)


@pytest.fixture(scope="session")
def measures(study, raw):
    """The PPIP measures (the mean of each measure's indicators)."""
    from analysis.measures import build_measures
    return build_measures(study, raw)


RUNS = "COMPENDIUM_TEST_RUNS"     # a folder of default study runs shared by test processes


def study_digest(path: Path) -> str:
    """What a default run of the study file ``path`` reads: every file of its folder and its data
    file, by name and content.  Two studies with the same digest give the same run (the runs are
    deterministic: test_pipeline.test_two_runs_are_byte_identical)."""
    from analysis.studyfile import load_study
    folder = path.parent
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    data = load_study(path).data_path.resolve()
    files += [] if data.is_relative_to(folder.resolve()) else [data]
    h = hashlib.sha256(folder.name.encode())
    for p in files:
        content = p.read_bytes()
        h.update(f"\0{p.relative_to(folder) if p.is_relative_to(folder) else p}\0{len(content)}\0".encode() + content)
    return h.hexdigest()[:16]


def _shared_runs(tmp_path_factory) -> Path:
    """$COMPENDIUM_TEST_RUNS (a nested test session: test_scaffold), else the session's temporary
    folder, the one all pytest-xdist workers of the session share."""
    if os.environ.get(RUNS):
        return Path(os.environ[RUNS])
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "study_runs"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def study_runs(tmp_path_factory):
    """``study_runs(study)``: the output folder of a default pipeline run of ``study`` (a name of
    the studies' folder, or the path of a study file), run once for the whole test session: once
    for all pytest-xdist workers and for a nested session given ``study_runs.folder`` as
    $COMPENDIUM_TEST_RUNS (a file lock makes the others wait for the first).  A study is known by
    its content (``study_digest``), so a copy of a study reuses the run.  Slow tests only."""
    from analysis.pipeline.studies import study_file
    shared = _shared_runs(tmp_path_factory)

    def run(study) -> Path:
        path = study_file(study).resolve()
        name = path.parent.name
        home = shared / f"{name}-{study_digest(path)}"
        out, log, failed = home / "run", home / "stderr.txt", home / "failed.txt"
        with open(shared / f"{home.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)           # released when the file closes
            if not log.is_file() and not failed.is_file():
                shutil.rmtree(home, ignore_errors=True)    # what a run stopped half-way left
                home.mkdir()
                proc = subprocess.run([sys.executable, "-m", "analysis.pipeline", "--study", str(path), "--out", str(out)],
                                      cwd=ROOT, capture_output=True, text=True, timeout=1200)
                (log if proc.returncode == 0 else failed).write_text(proc.stderr)
        assert not failed.is_file(), f"the default run of {name} failed:\n{failed.read_text()}"
        run.stderr[study] = run.stderr[name] = log.read_text()
        return out
    run.stderr = {}          # what each run printed (its progress lines)
    run.folder = shared      # for a nested session ($COMPENDIUM_TEST_RUNS)
    return run


# What the longest parts of the suite cost, in CPU seconds (the test process and the processes it
# starts; make test on 2 processes at f2f6d86, 7 Dec 2026): a study's group (``xdist_group``: its
# default run and the tests that read it) or a test file's tests outside any group.  Used only to
# order the work (pytest_collection_modifyitems); a file missing here only starts later.
COSTS = {"ppip": 64, "pss": 44, "lipset": 37, "clinics": 9, "mv-ppip-plain": 14,
         "tests/test_signals_runs.py": 33, "tests/test_multiverse_reference.py": 32,
         "tests/test_pipeline_swap.py": 19, "tests/test_standin.py": 19, "tests/test_speed6_m1_shares.py": 18,
         "tests/test_scaffold.py": 16, "tests/test_qca_chart.py": 16, "tests/test_robustness_speed_protocol.py": 14,
         "tests/test_multiverse.py": 13, "tests/test_speed6_m2_small.py": 11, "tests/test_study_mv.py": 10,
         "tests/test_figures.py": 8, "tests/test_bad_input_writes.py": 8, "tests/test_speed6_r_sweep.py": 8,
         "tests/test_studyfile.py": 7, "mv-chunks": 7, "tests/test_qca_smmr.py": 6,
         "tests/test_speed_round5_coded.py": 6, "tests/test_bad_input_run.py": 5.5, "tests/test_bad_input_cli.py": 5,
         "tests/test_qca_cli_fuzz.py": 4.5, "tests/test_report_html.py": 4, "tests/test_rawdata_fuzz.py": 4,
         "tests/test_speed6_p_children.py": 4, "tests/test_multiverse_speedpath.py": 3.5,
         "tests/test_figures_speed_layout.py": 3.3, "tests/test_benchmark_harness.py": 2.8}
NESTED = "tests/test_scaffold.py::test_the_study_tests_pass_with_the_new_studies_added"
AT_ONCE = "tests/test_studies.py::test_every_study_at_once_under_one_folder"


def _unit(item) -> str:
    """What is sent to one worker together: a test's xdist group, else (for ordering) its file."""
    group = item.get_closest_marker("xdist_group")
    return group.args[0] if group else item.nodeid.split("::")[0]


def _longest_first(items) -> list:
    """The groups and files in ``COSTS``, most costly first, then the tests marked
    ``after_the_runs`` (when the study runs are made or being made), then everything else in the
    order collected: the two workers of make test start on the longest work and end on small
    tests, together, instead of one finishing a long test alone (pytest-xdist hands out the work in
    this order).  Each unit's tests stay together and in their order (a stable sort)."""
    first = {}
    for i, item in enumerate(items):
        first.setdefault(_unit(item), i)

    def key(item):
        unit = _unit(item)
        if item.get_closest_marker("after_the_runs"):
            return (1, 0, first[unit])
        return (0, -COSTS[unit], first[unit]) if unit in COSTS else (2, 0, first[unit])
    return sorted(items, key=key)


def pytest_configure(config):
    """pytest-xdist hands out the work in the order of ``_longest_first``: by default its
    ``--dist loadgroup`` puts the groups with the most tests first instead (``--loadscope-reorder``)."""
    if getattr(config.option, "dist", None) == "loadgroup":          # the controller (make test)
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The longest work first and the tests marked ``after_the_runs`` after it (``_longest_first``).

    test_studies' whole regeneration over every study (``AT_ONCE``) is left to test_scaffold's
    nested session (``NESTED``) when it runs: there the same test runs over the same studies and
    the three it adds (the nested test asserts that it passed).

    In a pytest-xdist worker with ``--dist loadgroup`` (make test), a test marked
    ``xdist_group(name)`` gets ``@name`` at the end of its id, by which the scheduler sends a group
    to one worker: pytest-xdist 3.8 writes it to ``item._nodeid``, which pytest 9.2 no longer reads
    (the id is ``item._id``), so without this the groups are silently ignored."""
    if any(item.nodeid == NESTED for item in items):
        left = [item for item in items if item.nodeid == AT_ONCE]
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = [item for item in items if item.nodeid != AT_ONCE]
    items[:] = _longest_first(items)
    if getattr(config.option, "loadgroup", False):
        for item in items:
            group = item.get_closest_marker("xdist_group")
            if group and not item.nodeid.endswith(f"@{group.args[0]}"):
                item._id = NodeId.parse(f"{item.nodeid}@{group.args[0]}")


def readme_findings(study: str) -> str:
    """The README's copy of a study's findings in brief (between its two markers)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = f"<!-- findings: {study} -->\n", f"<!-- /findings: {study} -->"
    assert start in text and end in text, f"README has no findings block for {study}"
    return text[text.index(start) + len(start):text.index(end)]


# ---------------------------------------------------------------------- the bad-input catalogue
# (test_bad_input_data.py, test_bad_input_study.py, test_bad_input_run.py)

def data_file(tmp_path, edit=None, name="cases.csv") -> Path:
    """A copy of the raw data outside any raw/ folder (so not checksum-guarded), edited."""
    df = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    if edit is not None:
        df = edit(df)
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def text_file(tmp_path, content, name="cases.csv") -> Path:
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return path


def study_file(tmp_path, edit) -> Path:
    """A copy of the study file reading the real raw data, edited by ``edit(spec)``."""
    spec = yaml.safe_load(STUDY.read_text())
    spec["data"] = str(CSV)
    edit(spec)
    folder = tmp_path / "study"
    folder.mkdir(exist_ok=True)
    path = folder / "study.yml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def pipeline_error(capsys, tmp_path, *args) -> str:
    """Run the pipeline's command line in-process; expect exit 2 and one line naming the problem."""
    from analysis import pipeline
    out = tmp_path / "out"
    study = [] if "--study" in map(str, args) else ["--study", "ppip"]
    try:
        code = pipeline.main([*study, *map(str, args), "--out", str(out)])
    except SystemExit as stop:          # argparse's own refusal (an unknown option)
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2, err
    lines = [line for line in err.strip().splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not lines[0].startswith("error: unexpected"), lines[0]   # a bug, not bad input
    assert "Traceback" not in err
    assert not out.exists()
    return lines[0]


def qca_cli(*args):
    """The engine's command line in-process (``analysis.qca.__main__.main(argv)``, what
    ``python -m analysis.qca`` calls): its exit status, standard output and standard error."""
    from analysis.qca import __main__ as qca
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = qca.main([*map(str, args)])
        except SystemExit as stop:          # argparse's refusal of an option
            code = stop.code
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def cli_error(capsys, *args) -> str:
    """Run the engine's command line in-process; expect exit 2 and one line ``error: ...``."""
    from analysis.qca import __main__ as qca
    code = qca.main([*map(str, args)])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert not lines[0].startswith("error: unexpected"), lines[0]   # a bug, not bad input
    return lines[0]


def has(line, *words):
    for w in words:
        assert w in line, f"{w!r} not in {line!r}"


def setcell(row, col, value):
    def edit(d):
        d.loc[row, col] = value
        return d
    return edit


MEMBERSHIPS = "case,A,B,Y\nc1,0.2,0.1,0.3\nc2,0.8,0.9,0.9\nc3,0.7,0.2,0.6\nc4,0.1,0.8,0.2\n"


# ---------------------------------------------------------------------- SetMethods' smmr fixtures
# (test_qca_smmr.py, test_qca_smmr_differences.py): tests/fixtures/setmethods/smmr, made by r_smmr.R

SMMR_FIX = ROOT / "tests" / "fixtures" / "setmethods" / "smmr"
SMMR_TOL = 1e-9
SMMR_FILES = {name: json.loads((SMMR_FIX / f"smmr_{name}.json").read_text()) for name in ("SCHF", "LF", "necessity")}
CALLS = {c["id"]: (name, c) for name, f in SMMR_FILES.items() for c in f["calls"]}
TITLE_PREFIXES = ("Typical Cases - Necessary Focal Conjunct ", "Typical Cases - Focal Conjunct ",
                  "Necessary Focal Conjunct ", "Focal Conjunct ", "Term ")


@lru_cache(maxsize=None)
def _solution(file: str, name: str):
    s = SMMR_FILES[file]["solutions"][name]
    data = load("SCHF").rename(columns={"UNI": "STOCK2"}) if s["data"] == "SCHF2" else load(s["data"])
    tt = truth_table(data, s["outcome"].lstrip("~"), incl_cut=s["incl_cut"],
                     neg_out=s["outcome"].startswith("~"))
    sols = solve(tt, dir_exp=s["dir_exp"])
    if s["dir_exp"] is not None:
        return tt, sols
    return tt, sols.parsimonious if s["include"] == "?" else sols.complex


@lru_cache(maxsize=None)
def _ours(call_id: str):
    file, call = CALLS[call_id]
    tt, solution = _solution(file, call["solution"])
    kw = dict(cases=call["cases"], match=call["match"], necessity=call["necessity"], term=call["term"],
              nec_cond=call["nec_cond"], max_pairs=call["max_pairs"])
    if call["necessity"]:
        return smmr(None, tt, **kw)
    if call["sol"] == 1:
        return smmr(solution, tt, models="first", **kw)     # SetMethods' default model
    return smmr(solution, tt, sol=call["sol"], **kw)


def _groups(call: dict, key: str) -> list:
    """SetMethods' tables as [((term, focal), rows)]: a focal conjunct's or a term's table, a
    necessary condition's; the single tables of typical and deviant consistency cases split by
    their Term column."""
    out = []
    for table in call[key]:
        rows = table["results"] if isinstance(table["results"], list) else []
        prefix = next((p for p in TITLE_PREFIXES if table["title"].startswith(p)), None)
        name = table["title"][len(prefix):] if prefix else table["title"]
        if call["necessity"] or prefix == "Term ":
            out.append(((name, None), rows))
        elif prefix:
            out.append(((None, name), rows))
        elif rows and isinstance(rows[0].get("Term"), str):
            for term in dict.fromkeys(r["Term"] for r in rows):
                out.append(((term, None), [r for r in rows if r["Term"] == term]))
        else:
            out.append(((None, None), rows))
    return out


def _select(ours, key):
    term, focal = key
    if ours.empty:
        return []
    rows = ours if term is None else ours[ours.term == term]
    rows = rows if focal is None else rows[rows.focal == focal]
    return rows.to_dict("records")


def _equal(ours, theirs) -> bool:
    if theirs is None or theirs == "-":                  # R's NA, and "-" for a rank that does not apply
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if isinstance(theirs, bool):
        return isinstance(ours, (bool, np.bool_)) and bool(ours) == theirs
    if isinstance(theirs, (int, float)):
        return not isinstance(ours, (str, bool, np.bool_)) and ours is not None and abs(ours - theirs) <= SMMR_TOL
    return ours == theirs


def _differences(ours, key, rows) -> list:
    """Where our rows differ from SetMethods' table: cases, order, every column, to SMMR_TOL."""
    mine = _select(ours, key)
    out = [f"{key}: {len(rows)} rows in R, {len(mine)} ours"] if len(rows) != len(mine) else []
    for n, (r, m) in enumerate(zip(rows, mine), 1):
        for column, value in r.items():
            if column == "_row":
                if "case" in m and not value.isdigit() and m["case"] != value:     # a case named by its row
                    out.append(f"{key} row {n}: case {value} in R, {m['case']} ours")
                continue
            if column == "Term" and isinstance(value, str):
                continue                                          # the table's term (the group)
            ours_column = SETMETHODS_COLUMNS.get(column, "outcome" if column in ("EXPORT", "SURV") else column)
            if ours_column not in m or not _equal(m[ours_column], value):
                out.append(f"{key} row {n}: {column} = {value!r} in R, {m.get(ours_column)!r} ours")
    return out


def _content(rows) -> list:
    """A table's rows without R's row numbers (a row name that is a case name stays)."""
    return [{k: v for k, v in r.items() if not (k == "_row" and v.isdigit())} for r in rows]


def _unaffected(call) -> list:
    """SetMethods' tables that its fixes leave as they are."""
    if call["error"] or call["fixed_error"]:
        return []
    fixed = dict((k, _content(rows)) for k, rows in _groups(call, "fixed"))
    return [(k, rows) for k, rows in _groups(call, "tables") if fixed.get(k) == _content(rows)]


def _call(call_id):
    return CALLS[call_id][1]


def _table(call_id, key, title):
    return next(t["results"] for t in _call(call_id)[key] if t["title"] == title)


# ---------------------------------------------------------------------- the multiverse's plain path
# (test_multiverse_speedpath.py, test_speed6_m1_shares.py: xdist group mv-ppip-plain)

PLAIN_SPECS = 240           # PPIP specifications, the study's sample seed, in 4 chunks


class PlainPPIP:
    """PPIP's multiverse sample of ``PLAIN_SPECS`` specifications (the study file's seed), its
    universe (chunks of a quarter of them), and ``chunks``: each quarter evaluated by the plain
    per-specification path, made once for the session (the reference of both the fast path and the
    shared-out run): every coding through the engine's ``truth_table`` on a pandas frame, the claims
    judged afresh in each chunk, the caches emptied first."""

    def __init__(self):
        from dataclasses import replace
        from analysis.measures import build_measures
        from analysis.multiverse import prepare
        from analysis.multiverse.grid import sample
        from analysis.rawdata import load_raw
        from analysis.studyfile import load_study
        self.study = load_study(STUDY)
        self.measures = build_measures(self.study, load_raw(self.study))
        self.settings = replace(self.study.multiverse, chunk=PLAIN_SPECS // 4)
        self.universe = prepare(self.study, self.measures, self.study.thresholds, self.settings)
        self.numbers, _ = sample(self.universe.grid, PLAIN_SPECS, self.settings.seed)

    @staticmethod
    def clear():
        """Every cache the fast and the plain path keep across calls, emptied."""
        import analysis.coded as coded
        import analysis.codings as codings
        from analysis.multiverse import evaluate as ev
        ev._REPORTED.clear()
        ev._VERDICTS.clear()
        coded._CACHE.clear()
        codings._CACHE.clear()

    @staticmethod
    def plain(universe, numbers) -> pd.DataFrame:
        """``evaluate`` without the look-ups: the engine's truth table for every coding, the claims
        judged afresh."""
        from analysis.multiverse import evaluate as ev
        with pytest.MonkeyPatch.context() as m:
            m.setattr(ev, "_binary", lambda u: False)
            m.setattr(ev, "_verdicts", lambda u: {})
            return ev.evaluate(universe, numbers)

    @functools.cached_property
    def chunks(self) -> list:
        self.clear()
        size = self.settings.chunk
        return [self.plain(self.universe, self.numbers[j * size:(j + 1) * size]) for j in range(4)]


@pytest.fixture(scope="session")
def ppip_plain():
    return PlainPPIP()
