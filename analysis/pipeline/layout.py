"""Where the compendium's parts are: the project root, the default study, the notebooks."""
from __future__ import annotations

from pathlib import Path

from ..errors import StudyError

__all__ = ["ROOT", "DEFAULT_STUDY", "NOTEBOOKS", "notebooks"]

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_STUDY = ROOT / "data" / "ppip" / "study.yml"
NOTEBOOKS = ROOT / "notebooks"


def notebooks(folder=NOTEBOOKS) -> list:
    """The step notebooks ``NN_name.ipynb`` of ``folder``, in order."""
    folder = Path(folder)
    found = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise StudyError(f"{folder}: no step notebooks (NN_name.ipynb) found")
    return found
