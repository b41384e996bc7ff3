"""Reading uploaded or on-disk images into a display-ready picture, with clear errors.

Accepts PNG (8- or 16-bit; gray, gray+alpha, RGB, RGBA, palette) and JPEG. Everything else, and every
file that is empty, truncated, corrupt, too large or a decompression bomb, raises ImageError with one
line that says what is wrong. It never changes the source bytes; the SHA-256 of those bytes is what
the audit records.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 6000x6000 film is fine; a bomb is not
ALLOWED_FORMATS = ("PNG", "JPEG")


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


def _to_8bit(picture: Image.Image) -> Image.Image:
    """Scale a 16-bit or 32-bit integer image to 8 bits by its own range (a window of min..max)."""
    pixels = np.asarray(picture, dtype=np.float64)
    low, high = float(pixels.min()), float(pixels.max())
    if high <= low:
        return Image.fromarray(np.zeros(pixels.shape, dtype=np.uint8), mode="L")
    scaled = np.round((pixels - low) * (255.0 / (high - low)))
    return Image.fromarray(scaled.astype(np.uint8), mode="L")


def _normalize_mode(picture: Image.Image) -> Image.Image:
    mode = picture.mode
    if mode in ("L", "RGB"):
        return picture
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _to_8bit(picture if mode != "F" else picture.convert("I"))
    if mode == "LA":
        return picture.convert("L")
    if mode in ("1", "P", "RGBA", "CMYK", "YCbCr", "LAB", "HSV", "PA", "RGBX"):
        return picture.convert("RGB")
    raise ImageError(f"unsupported pixel mode {mode!r}; expected gray or RGB images")


def load_image(data: bytes, name: str = "image", max_bytes: int = MAX_BYTES) -> LoadedImage:
    """Decode image bytes; raise ImageError naming ``name`` and the reason when it cannot be used."""
    if not data:
        raise ImageError(f"{name}: the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ImageError(f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.format not in ALLOWED_FORMATS:
                raise ImageError(
                    f"{name}: {picture.format or 'unknown'} images are not accepted; "
                    f"allowed: {', '.join(ALLOWED_FORMATS)}"
                )
            if picture.width * picture.height > MAX_PIXELS:
                raise ImageError(f"{name}: {picture.width}x{picture.height} pixels is over the "
                                 f"{MAX_PIXELS:,}-pixel limit")
            picture.load()
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError(f"{name}: not a readable image (expected PNG or JPEG)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"{name}: refused as a possible decompression bomb") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError(f"{name}: the image is corrupt or truncated ({error})") from None
    source_format, source_mode = str(picture.format), picture.mode
    picture = _normalize_mode(picture)
    return LoadedImage(picture, picture.width, picture.height, source_format, source_mode,
                       hashlib.sha256(data).hexdigest())
