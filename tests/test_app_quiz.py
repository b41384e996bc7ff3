"""The practice quiz driven by AppTest, with drawings injected into the canvas by its key.

Each test gets its own SQLite database (``CXR_DATABASE_URL``) and the embedded default readers.
"""

from __future__ import annotations

import json
import re

import pytest
from apptest_support import APP, CANVAS, box, drawing
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.labels import POSITIVE_LABELS
from cxr_auditor.db import open_database
from cxr_auditor.db.attempt_store import count_attempts
from cxr_auditor.ui.services.canvas import chip

RIGHT_PTX = "nih-00005140_001"  # one right pneumothorax, boxed at x 0.12-0.26, y 0.26-0.69
WORK = f"q0_{RIGHT_PTX}"


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'quiz.sqlite3'}"
    monkeypatch.setenv("CXR_DATABASE_URL", url)
    monkeypatch.delenv("CXR_TRITON_URL", raising=False)
    monkeypatch.delenv("CXR_CASE_LIBRARY", raising=False)
    return url


def open_quiz(case_id: str = RIGHT_PTX) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("views/quiz.py")
    at.session_state["quiz_case_id"] = case_id
    at.run()
    assert not at.exception
    return at


def answer(at: AppTest, draft: str, *objects: dict, work: str = WORK) -> AppTest:
    at.session_state[f"canvas_{work}"] = drawing(*objects)
    at.run()
    at.text_area(key=f"draft_{work}").input(draft)
    at.button(key=f"submit_{work}").click()
    at.run()
    assert not at.exception
    return at


def text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def test_before_submitting_nothing_of_the_answer_is_shown(database):
    at = open_quiz()
    (canvas,) = at.get("bidi_component")
    args = json.loads(canvas.proto.json)
    assert canvas.proto.component_name == "cxr_auditor.touch_canvas"
    assert args["drawingMode"] == "labeled_rect" and args["canvasWidth"] == CANVAS
    assert args["initialDrawing"]["objects"] == []
    assert args["backgroundImageURL"].startswith("data:image/jpeg;base64,")
    assert at.selectbox(key="box_label").options == [chip(label) for label in POSITIVE_LABELS]
    assert at.selectbox(key="box_label").value is None  # no silent default finding
    assert args["label"] == ""
    shown = text(at)
    assert "Teaching points" not in shown and "reference read" not in shown
    assert "00005140" not in shown  # not even the dataset file name
    assert at.get("image") == [] and at.metric[0].value == "0"


def test_a_boxed_correct_answer_gets_feedback_and_a_running_score(database):
    at = answer(
        open_quiz(), "Right apical pneumothorax.", box("pneumothorax", 0.35, 0.14, 0.55, 0.24)
    )
    shown = text(at)
    assert "Your boxes against the reference read" in shown
    assert ":green-background[found] **Pneumothorax** · Your Pneumothorax box lies inside" in shown
    assert "1 found · 0 missed · 0 wrong side · 0 over-called" in shown
    assert "Teaching points" in shown and "URGENT" in shown
    assert len(at.get("image")) == 1  # the three box sets over the image
    assert [m.value for m in at.metric][:2] == ["1", "1.00"]
    assert count_attempts(open_database(database)) == 1


def test_a_wrong_side_box_and_a_missed_finding_are_explained(database):
    at = answer(
        open_quiz(),
        "Left pneumothorax. Right upper lobe nodule.",
        box("pneumothorax", 0.30, 0.75, 0.50, 0.85),
        box("nodule_mass", 0.20, 0.20, 0.26, 0.26),
    )
    shown = text(at)
    # The reference of an NIH case is incomplete: the nodule box cannot be judged, not an over-call.
    assert "0 found · 0 missed · 1 wrong side · 0 over-called · 1 not judged" in shown
    assert "this box cannot be judged" in shown
    assert "patient's left, but the reference read places it on the patient's right" in shown
    assert "Tip, Pneumothorax:" in shown
    assert "LATERALITY" in shown
    assert at.metric[1].value == "0.00"


def test_an_empty_draft_is_refused_and_nothing_is_stored(database):
    at = answer(open_quiz(), "   ", box("pneumothorax", 0.35, 0.14, 0.55, 0.24))
    assert "The draft is empty" in at.error[0].value
    assert at.button(key=f"submit_{WORK}")  # still answering
    assert count_attempts(open_database(database)) == 0


def test_a_stray_click_is_pointed_out_and_not_scored(database):
    at = open_quiz()
    at.session_state[f"canvas_{WORK}"] = drawing(box("pneumothorax", 0.3, 0.1, 0.3015, 0.2))
    at.run()
    assert "taken as a stray click" in at.warning[-1].value
    assert "0 box(es) drawn" in text(at)


def test_next_case_starts_a_fresh_canvas_on_another_case(database):
    at = answer(open_quiz(), "Right pneumothorax.", box("pneumothorax", 0.35, 0.14, 0.55, 0.24))
    at.button(key="quiz_next").click()
    at.run()
    assert not at.exception
    new_case = at.session_state["quiz_case_id"]
    assert new_case != RIGHT_PTX and at.session_state["quiz_round"] == 1
    assert at.text_area(key=f"draft_q1_{new_case}").value == ""
    assert at.metric[0].value == "1"


def test_on_a_phone_the_result_comes_before_the_teaching_points_and_the_source(database):
    # Columns stack in document order on a narrow screen: the order of the elements is the order a
    # phone shows them in.
    at = answer(open_quiz(), "Right pneumothorax.", box("pneumothorax", 0.35, 0.14, 0.55, 0.24))
    order = [m.value for m in at.markdown]
    audited = order.index("#### Your draft, audited")
    teaching = order.index("**Teaching points**")
    assert audited < teaching
    (source,) = [e for e in at.expander if e.label.startswith("Image source:")]
    assert "Attribution" in " ".join(c.value for c in source.caption)
