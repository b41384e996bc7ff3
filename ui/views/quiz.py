"""Practice quiz page: random library cases answered alone, the same feedback, a running score.

The learner needs no session and no name: the first submit creates a practice participant for this
tab, whose answers (stored like any other, ``mode='quiz'``) make the running score. Cases of an open
teaching session are never drawn, and the feedback of one answered earlier stays hidden until the
session closes (the same lock as the library and audit pages; the instructor key lifts it).
"""

from __future__ import annotations

import secrets

import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.core.case_format import Library
from cxr_auditor.db.attempt_store import own_attempt, own_attempts
from cxr_auditor.db.store import now
from cxr_auditor.serving.readers import triton_url
from cxr_auditor.ui.services import sessions
from cxr_auditor.ui.services.attempts import feedback_of
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.views import cache, session_attempt
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    library,
    locked_cases,
    run_guarded,
)

RECENT = 10  # a case is not drawn again within this many practice cases


def header() -> None:
    st.title("Practice quiz")
    st.markdown(read_content("quiz_intro.md"))


def running_score(db: Engine) -> list[dict]:
    person = sessions.participant(db, st.session_state["quiz_token"])
    mine = own_attempts(db, person.id) if person is not None else []
    answered, mean, errors = st.columns(3)
    answered.metric("Cases answered", len(mine))
    mean.metric(
        "Mean box score",
        f"{sum(r['box_score'] for r in mine) / len(mine):.2f}" if mine else "–",
    )
    errors.metric(
        "Draft errors",
        sum(r["flags_missing"] + r["flags_unsupported"] + r["flags_laterality"] for r in mine),
    )
    return mine


def next_case(lib: Library, answered: list[dict], locked: frozenset[str]) -> None:
    """Draw an unlocked case not seen in the last few; start a fresh canvas and draft for it."""
    recent = {row["case_id"] for row in answered[-RECENT:]} | {st.session_state["quiz_case_id"]}
    ids = [loaded.case.id for loaded in lib.cases if loaded.case.id not in locked]
    if not ids:
        st.info(read_content("quiz_all_locked.md"))
        st.stop()
    pool = [case_id for case_id in ids if case_id not in recent] or ids
    st.session_state["quiz_case_id"] = secrets.choice(pool)
    st.session_state["quiz_round"] += 1
    st.session_state["quiz_opened_at"] = now()
    st.session_state["quiz_attempt_id"] = None


def review(db: Engine, lib: Library, answered: list[dict], locked: frozenset[str]) -> None:
    person = sessions.participant(db, st.session_state["quiz_token"])
    row = own_attempt(db, person.id, st.session_state["quiz_attempt_id"]) if person else None
    if row is None:
        st.session_state["quiz_attempt_id"] = None
        st.rerun()
    session_attempt.scroll_to_feedback_once()
    if st.button("Next case", type="primary", key="quiz_next", icon=":material/arrow_forward:"):
        next_case(lib, answered, locked)
        st.rerun()
    if row["case_id"] in locked:  # a session with this case opened since: its answer is locked
        st.info(read_content("quiz_answer_locked.md"))
        return
    session_attempt.feedback_panel(feedback_of(row), lib.get(row["case_id"]))


def main() -> None:
    init_teaching_state(st.session_state)
    db, lib = engine(), library()
    header()
    if not lib.cases:
        st.error(f"No usable cases in {lib.root}.")
        st.stop()
    answered = running_score(db)
    locked = locked_cases()
    if st.session_state["quiz_attempt_id"] is not None:
        review(db, lib, answered, locked)
        return
    case_id = st.session_state["quiz_case_id"]
    if case_id in locked or case_id not in {loaded.case.id for loaded in lib.cases}:
        next_case(lib, answered, locked)
    if st.session_state["quiz_opened_at"] is None:
        st.session_state["quiz_opened_at"] = now()
    case = lib.get(st.session_state["quiz_case_id"])
    if st.button("Skip to another case", key="quiz_skip", icon=":material/shuffle:"):
        next_case(lib, answered, locked)
        st.rerun()
    work_key = f"q{st.session_state['quiz_round']}_{case.case.id}"
    work = session_attempt.work_area(case, work_key)
    if not work.submitted:
        return
    person = sessions.participant(db, st.session_state["quiz_token"])
    if person is None:
        person = sessions.practice_participant(db)
        st.session_state["quiz_token"] = person.token
    attempt_id = session_attempt.submit(
        db,
        case,
        work,
        cache.readers(triton_url()),
        work_key=work_key,
        participant_id=person.id,
        session_id=None,
        mode="quiz",
        position=None,
        opened_at=st.session_state["quiz_opened_at"],
    )
    if attempt_id is not None:
        st.session_state["quiz_attempt_id"] = attempt_id
        st.rerun()


run_guarded(main)
