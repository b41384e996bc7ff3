"""Helpers shared by test modules (import as ``from support import ...``; tests/ is on sys.path)."""

from __future__ import annotations

import pytest


def require_extras(*modules: str, extra: str) -> None:
    """Skip the calling test module when an optional stack is missing, except in CI.

    CI (``CI=true``) installs every extra, so there a missing module must fail loudly instead of
    silently skipping the tests that need it.
    """
    import importlib.util
    import os

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing and not os.environ.get("CI"):
        pytest.skip(
            f"needs the {extra} extras; missing: {', '.join(missing)}", allow_module_level=True
        )
