"""The room review's counting: the stored outcomes of every learner's answer added up per finding
(found, missed, wrong side, over-called), anonymous learner numbers, the box sets, the case steps.

The answers are scored and stored through the same services as the pages; the counts must equal
what the attempts stored (never a second scoring).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apptest_support import store_answers
from sqlalchemy import func, select

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.schemas import Finding, Flag
from cxr_auditor.db import open_database
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import Attempt
from cxr_auditor.ui.services import review, sessions
from cxr_auditor.ui.services.palette import LABEL_COLOURS

RIGHT_PTX = "nih-00005140_001"  # pneumothorax boxed on the patient's right (image left)
EFFUSION_OPACITY = "chestxdet-36216"  # complete reference: opacity and effusion, both on the right


def learner(label: str, y0: float, x0: float, y1: float, x1: float) -> Finding:
    return Finding(label=label, box=(y0, x0, y1, x1), source="learner")


RIGHT = learner("pneumothorax", 0.3, 0.13, 0.65, 0.25)
LEFT = learner("pneumothorax", 0.3, 0.75, 0.65, 0.87)
NODULE = learner("nodule_mass", 0.1, 0.6, 0.2, 0.7)


@pytest.fixture
def room(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'review.sqlite3'}")
    known = {loaded.case.id for loaded in load_library().cases}
    info = sessions.create_session(
        engine, title="Review", case_ids=[RIGHT_PTX, EFFUSION_OPACITY], known_case_ids=known
    )
    store_answers(
        engine,
        info,
        [
            ("Ana", RIGHT_PTX, "Right pneumothorax.", [RIGHT]),
            ("Sam", RIGHT_PTX, "Left pneumothorax.", [LEFT]),
            ("Lee", RIGHT_PTX, "No acute abnormality.", []),
            ("Kim", EFFUSION_OPACITY, "Right pleural effusion. Left lung nodule.", [NODULE]),
        ],
    )
    return engine, info


def by_label(counts: list[review.LabelCount]) -> dict[str, review.LabelCount]:
    return {c.label: c for c in counts}


def test_found_missed_and_wrong_side_are_the_stored_outcomes_added_up(room):
    engine, info = room
    answers = review.room_answers(engine, info.id, RIGHT_PTX)
    assert [a.name for a in answers] == ["Ana", "Sam", "Lee"]
    ptx = by_label(review.label_counts(answers))["pneumothorax"]
    assert ptx.boxed_by == 2
    assert ptx.boxes == {"found": 1, "missed": 1, "wrong side": 1, "over-called": 0}
    assert ptx.drafts["missed"] == 1  # Lee called the film normal
    assert ptx.drafts["wrong side"] == 1  # Sam wrote "left"
    with reading(engine) as db:
        stored = db.execute(
            select(
                func.sum(Attempt.box_hits),
                func.sum(Attempt.box_misses),
                func.sum(Attempt.box_side_errors),
                func.sum(Attempt.box_over_calls),
                func.sum(Attempt.flags_missing),
                func.sum(Attempt.flags_laterality),
            ).where(Attempt.session_id == info.id, Attempt.case_id == RIGHT_PTX)
        ).one()
    counts = review.label_counts(answers)
    summed = [
        sum(c.boxes[word] for c in counts)
        for word in ("found", "missed", "wrong side", "over-called")
    ] + [sum(c.drafts[word] for c in counts) for word in ("missed", "wrong side")]
    assert summed == [int(value) for value in stored]


def test_over_calls_count_against_a_complete_reference(room):
    engine, info = room
    answers = review.room_answers(engine, info.id, EFFUSION_OPACITY)
    counts = by_label(review.label_counts(answers))
    assert counts["nodule_mass"].boxes["over-called"] == 1
    assert counts["nodule_mass"].drafts["over-called"] == 1
    assert counts["pleural_effusion"].boxes["missed"] == 1  # said in the draft, not boxed
    assert counts["pleural_effusion"].drafts["missed"] == 0
    assert counts["lung_opacity_consolidation"].drafts["missed"] == 1
    flags = review.flags_of(answers[0])
    assert {(f.kind, f.label) for f in flags} >= {
        ("UNSUPPORTED", "nodule_mass"),
        ("MISSING", "lung_opacity_consolidation"),
    }
    shown = review.in_play(
        review.label_counts(answers), load_library().get(EFFUSION_OPACITY).case.findings()
    )
    assert {c.label for c in shown} == {
        "nodule_mass",
        "pleural_effusion",
        "lung_opacity_consolidation",
    }


def test_a_case_nobody_answered_counts_nothing(room):
    engine, info = room
    assert review.room_answers(engine, info.id, "chestxdet-36199") == []
    assert all(
        c.boxed_by == 0 and not any(c.boxes.values()) and not any(c.drafts.values())
        for c in review.label_counts([])
    )


def answer(pid: int, name: str, *boxes: Finding, flags: tuple[Flag, ...] = ()) -> review.Answer:
    return review.Answer(pid, name, "draft", boxes, flags, (), datetime(2026, 1, 1, tzinfo=UTC))


def test_learners_are_numbered_in_joining_order_and_named_only_on_request():
    numbers = review.learner_numbers([7, 3, 7, 9])
    assert numbers == {7: "Learner 1", 3: "Learner 2", 9: "Learner 3"}
    ana = answer(3, "Ana Lopez")
    assert review.shown_name(ana, numbers, show_names=False) == "Learner 2"
    assert review.shown_name(ana, numbers, show_names=True) == "Ana Lopez (Learner 2)"
    assert review.shown_name(answer(4, "Zed"), numbers, show_names=False) == "Learner ?"


def test_room_boxes_by_finding_never_carry_a_name():
    numbers = review.learner_numbers([1, 2])
    answers = [answer(1, "Ana Lopez", RIGHT, NODULE), answer(2, "Sam Smith", LEFT)]
    every = review.room_boxes(answers, numbers, LABEL_COLOURS, caption_each=True)
    assert [(b.caption, b.colour, b.style) for b in every] == [
        ("L1", LABEL_COLOURS["pneumothorax"].hex, "dotted"),
        ("L1", LABEL_COLOURS["nodule_mass"].hex, "dotted"),
        ("L2", LABEL_COLOURS["pneumothorax"].hex, "dotted"),
    ]
    only_ptx = review.room_boxes(answers, numbers, ["pneumothorax"])
    assert [b.box for b in only_ptx] == [RIGHT.box, LEFT.box]
    assert all(b.caption == "" for b in only_ptx)
    reference = review.reference_boxes(
        [RIGHT.model_copy(update={"source": "reference"})], ["pneumothorax"]
    )
    model = review.model_boxes([NODULE], ["pneumothorax"])
    assert [b.style for b in reference] == ["solid"] and model == []


@pytest.mark.parametrize(
    "index,move,total,expected",
    [(0, -1, 4, 0), (0, 1, 4, 1), (3, 1, 4, 3), (2, -1, 4, 1), (0, 1, 1, 0), (5, 0, 3, 2)],
)
def test_stepping_stays_within_the_session(index, move, total, expected):
    assert review.step(index, move, total) == expected


def test_position_text():
    assert review.position_text(1, 4) == "Case 2 of 4"
