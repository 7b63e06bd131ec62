"""A notebook output from a kernel's message, as nbformat makes it (``output_from_msg``), without
asking jsonschema about an output that cannot be invalid.

nbformat's ``output_from_msg`` builds the output and validates it against the notebook schema's
definition of its kind; a validation by reference goes to jsonschema (nbformat's fastjsonschema
validator only takes whole notebooks), about 0.75 ms an output: 0.3 CPU seconds of PSS's 399
outputs, more than the rest of what the run does to keep them (issue 28).  ``output`` builds the
same node, with the same keys in the same order, by the same steps (``nbformat.v4.new_output``'s),
and leaves the validation out when the content is valid by its types alone: a stream whose name
and text are texts; a display or a result whose data map names to texts (the schema's
``multiline_string``), whose metadata is a mapping (``output_metadata``: any object) and whose
execution count is a whole number of at least 0 or none.  Any other content (a JSON mimetype's
value, a number where a text should be, a missing key, another kind of message) goes through
``output_from_msg`` itself, which validates it and raises what it raised.
``tests/test_speed8_g_outputs.py`` holds both side by side.
"""
from __future__ import annotations

from nbformat import NotebookNode
from nbformat.v4 import output_from_msg

__all__ = ["output"]


def output(kind: str, content: dict) -> NotebookNode:
    """The output nbformat's ``output_from_msg`` makes of a kernel's ``kind`` message with
    ``content`` (the same node; validated by it unless valid by construction, module docstring)."""
    if not _valid_by_types(kind, content):
        return output_from_msg({"header": {"msg_type": kind}, "content": content})
    node = NotebookNode(output_type=kind)
    if kind == "stream":                                   # new_output's defaults, then its update
        node.name, node.text = "stdout", ""
        node.update(name=content["name"], text=content["text"])
        return node
    node.metadata, node.data = NotebookNode(), NotebookNode()
    if kind == "execute_result":
        node.execution_count = None
        node.update(metadata=content["metadata"], execution_count=content["execution_count"])
    else:
        node.update(metadata=content["metadata"])
    node.data = content["data"]
    return node


def _valid_by_types(kind: str, content) -> bool:
    """Whether the output of ``content`` meets the schema by the types of its values alone."""
    if type(content) is not dict:
        return False
    if kind == "stream":
        return type(content.get("name")) is str and type(content.get("text")) is str
    if kind not in ("display_data", "execute_result"):
        return False
    data, metadata = content.get("data"), content.get("metadata")
    if type(data) is not dict or type(metadata) is not dict:
        return False
    if not all(type(k) is str and type(v) is str for k, v in data.items()):
        return False
    if not all(type(k) is str for k in metadata):
        return False
    if kind == "execute_result":
        count = content.get("execution_count", False)
        return count is None or (type(count) is int and count >= 0)
    return True
