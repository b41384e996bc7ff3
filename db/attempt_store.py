"""Storing submitted attempts exactly once, and reading a learner's own attempts back.

``store_attempt`` writes the attempt and its outcome rows in one transaction, with
``INSERT ... ON CONFLICT DO NOTHING`` on the attempt: a retried or double-clicked submit (the same
client-made ``submission_id``) or a second answer to the same session case finds the first one and
returns it with ``created=False``; a session the instructor closed takes no new attempt. Two
learners submitting at the same moment both land: SQLite queues them on its write lock, PostgreSQL
settles unique-key races itself. What is stored is built by ``ui.services.attempts``; this module
does not score anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from cxr_auditor.db.engine import reading, writing
from cxr_auditor.db.models import (
    Attempt,
    AttemptDetail,
    AttemptOutcome,
    TeachingSession,
)
from cxr_auditor.db.store import insert_ignoring_conflicts

DETAIL_FIELDS = ("draft", "learner_boxes", "audit", "reference_score", "model_score")


@dataclass(frozen=True)
class AttemptData:
    """Everything one submitted attempt stores (boxes normalized, results as JSON-ready dicts)."""

    submission_id: str
    participant_id: int
    session_id: int | None
    mode: Literal["session", "quiz"]
    case_id: str
    position: int | None
    draft: str
    learner_boxes: list[dict[str, Any]]
    audit: dict[str, Any]
    reference_score: dict[str, Any]
    model_score: dict[str, Any] | None
    box_score: float
    model_box_score: float | None
    box_hits: int
    box_misses: int
    box_side_errors: int
    box_over_calls: int
    flags_missing: int
    flags_unsupported: int
    flags_laterality: int
    urgent_missed: int
    opened_at: datetime
    submitted_at: datetime
    seconds: float
    over_time: bool
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, channel, kind)

    def columns(self) -> dict[str, Any]:
        """The ``attempts`` row (the summary)."""
        skip = (*DETAIL_FIELDS, "outcomes")
        return {k: v for k, v in self.__dict__.items() if k not in skip}

    def details(self, attempt_id: int) -> dict[str, Any]:
        """The ``attempt_details`` row (the large part)."""
        return {"attempt_id": attempt_id} | {k: getattr(self, k) for k in DETAIL_FIELDS}


@dataclass(frozen=True)
class Stored:
    """Where an attempt ended up: ``created`` False when it was there already (and why)."""

    attempt_id: int | None
    created: bool
    reason: Literal["new", "same_submission", "already_answered", "session_closed"]


def store_attempt(engine: Engine, data: AttemptData) -> Stored:
    """Store the attempt once (see the module docstring); all or nothing.

    An attempt for a session that is closed is refused (``attempt_id`` None, reason
    ``session_closed``), unless it is a retry of one stored before the session closed.
    """
    with writing(engine) as db:
        same = db.execute(
            select(Attempt.id).where(Attempt.submission_id == data.submission_id)
        ).scalar()
        if same is not None:
            return Stored(same, False, "same_submission")
        if data.session_id is not None:
            status = db.execute(
                select(TeachingSession.status).where(TeachingSession.id == data.session_id)
            ).scalar()
            if status != "open":
                return Stored(None, False, "session_closed")
        new_id = db.execute(
            insert_ignoring_conflicts(db, Attempt).values(**data.columns()).returning(Attempt.id)
        ).scalar_one_or_none()
        if new_id is not None:
            db.execute(insert(AttemptDetail).values(**data.details(new_id)))
            if data.outcomes:
                db.execute(
                    insert(AttemptOutcome),
                    [
                        {"attempt_id": new_id, "label": label, "channel": channel, "kind": kind}
                        for label, channel, kind in data.outcomes
                    ],
                )
            return Stored(new_id, True, "new")
        same = db.execute(
            select(Attempt.id).where(Attempt.submission_id == data.submission_id)
        ).scalar()
        if same is not None:
            return Stored(same, False, "same_submission")
        answered = db.execute(
            select(Attempt.id).where(
                Attempt.participant_id == data.participant_id,
                Attempt.session_id == data.session_id,
                Attempt.case_id == data.case_id,
                Attempt.mode == "session",
            )
        ).scalar()
        if answered is None:  # pragma: no cover - no other unique key exists
            raise RuntimeError(f"attempt {data.submission_id} conflicted with no known row")
        return Stored(answered, False, "already_answered")


SUMMARY_COLUMNS = (
    Attempt.id,
    Attempt.case_id,
    Attempt.position,
    Attempt.mode,
    Attempt.session_id,
    Attempt.box_score,
    Attempt.model_box_score,
    Attempt.box_hits,
    Attempt.box_misses,
    Attempt.box_side_errors,
    Attempt.box_over_calls,
    Attempt.flags_missing,
    Attempt.flags_unsupported,
    Attempt.flags_laterality,
    Attempt.seconds,
    Attempt.over_time,
    Attempt.submitted_at,
)


def own_attempts(
    engine: Engine, participant_id: int, session_id: int | None = None
) -> list[dict[str, Any]]:
    """One participant's attempts (summary columns), oldest first; never anyone else's."""
    query = select(*SUMMARY_COLUMNS).where(Attempt.participant_id == participant_id)
    if session_id is not None:
        query = query.where(Attempt.session_id == session_id)
    with reading(engine) as db:
        return [dict(row._mapping) for row in db.execute(query.order_by(Attempt.id))]


def own_attempt(engine: Engine, participant_id: int, attempt_id: int) -> dict[str, Any] | None:
    """The full stored attempt, only when it belongs to this participant."""
    return _full_attempt(engine, attempt_id, participant_id)


def any_attempt(engine: Engine, attempt_id: int) -> dict[str, Any] | None:
    """The full stored attempt of anyone: for the instructor pages only (they check the key)."""
    return _full_attempt(engine, attempt_id, None)


def _full_attempt(
    engine: Engine, attempt_id: int, participant_id: int | None
) -> dict[str, Any] | None:
    query = (
        select(Attempt, AttemptDetail)
        .join(AttemptDetail, AttemptDetail.attempt_id == Attempt.id)
        .where(Attempt.id == attempt_id)
    )
    if participant_id is not None:
        query = query.where(Attempt.participant_id == participant_id)
    with reading(engine) as db:
        row = db.execute(query).first()
        if row is None:
            return None
        summary, detail = row
        return {c.key: getattr(summary, c.key) for c in Attempt.__table__.columns} | {
            key: getattr(detail, key) for key in DETAIL_FIELDS
        }


def count_attempts(engine: Engine) -> int:
    with reading(engine) as db:
        return int(db.execute(select(func.count()).select_from(Attempt)).scalar_one())
