"""analysis.pipeline.outputs.output against nbformat's output_from_msg (issue 28): the same node,
key order and node types included, for every kind of content a notebook's cells send; the same
error for content the schema refuses."""
import json

import pytest
from nbformat import NotebookNode, ValidationError
from nbformat.v4 import output_from_msg

from analysis.pipeline.outputs import _valid_by_types, output

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

CONTENTS = [
    ("stream", {"name": "stdout", "text": "a line\nanother\n"}),
    ("stream", {"name": "stderr", "text": ""}),
    ("display_data", {"data": {"text/plain": "<Figure>", "image/png": PNG},
                      "metadata": {"image/png": {"width": 672, "height": 480}}, "transient": {}}),
    ("display_data", {"data": {"text/markdown": "### PSS", "text/plain": "<Markdown>"}, "metadata": {}}),
    ("display_data", {"data": {}, "metadata": {"nested": {"a": [1, 2, {"b": None}]}}}),
    ("execute_result", {"data": {"text/plain": "0.5", "text/html": "<b>0.5</b>"}, "metadata": {},
                        "execution_count": 3}),
    ("execute_result", {"data": {"text/plain": "x"}, "metadata": {}, "execution_count": None}),
    ("execute_result", {"data": {"text/plain": "x"}, "metadata": {}, "execution_count": 0}),
    # valid, but not by the types alone: nbformat's own path (and its validation)
    ("display_data", {"data": {"application/json": {"a": 1}, "text/plain": "{}"}, "metadata": {}}),
    ("display_data", {"data": {"text/plain": ["two ", "lines"]}, "metadata": {}}),
    ("error", {"ename": "ValueError", "evalue": "bad", "traceback": ["line 1"]}),
]

INVALID = [
    ("display_data", {"data": {"text/plain": 3}, "metadata": {}}),
    ("execute_result", {"data": {"text/plain": "x"}, "metadata": {}, "execution_count": -1}),
    ("execute_result", {"data": {"text/plain": "x"}, "metadata": {}, "execution_count": True}),
    ("stream", {"name": 1, "text": "x"}),
    ("display_data", {"data": {"text/plain": "x"}, "metadata": []}),
]


def _shape(node):
    """The node as nested (type, key order, values): what == alone would not compare."""
    if isinstance(node, dict):
        return type(node).__name__, [(k, _shape(v)) for k, v in node.items()]
    if isinstance(node, list):
        return "list", [_shape(v) for v in node]
    return type(node).__name__, node


@pytest.mark.parametrize("kind,content", CONTENTS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CONTENTS)])
def test_the_same_node_as_nbformat(kind, content):
    mine = output(kind, json.loads(json.dumps(content)))
    theirs = output_from_msg({"header": {"msg_type": kind}, "content": json.loads(json.dumps(content))})
    assert isinstance(mine, NotebookNode)
    assert _shape(mine) == _shape(theirs)


def test_the_common_outputs_skip_the_validation_and_the_others_do_not():
    assert [_valid_by_types(k, c) for k, c in CONTENTS] == [True] * 8 + [False] * 3
    assert not any(_valid_by_types(k, c) for k, c in INVALID)


@pytest.mark.parametrize("kind,content", INVALID, ids=[f"{k}-{i}" for i, (k, _) in enumerate(INVALID)])
def test_invalid_content_raises_as_nbformat_does(kind, content):
    with pytest.raises(ValidationError) as theirs:
        output_from_msg({"header": {"msg_type": kind}, "content": content})
    with pytest.raises(ValidationError) as mine:
        output(kind, content)
    assert str(mine.value) == str(theirs.value)


def test_an_unknown_message_is_refused_as_nbformat_refuses_it():
    with pytest.raises(ValueError, match="Unrecognized output msg type"):
        output("status", {"execution_state": "idle"})
