"""The feedback image stays legible: a line style per source, nothing hidden, picture = text.

Issue 14, item 6: a matching learner box hid the reference box and its number, the blue "wrong
side" reference box and the cyan learner box looked alike; item 5: the image said "over-call"
where the text said "not judged". These draw real overlays and read the pixels back.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.schemas import Finding
from cxr_auditor.serving.readers import make_readers
from cxr_auditor.ui.services import attempts
from cxr_auditor.ui.services.overlay import OverlayBox, draw
from cxr_auditor.ui.services.palette import FLAG_COLOURS, LEARNER, MODEL, hex_to_rgb

SIZE = 400
BOX = (0.25, 0.25, 0.75, 0.75)  # y0, x0, y1, x1
WRONG_SIDE = FLAG_COLOURS["LATERALITY"].hex
RIGHT_PTX = "nih-00005140_001"  # reference incomplete: labels it does not name are not judged


def mask(image: Image.Image, colour: str, tolerance: int = 30) -> np.ndarray:
    pixels = np.asarray(image).astype(int)
    return (np.abs(pixels - hex_to_rgb(colour)) <= tolerance).all(axis=-1)


def runs(line: np.ndarray) -> list[int]:
    """Lengths of the coloured runs along a line of booleans."""
    lengths, count = [], 0
    for on in line:
        if on:
            count += 1
        elif count:
            lengths.append(count)
            count = 0
    return lengths + ([count] if count else [])


def edge(source: str, colour: str, dashed: bool = False) -> np.ndarray:
    out = draw(
        Image.new("L", (SIZE, SIZE), 0),
        [OverlayBox(BOX, colour, "", dashed=dashed, source=source)],
    )
    row = round(0.25 * (SIZE - 1)) - (3 if source == "learner" else 0)
    painted = mask(out, colour)
    return painted[row - 1 : row + 2, 110:290].any(axis=0)


def test_each_source_has_its_own_line_style_not_only_its_colour():
    solid = runs(edge("reference", "#FFFFFF"))
    dashed = runs(edge("model", "#FFFFFF", dashed=True))
    dotted = runs(edge("learner", "#FFFFFF"))
    assert len(solid) == 1  # one unbroken line
    assert len(dashed) > 3 and len(dotted) > len(dashed)  # dots are more, and shorter, than dashes
    assert max(dotted) < min(dashed[1:-1])


def test_a_matching_learner_box_leaves_the_reference_box_and_its_number_visible():
    reference = OverlayBox(BOX, WRONG_SIDE, "1 Pneumothorax", source="reference")
    learner = OverlayBox(BOX, LEARNER.hex, "you 1: Pneumothorax (found)", source="learner")
    alone = draw(Image.new("L", (SIZE, SIZE), 0), [reference])
    both = draw(Image.new("L", (SIZE, SIZE), 0), [learner, reference])
    # The reference outline and caption keep every pixel they had when drawn alone.
    assert (mask(alone, WRONG_SIDE) & ~mask(both, WRONG_SIDE)).sum() == 0
    # And the learner's box is still seen, just outside the reference box.
    assert mask(both, LEARNER.hex).sum() > 200


def test_captions_of_boxes_in_the_same_place_never_overlap():
    boxes = [
        OverlayBox(BOX, WRONG_SIDE, "1,2 Pneumothorax", source="reference"),
        OverlayBox(BOX, MODEL.hex, "model: Pneumothorax", dashed=True, source="model"),
        OverlayBox(BOX, LEARNER.hex, "you 1: Pneumothorax (wrong side)", source="learner"),
    ]
    out = draw(Image.new("L", (SIZE, SIZE), 0), boxes)
    for box in boxes:  # each caption's fill is still there in full, in its own colour
        alone = draw(Image.new("L", (SIZE, SIZE), 0), [box])
        kept = mask(out, box.colour, 10) | ~mask(alone, box.colour, 10)
        assert kept.mean() > 0.995, box.caption


def test_the_learner_box_and_the_wrong_side_reference_box_look_different():
    learner, wrong = np.array(hex_to_rgb(LEARNER.hex)), np.array(hex_to_rgb(WRONG_SIDE))
    assert np.abs(learner - wrong).sum() > 250  # far apart in colour (was cyan against blue)
    lightness = (learner @ [0.299, 0.587, 0.114]) - (wrong @ [0.299, 0.587, 0.114])
    assert lightness > 80  # and in lightness, which survives every kind of colour blindness
    assert runs(edge("learner", LEARNER.hex)) != runs(edge("reference", WRONG_SIDE))


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_the_picture_gives_a_box_the_same_verdict_as_the_text(library):
    nodule = Finding(label="nodule_mass", box=(0.2, 0.6, 0.3, 0.7), source="learner")
    feedback = attempts.score_attempt(
        library.get(RIGHT_PTX),
        "Right pneumothorax. Left upper nodule.",
        [nodule],
        make_readers(None),
    )
    (outcome,) = [o for o in feedback.reference.outcomes if o.learner_index == 0]
    assert not outcome.scored  # the reference does not speak about nodules
    (mine,) = attempts.overlay_boxes(feedback, show_reference=False, show_model=False)
    assert mine.caption == "you 1: Nodule / mass (not judged)"
    assert attempts.verdict(outcome) == "not judged"
