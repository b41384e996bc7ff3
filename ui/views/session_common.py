"""Shared by the teaching pages (not a page itself): their session state, the database, the key
gate.

The teaching pages' session-state keys and starting values are in ``TEACHING_DEFAULTS`` (one place,
applied by ``init_teaching_state`` at the top of each page). Widgets whose keys depend on the case
(``canvas_<work>``, ``draft_<work>``, ``submit_<work>``, ``close_<session id>``,
``free_pick_<session id>``, ``free_<session id>``) start empty.

``instructor_gate`` shows the password field and stops the page unless the instructor key matches;
what the instructor typed stays in this tab's session state only and is checked on every run.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from cxr_auditor.core.case_format import Library
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.db.config import DATABASE_ENV, database_url, display_url
from cxr_auditor.db.model_reads import StoredRead, latest_read
from cxr_auditor.ui.services import sessions
from cxr_auditor.ui.services.canvas import background_jpeg
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.services.state import SessionState
from cxr_auditor.ui.views import cache

TEACHING_DEFAULTS: dict[str, Any] = {
    "instructor_key": None,  # what the instructor typed, checked against the configuration
    "learner_token": None,  # this tab's participant in a teaching session
    "review": None,  # (session id, case id) whose feedback the learner is reading
    "scroll_to_feedback": False,  # a submit just stored an answer: show its feedback from the top
    "review_pick": None,  # selectbox: an earlier answer to look at again
    "quiz_token": None,  # this tab's practice participant (made at the first submit)
    "quiz_case_id": None,  # the practice case on show
    "quiz_round": 0,  # counts practice cases, so each gets a fresh canvas and draft
    "quiz_opened_at": None,  # when the practice case was shown
    "quiz_attempt_id": None,  # the practice answer whose feedback is on show
    "box_label": None,  # selectbox: the finding the next box is labelled with (no default)
    "submission_ids": {},  # work key -> client-made submission id (a retried submit reuses it)
    "opened_at": {},  # work key -> when the session case was first opened (from the database)
    "saved_work": {},  # work key -> the seat's saved draft and boxes, read once per tab
    "autosaved": {},  # work key -> what this tab saved last (a write only when it changes)
    "show_reference_boxes": True,  # checkboxes: which box sets the feedback image shows
    "show_model_boxes": True,
    "show_learner_boxes": True,
    "join_code": "",  # join form
    "join_name": "",
    "join_pin": "",
    "new_session_title": "",  # instructor's new-session form
    "new_session_cases": [],
    "new_session_minutes": 0,
    "new_session_made": None,  # (form values, code) of the last session this tab created
    "dash_sessions": [],  # dashboard filters (empty: all)
    "dash_cases": [],
    "dash_learners": [],
    "dash_include_practice": False,
    "dash_attempt": None,  # selectbox: the attempt whose boxes are shown over its image
    "room_session": None,  # room review: the session on the projector
    "room_case": 0,  # the case on show (index into the session's cases)
    "room_names": False,  # checkbox: real names instead of "Learner 1", ...
    "room_numbers": False,  # checkbox: each box captioned with its learner's number
    "room_labels": [],  # multiselect: the findings whose boxes are drawn (empty: all)
    "room_revealed": [],  # "session id:case id" whose reference has been shown to the room
}


def init_teaching_state(state: SessionState) -> None:
    """Set every missing teaching key to (a copy of) its default; never overwrite a value."""
    for key, value in TEACHING_DEFAULTS.items():
        if key not in state:
            state[key] = copy.deepcopy(value)


_engine = cache.engine  # one engine per database and app process, shared with the catalogue


def _first_line(error: SQLAlchemyError) -> str:
    """The driver's own message when there is one (``DBAPIError.orig``), else SQLAlchemy's."""
    return str(getattr(error, "orig", None) or error).splitlines()[0]


def engine() -> Engine:
    """The configured database, migrated once per app process; a clear stop when unusable."""
    try:
        url = database_url()
        return _engine(url.render_as_string(hide_password=False))
    except AuditorError as error:
        st.error(f"The teaching database setting cannot be used: {plain(str(error))}")
    except SQLAlchemyError as error:
        first = _first_line(error)
        st.error(
            f"The teaching database at {plain(display_url(url))} cannot be opened "
            f"({plain(first)}). Check that it is running and that {DATABASE_ENV} is right."
        )
    st.stop()


def run_guarded(page: Callable[[], None]) -> None:
    """Run a teaching page; a database that stops answering in the middle of it is said, not raised.

    The learner's draft, drawing and submission id stay in session state, so pressing Submit
    again once the database is back stores the answer, once (``attempt_store``); nothing was
    half-written, since every write is one transaction.
    """
    try:
        page()
    except SQLAlchemyError as error:
        first = _first_line(error)
        st.error(read_content("database_unavailable.md").strip() + f" ({plain(first)})")


def library() -> Library:
    return cache.catalogue()


@st.cache_data(show_spinner=False, max_entries=64)
def canvas_background(case_id: str, image_bytes: bytes, size: tuple[int, int]) -> bytes:
    """The case image as canvas-sized JPEG bytes. Keyed by the bytes too: an instructor may replace
    a stored case's image under the same id, and learners must draw on the new one."""
    return background_jpeg(image_bytes, size)


def is_instructor() -> bool:
    """Whether this browser session has unlocked the instructor pages (the key matches)."""
    return sessions.key_matches(st.session_state.get("instructor_key"))


def optional_engine() -> Engine | None:
    """The configured database, or None when it cannot be used (for pages that work without it;
    the teaching pages report the problem themselves)."""
    try:
        return _engine(database_url().render_as_string(hide_password=False))
    except (AuditorError, SQLAlchemyError):
        return None


def locked_cases() -> frozenset[str]:
    """Cases whose answers this viewer may not see now (open sessions, viewer not an instructor).

    Without a usable database no session can be open, so nothing is locked.
    """
    init_teaching_state(st.session_state)
    if is_instructor():
        return frozenset()
    db = optional_engine()
    if db is None:
        return frozenset()
    try:
        return sessions.locked_case_ids(db)
    except SQLAlchemyError:
        return frozenset()


def stored_model_read(case_id: str) -> StoredRead | None:
    """The newest stored model read of a case, or None (none stored, or no usable database)."""
    try:
        db = _engine(database_url().render_as_string(hide_password=False))
        return latest_read(db, case_id)
    except (AuditorError, SQLAlchemyError):
        return None


def instructor_gate() -> None:
    """Continue only for an instructor: no configured key, or a wrong one, stops the page."""
    if sessions.configured_key() is None:
        st.error(read_content("instructor_key_missing.md"))
        st.stop()
    if sessions.key_matches(st.session_state["instructor_key"]):
        if st.sidebar.button("Lock instructor pages", key="instructor_lock"):
            st.session_state["instructor_key"] = None
            st.rerun()
        return
    st.info(read_content("instructor_locked.md"))
    with st.form("instructor_key_form", clear_on_submit=True):
        typed = st.text_input("Instructor key", type="password", key="instructor_key_input")
        unlock = st.form_submit_button("Unlock")
    if unlock:
        if sessions.key_matches(typed):
            st.session_state["instructor_key"] = typed
            st.rerun()
        st.error("That is not the instructor key.")
    st.stop()
