"""Instructor dashboard page: findings missed and over-called, wrong sides, case difficulty,
learners, box scores and time per case, with filters and CSV downloads. Refuses without the key.

Thin: the numbers come from ``ui.services.dashboard`` (SQL aggregates); this page draws them.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.ui.services import dashboard, sessions
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.db.engine import reading
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    instructor_gate,
    run_guarded,
)

SHOWN_ATTEMPTS = 200


def header() -> None:
    st.title("Instructor dashboard")
    st.markdown(read_content("dashboard_intro.md"))


def filters(db: Engine) -> dashboard.Filters:
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
    chosen_cases = second.multiselect("Cases (none: all)", options["cases"], key="dash_cases")
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
    st.dataframe(findings.drop(columns=["label"]), hide_index=True)


def cases_tab(data: dashboard.Dashboard) -> None:
    cases = data.cases
    if cases.empty:
        st.caption("No attempts yet.")
        return
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


def attempts_tab(db: Engine, chosen: dashboard.Filters) -> None:
    with reading(db) as session:
        latest = dashboard.attempts_table(session, chosen, limit=SHOWN_ATTEMPTS)
    st.caption(f"The {len(latest)} most recent attempt(s); the CSV holds every one.")
    st.dataframe(latest, hide_index=True)


def exports(db: Engine, chosen: dashboard.Filters, data: dashboard.Dashboard) -> None:
    def every_attempt() -> pd.DataFrame:
        with reading(db) as session:
            return dashboard.attempts_table(session, chosen)

    columns = st.columns(4)
    with columns[0]:
        download("Attempts (CSV)", every_attempt, "attempts", db)
    with columns[1]:
        download("Findings (CSV)", lambda: data.findings, "findings", db)
    with columns[2]:
        download("Cases (CSV)", lambda: data.cases, "cases", db)
    with columns[3]:
        download("Learners (CSV)", lambda: data.learners, "learners", db)


def main() -> None:
    init_teaching_state(st.session_state)
    header()
    instructor_gate()
    db = engine()
    chosen = filters(db)
    data = dashboard.load(db, chosen)
    overview(data.overview)
    if not data.overview["attempts"]:
        st.info("No attempts match these filters yet.")
        st.stop()
    exports(db, chosen, data)
    tabs = st.tabs(["Findings", "Cases and time", "Learners", "Box scores", "Attempts"])
    with tabs[0]:
        findings_tab(data)
    with tabs[1]:
        cases_tab(data)
    with tabs[2]:
        st.dataframe(data.learners.drop(columns=["learner_id"]), hide_index=True)
    with tabs[3]:
        scores_tab(data)
    with tabs[4]:
        attempts_tab(db, chosen)


run_guarded(main)
