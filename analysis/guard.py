"""What a run may write, and where: one rule for every entry point.

Nothing of the user's is ever written.  Every command of the compendium asks this module before
it writes (``python -m analysis.pipeline`` and the notebooks it runs, ``python -m
analysis.multiverse``, ``python -m analysis.standin``, ``--record-checksums``):

- nothing is written inside ``data/`` (the studies and their raw data), inside a raw data folder
  anywhere (one named ``raw`` or holding ``SHA256SUMS``), inside the code (``analysis/``,
  ``notebooks/``, ``tests/``, ``benchmarks/``, ``.git``, the compendium's root itself), nor over a
  folder that holds the study file or the data a run reads (``check_place``);
- a run's output folder carries a marker, ``.compendium-run``, naming the command that wrote it
  and the study (``mark``); a later run replaces, resumes or adds to a folder only when it is
  absent, empty, or marked by the same command for the same study: a folder that holds anything
  else is refused, so a user's folder is never replaced (``check_folder``, ``claim``); when a
  pipeline run has finished, the marker also lists every file it wrote (``seal``), and a later
  run refuses the folder while it holds any other file (a user's ``thesis.docx`` saved there is
  never deleted with the old results);
- two writes inside ``data/`` are allowed: the stand-in writes its own study's data file (the
  one its study file names, inside the study's folder) and, where ``SHA256SUMS`` lists that file,
  only the bytes it records (``check_data_file``); ``--record-checksums`` writes ``SHA256SUMS``
  only in the study's own raw folder, ``<study folder>/raw`` (``own_raw_folder``).

Every refusal is a ``StudyError`` of one line naming the path and what to do.

>>> marker_text(PIPELINE, "ppip")
'{"by": "analysis.pipeline", "study": "ppip"}\\n'
>>> check_place(ROOT / "analysis" / "out")
Traceback (most recent call last):
...
analysis.errors.StudyError: --out .../analysis/out: lies in .../analysis, which holds the code of the compendium; ...
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

from .errors import StudyError

__all__ = ["ROOT", "DATA", "CODE", "CHECKSUMS", "MARKER", "PIPELINE", "MULTIVERSE", "raw_folder", "recorded_sums",
           "check_place", "check_folder", "marker_text", "mark", "seal", "claim", "check_replaceable", "check_data_file",
           "write_file", "own_raw_folder"]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CODE = tuple(ROOT / name for name in ("analysis", "notebooks", "tests", "benchmarks", ".git", ".ci", ".venv"))
CHECKSUMS = "SHA256SUMS"
MARKER = ".compendium-run"
MARKER_MAX = 1 << 24                    # bytes of a marker read: its list of files (a run writes hundreds)
PIPELINE = "analysis.pipeline"          # a study's results (the notebooks' outputs), or with study None:
MULTIVERSE = "analysis.multiverse"      # the folder holding every study's results


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def raw_folder(path):
    """The raw data folder ``path`` is or lies in: itself or the nearest folder above it named
    ``raw`` or holding ``SHA256SUMS``; None elsewhere."""
    path = Path(path).resolve()
    for folder in [path, *path.parents]:
        if folder.name == "raw" or (folder / CHECKSUMS).is_file():
            return folder
    return None


def recorded_sums(path, fix: str) -> dict:
    """The SHA-256 sums ``SHA256SUMS`` at ``path`` records, {file name: hex digest}; ``fix`` says
    what to do when the file cannot be read (``StudyError``)."""
    sums = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise StudyError(f"{path}: cannot read the checksum file; {fix}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(maxsplit=1)
        digest = parts[0].lower()
        if len(parts) != 2 or len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
            raise StudyError(f"{path}: line {n} is not '<sha256>  <file name>'; {fix}")
        sums[parts[1].strip().lstrip("*")] = digest
    return sums


def check_place(out, inputs=(), option: str = "--out") -> Path:
    """``out`` resolved, or ``StudyError`` when it lies in ``data/``, a raw folder or the code, or
    holds the compendium or one of ``inputs`` (the study file and data a run reads)."""
    out = Path(out).resolve()
    for g in [*inputs, ROOT]:
        g = Path(g).resolve()
        if _within(g, out):
            raise StudyError(f"{option} {out}: the run would write over this folder, which holds {g}; choose a "
                             "separate results folder (e.g. --out results)")
    folder = raw_folder(out)
    if folder is not None:
        raise StudyError(f"{option} {out}: lies in the raw data folder {folder}; nothing is ever written there, "
                         "choose another output folder")
    if _within(out, DATA):
        raise StudyError(f"{option} {out}: lies in {DATA}, which holds the studies and their data; nothing is "
                         "written there, choose a separate results folder (e.g. --out results)")
    for code in CODE:
        if _within(out, code):
            raise StudyError(f"{option} {out}: lies in {code}, which holds the code of the compendium; choose a "
                             "separate results folder (e.g. --out results)")
    return out


def marker_text(by: str, study) -> str:
    """The marker of a folder written by command ``by`` for ``study`` (None: every study)."""
    return json.dumps({"by": by, "study": study}, sort_keys=True) + "\n"


def _marker(folder: Path):
    """The folder's marker as {"by", "study"[, "files"]}; None without one; {} when it is not a
    marker."""
    path = folder / MARKER
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            found = json.loads(fh.read(MARKER_MAX).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict) or set(found) - {"files"} != {"by", "study"}:
        return {}
    files = found.get("files", [])
    return found if isinstance(files, list) and all(isinstance(f, str) for f in files) else {}


def _files(folder: Path) -> list:
    """Every file under ``folder`` but the marker, as sorted relative POSIX paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if not p.is_dir() and p.relative_to(folder).as_posix() != MARKER)


def _foreign(folder: Path, marker: dict) -> list:
    """The files of a sealed folder that the run did not write (none for an unsealed marker)."""
    if "files" not in marker:
        return []
    written = set(marker["files"])
    return [f for f in _files(folder) if f not in written]


def _refuse_foreign(option: str, out: Path, foreign: list, verb: str) -> None:
    shown = ", ".join(map(repr, foreign[:3])) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    raise StudyError(f"{option} {out}: holds {shown}, which the run that wrote it did not write (its {MARKER} lists "
                     f"its files); the run {verb} the folder, so move them elsewhere first or choose another "
                     f"{option}")


def _owner(marker: dict) -> str:
    study = marker["study"]
    return (f"the output of python -m {marker['by']}" + (f" for study {study!r}" if study is not None
                                                           else " for every study"))


def check_folder(out, by: str, study, inputs=(), option: str = "--out", verb: str = "replaces") -> Path:
    """``out`` resolved (``check_place``) when it is absent, empty or marked by command ``by`` for
    ``study``; else ``StudyError``: a folder of other files, or another command's or study's."""
    out = check_place(out, inputs, option)
    if out.exists() and not out.is_dir():
        raise StudyError(f"{option} {out}: is a file, not a folder; choose a folder name")
    if not out.is_dir():
        return out
    found = _marker(out)
    try:
        entries = sorted(p.name for p in out.iterdir() if p.name != MARKER)
    except OSError as e:
        raise StudyError(f"{option} {out}: cannot be read ({e.strerror}); choose another output folder") from None
    if found is None and entries:
        shown = ", ".join(map(repr, entries[:3])) + (", ..." if len(entries) > 3 else "")
        raise StudyError(f"{option} {out}: exists and does not hold the results of an earlier run (no {MARKER}; "
                         f"it holds {shown}); the run {verb} it, so choose a new or empty folder (results of a run "
                         "from before the marker: delete them first)")
    if found == {}:
        raise StudyError(f"{option} {out}: its {MARKER} is not one a run of the compendium writes; choose a new or "
                         "empty folder")
    if found is not None and (found["by"], found["study"]) != (by, study):
        want = _owner({"by": by, "study": study})
        raise StudyError(f"{option} {out}: holds {_owner(found)}, not {want}; choose another {option}")
    if found:
        foreign = _foreign(out, found)
        if foreign:
            _refuse_foreign(option, out, foreign, verb)
    return out


def _write_atomically(path: Path, data: bytes) -> None:
    """A temporary file next to ``path`` (the usual permissions: 0666 less the umask), renamed
    over it."""
    tmp = path.parent / f".{path.name[:60]}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def mark(folder, by: str, study) -> Path:
    """Create ``folder`` if needed and mark it as written by command ``by`` for ``study``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = marker_text(by, study).encode()
    path = folder / MARKER
    if not (path.is_file() and path.read_bytes() == text):
        _write_atomically(path, text)
    return folder


def seal(folder, by: str, study) -> Path:
    """Mark ``folder``, a finished run's, with the list of every file in it: a later run refuses
    the folder while it holds another file (``check_folder``, ``check_replaceable``).  A command
    that then writes into the folder in place (``claim``) marks it anew, without the list."""
    folder = Path(folder)
    found = json.loads(marker_text(by, study))
    text = json.dumps({**found, "files": _files(folder)}, sort_keys=True) + "\n"
    _write_atomically(folder / MARKER, text.encode())
    return folder


def claim(out, by: str, study, inputs=(), option: str = "--out", verb: str = "writes into") -> Path:
    """``check_folder``, then ``mark``: the folder a command writes into in place."""
    return mark(check_folder(out, by, study, inputs, option, verb), by, study)


def check_replaceable(out) -> None:
    """Refuse to replace ``out`` unless it is absent, empty or marked by a run (the last check
    before a finished run takes its place)."""
    out = Path(out)
    if not out.is_dir():
        return
    found = _marker(out)
    if found in (None, {}) and any(p.name != MARKER for p in out.iterdir()):
        raise StudyError(f"--out {out}: now holds files that no run of the compendium wrote (no {MARKER}); it is "
                         "not replaced: choose a new or empty folder")
    foreign = _foreign(out, found) if found else []
    if foreign:
        _refuse_foreign("--out", out, foreign, "replaces")


def check_data_file(out, study, content: bytes, option: str = "--out") -> bool:
    """May the stand-in of ``study`` write ``content`` to the file ``out``?  True: write it;
    False: ``out`` already holds exactly these bytes.  Refused (``StudyError``): a place in the
    code; raw data or ``data/`` other than the study's own data file; the study's own data file
    where ``SHA256SUMS`` records other bytes; an existing file of other bytes elsewhere."""
    out = Path(out).resolve()
    if out.is_dir():
        raise StudyError(f"{option} {out}: is a folder; give the name of a CSV file")
    for code in CODE + ((ROOT,) if out.parent == ROOT else ()):
        if _within(out.parent, code):
            raise StudyError(f"{option} {out}: lies in {code}, which holds the code of the compendium; nothing is "
                             "written there, give another file name")
    own = Path(study.data_path).resolve()
    mine = out == own and _within(own, Path(study.folder).resolve())
    raw = raw_folder(out.parent)
    if raw is not None or _within(out, DATA):
        if not mine:
            why = (f"named by the study file but outside the study's folder {study.folder} (another study's raw "
                   "data?)" if out == own else f"not the data file of study {study.name!r} ({own})")
            raise StudyError(f"{option} {out}: lies in {raw or DATA} and is {why}; the stand-in writes no other raw "
                             "data, so give another --out")
        return _rewrite_recorded(out, study, content, option)
    if not mine and out.exists():
        if out.is_file() and out.read_bytes() == content:
            return False
        raise StudyError(f"{option} {out}: exists and is not what the stand-in generates; a file is never "
                         "overwritten: remove it first or give a new file name")
    return not (out.is_file() and out.read_bytes() == content)


def _rewrite_recorded(out: Path, study, content: bytes, option: str) -> bool:
    """The study's own data file in a raw folder: only the bytes its ``SHA256SUMS`` records."""
    sums_file = out.parent / CHECKSUMS
    record = f"python -m analysis.pipeline --study {study.path} --record-checksums"
    if sums_file.is_file():
        recorded = recorded_sums(sums_file, f"restore it (e.g. git checkout -- {sums_file})").get(out.name)
        generated = sha256_bytes(content)
        if recorded != generated:
            said = "records other bytes for it" if recorded else "does not list it"
            raise StudyError(f"{option} {out}: {sums_file} {said} than the stand-in generates (SHA-256 "
                             f"{generated[:12]}...), so the raw data are not overwritten; to replace them on purpose "
                             f"write the stand-in elsewhere (--out new.csv), check it, copy it over {out.name} and "
                             f"record the checksums with {record}")
    return not (out.is_file() and out.read_bytes() == content)


def sha256_bytes(content: bytes) -> str:
    """The SHA-256 of ``content`` as hex digits (as ``analysis.rawdata.sha256`` of a file)."""
    return hashlib.sha256(content).hexdigest()


def write_file(out, content: bytes) -> Path:
    """Write ``content`` to ``out`` in one step (a temporary file renamed over it): a reader never
    sees half a file, and an interrupted write leaves the old one."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(out, content)
    return out


def own_raw_folder(study, data_file) -> Path:
    """The one folder where ``--record-checksums`` may write ``SHA256SUMS``: the study's own raw
    folder, ``<study folder>/raw``, holding ``data_file``; else ``StudyError``."""
    own = (Path(study.folder) / "raw").resolve()
    data_file = Path(data_file).resolve()
    if data_file.parent != own:
        raise StudyError(f"--record-checksums: {data_file} is not in the study's own raw folder {own}; checksums are "
                         "recorded only there (never next to a --data file elsewhere or another study's data), so "
                         "nothing was recorded")
    return own
