"""The instructor dashboard driven by AppTest: refused without the key, then tables, charts,
filters and CSV downloads over answers stored through the services.
"""

from __future__ import annotations

import pytest
from apptest_support import instructor_page, page_text, store_answers, teaching_database
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.schemas import Finding
from cxr_auditor.ui.services import sessions

KEY = "dash-key-91c2"
RIGHT_PTX, NODULE = "nih-00005140_001", "nih-00006751_000"


@pytest.fixture
def database(tmp_path, monkeypatch):
    return teaching_database(tmp_path, monkeypatch, "dashboard.sqlite3", KEY)


@pytest.fixture
def two_sessions(database):
    library = load_library()
    known = {loaded.case.id for loaded in library.cases}
    made = []
    for title, answers in (
        (
            "Week 1",
            [
                (
                    "Sam",
                    RIGHT_PTX,
                    "Left pneumothorax.",
                    [Finding(label="pneumothorax", box=(0.3, 0.75, 0.5, 0.85), source="learner")],
                ),
                (
                    "Ana",
                    RIGHT_PTX,
                    "Right pneumothorax.",
                    [Finding(label="pneumothorax", box=(0.35, 0.14, 0.55, 0.24), source="learner")],
                ),
            ],
        ),
        ("Week 2", [("Lee", NODULE, "No acute abnormality.", [])]),
    ):
        info = sessions.create_session(
            database, title=title, case_ids=[RIGHT_PTX, NODULE], known_case_ids=known
        )
        store_answers(database, info, answers)
        made.append(info)
    return made


def dashboard_page(key: str | None = KEY) -> AppTest:
    return instructor_page("dashboard", key)


def text(at: AppTest) -> str:
    return page_text(at, ("title", "markdown", "caption", "error", "warning", "info", "success"))


@pytest.mark.parametrize("key", [None, "wrong key", KEY.upper()])
def test_the_dashboard_refuses_without_the_key(two_sessions, key):
    at = dashboard_page(key)
    assert at.dataframe == [] and at.metric == [] and at.get("vega_lite_chart") == []
    assert "Sam" not in text(at) and "Most missed" not in text(at)
    if key is not None:
        assert "That is not the instructor key." in text(at)


def test_the_dashboard_counts_every_attempt_with_charts_and_downloads(two_sessions):
    at = dashboard_page()
    assert [m.value for m in at.metric][:3] == ["3", "3", "2"]
    assert len(at.get("vega_lite_chart")) >= 4
    labels = {b.label for b in at.get("download_button")}
    assert labels == {
        "Attempts (CSV)",
        "Findings (CSV)",
        "Cases (CSV)",
        "Learners (CSV)",
        "About these files (TXT)",
    }
    frames = [d.value for d in at.dataframe]
    learners = next(f for f in frames if "learner" in f.columns and "mean box score" in f.columns)
    assert sorted(learners["learner"]) == ["Ana", "Lee", "Sam"]
    latest = frames[-1]
    assert list(latest["learner"]) == ["Lee", "Ana", "Sam"] and len(latest) == 3
    titles = {loaded.case.id: loaded.case.title for loaded in load_library().cases}
    assert list(latest["case"]) == [titles[NODULE], titles[RIGHT_PTX], titles[RIGHT_PTX]]
    assert list(latest["case number"]) == [2, 1, 1]  # as learners saw it: "Case 1 of 2"
    assert list(latest.columns[:7]) == [
        "attempt",
        "submitted at",
        "session",
        "learner",
        "case",
        "case number",
        "draft",
    ]
    cases = next(f for f in frames if "share with an error" in f.columns)
    assert set(cases["case"]) == {titles[NODULE], titles[RIGHT_PTX]}
    assert all(round(v, 2) == v for v in cases["share with an error"])
    shown = text(at)
    assert "Most missed" in shown and "Laterality errors" in shown
    assert KEY not in str(dict(at.query_params)) and KEY not in shown


def test_a_session_filter_narrows_every_table(two_sessions):
    week1, _ = two_sessions
    at = dashboard_page()
    at.multiselect(key="dash_sessions").select(week1.id)
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["2", "2"]
    assert list(at.dataframe[-1].value["learner"]) == ["Ana", "Sam"]


def test_an_empty_dashboard_says_so(database):
    at = dashboard_page()
    assert at.metric[0].value == "0"
    assert "No attempts match these filters yet." in text(at)


def test_the_live_tab_shows_the_roster_and_drafts_in_progress(two_sessions, database):
    from cxr_auditor.db import store
    from cxr_auditor.db.engine import writing

    week1, _ = two_sessions
    person = sessions.join(database, week1.code, "Kim", "1234")[1]
    with writing(database) as db:
        store.save_draft(
            db,
            participant_id=person.id,
            session_id=week1.id,
            case_id=NODULE,
            draft="Left lower zone nodule?",
            boxes=[],
        )
    at = dashboard_page()
    frames = [d.value for d in at.dataframe]
    drafts = next(f for f in frames if "draft" in f.columns and "saved (UTC)" in f.columns)
    assert list(drafts["learner"]) == ["Kim"] and list(drafts["case number"]) == [2]
    assert list(drafts["draft"]) == ["Left lower zone nodule?"]
    rosters = [f for f in frames if "now on" in f.columns]
    week1_roster = next(f for f in rosters if "Kim" in list(f["learner"]))
    assert dict(zip(week1_roster["learner"], week1_roster["now on"], strict=True)) == {
        "Sam": "Case 2 of 2",
        "Ana": "Case 2 of 2",
        "Kim": "Case 1 of 2",
    }


def test_an_attempts_boxes_are_shown_over_its_image(two_sessions):
    at = dashboard_page()
    pick = at.selectbox(key="dash_attempt")
    pick.select(pick.options[0] if isinstance(pick.options[0], int) else 1)
    at.run()
    assert not at.exception
    assert len(at.get("image")) == 1
