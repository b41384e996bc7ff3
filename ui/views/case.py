"""One library case (opened from a Case library thumbnail, ``?case=<id>``): the image, its source
and licence, what its reference read covers, the history when the data has one, its difficulty, and
on a click the answer: the reference boxes drawn over the image, the findings and the teaching
points. While a teaching session that holds the case is open, the answer stays hidden from anyone
without the instructor key.
"""

from __future__ import annotations

import streamlit as st

from cxr_auditor.core.case_format import CaseError, LoadedCase
from cxr_auditor.core.labels import display_name
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.difficulty import NOT_RATED
from cxr_auditor.ui.views import cache
from cxr_auditor.ui.views.library_common import CASE_PARAM, ratings, with_reference
from cxr_auditor.ui.views.session_common import locked_cases

LIBRARY_PAGE = "views/library.py"


def chosen_case() -> LoadedCase:
    case_id = st.query_params.get(CASE_PARAM)
    st.page_link(LIBRARY_PAGE, label="Back to the case library", icon=":material/arrow_back:")
    if not case_id:
        st.info("Open a case from the Case library.")
        st.stop()
    try:
        return cache.catalogue().get(case_id)
    except CaseError:
        st.info(f"There is no library case {case_id!r}. Open a case from the Case library.")
        st.stop()


def about(loaded: LoadedCase) -> None:
    case = loaded.case
    source = case.source
    scope = "Complete." if case.reference_complete else "Incomplete."
    st.markdown(f"**Reference read:** {scope} {source.reference_scope}")
    st.markdown(
        f"**History:** {case.history.line() if case.history else 'none given with this film.'}"
    )
    st.markdown(f"**Difficulty:** {ratings().get(case.id, NOT_RATED).line()}")
    st.markdown(f"**Source:** [{source.name}]({source.url}) · **License:** {source.license}")
    st.caption(source.attribution)


def answer(loaded: LoadedCase) -> bool:
    """The reveal button; whether the answer is on show."""
    case_id = loaded.case.id
    if case_id in locked_cases():
        st.info(read_content("case_locked.md"))
        return False
    revealed = st.session_state["library_revealed"]
    if case_id not in revealed:
        if st.button("Show the answer", key="library_reveal", type="primary"):
            st.session_state["library_revealed"] = [*revealed, case_id]
            st.rerun()
        return False
    if st.button("Hide the answer", key="library_hide"):
        st.session_state["library_revealed"] = [c for c in revealed if c != case_id]
        st.rerun()
    return True


def findings(loaded: LoadedCase) -> None:
    case = loaded.case
    st.subheader("Reference read")
    named = ", ".join(display_name(label) for label in case.labels()) or "none of the six"
    st.markdown(f"**Boxed findings:** {named}")
    if case.other_labels:
        st.markdown(f"**Also marked, outside the five:** {', '.join(case.other_labels)}")
    st.subheader("Teaching points")
    st.markdown("\n".join(f"- {point}" for point in case.teaching_points))


def page() -> None:
    loaded = chosen_case()
    st.title(loaded.case.title)
    # The film beside the text on a laptop or projector, so the whole image fits the window; the
    # columns stack on a phone, image first.
    film, text = st.columns([3, 2], gap="large")
    with text:
        about(loaded)
        shown = answer(loaded)
        if shown:
            findings(loaded)
    with film:
        if shown:
            st.image(
                with_reference(loaded),
                caption="Reference boxes (solid green), as the radiologists drew them",
                width="stretch",
                output_format="JPEG",
            )
        else:
            st.image(
                loaded.image_bytes(),
                caption="Read it before you look at the answer",
                width="stretch",
                output_format="JPEG",
            )


page()
