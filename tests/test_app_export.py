"""Exports and the app's other services: JSON and PNG carry the disclaimer and the provenance."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.core.audit import reference_read, rule_reader
from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.errors import DataFileError, InputError
from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.core.schemas import Finding
from cxr_auditor.serving.upload import decode_upload, fit
from cxr_auditor.ui.services import auditing, export
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.state import DEFAULTS, init_state

PTX = Finding(label="pneumothorax", box=(0.05, 0.1, 0.35, 0.4))


@pytest.fixture(scope="module")
def case():
    return load_library().get("nih-00005140_001").case


def result(draft: str = "No acute cardiopulmonary abnormality."):
    return auditing.audit(draft, reference_read([PTX]), rule_reader(), "digest")


def test_audit_json_starts_with_the_disclaimer_and_carries_the_case_license(case):
    document = json.loads(export.audit_json(result(), export.provenance(case, "JPEG")))
    assert next(iter(document)) == "disclaimer" and document["disclaimer"] == DISCLAIMER
    assert document["audit"]["disclaimer"] == DISCLAIMER
    assert "CVPR 2017" in document["image"]["attribution"]
    assert document["image"]["reference_complete"] is False
    assert document["audit"]["inputs"]["image_sha256"] == "digest"


def test_an_upload_is_exported_without_its_file_name():
    document = json.loads(export.audit_json(result(), export.provenance(None, "PNG")))
    assert document["image"] == {"kind": "upload", "format": "PNG"}


def test_png_export_has_the_disclaimer_strip_and_text_chunks(case):
    image = Image.new("RGB", (400, 300), "gray")
    data = export.annotated_png(image, export.provenance(case, "JPEG"))
    with Image.open(io.BytesIO(data)) as png:
        assert png.format == "PNG" and png.width == 400 and png.height > 300
        assert png.text["Disclaimer"] == DISCLAIMER and "NIH" in png.text["Source"]
        strip = np.asarray(png.convert("L"))[300:]
    assert (strip < 128).any() and (strip == 255).mean() > 0.5  # dark text on white


@pytest.mark.parametrize(
    "draft, message",
    [
        ("", "empty"),
        ("\n \t", "empty"),
        ("x" * (auditing.MAX_DRAFT_CHARS + 1), "characters long"),
    ],
)
def test_check_draft(draft, message):
    with pytest.raises(InputError, match=message):
        auditing.check_draft(draft)


def test_a_draft_at_the_limit_is_accepted():
    assert auditing.check_draft("x" * auditing.MAX_DRAFT_CHARS)


def test_flags_are_numbered_in_severity_order_and_grouped():
    numbered = auditing.numbered_flags(result().flags)
    assert [(n.number, n.flag.kind) for n in numbered] == [(1, "URGENT"), (2, "MISSING")]
    assert [kind for kind, _ in auditing.grouped(numbered)] == ["URGENT", "MISSING"]


def test_input_key_changes_with_each_input():
    keys = {
        auditing.input_key("a", "draft", None),
        auditing.input_key("b", "draft", None),
        auditing.input_key("a", "draft.", None),
        auditing.input_key("a", "draft", "model"),
    }
    assert len(keys) == 4


def test_content_disclaimer_matches_the_core_disclaimer():
    assert read_content("disclaimer.md").replace("**", "") == DISCLAIMER


def test_unknown_content_file_lists_the_available_ones():
    with pytest.raises(DataFileError, match=r"audit_instructions\.md"):
        read_content("nope.md")


def test_state_defaults_never_overwrite():
    state = {"draft": "kept"}
    init_state(state)
    assert state["draft"] == "kept" and set(state) == set(DEFAULTS)


@pytest.mark.parametrize("size, expected", [((3000, 2000), (1024, 683)), ((500, 400), (500, 400))])
def test_display_pictures_are_fitted_never_enlarged(size, expected):
    assert fit(Image.new("L", size)).size == expected


def test_decoded_upload_keeps_the_original_size_and_file_digest():
    buffer = io.BytesIO()
    Image.new("L", (2048, 1024), 9).save(buffer, format="PNG")
    picture = decode_upload(buffer.getvalue(), "x.png")
    assert picture.original_size == (2048, 1024) and picture.image.size == (1024, 512)
    assert picture.kind == "PNG" and len(picture.digest) == 64
