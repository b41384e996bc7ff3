"""A real Triton server serving the tiny random models: round trips, garbage made visible, bad
input.

One server per module (started by a fixture on free ports in its own process group, always
stopped). The tiny models generate garbage by design: every read must come back ``unparseable``
with the retry recorded, never as an empty success, and the audit must say what was not evaluated.
"""

from __future__ import annotations

import io
import re
import urllib.request
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image
from support import require_extras

from cxr_auditor.core.audit import run_audit
from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.devserver import local_server
from cxr_auditor.serving.launcher import TritonServer
from cxr_auditor.serving.tiny_models import make_tiny_models

require_extras(
    "tritonclient", "pytriton", "transformers", "torch", extra="serving/models"
)  # fails instead of skipping in CI

PROTOCOLS = ["http", "grpc"]
DRAFT = "Small left pleural effusion. No pneumothorax."
TOKENS = 12  # keep the tiny models' garbage short


def png(width: int = 96, height: int = 80, seed: int = 0) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, (height, width), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TritonServer]:
    work = tmp_path_factory.mktemp("triton_tiny")
    grounder, parser = make_tiny_models(work / "models")
    with local_server(work, grounder=grounder, parser=parser) as running:
        yield running


def url(server: TritonServer, protocol: str) -> str:
    return server.http_url if protocol == "http" else server.grpc_url


@pytest.fixture(params=PROTOCOLS)
def backend(request: pytest.FixtureRequest, server: TritonServer) -> Iterator[TritonBackend]:
    client = TritonBackend(
        url(server, request.param), request.param, timeout_s=60, max_new_tokens=TOKENS
    )
    yield client
    client.close()


def test_ready(backend: TritonBackend) -> None:
    ok, reason = backend.ready()
    assert ok, reason
    assert "grounder" in reason and "draft_parser" in reason


def test_grounder_garbage_is_unparseable_with_the_retry_recorded(backend: TritonBackend) -> None:
    reply = backend.infer_grounder(png())
    assert reply.identity.name == "tiny-gemma3-grounder" and reply.identity.kind == "model"
    assert reply.account.status == "unparseable" and reply.account.error
    assert reply.account.repairs[0].startswith("retry: the first output was unparseable")
    assert reply.items == [] and isinstance(reply.raw_text, str)
    read = backend.image_read(png())
    assert read.error == reply.account.error and read.findings == []


def test_parser_garbage_falls_back_to_rules_and_says_why(backend: TritonBackend) -> None:
    reply = backend.infer_parser(DRAFT)
    assert reply.identity.name == "tiny-nemotron-h-parser"
    assert reply.account.status == "unparseable" and reply.account.repairs[0].startswith("retry")
    read = backend.draft_reader().read(DRAFT)
    assert read.identity.kind == "rules"
    assert "output unparseable" in str(read.identity.fallback_reason)
    assert {m.label for m in read.mentions} >= {"pleural_effusion", "pneumothorax"}


@pytest.mark.parametrize("thinking", [True, False])
def test_reasoning_switch_through_triton(backend: TritonBackend, thinking: bool) -> None:
    reply = backend.infer_parser(DRAFT, enable_thinking=thinking)
    assert reply.raw_text.startswith("<think>") is thinking
    stripped = any(r.startswith("think_") for r in reply.account.repairs)
    assert stripped is thinking


def test_audit_through_triton_is_a_visible_draft_only_pass(backend: TritonBackend) -> None:
    image = png()
    result = run_audit(DRAFT, backend.image_read(image), backend.draft_reader(), image_bytes=image)
    assert not result.image_evaluated
    assert "IMAGE_NOT_EVALUATED" in {note.kind for note in result.notes}
    assert result.grounder.name == "tiny-gemma3-grounder"
    assert result.grounder_account.status == "unparseable"
    assert result.parser.fallback_reason is not None
    assert not [flag for flag in result.flags if flag.kind == "MISSING"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unknown_model(server: TritonServer, protocol: str) -> None:
    client = TritonBackend(
        url(server, protocol),
        protocol,
        timeout_s=10,  # type: ignore[arg-type]
        grounder_model="no_such_model",
        parser_model="nor_this",
    )
    read = client.image_read(png())
    assert "model 'no_such_model' is not available" in str(read.error)
    assert "1 attempt" not in str(read.error)  # not retried: a wrong name stays wrong
    assert "nor_this" in str(client.draft_reader().read(DRAFT).identity.fallback_reason)
    assert client.ready()[0] is False
    client.close()


BAD_IMAGES = {
    "truncated": (png()[:300], "corrupt or truncated"),
    "junk-after-signature": (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a readable PNG"),
    "gif": (b"GIF89a" + bytes(100), "not PNG or JPEG"),
    "empty": (b"", "empty"),
    "oversized": (b"\x89PNG\r\n\x1a\n" + bytes(33 * 1024 * 1024), "the limit is 32.0 MiB"),
}


@pytest.mark.parametrize("data,words", list(BAD_IMAGES.values()), ids=list(BAD_IMAGES))
def test_bad_images_are_refused_with_their_reason(
    backend: TritonBackend, data: bytes, words: str
) -> None:
    read = backend.image_read(data)
    assert words in str(read.error) and "refused the request" in str(read.error)
    assert backend.ready()[0]


def test_oversized_draft_is_refused_and_falls_back(backend: TritonBackend) -> None:
    read = backend.draft_reader().read("No pneumothorax. " * 1200)
    assert "the limit is 20000" in str(read.identity.fallback_reason)
    assert read.identity.kind == "rules"


def _metric(server: TritonServer, name: str, model: str) -> float:
    with urllib.request.urlopen(f"http://{server.metrics_url}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    values = [
        float(value)
        for labels, value in re.findall(rf"^{name}{{([^}}]*)}} (\S+)$", text, re.MULTILINE)
        if f'model="{model}"' in labels
    ]
    assert values, f"{name} for {model} not in the metrics"
    return sum(values)


def test_a_bad_request_in_a_dynamic_batch_fails_alone(server: TritonServer) -> None:
    client = TritonBackend(server.grpc_url, "grpc", timeout_s=60, max_new_tokens=TOKENS)

    def counts() -> tuple[float, float]:
        return (
            _metric(server, "nv_inference_exec_count", "grounder"),
            _metric(server, "nv_inference_request_success", "grounder")
            + _metric(server, "nv_inference_request_failure", "grounder"),
        )

    before = counts()
    images = [png(seed=i) for i in range(8)]
    images[3] = png(seed=3)[:300]
    reads = client.read_images(images, workers=8)
    client.close()
    assert "corrupt or truncated" in str(reads[3].error)
    assert all(r.identity.name == "tiny-gemma3-grounder" for i, r in enumerate(reads) if i != 3)
    after = counts()
    executions, requests = after[0] - before[0], after[1] - before[1]
    assert requests == 8
    assert executions < 8, "8 concurrent requests were never batched together"
