"""Instructor dashboard page: findings missed and over-called, wrong sides, case difficulty,
learners, box scores and time per case (with the model read stored for each case, if any), with
filters and CSV downloads; a live roster of the open sessions with the drafts in progress; any
attempt's boxes over its image, beside the reference and the model's read. Refuses without the
key.

Thin: the numbers come from ``ui.services.dashboard`` (SQL aggregates); this page draws them, with
case titles, positions from 1 and rounded numbers (``dashboard.presented``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.core.errors import AuditorError
from cxr_auditor.db import store
from cxr_auditor.db.attempt_store import any_attempt
from cxr_auditor.db.engine import reading
from cxr_auditor.db.model_reads import StoredRead, latest_reads
from cxr_auditor.ui.services import dashboard, sessions
from cxr_auditor.ui.services.attempts import feedback_of
from cxr_auditor.ui.services.canvas import boxes_from_json
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.views import session_attempt
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    instructor_gate,
    library,
    run_guarded,
)

SHOWN_ATTEMPTS = 200
LIVE_EVERY_S = 5


def case_titles() -> dict[str, str]:
    return {loaded.case.id: loaded.case.title for loaded in library().cases}


def header() -> None:
    st.title("Instructor dashboard")
    st.markdown(read_content("dashboard_intro.md"))


def filters(db: Engine, titles: dict[str, str]) -> dashboard.Filters:
    with reading(db) as session:
        options = dashboard.filter_options(session)
    for key, known in (
        ("dash_sessions", options["sessions"]),
        ("dash_cases", options["cases"]),
        ("dash_learners", options["learners"]),
    ):
        st.session_state[key] = [value for value in st.session_state[key] if value in known]
    first, second, third = st.columns(3)
    chosen_sessions = first.multiselect(
        "Sessions (none: all)",
        list(options["sessions"]),
        key="dash_sessions",
        format_func=options["sessions"].get,
    )
    chosen_cases = second.multiselect(
        "Cases (none: all)",
        options["cases"],
        key="dash_cases",
        format_func=lambda case_id: titles.get(case_id, case_id),
    )
    chosen_learners = third.multiselect(
        "Learners (none: all)",
        list(options["learners"]),
        key="dash_learners",
        format_func=options["learners"].get,
    )
    practice = st.checkbox("Include practice-quiz answers", key="dash_include_practice")
    return dashboard.Filters(
        session_ids=tuple(chosen_sessions),
        case_ids=tuple(chosen_cases),
        participant_ids=tuple(chosen_learners),
        modes=("session", "quiz") if practice else ("session",),
    )


def overview(numbers: dict) -> None:
    columns = st.columns(4)
    columns[0].metric("Attempts", numbers["attempts"])
    columns[1].metric("Learners", numbers["learners"])
    columns[2].metric("Cases", numbers["cases"])
    mean = numbers["mean_box_score"]
    columns[3].metric("Mean box score", f"{mean:.2f}" if mean is not None else "–")


def download(label: str, make: Callable[[], pd.DataFrame], name: str, db: Engine) -> None:
    """A CSV download built only when clicked (and recorded as an instructor action)."""

    def build() -> bytes:
        sessions.record_action(db, "export_csv", None, table=name)
        return dashboard.csv_bytes(make())

    st.download_button(
        label,
        build,
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def bar(
    frame: pd.DataFrame, x: str, y: str, colour: str | None = None, share: bool = False
) -> alt.Chart:
    axis = alt.Axis(format="%") if share else alt.Axis(format="d", tickMinStep=1)
    encoding: dict[str, alt.X | alt.Y | alt.Color] = {
        "x": alt.X(x, type="quantitative", axis=axis),
        "y": alt.Y(y, type="nominal", sort="-x"),
    }
    if colour:
        encoding["color"] = alt.Color(colour, type="nominal")
    return alt.Chart(frame).mark_bar().encode(**encoding, tooltip=list(frame.columns))


def findings_tab(data: dashboard.Dashboard) -> None:
    findings = data.findings
    for title, columns in (
        ("Most missed", ["draft missed", "boxes missed", "urgent not reported"]),
        ("Most over-called", ["draft over-called", "boxes over-called"]),
        ("Laterality errors", ["draft wrong side", "boxes wrong side"]),
    ):
        st.markdown(f"**{title}**")
        ranked = dashboard.ranked(findings, columns)
        if ranked.empty:
            st.caption("None in these attempts.")
            continue
        long = ranked.melt(
            id_vars=["finding"], value_vars=columns, var_name="kind", value_name="count"
        )
        st.altair_chart(bar(long, "count", "finding", "kind"), width="stretch")
        st.dataframe(ranked[["finding", *columns]], hide_index=True)
    st.markdown("**Every finding**")
    st.dataframe(dashboard.presented(findings.drop(columns=["label"])), hide_index=True)


def cases_tab(cases: pd.DataFrame, model_reads: Mapping[str, StoredRead]) -> None:
    if cases.empty:
        st.caption("No attempts yet.")
        return
    cases = cases.assign(
        **{
            "model read": cases["case id"].map(
                lambda case_id: (
                    model_reads[case_id].reader if case_id in model_reads else "none stored"
                )
            )
        }
    )
    st.markdown("**Per-case difficulty** (share of attempts not fully correct)")
    st.altair_chart(bar(cases, "share with an error", "case", share=True), width="stretch")
    st.markdown("**Time per case** (mean, with the fastest and slowest answer)")
    base = alt.Chart(cases).encode(y=alt.Y("case", type="nominal", sort="-x"))
    st.altair_chart(
        base.mark_rule().encode(
            x=alt.X("min seconds", type="quantitative", title="seconds"), x2="max seconds"
        )
        + base.mark_point(filled=True, size=70).encode(
            x="mean seconds:Q", tooltip=list(cases.columns)
        ),
        width="stretch",
    )
    st.dataframe(cases, hide_index=True)


def scores_tab(data: dashboard.Dashboard) -> None:
    st.markdown("**Distribution of box scores** (against the reference read)")
    chart = (
        alt.Chart(data.histogram)
        .mark_bar()
        .encode(
            x=alt.X("box score", type="ordinal", sort=None),
            y=alt.Y("attempts", type="quantitative", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=["box score", "attempts"],
        )
    )
    st.altair_chart(chart, width="stretch")


def attempts_tab(db: Engine, chosen: dashboard.Filters, titles: dict[str, str]) -> None:
    with reading(db) as session:
        latest = dashboard.presented(
            dashboard.attempts_table(session, chosen, limit=SHOWN_ATTEMPTS), titles
        )
    st.caption(f"The {len(latest)} most recent attempt(s); the CSV holds every one.")
    st.dataframe(latest, hide_index=True)
    names = {
        int(row["attempt"]): f"#{row['attempt']} · {row['learner']} · {row['case']}"
        for _, row in latest.iterrows()
    }
    pick = st.selectbox(
        "See an attempt's boxes over its image, with the feedback the learner read",
        list(names),
        index=None,
        format_func=lambda attempt: names[attempt],
        key="dash_attempt",
        placeholder="Choose an attempt",
    )
    if pick is None:
        return
    row = any_attempt(db, pick)
    if row is None:
        st.warning("That attempt is no longer stored.")
        return
    try:
        case = library().get(row["case_id"])
    except AuditorError as error:
        st.error(str(error))
        return
    session_attempt.feedback_panel(feedback_of(row), case)


def live_tab(db: Engine, titles: dict[str, str]) -> None:
    """Open sessions: who joined, how far each learner is, the drafts not yet submitted."""
    st.caption(f"Updates itself every {LIVE_EVERY_S} s.")

    @st.fragment(run_every=LIVE_EVERY_S)
    def live() -> None:
        open_sessions = [info for info in sessions.all_sessions(db) if info.is_open]
        if not open_sessions:
            st.info("No session is open.")
        for info in open_sessions:
            people = sessions.roster(db, info.id)
            st.markdown(
                f"**{sessions.format_code(info.code)} · {info.title}**: "
                f"{len(people)} learner(s) joined"
            )
            if people:
                st.dataframe(
                    [
                        {
                            "learner": p.display_name,
                            "submitted": f"{n} of {len(info.case_ids)}",
                            "now on": f"Case {n + 1} of {len(info.case_ids)}"
                            if n < len(info.case_ids)
                            else "done",
                        }
                        for p, n in people
                    ],
                    hide_index=True,
                )
            with reading(db) as session:
                drafts = store.session_drafts(session, info.id)
            if drafts:
                st.markdown("Drafts in progress (saved as learners type and draw)")
                st.dataframe(
                    [
                        {
                            "learner": d["display_name"],
                            "case": titles.get(d["case_id"], d["case_id"]),
                            "case number": info.case_ids.index(d["case_id"]) + 1
                            if d["case_id"] in info.case_ids
                            else None,
                            "draft": d["draft"],
                            "boxes": ", ".join(
                                f.label.replace("_", " ") for f in boxes_from_json(d["boxes"])
                            ),
                            "saved (UTC)": f"{d['saved_at']:%H:%M:%S}",
                        }
                        for d in drafts
                    ],
                    hide_index=True,
                )

    live()


def exports(
    db: Engine, chosen: dashboard.Filters, data: dashboard.Dashboard, titles: dict[str, str]
) -> None:
    def every_attempt() -> pd.DataFrame:
        with reading(db) as session:
            return dashboard.presented(dashboard.attempts_table(session, chosen), titles)

    columns = st.columns(5)
    with columns[0]:
        download("Attempts (CSV)", every_attempt, "attempts", db)
    with columns[1]:
        download(
            "Findings (CSV)",
            lambda: dashboard.presented(data.findings.drop(columns=["label"])),
            "findings",
            db,
        )
    with columns[2]:
        download("Cases (CSV)", lambda: dashboard.presented(data.cases, titles), "cases", db)
    with columns[3]:
        download(
            "Learners (CSV)",
            lambda: dashboard.presented(data.learners.drop(columns=["learner_id"])),
            "learners",
            db,
        )
    with columns[4]:
        st.download_button(
            "About these files (TXT)",
            dashboard.export_notes(),
            file_name="README_exports.txt",
            mime="text/plain",
            key="csv_readme",
            on_click="ignore",
            icon=":material/description:",
        )


def main() -> None:
    init_teaching_state(st.session_state)
    header()
    instructor_gate()
    db = engine()
    titles = case_titles()
    chosen = filters(db, titles)
    data = dashboard.load(db, chosen)
    overview(data.overview)
    tabs = st.tabs(
        ["Live sessions", "Findings", "Cases and time", "Learners", "Box scores", "Attempts"]
    )
    with tabs[0]:
        live_tab(db, titles)
    if not data.overview["attempts"]:
        st.info("No attempts match these filters yet.")
        st.stop()
    exports(db, chosen, data, titles)
    with tabs[1]:
        findings_tab(data)
    with tabs[2]:
        cases_tab(dashboard.presented(data.cases, titles), latest_reads(db))
        st.caption(
            "Model read: the newest model read stored for the case (shown beside the reference "
            "in each attempt's feedback); store them with cxr-auditor cases model-reads."
        )
    with tabs[3]:
        st.dataframe(
            dashboard.presented(data.learners.drop(columns=["learner_id"])), hide_index=True
        )
    with tabs[4]:
        scores_tab(data)
    with tabs[5]:
        attempts_tab(db, chosen, titles)


run_guarded(main)
