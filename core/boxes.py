"""Boxes: normalized ``[y0, x0, y1, x1]`` in 0..1 with a top-left origin, as the grounder emits.

Other conventions enter only through the explicit converters here: the base model's 0..1000 scale,
pixel ``x, y, w, h`` (NIH) and pixel ``x0, y0, x1, y1`` (ChestX-Det, VinDr). Geometry (IoU, overlap
over box, point-in-box) and laterality live here too.

Laterality follows the radiological convention for a frontal film viewed as displayed: the patient's
right is on the image's left. So a box on the image's left half is a *right*-sided finding.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

from cxr_auditor.core.errors import BoxError

Box = tuple[float, float, float, float]
Side = Literal["left", "right", "bilateral"]

# A box is one-sided when at least this share of its width lies on one side of the midline.
ONE_SIDE_SHARE = 0.8


def validate_box(values: object, where: str = "box") -> Box:
    """Check a normalized box and return it as a tuple of floats.

    Raises BoxError naming ``where`` when it is not 4 finite numbers in [0, 1] with y1>=y0, x1>=x0.
    """
    if not isinstance(values, (list, tuple)) or len(values) != 4:
        raise BoxError(f"{where}: expected [y0, x0, y1, x1] (4 numbers), got {values!r}")
    out: list[float] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BoxError(f"{where}: {value!r} is not a number; expected [y0, x0, y1, x1] in 0..1")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number) or not 0.0 <= number <= 1.0:
            shown = value if number != math.inf else f"{str(value)[:12]}..."
            raise BoxError(f"{where}: {shown!r} is outside 0..1; expected [y0, x0, y1, x1] in 0..1")
        out.append(number)
    y0, x0, y1, x1 = out
    if y1 < y0 or x1 < x0:
        raise BoxError(f"{where}: {values!r} is inverted; expected y0<=y1 and x0<=x1")
    return (y0, x0, y1, x1)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def from_1000(values: Sequence[float]) -> Box:
    """Convert a ``[y0, x0, y1, x1]`` box on the 0..1000 scale to 0..1."""
    if len(values) != 4:
        raise BoxError(f"0..1000 box: expected 4 numbers, got {list(values)!r}")
    return validate_box([v / 1000.0 for v in values], "0..1000 box")


def to_1000(box: Box) -> tuple[int, int, int, int]:
    """Convert a normalized box to integers on the 0..1000 scale."""
    y0, x0, y1, x1 = box
    return (round(y0 * 1000), round(x0 * 1000), round(y1 * 1000), round(x1 * 1000))


def _check_size(width: float, height: float) -> None:
    if not (width > 0 and height > 0):
        raise BoxError(f"image size must be positive, got width={width!r}, height={height!r}")


def from_pixel_xyxy(x0: float, y0: float, x1: float, y1: float, width: float, height: float) -> Box:
    """Pixel corners (top-left, bottom-right) to a normalized box, clamped into the image."""
    _check_size(width, height)
    if x1 < x0 or y1 < y0:
        raise BoxError(f"pixel box ({x0}, {y0}, {x1}, {y1}) is inverted; expected x0<=x1, y0<=y1")
    return (_clamp(y0 / height), _clamp(x0 / width), _clamp(y1 / height), _clamp(x1 / width))


def from_pixel_xywh(x: float, y: float, w: float, h: float, width: float, height: float) -> Box:
    """Pixel ``x, y, w, h`` (NIH BBox_List_2017) to a normalized box, clamped into the image."""
    if w < 0 or h < 0:
        raise BoxError(f"pixel box x={x}, y={y}, w={w}, h={h} has a negative size")
    return from_pixel_xyxy(x, y, x + w, y + h, width, height)


def to_pixel_xyxy(box: Box, width: float, height: float) -> tuple[float, float, float, float]:
    """Normalized box to pixel corners ``(x0, y0, x1, y1)``."""
    _check_size(width, height)
    y0, x0, y1, x1 = box
    return (x0 * width, y0 * height, x1 * width, y1 * height)


def to_pixel_xywh(box: Box, width: float, height: float) -> tuple[float, float, float, float]:
    """Normalized box to pixel ``(x, y, w, h)``."""
    x0, y0, x1, y1 = to_pixel_xyxy(box, width, height)
    return (x0, y0, x1 - x0, y1 - y0)


def area(box: Box) -> float:
    y0, x0, y1, x1 = box
    return max(0.0, y1 - y0) * max(0.0, x1 - x0)


def intersection(a: Box, b: Box) -> float:
    """Area shared by two boxes (0 when they only touch)."""
    h = min(a[2], b[2]) - max(a[0], b[0])
    w = min(a[3], b[3]) - max(a[1], b[1])
    return h * w if h > 0 and w > 0 else 0.0


def iou(a: Box, b: Box) -> float:
    """Intersection over union; 0 for zero-area boxes or no overlap."""
    inter = intersection(a, b)
    union = area(a) + area(b) - inter
    return inter / union if union > 0 else 0.0


def overlap_over_box(box: Box, reference: Box) -> float:
    """Share of ``box``'s area that lies inside ``reference`` (0 when ``box`` has no area).

    Useful where a reference box is loose (an effusion, a pneumothorax): a small learner box inside
    it scores 1 even though its IoU is low.
    """
    own = area(box)
    return intersection(box, reference) / own if own > 0 else 0.0


def center(box: Box) -> tuple[float, float]:
    """``(y, x)`` of the box's center."""
    y0, x0, y1, x1 = box
    return ((y0 + y1) / 2.0, (x0 + x1) / 2.0)


def point_in_box(point: tuple[float, float], box: Box) -> bool:
    """Whether ``(y, x)`` lies in the box, edges included."""
    y, x = point
    return box[0] <= y <= box[2] and box[1] <= x <= box[3]


def box_side(box: Box, share: float = ONE_SIDE_SHARE) -> Literal["left", "right"] | None:
    """Patient side of a box on a frontal film (radiological convention), or None at the midline.

    Image-left is the patient's right. A box is one-sided when at least ``share`` of its width lies
    in one half; a zero-width box takes the side of its x. A box across the midline (the heart, a
    central mass) has no side.
    """
    _, x0, _, x1 = box
    width = x1 - x0
    if width <= 0:
        return None if x0 == 0.5 else ("right" if x0 < 0.5 else "left")
    on_image_left = max(0.0, min(x1, 0.5) - x0) / width
    if on_image_left >= share:
        return "right"
    if 1.0 - on_image_left >= share:
        return "left"
    return None


def sides_of(boxes: Iterable[Box]) -> Side | None:
    """Combined patient side of several boxes of one finding: one side, bilateral, or None."""
    sides = {box_side(box) for box in boxes} - {None}
    if not sides:
        return None
    if len(sides) == 2:
        return "bilateral"
    return sides.pop()
