"""The study file parsed once per process (``analysis.studyfile._parsed``): each caller gets data
equal to a fresh parse, its own copy, with YAML's aliases shared as a parse shares them, and a
file that does not parse fails every time with the same line."""
from pathlib import Path

import pytest
import yaml

from analysis import studyfile
from analysis.schema import SchemaError

ROOT = Path(__file__).resolve().parents[1]


def _fresh(text):
    loader = studyfile._UniqueKeyLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@pytest.mark.parametrize("study", ["lipset", "ppip", "pss"])
def test_parsed_equals_a_fresh_parse_and_is_a_copy(study):
    text = (ROOT / "data" / study / "study.yml").read_text(encoding="utf-8")
    first, second = studyfile._parsed(text), studyfile._parsed(text)
    assert first == second == _fresh(text)
    first["name"] = "changed by a caller"
    first["measures"].clear()
    assert studyfile._parsed(text) == _fresh(text)         # the kept data were not touched


def test_aliases_stay_shared_as_in_a_parse():
    text = "a: &x {k: [1, 2]}\nb: *x\n"
    data, fresh = studyfile._parsed(text), _fresh(text)
    assert fresh["a"] is fresh["b"]
    assert data["a"] is data["b"] and data == fresh
    assert studyfile._parsed(text)["a"] is not data["a"]    # another caller, another copy


def test_a_bad_file_fails_each_time(tmp_path):
    path = tmp_path / "study.yml"
    path.write_text("name: x\nname: y\n", encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(SchemaError) as e:
            studyfile.load_study(path)
        messages.append(str(e.value))
    assert messages[0] == messages[1] and "given twice" in messages[0]


def test_the_kept_texts_are_bounded():
    for i in range(studyfile._PARSED_LIMIT + 3):
        studyfile._parsed(f"k: {i}\n")
    assert len(studyfile._PARSED) <= studyfile._PARSED_LIMIT
    assert studyfile._parsed("k: 1\n") == yaml.safe_load("k: 1\n")
