"""Shared fixtures: where the development data lives, small generated images."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The app's default database lives under CXR_DATA_DIR; tests (and the app servers they start) must
# never write into the developer's home folder.
os.environ.setdefault("CXR_DATA_DIR", tempfile.mkdtemp(prefix="cxr-test-data-"))

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ``../shared/data`` beside the checkout (the real development data)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"development data not found at {SHARED_DATA}")
    return SHARED_DATA
