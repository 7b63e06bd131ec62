"""The raw data's checksums (analysis.pipeline.checksums), and safe loading of every input."""
import hashlib
from pathlib import Path

import pytest

from analysis import pipeline
from analysis.errors import StudyError
from analysis.studyfile import load_study

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
    """Nothing unpickles or evaluates an input (the study file's loader is tested below)."""
    for module in sorted((ROOT / "analysis").rglob("*.py")):
        text = module.read_text()
        assert "pickle" not in text and "eval(" not in text and "yaml.load(" not in text, module
        assert "yaml.unsafe_load" not in text and "FullLoader" not in text, module


def _study_text(tmp_path, text):
    path = tmp_path / "study.yml"
    path.write_text(text)
    return path


def test_the_study_file_loader_refuses_a_tag_that_would_run_code(tmp_path):
    """YAML's unsafe tags (here one that would run a shell command) are refused, nothing runs, and
    the refusal is one line naming the file, the line and the tag."""
    marker = tmp_path / "ran"
    path = _study_text(tmp_path, f'name: x\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n')
    with pytest.raises(StudyError) as err:
        load_study(path)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"{path}: line 2: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed")
    assert "not allowed" in msg and "not valid YAML" not in msg
    assert not marker.exists()


def test_the_study_file_loader_accepts_merge_keys(tmp_path):
    """``<<: *anchor`` is YAML's own merge key: accepted (own keys override merged ones), not
    refused as invalid YAML; a key given twice among a mapping's own keys is still refused."""
    text = (ROOT / "data" / "ppip" / "study.yml").read_text()
    text = text.replace("  NORMS:\n    label: Shared relational norms\n    role: condition\n",
                        "  NORMS:\n    <<: &scale {role: condition, label: overridden}\n"
                        "    label: Shared relational norms\n")
    text = text.replace("data: raw/cases.csv", f"data: {RAW / 'cases.csv'}")
    study = load_study(_study_text(tmp_path, text))
    assert study.measures["NORMS"].label == "Shared relational norms" and study.measures["NORMS"].role == "condition"
    with pytest.raises(StudyError, match=r"key 'label' is given twice \(lines \d+ and \d+\); keep one"):
        load_study(_study_text(tmp_path, text.replace("    label: Shared relational norms\n",
                                                      "    label: Shared relational norms\n    label: Norms\n")))
