"""The teaching database's tables (SQLAlchemy 2 declarative): one class per table.

- ``case_sets`` / ``case_set_items``: an ordered list of library case ids.
- ``teaching_sessions``: a case set, a join code, an optional per-case time limit, open or closed.
- ``participants``: a learner in a session (or practising alone: ``mode='quiz'``), with a secret
  token that identifies them to the app (kept in the tab, never in a URL); display names are unique
  within a session; ``pin_hash`` is the salted hash of the short PIN a learner chose at join (to
  rejoin from another device), ``pin_failures`` counts wrong PINs since the last good one.
- ``seat_drafts``: a learner's unsubmitted answer to one session case (the draft and the boxes,
  normalized), saved on every change so that a reload or another device restores it.
- ``case_openings``: when a learner first saw a session case (time per case survives a restart).
- ``attempts``: one submitted answer's summary: box scores against the reference (and the model),
  counts of flags and box outcomes, timings. A client-made ``submission_id`` is UNIQUE, so a retried
  or double-clicked submit is stored once; a learner has at most one attempt per case of a session
  (a partial unique index). ``attempt_details`` holds the rest, one row per attempt: the draft, the
  learner's boxes, the audit result and the box scores as JSON (kept apart, so that dashboard
  queries scan narrow rows).
- ``attempt_outcomes``: one row per flag and per box outcome, for the dashboard's GROUP BY queries.
- ``instructor_actions``: what instructors did (created, closed, exported), never the key.
- ``authored_cases``: cases written by instructors in the case editor (or imported from a bundle):
  the ``case.json`` text, the web-sized image's bytes and their SHA-256, who wrote it (a label the
  instructor typed, if any) and when. Ids start with ``local-``, so they never meet a bundled id.
- ``model_reads``: the model grounder's read of one library case, stored by
  ``cxr-auditor cases model-reads``: the findings in the grounder's schema (a JSON list of
  ``{"label", "box_2d"}``), the model's name and version as the server reported them, when, and
  the server's URL. A case may have several reads (one per run); pages show the newest.

Times are stored in UTC and come back timezone-aware on every database. The schema of record for
PostgreSQL is the Alembic history in ``migrations/``; a test checks that it equals these classes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MODES = ("session", "quiz")
CHANNELS = ("draft", "reference", "model")
SESSION_STATUSES = ("open", "closed")


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class CaseSet(Base):
    __tablename__ = "case_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class CaseSetItem(Base):
    __tablename__ = "case_set_items"
    __table_args__ = (UniqueConstraint("case_set_id", "case_id"),)

    case_set_id: Mapped[int] = mapped_column(
        ForeignKey("case_sets.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    case_id: Mapped[str] = mapped_column(String(120))


class TeachingSession(Base):
    __tablename__ = "teaching_sessions"
    __table_args__ = (CheckConstraint(_in("status", SESSION_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    case_set_id: Mapped[int] = mapped_column(ForeignKey("case_sets.id"))
    time_limit_s: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("session_id", "name_key"),
        CheckConstraint(_in("mode", MODES), name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("teaching_sessions.id"), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    display_name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    joined_at: Mapped[datetime]
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    pin_failures: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class CaseOpening(Base):
    __tablename__ = "case_openings"
    __table_args__ = (UniqueConstraint("participant_id", "session_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    session_id: Mapped[int] = mapped_column(ForeignKey("teaching_sessions.id"))
    case_id: Mapped[str] = mapped_column(String(120))
    opened_at: Mapped[datetime]


class SeatDraft(Base):
    """A learner's unsubmitted answer to one case: saved as they work, restored on any device."""

    __tablename__ = "seat_drafts"
    __table_args__ = (UniqueConstraint("participant_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("teaching_sessions.id"), index=True)
    case_id: Mapped[str] = mapped_column(String(120))
    draft: Mapped[str] = mapped_column(Text)
    boxes: Mapped[list[Any]]
    saved_at: Mapped[datetime]


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint(_in("mode", MODES), name="mode"),
        Index(
            "ux_attempts_one_per_session_case",
            "participant_id",
            "session_id",
            "case_id",
            unique=True,
            sqlite_where=text("mode = 'session'"),
            postgresql_where=text("mode = 'session'"),
        ),
        Index("ix_attempts_session_case", "session_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("teaching_sessions.id"))
    mode: Mapped[str] = mapped_column(String(10))
    case_id: Mapped[str] = mapped_column(String(120), index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    box_score: Mapped[float] = mapped_column(Float)
    model_box_score: Mapped[float | None] = mapped_column(Float)
    box_hits: Mapped[int] = mapped_column(Integer)
    box_misses: Mapped[int] = mapped_column(Integer)
    box_side_errors: Mapped[int] = mapped_column(Integer)
    box_over_calls: Mapped[int] = mapped_column(Integer)
    flags_missing: Mapped[int] = mapped_column(Integer)
    flags_unsupported: Mapped[int] = mapped_column(Integer)
    flags_laterality: Mapped[int] = mapped_column(Integer)
    urgent_missed: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime]
    submitted_at: Mapped[datetime] = mapped_column(index=True)
    seconds: Mapped[float] = mapped_column(Float)
    over_time: Mapped[bool] = mapped_column(Boolean)


class AttemptDetail(Base):
    """The large part of an attempt, kept apart so that the dashboard scans narrow rows."""

    __tablename__ = "attempt_details"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    draft: Mapped[str] = mapped_column(Text)
    learner_boxes: Mapped[list[Any]]
    audit: Mapped[dict[str, Any]]
    reference_score: Mapped[dict[str, Any]]
    model_score: Mapped[dict[str, Any] | None]


class AttemptOutcome(Base):
    __tablename__ = "attempt_outcomes"
    __table_args__ = (
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        Index("ix_attempt_outcomes_label_kind", "label", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))


class InstructorAction(Base):
    __tablename__ = "instructor_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("teaching_sessions.id"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]]
    at: Mapped[datetime]


class AuthoredCase(Base):
    """A case an instructor wrote: ``case.json`` text and image bytes (see ``case_store``)."""

    __tablename__ = "authored_cases"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    case_json: Mapped[str] = mapped_column(Text)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    image_sha256: Mapped[str] = mapped_column(String(64))
    author: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ModelRead(Base):
    """One stored model read of a library case (see the module docstring)."""

    __tablename__ = "model_reads"
    __table_args__ = (Index("ix_model_reads_case_read_at", "case_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(String(120))
    findings: Mapped[list[Any]]
    model_name: Mapped[str] = mapped_column(String(200))
    model_version: Mapped[str] = mapped_column(String(200))
    read_at: Mapped[datetime]
    server_url: Mapped[str] = mapped_column(String(500))
