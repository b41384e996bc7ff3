"""Reading uploaded or on-disk images into a display-ready picture, with clear errors.

Accepts PNG (8- or 16-bit; gray, gray+alpha, RGB, RGBA, palette) and JPEG. Everything else, and
every file that is empty, truncated, corrupt, too large or a decompression bomb, raises ImageError
with one line that says what is wrong. It never changes the source bytes; the SHA-256 of those bytes
is what the audit records.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PIL import Image

from cxr_auditor.core.errors import InputError
from cxr_auditor.serving.images import open_picture

MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 6000x6000 film is fine; a bomb is not


class ImageError(InputError):
    """An image that cannot be used, with the reason in one line."""


@dataclass(frozen=True)
class LoadedImage:
    image: Image.Image  # mode "L" or "RGB", 8-bit
    width: int
    height: int
    source_format: str
    source_mode: str
    sha256: str


def _normalize_mode(picture: Image.Image) -> Image.Image:
    mode = picture.mode
    if mode in ("L", "RGB"):
        return picture
    if mode == "LA":
        return picture.convert("L")
    if mode in ("1", "P", "RGBA", "CMYK", "YCbCr", "LAB", "HSV", "PA", "RGBX"):
        return picture.convert("RGB")
    raise ImageError(f"unsupported pixel mode {mode!r}; expected gray or RGB images")


def load_image(data: bytes, name: str = "image", max_bytes: int = MAX_BYTES) -> LoadedImage:
    """Decode image bytes; ImageError naming ``name`` and the reason when it cannot be used."""
    picture, source_format, source_mode = open_picture(
        data, max_bytes, fail=lambda reason: ImageError(f"{name}: {reason}"), max_pixels=MAX_PIXELS
    )
    picture = _normalize_mode(picture)
    return LoadedImage(
        picture,
        picture.width,
        picture.height,
        source_format,
        source_mode,
        hashlib.sha256(data).hexdigest(),
    )
