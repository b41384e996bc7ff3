"""The teaching app's one entry point: page setup, the disclaimer, session state and navigation.

Run it with ``cxr-auditor app``, which runs this file from the installed package. Pages live in
``ui/views/`` and stay thin; everything they compute comes from ``ui/services/`` and ``core/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cxr_auditor.ui.components.touch_canvas.bundle import verify_bundle
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.state import init_state

verify_bundle()  # a missing or altered canvas bundle stops every page here, loudly (BundleError)

PAGES_DIR = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="CXR Draft Auditor", page_icon="🩻", layout="wide")
init_state(st.session_state)
navigation = st.navigation(
    [
        st.Page(
            PAGES_DIR / "audit.py",
            title="Audit a draft",
            icon=":material/fact_check:",
            default=True,
        ),
        st.Page(PAGES_DIR / "library.py", title="Case library", icon=":material/photo_library:"),
        st.Page(PAGES_DIR / "quiz.py", title="Practice quiz", icon=":material/quiz:"),
        st.Page(
            PAGES_DIR / "session_learner.py",
            title="Join a session",
            icon=":material/group_add:",
            url_path="join",
        ),
        st.Page(
            PAGES_DIR / "session_instructor.py",
            title="Teaching sessions",
            icon=":material/co_present:",
            url_path="sessions",
        ),
        st.Page(
            PAGES_DIR / "dashboard.py",
            title="Instructor dashboard",
            icon=":material/monitoring:",
            url_path="dashboard",
        ),
    ]
)
st.warning(read_content("disclaimer.md"), icon=":material/warning:")
navigation.run()
st.divider()
st.caption(read_content("disclaimer.md"))
