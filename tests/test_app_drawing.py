"""The answering screen's drawing controls, driven by AppTest on the practice quiz.

Issue 14, item 5: the finding chooser defaulted to Pleural effusion, so a box drawn on a nodule
with the default left on was scored as a missed effusion. Now nothing is chosen at first, a box
without a finding waits in the box list and holds Submit back, and the list chooses a box's
finding or deletes it (no hover needed), re-creating the canvas with the changed drawing.
"""

from __future__ import annotations

import json

import pytest
from apptest_support import APP, box, drawing
from streamlit.testing.v1 import AppTest

from cxr_auditor.db import open_database
from cxr_auditor.db.attempt_store import count_attempts
from cxr_auditor.ui.services.canvas import chip

RIGHT_PTX = "nih-00005140_001"
WORK = f"q0_{RIGHT_PTX}"


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'drawing.sqlite3'}"
    monkeypatch.setenv("CXR_DATABASE_URL", url)
    monkeypatch.delenv("CXR_TRITON_URL", raising=False)
    monkeypatch.delenv("CXR_CASE_LIBRARY", raising=False)
    return url


def open_quiz(*objects: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("views/quiz.py")
    at.session_state["quiz_case_id"] = RIGHT_PTX
    if objects:
        at.session_state[f"canvas_{WORK}"] = drawing(*objects)
    at.run()
    assert not at.exception
    return at


def canvas_args(at: AppTest) -> dict:
    (canvas,) = at.get("bidi_component")
    return json.loads(canvas.proto.json)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def unlabelled(y0: float, x0: float, y1: float, x1: float) -> dict:
    return box("pneumothorax", y0, x0, y1, x1) | {"label": ""}


def stored(url: str) -> int:
    engine = open_database(url)
    try:
        return count_attempts(engine)
    finally:
        engine.dispose()


def test_no_finding_is_chosen_until_the_learner_chooses_one(database):
    at = open_quiz()
    assert at.selectbox(key="box_label").value is None
    assert canvas_args(at)["label"] == ""
    at.selectbox(key="box_label").select("nodule_mass")
    at.run()
    assert canvas_args(at)["label"] == chip("nodule_mass")
    assert "New boxes are labelled **Nodule / mass**." in captions(at)


def test_a_box_without_a_finding_holds_submit_back_and_is_not_stored(database):
    at = open_quiz(unlabelled(0.35, 0.14, 0.55, 0.24))
    assert "0 box(es) drawn: none, plus 1 without a finding yet" in captions(at)
    at.text_area(key=f"draft_{WORK}").input("Right pneumothorax.")
    at.button(key=f"submit_{WORK}").click()
    at.run()
    assert "Box 1 has no finding yet" in at.error[0].value
    assert stored(database) == 0


def test_choosing_a_box_finding_in_the_list_labels_it_on_the_canvas_and_scores_it(database):
    at = open_quiz(unlabelled(0.35, 0.14, 0.55, 0.24))
    at.selectbox(key=f"box_{WORK}_v0_1").select("pneumothorax")
    at.run()
    assert not at.exception
    args = canvas_args(at)
    assert at.session_state[f"canvas_version_{WORK}"] == 1  # a fresh canvas with the drawing
    assert [o["label"] for o in args["initialDrawing"]["objects"]] == [chip("pneumothorax")]
    assert "1 box(es) drawn" in captions(at)
    at.text_area(key=f"draft_{WORK}").input("Right pneumothorax.")
    at.button(key=f"submit_{WORK}").click()
    at.run()
    assert stored(database) == 1
    assert any("found" in m.value and "your box 1" in m.value for m in at.markdown)


def test_a_box_is_deleted_from_the_list_without_the_canvas_toolbar(database):
    at = open_quiz(
        box("pneumothorax", 0.35, 0.14, 0.55, 0.24), box("nodule_mass", 0.1, 0.6, 0.2, 0.7)
    )
    assert "2 box(es) drawn" in captions(at)
    at.button(key=f"delete_{WORK}_v0_1").click()
    at.run()
    objects = canvas_args(at)["initialDrawing"]["objects"]
    assert [o["label"] for o in objects] == [chip("nodule_mass")]
    assert "1 box(es) drawn" in captions(at)
