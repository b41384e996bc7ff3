"""Teaching sessions page (instructors): create a session, share it (code, join link, QR code),
watch the roster fill in live, free a learner's seat, close it. Refuses without the instructor key.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.core.case_format import Library, LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.labels import display_name
from cxr_auditor.db.store import ParticipantInfo, SessionInfo
from cxr_auditor.ui.services import join_link, sessions
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    instructor_gate,
    library,
    run_guarded,
)

ROSTER_EVERY_S = 5  # the roster of an open session refreshes itself this often


def header() -> None:
    st.title("Teaching sessions")
    st.markdown(read_content("instructor_intro.md"))


def case_choice(loaded: LoadedCase) -> str:
    """How a case reads in the picker: its title and its reference findings, if any."""
    findings = ", ".join(map(display_name, loaded.case.labels()))
    return f"{loaded.case.title} ({findings})" if findings else f"{loaded.case.title} (no finding)"


def create_form(db: Engine, lib: Library) -> None:
    titles = {loaded.case.id: case_choice(loaded) for loaded in lib.cases}
    with st.form("create_session_form"):
        st.markdown("**New session**")
        title = st.text_input("Session title", key="new_session_title", max_chars=200)
        chosen = st.multiselect(
            "Cases, in the order learners get them",
            list(titles),
            key="new_session_cases",
            format_func=titles.__getitem__,
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
    request = (" ".join(title.split()), tuple(chosen), int(minutes))
    last = st.session_state["new_session_made"]
    if last is not None and last[0] == request:  # a second click on the same form
        st.info(
            f"This session was created already: join code **{sessions.format_code(last[1])}**. "
            "Change the title or the cases to create another."
        )
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
    st.session_state["new_session_made"] = (request, info.code)
    st.success(f"Session created. Join code: **{sessions.format_code(info.code)}**")


def page_url() -> str | None:
    try:
        return st.context.url or None
    except Exception:  # no browser behind this run (tests, bare mode)
        return None


def share(info: SessionInfo) -> None:
    """The code, the join link and its QR code, to read out or project."""
    link = join_link.join_link(info.code, page_url())
    text, picture = st.columns([3, 2], vertical_alignment="center")
    with text:
        st.subheader(f"Join code {sessions.format_code(info.code)}")
        st.markdown(
            "Join link (opens the join page with the code filled in; each learner still "
            "types a name and chooses a PIN):"
        )
        st.code(link.url, language=None, wrap_lines=True)
        if not link.reachable:
            st.warning(
                "This address is this computer's own (localhost): learners' phones cannot "
                "open it. Open the app by its network address, or ask whoever runs it to set "
                f"{join_link.PUBLIC_URL_ENV}."
            )
    with picture:
        st.image(join_link.qr_png(link.url), caption="Scan to join", width=220)


def roster_table(db: Engine, info: SessionInfo) -> None:
    people = sessions.roster(db, info.id)
    seats = sessions.seat_states(db, info.id)
    st.markdown(f"**{len(people)} learner(s) joined**")
    if not people:
        return
    st.dataframe(
        [
            {
                "learner": p.display_name,
                "joined (UTC)": f"{p.joined_at:%H:%M:%S}",
                "submitted": f"{n} of {len(info.case_ids)}",
                "seat": "no PIN: free to take"
                if not seats.get(p.id, (True, 0))[0]
                else (f"{seats[p.id][1]} wrong PIN(s)" if seats.get(p.id, (True, 0))[1] else "ok"),
            }
            for p, n in people
        ],
        hide_index=True,
    )
    free_seat(db, info, people)


def session_panel(db: Engine, info: SessionInfo, expanded: bool) -> None:
    state = "open" if info.is_open else "closed"
    label = f"{sessions.format_code(info.code)} · {info.title} · {state}"
    with st.expander(label, expanded=expanded):
        if info.is_open:
            share(info)
        else:
            st.subheader(f"Join code {sessions.format_code(info.code)} (closed)")
        limit = f"{info.time_limit_s // 60} min per case" if info.time_limit_s else "no time limit"
        st.caption(
            f"{len(info.case_ids)} case(s), {limit}; created {info.created_at:%Y-%m-%d %H:%M} UTC"
        )
        if info.is_open:
            st.fragment(run_every=ROSTER_EVERY_S)(roster_table)(db, info)
        else:
            roster_table(db, info)
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
        format_func=lambda seat: names[seat],
        key=f"free_pick_{info.id}",
        placeholder="Choose a learner",
    )
    if (
        right.button("Free this seat", key=f"free_{info.id}", disabled=pick is None)
        and pick is not None
    ):
        sessions.free_seat(db, info.id, pick)
        st.success(f"{plain(names[pick])} can join again with a new PIN.")


def session_list(db: Engine) -> None:
    st.markdown("**Sessions** (the roster of an open session updates itself)")
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
