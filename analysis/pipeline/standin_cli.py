"""``python -m analysis.standin --study FILE [--out PATH] [--check] [--seeds FIRST-LAST]``: write (or
check) a study's synthetic stand-in case base from its study file's ``standin:`` section, or audit
its seeds: on how many of them does every claim hold at the study's settings
(``analysis.pipeline.seeds``).  It writes only its own study's data file inside ``data/`` (and
there only the bytes ``SHA256SUMS`` records), never overwrites another existing file, and never
writes into the code (``analysis.guard``)."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import INPUT_ERRORS, StudyError
from ..qca.arguments import Parser
from ..guard import check_data_file, write_file
from ..processes import critical, say, stop_on_signals
from ..standin.generate import formatted, generate
from ..studyfile import load_study
from .layout import DEFAULT_STUDY
from .studies import study_file
from .seeds import audit


def _seed_range(text: str) -> tuple:
    first, _, last = str(text).partition("-")
    try:
        lo, hi = int(first), int(last or first)
    except ValueError:
        lo = hi = -1
    if not 0 <= lo <= hi <= 2 ** 32 - 1:
        raise StudyError(f"--seeds: got {text!r}; give FIRST-LAST, two whole numbers from 0, e.g. 1-60")
    return lo, hi


def _audit(study, first: int, last: int) -> int:
    found = audit(study, first, last)
    for r in found.itertuples():
        print(f"seed {r.seed}: {r.passed} of {r.claims} claims hold" + (f" (fail: {r.failing})" if r.failing else ""))
    passed = found.loc[found["all_pass"], "seed"].tolist()
    print(f"{study.name}: {len(passed)} of {len(found)} seeds ({first}-{last}) give data on which every claim judged "
          f"at the study's settings holds" + (f": {', '.join(map(str, passed))}" if passed else "")
          + f"; the study file's seed is {study.standin.seed}")
    return 0


def main(argv=None) -> int:
    # a signal: one line, status 130/143/129; a file being written is finished first
    with stop_on_signals("interrupted; nothing was written"):
        return _main(argv)


def _main(argv) -> int:
    ap = Parser(prog="python -m analysis.standin", description=__doc__)
    ap.add_argument("--study", default=str(DEFAULT_STUDY), help="a study with a standin: section: a name of data/ (pss, ...) or "
                                                                "its study file")
    ap.add_argument("--out", default=None, help="output CSV (default: the data file the study file names)")
    ap.add_argument("--check", action="store_true", help="only check that the committed file is what the "
                                                          "study file's process generates, byte for byte")
    ap.add_argument("--seeds", default=None, metavar="FIRST-LAST",
                    help="audit the seeds FIRST to LAST: the claims that hold on the stand-in of each (writes nothing)")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        study = load_study(study_file(args.study))
        if args.seeds is not None:
            return _audit(study, *_seed_range(args.seeds))
        cases = generate(study)
        out = Path(args.out) if args.out else study.data_path
        content = formatted(study, cases).to_csv(index=False, lineterminator="\n").encode("utf-8")
        if args.check:
            same = out.is_file() and out.read_bytes() == content
            print(f"{out}: {'identical to' if same else 'DIFFERS from'} what {study.path.name} generates "
                  f"(seed {study.standin.seed})")
            return 0 if same else 1
        where = "--out" if args.out else f"{study.path}: data:"
        if not check_data_file(out, study, content, where):          # what may be written where: analysis.guard
            print(f"{out}: unchanged (it holds what {study.path.name} generates, seed {study.standin.seed})")
            return 0
        with critical():
            write_file(out, content)
            say(f"interrupted after {out} was written")
    except INPUT_ERRORS as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {e.filename or args.out}: cannot write: {e.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(cases)} synthetic cases, seed {study.standin.seed})")
    return 0

