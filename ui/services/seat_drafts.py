"""Autosave of a session learner's unsubmitted answer: the draft and the boxes, per seat and case.

The page calls ``load`` once per case and browser tab (what a reload or another device finds) and
``autosave`` on every run; a write happens only when the draft or the boxes changed since the last
one, so a rerun that changed nothing costs no write. Boxes are stored normalized (``[y0, x0, y1,
x1]`` in 0..1, ``canvas.boxes_json``), so they come back right on a canvas of any size:
``canvas.drawing_from_boxes`` turns them into the canvas's ``initial_drawing``. Nothing here
renders.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from cxr_auditor.core.schemas import Finding
from cxr_auditor.db import store
from cxr_auditor.db.engine import reading, writing
from cxr_auditor.ui.services.canvas import boxes_from_json, boxes_json


@dataclass(frozen=True)
class SavedWork:
    """What a seat had drafted for one case: the text and the normalized boxes."""

    draft: str = ""
    boxes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return boxes_from_json(self.boxes)


def load(engine: Engine, participant_id: int, case_id: str) -> SavedWork:
    """The saved work of this seat on this case (empty when nothing was saved)."""
    with reading(engine) as db:
        row = store.draft_of(db, participant_id, case_id)
    return SavedWork(*row) if row is not None else SavedWork()


def autosave(
    engine: Engine,
    last: MutableMapping[str, SavedWork],
    work_key: str,
    *,
    participant_id: int,
    session_id: int,
    case_id: str,
    draft: str,
    boxes: list[Finding],
) -> bool:
    """Save the work when it differs from ``last[work_key]``; True when a write happened."""
    current = SavedWork(draft, boxes_json(boxes))
    if last.get(work_key) == current:
        return False
    with writing(engine) as db:
        store.save_draft(
            db,
            participant_id=participant_id,
            session_id=session_id,
            case_id=case_id,
            draft=current.draft,
            boxes=current.boxes,
        )
    last[work_key] = current
    return True
