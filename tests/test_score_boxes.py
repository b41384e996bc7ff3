"""Box scoring as clinical cases: one learner drawing against one read per row.

Boxes are ``[y0, x0, y1, x1]`` in 0..1; the image's left half (x < 0.5) is the patient's right.
"""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxr_auditor.core.errors import DataFileError, InputError
from cxr_auditor.core.labels import POSITIVE_LABELS
from cxr_auditor.core.schemas import Finding
from cxr_auditor.core.score_boxes import (
    REQUIRED,
    load_feedback,
    mirrored,
    patient_side,
    score_boxes,
    tip,
)

# Landmarks on a frontal film (patient's right = image left).
R_UPPER_NODULE = (0.25, 0.25, 0.32, 0.32)
R_UPPER_NODULE_TIGHT = (0.255, 0.255, 0.325, 0.325)
R_UPPER_ZONE = (0.10, 0.08, 0.45, 0.48)  # a whole upper zone: far too loose for a nodule
L_UPPER_NODULE_MIRROR = (0.25, 0.68, 0.32, 0.75)
R_EFFUSION = (0.60, 0.08, 0.92, 0.45)
R_COSTOPHRENIC = (0.80, 0.12, 0.90, 0.25)  # small box inside the right effusion
L_COSTOPHRENIC = (0.80, 0.75, 0.90, 0.88)  # the mirror image of R_COSTOPHRENIC
L_EFFUSION = (0.60, 0.55, 0.92, 0.92)
R_APEX_PTX = (0.05, 0.10, 0.35, 0.40)
L_APEX = (0.05, 0.62, 0.30, 0.88)
HEART = (0.45, 0.35, 0.80, 0.72)
LEFT_LOWER_ZONE = (0.55, 0.60, 0.75, 0.85)
R_LOWER_OPACITY = (0.55, 0.10, 0.75, 0.40)


def mine(*items: tuple[str, tuple]) -> list[Finding]:
    return [Finding(label=label, box=box, source="learner") for label, box in items]


def read(*items: tuple[str, tuple | None]) -> list[Finding]:
    return [Finding(label=label, box=box) for label, box in items]


def kinds(score) -> list[tuple[str, str, str]]:
    return [(o.kind, o.label, o.reason) for o in score.outcomes]


CASES = [
    # (what the learner did, learner boxes, read, expected outcomes, hits, misses, side, over)
    (
        "tight box on a right upper zone nodule",
        mine(("nodule_mass", R_UPPER_NODULE_TIGHT)),
        read(("nodule_mass", R_UPPER_NODULE)),
        [("hit", "nodule_mass", "iou")],
        1,
        0,
        0,
        0,
    ),
    (
        "whole upper zone boxed for a nodule: too loose",
        mine(("nodule_mass", R_UPPER_ZONE)),
        read(("nodule_mass", R_UPPER_NODULE)),
        [("miss", "nodule_mass", "near_focal")],
        0,
        1,
        0,
        0,
    ),
    (
        "nodule boxed in the mirror position on the left",
        mine(("nodule_mass", L_UPPER_NODULE_MIRROR)),
        read(("nodule_mass", R_UPPER_NODULE)),
        [("side_error", "nodule_mass", "mirrored")],
        0,
        0,
        1,
        0,
    ),
    (
        "nodule not marked at all",
        [],
        read(("nodule_mass", R_UPPER_NODULE)),
        [("miss", "nodule_mass", "not_drawn")],
        0,
        1,
        0,
        0,
    ),
    (
        "small box in the right costophrenic angle of a right effusion",
        mine(("pleural_effusion", R_COSTOPHRENIC)),
        read(("pleural_effusion", R_EFFUSION)),
        [("hit", "pleural_effusion", "overlap")],
        1,
        0,
        0,
        0,
    ),
    (
        "effusion box spilling over the effusion's edges, centre still inside",
        mine(("pleural_effusion", (0.82, 0.30, 1.0, 0.56))),
        read(("pleural_effusion", R_EFFUSION)),
        [("hit", "pleural_effusion", "point")],
        1,
        0,
        0,
        0,
    ),
    (
        "right effusion marked at the left costophrenic angle",
        mine(("pleural_effusion", L_COSTOPHRENIC)),
        read(("pleural_effusion", R_EFFUSION)),
        [("side_error", "pleural_effusion", "mirrored")],
        0,
        0,
        1,
        0,
    ),
    (
        "right pneumothorax marked at the left apex",
        mine(("pneumothorax", L_APEX)),
        read(("pneumothorax", R_APEX_PTX)),
        [("side_error", "pneumothorax", "mirrored")],
        0,
        0,
        1,
        0,
    ),
    (
        "right pneumothorax boxed low in the left chest: the side is what is wrong",
        mine(("pneumothorax", LEFT_LOWER_ZONE)),
        read(("pneumothorax", R_APEX_PTX)),
        [("side_error", "pneumothorax", "mirrored")],
        0,
        0,
        1,
        0,
    ),
    (
        "right upper nodule, box on an unrelated spot of the left lung: not a mirror slip",
        mine(("nodule_mass", LEFT_LOWER_ZONE)),
        read(("nodule_mass", R_UPPER_NODULE)),
        [("miss", "nodule_mass", "not_drawn"), ("over_call", "nodule_mass", "elsewhere")],
        0,
        1,
        0,
        1,
    ),
    (
        "right effusion, box drawn in the right apex instead",
        mine(("pleural_effusion", (0.05, 0.10, 0.20, 0.30))),
        read(("pleural_effusion", R_EFFUSION)),
        [("miss", "pleural_effusion", "not_drawn"), ("over_call", "pleural_effusion", "elsewhere")],
        0,
        1,
        0,
        1,
    ),
    (
        "bilateral effusions, one box each side",
        mine(("pleural_effusion", R_COSTOPHRENIC), ("pleural_effusion", L_COSTOPHRENIC)),
        read(("pleural_effusion", R_EFFUSION), ("pleural_effusion", L_EFFUSION)),
        [("hit", "pleural_effusion", "overlap"), ("hit", "pleural_effusion", "overlap")],
        2,
        0,
        0,
        0,
    ),
    (
        "cardiomegaly boxed off the heart still counts: presence only",
        mine(("cardiomegaly", LEFT_LOWER_ZONE)),
        read(("cardiomegaly", HEART)),
        [("hit", "cardiomegaly", "presence")],
        1,
        0,
        0,
        0,
    ),
    (
        "cardiomegaly not marked",
        [],
        read(("cardiomegaly", HEART)),
        [("miss", "cardiomegaly", "presence")],
        0,
        1,
        0,
        0,
    ),
    (
        "cardiomegaly called on a normal heart (complete reference)",
        mine(("cardiomegaly", HEART)),
        read(("no_finding", None)),
        [("over_call", "cardiomegaly", "absent")],
        0,
        0,
        0,
        1,
    ),
    (
        "two boxes on the same nodule: the second is a duplicate",
        mine(("nodule_mass", R_UPPER_NODULE_TIGHT), ("nodule_mass", R_UPPER_NODULE)),
        read(("nodule_mass", R_UPPER_NODULE)),
        [("hit", "nodule_mass", "iou"), ("over_call", "nodule_mass", "duplicate")],
        1,
        0,
        0,
        1,
    ),
    (
        "the opacity's place boxed, but labelled nodule: labels are never crossed",
        mine(("nodule_mass", R_LOWER_OPACITY)),
        read(("lung_opacity_consolidation", R_LOWER_OPACITY)),
        [
            ("miss", "lung_opacity_consolidation", "not_drawn"),
            ("over_call", "nodule_mass", "absent"),
        ],
        0,
        1,
        0,
        1,
    ),
    (
        "a model read naming an effusion without a box: presence",
        mine(("pleural_effusion", R_COSTOPHRENIC)),
        read(("pleural_effusion", None)),
        [("hit", "pleural_effusion", "no_box")],
        1,
        0,
        0,
        0,
    ),
    ("normal film left unmarked", [], read(("no_finding", None)), [], 0, 0, 0, 0),
]


@pytest.mark.parametrize(
    "learner, target, expected, hits, misses, side, over",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_clinical_cases(learner, target, expected, hits, misses, side, over):
    score = score_boxes(learner, target)
    assert kinds(score) == expected
    assert (score.hits, score.misses, score.side_errors, score.over_calls) == (
        hits,
        misses,
        side,
        over,
    )
    total = score.n_read + score.n_learner
    assert score.score == pytest.approx(2 * hits / total if total else 1.0)
    for outcome in score.outcomes:
        assert "{" not in outcome.explanation and outcome.explanation.strip()


def test_an_incomplete_reference_does_not_count_a_box_it_does_not_mention():
    learner = mine(("pneumothorax", R_APEX_PTX), ("pleural_effusion", L_COSTOPHRENIC))
    target = read(("pneumothorax", R_APEX_PTX))
    complete = score_boxes(learner, target, read_complete=True)
    incomplete = score_boxes(learner, target, read_complete=False)
    assert complete.over_calls == 1 and complete.score == pytest.approx(2 / 3)
    assert incomplete.over_calls == 0 and incomplete.unscored == 1
    assert incomplete.score == 1.0
    (unverified,) = [o for o in incomplete.outcomes if not o.scored]
    assert unverified.reason == "absent_unverified" and "incomplete" in unverified.explanation


def test_explanations_name_the_read_the_sides_and_the_measure():
    score = score_boxes(
        mine(("pneumothorax", L_APEX)), read(("pneumothorax", R_APEX_PTX)), read_kind="model"
    )
    (outcome,) = score.outcomes
    assert "model read" in outcome.explanation
    assert "patient's left" in outcome.explanation and "patient's right" in outcome.explanation
    near = score_boxes(mine(("nodule_mass", R_UPPER_ZONE)), read(("nodule_mass", R_UPPER_NODULE)))
    assert f"IoU {near.outcomes[0].measure:.2f}" in near.outcomes[0].explanation
    assert near.outcomes[0].measure < 0.25


def test_outcomes_point_back_to_the_boxes_they_judge():
    learner = mine(("cardiomegaly", HEART), ("nodule_mass", R_UPPER_NODULE_TIGHT))
    target = read(("no_finding", None), ("nodule_mass", R_UPPER_NODULE))
    hit = next(o for o in score_boxes(learner, target).outcomes if o.kind == "hit")
    assert (hit.learner_index, hit.target_index) == (1, 1)
    assert hit.learner_box == R_UPPER_NODULE_TIGHT and hit.target_box == R_UPPER_NODULE


@pytest.mark.parametrize(
    "label, box, message",
    [
        ("no_finding", (0.1, 0.1, 0.2, 0.2), "cannot be drawn"),
        ("pleural_effusion", None, "has no box"),
    ],
)
def test_learner_boxes_must_be_drawable(label, box, message):
    with pytest.raises(InputError, match=message):
        score_boxes([Finding(label=label, box=box, source="learner")], [])


@pytest.mark.parametrize(
    "box, side",
    [
        (R_EFFUSION, "right"),
        (L_EFFUSION, "left"),
        (HEART, "left"),
        ((0.1, 0.3, 0.2, 0.7), None),
    ],
)
def test_patient_side_follows_the_radiological_convention(box, side):
    assert patient_side(box) == side
    if side is not None:
        assert patient_side(mirrored(box)) == {"left": "right", "right": "left"}[side]


# --------------------------------------------------------------------------- feedback file


def test_packaged_feedback_has_every_outcome_and_a_tip_per_label():
    data = load_feedback()
    assert {s: set(t) for s, t in data.items()} == {s: set(k) for s, k in REQUIRED.items()}
    assert all(tip(label) for label in POSITIVE_LABELS)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("[SIDE_ERROR]", "[WRONG_SIDE]"), "unknown section"),
        (lambda t: t.replace('duplicate = "', 'dupe = "'), "must have keys"),
        (lambda t: t.replace("found and placed", "found and placed {patient}"), "patient"),
        (lambda t: t.replace("[HIT]", "[HIT"), "not valid TOML"),
        (lambda t: t.replace('point = "The centre', 'point = "{The centre'), "bad braces|uses"),
    ],
)
def test_bad_feedback_files_are_refused_with_the_reason(tmp_path, edit, message):
    text = (resources.files("cxr_auditor.core") / "text" / "box_feedback.toml").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "box_feedback.toml"
    path.write_text(edit(text), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_feedback(path)


# --------------------------------------------------------------------------- invariants


def _box(draw) -> tuple[float, float, float, float]:
    y0, y1 = sorted(draw(st.floats(0, 1)) for _ in range(2))
    x0, x1 = sorted(draw(st.floats(0, 1)) for _ in range(2))
    return (y0, x0, y1, x1)


@st.composite
def findings(draw, source: str) -> list[Finding]:
    labels = st.sampled_from(POSITIVE_LABELS)
    return [
        Finding(label=draw(labels), box=_box(draw), source=source)
        for _ in range(draw(st.integers(0, 4)))
    ]


@settings(max_examples=150, deadline=None)
@given(findings("learner"), findings("reference"), st.booleans())
def test_every_box_is_judged_once_and_the_score_is_a_share(learner, target, complete):
    score = score_boxes(learner, target, read_complete=complete)
    assert 0.0 <= score.score <= 1.0
    learner_used = [o.learner_index for o in score.outcomes if o.learner_index is not None]
    assert len(learner_used) == len(set(learner_used))
    boxed_targets = [
        o.target_index
        for o in score.outcomes
        if o.target_index is not None and o.kind != "over_call"
    ]
    assert len(boxed_targets) == len(set(boxed_targets))
    assert score.hits + score.misses + score.side_errors == score.n_read
