"""Join a session page: join with the code and a name, answer the session's cases in order.

After each submit the learner reads the feedback for that case, then moves on. The answers, the
reference and the model's boxes appear only after submitting. A learner sees only their own
attempts: the page knows the learner by a secret seat token kept in this tab's session state only,
never in the address. A reload or another device takes the seat again with the same name and the
PIN chosen at join; the draft and boxes (autosaved per seat) and the case timer (first opening,
from the database) come back with it. The address holds at most ``?join=<code>``, which fills in the
code and grants nothing by itself.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.core.case_format import Library, LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.db.attempt_store import own_attempt, own_attempts
from cxr_auditor.db.store import ParticipantInfo, SessionInfo, now
from cxr_auditor.serving.readers import triton_url
from cxr_auditor.ui.services import seat_drafts, sessions
from cxr_auditor.ui.services.attempts import feedback_of
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.services.join_link import JOIN_PARAM  # the code, prefilling the form
from cxr_auditor.ui.views import cache, session_attempt
from cxr_auditor.ui.views.session_common import engine, init_teaching_state, library, run_guarded

OLD_SEAT_PARAM = "seat"  # older links carried a seat token: it is dropped unread
CLOCK_EVERY_S = 5


def header() -> None:
    st.title("Join a teaching session")


def current_learner(db: Engine) -> tuple[SessionInfo, ParticipantInfo] | None:
    """The learner of this tab (from session state only), or None before joining."""
    if OLD_SEAT_PARAM in st.query_params:
        del st.query_params[OLD_SEAT_PARAM]
    person = sessions.participant(db, st.session_state["learner_token"])
    if person is None or person.mode != "session" or person.session_id is None:
        st.session_state["learner_token"] = None
        return None
    return sessions.session(db, person.session_id), person


def join_form(db: Engine) -> None:
    st.markdown(read_content("session_join.md"))
    linked = st.query_params.get(JOIN_PARAM)
    if linked and not st.session_state["join_code"]:
        st.session_state["join_code"] = linked[:12]
    with st.form("join_form"):
        code = st.text_input("Join code", key="join_code", max_chars=12, placeholder="e.g. K7Q-M3P")
        name = st.text_input("Your name", key="join_name", max_chars=sessions.MAX_NAME_CHARS)
        pin = st.text_input(
            "PIN (4 to 8 digits you choose; type the same PIN to come back)",
            key="join_pin",
            type="password",
            max_chars=8,
        )
        joined = st.form_submit_button("Join", type="primary")
    if joined:
        try:
            info, person = sessions.join(db, code, name, pin)
        except AuditorError as error:
            st.error(plain(str(error)))
            st.stop()
        st.session_state["learner_token"] = person.token
        st.query_params[JOIN_PARAM] = info.code
        st.rerun()
    st.stop()


def status_line(info: SessionInfo, person: ParticipantInfo, done: int) -> None:
    state = "open" if info.is_open else "closed"
    st.caption(
        f"Session **{plain(info.title)}** ({sessions.format_code(info.code)}, {state}) · you "
        f"are **{plain(person.display_name)}** · {done} of {len(info.case_ids)} case(s) submitted"
    )


def another_session() -> None:
    """Leave a finished or closed session for the join form (the answers stay stored)."""
    if st.button("Join another session", key="join_another", icon=":material/group_add:"):
        st.session_state["learner_token"] = None
        st.session_state["review"] = None
        st.session_state["join_code"] = ""
        st.session_state["join_pin"] = ""
        if JOIN_PARAM in st.query_params:
            del st.query_params[JOIN_PARAM]
        st.rerun()


def summary(db: Engine, info: SessionInfo, person: ParticipantInfo, lib: Library) -> None:
    """The learner's own answers in this session, and any one of them to read again."""
    mine = own_attempts(db, person.id, info.id)
    if not mine:
        return
    st.markdown("**Your answers**")
    st.dataframe(
        [
            {
                "case": (row["position"] or 0) + 1,
                "box score": round(row["box_score"], 2),
                "draft flags": row["flags_missing"]
                + row["flags_unsupported"]
                + row["flags_laterality"],
                "seconds": round(row["seconds"]),
                "late": "yes" if row["over_time"] else "",
            }
            for row in mine
        ],
        hide_index=True,
    )
    choices = {row["id"]: f"Case {(row['position'] or 0) + 1}" for row in mine}
    if st.session_state["review_pick"] not in choices:
        st.session_state["review_pick"] = None
    pick = st.selectbox(
        "Read the feedback of an earlier case again",
        list(choices),
        format_func=choices.__getitem__,
        key="review_pick",
    )
    if pick is not None:
        show_feedback(db, person, pick, lib)


def show_feedback(db: Engine, person: ParticipantInfo, attempt_id: int, lib: Library) -> None:
    row = own_attempt(db, person.id, attempt_id)
    if row is None:  # not this learner's attempt
        st.error("That answer is not yours to see.")
        return
    try:
        case = lib.get(row["case_id"])
    except AuditorError as error:
        st.error(plain(str(error)))
        return
    session_attempt.feedback_panel(feedback_of(row), case)


def timing(opened_at: datetime, limit_s: int | None) -> None:
    """Time used on this case; with a limit, a clock that updates itself every few seconds."""
    if not limit_s:
        used = int((now() - opened_at).total_seconds())
        st.caption(f"No time limit. Opened {used // 60}:{used % 60:02d} ago.")
        return

    @st.fragment(run_every=CLOCK_EVERY_S)
    def clock() -> None:
        left = int(limit_s - (now() - opened_at).total_seconds())
        limit = f"Time limit {limit_s // 60}:{limit_s % 60:02d} per case"
        if left >= 0:
            st.caption(f"{limit}: {left // 60}:{left % 60:02d} left.")
        else:
            st.caption(
                f"{limit}: {-left // 60}:{-left % 60:02d} over. You can still submit; "
                "the answer is kept and marked late."
            )

    clock()


def answer(
    db: Engine, info: SessionInfo, person: ParticipantInfo, position: int, case: LoadedCase
) -> None:
    st.subheader(f"Case {position + 1} of {len(info.case_ids)}")
    work_key = f"s{info.id}_{case.case.id}"
    opened = st.session_state["opened_at"]
    if work_key not in opened:  # one write per case, not one per rerun (a drawn box reruns)
        opened[work_key] = sessions.open_case(db, person, case.case.id)
    opened_at = opened[work_key]
    timing(opened_at, info.time_limit_s)
    saved = st.session_state["saved_work"]
    if work_key not in saved:  # read once per tab: the canvas keeps its drawing from then on
        saved[work_key] = seat_drafts.load(db, person.id, case.case.id)
        st.session_state["autosaved"][work_key] = saved[work_key]
    work = session_attempt.work_area(case, work_key, saved[work_key])
    if seat_drafts.autosave(
        db,
        st.session_state["autosaved"],
        work_key,
        participant_id=person.id,
        session_id=info.id,
        case_id=case.case.id,
        draft=work.draft,
        boxes=work.drawing.boxes,
    ):
        st.caption(f"Draft and boxes saved at {now():%H:%M:%S} UTC.")
    if not work.submitted:
        return
    attempt_id = session_attempt.submit(
        db,
        case,
        work,
        cache.readers(triton_url()),
        work_key=work_key,
        participant_id=person.id,
        session_id=info.id,
        mode="session",
        position=position,
        opened_at=opened_at,
        time_limit_s=info.time_limit_s,
    )
    if attempt_id is not None:
        st.session_state["review"] = (info.id, case.case.id)
        st.rerun()


def main() -> None:
    init_teaching_state(st.session_state)
    db, lib = engine(), library()
    header()
    learner = current_learner(db)
    if learner is None:
        join_form(db)
        return
    info, person = learner
    done = {row["case_id"]: row["id"] for row in own_attempts(db, person.id, info.id)}
    status_line(info, person, len(done))
    remaining = [(k, case_id) for k, case_id in enumerate(info.case_ids) if case_id not in done]
    review = st.session_state["review"]
    if review is not None and review[0] == info.id and review[1] in done:
        session_attempt.scroll_to_feedback_once()
        st.subheader(f"Feedback: case {info.case_ids.index(review[1]) + 1} of {len(info.case_ids)}")
        label = "Next case" if remaining and info.is_open else "See my answers"
        if st.button(label, type="primary", key="next_case", icon=":material/arrow_forward:"):
            st.session_state["review"] = None
            st.rerun()
        show_feedback(db, person, done[review[1]], lib)
        return
    if not remaining or not info.is_open:
        if not remaining:
            st.success("You have submitted every case of this session. Well done.")
        else:
            st.warning("The instructor has closed this session: no more answers can be submitted.")
        another_session()
        summary(db, info, person, lib)
        return
    position, case_id = remaining[0]
    try:
        case = lib.get(case_id)
    except AuditorError as error:
        st.error(plain(f"{error}. Tell your instructor."))
        st.stop()
    answer(db, info, person, position, case)
    with st.expander("Your answers so far", expanded=False):
        summary(db, info, person, lib)


run_guarded(main)
