"""``python -m analysis.pipeline``: see ``analysis.pipeline``."""
import sys

from .cli import main

sys.exit(main())
