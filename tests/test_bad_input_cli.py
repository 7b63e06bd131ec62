"""The bad-input catalogue (see test_bad_input_data.py), issue 25: what a user can type on the
command lines, in a data file or in a study file gets one line ``error: ...`` naming what is
wrong and what to do, exit status 2 -- never "unexpected", a misleading line, a hang or a silent
choice -- before any notebook runs.

In-process where the command lines' ``main`` allow it; real processes only for a pipe (a FIFO),
which would block a reader that opened it, so that a regression fails instead of hanging.
"""
import os
import socket
import struct
import subprocess
import sys
import threading
from contextlib import contextmanager

import pytest
import yaml

from analysis import pipeline
from analysis.multiverse import scheduler
from analysis.multiverse.scheduler import check_address, probe
from analysis.parameters import parse_sets
from analysis.pipeline import multiverse_cli
from analysis.schema import SchemaError
from conftest import CSV, MEMBERSHIPS, ROOT, STUDY, cli_error, data_file, has, pipeline_error, setcell, text_file


# ------------------------------------------------ the study file (fixed before issue 25; kept)

def _study_text(tmp_path, text: str):
    return text_file(tmp_path, text, "study.yml")


def _spec(edit=None) -> dict:
    spec = yaml.safe_load(STUDY.read_text())
    spec["data"] = str(CSV)
    if edit:
        edit(spec)
    return spec


def _claim(check: dict) -> dict:
    return {"id": "extra", "text": "t", "basis": "interpretation", "reading": "r", "check": check}


def test_a_value_nested_ten_thousand_levels_deep(capsys, tmp_path):
    text = yaml.safe_dump(_spec(), sort_keys=False) + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n"
    has(pipeline_error(capsys, tmp_path, "--study", _study_text(tmp_path, text)), "study.yml",
        "nested more than", "flatten it")


def test_an_anchor_of_ten_to_the_400(capsys, tmp_path):
    spec = _spec(lambda s: s["measures"]["NORMS"].update(anchors=[2.5, 4.005, 123456.5]))
    text = yaml.safe_dump(spec, sort_keys=False).replace("123456.5", "1" + "0" * 400)
    has(pipeline_error(capsys, tmp_path, "--study", _study_text(tmp_path, text)), "measures.NORMS.anchors[2]",
        "too large")


def test_a_yaml_merge_key_is_yaml_and_accepted(tmp_path):
    def edit(s):
        s["measures"]["RISK"] = {"MERGE": "here", "label": "Risk management",
                                 "indicators": ["risk_plan", "risk_sharing", "risk_monitoring"]}
    text = yaml.safe_dump(_spec(edit), sort_keys=False)
    text = text.replace("  NORMS:\n", "  NORMS: &norms\n", 1).replace("    MERGE: here\n", "    <<: *norms\n")
    study, _ = pipeline.validate(_study_text(tmp_path, text), None, {})
    risk, norms = study.measures["RISK"], study.measures["NORMS"]
    assert (risk.anchors, risk.range, risk.unit) == (norms.anchors, norms.range, norms.unit)
    assert list(risk.indicators) == ["risk_plan", "risk_sharing", "risk_monitoring"]


def test_a_joint_outcome_named_like_a_negation(capsys, tmp_path):
    def edit(s):
        s["joint_outcomes"]["notMPV"] = {"label": "x", "expression": "MPV*PPV", "reason": "x"}
    has(pipeline_error(capsys, tmp_path, "--study", _study_text(tmp_path, yaml.safe_dump(_spec(edit)))),
        "joint_outcomes.notMPV", "name of the negation of MPV")


@pytest.mark.parametrize("check, words", [
    ({"min": 2}, ["check.min", "got 2", "[0, 1]"]),
    ({"min": 0.9, "max": 0.8}, ["min 0.9 is above max 0.8"]),
    ({"min": 0.8, "outcome": "PPV"}, ["both outcome and outcomes"]),
])
def test_a_consistency_claim_that_cannot_mean_anything(capsys, tmp_path, check, words):
    claim = _claim({"type": "consistency", "outcomes": ["MPV"], "solution": "intermediate", **check})
    spec = _spec(lambda s: s["claims"].append(claim))
    has(pipeline_error(capsys, tmp_path, "--study", _study_text(tmp_path, yaml.safe_dump(spec))), "(extra)", *words)


# ----------------------------------------------------------------- options of the pipeline

def test_timeout_is_whole_seconds_at_parse_time(capsys, tmp_path):
    # 2.5 passed the option's check, then failed notebook 1 with nbclient's TraitError
    for value in ("2.5", "0", "-3", "1e3", "inf", "٣", ""):
        has(pipeline_error(capsys, tmp_path, "--timeout", value), "--timeout must be a whole number of seconds",
            repr(value))
    # a whole number passes the option's check: the next problem is the one named
    has(pipeline_error(capsys, tmp_path, "--timeout", "3", "--set", "incl_cut=2"), "--set incl_cut")


def test_jobs_at_least_one_with_one_study(capsys, tmp_path):
    for value in ("0", "-1", "1.5", "two"):
        has(pipeline_error(capsys, tmp_path, "--jobs", value), "--jobs must be a whole number", repr(value))


def test_a_parameter_given_twice_is_refused(capsys, tmp_path):
    has(pipeline_error(capsys, tmp_path, "--set", "incl_cut=0.8", "--set", "incl_cut=0.9"),
        "--set incl_cut", "given twice ('0.8' and '0.9')", "give each parameter once")
    has(pipeline_error(capsys, tmp_path, "--set", "incl_cut=0.8", " incl_cut =0.8"), "given twice")
    assert parse_sets(["incl_cut=0.8", "pri_cut=0.6"]) == {"incl_cut": 0.8, "pri_cut": 0.6}
    with pytest.raises(SchemaError, match="given twice"):
        parse_sets(["n_cut=1", "n_cut=2"])


def test_an_option_given_twice_is_refused(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        pipeline.main(["--study", "ppip", "--data", str(CSV), "--data", str(tmp_path / "other.csv"),
                       "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1, err
    has(err, "error: --data is given twice", "give it once")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------ the engine's command line

def test_engine_outcome_given_twice(capsys, tmp_path):
    from analysis.qca import __main__ as qca
    data = text_file(tmp_path, MEMBERSHIPS, "m.csv")
    for args in (["--outcome", "Y", "--outcome", "A"], ["--outcome=Y", "--outcome", "A"]):
        with pytest.raises(SystemExit) as exit_:
            qca.main(["--data", str(data), *args])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and err.count("\n") == 1, err
        has(err, "error: --outcome is given twice ('Y' and 'A')", "give it once")
    assert qca.main(["--data", str(data), "--outcome", "Y", "--json", "--json"]) == 0   # a flag: no value to lose
    capsys.readouterr()


@pytest.mark.parametrize("value, words", [
    ("", ["--conditions is empty", "leave the option out"]),
    (" , ", ["--conditions is empty"]),
    ("A,,B", ["--conditions: an empty name in 'A,,B'"]),
])
def test_engine_empty_conditions(capsys, tmp_path, value, words):
    # '' was read as "every column": a silent choice
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS, "m.csv"), "--outcome", "Y", "--conditions",
                  value), *words)


# --------------------------------------------------------- files that are not regular files

@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_as_data_or_study_file(capsys, tmp_path, device):
    # was "not found"
    has(pipeline_error(capsys, tmp_path, "--data", device), device, "not a regular file", "raw data file")
    has(pipeline_error(capsys, tmp_path, "--study", device), device, "not a regular file", "study file")
    has(cli_error(capsys, "--data", device, "--outcome", "Y"), device, "not a regular file", "membership file")


def test_a_pipe_is_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    commands = [["analysis.qca", "--data", str(fifo), "--outcome", "Y"],
                ["analysis.pipeline", "--study", "ppip", "--data", str(fifo), "--out", str(tmp_path / "o")],
                ["analysis.pipeline", "--study", str(fifo), "--out", str(tmp_path / "o")]]
    for command in commands:       # a reader that opened the pipe would block: the timeout fails the test
        proc = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2 and len(lines) == 1, proc.stderr
        has(lines[0], "error: ", str(fifo), "not a regular file")
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------ numbers and case ids

@pytest.mark.parametrize("value, name", [("٣", "U+0663 ARABIC-INDIC DIGIT THREE"), ("３", "U+FF13 FULLWIDTH DIGIT THREE"),
                                         ("4.٥", "U+0665 ARABIC-INDIC DIGIT FIVE")])
def test_digits_that_are_not_ascii(capsys, tmp_path, value, name):
    # were "missing values"
    line = pipeline_error(capsys, tmp_path, "--data", data_file(tmp_path, setcell(4, "norms_trust", value)))
    has(line, "cases.csv", "case 'H05'", "column 'norms_trust'", "not ASCII", name, "digits 0-9")
    assert "missing" not in line
    has(cli_error(capsys, "--data", text_file(tmp_path, MEMBERSHIPS.replace("0.9,", f"0.{value},", 1), "m.csv"),
                  "--outcome", "Y"), "case 'c2'", "column 'B'", "not ASCII", name)


def _ids(tmp_path, ids: dict):
    def edit(d):
        for row, value in ids.items():
            d.loc[row, "case"] = value
        return d
    return data_file(tmp_path, edit)


def _memberships(tmp_path, ids: dict):
    text = MEMBERSHIPS
    for old, new in ids.items():
        text = text.replace(f"\n{old},", f"\n{new},")
    return text_file(tmp_path, text.encode("utf-8"), "m.csv")


def _both(capsys, tmp_path, ids: dict, *words):
    """The same case ids refused by the pipeline (raw data) and the engine (memberships)."""
    has(pipeline_error(capsys, tmp_path, "--data", _ids(tmp_path, {i: v for i, v in enumerate(ids.values())})),
        "cases.csv", *words)
    has(cli_error(capsys, "--data", _memberships(tmp_path, {f"c{i + 1}": v for i, v in enumerate(ids.values())}),
                  "--outcome", "Y"), "m.csv", *words)


def test_case_ids_in_two_unicode_forms_are_duplicates(capsys, tmp_path):
    _both(capsys, tmp_path, {0: "Jos\u00e9", 1: "Jose\u0301"}, "duplicate case id", "'Jos\u00e9' = 'Jose\u0301'",
          "two Unicode forms", "NFC")


@pytest.mark.parametrize("value", ["\u200b", "\u200b\u200d\u2060", "\ufeff", "\u3164", "\u00a0\u200b"])
def test_a_case_id_of_invisible_characters(capsys, tmp_path, value):
    _both(capsys, tmp_path, {0: "H01", 1: value}, "line 3", "only invisible characters", "visible name")


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+H04", "-5", "@SUM(A1)", "\t=1+1", "\uff1dA1"])
def test_a_case_id_a_spreadsheet_would_run_as_a_formula(capsys, tmp_path, value):
    first = value.strip()[0]
    _both(capsys, tmp_path, {0: "H01", 1: "H02", 2: value}, "line 4", f"starts with {first!r}",
          "CSV formula injection", f"without the leading {first!r}")


def test_a_dash_inside_a_case_id_and_negative_numbers_are_fine(tmp_path):
    from analysis.qca.cli import read_memberships
    from analysis.rawdata import load_raw
    from analysis.studyfile import load_study
    raw = load_raw(load_study(STUDY), data_file(tmp_path, lambda d: d.assign(case=d["case"].str.replace("H", "H-"))))
    assert raw.index[0] == "H-01" and raw.index.is_unique
    path = text_file(tmp_path, "case,A,B,Y\nc-1,-0.5,0.1,0.3\nc-2,0.8,0.9,0.9\n", "m.csv")
    data = read_memberships(path)          # a negative number is a value, refused only as a membership
    assert list(data.index) == ["c-1", "c-2"] and data.loc["c-1", "A"] == -0.5


# --------------------------------------------------------------- the multiverse's --scheduler

def _multiverse(capsys, tmp_path, *args) -> str:
    code = multiverse_cli.main(["--study", "ppip", "--size", "4", "--out", str(tmp_path / "mv"), *map(str, args)])
    err = capsys.readouterr().err
    lines = [line for line in err.strip().splitlines() if not line.startswith("warning: ")]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    assert "unexpected" not in lines[0] and "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("address, words", [
    ("not a url", ["'not a url'", "not a scheduler address", "tcp://host:port"]),
    ("", ["not a scheduler address"]),
    ("tcp://127.0.0.1", ["not a scheduler address"]),
    ("tcp://host:99999", ["not a scheduler address"]),
    ("tls://host:8786", ["only tcp://"]),
])
def test_scheduler_address_form(capsys, tmp_path, address, words):
    # 'not a url' was "unexpected ValueError"
    has(_multiverse(capsys, tmp_path, "--scheduler", address), "--scheduler", *words)


def test_scheduler_addresses_accepted():
    assert check_address("local") == "local"
    assert check_address("127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert check_address(" tcp://node-7.cluster.example:8786 ") == "tcp://node-7.cluster.example:8786"
    assert check_address("tcp://[::1]:8786") == "tcp://[::1]:8786"


@contextmanager
def _server(answer):
    """A TCP server on a free local port that answers every connection with ``answer(conn)``."""
    srv = socket.create_server(("127.0.0.1", 0))
    srv.settimeout(0.1)
    stop, conns = threading.Event(), []

    def serve():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            conns.append(conn)
            answer(conn)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{srv.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        srv.close()
        for conn in conns:
            conn.close()


def _http(conn):
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


SERVERS = {
    "web server": (_http, "announces 3,543,824,036,068,086,856 bytes"),   # "HTTP/1.1": Client's MemoryError
    "silent": (lambda conn: None, "sent no complete Dask greeting"),       # Client waited without end
    "stalls": (lambda conn: conn.sendall(struct.pack("<Q", 100)), "sent no complete Dask greeting"),
    "garbage": (lambda conn: conn.sendall(struct.pack("<Q", 16) + b"\x01" * 16), "not Dask's handshake"),
    "closes": (lambda conn: conn.close(), "closed the connection"),
}


@pytest.fixture
def quick(monkeypatch):
    """Waits of a fraction of a second, so that the counted attempts take no time in tests."""
    monkeypatch.setattr(scheduler, "WAIT", 0.5)
    monkeypatch.setattr(scheduler, "PAUSE", 0.0)


@pytest.mark.parametrize("kind", SERVERS)
def test_a_server_that_is_not_a_dask_scheduler(quick, kind):
    answer, words = SERVERS[kind]
    with _server(answer) as address:
        with pytest.raises(Exception) as refused:
            probe(address)
    assert type(refused.value).__name__ == "StudyError"
    has(str(refused.value), f"--scheduler {address}", "not a Dask scheduler", words)


def test_a_web_server_through_the_multiverse_command_line(capsys, tmp_path, quick):
    # was "unexpected MemoryError: Unable to allocate 3.07 EiB"
    with _server(_http) as address:
        has(_multiverse(capsys, tmp_path, "--scheduler", address), "not a Dask scheduler", "tcp://host:8786")


def test_no_server_is_counted_attempts(quick):
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]            # free once closed: nothing listens there
    with pytest.raises(Exception, match=f"cannot connect .*{scheduler.ATTEMPTS} attempts"):
        probe(f"tcp://127.0.0.1:{port}")


def test_a_dask_scheduler_passes_the_probe():
    from distributed import LocalCluster
    with LocalCluster(n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        probe(check_address(cluster.scheduler_address))
