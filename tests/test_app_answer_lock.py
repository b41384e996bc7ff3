"""While a teaching session is open, its cases' answers are for the instructor only (AppTest)."""

from __future__ import annotations

import pytest
from apptest_support import APP, teaching_database
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.case_format import load_library
from cxr_auditor.ui.services import sessions

KEY = "teaching-key-lock-test"
IN_SESSION, OUTSIDE = "nih-00005140_001", "nih-00006751_000"


@pytest.fixture
def open_session(tmp_path, monkeypatch):
    db = teaching_database(tmp_path, monkeypatch, "lock.sqlite3", KEY)
    known = {loaded.case.id for loaded in load_library().cases}
    return db, sessions.create_session(
        db, title="Lock", case_ids=[IN_SESSION], known_case_ids=known
    )


def page(name: str, instructor_key: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if instructor_key is not None:
        at.session_state["instructor_key"] = instructor_key
    at.run()
    at.switch_page(f"views/{name}.py")
    at.run()
    return at


def library_findings(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    return dict(zip(table["case"], table["reference findings"], strict=True))


def test_library_hides_only_the_open_sessions_cases_from_learners(open_session):
    findings = library_findings(page("library"))
    assert findings[IN_SESSION] == "hidden during a teaching session"
    assert findings[OUTSIDE] == "Nodule / mass"


def test_instructor_sees_every_answer(open_session):
    findings = library_findings(page("library", instructor_key=KEY))
    assert findings[IN_SESSION] == "Pneumothorax"


def test_a_wrong_key_unlocks_nothing(open_session):
    findings = library_findings(page("library", instructor_key="guess"))
    assert findings[IN_SESSION] == "hidden during a teaching session"


def test_audit_page_refuses_a_locked_case_and_reopens_after_the_session_closes(open_session):
    db, info = open_session
    at = page("audit")
    at.selectbox(key="case_id").select(IN_SESSION).run()
    assert any("answer is locked" in i.value for i in at.info)
    assert all(b.label != "Audit" for b in at.button)
    sessions.set_open(db, info.id, False)
    at = page("audit")
    at.selectbox(key="case_id").select(IN_SESSION).run()
    assert not any("answer is locked" in i.value for i in at.info)
    assert any(b.label == "Audit" for b in at.button)


# --------------------------------------------------------------------------- practice quiz


def quiz(case_id: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("views/quiz.py")
    at.session_state["quiz_case_id"] = case_id
    at.run()
    assert not at.exception
    return at


def test_the_quiz_never_serves_a_case_of_an_open_session(open_session):
    at = quiz(IN_SESSION)  # the tab had drawn it before the session opened
    assert at.session_state["quiz_case_id"] != IN_SESSION
    for _ in range(12):  # every skip draws from the unlocked cases only
        at.button(key="quiz_skip").click()
        at.run()
        assert at.session_state["quiz_case_id"] != IN_SESSION


def test_the_quiz_hides_the_feedback_of_a_case_that_a_session_opened_since(tmp_path, monkeypatch):
    from apptest_support import box, drawing

    db = teaching_database(tmp_path, monkeypatch, "lock-quiz.sqlite3", KEY)
    at = quiz(IN_SESSION)
    work = f"q0_{IN_SESSION}"
    at.session_state[f"canvas_{work}"] = drawing(box("pneumothorax", 0.35, 0.14, 0.55, 0.24))
    at.text_area(key=f"draft_{work}").input("Right pneumothorax.")
    at.button(key=f"submit_{work}").click()
    at.run()
    assert any("Teaching points" in m.value for m in at.markdown)
    known = {loaded.case.id for loaded in load_library().cases}
    sessions.create_session(db, title="Now", case_ids=[IN_SESSION], known_case_ids=known)
    at.run()
    assert not at.exception
    assert not any("Teaching points" in m.value for m in at.markdown)
    assert at.get("image") == []
    assert any("answer is locked" in i.value for i in at.info)


def test_the_instructor_may_practise_on_a_session_case(open_session):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["instructor_key"] = KEY
    at.switch_page("views/quiz.py")
    at.session_state["quiz_case_id"] = IN_SESSION
    at.run()
    assert at.session_state["quiz_case_id"] == IN_SESSION


def test_an_audit_exported_before_the_session_opened_is_not_offered_during_it(
    tmp_path, monkeypatch
):
    db = teaching_database(tmp_path, monkeypatch, "lock-export.sqlite3", KEY)
    at = page("audit")
    at.selectbox(key="case_id").select(IN_SESSION).run()
    at.text_area(key="draft").input("Right pneumothorax.").run()
    at.button(key="run_audit").click().run()
    assert [b.label for b in at.get("download_button")] == [
        "Export audit (JSON)",
        "Export image (PNG)",
    ]
    known = {loaded.case.id for loaded in load_library().cases}
    sessions.create_session(db, title="Now", case_ids=[IN_SESSION], known_case_ids=known)
    at.run()
    assert at.get("download_button") == [] and at.get("image") == []
    assert any("answer is locked" in i.value for i in at.info)


def test_the_library_speaks_of_its_table_not_of_one_case_during_a_session(open_session):
    at = page("library")
    (info,) = at.info
    assert "hidden in the table below" in info.value
    assert "this case" not in info.value and "upload an image here" not in info.value
