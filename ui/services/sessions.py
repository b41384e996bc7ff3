"""Teaching sessions: the instructor key, join codes, creating and closing sessions, joining.

- The instructor key comes from configuration (``CXR_INSTRUCTOR_KEY``) and is compared with
  ``hmac.compare_digest``. It is never stored in the database, logged or put in a URL; the pages
  keep what the instructor typed in session state only. Without a configured key every instructor
  page refuses.
- A join code is six characters from an alphabet without look-alikes (no 0/O, 1/I), drawn with
  ``secrets``; a clash with an existing code is retried.
- A learner joins an open session with the code, a display name (unique within the session, case
  and spacing ignored) and a short PIN of their choosing (``ui.services.pins``: only a salted hash
  is stored). The same name and PIN take the same seat again, from a reloaded tab or another
  device, with its answers, drafts and timers; after ``pins.MAX_FAILURES`` wrong PINs, or when the
  learner forgot it, the instructor frees the seat (``free_seat``) and the next join under that
  name sets a new PIN. Each participant also gets a secret token that only the learner's tab keeps
  (session state, never the address), so a learner sees only their own attempts.

Every instructor action is recorded. Nothing here renders; the rows are ``db``'s.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from cxr_auditor.core.errors import InputError
from cxr_auditor.db import store
from cxr_auditor.db.engine import reading, writing
from cxr_auditor.db.store import ParticipantInfo, SessionInfo
from cxr_auditor.ui.services import pins

KEY_ENV = "CXR_INSTRUCTOR_KEY"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_NAME_CHARS = 40
MAX_TITLE_CHARS = 200
MAX_CASES = 60
TIME_LIMIT_RANGE_S = (30, 3600)
QUIZ_NAME = "Practice"


class SessionError(InputError):
    """A session request that cannot be done (bad code, closed session, taken name...)."""


# --------------------------------------------------------------------------- instructor key


def configured_key(env: Mapping[str, str] | None = None) -> str | None:
    """The instructor key from configuration, or None when none is set."""
    value = (env if env is not None else os.environ).get(KEY_ENV, "").strip()
    return value or None


def key_matches(given: str | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether ``given`` is the configured key (constant-time); False when none is configured."""
    expected = configured_key(env)
    if expected is None or not given:
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))


# --------------------------------------------------------------------------- codes and names


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """``K7QM3P`` shown as ``K7Q-M3P`` (easier to read out in a room)."""
    return f"{code[:3]}-{code[3:]}"


def normalize_code(text: str | None) -> str:
    """The code a learner typed, upper-cased, without spaces or dashes; SessionError if
    malformed."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise SessionError(
            f"The join code is {CODE_LENGTH} letters and digits, like "
            f"{format_code('K7QM3P')}: check it with your instructor."
        )
    return code


def clean_name(text: str | None) -> tuple[str, str]:
    """``(display name, comparison key)``; SessionError when it is empty, too long or
    unprintable."""
    name = " ".join(unicodedata.normalize("NFKC", text or "").split())
    if not name:
        raise SessionError("Type the name the instructor should see (a first name is enough).")
    if len(name) > MAX_NAME_CHARS:
        raise SessionError(f"That name is {len(name)} characters; use at most {MAX_NAME_CHARS}.")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise SessionError("The name holds control characters; type it again.")
    return name, name.casefold()


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --------------------------------------------------------------------------- instructor side


def create_session(
    engine: Engine,
    *,
    title: str,
    case_ids: list[str],
    known_case_ids: Collection[str],
    time_limit_s: int | None = None,
) -> SessionInfo:
    """A new open session over the chosen library cases, in the order given."""
    title = " ".join((title or "").split())
    if not title:
        raise SessionError("Give the session a title (e.g. 'Pleural disease, week 3').")
    if len(title) > MAX_TITLE_CHARS:
        raise SessionError(f"The title is {len(title)} characters; use at most {MAX_TITLE_CHARS}.")
    if not case_ids:
        raise SessionError("Choose at least one case from the library.")
    if len(case_ids) > MAX_CASES:
        raise SessionError(f"{len(case_ids)} cases chosen; a session holds at most {MAX_CASES}.")
    if len(set(case_ids)) != len(case_ids):
        raise SessionError("A case is chosen twice; each case can appear once per session.")
    unknown = [case_id for case_id in case_ids if case_id not in known_case_ids]
    if unknown:
        raise SessionError(f"Not in the case library: {', '.join(unknown)}.")
    low, high = TIME_LIMIT_RANGE_S
    if time_limit_s is not None and not low <= time_limit_s <= high:
        raise SessionError(
            f"A time limit must be {low} s to {high // 60} min per case, or none; "
            f"got {time_limit_s} s."
        )
    for _ in range(8):
        try:
            with writing(engine) as db:
                info = store.create_session(
                    db, code=new_code(), title=title, case_ids=case_ids, time_limit_s=time_limit_s
                )
                store.record_action(
                    db,
                    "create_session",
                    info.id,
                    {"title": title, "cases": len(case_ids), "time_limit_s": time_limit_s},
                )
                return info
        except IntegrityError:  # the code is taken: draw another
            continue
    raise SessionError("Could not draw a free join code; try again.")  # pragma: no cover


def set_open(engine: Engine, session_id: int, is_open: bool) -> SessionInfo:
    """Open or close a session (closed: nobody joins or submits; answers stay visible)."""
    with writing(engine) as db:
        if store.session_by_id(db, session_id) is None:
            raise SessionError(f"There is no session {session_id}.")
        store.set_status(db, session_id, "open" if is_open else "closed")
        store.record_action(db, "reopen_session" if is_open else "close_session", session_id)
    return session(engine, session_id)


def record_action(engine: Engine, action: str, session_id: int | None = None, **detail) -> None:
    with writing(engine) as db:
        store.record_action(db, action, session_id, detail)


def all_sessions(engine: Engine) -> list[SessionInfo]:
    with reading(engine) as db:
        return store.list_sessions(db)


def locked_case_ids(engine: Engine) -> frozenset[str]:
    """Cases of every open teaching session: their answers are for the instructor until it closes.

    The library and audit pages hide these cases' reference reads from anyone without the
    instructor key, so a learner cannot look up an answer in another tab during a session.
    """
    return frozenset(
        case_id for info in all_sessions(engine) if info.is_open for case_id in info.case_ids
    )


def session(engine: Engine, session_id: int) -> SessionInfo:
    with reading(engine) as db:
        info = store.session_by_id(db, session_id)
    if info is None:
        raise SessionError(f"There is no session {session_id}.")
    return info


def roster(engine: Engine, session_id: int) -> list[tuple[ParticipantInfo, int]]:
    with reading(engine) as db:
        return store.roster(db, session_id)


# --------------------------------------------------------------------------- learner side


def join(
    engine: Engine, code_text: str, name_text: str, pin_text: str
) -> tuple[SessionInfo, ParticipantInfo]:
    """Take a seat in a session by code, name and PIN: a new one, or one's own again.

    A new seat needs an open session; one's own seat (same name, same PIN) can be taken again in a
    closed session too, to read the answers. A wrong PIN for a taken name is counted; past
    ``pins.MAX_FAILURES`` the seat waits for the instructor to free it.
    """
    code = normalize_code(code_text)
    name, key = clean_name(name_text)
    try:
        pin = pins.clean_pin(pin_text)
    except pins.PinError as error:
        raise SessionError(str(error)) from None
    for _ in range(2):  # a second round only when two devices took a new name at once
        refused: str | None = None
        try:
            with writing(engine) as db:
                info = store.session_by_code(db, code)
                if info is None:
                    raise SessionError(
                        f"No session has the code {format_code(code)}: check it with your "
                        "instructor."
                    )
                seat = store.seat_by_name(db, info.id, key)
                if seat is None:
                    if not info.is_open:
                        raise SessionError(
                            f"Session {format_code(code)} is closed: nobody can join it."
                        )
                    person = store.add_participant(
                        db,
                        token=new_token(),
                        session_id=info.id,
                        mode="session",
                        display_name=name,
                        name_key=key,
                        pin_hash=pins.hash_pin(pin),
                    )
                    return info, person
                if seat.pin_hash is None:  # freed by the instructor: a new PIN takes it
                    store.set_pin(db, seat.person.id, pins.hash_pin(pin))
                    return info, seat.person
                if seat.pin_failures >= pins.MAX_FAILURES:
                    refused = (
                        f"The seat {name!r} is locked after {pins.MAX_FAILURES} wrong PINs: "
                        "ask your instructor to free it, then join again with a new PIN."
                    )
                elif pins.pin_matches(pin, seat.pin_hash):
                    if seat.pin_failures:
                        store.set_pin(db, seat.person.id, seat.pin_hash)
                    return info, seat.person
                else:
                    store.count_pin_failure(db, seat.person.id)
                    refused = (
                        f"Someone in this session already uses the name {name!r} and that PIN "
                        "is not theirs. If it is your seat, type your PIN again (or ask your "
                        "instructor to free the seat); if not, add an initial (e.g. 'Sam K.')."
                    )
        except IntegrityError:
            continue
        raise SessionError(refused)
    raise SessionError("Joining clashed with another device; press Join again.")


def free_seat(engine: Engine, session_id: int, participant_id: int) -> None:
    """Let a learner who lost their PIN take their seat again: the next join sets a new PIN."""
    with writing(engine) as db:
        seat = next((p for p, _ in store.roster(db, session_id) if p.id == participant_id), None)
        if seat is None:
            raise SessionError("That learner is not in this session.")
        store.set_pin(db, participant_id, None)
        store.record_action(db, "free_seat", session_id, {"participant_id": participant_id})


def seat_states(engine: Engine, session_id: int) -> dict[int, tuple[bool, int]]:
    with reading(engine) as db:
        return store.seat_states(db, session_id)


def practice_participant(engine: Engine, name_text: str | None = None) -> ParticipantInfo:
    """A participant practising alone (quiz mode, no session)."""
    name, key = clean_name(name_text or QUIZ_NAME)
    with writing(engine) as db:
        return store.add_participant(
            db, token=new_token(), session_id=None, mode="quiz", display_name=name, name_key=key
        )


def participant(engine: Engine, token: str | None) -> ParticipantInfo | None:
    """The participant holding ``token``, or None for an unknown or missing token."""
    if not token:
        return None
    with reading(engine) as db:
        return store.participant_by_token(db, token)


def open_case(engine: Engine, person: ParticipantInfo, case_id: str) -> datetime:
    """When ``person`` first saw this case of their session (now, if this is the first time)."""
    if person.session_id is None:
        raise SessionError("Only a session learner has session cases.")
    with writing(engine) as db:
        return store.open_case(db, person.id, person.session_id, case_id)


def deadline(opened_at: datetime, time_limit_s: int | None) -> datetime | None:
    return opened_at + timedelta(seconds=time_limit_s) if time_limit_s else None
