"""An uploaded file (PNG, JPEG or DICOM) to a display-ready picture, with one-line errors.

PNG and JPEG go through ``images.load_image``; DICOM through ``dicom.read_dicom`` and the chosen
window. The picture handed to the page is at most ``DISPLAY_MAX_SIDE`` pixels on its long side
(boxes are normalized, so nothing else changes). ``digest`` identifies the image in an audit: the
SHA-256 of the file for PNG/JPEG, of the pixel values for DICOM (the file's bytes include its
header, which may identify the patient). Nothing is written anywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from cxr_auditor.serving.dicom import DicomPicture, Window, looks_like_dicom, read_dicom, render
from cxr_auditor.serving.image_files import MAX_BYTES, ImageError, load_image

DISPLAY_MAX_SIDE = 1024
UPLOAD_TYPES = ("png", "jpg", "jpeg", "dcm", "dicom")


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
