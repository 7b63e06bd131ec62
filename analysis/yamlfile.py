"""Reading a YAML file the compendium trusts: safe (no code runs), UTF-8, no key given twice.

YAML keeps the last of two equal keys in a mapping without a word, so a study file with
``incl_cut`` twice would run silently at the second value; ``read_mapping`` refuses it, naming
both lines, and says every other problem (not found, not UTF-8, not valid YAML, not a mapping)
in one line naming the file.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "s.yml"
>>> _ = p.write_text("a: 1\\nb: 2\\n")
>>> read_mapping(p, "study file")
{'a': 1, 'b': 2}
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .qca import QCAError

__all__ = ["read_mapping"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.safe_load that refuses a key given twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise QCAError(f"key {key!r} is given twice (lines {seen[key]} and {key_node.start_mark.line + 1}); "
                               "keep one")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def read_mapping(path: Path, what: str) -> dict:
    """The YAML mapping in ``path`` (``what`` names the kind of file in the messages)."""
    path = Path(path)
    if path.is_dir():
        raise QCAError(f"{path}: is a folder, not a {what}; give the file itself")
    if not path.is_file():
        raise QCAError(f"{path}: {what} not found")
    try:
        loader = _UniqueKeyLoader(path.read_text(encoding="utf-8"))       # a SafeLoader: no code runs
        try:
            raw = loader.get_single_data()
        finally:
            loader.dispose()
    except QCAError as exc:
        raise QCAError(f"{path}: {exc}") from None
    except OSError as exc:
        raise QCAError(f"{path}: cannot read the {what}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise QCAError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    except UnicodeDecodeError:
        raise QCAError(f"{path}: not a UTF-8 text file") from None
    if not isinstance(raw, dict):
        raise QCAError(f"{path}: the {what} must be a YAML mapping of fields, got {type(raw).__name__}")
    return raw
