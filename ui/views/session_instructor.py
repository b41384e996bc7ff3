"""Teaching sessions page (instructors): create a session, share its join code, see who joined,
close it. Refuses without the instructor key.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.core.case_format import Library
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.labels import display_name
from cxr_auditor.ui.services import sessions
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.db.store import ParticipantInfo, SessionInfo
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    instructor_gate,
    library,
    run_guarded,
)


def header() -> None:
    st.title("Teaching sessions")
    st.markdown(read_content("instructor_intro.md"))


def create_form(db: Engine, lib: Library) -> None:
    titles = {
        loaded.case.id: f"{loaded.case.title} ({', '.join(map(display_name, loaded.case.labels()))})"
        for loaded in lib.cases
    }
    with st.form("create_session_form"):
        st.markdown("**New session**")
        title = st.text_input("Session title", key="new_session_title", max_chars=200)
        chosen = st.multiselect(
            "Cases, in the order learners get them",
            list(titles),
            key="new_session_cases",
            format_func=titles.get,
        )
        minutes = st.number_input(
            "Time limit per case in minutes (0: none)",
            min_value=0,
            max_value=60,
            step=1,
            key="new_session_minutes",
        )
        created = st.form_submit_button("Create session", type="primary")
    if not created:
        return
    try:
        info = sessions.create_session(
            db,
            title=title,
            case_ids=list(chosen),
            known_case_ids=set(titles),
            time_limit_s=int(minutes * 60) or None,
        )
    except AuditorError as error:
        st.error(plain(str(error)))
        return
    st.success(f"Session created. Join code: **{sessions.format_code(info.code)}**")


def session_panel(db: Engine, info: SessionInfo, expanded: bool) -> None:
    state = "open" if info.is_open else "closed"
    label = f"{sessions.format_code(info.code)} · {info.title} · {state}"
    with st.expander(label, expanded=expanded):
        st.subheader(f"Join code {sessions.format_code(info.code)}")
        limit = f"{info.time_limit_s // 60} min per case" if info.time_limit_s else "no time limit"
        st.caption(
            f"{len(info.case_ids)} case(s), {limit}; created {info.created_at:%Y-%m-%d %H:%M} UTC"
        )
        people = sessions.roster(db, info.id)
        st.markdown(f"**{len(people)} learner(s) joined**")
        if people:
            st.dataframe(
                [
                    {
                        "learner": p.display_name,
                        "joined (UTC)": f"{p.joined_at:%H:%M:%S}",
                        "submitted": f"{n} of {len(info.case_ids)}",
                    }
                    for p, n in people
                ],
                hide_index=True,
            )
            free_seat(db, info, people)
        if info.is_open:
            if st.button("Close session", key=f"close_{info.id}", icon=":material/lock:"):
                sessions.set_open(db, info.id, False)
                st.rerun()
        elif st.button("Reopen session", key=f"reopen_{info.id}", icon=":material/lock_open:"):
            sessions.set_open(db, info.id, True)
            st.rerun()


def free_seat(db: Engine, info: SessionInfo, people: list[tuple[ParticipantInfo, int]]) -> None:
    """Let a learner who forgot their PIN (or locked it) take their seat again with a new one."""
    names = {p.id: p.display_name for p, _ in people}
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    pick = left.selectbox(
        "Free a seat (the learner joins again with the same name and a new PIN)",
        list(names),
        index=None,
        format_func=names.get,
        key=f"free_pick_{info.id}",
        placeholder="Choose a learner",
    )
    if right.button("Free this seat", key=f"free_{info.id}", disabled=pick is None):
        sessions.free_seat(db, info.id, pick)
        st.success(f"{plain(names[pick])} can join again with a new PIN.")


def session_list(db: Engine) -> None:
    st.markdown("**Sessions**")
    st.button("Refresh", key="refresh_sessions", icon=":material/refresh:")
    all_sessions = sessions.all_sessions(db)
    if not all_sessions:
        st.info("No sessions yet: create one above.")
        return
    newest_open = next((s.id for s in all_sessions if s.is_open), None)
    for info in all_sessions:
        session_panel(db, info, expanded=info.id == newest_open)


def main() -> None:
    init_teaching_state(st.session_state)
    header()
    instructor_gate()
    db, lib = engine(), library()
    create_form(db, lib)
    session_list(db)


run_guarded(main)
