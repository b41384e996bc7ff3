"""Boxes on the image: colour by flag kind, toggles, focus, normalized boxes placed in pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.core.audit import FunctionReader, reference_read, run_audit
from cxr_auditor.core.schemas import Finding, Mention, ParseAccount, ReaderIdentity
from cxr_auditor.ui.services.auditing import numbered_flags
from cxr_auditor.ui.services.overlay import OverlayBox, boxes_for, draw
from cxr_auditor.ui.services.palette import AGREED, FLAG_COLOURS, REFERENCE_LAYER, hex_to_rgb

PARSER = ReaderIdentity(role="parser", kind="rules", name="table")
RIGHT_PTX = Finding(label="pneumothorax", box=(0.05, 0.10, 0.35, 0.40))
LEFT_EFFUSION = Finding(label="pleural_effusion", box=(0.60, 0.60, 0.90, 0.95))
HEART = Finding(label="cardiomegaly", box=(0.45, 0.30, 0.80, 0.75))


def audit(draft: str, mentions: list[Mention], findings: list[Finding]):
    reader = FunctionReader(PARSER, lambda text: (mentions, ParseAccount()))
    return run_audit(draft, reference_read(findings), reader)


def said(label: str, status: str = "present", side=None) -> Mention:
    return Mention(label=label, status=status, text=label, laterality=side)


@pytest.mark.parametrize(
    "case, mentions, findings, colour",
    [
        ("missed pneumothorax: urgent", [], [RIGHT_PTX], FLAG_COLOURS["URGENT"].hex),
        ("missed effusion", [said("no_finding")], [LEFT_EFFUSION], FLAG_COLOURS["MISSING"].hex),
        (
            "effusion on the wrong side",
            [said("pleural_effusion", side="right")],
            [LEFT_EFFUSION],
            FLAG_COLOURS["LATERALITY"].hex,
        ),
        (
            "pneumothorax reported on the right side",
            [said("pneumothorax", side="right")],
            [RIGHT_PTX],
            FLAG_COLOURS["URGENT"].hex,
        ),
        ("cardiomegaly reported: agreed", [said("cardiomegaly")], [HEART], AGREED.hex),
    ],
)
def test_box_colour_follows_the_lead_flag(case, mentions, findings, colour):
    result = audit("draft", mentions, findings)
    (box,) = boxes_for(result, numbered_flags(result.flags))
    assert box.colour == colour and not box.dashed


def test_caption_carries_the_flag_numbers():
    result = audit("draft", [said("no_finding")], [RIGHT_PTX])
    numbered = numbered_flags(result.flags)
    (box,) = boxes_for(result, numbered)
    assert box.caption.startswith(",".join(str(n.number) for n in numbered) + " ")
    assert "Pneumothorax" in box.caption


def test_toggles_hide_reference_and_model_boxes():
    model = RIGHT_PTX.model_copy(update={"source": "model"})
    result = audit("draft", [], [HEART, model])
    numbered = numbered_flags(result.flags)
    both = boxes_for(result, numbered)
    assert [b.dashed for b in both] == [False, True]  # model boxes are dashed
    assert len(boxes_for(result, numbered, show_model=False)) == 1
    assert [b.dashed for b in boxes_for(result, numbered, show_reference=False)] == [True]


def test_reference_layer_is_drawn_grey_and_follows_the_reference_toggle():
    result = audit("draft", [], [RIGHT_PTX.model_copy(update={"source": "model"})])
    numbered = numbered_flags(result.flags)
    with_layer = boxes_for(result, numbered, reference_layer=[HEART])
    assert with_layer[-1].colour == REFERENCE_LAYER.hex and "reference" in with_layer[-1].caption
    assert len(boxes_for(result, numbered, reference_layer=[HEART], show_reference=False)) == 1


def test_focus_leaves_other_boxes_faint():
    result = audit("draft", [said("cardiomegaly")], [RIGHT_PTX, HEART])
    numbered = numbered_flags(result.flags)
    ptx_flag = numbered[0].number
    boxes = boxes_for(result, numbered, focus=ptx_flag)
    assert [b.faint for b in boxes] == [False, True]


@pytest.mark.parametrize(
    "size, box, corner",
    [
        ((200, 100), (0.2, 0.25, 0.8, 0.75), (50, 20)),  # (x, y) of the top-left corner in pixels
        ((100, 200), (0.5, 0.1, 0.9, 0.6), (10, 100)),
    ],
)
def test_normalized_boxes_land_on_the_right_pixels(size, box, corner):
    image = Image.new("L", size, 0)
    out = draw(image, [OverlayBox(box, "#FF0000", "")])
    pixels = np.asarray(out)
    x, y = corner
    assert tuple(pixels[y, x]) == hex_to_rgb("#FF0000")  # the corner is on the outline
    assert tuple(pixels[y + 4, x + 4]) == (0, 0, 0)  # inside the box: untouched
    assert tuple(pixels[y - 3, x - 3]) == (0, 0, 0)  # outside: untouched
    assert out.size == size and out.mode == "RGB"


def test_draw_does_not_change_the_input_and_writes_captions():
    image = Image.new("L", (300, 300), 40)
    before = image.tobytes()
    out = draw(image, [OverlayBox((0.4, 0.4, 0.6, 0.6), "#21C354", "1 Pneumothorax")])
    assert image.tobytes() == before
    caption_area = np.asarray(out)[90:120, 120:200].astype(int)  # above the box's top-left
    close = (np.abs(caption_area - hex_to_rgb("#21C354")) <= 25).all(axis=-1)
    assert close.sum() > 200  # the caption's label background


def test_dashed_boxes_leave_gaps():
    out = np.asarray(
        draw(
            Image.new("L", (400, 400), 0),
            [OverlayBox((0.25, 0.25, 0.75, 0.75), "#FF0000", "", dashed=True)],
        )
    )
    top_edge = out[100, 100:300]
    red = (top_edge == hex_to_rgb("#FF0000")).all(axis=-1)
    assert red.any() and not red.all()
