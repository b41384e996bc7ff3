"""Instructor-written cases for tests: a small chest-film-like image and a complete case around it.

Import as ``from authored_support import ...`` (tests/ is on sys.path).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from cxr_auditor.core.authored import new_case_id, own_source
from cxr_auditor.core.case_format import Case, History, Original, ReferenceBox

WIDTH, HEIGHT = 320, 256


def film(width: int = WIDTH, height: int = HEIGHT, fmt: str = "JPEG", seed: int = 0) -> bytes:
    """A gray gradient with noise, encoded as ``fmt``."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(40, 200, width, dtype=np.float32)[None, :].repeat(height, axis=0)
    pixels = np.clip(ramp + rng.normal(0, 12, (height, width)), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buffer, format=fmt)
    return buffer.getvalue()


def authored_case(case_id: str | None = None, *, usable: bool = True, **changes) -> Case:
    """A right pneumothorax and a left effusion, boxed; source filled in unless ``usable=False``."""
    source = own_source(
        name="Teaching file of the test hospital" if usable else "",
        license="CC BY 4.0" if usable else "",
        attribution="Dr. Test, test hospital" if usable else "",
        redistributable=True,
    )
    fields = {
        "id": case_id or new_case_id(),
        "title": "Breathless after a fall",
        "image": "image.jpg",
        "width": WIDTH,
        "height": HEIGHT,
        "original": Original(dataset="local", file="upload", width=WIDTH, height=HEIGHT),
        "reference": [
            ReferenceBox(label="pneumothorax", box_2d=[0.1, 0.1, 0.5, 0.3]),
            ReferenceBox(label="pleural_effusion", box_2d=[0.6, 0.7, 0.9, 0.95]),
        ],
        "reference_complete": True,
        "source": source,
        "teaching_points": ["Look at the apices for a pleural line."],
        "history": History(age=34, sex="male", view="PA", indication="Fall, chest pain"),
    }
    return Case(**(fields | changes))
