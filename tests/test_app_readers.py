"""Which readers the app uses: the embedded default, a model server, and every way one can fail."""

from __future__ import annotations

import pytest

from cxr_auditor.core.audit import FunctionReader, ImageRead, rule_reader
from cxr_auditor.core.schemas import Finding, ParseAccount, ReaderIdentity
from cxr_auditor.serving.backend import ModelBackend
from cxr_auditor.serving.readers import (
    MODEL,
    REFERENCE,
    Readers,
    describe,
    image_read,
    make_readers,
    server_status,
    triton_url,
)

PTX = Finding(label="pneumothorax", box=(0.1, 0.1, 0.3, 0.3))


class Backend(ModelBackend):
    """A stand-in for serving.client.TritonBackend, checked against the ModelBackend Protocol."""

    def __init__(self, url: str, ready: tuple[bool, str] = (True, "")) -> None:
        self.url, self._ready = url, ready
        self.sent: bytes | None = None

    def ready(self) -> tuple[bool, str]:
        return self._ready

    def image_read(self, image_bytes: bytes) -> ImageRead:
        self.sent = image_bytes
        return ImageRead(
            ReaderIdentity(role="grounder", kind="model", name="g", version="3"),
            [PTX.model_copy(update={"source": "model"})],
            ParseAccount(),
        )

    def draft_reader(self) -> FunctionReader:
        return rule_reader()


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, None),
        ({"CXR_TRITON_URL": "  "}, None),
        ({"CXR_TRITON_URL": " http://triton:8000 "}, "http://triton:8000"),
    ],
)
def test_triton_url_from_the_environment(env, expected):
    assert triton_url(env) == expected


def test_embedded_default_uses_rules_and_the_reference():
    readers = make_readers(None)
    assert readers.mode == "embedded" and readers.backend is None and readers.problem is None
    assert readers.draft_reader().identity.kind == "rules"
    assert readers.image_choices(has_reference=True) == [REFERENCE]
    assert readers.image_choices(has_reference=False) == []


def test_a_model_server_adds_the_model_read_first():
    readers = make_readers("http://t:8000", factory=Backend)
    assert readers.mode == "triton" and server_status(readers) == (True, "")
    assert readers.image_choices(has_reference=True) == [MODEL, REFERENCE]
    read = image_read(readers, MODEL, reference=[PTX], image_bytes=b"png")
    assert isinstance(readers.backend, Backend)
    assert read.identity.kind == "model" and readers.backend.sent == b"png"


def test_a_server_that_is_not_ready_is_reported():
    readers = make_readers("http://t:8000", factory=lambda url: Backend(url, (False, "no model")))
    assert readers.mode == "triton" and server_status(readers) == (False, "no model")


class RaisingBackend(Backend):
    def ready(self) -> tuple[bool, str]:
        raise ZeroDivisionError("division by zero")


def test_a_readiness_check_that_raises_is_reported_not_raised():
    backend = RaisingBackend("http://t:8000")
    assert server_status(make_readers("http://t:8000", factory=lambda url: backend))[0] is False


def test_the_embedded_default_is_always_ready():
    assert server_status(make_readers(None)) == (True, "")


def test_the_real_serving_client_is_built_from_the_url_and_the_other_settings(monkeypatch):
    client = pytest.importorskip("cxr_auditor.serving.client")
    monkeypatch.setenv("CXR_TRITON_TIMEOUT_S", "2.5")
    readers = make_readers("127.0.0.1:9")
    assert readers.mode == "triton" and readers.problem is None
    assert isinstance(readers.backend, client.TritonBackend)
    assert readers.backend.url == "127.0.0.1:9" and readers.backend.timeout_s == 2.5


@pytest.mark.parametrize(
    "error, message",
    [
        (ImportError("No module named 'serving'"), "could not be imported"),
        (ValueError("bad URL"), "could not be created"),
    ],
)
def test_a_client_that_cannot_be_made_falls_back_to_the_embedded_default(error, message):
    def factory(url: str):
        raise error

    readers = make_readers("http://t:8000", factory=factory)
    assert readers.mode == "embedded" and message in str(readers.problem)


def test_reference_read_keeps_its_completeness():
    read = image_read(
        Readers("embedded"),
        REFERENCE,
        reference=[PTX],
        reference_name="case x",
        reference_complete=False,
    )
    assert read.identity.name == "case x" and read.reference_complete is False
    assert read.findings[0].id == "f1"


@pytest.mark.parametrize(
    "choice, reference",
    [
        (REFERENCE, None),  # no reference read for an upload
        (MODEL, [PTX]),  # no model server on the embedded default
    ],
)
def test_no_usable_reader_gives_a_failed_read_that_says_why(choice, reference):
    read = image_read(Readers("embedded"), choice, reference=reference, image_bytes=b"x")
    assert read.error and "no image reader" in read.error and read.identity.kind == "none"


@pytest.mark.parametrize(
    "identity, expected",
    [
        (ReaderIdentity(role="parser", kind="rules", name="rules", version="1"), "rules (v1)"),
        (
            ReaderIdentity(role="grounder", kind="model", name="medgemma", version="2026.1"),
            "model medgemma (v2026.1)",
        ),
        (
            ReaderIdentity(role="grounder", kind="reference", name="case nih-1"),
            "reference case nih-1",
        ),
        (
            ReaderIdentity(role="parser", kind="rules", name="rules", fallback_reason="timeout"),
            "rules, standing in because: timeout",
        ),
        (ReaderIdentity(role="grounder", kind="none", name="none"), "none"),
    ],
)
def test_describe(identity, expected):
    assert describe(identity) == expected
