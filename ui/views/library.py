"""Case library page: every bundled case with its source, license, reference scope and findings.

Findings are listed here on purpose (this is the instructor's and the curious learner's view); the
audit page does not reveal them before an audit. While a teaching session is open, its cases'
findings are hidden from anyone without the instructor key.
"""

from __future__ import annotations

import streamlit as st

from cxr_auditor.core.labels import display_name
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.views import cache
from cxr_auditor.ui.views.session_common import locked_cases


def intro() -> None:
    st.title("Case library")
    st.markdown(read_content("library_intro.md"))


def case_table() -> None:
    library = cache.catalogue()
    for problem in library.problems:
        st.warning(problem)
    locked = locked_cases()
    if locked:
        st.info(read_content("library_locked.md"))
    rows = [
        {
            "case": loaded.case.id,
            "source": loaded.case.source.name,
            "reference findings": "hidden during a teaching session"
            if loaded.case.id in locked
            else ", ".join(display_name(label) for label in loaded.case.labels())
            or "none of the six",
            "reference": "complete within scope"
            if loaded.case.reference_complete
            else "may be incomplete",
            "also annotated": ""
            if loaded.case.id in locked
            else ", ".join(loaded.case.other_labels),
            "license": loaded.case.source.license,
        }
        for loaded in library.cases
    ]
    st.caption(f"{len(rows)} cases in {library.root}")
    st.dataframe(rows, hide_index=True, width="stretch")


def attribution() -> None:
    library = cache.catalogue()
    sources = {loaded.case.source.key: loaded.case.source for loaded in library.cases}
    st.subheader("Attribution")
    for source in sources.values():
        st.markdown(f"**{source.name}** ({source.url})")
        st.caption(f"License: {source.license}")
        st.caption(source.attribution)


intro()
case_table()
attribution()
