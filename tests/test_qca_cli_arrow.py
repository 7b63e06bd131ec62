"""``python -m analysis.qca`` keeps pandas from importing pyarrow and ends without the
interpreter's teardown (``analysis.qca.__main__._without_arrow``, ``analysis.qca.arguments.exit_now``;
issue 28, a small analysis in 0.4 s).  pandas then keeps strings in Python objects instead of Arrow arrays; what
the command line does with them must not change:

* every string operation of ``analysis.qca.csvdata`` gives the same result under both storages,
  over every Unicode code point (in-process, ``mode.string_storage``);
* a CSV is read into the same memberships, or refused with the same line, under both;
* the real process prints what the command line prints in this process (pyarrow loaded), for the
  reference studies, multi-value data, odd case names and bad input, with the same status, and it
  never imports pyarrow.
"""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis.qca.csvdata import _CONTROL, _NUMBER, MISSING
from analysis.qca.cli import read_memberships
from analysis.qca.errors import QCAError
from conftest import REF, ROOT, qca_cli

STORAGES = ("pyarrow", "python")
LF = REF / "datasets" / "LF.csv"
LM = REF / "mv" / "datasets" / "LM.csv"
#: every code point (no surrogates) alone; those of the Basic Multilingual Plane (every space,
#: case fold and digit of another script is there) also before letters, inside and around a number
CHARS = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
WORDS = CHARS + [t.format(c, c) for t in ("{}nf", "i{}f", "1{}5", " {}0.5{} ") for c in CHARS[:0xF800]]


def _ops(storage: str) -> dict:
    with pd.option_context("mode.string_storage", storage):
        s = pd.Series(WORDS, dtype=str)
        assert type(s.array).__name__ == ("ArrowStringArray" if storage == "pyarrow" else "StringArray")
        text = s.str.strip()
        missing = text.isin(MISSING)
        number = text.str.match(_NUMBER)
        kept = number & ~missing
        return {"strip": text.tolist(), "control": s.str.contains(_CONTROL).to_numpy(dtype=bool),
                "missing": missing.to_numpy(dtype=bool), "number": number.to_numpy(dtype=bool),
                "value": pd.to_numeric(text[kept], errors="coerce").astype(float).to_numpy()}


def test_csvdata_s_string_operations_agree_under_both_storages():
    pytest.importorskip("pyarrow")
    arrow, python = _ops("pyarrow"), _ops("python")
    assert arrow["strip"] == python["strip"]
    for key in ("control", "missing", "number"):
        assert np.array_equal(arrow[key], python[key]), key
    assert np.array_equal(arrow["value"], python["value"], equal_nan=True)
    assert arrow["number"].sum() >= 60 and not np.isnan(arrow["value"]).any()   # a number read is a number


ODD = {
    "names": "case,A,B,Y\n\u00a0Ana\u2003,0.2,0.8,0.9\nB\u00f6r,1,0,0.1\n\u0130stanbul,.5e0,+1,1\n\u4e2d,NA,0,0\n",
    "turkish inf": "case,A,B,Y\nx,0.2,\u0130nf,0.9\ny,1,0,0.1\nz,0,1,1\n",
    "control": "case,A,B,Y\nx\x1d,0.2,0.3,0.9\ny,1,0,0.1\nz,0,1,1\n",
    "full-width": "case,A,B,Y\nx,0.2,\uff10.5,0.9\ny,1,0,0.1\nz,0,1,1\n",
    "file separator": "case,A,B,Y\nx,0.2,\x1c0.5\x1c,0.9\ny,1,0,0.1\nz,0,1,1\n",
}


def _read(path, storage):
    with pd.option_context("mode.string_storage", storage):
        try:
            return read_memberships(path)
        except QCAError as e:
            return str(e)


@pytest.mark.parametrize("name", sorted(ODD))
def test_a_csv_is_read_or_refused_alike_under_both_storages(tmp_path, name):
    pytest.importorskip("pyarrow")
    path = tmp_path / "odd.csv"
    path.write_text(ODD[name], encoding="utf-8")
    arrow, python = _read(path, "pyarrow"), _read(path, "python")
    if isinstance(arrow, str):
        assert arrow == python
    else:
        pd.testing.assert_frame_equal(arrow, python, check_index_type=False, check_column_type=False)
        assert (arrow.index.tolist(), arrow.columns.tolist()) == (python.index.tolist(), python.columns.tolist())


def test_a_turkish_i_in_inf_is_refused_not_read_as_missing(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(ODD["turkish inf"], encoding="utf-8")
    with pytest.raises(QCAError, match=r"case 'x', column 'B': value 'İnf' is not a number"):
        read_memberships(path)


def _files(tmp_path):
    for name, text in ODD.items():
        (tmp_path / f"{name.replace(' ', '_')}.csv").write_text(text, encoding="utf-8")
    return tmp_path


CALLS = [
    ["--data", LF, "--outcome", "SURV", "--incl-cut", "0.8"],
    ["--data", LF, "--outcome", "~SURV", "--incl-cut", "0.8", "--dir-exp", "0,0,0,0,0", "--json"],
    ["--data", LM, "--outcome", "SURV", "--incl-cut", "0.8", "--dir-exp", "DEV[1,2], URB[1], LIT[1], IND[1], STB[1]"],
    ["--data", "{tmp}/names.csv", "--outcome", "Y", "--dir-exp", "1,1"],
    ["--data", "{tmp}/turkish_inf.csv", "--outcome", "Y"],
    ["--data", "{tmp}/full-width.csv", "--outcome", "Y", "--json"],
]


@pytest.mark.parametrize("call", range(len(CALLS)))
def test_the_process_prints_what_the_command_line_prints_here(tmp_path, call):
    args = [str(a).replace("{tmp}", str(_files(tmp_path))) for a in CALLS[call]]
    here = qca_cli(*args)                      # in this process, pyarrow loaded by pandas
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "analysis.qca", *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    err = "".join(line + "\n" for line in run.stderr.splitlines() if not line.startswith("import time:"))
    assert (run.returncode, run.stdout, err) == (here.returncode, here.stdout, here.stderr)
    imported = [line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")]
    assert "pandas" in imported and "pyarrow.lib" not in imported and "pyarrow.compute" not in imported
    assert "pyarrow" in sys.modules                       # and this process is left as it was
