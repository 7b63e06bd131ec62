"""``python -m analysis.standin --study FILE [--out PATH] [--check]``: write (or check) a study's
synthetic stand-in case base from its study file's ``standin:`` section."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import INPUT_ERRORS
from ..qca.arguments import Parser
from ..standin.generate import formatted, generate, write_csv
from ..studyfile import load_study
from .layout import DEFAULT_STUDY


def main(argv=None) -> int:
    ap = Parser(prog="python -m analysis.standin", description=__doc__)
    ap.add_argument("--study", default=str(DEFAULT_STUDY), help="study file with a standin: section")
    ap.add_argument("--out", default=None, help="output CSV (default: the data file the study file names)")
    ap.add_argument("--check", action="store_true", help="only check that the committed file is what the "
                                                          "study file's process generates, byte for byte")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        study = load_study(args.study)
        cases = generate(study)
        out = Path(args.out) if args.out else study.data_path
        if args.check:
            text = formatted(study, cases).to_csv(index=False, lineterminator="\n")
            same = out.is_file() and out.read_bytes() == text.encode("utf-8")
            print(f"{out}: {'identical to' if same else 'DIFFERS from'} what {study.path.name} generates "
                  f"(seed {study.standin.seed})")
            return 0 if same else 1
        write_csv(study, cases, out)
    except INPUT_ERRORS as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {e.filename or args.out}: cannot write: {e.strerror}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(cases)} synthetic cases, seed {study.standin.seed})")
    return 0

