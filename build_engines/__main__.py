"""``python -m build_engines``."""

from build_engines.cli import main

raise SystemExit(main())
