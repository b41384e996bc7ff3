"""Image reading: the formats a user brings, and one clear line for everything else."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.serving.image_files import ImageError, load_image


def encode(array: np.ndarray, mode: str | None = None, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode=mode).save(buffer, format=fmt) if mode else Image.fromarray(
        array
    ).save(buffer, format=fmt)
    return buffer.getvalue()


GRADIENT = (np.arange(64 * 48).reshape(48, 64) % 256).astype(np.uint8)
NOISE = np.random.default_rng(0).integers(0, 256, (48, 64), dtype=np.uint8)


@pytest.mark.parametrize(
    "name, data, out_mode",
    [
        ("gray 8-bit PNG", encode(GRADIENT), "L"),
        ("gray 16-bit PNG", encode(GRADIENT.astype(np.uint16) * 257), "L"),
        ("RGB PNG", encode(np.stack([GRADIENT] * 3, axis=-1)), "RGB"),
        ("RGBA PNG", encode(np.dstack([GRADIENT] * 3 + [np.full_like(GRADIENT, 255)])), "RGB"),
        ("gray+alpha PNG", encode(np.dstack([GRADIENT, GRADIENT]), mode="LA"), "L"),
        ("JPEG", encode(np.stack([GRADIENT] * 3, axis=-1), fmt="JPEG"), "RGB"),
    ],
)
def test_accepted_images(name, data, out_mode):
    loaded = load_image(data, name)
    assert (loaded.width, loaded.height) == (64, 48)
    assert loaded.image.mode == out_mode
    assert len(loaded.sha256) == 64


def test_16_bit_is_windowed_to_the_full_8_bit_range():
    wide = (np.linspace(1000, 3000, 64 * 48).reshape(48, 64)).astype(np.uint16)
    pixels = np.asarray(load_image(encode(wide)).image)
    assert pixels.min() == 0 and pixels.max() == 255


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty", b"", "empty"),
        ("text renamed .png", b"Patient notes, not an image", "not PNG or JPEG"),
        ("truncated PNG", encode(NOISE)[:1500], "corrupt or truncated"),
        ("truncated JPEG", encode(NOISE, fmt="JPEG")[:600], "corrupt or truncated"),
        ("GIF", encode(GRADIENT, fmt="GIF"), "not PNG or JPEG"),
        ("BMP", encode(GRADIENT, fmt="BMP"), "not PNG or JPEG"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_rejected_images_say_why_in_one_line(name, data, message):
    with pytest.raises(ImageError, match=message) as caught:
        load_image(data, name)
    assert "\n" not in str(caught.value)


def test_size_limits():
    with pytest.raises(ImageError, match="the limit is"):
        load_image(encode(GRADIENT), "big", max_bytes=100)
    bomb = encode(np.zeros((8000, 8000), dtype=np.uint8))  # 64 MP of zeros compresses to ~60 kB
    with pytest.raises(ImageError, match="pixels; the limit|decompression bomb"):
        load_image(bomb, "bomb")


def test_real_nih_image(shared_data):
    path = next((shared_data / "nih_chestxray14_bbox" / "images").glob("*.png"))
    loaded = load_image(path.read_bytes(), path.name)
    assert (loaded.width, loaded.height) == (1024, 1024)
