"""AppTest support for the teaching pages: a per-test database, canvas drawings from normalized
boxes.

Import as ``from apptest_support import ...`` (tests/ is on sys.path). AppTest cannot drive the
canvas (it shows it as an unknown element), but setting the canvas's session-state key before
``run()`` injects a drawing, which ``st_canvas`` then returns; the app needs no test seam.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cxr_auditor.db import open_database
from cxr_auditor.ui.services.canvas import CANVAS_WIDTH, chip

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
TEXT_KINDS = ("title", "subheader", "markdown", "caption", "error", "warning", "info", "success")


def instructor_page(name: str, key: str | None):
    """The app switched to ``views/<name>.py`` and, with ``key``, unlocked through its key form."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(f"views/{name}.py")
    at.run()
    if key is not None:
        at.text_input(key="instructor_key_input").input(key)
        next(b for b in at.button if b.label == "Unlock").click()
        at.run()
    assert not at.exception
    return at


def page_text(at, kinds: tuple[str, ...] = TEXT_KINDS) -> str:
    """The page's words (markdown escapes undone), for ``in`` / ``not in`` checks."""
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


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


def store_answers(database, info, answers, readers=None) -> None:
    """Learners join the session ``info`` and submit ``(name, case_id, draft, boxes)`` answers,
    scored and stored through the same services as the pages (embedded readers by default)."""
    from datetime import timedelta

    from cxr_auditor.core.case_format import load_library
    from cxr_auditor.db.store import now
    from cxr_auditor.serving.readers import make_readers
    from cxr_auditor.ui.services import attempts, sessions

    library, readers = load_library(), readers or make_readers(None)
    people: dict[str, int] = {}
    for name, case_id, draft, boxes in answers:
        if name not in people:
            people[name] = sessions.join(database, info.code, name, "1234")[1].id
        feedback = attempts.score_attempt(library.get(case_id), draft, boxes, readers)
        attempts.submit(
            database,
            attempts.attempt_data(
                feedback,
                submission_id=attempts.new_submission_id(),
                participant_id=people[name],
                session_id=info.id,
                mode="session",
                position=info.case_ids.index(case_id),
                opened_at=now() - timedelta(seconds=40),
                submitted_at=now(),
            ),
        )
