"""The raw data's checksums (analysis.pipeline.checksums), and safe loading of every input."""
import hashlib
from pathlib import Path

from analysis import pipeline

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "ppip" / "raw"


def test_raw_checksums_recorded_and_current():
    """data/ppip/raw/SHA256SUMS lists every raw file with its current SHA-256 (sha256sum -c format)."""
    lines = (RAW / pipeline.CHECKSUMS).read_text().splitlines()
    sums = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    files = sorted(p.name for p in RAW.iterdir() if p.is_file() and p.name != pipeline.CHECKSUMS)
    assert sorted(sums) == files
    for name, digest in sums.items():
        assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == digest
    assert pipeline.verify_checksums(RAW / "cases.csv") == RAW / pipeline.CHECKSUMS


def test_data_outside_raw_is_not_checksum_guarded(tmp_path):
    copy = tmp_path / "mine.csv"
    copy.write_bytes((RAW / "cases.csv").read_bytes())
    assert pipeline.verify_checksums(copy) is None
    pipeline.validate(ROOT / "data" / "ppip" / "study.yml", copy, {})


def test_loading_is_safe_only():
    """The study file is read by YAML's SafeLoader; nothing unpickles or evaluates an input."""
    for module in sorted((ROOT / "analysis").rglob("*.py")):
        text = module.read_text()
        assert "pickle" not in text and "eval(" not in text and "yaml.load(" not in text, module
        assert "yaml.unsafe_load" not in text and "FullLoader" not in text, module
    assert "(yaml.SafeLoader)" in (ROOT / "analysis" / "studyfile.py").read_text()
