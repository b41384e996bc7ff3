"""The audit page driven by AppTest: case pick, audit, flags by severity, notes, errors, readers.

Each row is one learner action on one bundled case. The app runs on the embedded default (reference
reads, rule parser) unless a test configures a model server, which is then a stand-in module.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.audit import FunctionReader, ImageRead, rule_reader
from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.core.schemas import Finding, ParseAccount, ReaderIdentity
from cxr_auditor.ui.services.auditing import MAX_DRAFT_CHARS

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
RIGHT_PTX_CASE = "nih-00005140_001"  # NIH: one boxed right pneumothorax, reference incomplete
NORMAL_CASE = "chestxdet-36199"  # ChestX-Det: no finding in 13 categories, reference complete
NODULE_CASE = "nih-00006751_000"  # NIH: one boxed nodule / mass, reference incomplete
FLAG_LINE = re.compile(r"\*\*(\d+) · ([A-Z]+)\*\*")


def start() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def audit(at: AppTest, draft: str, case_id: str | None = RIGHT_PTX_CASE) -> AppTest:
    if case_id is not None:
        at.selectbox(key="case_id").select(case_id)
    at.text_area(key="draft").input(draft)
    at.button(key="run_audit").click()
    at.run()
    assert not at.exception
    return at


def flags(at: AppTest) -> list[str]:
    """Flag kinds in the order the page lists them."""
    return [m.group(2) for md in at.markdown if (m := FLAG_LINE.search(md.value))]


def all_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success", "text")
        for e in getattr(at, kind)
    ]
    parts += [e.value for e in at.get("html")] + [c for e in at.get("image") for c in e.captions]
    # Dynamic text is markdown-escaped on the page: compare the text as the reader sees it.
    return re.sub(r"\\(.)", r"\1", "\n".join(str(part) for part in parts))


def test_page_opens_on_the_embedded_default_with_the_disclaimer_and_an_image():
    at = start()
    assert at.warning[0].value.replace("**", "") == DISCLAIMER
    assert "embedded default" in all_text(at)
    assert len(at.get("image")) == 1
    assert "JPEG, 768×768 px" in at.get("image")[0].captions[0]
    assert flags(at) == []  # nothing is revealed before an audit


def test_every_page_shows_the_disclaimer_and_the_library_shows_attribution():
    at = start()
    at.switch_page("views/library.py")
    at.run()
    assert not at.exception
    assert at.warning[0].value.replace("**", "") == DISCLAIMER
    text = all_text(at)
    assert "https://nihcc.app.box.com/v/ChestXray-NIHCC" in text and "CVPR 2017" in text
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) >= 43


@pytest.mark.parametrize(
    "case_id, draft, expected_flags, expected_note",
    [
        # A normal call on a right pneumothorax: urgent first, then missing.
        (RIGHT_PTX_CASE, "No acute cardiopulmonary abnormality.", ["URGENT", "MISSING"], None),
        # Pneumothorax on the wrong side.
        (RIGHT_PTX_CASE, "Left pneumothorax.", ["URGENT", "LATERALITY"], None),
        # An extra finding on an NIH case: a note, never an over-call.
        (
            RIGHT_PTX_CASE,
            "Right pneumothorax. Left pleural effusion.",
            ["URGENT"],
            "Reference may be incomplete.",
        ),
        # A hedge on a present finding.
        (RIGHT_PTX_CASE, "Possible right pneumothorax.", ["URGENT"], "Hedge."),
        # An over-call on a complete no-finding case.
        (NORMAL_CASE, "Moderate left pleural effusion.", ["UNSUPPORTED"], None),
        # A correct normal call.
        (NORMAL_CASE, "No acute cardiopulmonary abnormality.", [], None),
        # A nodule is actionable, not urgent: its badge says so, as its explanation does.
        (NODULE_CASE, "Right upper lobe nodule.", ["ACTIONABLE"], None),
    ],
)
def test_audit_lists_flags_by_severity(case_id, draft, expected_flags, expected_note):
    at = audit(start(), draft, case_id)
    assert flags(at) == expected_flags
    assert at.get("status")[0].label.startswith("Audit complete")
    if expected_note:
        assert any(info.value.startswith(f"**{expected_note}**") for info in at.info)
    if not expected_flags:
        assert "No flags" in at.success[0].value
    assert "draft read by: rules (v1)" in all_text(at)


def test_flagged_phrase_is_highlighted_and_teaching_points_appear_after_the_audit():
    at = start()
    at.selectbox(key="case_id").select(RIGHT_PTX_CASE).run()
    assert "Teaching points" not in all_text(at)
    audit(at, "Left pneumothorax.", None)
    (html,) = at.get("html")
    assert re.search(
        r'<mark class="cxr-laterality"[^>]*>[^<]*pneumothorax</mark><sup>\d', html.value
    )
    assert "Teaching points" in all_text(at)
    assert "Reference boxes" in [c.label for c in at.checkbox]


def test_focus_on_one_flag_recolours_the_draft():
    at = audit(start(), "Left pneumothorax.")
    urgent = next(
        int(m.group(1))
        for md in at.markdown
        if (m := FLAG_LINE.search(md.value)) and m.group(2) == "URGENT"
    )
    at.selectbox(key="focus").select(urgent).run()
    assert 'class="cxr-urgent"' in at.get("html")[0].value


@pytest.mark.parametrize(
    "draft, message",
    [
        ("", "The draft is empty"),
        ("   \n\t ", "The draft is empty"),
        ("Right pneumothorax. " * 5000, f"the limit is {MAX_DRAFT_CHARS:,}"),
    ],
)
def test_bad_drafts_give_a_message_and_the_page_stays_usable(draft, message):
    at = audit(start(), draft)
    assert message in at.error[0].value
    assert flags(at) == [] and not at.get("status")
    audit(at, "No acute cardiopulmonary abnormality.", None)  # still usable
    assert flags(at) == ["URGENT", "MISSING"] and not at.error


def test_a_hundred_thousand_character_draft_is_refused_with_its_length():
    at = audit(start(), "a" * 100_000)
    assert "100,000 characters" in at.error[0].value


def test_a_changed_draft_marks_the_shown_audit_as_stale():
    at = audit(start(), "Left pneumothorax.")
    at.text_area(key="draft").input("Right pneumothorax.").run()
    assert any("changed since the last audit" in info.value for info in at.info)
    assert flags(at) == []


# --- with a model server configured (a stand-in for serving.client) -----------------------------


class FakeBackend:
    """What serving.client.TritonBackend offers: ready(), image_read(), draft_reader()."""

    def __init__(self, url: str) -> None:
        self.url = url

    @classmethod
    def from_settings(cls, settings: dict) -> FakeBackend:
        return cls(settings["CXR_TRITON_URL"])

    def ready(self) -> tuple[bool, str]:
        return True, ""

    def image_read(self, image_bytes: bytes) -> ImageRead:
        finding = Finding(label="pleural_effusion", box=(0.6, 0.6, 0.9, 0.95), source="model")
        return ImageRead(
            ReaderIdentity(role="grounder", kind="model", name="grounder-stub", version="7"),
            [finding],
            ParseAccount(),
        )

    def draft_reader(self) -> FunctionReader:
        identity = ReaderIdentity(
            role="parser",
            kind="rules",
            name="rules",
            version="1",
            fallback_reason="the parser model is not loaded",
        )
        return FunctionReader(identity, rule_reader().parse)


@pytest.fixture
def model_server(monkeypatch, request):
    serving = types.ModuleType("serving")
    client = types.ModuleType("cxr_auditor.serving.client")
    config = types.ModuleType("cxr_auditor.serving.config")
    client.TritonBackend = FakeBackend
    config.client_settings = dict  # the stand-in's settings are the environment itself
    serving.client, serving.config = client, config
    for name, module in (
        ("serving", serving),
        ("cxr_auditor.serving.client", client),
        ("cxr_auditor.serving.config", config),
    ):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setenv("CXR_TRITON_URL", f"http://stub-{request.node.name}:8000")


def test_with_a_model_server_the_page_says_which_reader_produced_what(model_server):
    at = start()
    assert "model server at http://stub-" in all_text(at)
    assert at.radio(key="image_read_choice").value == "model"
    audit(at, "No acute cardiopulmonary abnormality.")
    text = all_text(at)
    assert "Image read by: model grounder-stub (v7)" in text
    assert "fell back to rules: the parser model is not loaded" in all_text(at)
    assert flags(at) == ["MISSING"]  # the model's effusion, not the reference pneumothorax
    assert "Model boxes" in [c.label for c in at.checkbox]


def test_with_a_model_server_the_reference_read_can_still_be_chosen(model_server):
    at = start()
    at.radio(key="image_read_choice").set_value("reference")
    audit(at, "No acute cardiopulmonary abnormality.")
    assert flags(at) == ["URGENT", "MISSING"]
    assert "Image read by: reference case nih-00005140_001" in all_text(at)


def test_with_an_unreachable_model_server_the_audit_degrades_and_says_why(monkeypatch):
    """The real serving client (no stand-in) against a closed port: nothing crashes."""
    pytest.importorskip("cxr_auditor.serving.client")
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CXR_TRITON_URL", f"127.0.0.1:{port}")
    monkeypatch.setenv("CXR_TRITON_TIMEOUT_S", "2")
    monkeypatch.setenv("CXR_TRITON_RETRIES", "0")
    at = start()
    assert "model server is not ready" in all_text(at)
    audit(at, "No acute cardiopulmonary abnormality.")
    text = all_text(at)
    assert "**Degraded pass.**" in text  # the grounder failed: a draft-only pass
    assert "fell back to rules" in all_text(at)
    assert flags(at) == []


def test_a_normal_call_is_quoted_with_its_no():
    at = audit(start(), "No acute cardiopulmonary process.", NODULE_CASE)
    text = all_text(at)
    assert '"No acute cardiopulmonary process"' in text
    assert '("acute cardiopulmonary process")' not in text
