"""``python -m analysis.standin``: the address of the stand-in's command line, which lives with the
other entry points (``analysis.pipeline.standin_cli``)."""
import sys

from ..pipeline.standin_cli import main

sys.exit(main())
