"""The multiverse (analysis.multiverse): every specification equals the engine run on its own,
the shares equal a direct count, local processes and a Dask LocalCluster write the same bytes,
and an interrupted run resumes."""
import json
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import StudyError
from analysis.analyses import Cuts
from analysis.claims import ledger
from analysis.measures import build_measures
from analysis.memberships import calibrate_set
from analysis.multiverse import run_multiverse
from analysis.claims.schema import beyond_defaults
from analysis.multiverse.evaluate import evaluate
from analysis.multiverse.grid import sample
from analysis.multiverse.settings import read_multiverse
from analysis.multiverse.store import chunk_path, read_chunks
from analysis.multiverse.universe import prepare
from analysis.pipeline.multiverse_cli import main as multiverse_main
from analysis.qca import (
    membership,
    solve,
    sufficiency,
    term_string,
    truth_table,
)
from analysis.rawdata import load_raw
from analysis.studyfile import load_study

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"anchor_shifts": [-0.03, 0, 0.03], "incl_cut": [0.75, 0.8], "n_cut": [1, 2],
            "cases": {"leave_one_out": True, "subsamples": 3, "share": 0.8},
            "conditions": {"drop_one": True, "sets": {"socioeconomic": ["DEV", "URB", "LIT", "IND"]}},
            "size": 60, "seed": 7, "chunk": 20}


@pytest.fixture(scope="module")
def lipset():
    study = load_study(ROOT / "data" / "lipset" / "study.yml")
    settings = read_multiverse(SETTINGS, "test", study.conditions, study.sets)
    study = replace(study, multiverse=settings)
    return study, build_measures(study, load_raw(study))


def _by_hand(study, measures, labels):
    """One specification the long way: calibrate, subset, truth table, solve, ledger."""
    cases = [str(c) for c in measures.index]
    data = {}
    for s, (e, c, i) in study.anchors.items():
        lo, hi = study.scales[s]
        d = labels.get(f"anchors {s}", 0.0)
        data[s] = calibrate_set(measures[s].to_numpy(dtype=float), tuple(v + d * (hi - lo) for v in (e, c, i)),
                                study.calibration, s)
    frame = pd.DataFrame(data, index=pd.Index(cases, name="case"))
    for name, j in study.joint.items():
        frame[name] = membership(frame, j.expression).to_numpy()
    case = labels["cases"]
    kept = frame
    if case.startswith("-"):
        kept = frame.drop(index=case[1:])
    conds = list(study.conditions)
    if labels["conditions"].startswith("-"):
        conds.remove(labels["conditions"][1:])
    elif labels["conditions"] != "all":
        conds = [c for c in conds if c in study.multiverse.condition_sets[labels["conditions"]]]
    return frame, kept, conds


def test_every_specification_equals_the_engine_run_on_its_own(lipset):
    study, measures = lipset
    U = prepare(study, measures, study.thresholds)
    numbers, sampled = sample(U.grid, 40, 3)
    assert sampled and len(numbers) == 40
    rows = evaluate(U, numbers)
    checked = 0
    for row in rows.to_dict("records"):
        labels = U.grid.labels(row["spec"])
        if labels["cases"].startswith("subsample"):
            continue                                  # their cases: test_subsamples_are_seeded
        frame, kept, conds = _by_hand(study, measures, labels)
        docs = {}
        for a in U.analyses:
            variant = replace(a.with_conditions(conds), cuts=Cuts(labels["incl_cut"], labels.get("pri_cut", a.cuts.pri),
                                                                labels["n_cut"]))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = variant.solve(kept)           # the study's own path: pandas truth table, esa(), solve
            sols, tt = r.solutions, r.truth_table
            if sols is None or sols.undefined:
                docs[a.name] = {"error": "undefined"}
                assert row[f"{a.name}: models"] == 0 and np.isnan(row[f"{a.name}: inclS"])
                continue
            docs[a.name] = sols.to_json()
            models = [m for b in sols.intermediate for m in b.models]
            text = " | ".join(" + ".join(term_string(t) for t in m.terms) for m in models)
            assert row[f"{a.name}: solution"] == text
            y = tt.y
            union = np.max([np.min([kept[c].to_numpy() if p else 1 - kept[c].to_numpy() for c, p in t], axis=0)
                            for t in sorted({t for m in models for t in m.terms})], axis=0)
            fit = sufficiency(union, y)
            assert row[f"{a.name}: inclS"] == pytest.approx(fit.inclS, abs=1e-12)
            assert row[f"{a.name}: covS"] == pytest.approx(fit.covS, abs=1e-12)
        for claim in study.claims:
            got = row[f"claim: {claim['id']}"]
            judged = beyond_defaults(claim, conds)
            if judged is None:
                assert got is pd.NA or got is None or pd.isna(got)
                continue
            names = {n: d for n, d in docs.items()}
            want = ledger([judged], names, None, frame)["status"].iloc[0] == "pass"
            assert bool(got) == want, (claim["id"], labels)
        checked += 1
    assert checked >= 20


def test_subsamples_are_seeded_and_keep_their_share(lipset):
    study, measures = lipset
    U = prepare(study, measures, study.thresholds)
    values = next(c.values for c in U.grid.choices if c.name == "cases")
    subs = [U.case_subsets[j] for j, v in enumerate(values) if v.startswith("subsample")]
    assert len(subs) == 3 and all(len(s) == round(0.8 * len(U.cases)) for s in subs)
    again = prepare(study, measures, study.thresholds)
    assert all((a == b).all() for a, b in zip(U.case_subsets, again.case_subsets))


def test_shares_equal_a_direct_count(lipset, tmp_path):
    study, measures = lipset
    mv = run_multiverse(study, measures, study.thresholds, tmp_path / "mv", workers=1, progress=False)
    summary = mv.summary(study.claims)
    rows = pd.concat(read_chunks(mv.folder, mv.manifest["chunks"]), ignore_index=True)
    assert summary.specifications == len(rows) == 60
    for f in summary.findings.itertuples():
        col = rows[f"{f.kind}: {f.finding}"]
        assert f.judged == col.notna().sum() and f.holds == col.fillna(False).astype(bool).sum()
    for c in summary.choices.itertuples():
        sel = rows[rows[c.choice].astype(str) == c.value][f"{'claim' if c.finding in {x['id'] for x in study.claims} else 'core'}: {c.finding}"]
        assert c.judged == sel.notna().sum() and c.holds == sel.fillna(False).astype(bool).sum()


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted((Path(folder) / "chunks").glob("*.parquet"))}


def test_local_processes_and_a_dask_local_cluster_write_the_same_bytes(lipset, tmp_path):
    pytest.importorskip("dask.distributed")
    study, measures = lipset
    one = run_multiverse(study, measures, study.thresholds, tmp_path / "one", workers=1, progress=False)
    two = run_multiverse(study, measures, study.thresholds, tmp_path / "two", workers=2, progress=False)
    dask = run_multiverse(study, measures, study.thresholds, tmp_path / "dask", workers=2, scheduler="local",
                          progress=False)
    assert one.counts["chunks"] == 3
    assert _files(one.folder) == _files(two.folder) == _files(dask.folder)
    assert len(_files(one.folder)) == 3


def test_a_run_resumes_without_redoing_finished_chunks(lipset, tmp_path):
    study, measures = lipset
    first = run_multiverse(study, measures, study.thresholds, tmp_path / "mv", workers=1, progress=False)
    before = _files(first.folder)
    chunk_path(first.folder, 1).unlink()                        # as if the run stopped before chunk 1
    marker = chunk_path(first.folder, 0).stat().st_mtime_ns
    again = run_multiverse(study, measures, study.thresholds, tmp_path / "mv", workers=1, progress=False)
    assert again.counts == {"chunks": 3, "resumed": 2, "ran": 1, "specifications": 60}
    assert chunk_path(first.folder, 0).stat().st_mtime_ns == marker   # not rewritten
    assert _files(again.folder) == before


def test_an_interrupted_command_line_run_resumes(tmp_path):
    out = tmp_path / "mv"
    cmd = [sys.executable, "-m", "analysis.multiverse", "--study", "lipset", "--size", "150", "--chunk", "50", "--workers", "1",
           "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(6000):                     # wait for the first chunk (a guard, not a timing)
        if chunk_path(out, 0).is_file() or proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be interrupted")
    assert proc.returncode == 130 and "resume" in err
    done = sorted(p.name for p in (out / "chunks").glob("*.parquet"))
    assert 0 < len(done) < 3 and not list((out / "chunks").glob("*.tmp"))
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "chunks were already on disk (resumed)" in again.stdout
    fresh = subprocess.run(cmd[:-1] + [str(tmp_path / "fresh")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert fresh.returncode == 0
    assert _files(out) == _files(tmp_path / "fresh")


def test_another_multiverse_in_the_same_folder_is_refused(lipset, tmp_path):
    study, measures = lipset
    run_multiverse(study, measures, study.thresholds, tmp_path / "mv", workers=1, progress=False)
    with pytest.raises(StudyError, match="holds another multiverse .*--restart"):
        run_multiverse(study, measures, study.thresholds, tmp_path / "mv", size=10, workers=1, progress=False)


def test_bad_settings_name_the_key():
    with pytest.raises(StudyError, match=r"s.yml: multiverse.incl_cut"):
        read_multiverse({"incl_cut": [0.3]}, "s.yml: multiverse")
    with pytest.raises(StudyError, match=r"multiverse.conditions.sets.t: unknown set\(s\) ZZ"):
        read_multiverse({"conditions": {"sets": {"t": ["A", "ZZ"]}}}, "s.yml: multiverse", ["A", "B"])
    with pytest.raises(StudyError, match=r"multiverse: unknown key\(s\) cut"):
        read_multiverse({"cut": 1}, "s.yml: multiverse")


def test_the_command_line_says_one_line_on_bad_input(capsys):
    # in-process (python -m analysis.multiverse calls this main; the real process: the test above)
    assert multiverse_main(["--study", "lipset", "--size", "0"]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "--size" in err
    assert multiverse_main(["--study", "nosuch"]) == 2
    assert "no study named 'nosuch'" in capsys.readouterr().err


def test_an_exported_sample_re_derives_with_the_engine(lipset, tmp_path):
    """What R's QCA will be given: each exported dataset and its settings give the models found."""
    from analysis.multiverse.export import export_sample
    study, measures = lipset
    mv = run_multiverse(study, measures, study.thresholds, tmp_path / "mv", workers=1, progress=False)
    U = prepare(study, measures, study.thresholds)
    out = export_sample(U, mv.folder, mv.manifest, 8, 1, tmp_path / "export")
    specs = json.loads((out / "specs.json").read_text())
    assert len(specs) == 8 * len(U.analyses)
    for s in specs:
        data = pd.read_csv(out / s["dataset"], index_col="case", dtype={"case": str})
        assert list(data.columns) == s["conditions"] + [s["outcome"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tt = truth_table(data, s["outcome"], s["conditions"], incl_cut=s["incl_cut"], pri_cut=s["pri_cut"],
                             n_cut=s["n_cut"], neg_out=s["neg_out"])
        sols = solve(tt, s["dir_exp"].split(","))
        if sols.undefined:
            assert s["solution"] == ""
            continue
        models = [m for b in sols.intermediate for m in b.models]
        assert " | ".join(" + ".join(term_string(t) for t in m.terms) for m in models) == s["solution"]
