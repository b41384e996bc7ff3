"""What the learner can download: the audit as JSON and the annotated image as PNG.

Both carry the disclaimer (a top-level JSON field; a strip under the image plus a PNG text chunk)
and, for a library case, the image's source, license and attribution. An upload's file name is never
written (it may identify a patient); the image is identified by its digest only.
"""

from __future__ import annotations

import io
import json
import textwrap
from typing import Any

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from cxr_auditor.core.case_format import Case
from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.core.schemas import AuditResult
from cxr_auditor.ui.services.overlay import load_font


def provenance(case: Case | None, image_kind: str) -> dict[str, Any]:
    """Where the audited image came from: the case's source and license, or "upload"."""
    if case is None:
        return {"kind": "upload", "format": image_kind}
    return {
        "kind": "case",
        "case_id": case.id,
        "dataset": case.source.name,
        "original_file": case.original.file,
        "license": case.source.license,
        "attribution": case.source.attribution,
        "url": case.source.url,
        "reference_complete": case.reference_complete,
        "reference_scope": case.source.reference_scope,
    }


def audit_json(result: AuditResult, image_provenance: dict[str, Any]) -> bytes:
    """The export document: disclaimer first, then the image's provenance, then the AuditResult."""
    document = {
        "disclaimer": DISCLAIMER,
        "image": image_provenance,
        "audit": result.model_dump(mode="json"),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def footer_lines(image_provenance: dict[str, Any]) -> list[str]:
    lines = [DISCLAIMER]
    if image_provenance.get("kind") == "case":
        lines.append(f"Source: {image_provenance['attribution']}")
    return lines


def with_footer(image: Image.Image, lines: list[str]) -> Image.Image:
    """The image with a white strip underneath holding ``lines``, wrapped to the image width."""
    font = load_font(max(11, round(image.width / 64)))
    probe = ImageDraw.Draw(image)
    char_w = max(1.0, probe.textlength("abcdefghij", font=font) / 10)
    per_line = max(20, int((image.width - 16) / char_w))
    wrapped = [part for line in lines for part in textwrap.wrap(line, per_line)]
    _, top, _, bottom = probe.textbbox((0, 0), "Ag", font=font)
    line_h = int(bottom - top) + 4  # font boxes are whole pixels already (int() only types it)
    strip = 12 + line_h * len(wrapped)
    out = Image.new("RGB", (image.width, image.height + strip), "white")
    out.paste(image.convert("RGB"), (0, 0))
    pen = ImageDraw.Draw(out)
    for index, line in enumerate(wrapped):
        pen.text((8, image.height + 6 + index * line_h - top), line, font=font, fill="black")
    return out


def annotated_png(image: Image.Image, image_provenance: dict[str, Any]) -> bytes:
    """PNG bytes of the annotated image with the disclaimer strip and text chunks."""
    info = PngInfo()
    info.add_text("Disclaimer", DISCLAIMER)
    if image_provenance.get("kind") == "case":
        info.add_text("Source", str(image_provenance["attribution"]))
        info.add_text("License", str(image_provenance["license"]))
    buffer = io.BytesIO()
    with_footer(image, footer_lines(image_provenance)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()
