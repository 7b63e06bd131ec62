"""The raw data (analysis.rawdata): read against the codebook, never written; problems named."""
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import INPUT_ERRORS
from analysis.rawdata import load_raw, provenance, sha256

from conftest import CSV




def raw_copy(tmp_path, edit=None) -> Path:
    df = pd.read_csv(CSV, dtype=str)
    if edit is not None:
        df = edit(df)
    path = tmp_path / "cases.csv"
    df.to_csv(path, index=False)
    return path


def raw_error(study, path, *fragments):
    with pytest.raises(INPUT_ERRORS) as err:
        load_raw(study, path)
    msg = str(err.value)
    assert "cases.csv" in msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def test_load_raw(study, raw):
    assert raw.shape == (36, 21)
    assert list(raw.index[:2]) == ["H01", "H02"] and raw.index.name == "case"
    assert all(dtype == float for dtype in raw.dtypes)


def test_load_raw_never_writes(study, tmp_path):
    before = CSV.read_bytes()
    load_raw(study)
    assert CSV.read_bytes() == before


def test_raw_missing_file(study, tmp_path):
    raw_error(study, tmp_path / "cases.csv", "not found")


def test_raw_unreadable(study, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"\xff\xfe\x00garbage\x00\xff")
    raw_error(study, path, "cannot read")


def test_raw_misspelled_column(study, tmp_path):
    path = raw_copy(tmp_path, lambda d: d.rename(columns={"norms_trust": "norms_turst"}))
    raw_error(study, path, "'norms_trust'", "missing", "did you mean 'norms_turst'")


def test_raw_missing_case_id_column(study, tmp_path):
    path = raw_copy(tmp_path, lambda d: d.rename(columns={"case": "cases"}))
    raw_error(study, path, "'case'", "did you mean 'cases'")


def test_raw_extra_column_warns(study, tmp_path):
    path = raw_copy(tmp_path, lambda d: d.assign(comment="x"))
    with pytest.warns(UserWarning, match="comment"):
        data = load_raw(study, path)
    assert "comment" not in data.columns


def test_raw_duplicate_case_id(study, tmp_path):
    def edit(d):
        d.loc[5, "case"] = "H01"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "duplicate case id", "H01")


def test_raw_empty_case_id(study, tmp_path):
    def edit(d):
        d.loc[3, "case"] = ""
        return d
    raw_error(study, raw_copy(tmp_path, edit), "empty case id", "line(s) 5")


def test_raw_non_numeric_cell(study, tmp_path):
    def edit(d):
        d.loc[2, "risk_plan"] = "high"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "H03", "risk_plan", "'high'", "not a number")


def test_raw_missing_values(study, tmp_path):
    def edit(d):
        d.loc[6, "ppv_fairness"] = ""
        d.loc[9, "public_result_pct"] = "NA"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "missing values", "ppv_fairness", "public_result_pct",
              "H07", "H10")


def test_raw_value_outside_codebook_range(study, tmp_path):
    def edit(d):
        d.loc[0, "norms_trust"] = "8.50"
        return d
    raw_error(study, raw_copy(tmp_path, edit), "H01", "norms_trust", "8.5", "[1, 7]")


def test_raw_duplicate_header(study, tmp_path):
    path = tmp_path / "cases.csv"
    lines = CSV.read_text().splitlines()
    path.write_text("\n".join(line + "," + line.split(",")[4] for line in
                              [lines[0]] + lines[1:]) + "\n")
    raw_error(study, path, "norms_trust", "more than once")




def test_provenance_names_the_file_and_its_checksum(study, raw):
    prov = provenance(study, None, raw)
    assert prov["data_file"] == "cases.csv" and prov["n_cases"] == 36
    assert prov["data_sha256"] == sha256(CSV) and len(prov["data_sha256"]) == 64
