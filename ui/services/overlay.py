"""Colour-coded boxes drawn over the image with PIL: a colour per flag kind, flag numbers on top.

Boxes arrive normalized (``[y0, x0, y1, x1]`` in 0..1, the project's storage convention) and are
converted to pixels here, for the size of the picture they are drawn on. Reference boxes are solid,
model boxes dashed; a finding named by no flag is green. ``boxes_for`` decides what to draw from an
audit; ``draw`` only draws. Nothing here decides what is on the image.
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


@dataclass(frozen=True)
class OverlayBox:
    """One box to draw: where (normalized), in what colour, with what caption."""

    box: Box
    colour: str
    caption: str
    dashed: bool = False
    faint: bool = False


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


def _dashed_rectangle(
    draw: ImageDraw.ImageDraw,
    corners: tuple[float, float, float, float],
    colour: tuple[int, ...],
    width: int,
) -> None:
    x0, y0, x1, y1 = corners
    for (ax, ay), (bx, by) in (
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ):
        length = max(abs(bx - ax), abs(by - ay))
        steps = max(1, int(length // DASH))
        for step in range(0, steps, 2):
            t0, t1 = step / steps, min(1.0, (step + 1) / steps)
            draw.line(
                [
                    (ax + (bx - ax) * t0, ay + (by - ay) * t0),
                    (ax + (bx - ax) * t1, ay + (by - ay) * t1),
                ],
                fill=colour,
                width=width,
            )


def _luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = rgb
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255.0


def draw(image: Image.Image, boxes: Sequence[OverlayBox]) -> Image.Image:
    """A new RGB image with the boxes and their captions drawn on; the input is not changed."""
    canvas = image.convert("RGB")
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(layer)
    side = min(canvas.size)
    width = max(2, round(side / 192))
    font = load_font(max(11, round(side / 40)))
    for item in sorted(boxes, key=lambda b: not b.faint):  # faint first, colour on top
        rgb = hex_to_rgb(item.colour)
        alpha = 110 if item.faint else 255
        x0, y0, x1, y1 = to_pixel_xyxy(item.box, canvas.width - 1, canvas.height - 1)
        corners = (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))
        if item.dashed:
            _dashed_rectangle(pen, corners, (*rgb, alpha), width)
        else:
            pen.rectangle(corners, outline=(*rgb, alpha), width=width)
        if item.caption and not item.faint:
            left, top, right, bottom = pen.textbbox((0, 0), item.caption, font=font)
            text_w, text_h = right - left, bottom - top
            tx = min(max(0.0, x0), max(0.0, canvas.width - text_w - 6))
            ty = (
                y0 - text_h - 6 if y0 - text_h - 6 >= 0 else min(y1 + 2, canvas.height - text_h - 6)
            )
            pen.rectangle((tx, ty, tx + text_w + 6, ty + text_h + 6), fill=(*rgb, 230))
            ink = (0, 0, 0, 255) if _luminance(rgb) > 0.55 else (255, 255, 255, 255)
            pen.text((tx + 3 - left, ty + 3 - top), item.caption, font=font, fill=ink)
    return Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB")
