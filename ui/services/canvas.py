"""The learner's drawing canvas: its size, its background, and its boxes as normalized findings.

``streamlit-drawable-canvas`` (``labeled_rect`` mode, ``background_image_fit="stretch"``) returns
Fabric.js objects in canvas pixels. ``read_drawing`` turns them into ``Finding(source="learner")``
with normalized ``[y0, x0, y1, x1]`` boxes: the scale a resized box carries is applied, centre
origins are handled, boxes dragged past an edge are clipped to the image, and boxes too small to be
meant (a click) or without a usable label are left out with a reason the page shows. The canvas is
sized to the image's aspect ratio, so dividing by the canvas size normalizes exactly.

This module does not render: the page calls ``st_canvas`` with what ``canvas_size`` and
``background_jpeg`` give it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from cxr_auditor.core.boxes import from_pixel_xyxy
from cxr_auditor.core.labels import POSITIVE_LABELS, Label, display_name
from cxr_auditor.core.schemas import Finding

CANVAS_WIDTH = 480
MIN_BOX_PX = 4
_ORIGIN = {"left": 0.0, "top": 0.0, "center": 0.5, "right": 1.0, "bottom": 1.0}
BOX_TYPES = ("labeledrect", "rect")


def chip(label: str) -> str:
    """The text stamped on a drawn box: the label's display name."""
    return display_name(label)


LABEL_OF_CHIP: dict[str, Label] = {chip(label): label for label in POSITIVE_LABELS} | {
    label: label for label in POSITIVE_LABELS
}


@dataclass
class DrawingRead:
    """The drawn boxes that count, and why any others were left out."""

    boxes: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def canvas_size(width: int, height: int, max_width: int = CANVAS_WIDTH) -> tuple[int, int]:
    """Canvas ``(width, height)`` with the image's aspect ratio and at most ``max_width`` wide."""
    scale = min(1.0, max_width / width)
    return max(1, round(width * scale)), max(1, round(height * scale))


def background_jpeg(image_bytes: bytes, size: tuple[int, int], quality: int = 85) -> bytes:
    """The image resized to the canvas, as JPEG bytes (small enough to send on every page load)."""
    with Image.open(io.BytesIO(image_bytes)) as image:
        resized = image.convert("L").resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    resized.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _number(value: Any, default: float) -> float:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    )


def read_drawing(json_data: Mapping[str, Any] | None, width: int, height: int) -> DrawingRead:
    """The labeled boxes of a canvas drawing, normalized to the image (see the module docstring)."""
    read = DrawingRead()
    objects = (json_data or {}).get("objects") or []
    number = 0
    for obj in objects:
        if not isinstance(obj, Mapping) or str(obj.get("type", "")).lower() not in BOX_TYPES:
            continue
        number += 1
        w = _number(obj.get("width"), 0.0) * abs(_number(obj.get("scaleX"), 1.0))
        h = _number(obj.get("height"), 0.0) * abs(_number(obj.get("scaleY"), 1.0))
        left = _number(obj.get("left"), 0.0) - _ORIGIN.get(str(obj.get("originX")), 0.0) * w
        top = _number(obj.get("top"), 0.0) - _ORIGIN.get(str(obj.get("originY")), 0.0) * h
        x0, y0 = max(0.0, left), max(0.0, top)
        x1, y1 = min(float(width), left + w), min(float(height), top + h)
        label = LABEL_OF_CHIP.get(str(obj.get("label", "")).strip())
        if label is None:
            read.problems.append(
                f"Box {number} has no finding label, so it is not scored: delete it and draw it "
                "again after choosing the finding."
            )
            continue
        if x1 - x0 < MIN_BOX_PX or y1 - y0 < MIN_BOX_PX:
            read.problems.append(
                f"Box {number} ({chip(label)}) is smaller than {MIN_BOX_PX} px or outside the "
                "image, so it is taken as a stray click and not scored."
            )
            continue
        box = from_pixel_xyxy(x0, y0, x1, y1, width, height)
        read.boxes.append(
            Finding(id=f"l{len(read.boxes) + 1}", label=label, box=box, source="learner")
        )
    return read


def boxes_json(boxes: list[Finding]) -> list[dict[str, Any]]:
    """Learner boxes as stored: ``{"id", "label", "box_2d"}`` (normalized ``[y0, x0, y1, x1]``)."""
    return [
        {"id": f.id, "label": f.label, "box_2d": [round(v, 6) for v in f.box or ()]} for f in boxes
    ]


def boxes_from_json(items: list[dict[str, Any]]) -> list[Finding]:
    """Stored learner boxes back as findings."""
    return [
        Finding(
            id=item.get("id", f"l{k}"),
            label=item["label"],
            box=tuple(item["box_2d"]),
            source="learner",
        )
        for k, item in enumerate(items, 1)
    ]
