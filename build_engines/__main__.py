"""``python -m cxr_auditor.build_engines``."""

from cxr_auditor.build_engines.cli import main

raise SystemExit(main())
