"""Box conventions, converters, geometry and laterality (radiological convention)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxr_auditor.core import boxes
from cxr_auditor.core.errors import BoxError

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def norm_boxes(draw):
    y0, y1 = sorted((draw(unit), draw(unit)))
    x0, x1 = sorted((draw(unit), draw(unit)))
    return (y0, x0, y1, x1)


@pytest.mark.parametrize(
    "value, message",
    [
        ([0.1, 0.2, 0.3], "4 numbers"),
        ([0.1, 0.2, 0.3, "x"], "not a number"),
        ([0.1, 0.2, 0.3, True], "not a number"),
        ([0.1, 0.2, 1.3, 0.4], "outside 0..1"),
        ([0.1, 0.2, float("nan"), 0.4], "outside 0..1"),
        ([0.1, 0.2, 10**400, 0.4], "outside 0..1"),
        ([0.5, 0.2, 0.3, 0.4], "inverted"),
        ("0.1,0.2,0.3,0.4", "4 numbers"),
    ],
)
def test_validate_box_rejects_with_a_clear_message(value, message):
    with pytest.raises(BoxError, match=message):
        boxes.validate_box(value, "$[0].box_2d")


def test_nih_xywh_and_back():
    # NIH row: x=256, y=512, w=512, h=256 on a 1024x1024 image.
    box = boxes.from_pixel_xywh(256, 512, 512, 256, 1024, 1024)
    assert box == (0.5, 0.25, 0.75, 0.75)
    assert boxes.to_pixel_xywh(box, 1024, 1024) == (256, 512, 512, 256)


def test_pixel_xyxy_non_square_and_clamping():
    assert boxes.to_pixel_xyxy((0.1, 0.2, 0.3, 0.4), 1000, 2000) == (200, 200, 400, 600)
    assert boxes.from_pixel_xyxy(-5, -5, 1005, 2005, 1000, 2000) == (0.0, 0.0, 1.0, 1.0)
    with pytest.raises(BoxError, match="positive"):
        boxes.from_pixel_xyxy(0, 0, 1, 1, 0, 10)
    with pytest.raises(BoxError, match="inverted"):
        boxes.from_pixel_xyxy(5, 0, 1, 1, 10, 10)


def test_scale_1000_round_trip():
    assert boxes.from_1000([100, 200, 300, 400]) == (0.1, 0.2, 0.3, 0.4)
    assert boxes.to_1000((0.1, 0.2, 0.3, 0.4)) == (100, 200, 300, 400)
    with pytest.raises(BoxError):
        boxes.from_1000([100, 200, 3000, 400])


def test_hand_computed_geometry():
    a, b = (0.0, 0.0, 0.5, 0.5), (0.25, 0.25, 0.75, 0.75)
    assert boxes.iou(a, b) == pytest.approx(1 / 7)
    assert boxes.overlap_over_box((0.3, 0.3, 0.4, 0.4), b) == 1.0
    assert boxes.overlap_over_box(a, b) == pytest.approx(0.25)
    assert boxes.iou(a, (0.5, 0.5, 1.0, 1.0)) == 0.0  # touching edges share no area
    assert boxes.iou((0.2, 0.2, 0.2, 0.4), (0.2, 0.2, 0.2, 0.4)) == 0.0  # zero area
    assert boxes.point_in_box((0.5, 0.5), b) and not boxes.point_in_box((0.9, 0.5), b)


@pytest.mark.parametrize(
    "box, side",
    [
        ((0.6, 0.05, 0.9, 0.40), "right"),  # image-left = patient right
        ((0.6, 0.60, 0.9, 0.95), "left"),
        ((0.4, 0.30, 0.8, 0.75), None),  # heart across the midline
        ((0.3, 0.45, 0.4, 0.52), None),  # small central box split by the midline
        ((0.3, 0.41, 0.4, 0.51), "right"),  # 90% of its width on image-left
        ((0.3, 0.30, 0.4, 0.30), "right"),  # zero width takes the side of its x
    ],
)
def test_box_side_radiological_convention(box, side):
    assert boxes.box_side(box) == side


def test_sides_of_several_boxes():
    right, left, mid = (0, 0.1, 0.2, 0.3), (0, 0.7, 0.2, 0.9), (0, 0.3, 0.2, 0.7)
    assert boxes.sides_of([right, left]) == "bilateral"
    assert boxes.sides_of([right, mid]) == "right"
    assert boxes.sides_of([mid]) is None
    assert boxes.sides_of([]) is None


@given(norm_boxes(), norm_boxes())
def test_iou_is_symmetric_and_bounded(a, b):
    value = boxes.iou(a, b)
    assert 0.0 <= value <= 1.0
    assert math.isclose(value, boxes.iou(b, a), abs_tol=1e-12)


@given(norm_boxes())
def test_iou_with_itself_is_one_when_it_has_area(box):
    assert boxes.iou(box, box) == (pytest.approx(1.0) if boxes.area(box) > 0 else 0.0)


@given(norm_boxes(), norm_boxes())
def test_overlap_over_box_bounds_iou(a, b):
    assert boxes.overlap_over_box(a, b) + 1e-12 >= boxes.iou(a, b)
    assert 0.0 <= boxes.overlap_over_box(a, b) <= 1.0 + 1e-12


@given(
    norm_boxes(), st.integers(min_value=1, max_value=4096), st.integers(min_value=1, max_value=4096)
)
def test_pixel_round_trip(box, width, height):
    back = boxes.from_pixel_xyxy(*boxes.to_pixel_xyxy(box, width, height), width, height)
    assert all(math.isclose(u, v, abs_tol=1e-9) for u, v in zip(back, box))


@given(norm_boxes())
def test_mirroring_swaps_the_side(box):
    y0, x0, y1, x1 = box
    mirrored = (y0, 1.0 - x1, y1, 1.0 - x0)
    swap = {"left": "right", "right": "left", None: None}
    assert boxes.box_side(mirrored) == swap[boxes.box_side(box)]


@given(norm_boxes())
def test_center_lies_in_its_box(box):
    assert boxes.point_in_box(boxes.center(box), box)
