"""Teaching points filled from a case's own boxes: patient side, place, size, co-findings."""

from __future__ import annotations

import pytest

from cxr_auditor.authoring.teaching import (
    extent_words,
    place_words,
    share_words,
    teaching_points,
)
from cxr_auditor.core.schemas import Finding


def text(findings, others=(), complete=True) -> str:
    return " ".join(teaching_points(findings, list(others), complete))


@pytest.mark.parametrize(
    "box, side",
    [
        # The image's left half is the patient's right (radiographic convention).
        ((0.2, 0.05, 0.6, 0.35), "on the patient's right"),
        ((0.2, 0.65, 0.6, 0.95), "on the patient's left"),
        ((0.3, 0.35, 0.5, 0.65), "across the midline"),
    ],
)
def test_the_side_is_the_patients(box, side):
    assert f"A nodule or mass is boxed {side}," in text([Finding(label="nodule_mass", box=box)])


def test_two_boxes_of_one_finding_on_both_sides_are_bilateral():
    boxes = [(0.6, 0.05, 0.9, 0.3), (0.6, 0.7, 0.9, 0.95)]
    points = text([Finding(label="pleural_effusion", box=b) for b in boxes])
    assert "boxed on both sides" in points and "the largest of 2 boxes" in points


@pytest.mark.parametrize(
    "share, words",
    [
        (0.03, "less than a tenth"),
        (0.11, "about a tenth"),
        (0.36, "about a third"),
        (0.52, "about half"),
        (0.7, "about two thirds"),
        (0.95, "about nearly all"),
    ],
)
def test_shares_of_the_film_in_words(share, words):
    assert share_words(share) == words


@pytest.mark.parametrize(
    "box, place",
    [
        ((0.05, 0.1, 0.3, 0.3), "in the upper third of the film"),
        ((0.7, 0.1, 0.95, 0.3), "in the lower third of the film"),
        ((0.25, 0.1, 0.69, 0.3), "from the upper to the lower third of the film"),
        ((0.4, 0.1, 0.9, 0.3), "from the middle to the lower third of the film"),
    ],
)
def test_place_is_the_thirds_of_the_film_the_box_covers(box, place):
    assert place_words(box) == place


def test_size_is_said_against_the_film_not_invented_against_a_lung():
    box = (0.2, 0.1, 0.55, 0.3)  # 35 % of the height, 20 % of the width
    assert extent_words(box) == "about a third of the film's height and about a fifth of its width"
    points = text([Finding(label="lung_opacity_consolidation", box=box)])
    assert "about a third of the film's height" in points and "lung's" not in points


def test_cardiomegaly_gives_the_heart_box_width_but_no_invented_ratio():
    points = text([Finding(label="cardiomegaly", box=(0.45, 0.25, 0.85, 0.8))])
    assert "spans about half of the film's width" in points
    assert "on the patient's" not in points  # the heart has no side


def test_other_findings_on_the_same_film_are_named_with_their_sides():
    findings = [
        Finding(label="pneumothorax", box=(0.1, 0.6, 0.5, 0.9)),
        Finding(label="nodule_mass", box=(0.3, 0.1, 0.4, 0.2)),
    ]
    points = text(findings, ["Atelectasis"], complete=False)
    assert (
        "a pneumothorax on the patient's left, a nodule or mass on the patient's right and "
        "atelectasis (outside the five)" in points
    )
    assert "satisfaction of search" in points


def test_one_finding_alone_gets_no_co_finding_point():
    assert "satisfaction of search" not in text([Finding(label="pneumothorax", box=(0, 0, 1, 0.4))])


def test_an_incomplete_reference_explains_over_calls_and_names_what_was_boxed():
    points = text([Finding(label="pleural_effusion", box=(0.6, 0.6, 0.9, 0.9))], complete=False)
    assert "only the named findings were boxed (a pleural effusion)" in points
    assert "instead of calling it an over-call" in points
    assert "incomplete" not in text([Finding(label="pleural_effusion", box=(0.6, 0.6, 0.9, 0.9))])


def test_a_film_marked_only_outside_the_five_is_not_called_normal():
    points = text([], ["Atelectasis"], complete=False)
    assert "not a normal film" in points and "Atelectasis" in points
    assert "(atelectasis)" in points  # what the incomplete reference did box
