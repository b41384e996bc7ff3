"""The room review page driven by AppTest: refused without the key; with it, step through a
session's cases, reveal the reference, show names, and the model's stored read (or the plain
message that none is stored).
"""

from __future__ import annotations

import re

import pytest
from apptest_support import instructor_page, page_text, store_answers, teaching_database
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.schemas import Finding
from cxr_auditor.db.model_reads import save_read
from cxr_auditor.ui.services import sessions

KEY = "room-key-5d1e"
RIGHT_PTX, EFFUSION_OPACITY = "nih-00005140_001", "chestxdet-36216"


def learner(label: str, y0: float, x0: float, y1: float, x1: float) -> Finding:
    return Finding(label=label, box=(y0, x0, y1, x1), source="learner")


@pytest.fixture
def database(tmp_path, monkeypatch):
    return teaching_database(tmp_path, monkeypatch, "review.sqlite3", KEY)


@pytest.fixture
def session(database):
    known = {loaded.case.id for loaded in load_library().cases}
    info = sessions.create_session(
        database, title="Chest week", case_ids=[RIGHT_PTX, EFFUSION_OPACITY], known_case_ids=known
    )
    store_answers(
        database,
        info,
        [
            (
                "Ana Lopez",
                RIGHT_PTX,
                "Right pneumothorax.",
                [learner("pneumothorax", 0.3, 0.13, 0.65, 0.25)],
            ),
            (
                "Sam Smith",
                RIGHT_PTX,
                "Left pneumothorax.",
                [learner("pneumothorax", 0.3, 0.75, 0.65, 0.87)],
            ),
            ("Sam Smith", EFFUSION_OPACITY, "Right pleural effusion.", []),
        ],
    )
    return info


def review_page(key: str | None = KEY) -> AppTest:
    return instructor_page("review", key)


def text(at: AppTest) -> str:
    return page_text(at).replace("**", "")


def legend(at: AppTest) -> list[str]:
    """The names in the legend beside the image (its line styles come from the overlay)."""
    bodies = [h.proto.body for h in at.get("html") if "border-top" in h.proto.body]
    return re.findall(r"</span>([^<]+)</span>", bodies[-1]) if bodies else []


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception


def columns(at: AppTest) -> list[list[str]]:
    return [list(frame.value.columns) for frame in at.dataframe]


@pytest.mark.parametrize("key", [None, "wrong key"])
def test_the_review_refuses_without_the_key(session, key):
    at = review_page(key)
    assert at.dataframe == [] and at.get("image") == []
    assert "Learner 1" not in text(at) and "pneumothorax" not in text(at).lower()
    assert not [b for b in at.button if b.label == "Reveal the reference to the room"]


def test_step_through_the_cases_reveal_and_show_names(session):
    at = review_page()
    assert len(at.get("image")) == 1  # the room's film (none without the key)
    shown = text(at)
    assert "Case 1 of 2" in shown and "2 of 2 learner(s) have submitted this case" in shown
    assert "Learner 1 · Right pneumothorax." in shown and "Learner 2 · Left pneumothorax." in shown
    assert "Ana" not in shown and "Sam" not in shown
    assert "reference" not in legend(at) and "Pneumothorax" in legend(at)
    assert columns(at) == [["finding", "learners who boxed it"]]
    assert at.dataframe[0].value.to_dict("records") == [
        {"finding": "Pneumothorax", "learners who boxed it": 2}
    ]
    assert "wrong side: Pneumothorax" not in shown  # flags wait for the reveal

    click(at, "Reveal the reference to the room")
    shown = text(at)
    assert legend(at)[-1] == "reference"
    # One row per count, one column per finding (narrow, beside the film).
    counts = at.dataframe[0].value.set_index("count")["Pneumothorax"]
    assert (counts["boxes found"], counts["boxes wrong side"], counts["drafts wrong side"]) == (
        1,
        1,
        1,
    )
    assert "wrong side: Pneumothorax" in shown
    assert [b.label for b in at.button if "reference" in b.label] == ["Hide the reference"]

    at.checkbox(key="room_names").check()
    at.run()
    shown = text(at)
    assert "Ana Lopez (Learner 1) · Right pneumothorax." in shown
    assert "Sam Smith (Learner 2) · Left pneumothorax." in shown

    click(at, "Next case")
    shown = text(at)
    assert "Case 2 of 2" in shown and "1 of 2 learner(s) have submitted this case" in shown
    assert "reference" not in legend(at)  # each case is revealed on its own
    assert next(b for b in at.button if b.label == "Next case").disabled
    click(at, "Previous case")
    assert "Case 1 of 2" in text(at) and legend(at)[-1] == "reference"


def test_no_model_read_is_said_plainly(session):
    at = review_page()
    click(at, "Reveal the reference to the room")
    assert (
        f"No model read stored for this case (run cxr-auditor cases model-reads --triton-url URL "
        f"--cases {RIGHT_PTX})." in text(at)
    )
    assert "model" not in legend(at)


def test_a_stored_model_read_is_drawn_with_the_reference(session, database):
    save_read(
        database,
        case_id=RIGHT_PTX,
        findings=[Finding(label="pneumothorax", box=(0.2, 0.1, 0.6, 0.3), source="model")],
        model_name="medgemma-cxr-auditor-v2",
        model_version="7",
        server_url="triton.example:8000",
    )
    at = review_page()
    shown = text(at)
    assert "A model read is stored for this case: it is shown with the reference." in shown
    assert "medgemma" not in shown and "No model read stored" not in shown
    assert "model" not in legend(at)
    click(at, "Reveal the reference to the room")
    shown = text(at)
    assert "Model read (medgemma-cxr-auditor-v2 (version 7)): Pneumothorax" in shown
    assert legend(at)[-2:] == ["reference", "model"] and "triton.example:8000" in shown
