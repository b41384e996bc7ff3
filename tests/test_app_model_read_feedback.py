"""The model's stored read beside the reference, after submitting: in the learner's feedback and in
the instructor dashboard; a plain line when none is stored; never before the learner submits.
"""

from __future__ import annotations

import pytest
from apptest_support import box, store_answers, teaching_database
from test_app_session import answer, click, join, page, text

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.schemas import Finding
from cxr_auditor.db.model_reads import save_read
from cxr_auditor.ui.services import sessions

KEY = "model-read-key-2b7"
RIGHT_PTX, NODULE = "nih-00005140_001", "nih-00006751_000"
MODEL_NAME = "medgemma-stored-q7"
PTX_BOX = (0.26, 0.12, 0.69, 0.26)  # the reference's right pneumothorax, roughly


@pytest.fixture
def database(tmp_path, monkeypatch):
    return teaching_database(tmp_path, monkeypatch, "feedback.sqlite3", KEY)


@pytest.fixture
def session_info(database):
    known = {loaded.case.id for loaded in load_library().cases}
    return sessions.create_session(
        database, title="Week 3", case_ids=[RIGHT_PTX, NODULE], known_case_ids=known
    )


def store_read(database, case_id: str = RIGHT_PTX) -> None:
    save_read(
        database,
        case_id=case_id,
        findings=[Finding(label="pneumothorax", box=PTX_BOX, source="model")],
        model_name=MODEL_NAME,
        model_version="3",
        server_url="triton.example:8000",
    )


def test_the_learner_sees_the_stored_model_read_only_after_submitting(database, session_info):
    store_read(database)
    at = join(session_info.code, "Ana")
    before = text(at)
    assert "Case 1 of 2" in before and MODEL_NAME not in before and "model's read" not in before
    y0, x0, y1, x1 = PTX_BOX
    at = answer(
        at,
        session_info.id,
        RIGHT_PTX,
        "Right pneumothorax.",
        box("pneumothorax", y0, x0, y1, x1),
    )
    after = text(at)
    assert "Your boxes against the model's read" in after
    assert f"Model read by: {MODEL_NAME} (version 3), stored read" in after


def test_without_a_stored_read_the_feedback_says_so(database, session_info):
    at = join(session_info.code, "Lee")
    at = answer(at, session_info.id, RIGHT_PTX, "No acute abnormality.")
    shown = text(at)
    assert "No model read for this case: none is stored" in shown
    assert "Your boxes against the model's read" not in shown


def dashboard(at_key: str = KEY):
    at = page("dashboard")
    at.text_input(key="instructor_key_input").input(at_key)
    return click(at, "Unlock")


def test_the_dashboard_shows_the_stored_read_per_case_and_in_an_attempt(database, session_info):
    store_answers(
        database,
        session_info,
        [("Sam", RIGHT_PTX, "Right pneumothorax.", []), ("Sam", NODULE, "Normal.", [])],
    )
    store_read(database)
    at = dashboard()
    cases = next(f.value for f in at.dataframe if "model read" in f.value.columns)
    reads = dict(zip(cases["case id"], cases["model read"], strict=True))
    assert reads == {RIGHT_PTX: f"{MODEL_NAME} (version 3)", NODULE: "none stored"}
    options = at.selectbox(key="dash_attempt").options  # "#id · learner · case title"
    title = load_library().get(RIGHT_PTX).case.title
    pick = next(option for option in options if option.endswith(title))
    at.selectbox(key="dash_attempt").select(pick)
    at.run()
    shown = text(at)
    assert f"Model read by: {MODEL_NAME} (version 3), stored read" in shown
