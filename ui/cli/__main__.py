"""``python -m ui.cli`` is the same as ``cxr-auditor``."""

import sys

from ui.cli import main

sys.exit(main())
