"""Case library page: a grid of thumbnails with filters, each opening its case page.

Titles are neutral numbers, so the grid gives no answer away; the findings are behind the case
page's reveal, and in the table at the bottom (the instructor's and the curious learner's view).
While a teaching session is open, its cases' findings are hidden from anyone without the instructor
key, in the table and on the case page, and a finding filter never matches them. Thumbnails are
paginated (24 a page), so a phone never loads the whole library at once; Streamlit's columns stack
on a narrow screen.
"""

from __future__ import annotations

import streamlit as st

from cxr_auditor.core.case_format import LoadedCase, packaged_library
from cxr_auditor.core.labels import POSITIVE_LABELS, display_name
from cxr_auditor.ui.services import library_view
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.difficulty import BUCKETS, NOT_RATED, Difficulty
from cxr_auditor.ui.views import cache
from cxr_auditor.ui.views.library_common import CASE_PAGE, CASE_PARAM, ratings, thumbnail
from cxr_auditor.ui.views.session_common import locked_cases

COLUMNS = 4
FINDING_OPTIONS = (*POSITIVE_LABELS, library_view.OUTSIDE_FIVE)
COMPLETENESS_WORDS = {
    "any": "complete or incomplete",
    "complete": "complete within its source's categories",
    "incomplete": "incomplete (only named findings boxed)",
}


def intro() -> None:
    st.title("Case library")
    st.markdown(read_content("library_intro.md"))


def filters(cases: list[LoadedCase]) -> library_view.Filters:
    sources = {loaded.case.source.key: loaded.case.source.name for loaded in cases}
    left, right = st.columns(2)
    findings = left.multiselect(
        "Finding",
        FINDING_OPTIONS,
        key="library_findings",
        format_func=lambda x: x if x == library_view.OUTSIDE_FIVE else display_name(x),
        placeholder="any finding",
    )
    chosen_sources = right.multiselect(
        "Source",
        sorted(sources),
        key="library_sources",
        format_func=lambda key: sources.get(key, key),
        placeholder="any source",
    )
    left, right = st.columns(2)
    completeness: str = (
        left.selectbox(
            "Reference read",
            list(library_view.COMPLETENESS),
            key="library_completeness",
            format_func=lambda key: COMPLETENESS_WORDS[key],
        )
        or "any"
    )
    difficulties = right.multiselect(
        "Difficulty", BUCKETS, key="library_difficulties", placeholder="any difficulty"
    )
    return library_view.Filters(findings, chosen_sources, completeness, difficulties)


def tile(loaded: LoadedCase, rating: Difficulty) -> None:
    case = loaded.case
    st.image(thumbnail(case.id, loaded.image_bytes()), width="stretch")
    st.page_link(CASE_PAGE, label=case.title, query_params={CASE_PARAM: case.id})
    scope = "complete" if case.reference_complete else "incomplete"
    st.caption(f"{case.source.name.split(',')[0]} · {scope} reference · {rating.bucket}")


def grid(chosen: list[LoadedCase], rated: dict[str, Difficulty]) -> None:
    pages = library_view.page_count(len(chosen))
    if st.session_state["library_page"] > pages:
        st.session_state["library_page"] = 1
    left, right = st.columns([1, 3])
    page = left.selectbox("Page", range(1, pages + 1), key="library_page")
    right.caption(f"{len(chosen)} cases match; {library_view.PAGE_SIZE} a page")
    shown = library_view.page_of(chosen, page)
    for start in range(0, len(shown), COLUMNS):
        for column, loaded in zip(
            st.columns(COLUMNS), shown[start : start + COLUMNS], strict=False
        ):
            with column:
                tile(loaded, rated.get(loaded.case.id, NOT_RATED))


def case_table(cases: list[LoadedCase], locked: frozenset[str]) -> None:
    rows = [
        {
            "case": loaded.case.id,
            "title": loaded.case.title,
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
        for loaded in cases
    ]
    with st.expander("Every case as a table (shows the findings)"):
        st.dataframe(rows, hide_index=True, width="stretch")


def attribution(cases: list[LoadedCase]) -> None:
    sources = {loaded.case.source.key: loaded.case.source for loaded in cases}
    st.subheader("Attribution")
    for source in sources.values():
        st.markdown(f"**{source.name}** ({source.url})")
        st.caption(f"License: {source.license}")
        st.caption(source.attribution)


def page() -> None:
    intro()
    library = cache.catalogue()
    for problem in library.problems:
        st.warning(problem)
    locked = locked_cases()
    if locked:
        st.info(read_content("library_locked.md"))
    written = sum(1 for loaded in library.cases if loaded.folder is None)
    where = "the bundled library" if library.root == packaged_library() else str(library.root)
    st.caption(
        f"{len(library.cases)} cases: {len(library.cases) - written} from {where}"
        + (f", {written} written by instructors" if written else "")
    )
    rated = ratings()
    chosen = library_view.select_cases(library.cases, filters(library.cases), rated, locked)
    if chosen:
        grid(chosen, rated)
    else:
        st.info("No case matches these filters. Clear one to see more.")
    case_table(library.cases, locked)
    attribution(library.cases)


page()
