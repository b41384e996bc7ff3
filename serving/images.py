"""Decode the grounder's image input (PNG or JPEG bytes) into an 8-bit RGB picture, or say why not.

Server side of the wire: the bytes come from a Triton request, so every failure is a one-line
``RequestError`` that becomes that request's own error. 16-bit films are windowed to 8 bits by
their own min..max range (as the app's loader does). It does not resize: the model's processor
does that.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, UnidentifiedImageError

from serving.errors import RequestError

MAX_PIXELS = 40_000_000
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def _to_8bit(picture: Image.Image) -> Image.Image:
    pixels = np.asarray(picture, dtype=np.float64)
    low, high = float(pixels.min()), float(pixels.max())
    if high <= low:
        return Image.fromarray(np.zeros(pixels.shape, dtype=np.uint8), mode="L")
    scaled = np.round((pixels - low) * (255.0 / (high - low)))
    return Image.fromarray(scaled.astype(np.uint8), mode="L")


def decode_image(data: bytes, max_bytes: int) -> Image.Image:
    """An RGB picture from PNG/JPEG bytes; RequestError with the reason otherwise."""
    if not data:
        raise RequestError("image is empty (0 bytes)")
    if len(data) > max_bytes:
        raise RequestError(f"image is {len(data) / 2**20:.1f} MiB; the limit is "
                           f"{max_bytes / 2**20:.1f} MiB (parameter max_image_bytes)")
    kind = next((name for sig, name in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise RequestError(f"image is not PNG or JPEG (starts with {data[:8]!r})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.width * picture.height > MAX_PIXELS:
                raise RequestError(f"image is {picture.width}x{picture.height} pixels; the limit "
                                   f"is {MAX_PIXELS:,} pixels")
            picture.load()
    except RequestError:
        raise
    except UnidentifiedImageError:
        raise RequestError(f"image bytes are not a readable {kind}") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RequestError("image refused as a possible decompression bomb") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise RequestError(f"{kind} image is corrupt or truncated ({error})") from None
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        picture = _to_8bit(picture if picture.mode != "F" else picture.convert("I"))
    return picture.convert("RGB")
