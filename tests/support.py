"""Helpers shared by test modules (import as ``from support import ...``; tests/ is on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable

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


def best_cpu_seconds(work: Callable[[], object], repeat: int = 5) -> float:
    """CPU seconds of this process for ``work()``, best of ``repeat``.

    Timing tests compare two such figures (a ratio), never a figure with a wall-clock limit: CPU
    time ignores other jobs on the machine, and the best of several runs ignores one-off stalls.
    """
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)
