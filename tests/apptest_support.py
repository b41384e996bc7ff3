"""AppTest support for the teaching pages: a per-test database, canvas drawings from normalized
boxes.

Import as ``from apptest_support import ...`` (tests/ is on sys.path). AppTest cannot drive the
canvas (it shows it as an unknown element), but setting the canvas's session-state key before
``run()`` injects a drawing, which ``st_canvas`` then returns; the app needs no test seam.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cxr_auditor.db import open_database
from cxr_auditor.ui.services.canvas import CANVAS_WIDTH, chip

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
CANVAS = CANVAS_WIDTH  # px: the canvas of a square case


def box(label: str, y0: float, x0: float, y1: float, x1: float) -> dict:
    """A LabeledRect as the canvas returns it, from a normalized box."""
    return {
        "type": "LabeledRect",
        "label": chip(label),
        "left": x0 * CANVAS,
        "top": y0 * CANVAS,
        "width": (x1 - x0) * CANVAS,
        "height": (y1 - y0) * CANVAS,
        "scaleX": 1,
        "scaleY": 1,
        "originX": "left",
        "originY": "top",
    }


def drawing(*objects: dict) -> dict:
    """The canvas component's session-state value holding ``objects``."""
    return {"drawing": {"raw": {"objects": list(objects)}, "data": None}, "backgroundFit": None}


def teaching_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, instructor_key: str | None = None
):
    """A fresh SQLite database for the app under test, embedded readers, the bundled library."""
    url = f"sqlite:///{tmp_path / name}"
    monkeypatch.setenv("CXR_DATABASE_URL", url)
    if instructor_key is not None:
        monkeypatch.setenv("CXR_INSTRUCTOR_KEY", instructor_key)
    monkeypatch.delenv("CXR_TRITON_URL", raising=False)
    monkeypatch.delenv("CXR_CASE_LIBRARY", raising=False)
    return open_database(url)
