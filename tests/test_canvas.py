"""Canvas drawings become normalized learner boxes: one Fabric.js object per row."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cxr_auditor.core.labels import POSITIVE_LABELS
from cxr_auditor.core.schemas import Finding
from cxr_auditor.ui.services.canvas import (
    LABEL_OF_CHIP,
    background_jpeg,
    boxes_from_json,
    boxes_json,
    canvas_size,
    chip,
    display_to_canvas,
    drawing_from_boxes,
    read_drawing,
    relabelled,
    where,
    without_object,
)

W = H = 560


def rect(**fields) -> dict:
    base = {
        "type": "LabeledRect",
        "label": chip("nodule_mass"),
        "left": 140,
        "top": 112,
        "width": 56,
        "height": 56,
        "scaleX": 1,
        "scaleY": 1,
        "originX": "left",
        "originY": "top",
    }
    return base | fields


@pytest.mark.parametrize(
    "obj, label, box",
    [
        # A nodule boxed by a plain drag.
        (rect(), "nodule_mass", (0.2, 0.25, 0.3, 0.35)),
        # The same box resized with the edit toggle: width stays, scale changes.
        (rect(width=28, height=28, scaleX=2, scaleY=2), "nodule_mass", (0.2, 0.25, 0.3, 0.35)),
        # Fabric 7 objects may carry a centre origin.
        (
            rect(left=168, top=140, originX="center", originY="center"),
            "nodule_mass",
            (0.2, 0.25, 0.3, 0.35),
        ),
        # An effusion box dragged past the bottom-right corner is clipped to the image.
        (
            rect(label=chip("pleural_effusion"), left=420, top=448, width=280, height=280),
            "pleural_effusion",
            (0.8, 0.75, 1.0, 1.0),
        ),
        # The label id itself is accepted as well as the display name.
        (rect(label="pneumothorax"), "pneumothorax", (0.2, 0.25, 0.3, 0.35)),
    ],
)
def test_a_drawn_box_becomes_a_normalized_learner_finding(obj, label, box):
    read = read_drawing({"objects": [obj]}, W, H)
    assert read.problems == []
    (finding,) = read.boxes
    assert finding.label == label and finding.source == "learner"
    assert finding.box == pytest.approx(box)


@pytest.mark.parametrize(
    "obj, problem",
    [
        (rect(width=2, height=40), "stray click"),
        (rect(left=-100, top=-100, width=50, height=50), "stray click"),
    ],
)
def test_boxes_that_cannot_be_scored_are_left_out_with_a_reason(obj, problem):
    read = read_drawing({"objects": [obj, rect()]}, W, H)
    assert len(read.boxes) == 1 and read.boxes[0].label == "nodule_mass"
    assert len(read.problems) == 1 and problem in read.problems[0]
    assert read.problems[0].startswith("Box 1 ")


@pytest.mark.parametrize(
    "obj",
    [
        rect(label=""),
        rect(label="no_finding"),
        rect(label="atelectasis"),
        {"type": "Rect", "left": 10, "top": 10, "width": 50, "height": 50},
    ],
)
def test_a_box_without_a_chosen_finding_is_never_scored_nor_given_a_default(obj):
    read = read_drawing({"objects": [obj, rect()]}, W, H)
    assert [b.label for b in read.boxes] == ["nodule_mass"]
    assert read.unlabelled == [1] and read.problems == []
    assert read.drawn[0].label is None and read.drawn[0].box is not None


@pytest.mark.parametrize(
    "json_data", [None, {}, {"objects": None}, {"objects": [{"type": "path", "path": []}, "junk"]}]
)
def test_an_empty_or_foreign_drawing_has_no_boxes(json_data):
    read = read_drawing(json_data, W, H)
    assert read.boxes == [] and read.problems == []


def test_every_drawable_label_round_trips_through_its_chip():
    assert {LABEL_OF_CHIP[chip(label)] for label in POSITIVE_LABELS} == set(POSITIVE_LABELS)
    assert "no_finding" not in LABEL_OF_CHIP.values()


@pytest.mark.parametrize(
    "size, expected",
    [
        ((768, 768), (768, 768)),
        ((1024, 768), (768, 576)),
        ((2048, 2048), (768, 768)),
        ((400, 300), (400, 300)),
    ],
)
def test_the_canvas_keeps_the_image_aspect_ratio(size, expected):
    assert canvas_size(*size) == expected


def test_the_background_is_a_canvas_sized_jpeg():
    buffer = io.BytesIO()
    Image.new("L", (768, 768), 90).save(buffer, format="PNG")
    data = background_jpeg(buffer.getvalue(), (560, 560))
    assert data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (560, 560)
    assert len(data) < len(buffer.getvalue()) * 4


def test_stored_boxes_come_back_as_the_same_findings():
    boxes = read_drawing(
        {"objects": [rect(), rect(label=chip("cardiomegaly"), left=200)]}, W, H
    ).boxes
    again = boxes_from_json(boxes_json(boxes))
    assert [(f.label, f.box) for f in again] == [
        (f.label, pytest.approx(f.box, abs=1e-5)) for f in boxes
    ]


# Column widths the image got at 390 / 768 / 1024 / 1280 / 1920 px windows (browser-measured).
COLUMNS = [358, 397, 297, 446, 820]


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("size", [(768, 768), (1024, 768)])
def test_a_box_drawn_at_any_display_width_maps_back_within_a_display_pixel(column, size):
    width, height = canvas_size(*size)
    display_h = column * height / width
    # Boxes near each edge, in display pixels (the pointer lands on whole pixels).
    for x0, y0, x1, y1 in [
        (2, 0.4 * display_h, 30, 0.5 * display_h),
        (column - 30, 0.4 * display_h, column - 1, 0.5 * display_h),
        (0.4 * column, 1, 0.5 * column, 25),
        (0.4 * column, display_h - 25, 0.5 * column, display_h - 1),
    ]:
        cx0, cy0 = display_to_canvas(round(x0), round(y0), column, width, height)
        cx1, cy1 = display_to_canvas(round(x1), round(y1), column, width, height)
        obj = rect(left=cx0, top=cy0, width=cx1 - cx0, height=cy1 - cy0)
        (finding,) = read_drawing({"objects": [obj]}, width, height).boxes
        ny0, nx0, ny1, nx1 = finding.box
        drawn = (round(x0), round(y0), round(x1), round(y1))
        back = (nx0 * column, ny0 * display_h, nx1 * column, ny1 * display_h)
        assert max(abs(a - b) for a, b in zip(back, drawn, strict=True)) <= 0.01  # display px


def test_a_point_past_the_edge_stays_on_the_image():
    assert display_to_canvas(-5, 400, 358, 768, 768) == (0.0, 768.0)


def test_stored_boxes_redraw_as_the_same_boxes():
    boxes = [Finding(label="nodule_mass", box=(0.1, 0.2, 0.3, 0.4), source="learner")]
    drawn = drawing_from_boxes(boxes, 768, 768, stroke="#FFE14D", fill="rgba(0,0,0,0)")
    (again,) = read_drawing(drawn, 768, 768).boxes
    assert again.label == "nodule_mass" and again.box == pytest.approx(boxes[0].box)


def test_delete_and_relabel_change_only_their_box():
    drawn = {"objects": [rect(label=""), rect(left=300)]}
    assert read_drawing(drawn, W, H).unlabelled == [1]
    labelled = relabelled(drawn, 0, "pneumothorax")
    assert [b.label for b in read_drawing(labelled, W, H).boxes] == ["pneumothorax", "nodule_mass"]
    left = without_object(labelled, 0)
    assert [b.label for b in read_drawing(left, W, H).boxes] == ["nodule_mass"]
    assert drawn["objects"][0]["label"] == ""  # the input drawing is not changed


def test_a_box_position_is_said_in_image_terms():
    assert where((0.0, 0.0, 0.2, 0.2)) == "image upper left"
    assert where((0.7, 0.4, 0.9, 0.6)) == "image lower centre"
