"""The room review: every learner's answer to one session case, counted and drawn together.

``room_answers`` reads a session case's submitted answers (one per learner: the draft, the audit's
flags, the boxes and the comparator's outcomes exactly as stored with the attempt, never scored
again). The rest are pure functions over those records:

- ``learner_numbers``: "Learner 1", "Learner 2", ... in joining order, the same in every case of
  the session; ``shown_name`` picks the real name only when the instructor asks for it;
- ``label_counts``: per finding, how many learners boxed it, and the stored outcomes added up:
  boxes found, missed, wrong side, over-called (against the reference) and the draft's missed,
  over-called and wrong-side flags;
- ``room_boxes``, ``reference_boxes``, ``model_boxes``: the three box sets for ``overlay.draw``,
  learners' dotted and coloured by finding (``palette.LABEL_COLOURS``), the reference solid
  green, the model dashed orange;
- ``step``: previous/next through the session's cases, and its "Case 2 of 4" text.

Nothing here renders, and nothing decides who may see what: the page checks the instructor key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from cxr_auditor.core.labels import POSITIVE_LABELS, display_name
from cxr_auditor.core.schemas import AuditResult, Finding, Flag
from cxr_auditor.db import store
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import Attempt, AttemptDetail, AttemptOutcome
from cxr_auditor.ui.services.canvas import boxes_from_json
from cxr_auditor.ui.services.overlay import OverlayBox
from cxr_auditor.ui.services.palette import AGREED, LABEL_COLOURS, MODEL

BOX_KINDS = {
    "hit": "found",
    "miss": "missed",
    "side_error": "wrong side",
    "over_call": "over-called",
}
DRAFT_KINDS = {"MISSING": "missed", "UNSUPPORTED": "over-called", "LATERALITY": "wrong side"}
REVIEWED_FLAGS = ("URGENT", "MISSING", "LATERALITY", "UNSUPPORTED")


@dataclass(frozen=True)
class Answer:
    """One learner's submitted answer to the case, as stored."""

    participant_id: int
    name: str
    draft: str
    boxes: tuple[Finding, ...]
    flags: tuple[Flag, ...]
    outcomes: tuple[tuple[str, str, str], ...]  # (label, channel, kind), as stored
    submitted_at: datetime


@dataclass(frozen=True)
class LabelCount:
    """The room's numbers for one finding."""

    label: str
    boxed_by: int  # learners who drew at least one box of it
    boxes: Mapping[str, int]  # found, missed, wrong side, over-called (reference outcomes)
    drafts: Mapping[str, int]  # missed, over-called, wrong side (draft flags)

    @property
    def finding(self) -> str:
        return display_name(self.label)


def room_answers(engine: Engine, session_id: int, case_id: str) -> list[Answer]:
    """The session case's submitted answers, in submission order (one per learner)."""
    query = (
        select(Attempt, AttemptDetail)
        .join(AttemptDetail, AttemptDetail.attempt_id == Attempt.id)
        .where(
            Attempt.session_id == session_id,
            Attempt.case_id == case_id,
            Attempt.mode == "session",
        )
        .order_by(Attempt.submitted_at, Attempt.id)
    )
    with reading(engine) as db:
        rows = db.execute(query).all()
        ids = [attempt.id for attempt, _ in rows]
        outcomes: dict[int, list[tuple[str, str, str]]] = {attempt_id: [] for attempt_id in ids}
        for row in db.execute(
            select(
                AttemptOutcome.attempt_id,
                AttemptOutcome.label,
                AttemptOutcome.channel,
                AttemptOutcome.kind,
            )
            .where(AttemptOutcome.attempt_id.in_(ids))
            .order_by(AttemptOutcome.id)
        ):
            outcomes[row.attempt_id].append((row.label, row.channel, row.kind))
        names = {p.id: p.display_name for p, _ in store.roster(db, session_id)}
    return [
        Answer(
            attempt.participant_id,
            names.get(attempt.participant_id, f"participant {attempt.participant_id}"),
            detail.draft,
            tuple(boxes_from_json(detail.learner_boxes)),
            tuple(AuditResult.model_validate(detail.audit).flags),
            tuple(outcomes[attempt.id]),
            attempt.submitted_at,
        )
        for attempt, detail in rows
    ]


def joining_order(engine: Engine, session_id: int) -> list[int]:
    """The session's participant ids, in the order they joined."""
    with reading(engine) as db:
        return [person.id for person, _ in store.roster(db, session_id)]


# --------------------------------------------------------------------------- pure functions


def learner_numbers(participant_ids: Iterable[int]) -> dict[int, str]:
    """``{participant id: "Learner 1", ...}`` in the given (joining) order."""
    return {pid: f"Learner {k}" for k, pid in enumerate(dict.fromkeys(participant_ids), 1)}


def shown_name(answer: Answer, numbers: Mapping[int, str], show_names: bool) -> str:
    """The name the room sees: "Learner N" unless the instructor shows names."""
    anonymous = numbers.get(answer.participant_id, "Learner ?")
    return f"{answer.name} ({anonymous})" if show_names else anonymous


def label_counts(answers: Sequence[Answer]) -> list[LabelCount]:
    """Per positive finding, the stored outcomes of every answer added up (see the docstring)."""
    stored = Counter(outcome for answer in answers for outcome in answer.outcomes)
    counts = []
    for label in POSITIVE_LABELS:
        boxed_by = sum(any(box.label == label for box in answer.boxes) for answer in answers)
        boxes = {word: stored[(label, "reference", kind)] for kind, word in BOX_KINDS.items()}
        drafts = {word: stored[(label, "draft", kind)] for kind, word in DRAFT_KINDS.items()}
        counts.append(LabelCount(label, boxed_by, boxes, drafts))
    return counts


def in_play(counts: Sequence[LabelCount], reference: Iterable[Finding]) -> list[LabelCount]:
    """The findings worth a row: in the reference, boxed by someone, or with any outcome."""
    present = {finding.label for finding in reference}
    return [
        c
        for c in counts
        if c.label in present or c.boxed_by or any(c.boxes.values()) or any(c.drafts.values())
    ]


def flags_of(answer: Answer) -> list[Flag]:
    """The draft's flags the room discusses (missing, over-called, wrong side, urgent), worst
    first."""
    return sorted(
        (f for f in answer.flags if f.kind != "URGENT" or f.in_draft is False),
        key=lambda f: REVIEWED_FLAGS.index(f.kind),
    )


def room_boxes(
    answers: Sequence[Answer],
    numbers: Mapping[int, str],
    labels: Iterable[str],
    *,
    caption_each: bool = False,
) -> list[OverlayBox]:
    """Every learner's boxes of ``labels``, dotted, coloured by finding; captioned with the
    anonymous learner number when ``caption_each`` (never the real name: the image is projected)."""
    shown = set(labels)
    return [
        OverlayBox(
            box.box,
            LABEL_COLOURS[box.label].hex,
            f"{numbers.get(answer.participant_id, 'Learner ?').replace('Learner ', 'L')}"
            if caption_each
            else "",
            source="learner",
        )
        for answer in answers
        for box in answer.boxes
        if box.box is not None and box.label in shown and box.label in LABEL_COLOURS
    ]


def reference_boxes(findings: Iterable[Finding], labels: Iterable[str]) -> list[OverlayBox]:
    shown = set(labels)
    return [
        OverlayBox(f.box, AGREED.hex, f"reference: {display_name(f.label)}", source="reference")
        for f in findings
        if f.box is not None and f.label in shown
    ]


def model_boxes(findings: Iterable[Finding], labels: Iterable[str]) -> list[OverlayBox]:
    shown = set(labels)
    return [
        OverlayBox(f.box, MODEL.hex, f"model: {display_name(f.label)}", source="model")
        for f in findings
        if f.box is not None and f.label in shown
    ]


def step(index: int, move: int, total: int) -> int:
    """The case index after moving ``move`` (-1 previous, +1 next), kept within 0..total-1."""
    return min(max(0, index + move), max(0, total - 1))


def position_text(index: int, total: int) -> str:
    return f"Case {index + 1} of {total}"
