"""Issue 25, finished: case ids as a reader sees them, a finished run's folder that lists its
files, and the multiverse's options and scheduler checked before anything is written.

Every refusal is one line ``error: ...`` and exit status 2; the user's files are untouched.
"""
import json

import pytest

from analysis import guard
from analysis.errors import StudyError
from analysis.pipeline.multiverse_cli import main as multiverse
from analysis.pipeline import cli
from analysis.pipeline.standin_cli import main as standin
from analysis.qca.cli import read_memberships
from conftest import has
from test_bad_input_cli import _both, _memberships, _server   # the pipeline and the engine alike


@pytest.mark.parametrize("value, char", [("H0\u200b2", "U+200B ZERO WIDTH SPACE"),
                                         ("H\u202e02", "U+202E RIGHT-TO-LEFT OVERRIDE"),
                                         ("H\u00ad02", "U+00AD SOFT HYPHEN"),
                                         ("\ufeffH02", "U+FEFF ZERO WIDTH NO-BREAK SPACE")])
def test_a_hidden_format_character_inside_a_case_id(capsys, tmp_path, value, char):
    _both(capsys, tmp_path, {0: "H01", 1: value}, "line 3", f"holds the invisible {char}", "remove it")


def test_ids_that_differ_only_in_their_spaces_or_joiners_are_duplicates(capsys, tmp_path):
    _both(capsys, tmp_path, {0: "New\u00a0York", 1: "New York"}, "duplicate case id", "'New\\xa0York' = 'New York'",
          "every space alike")
    _both(capsys, tmp_path, {0: "H\u200d01", 1: "H01"}, "duplicate case id", "zero-width joiners left out")


def test_a_joiner_inside_a_persian_name_is_kept(tmp_path):
    name = "\u0645\u06cc\u200c\u0631\u0648\u062f"                  # a ZWNJ belongs to the spelling
    frame = read_memberships(_memberships(tmp_path, {"c1": name}))
    assert frame.index[0] == name


def test_a_file_saved_in_a_finished_runs_folder_is_never_replaced(tmp_path):
    out = tmp_path / "results" / "ppip"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "t.csv").write_text("a\n")
    guard.mark(out, guard.PIPELINE, "ppip")
    guard.seal(out, guard.PIPELINE, "ppip")
    guard.check_folder(out, guard.PIPELINE, "ppip")           # only its own files: replaced as before
    guard.check_replaceable(out)
    (out / "thesis.docx").write_bytes(b"my thesis")
    for check in (lambda: guard.check_folder(out, guard.PIPELINE, "ppip"), lambda: guard.check_replaceable(out)):
        with pytest.raises(StudyError, match="holds 'thesis.docx', which the run that wrote it did not write"):
            check()
    assert (out / "thesis.docx").read_bytes() == b"my thesis"
    (out / "tables" / "t.csv").unlink()                        # a file of the run removed: still its folder
    (out / "thesis.docx").unlink()
    guard.check_replaceable(out)


def test_a_notebook_run_by_hand_in_a_sealed_folder_keeps_it_usable(tmp_path):
    out = guard.mark(tmp_path / "ppip", guard.PIPELINE, "ppip")
    guard.seal(out, guard.PIPELINE, "ppip")
    guard.claim(out, guard.PIPELINE, "ppip")                   # writes in place: the list no longer holds
    (out / "new-table.csv").write_text("x\n")
    guard.check_folder(out, guard.PIPELINE, "ppip")


def test_the_pipeline_seals_the_folder_it_wrote(monkeypatch, tmp_path):
    def finished(study, data, sets, out, notebooks, timeout, workers=None):  # the notebooks' run, as it leaves its folder
        guard.mark(out, guard.PIPELINE, "ppip")
        (out / "findings.json").write_text("{}")
        return out
    monkeypatch.setattr(cli, "run", finished)
    out = tmp_path / "run"
    assert cli.main(["--study", "ppip", "--out", str(out)]) == 0
    marker = json.loads((out / guard.MARKER).read_text())
    assert marker == {"by": guard.PIPELINE, "study": "ppip", "files": ["findings.json"]}


def _one_error(capsys, code, *words):
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    assert "unexpected" not in lines[0]
    has(lines[0], *words)


def test_a_server_that_is_not_dask_leaves_no_folder(capsys, tmp_path):
    out = tmp_path / "mv"
    with _server(lambda conn: conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) as address:
        code = multiverse(["--study", "ppip", "--size", "2", "--out", str(out), "--scheduler", address])
    _one_error(capsys, code, "not a Dask scheduler")
    assert not out.exists()


@pytest.mark.parametrize("option", ["--export", "--chunk", "--size", "--workers"])
def test_the_multiverse_options_before_the_study_is_read(capsys, tmp_path, option):
    out = tmp_path / "mv"
    code = multiverse(["--study", str(tmp_path / "no-such-study.yml"), "--out", str(out), option, "0"])
    _one_error(capsys, code, f"{option} must be a whole number of at least 1, got '0'")
    assert not out.exists()


def test_the_standin_takes_a_study_by_name(capsys, tmp_path):
    code = standin(["--study", "pss", "--check"])
    assert code == 0, capsys.readouterr().err
    assert "identical to what study.yml generates" in capsys.readouterr().out
    _one_error(capsys, standin(["--study", "no-such-study", "--check"]), "no study named 'no-such-study'")
