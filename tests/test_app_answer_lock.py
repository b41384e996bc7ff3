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
