"""Decode the grounder's image input (PNG or JPEG bytes) into an 8-bit RGB picture, or say why not.

Server side of the wire: the bytes come from a Triton request, so every failure is a one-line
``RequestError`` that becomes that request's own error. 16-bit films are windowed to 8 bits by
their own min..max range (as the app's loader does). Metadata (PNG text chunks, EXIF, JPEG
comments) is dropped, since it may identify the patient: only pixels leave. It does not resize:
the model's processor does that.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable

import numpy as np
from PIL import Image, UnidentifiedImageError

from cxr_auditor.serving.errors import RequestError

MAX_PIXELS = 40_000_000
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def _to_8bit(picture: Image.Image) -> Image.Image:
    """Scale a 16-bit or 32-bit image to 8 bits by its own range (a window of min..max)."""
    pixels = np.asarray(picture, dtype=np.float64)
    low, high = float(pixels.min()), float(pixels.max())
    if high <= low:
        return Image.fromarray(np.zeros(pixels.shape, dtype=np.uint8), mode="L")
    scaled = np.round((pixels - low) * (255.0 / (high - low)))
    return Image.fromarray(scaled.astype(np.uint8), mode="L")


def open_picture(
    data: bytes,
    max_bytes: int,
    fail: Callable[[str], Exception] = RequestError,
    max_pixels: int = MAX_PIXELS,
) -> tuple[Image.Image, str, str]:
    """Decode PNG/JPEG bytes into an 8-bit picture; ``fail(reason)`` is raised for anything else.

    Returns ``(picture, source format, source mode)``. 16-bit and 32-bit pictures are windowed to
    8-bit gray; other modes are left to the caller. Shared by the server (``decode_image``) and the
    app's loader (``ui.services.images``), so both refuse the same files with the same reasons.
    """
    if not data:
        raise fail("image is empty (0 bytes)")
    if len(data) > max_bytes:
        raise fail(
            f"image is {len(data) / 2**20:.1f} MiB; the limit is {max_bytes / 2**20:.1f} MiB"
        )
    kind = next((name for sig, name in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise fail(f"image is not PNG or JPEG (starts with {data[:8]!r})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture: Image.Image = Image.open(io.BytesIO(data))  # reads the header only
    except UnidentifiedImageError:
        raise fail(f"image bytes are not a readable {kind}") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise fail("image refused as a possible decompression bomb") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise fail(f"{kind} image is corrupt or truncated ({error})") from None
    if picture.width * picture.height > max_pixels:
        raise fail(
            f"image is {picture.width}x{picture.height} pixels; the limit is {max_pixels:,} pixels"
        )
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise fail(f"{kind} image is corrupt or truncated ({error})") from None
    for key in [k for k in picture.info if k != "transparency"]:  # only what the pixels need
        del picture.info[key]  # PNG text chunks, EXIF, JPEG comments may identify the patient
    source_mode = picture.mode
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        picture = _to_8bit(picture if picture.mode != "F" else picture.convert("I"))
    return picture, kind, source_mode


def decode_image(data: bytes, max_bytes: int) -> Image.Image:
    """An RGB picture from PNG/JPEG bytes; RequestError with the reason otherwise."""
    if len(data) > max_bytes:  # the server's limit is a model parameter: name it
        raise RequestError(
            f"image is {len(data) / 2**20:.1f} MiB; the limit is "
            f"{max_bytes / 2**20:.1f} MiB (parameter max_image_bytes)"
        )
    return open_picture(data, max_bytes)[0].convert("RGB")
