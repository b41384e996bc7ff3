"""The learner's drawing canvas: its size, its background, and its boxes as normalized findings.

The canvas (``ui.components.touch_canvas``, ``labeled_rect`` mode, background stretched) draws at
a fixed pixel size, ``canvas_size`` (the image's aspect ratio, at most ``CANVAS_WIDTH`` wide), and
CSS scales it to whatever width its column has; the browser maps each pointer position back to
canvas pixels (``display_to_canvas`` is that mapping, for tests). So the Fabric.js objects it
returns are in canvas pixels at every window width; dividing by the canvas size normalizes exactly.

``read_drawing`` turns them into ``Finding(source="learner")`` with normalized ``[y0, x0, y1, x1]``
boxes: the scale a resized box carries is applied, centre origins are handled, boxes dragged past
an edge are clipped to the image, boxes too small to be meant (a click) are left out with a reason,
and a box whose finding the learner has not chosen yet is listed as unlabelled (never given a
default label, never scored). ``without_object`` and ``relabelled`` give the drawing after a
delete or a label choice in the page's box list; ``drawing_from_boxes`` rebuilds a drawing from
stored boxes. This module does not render.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from cxr_auditor.core.boxes import Box, from_pixel_xyxy, to_pixel_xyxy
from cxr_auditor.core.labels import POSITIVE_LABELS, Label, display_name
from cxr_auditor.core.schemas import Finding

CANVAS_WIDTH = 768  # drawing pixels; the display is scaled to the column by CSS
MIN_BOX_PX = 4
_ORIGIN = {"left": 0.0, "top": 0.0, "center": 0.5, "right": 1.0, "bottom": 1.0}
BOX_TYPES = ("labeledrect", "rect")


def chip(label: str) -> str:
    """The text stamped on a drawn box: the label's display name."""
    return display_name(label)


LABEL_OF_CHIP: dict[str, Label] = {chip(label): label for label in POSITIVE_LABELS} | {
    label: label for label in POSITIVE_LABELS
}


@dataclass(frozen=True)
class DrawnBox:
    """One box on the canvas, in drawing order: its number, its Fabric object, what it counts as."""

    number: int  # 1-based, as the page lists it
    index: int  # position in the drawing's ``objects``
    label: str | None  # canonical label, None until the learner chooses one
    box: Box | None  # normalized, None for a stray click


@dataclass
class DrawingRead:
    """The drawn boxes that count, every box as drawn, and why any were left out."""

    boxes: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    drawn: list[DrawnBox] = field(default_factory=list)

    @property
    def unlabelled(self) -> list[int]:
        """Numbers of the boxes still waiting for the learner to choose their finding."""
        return [d.number for d in self.drawn if d.label is None and d.box is not None]


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
    for index, obj in enumerate(objects):
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
        if x1 - x0 < MIN_BOX_PX or y1 - y0 < MIN_BOX_PX:
            read.drawn.append(DrawnBox(number, index, label, None))
            read.problems.append(
                f"Box {number} is smaller than {MIN_BOX_PX} px or outside the image, so it is "
                "taken as a stray click and not scored: delete it."
            )
            continue
        box = from_pixel_xyxy(x0, y0, x1, y1, width, height)
        read.drawn.append(DrawnBox(number, index, label, box))
        if label is None:
            continue  # waits for the learner's choice; the page blocks Submit until then
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


def data_url(jpeg: bytes) -> str:
    """JPEG bytes as the ``data:`` URL the canvas takes as its background."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def display_to_canvas(
    x: float, y: float, display_width: float, width: int, height: int
) -> tuple[float, float]:
    """A point on the displayed canvas (CSS px from its top-left) in canvas pixels.

    The canvas keeps its aspect ratio when CSS scales it to ``display_width``; this is the mapping
    Fabric applies to every pointer event, and what the browser tests check at each window width.
    """
    scale = width / display_width
    return min(max(0.0, x * scale), float(width)), min(max(0.0, y * scale), float(height))


def _objects(json_data: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return [dict(o) for o in (json_data or {}).get("objects") or [] if isinstance(o, Mapping)]


def without_object(json_data: Mapping[str, Any] | None, index: int) -> dict[str, Any]:
    """The drawing with object ``index`` deleted (the page's per-box Delete)."""
    return {"objects": [o for k, o in enumerate(_objects(json_data)) if k != index]}


def relabelled(json_data: Mapping[str, Any] | None, index: int, label: str) -> dict[str, Any]:
    """The drawing with object ``index`` stamped with ``label`` (its chip shows it on the image)."""
    objects = _objects(json_data)
    objects[index] = {**objects[index], "type": "LabeledRect", "label": chip(label)}
    return {"objects": objects}


def drawing_from_boxes(
    boxes: Sequence[Finding], width: int, height: int, *, stroke: str, fill: str
) -> dict[str, Any]:
    """A canvas drawing holding ``boxes`` (normalized) as labelled boxes, to restore a drawing."""
    objects = []
    for finding in boxes:
        if finding.box is None:
            continue
        x0, y0, x1, y1 = to_pixel_xyxy(finding.box, width, height)
        objects.append(
            {
                "type": "LabeledRect",
                "label": chip(finding.label),
                "left": x0,
                "top": y0,
                "width": x1 - x0,
                "height": y1 - y0,
                "originX": "left",
                "originY": "top",
                "scaleX": 1,
                "scaleY": 1,
                "angle": 0,
                "stroke": stroke,
                "strokeWidth": 2,
                "fill": fill,
                "lockRotation": True,
                "strokeUniform": True,
            }
        )
    return {"objects": objects}


def where(box: Box) -> str:
    """Where a box sits on the image, in words (image left and right, not the patient's)."""
    y0, x0, y1, x1 = box
    cy, cx = (y0 + y1) / 2, (x0 + x1) / 2
    row = "upper" if cy < 1 / 3 else "middle" if cy < 2 / 3 else "lower"
    column = "left" if cx < 1 / 3 else "centre" if cx < 2 / 3 else "right"
    return f"image {row} {column}"
