"""Colour-coded boxes drawn over the image with PIL: a colour per flag kind, flag numbers on top.

Boxes arrive normalized (``[y0, x0, y1, x1]`` in 0..1, the project's storage convention) and are
converted to pixels here, for the size of the picture they are drawn on. Each source has its own
line style as well as its colour, so nothing relies on colour alone: reference boxes solid, model
boxes dashed, the learner's dotted (``LINE_STYLES``). A finding named by no flag is green.

Legibility rules ``draw`` keeps: boxes are drawn in layers, learner under model under reference, so
a learner box on top of a reference box never covers it; a learner box is drawn a few pixels outside
its true edges, so two matching boxes show as two outlines; captions are drawn after every line and
each is placed where it overlaps no caption already placed (reference captions first), so a flag
number is never hidden. ``boxes_for`` decides what to draw from an audit; ``draw`` only draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from cxr_auditor.core.boxes import Box, to_pixel_xyxy
from cxr_auditor.core.labels import display_name
from cxr_auditor.core.schemas import AuditResult, Finding
from cxr_auditor.ui.services.auditing import NumberedFlag, flags_of_finding, lead_flag
from cxr_auditor.ui.services.palette import REFERENCE_LAYER, colour_of, hex_to_rgb

DASH = 12
LINE_STYLES = {"reference": "solid", "model": "dashed", "learner": "dotted"}
LAYERS = {"learner": 0, "model": 1, "reference": 2}  # drawn bottom to top


@dataclass(frozen=True)
class OverlayBox:
    """One box to draw: where (normalized), in what colour, with what caption, from which source."""

    box: Box
    colour: str
    caption: str
    dashed: bool = False
    faint: bool = False
    source: str = "reference"  # reference | model | learner

    @property
    def style(self) -> str:
        """``solid``, ``dashed`` or ``dotted``: the source's line style (``dashed`` forces it)."""
        return "dashed" if self.dashed else LINE_STYLES.get(self.source, "solid")


def _caption(finding: Finding, numbers: Sequence[int]) -> str:
    prefix = ",".join(map(str, numbers))
    source = "model: " if finding.source == "model" else ""
    return f"{prefix + ' ' if prefix else ''}{source}{display_name(finding.label)}"


def boxes_for(
    result: AuditResult,
    numbered: Sequence[NumberedFlag],
    *,
    show_reference: bool = True,
    show_model: bool = True,
    reference_layer: Sequence[Finding] = (),
    focus: int | None = None,
) -> list[OverlayBox]:
    """Boxes for an audit's image findings, plus an optional reference layer not used by the audit.

    ``focus`` (a flag number) draws that flag's boxes in colour and every other box faint.
    """
    shown = {"reference": show_reference, "model": show_model, "learner": True}
    boxes = []
    for finding in result.findings:
        if finding.box is None or not shown[finding.source]:
            continue
        flags = flags_of_finding(finding, numbered)
        numbers = [n.number for n in flags]
        lead = lead_flag(flags)
        kind = lead.flag.kind if lead is not None else None
        boxes.append(
            OverlayBox(
                finding.box,
                colour_of(kind).hex,
                _caption(finding, numbers),
                dashed=finding.source == "model",
                faint=focus is not None and focus not in numbers,
                source=finding.source,
            )
        )
    if show_reference:
        for finding in reference_layer:
            if finding.box is not None:
                boxes.append(
                    OverlayBox(
                        finding.box,
                        REFERENCE_LAYER.hex,
                        f"reference: {display_name(finding.label)}",
                        faint=focus is not None,
                    )
                )
    return boxes


def load_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow built without FreeType
        return ImageFont.load_default()


def _styled_rectangle(
    draw: ImageDraw.ImageDraw,
    corners: tuple[float, float, float, float],
    colour: tuple[int, ...],
    width: int,
    style: str,
) -> None:
    """A rectangle outline, solid, dashed (long dashes) or dotted (short dots, wide gaps)."""
    if style == "solid":
        draw.rectangle(corners, outline=colour, width=width)
        return
    on, off = (DASH, DASH) if style == "dashed" else (width, 2 * width)
    x0, y0, x1, y1 = corners
    for (ax, ay), (bx, by) in (
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ):
        length = max(abs(bx - ax), abs(by - ay), 1.0)
        position = 0.0
        while position < length:
            t0, t1 = position / length, min(1.0, (position + on) / length)
            draw.line(
                [
                    (ax + (bx - ax) * t0, ay + (by - ay) * t0),
                    (ax + (bx - ax) * t1, ay + (by - ay) * t1),
                ],
                fill=colour,
                width=width,
            )
            position += on + off


def _luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = rgb
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255.0


Rect = tuple[float, float, float, float]


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _caption_place(
    corners: Rect, size: tuple[float, float], image: tuple[int, int], taken: list[Rect], below: bool
) -> Rect:
    """Where a caption of ``size`` goes: the first spot beside its box that no caption holds."""
    x0, y0, x1, y1 = corners
    w, h = size
    above_y, below_y = y0 - h - 2, y1 + 2
    rows = [below_y, above_y] if below else [above_y, below_y]
    candidates = [(x, y) for y in rows for x in (x0, x1 - w)] + [(x0 + 2, y0 + 2), (x0 + 2, y1 - h)]
    fitted = []
    for x, y in candidates:
        x = min(max(0.0, x), max(0.0, image[0] - w))
        y = min(max(0.0, y), max(0.0, image[1] - h))
        fitted.append((x, y, x + w, y + h))
    for rect in fitted:
        if not any(_overlaps(rect, other) for other in taken):
            return rect
    # Every spot near the box is taken: stack below the lowest caption that overlaps the first one.
    x, y, _, _ = fitted[0]
    while any(_overlaps((x, y, x + w, y + h), other) for other in taken) and y + h < image[1]:
        y += 1
    return (x, y, x + w, y + h)


def draw(image: Image.Image, boxes: Sequence[OverlayBox]) -> Image.Image:
    """A new RGB image with the boxes and their captions drawn on; the input is not changed."""
    canvas = image.convert("RGB")
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    side = min(canvas.size)
    width = max(2, round(side / 192))
    font = load_font(max(11, round(side / 40)))
    # Faint first, then learner under model under reference: a learner box never covers another.
    order = sorted(boxes, key=lambda b: (not b.faint, LAYERS.get(b.source, 2)))
    placed: list[tuple[OverlayBox, Rect]] = []
    for item in order:
        rgb = hex_to_rgb(item.colour)
        alpha = 110 if item.faint else 255
        x0, y0, x1, y1 = to_pixel_xyxy(item.box, canvas.width - 1, canvas.height - 1)
        if item.source == "learner":  # just outside its edges: a matching box stays visible
            grow = width + 1
            x0, y0 = max(0.0, x0 - grow), max(0.0, y0 - grow)
            x1, y1 = min(canvas.width - 1.0, x1 + grow), min(canvas.height - 1.0, y1 + grow)
        corners = (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))
        _styled_rectangle(pen, corners, (*rgb, alpha), width, item.style)
        if item.caption and not item.faint:
            placed.append((item, corners))
    taken: list[Rect] = []
    # Captions after every line, reference first: a flag number is never covered.
    for item, corners in sorted(placed, key=lambda pair: -LAYERS.get(pair[0].source, 2)):
        rgb = hex_to_rgb(item.colour)
        left, top, right, bottom = pen.textbbox((0, 0), item.caption, font=font)
        size = (right - left + 6, bottom - top + 6)
        rect = _caption_place(corners, size, canvas.size, taken, below=item.source == "learner")
        taken.append(rect)
        pen.rectangle(rect, fill=(*rgb, 235), outline=(0, 0, 0, 255), width=1)
        ink = (0, 0, 0, 255) if _luminance(rgb) > 0.55 else (255, 255, 255, 255)
        pen.text((rect[0] + 3 - left, rect[1] + 3 - top), item.caption, font=font, fill=ink)
    return Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB")
