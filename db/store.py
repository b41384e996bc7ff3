"""Rows for sessions, case sets, participants (and their seat PINs), case openings, seat drafts and
instructor actions.

Each function takes an open SQLAlchemy ``Session`` (from ``engine.writing``/``reading``), so that a
caller can combine several in one transaction, and returns plain frozen records, never ORM objects.
Inserts that may race (a case opened twice at once) use ``INSERT ... ON CONFLICT DO NOTHING`` and
then read the winner. Rules (who may join, what a code looks like) belong to
``ui.services.sessions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cxr_auditor.db.models import (
    Attempt,
    CaseOpening,
    CaseSet,
    CaseSetItem,
    InstructorAction,
    Participant,
    SeatDraft,
    TeachingSession,
)


def now() -> datetime:
    return datetime.now(UTC)


def insert_ignoring_conflicts(db: Session, model: type) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's database (SQLite or PostgreSQL)."""
    dialect = db.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).on_conflict_do_nothing()


@dataclass(frozen=True)
class SessionInfo:
    id: int
    code: str
    title: str
    status: str
    time_limit_s: int | None
    created_at: datetime
    closed_at: datetime | None
    case_ids: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class ParticipantInfo:
    id: int
    token: str
    session_id: int | None
    mode: str
    display_name: str
    joined_at: datetime


def _case_ids(db: Session, case_set_id: int) -> tuple[str, ...]:
    rows = db.execute(
        select(CaseSetItem.case_id)
        .where(CaseSetItem.case_set_id == case_set_id)
        .order_by(CaseSetItem.position)
    )
    return tuple(rows.scalars())


def _session_info(db: Session, row: TeachingSession) -> SessionInfo:
    return SessionInfo(
        row.id,
        row.code,
        row.title,
        row.status,
        row.time_limit_s,
        row.created_at,
        row.closed_at,
        _case_ids(db, row.case_set_id),
    )


def _participant_info(row: Participant) -> ParticipantInfo:
    return ParticipantInfo(
        row.id, row.token, row.session_id, row.mode, row.display_name, row.joined_at
    )


def create_case_set(db: Session, name: str, case_ids: list[str]) -> int:
    case_set = CaseSet(name=name, created_at=now())
    db.add(case_set)
    db.flush()
    db.add_all(
        CaseSetItem(case_set_id=case_set.id, position=position, case_id=case_id)
        for position, case_id in enumerate(case_ids)
    )
    db.flush()
    return case_set.id


def create_session(
    db: Session, *, code: str, title: str, case_ids: list[str], time_limit_s: int | None
) -> SessionInfo:
    """A new open session over a new case set (IntegrityError if the code is taken)."""
    case_set_id = create_case_set(db, title, case_ids)
    row = TeachingSession(
        code=code,
        title=title,
        case_set_id=case_set_id,
        time_limit_s=time_limit_s,
        status="open",
        created_at=now(),
    )
    db.add(row)
    db.flush()
    return _session_info(db, row)


def session_by_id(db: Session, session_id: int) -> SessionInfo | None:
    row = db.get(TeachingSession, session_id)
    return _session_info(db, row) if row is not None else None


def session_by_code(db: Session, code: str) -> SessionInfo | None:
    row = db.execute(select(TeachingSession).where(TeachingSession.code == code)).scalar()
    return _session_info(db, row) if row is not None else None


def list_sessions(db: Session) -> list[SessionInfo]:
    rows = db.execute(select(TeachingSession).order_by(TeachingSession.id.desc())).scalars()
    return [_session_info(db, row) for row in rows]


def set_status(db: Session, session_id: int, status: str) -> None:
    db.execute(
        update(TeachingSession)
        .where(TeachingSession.id == session_id)
        .values(status=status, closed_at=now() if status == "closed" else None)
    )


def add_participant(
    db: Session,
    *,
    token: str,
    session_id: int | None,
    mode: str,
    display_name: str,
    name_key: str,
    pin_hash: str | None = None,
) -> ParticipantInfo:
    """A new participant (IntegrityError if the name is taken in the session)."""
    row = Participant(
        token=token,
        session_id=session_id,
        mode=mode,
        display_name=display_name,
        name_key=name_key,
        joined_at=now(),
        pin_hash=pin_hash,
        pin_failures=0,
    )
    db.add(row)
    db.flush()
    return _participant_info(row)


def participant_by_token(db: Session, token: str) -> ParticipantInfo | None:
    row = db.execute(select(Participant).where(Participant.token == token)).scalar()
    return _participant_info(row) if row is not None else None


@dataclass(frozen=True)
class Seat:
    """A session participant with what rejoining needs (the PIN hash never leaves the server)."""

    person: ParticipantInfo
    pin_hash: str | None
    pin_failures: int


def seat_by_name(db: Session, session_id: int, name_key: str) -> Seat | None:
    row = db.execute(
        select(Participant).where(
            Participant.session_id == session_id, Participant.name_key == name_key
        )
    ).scalar()
    return Seat(_participant_info(row), row.pin_hash, row.pin_failures) if row else None


def set_pin(db: Session, participant_id: int, pin_hash: str | None) -> None:
    """A new PIN hash (None: the seat is free to be taken with a new PIN); failures reset."""
    db.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values(pin_hash=pin_hash, pin_failures=0)
    )


def count_pin_failure(db: Session, participant_id: int) -> None:
    db.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values(pin_failures=Participant.pin_failures + 1)
    )


def seat_states(db: Session, session_id: int) -> dict[int, tuple[bool, int]]:
    """participant id -> (has a PIN, wrong PINs since the last good one), for the instructor."""
    rows = db.execute(
        select(Participant.id, Participant.pin_hash, Participant.pin_failures).where(
            Participant.session_id == session_id
        )
    )
    return {pid: (pin is not None, failures) for pid, pin, failures in rows}


def save_draft(
    db: Session,
    *,
    participant_id: int,
    session_id: int,
    case_id: str,
    draft: str,
    boxes: list[dict[str, Any]],
) -> None:
    """Insert or replace the learner's unsubmitted answer to one case."""
    dialect = db.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    values = {"draft": draft, "boxes": boxes, "saved_at": now()}
    statement = module.insert(SeatDraft).values(
        participant_id=participant_id, session_id=session_id, case_id=case_id, **values
    )
    db.execute(
        statement.on_conflict_do_update(index_elements=["participant_id", "case_id"], set_=values)
    )


def draft_of(db: Session, participant_id: int, case_id: str) -> tuple[str, list[Any]] | None:
    row = db.execute(
        select(SeatDraft.draft, SeatDraft.boxes).where(
            SeatDraft.participant_id == participant_id, SeatDraft.case_id == case_id
        )
    ).first()
    return (row.draft, list(row.boxes)) if row is not None else None


def session_drafts(db: Session, session_id: int) -> list[dict[str, Any]]:
    """Every unsubmitted draft of a session (for the instructor): who, which case, what, when."""
    answered = select(Attempt.id).where(
        Attempt.participant_id == SeatDraft.participant_id,
        Attempt.session_id == SeatDraft.session_id,
        Attempt.case_id == SeatDraft.case_id,
    )
    rows = db.execute(
        select(Participant.display_name, SeatDraft.case_id, SeatDraft.draft, SeatDraft.boxes)
        .add_columns(SeatDraft.saved_at)
        .join(Participant, Participant.id == SeatDraft.participant_id)
        .where(SeatDraft.session_id == session_id, ~answered.exists())
        .order_by(Participant.display_name, SeatDraft.case_id)
    )
    return [dict(row._mapping) for row in rows]


def roster(db: Session, session_id: int) -> list[tuple[ParticipantInfo, int]]:
    """Everyone who joined a session, in joining order, with how many cases each submitted."""
    submitted = (
        select(Attempt.participant_id, func.count().label("n"))
        .where(Attempt.session_id == session_id)
        .group_by(Attempt.participant_id)
        .subquery()
    )
    rows = db.execute(
        select(Participant, func.coalesce(submitted.c.n, 0))
        .outerjoin(submitted, submitted.c.participant_id == Participant.id)
        .where(Participant.session_id == session_id)
        .order_by(Participant.joined_at, Participant.id)
    )
    return [(_participant_info(p), int(n)) for p, n in rows]


def open_case(db: Session, participant_id: int, session_id: int, case_id: str) -> datetime:
    """When the participant first opened this session case (recorded now if it is the first)."""
    db.execute(
        insert_ignoring_conflicts(db, CaseOpening).values(
            participant_id=participant_id, session_id=session_id, case_id=case_id, opened_at=now()
        )
    )
    return db.execute(
        select(CaseOpening.opened_at).where(
            CaseOpening.participant_id == participant_id,
            CaseOpening.session_id == session_id,
            CaseOpening.case_id == case_id,
        )
    ).scalar_one()


def record_action(
    db: Session, action: str, session_id: int | None = None, detail: dict | None = None
) -> None:
    """Log an instructor action (never the key: callers pass only what was done)."""
    db.add(InstructorAction(session_id=session_id, action=action, detail=detail or {}, at=now()))
    db.flush()


def actions(db: Session, session_id: int | None = None) -> list[dict[str, Any]]:
    query = select(InstructorAction).order_by(InstructorAction.id)
    if session_id is not None:
        query = query.where(InstructorAction.session_id == session_id)
    return [
        {"at": row.at, "action": row.action, "session_id": row.session_id, "detail": row.detail}
        for row in db.execute(query).scalars()
    ]
