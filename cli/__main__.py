"""``python -m cxr_auditor.cli`` is the same as ``cxr-auditor``."""

import sys

from cxr_auditor.cli import main

sys.exit(main())
