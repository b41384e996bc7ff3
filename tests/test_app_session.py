"""Teaching sessions driven by AppTest: the instructor's key and sessions page, and learners
joining, answering cases in order (drawings injected into the canvas by key) and reading their
feedback.
"""

from __future__ import annotations

import json
import re

import pytest
from apptest_support import APP, CANVAS, box, drawing, teaching_database
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.case_format import load_library
from cxr_auditor.db.attempt_store import count_attempts
from cxr_auditor.ui.services import sessions

KEY = "teaching-key-7f3a"
RIGHT_PTX, NODULE = "nih-00005140_001", "nih-00006751_000"


@pytest.fixture
def database(tmp_path, monkeypatch):
    return teaching_database(tmp_path, monkeypatch, "sessions.sqlite3", KEY)


@pytest.fixture
def session_info(database):
    known = {loaded.case.id for loaded in load_library().cases}
    return sessions.create_session(
        database,
        title="Week 1",
        case_ids=[RIGHT_PTX, NODULE],
        known_case_ids=known,
        time_limit_s=120,
    )


def page(name: str, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()  # pages with a url_path are known only after the first run
    at.switch_page(f"views/{name}.py")
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in (
            "title",
            "subheader",
            "markdown",
            "caption",
            "error",
            "warning",
            "info",
            "success",
        )
        for e in getattr(at, kind)
    ]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception
    return at


def join(code: str, name: str, pin: str = "1234", **query: str) -> AppTest:
    at = page("session_learner", **query)
    if code is not None:
        at.text_input(key="join_code").input(code)
    at.text_input(key="join_name").input(name)
    at.text_input(key="join_pin").input(pin)
    return click(at, "Join")


def answer(at: AppTest, session_id: int, case_id: str, draft: str, *objects: dict) -> AppTest:
    work = f"s{session_id}_{case_id}"
    at.session_state[f"canvas_{work}"] = drawing(*objects)
    at.text_area(key=f"draft_{work}").input(draft)
    at.button(key=f"submit_{work}").click()
    at.run()
    assert not at.exception
    return at


# --------------------------------------------------------------------------- instructor


@pytest.mark.parametrize("name", ["session_instructor", "dashboard"])
def test_instructor_pages_refuse_when_no_key_is_configured(tmp_path, monkeypatch, name):
    monkeypatch.setenv("CXR_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.delenv("CXR_INSTRUCTOR_KEY", raising=False)
    at = page(name)
    assert "Instructor pages are locked" in at.error[0].value
    assert not [t for t in at.text_input if t.key == "instructor_key_input"]
    assert "New session" not in text(at)


def test_the_sessions_page_asks_for_the_key_and_refuses_a_wrong_one(database):
    at = page("session_instructor")
    field = at.text_input(key="instructor_key_input")
    assert field.proto.type == field.proto.PASSWORD
    assert "New session" not in text(at)
    field.input("guess")
    at = click(at, "Unlock")
    assert "That is not the instructor key." in at.error[0].value
    assert "New session" not in text(at)


def test_an_instructor_creates_a_session_and_sees_who_joined(database):
    at = page("session_instructor")
    at.text_input(key="instructor_key_input").input(KEY)
    at = click(at, "Unlock")
    assert "New session" in text(at)
    assert KEY not in str(dict(at.query_params))
    at.text_input(key="new_session_title").input("Pleural disease, week 3")
    at.multiselect(key="new_session_cases").select(RIGHT_PTX).select(NODULE)
    at.number_input(key="new_session_minutes").set_value(3)
    at = click(at, "Create session")
    (created,) = sessions.all_sessions(database)
    code = sessions.format_code(created.code)
    assert f"Join code: **{code}**" in at.success[0].value
    assert created.case_ids == (RIGHT_PTX, NODULE) and created.time_limit_s == 180
    assert f"Join code {code}" in text(at) and "0 learner(s) joined" in text(at)
    (link,) = [c.value for c in at.code]
    assert link.endswith(f"/join?join={created.code}")  # the code only: no seat, no key
    assert len(at.get("image")) == 1  # the QR code of that link
    join(created.code, "Sam")
    join(code.lower(), "Ana", "5678")
    at.run()
    assert "2 learner(s) joined" in text(at)
    roster = at.dataframe[0].value
    assert list(roster["learner"]) == ["Sam", "Ana"] and list(roster["submitted"]) == ["0 of 2"] * 2
    at.button(key=f"close_{created.id}").click()
    at.run()
    assert not sessions.all_sessions(database)[0].is_open
    assert at.button(key=f"reopen_{created.id}").label == "Reopen session"
    assert at.expander[-1].label.endswith("· closed")


# --------------------------------------------------------------------------- learners


@pytest.mark.parametrize(
    "code, name, message",
    [
        ("K7Q", "Sam", "letters and digits"),
        ("ZZZ-ZZZ", "Sam", "No session has the code ZZZ-ZZZ"),
        (None, "", "Type the name"),
    ],
)
def test_a_learner_who_cannot_join_is_told_why(session_info, code, name, message):
    at = join(code or session_info.code, name)
    assert at.error and message in text(at)
    assert "seat" not in at.query_params and "join" not in at.query_params


def test_a_learner_answers_the_cases_in_order_and_reads_feedback(session_info, database):
    at = join(session_info.code, "Sam")
    assert "Case 1 of 2" in text(at) and "Time limit 2:00 per case" in text(at)
    assert dict(at.query_params) in ({"join": session_info.code}, {"join": [session_info.code]})
    assert "Teaching points" not in text(at) and at.get("image") == []
    at = answer(
        at,
        session_info.id,
        RIGHT_PTX,
        "Right apical pneumothorax.",
        box("pneumothorax", 0.35, 0.14, 0.55, 0.24),
    )
    shown = text(at)
    assert "Feedback: case 1 of 2" in shown and "1 found · 0 missed" in shown
    assert "Teaching points" in shown and len(at.get("image")) == 1
    at = click(at, "Next case")
    assert "Case 2 of 2" in text(at)
    at = answer(at, session_info.id, NODULE, "No acute cardiopulmonary abnormality.")
    shown = text(at)
    assert "MISSING" in shown and "0 found · 1 missed" in shown
    assert "Tip, Nodule / mass:" in shown
    at = click(at, "See my answers")
    assert "You have submitted every case" in text(at)
    assert list(at.dataframe[0].value["box score"]) == [1.0, 0.0]
    assert count_attempts(database) == 2


def param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_no_secret_is_in_the_address_and_an_old_seat_link_grants_nothing(session_info, database):
    at = join(session_info.code, "Sam")
    token = at.session_state["learner_token"]
    assert all(token not in str(v) for v in at.query_params.values())
    stranger = page("session_learner", seat=token)  # a link of the old kind, token and all
    assert "Case" not in text(stranger) and stranger.text_input(key="join_code")
    assert "seat" not in stranger.query_params and "Sam" not in text(stranger)


def test_the_join_link_fills_in_the_code_and_grants_nothing_by_itself(session_info):
    at = page("session_learner", join=session_info.code)
    assert at.text_input(key="join_code").value == session_info.code
    assert "Case" not in text(at)
    at = join(None, "Sam", join=session_info.code)
    assert "Case 1 of 2" in text(at)


def test_a_reload_mid_case_restores_the_draft_the_boxes_and_the_timer(session_info, database):
    at = join(session_info.code, "Sam", "4821")
    work = f"s{session_info.id}_{RIGHT_PTX}"
    at.session_state[f"canvas_{work}"] = drawing(box("pneumothorax", 0.35, 0.14, 0.55, 0.24))
    at.run()
    at.text_area(key=f"draft_{work}").input("Right apical pneumothorax.")
    at.run()
    assert "Draft and boxes saved" in text(at)
    opened = at.session_state["opened_at"][work]
    again = join(session_info.code, "sam", "4821")  # a reload: a new tab state, same seat
    assert "Case 1 of 2" in text(again) and "you are **Sam**" in text(again)
    assert again.text_area(key=f"draft_{work}").value == "Right apical pneumothorax."
    assert again.session_state["opened_at"][work] == opened  # the clock was not reset
    (canvas,) = again.get("bidi_component")
    restored = json.loads(canvas.proto.json)["initialDrawing"]["objects"]
    assert [(o["label"], round(o["left"]), round(o["top"])) for o in restored] == [
        ("Pneumothorax", round(0.14 * CANVAS), round(0.35 * CANVAS))
    ]
    assert "1 box(es) drawn: Pneumothorax" in text(again)
    again.button(key=f"submit_{work}").click()
    again.run()
    assert "1 found · 0 missed" in text(again)  # the restored box is the one scored


def test_a_wrong_pin_does_not_take_a_seat(session_info):
    join(session_info.code, "Sam", "4821")
    at = join(session_info.code, "Sam", "1111")
    assert "that PIN is not theirs" in text(at) and "Case 1" not in text(at)


def test_an_instructor_frees_a_seat_and_its_owner_takes_it_with_a_new_pin(session_info, database):
    join(session_info.code, "Sam", "4821")
    at = page("session_instructor")
    at.text_input(key="instructor_key_input").input(KEY)
    at = click(at, "Unlock")
    (sam,) = [p for p, _ in sessions.roster(database, session_info.id)]
    at.selectbox(key=f"free_pick_{session_info.id}").select(sam.id)
    at.run()
    at.button(key=f"free_{session_info.id}").click()
    at.run()
    assert not at.exception
    back = join(session_info.code, "Sam", "9090")
    assert "you are **Sam**" in text(back)


def test_learners_see_only_their_own_answers(session_info):
    sam = answer(
        join(session_info.code, "Sam"),
        session_info.id,
        RIGHT_PTX,
        "Right pneumothorax.",
        box("pneumothorax", 0.35, 0.14, 0.55, 0.24),
    )
    ana = answer(
        join(session_info.code, "Ana"), session_info.id, RIGHT_PTX, "No acute abnormality."
    )
    ana = click(ana, "Next case")
    ana.expander[-1].open = True
    ana.run()
    assert list(ana.dataframe[0].value["box score"]) == [0.0]  # Ana's only, not Sam's 1.0
    assert "you are **Ana**" in text(ana) and "Sam" not in text(ana)
    assert "you are **Sam**" in text(sam)


def test_a_taken_name_is_refused(session_info):
    join(session_info.code, "Sam")
    at = join(session_info.code, " sam ", "5555")
    assert "already uses the name 'sam'" in text(at)


def test_a_closed_session_takes_no_more_answers(session_info, database):
    at = join(session_info.code, "Sam")
    sessions.set_open(database, session_info.id, False)
    at = answer(at, session_info.id, RIGHT_PTX, "Right pneumothorax.")
    assert "The instructor has closed this session" in text(at)
    assert not [b for b in at.button if b.label == "Submit"]
    assert count_attempts(database) == 0
    at = click(at, "Join another session")
    assert at.text_input(key="join_code") and "join" not in at.query_params


@pytest.mark.parametrize("name", ["session_learner", "quiz"])
def test_an_unreachable_database_is_said_without_its_password(monkeypatch, name):
    monkeypatch.setenv("CXR_DATABASE_URL", "postgresql://cxr:hunter2@127.0.0.1:9/teaching")
    at = page(name)
    (error,) = at.error
    assert "cannot be opened" in error.value and "CXR_DATABASE_URL" in error.value
    assert "hunter2" not in text(at)


def test_the_case_picker_has_no_empty_brackets_and_a_second_create_makes_no_duplicate(database):
    at = page("session_instructor")
    at.text_input(key="instructor_key_input").input(KEY)
    at = click(at, "Unlock")
    picker = at.multiselect(key="new_session_cases")
    shown = list(picker.options)  # as the picker shows them
    assert shown and not any("()" in choice for choice in shown)
    assert any(choice.endswith("(no finding)") for choice in shown)
    at.text_input(key="new_session_title").input("Week 4")
    at.multiselect(key="new_session_cases").select(RIGHT_PTX)
    at = click(at, "Create session")
    at = click(at, "Create session")  # a second click, the form unchanged
    assert len(sessions.all_sessions(database)) == 1
    assert "created already" in text(at)


def test_a_join_link_to_the_apps_root_opens_the_join_page_with_the_code(session_info):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["join"] = session_info.code
    at.run()
    assert not at.exception
    assert at.text_input(key="join_code").value == session_info.code
    assert "Join a teaching session" in text(at)


def test_the_audit_page_links_a_learner_to_the_join_page_the_quiz_and_the_library(database):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    links = [e.proto.label for e in at.get("page_link")]
    assert {
        "In a teaching session? Join it here",
        "Practise on a random case",
        "Browse the case library",
    } <= set(links)
