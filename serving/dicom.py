"""Reading an uploaded DICOM chest X-ray into pixels and a display window, without identifying data.

Only the pixel data and a whitelist of technical fields (``SAFE_FIELDS``) leave ``read_dicom``; the
pydicom dataset itself is dropped inside the function, so names, IDs, dates, institutions and every
other header field are never shown, stored or exported. Pixels get the modality LUT (rescale slope
and intercept); the default window comes from the header (first WindowCenter/WindowWidth) or the
pixel range; MONOCHROME1 (white = low values) is inverted at display time. Compressed transfer
syntaxes without an installed decoder, multi-frame files, files without pixels and oversized images
give one-line ImageError messages. This module does not audit or draw.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, SupportsFloat, SupportsIndex

import numpy as np
import numpy.typing as npt
from PIL import Image

from cxr_auditor.serving.image_files import MAX_BYTES, MAX_PIXELS, ImageError

DICOM_MAGIC = b"DICM"
DICOM_SUFFIXES = (".dcm", ".dicom")
PIXEL_KEYWORDS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
# The only header fields read: technical, not identifying.
SAFE_FIELDS = (
    "Modality",
    "PhotometricInterpretation",
    "Rows",
    "Columns",
    "BitsStored",
    "ViewPosition",
    "BurnedInAnnotation",  # YES: text (possibly a name or a date) is burned into the pixels
)


@dataclass(frozen=True)
class Window:
    """A display window: values ``center ± width/2`` map to black..white."""

    center: float
    width: float


@dataclass(frozen=True)
class DicomPicture:
    """Pixels (after the modality LUT) and what is needed to display them; no identifying data."""

    pixels: npt.NDArray[np.float32] = field(repr=False)  # 2-D float32
    monochrome1: bool
    default_window: Window
    value_range: tuple[float, float]
    info: dict[str, str]
    pixel_sha256: str

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def looks_like_dicom(data: bytes, name: str = "") -> bool:
    """A DICOM Part 10 file (``DICM`` at byte 128) or a file named ``.dcm``/``.dicom``."""
    return data[128:132] == DICOM_MAGIC or name.lower().endswith(DICOM_SUFFIXES)


def _first_number(value: object) -> float | None:
    """WindowCenter/Width may be one value or several; take the first usable number."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        value = value[0] if len(value) else None
    if not isinstance(value, (str, bytes, SupportsFloat, SupportsIndex)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _transfer_syntax(dataset: object) -> tuple[str, bool, bool]:
    """Name of the transfer syntax, whether it is compressed, and whether a decoder is installed."""
    from pydicom.pixels.decoders.base import get_decoder

    meta = getattr(dataset, "file_meta", None)
    uid = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    if uid is None:
        return "implicit VR little endian (assumed)", False, True
    try:
        compressed = bool(getattr(uid, "is_compressed", False))
    except Exception:
        return "an unknown transfer syntax", True, False
    try:
        decodable = bool(get_decoder(uid).is_available)
    except (NotImplementedError, ValueError, KeyError, TypeError):
        decodable = False
    return str(getattr(uid, "name", uid)), compressed, decodable


def _check_header(dataset: Any, name: str) -> None:
    """Pixel data present, a sane size, one frame; ImageError otherwise."""
    if not any(key in dataset for key in PIXEL_KEYWORDS):
        raise ImageError(f"{name}: the DICOM file holds no image (no Pixel Data)")
    try:
        rows, columns = int(dataset.get("Rows", 0) or 0), int(dataset.get("Columns", 0) or 0)
        frames = int(dataset.get("NumberOfFrames", 1) or 1)
    except (TypeError, ValueError):
        raise ImageError(f"{name}: the DICOM header's image size is malformed") from None
    if rows <= 0 or columns <= 0:
        raise ImageError(f"{name}: the DICOM header gives no image size (Rows/Columns)")
    if rows * columns > MAX_PIXELS:
        raise ImageError(f"{name}: {columns}x{rows} pixels is over the {MAX_PIXELS:,}-pixel limit")
    if frames > 1:
        raise ImageError(
            f"{name}: multi-frame DICOM ({frames} frames) is not accepted; "
            "export the single frontal frame"
        )


def read_dicom(data: bytes, name: str = "image", max_bytes: int = MAX_BYTES) -> DicomPicture:
    """Decode a DICOM file; ImageError naming ``name`` and the reason when it cannot be used."""
    import pydicom
    from pydicom.pixels.processing import apply_modality_lut

    if not data:
        raise ImageError(f"{name}: the file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ImageError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the {max_bytes / 2**20:.0f} MB limit"
        )
    try:
        dataset = pydicom.dcmread(io.BytesIO(data), force=data[128:132] != DICOM_MAGIC)
        for _ in dataset.iterall():  # pydicom decodes elements lazily: fail here, not later
            pass
    except Exception as error:
        raise ImageError(f"{name}: not a readable DICOM file ({type(error).__name__})") from None
    if data[128:132] != DICOM_MAGIC and not any(key in dataset for key in PIXEL_KEYWORDS):
        raise ImageError(f"{name}: not a readable DICOM file (no DICOM header found)")
    _check_header(dataset, name)
    syntax, compressed, decodable = _transfer_syntax(dataset)
    if compressed and not decodable:
        raise ImageError(
            f"{name}: the pixels are compressed ({syntax}) and no decoder for it is "
            "installed; export the image uncompressed, or as PNG"
        )
    try:
        pixels = np.asarray(apply_modality_lut(dataset.pixel_array, dataset), dtype=np.float32)
    except Exception as error:
        raise ImageError(
            f"{name}: the DICOM pixel data is corrupt or truncated ({type(error).__name__})"
        ) from None
    photometric = str(dataset.get("PhotometricInterpretation", "MONOCHROME2")).upper()
    if pixels.ndim == 3 and pixels.shape[-1] in (3, 4):  # colour DICOM: luminance
        pixels = pixels[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if pixels.ndim != 2:
        raise ImageError(f"{name}: expected a 2-D image, got pixel data of shape {pixels.shape}")
    if not np.isfinite(pixels).all():
        raise ImageError(f"{name}: the DICOM pixel data holds non-finite values")
    low, high = float(pixels.min()), float(pixels.max())
    center = _first_number(dataset.get("WindowCenter"))
    width = _first_number(dataset.get("WindowWidth"))
    if center is None or width is None or width <= 0:
        center, width = (low + high) / 2.0, max(high - low, 1.0)
    info = {key: str(dataset.get(key)) for key in SAFE_FIELDS if dataset.get(key) is not None}
    info["TransferSyntax"] = syntax
    digest = hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest()
    del dataset  # nothing else from the header leaves this function
    return DicomPicture(
        pixels, photometric == "MONOCHROME1", Window(center, width), (low, high), info, digest
    )


def render(picture: DicomPicture, window: Window | None = None) -> Image.Image:
    """An 8-bit grayscale image through ``window`` (default: the header's); MONOCHROME1 inverted."""
    window = window or picture.default_window
    width = max(float(window.width), 1e-6)
    low = window.center - width / 2.0
    scaled = np.clip((picture.pixels - low) / width, 0.0, 1.0)
    if picture.monochrome1:
        scaled = 1.0 - scaled
    return Image.fromarray(np.round(scaled * 255.0).astype(np.uint8), mode="L")
