"""An uploaded file (PNG, JPEG or DICOM) to a display-ready picture, with one-line errors.

PNG and JPEG go through ``images.load_image``; DICOM through ``dicom.read_dicom`` and the chosen
window. The picture handed to the page is at most ``DISPLAY_MAX_SIDE`` pixels on its long side
(boxes are normalized, so nothing else changes). ``digest`` identifies the image in an audit: the
SHA-256 of the file for PNG/JPEG, of the pixel values for DICOM (the file's bytes include its
header, which may identify the patient). ``check_case_image`` checks that a case's stored image is a
PNG or JPEG of the size its ``case.json`` gives (case editor, bundles). Nothing is written anywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from cxr_auditor.core.case_format import Case
from cxr_auditor.serving.dicom import DicomPicture, Window, looks_like_dicom, read_dicom, render
from cxr_auditor.serving.image_files import MAX_BYTES, ImageError, load_image

DISPLAY_MAX_SIDE = 1024
UPLOAD_TYPES = ("png", "jpg", "jpeg", "dcm", "dicom")
CASE_IMAGE_MAX_SIDE = 2048  # a case image is web-sized; the editor writes 768 px
CASE_IMAGE_MAX_BYTES = 8 * 1024 * 1024  # a web-sized case image is ~100 kB
CASE_IMAGE_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}


@dataclass(frozen=True)
class Picture:
    """An image ready to show and audit; ``dicom`` is set for DICOM uploads (for windowing)."""

    image: Image.Image
    kind: str  # "PNG", "JPEG" or "DICOM"
    digest: str
    original_size: tuple[int, int]
    dicom: DicomPicture | None = None


def fit(image: Image.Image, max_side: int = DISPLAY_MAX_SIDE) -> Image.Image:
    """A copy no larger than ``max_side`` on its long side (never enlarged)."""
    scale = max_side / max(image.size)
    if scale >= 1:
        return image.copy()
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def png_bytes(image: Image.Image) -> bytes:
    """PNG encoding of a picture (what a model server is sent for an upload)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def decode_upload(data: bytes, name: str = "upload", max_bytes: int = MAX_BYTES) -> Picture:
    """Decode an upload; ImageError with one line when it cannot be used."""
    if not data:
        raise ImageError(f"{name}: the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ImageError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB limit"
        )
    if looks_like_dicom(data, name):
        picture = read_dicom(data, name, max_bytes)
        return Picture(
            fit(render(picture)),
            "DICOM",
            picture.pixel_sha256,
            (picture.width, picture.height),
            picture,
        )
    loaded = load_image(data, name, max_bytes)
    return Picture(
        fit(loaded.image), loaded.source_format, loaded.sha256, (loaded.width, loaded.height)
    )


def rewindow(picture: Picture, window: Window) -> Picture:
    """The same DICOM picture shown through another window (PNG/JPEG come back unchanged)."""
    if picture.dicom is None:
        return picture
    return Picture(
        fit(render(picture.dicom, window)),
        picture.kind,
        picture.digest,
        picture.original_size,
        picture.dicom,
    )


def check_case_image(
    case: Case, data: bytes, max_bytes: int = CASE_IMAGE_MAX_BYTES, where: str = "image"
) -> None:
    """ImageError (one line) unless ``data`` is a PNG or JPEG matching ``case``: its file name's
    suffix, its width and height, at most ``CASE_IMAGE_MAX_SIDE`` on its long side. The size in the
    image's header is compared first, so an oversized image is refused before it is decoded."""
    if max(case.width, case.height) > CASE_IMAGE_MAX_SIDE:
        raise ImageError(
            f"{where}: {case.width}x{case.height} pixels is over the web size "
            f"({CASE_IMAGE_MAX_SIDE} px on the long side)"
        )
    if len(data) > max_bytes:
        raise ImageError(
            f"{where}: {len(data) / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB limit"
        )
    try:
        with Image.open(io.BytesIO(data)) as header:  # reads the header only
            declared, kind = header.size, header.format
    except Exception:
        raise ImageError(f"{where}: not a PNG or JPEG image") from None
    suffixes = CASE_IMAGE_FORMATS.get(kind or "")
    if suffixes is None or not case.image.lower().endswith(suffixes):
        raise ImageError(
            f"{where}: a {kind} image cannot be named {case.image!r}; "
            "a case image is a JPEG (.jpg, .jpeg) or a PNG (.png)"
        )
    if declared != (case.width, case.height):
        raise ImageError(
            f"{where}: the image is {declared[0]}x{declared[1]} pixels but case.json gives "
            f"width {case.width} and height {case.height}"
        )
    load_image(data, where, max_bytes)  # decodes completely: a corrupt or truncated file fails
