"""``python -m analysis.multiverse``: the address of the multiverse's command line, which lives
with the other entry points (``analysis.pipeline.multiverse_cli``)."""
import sys

from ..pipeline.multiverse_cli import main

sys.exit(main())
