"""The audit page with uploads, driven by AppTest: images, DICOM, reference reads and bad files.

A bad upload must give a clear message and leave the page usable; a DICOM upload must never show
an identifying header value anywhere on the page or in what the page keeps.
"""

from __future__ import annotations

import io
import json
import pickle
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom.encaps import encapsulate
from pydicom.uid import JPEGLSLossless
from streamlit.testing.v1 import AppTest
from test_dicom import PHI_VALUES, make_dicom

from cxr_auditor.ui.services import export

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
READ = [{"label": "pneumothorax", "box_2d": [0.05, 0.10, 0.35, 0.40]}]


def png(size: tuple[int, int] = (96, 80), fmt: str = "PNG") -> bytes:
    array = np.random.default_rng(3).integers(0, 255, size[::-1], dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(data: bytes, name: str, mime: str = "application/octet-stream") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.radio(key="source").set_value("Upload an image").run()
    at.file_uploader(key="upload").set_value((name, data, mime))
    at.run()
    assert not at.exception
    return at


def audit(at: AppTest, draft: str) -> AppTest:
    at.text_area(key="draft").input(draft)
    at.button(key="run_audit").click()
    at.run()
    assert not at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success", "text")
        for e in getattr(at, kind)
    ]
    parts += [e.value for e in at.get("html")] + [c for e in at.get("image") for c in e.captions]
    parts += [e.label for e in at.get("expander")] + [e.label for e in at.get("status")]
    parts += [str(s.value) for s in at.slider]
    # Dynamic text is markdown-escaped on the page: compare the text as the reader sees it.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(part) for part in parts))


def test_png_upload_without_a_reference_is_a_draft_only_pass():
    at = upload(png(), "cxr.png", "image/png")
    assert "No image read is available" in page_text(at)
    assert at.get("image")[0].captions[0].startswith("PNG, 96×80")
    assert "CXR_" not in page_text(at)  # no environment variable names for a learner
    audit(at, "Right pneumothorax.")
    assert any(w.value.startswith("**Degraded pass.**") for w in at.warning)
    assert "Image read by: none" in page_text(at)
    assert not at.success  # no green "the draft and the image read agree": there was no read
    assert "No flags could be raised" in page_text(at)


def test_png_upload_with_a_reference_read_is_audited():
    at = upload(png(), "cxr.png", "image/png")
    at.file_uploader(key="reference_upload").set_value(
        ("read.json", json.dumps(READ).encode(), "application/json")
    )
    at.run()
    audit(at, "No acute cardiopulmonary abnormality.")
    assert "**2 · MISSING**" in page_text(at)
    assert "uploaded reference read" in page_text(at)


@pytest.mark.parametrize(
    "case, reference, message",
    [
        ("not JSON", b"{oops", "not valid JSON"),
        (
            "label outside the six",
            json.dumps([{"label": "fracture", "box_2d": None}]).encode(),
            "is not one this tool checks; use one of: Pleural effusion",
        ),
        (
            "a box of three numbers",
            json.dumps([{"label": "pneumothorax", "box_2d": [0.5, 0.5, 0.2]}]).encode(),
            "entry 1: the box must be four numbers",
        ),
    ],
)
def test_a_bad_reference_read_is_refused_with_its_reason(case, reference, message):
    at = upload(png(), "cxr.png", "image/png")
    at.file_uploader(key="reference_upload").set_value(("read.json", reference, "application/json"))
    at.run()
    assert not at.exception
    shown = re.sub(r"\\(.)", r"\1", at.error[0].value)
    assert message in shown
    assert not any(raw in shown for raw in ("$[", "box_2d", "canonical", "pleural_effusion"))


@pytest.mark.parametrize(
    "case, data, name, message",
    [
        ("empty file", b"", "cxr.png", "empty"),
        ("truncated PNG", png((256, 256))[:900], "cxr.png", "corrupt or truncated"),
        ("text renamed .png", b"Impression: normal. " * 40, "cxr.png", "not PNG or JPEG"),
        ("GIF renamed .jpg", png(fmt="GIF"), "cxr.jpg", "not PNG or JPEG"),
        (
            "huge file",
            b"\x89PNG\r\n\x1a\n" + b"\0" * (50 * 1024 * 1024 + 10),
            "cxr.png",
            "over the 50 MB limit",
        ),
        ("corrupt DICOM", make_dicom()[:-3000], "scan.dcm", "corrupt or truncated"),
        (
            "compressed DICOM without a decoder",
            make_dicom(transfer=JPEGLSLossless, pixel_data=encapsulate([b"\xff\xd8" + b"\0" * 64])),
            "scan.dcm",
            "no decoder for it is installed",
        ),
        ("text renamed .dcm", b"not dicom at all " * 30, "scan.dcm", "not a readable DICOM file"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "",
)
def test_bad_uploads_give_a_message_and_the_page_stays_usable(case, data, name, message):
    at = upload(data, name)
    assert message in at.error[0].value and "cannot be used" in at.error[0].value
    shown = re.sub(r"\\(.)", r"\1", at.error[0].value)
    assert not any(raw in shown for raw in ("uploaded file", "b'", 'b"', "Error)", "CXR_"))
    assert any("Pick a case or upload" in info.value for info in at.info)
    at.radio(key="source").set_value("Library case").run()  # back to a case: still works
    audit(at, "No acute cardiopulmonary abnormality.")
    assert not at.error and at.get("status")[0].label.startswith("Audit complete")


def test_dicom_upload_has_window_controls_and_never_shows_identifying_values():
    at = upload(make_dicom(window=(1000, 500), photometric="MONOCHROME1"), "Doe_Jane.dcm")
    assert [s.label for s in at.slider] == ["Window center (level)", "Window width"]
    assert [s.value for s in at.slider] == [1000.0, 500.0]
    assert "MONOCHROME1: shown inverted" in page_text(at)
    at.slider[1].set_value(800.0).run()
    assert not at.exception
    at.file_uploader(key="reference_upload").set_value(
        ("read.json", json.dumps(READ).encode(), "application/json")
    )
    at.run()
    audit(at, "No acute cardiopulmonary abnormality.")
    text = page_text(at)
    assert "**2 · MISSING**" in text
    for value in [*PHI_VALUES, "Doe_Jane"]:
        assert value not in text, value
    view = at.session_state["last_audit"]
    kept = pickle.dumps(view) + export.audit_json(view.result, export.provenance(None, "DICOM"))
    for value in [*PHI_VALUES, "Doe_Jane"]:
        assert value.encode() not in kept, value
