"""The teaching app's one entry point: page setup, the disclaimer, session state and navigation.

Run it with ``cxr-auditor app``, which runs this file from the installed package. Pages live in
``ui/views/`` and stay thin; everything they compute comes from ``ui/services/`` and ``core/``. A
join link (``?join=<code>``) opens the join page whatever page it names, and the audit page points
a learner on a phone (whose sidebar starts collapsed) to it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cxr_auditor.ui.components.touch_canvas.bundle import verify_bundle
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.join_link import JOIN_PARAM
from cxr_auditor.ui.services.state import init_state

verify_bundle()  # a missing or altered canvas bundle stops every page here, loudly (BundleError)

PAGES_DIR = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="CXR Draft Auditor", page_icon="🩻", layout="wide")
init_state(st.session_state)
AUDIT_PAGE = st.Page(
    PAGES_DIR / "audit.py", title="Audit a draft", icon=":material/fact_check:", default=True
)
JOIN_PAGE = st.Page(
    PAGES_DIR / "session_learner.py",
    title="Join a session",
    icon=":material/group_add:",
    url_path="join",
)
LIBRARY_PAGE = st.Page(
    PAGES_DIR / "library.py", title="Case library", icon=":material/photo_library:"
)
QUIZ_PAGE = st.Page(PAGES_DIR / "quiz.py", title="Practice quiz", icon=":material/quiz:")
navigation = st.navigation(
    [
        AUDIT_PAGE,
        LIBRARY_PAGE,
        st.Page(
            PAGES_DIR / "case.py",
            title="Library case",
            icon=":material/radiology:",
            url_path="case",
            visibility="hidden",  # opened from a library thumbnail (?case=<id>)
        ),
        QUIZ_PAGE,
        JOIN_PAGE,
        st.Page(
            PAGES_DIR / "session_instructor.py",
            title="Teaching sessions",
            icon=":material/co_present:",
            url_path="sessions",
        ),
        st.Page(
            PAGES_DIR / "editor.py",
            title="Case editor",
            icon=":material/edit_document:",
            url_path="editor",
        ),
        st.Page(
            PAGES_DIR / "dashboard.py",
            title="Instructor dashboard",
            icon=":material/monitoring:",
            url_path="dashboard",
        ),
        st.Page(
            PAGES_DIR / "review.py",
            title="Room review",
            icon=":material/groups:",
            url_path="review",
        ),
    ]
)
code = st.query_params.get(JOIN_PARAM)
if code and navigation.url_path != JOIN_PAGE.url_path:  # a join link to the app's root
    st.switch_page(JOIN_PAGE, query_params={JOIN_PARAM: code})
st.warning(read_content("disclaimer.md"), icon=":material/warning:")
if navigation.url_path == AUDIT_PAGE.url_path:
    # The app opens here; on a phone the sidebar starts collapsed, so a learner sees the pages
    # they came for as links on the page itself.
    join, quiz, library = st.columns(3)
    join.page_link(
        JOIN_PAGE, label="In a teaching session? Join it here", icon=":material/group_add:"
    )
    quiz.page_link(QUIZ_PAGE, label="Practise on a random case", icon=":material/quiz:")
    library.page_link(
        LIBRARY_PAGE, label="Browse the case library", icon=":material/photo_library:"
    )
navigation.run()
st.divider()
st.caption(read_content("disclaimer.md"))
