"""``triton_repo/*/1/model.py`` with a stubbed ``triton_python_backend_utils`` (no server).

``execute`` returns at once and each request's one response arrives through its response sender
(FINAL flag) when that request is done: ``run`` waits for every sender (a condition, no sleep).
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.serving.devserver import write_replay
from cxr_auditor.serving.model_settings import SettingsError
from cxr_auditor.serving.repository import default_repository

GOOD_FINDINGS = '[{"label": "cardiomegaly", "box_2d": [0.4, 0.3, 0.8, 0.7]}]'
GOOD_MENTIONS = '[{"label": "cardiomegaly", "status": "present", "span": "Cardiomegaly"}]'


class TritonError(Exception):
    INVALID_ARG = 3
    INTERNAL = 13

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code

    def message(self) -> str:
        return str(self)


class Tensor:
    def __init__(self, name: str, array: np.ndarray) -> None:
        self.name, self.array = name, array

    def as_numpy(self) -> np.ndarray:
        return self.array


class InferenceResponse:
    def __init__(self, output_tensors: list[Tensor], error: TritonError | None = None) -> None:
        self.outputs = {t.name: t.array for t in output_tensors}
        self.error = error


FINAL = 1


class Sender:
    def __init__(self) -> None:
        self.sent: list[tuple[InferenceResponse, int]] = []
        self.done = threading.Event()

    def send(self, response: InferenceResponse, flags: int = 0) -> None:
        self.sent.append((response, flags))
        if flags == FINAL:
            self.done.set()


class Request:
    def __init__(self, **inputs: np.ndarray) -> None:
        self.inputs = {name: Tensor(name, array) for name, array in inputs.items()}
        self.sender = Sender()
        self.cancelled = False

    def get_response_sender(self) -> Sender:
        return self.sender

    def is_cancelled(self) -> bool:
        return self.cancelled


def run(model: Any, requests: list[Request]) -> list[InferenceResponse]:
    """execute, then each request's single FINAL response."""
    assert model.execute(requests) is None
    for request in requests:
        assert request.sender.done.wait(timeout=60), "no response"
        assert [flags for _, flags in request.sender.sent] == [FINAL]
    return [request.sender.sent[0][0] for request in requests]


def stub_pb_utils() -> types.ModuleType:
    module = types.ModuleType("triton_python_backend_utils")
    module.TritonError = TritonError  # type: ignore[attr-defined]
    module.Tensor = Tensor  # type: ignore[attr-defined]
    module.InferenceResponse = InferenceResponse  # type: ignore[attr-defined]
    module.TRITONSERVER_RESPONSE_COMPLETE_FINAL = FINAL  # type: ignore[attr-defined]
    module.get_input_tensor_by_name = lambda request, name: request.inputs.get(name)  # type: ignore[attr-defined]
    module.Logger = types.SimpleNamespace(
        log_info=lambda m: None,
        log_warn=lambda m: None,  # type: ignore[attr-defined]
        log_error=lambda m: None,
    )
    return module


def load_model(role: str, monkeypatch: pytest.MonkeyPatch, parameters: dict[str, str]) -> object:
    monkeypatch.setitem(sys.modules, "triton_python_backend_utils", stub_pb_utils())
    path = default_repository() / role / "1" / "model.py"
    spec = importlib.util.spec_from_file_location(f"test_{role}_model", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.TritonPythonModel()
    config = {"parameters": {k: {"string_value": v} for k, v in parameters.items()}}
    model.initialize(
        {
            "model_config": json.dumps(config),
            "model_repository": str(path.parents[1]),
            "model_version": "1",
        }
    )
    return model


def strings(*values: bytes | str) -> np.ndarray:
    return np.array([[v if isinstance(v, bytes) else v.encode()] for v in values], dtype=np.object_)


def png(width: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((20, width), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture()
def grounder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    replay = write_replay(tmp_path / "g.json", [("image 30x20", GOOD_FINDINGS)], default="nope")
    model: Any = load_model("grounder", monkeypatch, {"runtime": "replay", "model": str(replay)})
    yield model
    model.finalize()


@pytest.fixture()
def parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    replay = write_replay(tmp_path / "p.json", [("Cardiomegaly", GOOD_MENTIONS)], default="[]")
    model: Any = load_model(
        "draft_parser",
        monkeypatch,
        {"runtime": "replay", "model": str(replay), "max_draft_chars": "50"},
    )
    yield model
    model.finalize()


def decoded(response: InferenceResponse, name: str) -> list[object]:
    return [json.loads(v[0]) for v in response.outputs[name]]


def test_grounder_batch_answers_each_request(grounder: object) -> None:
    responses = run(
        grounder,
        [
            Request(image=strings(png(30))),  # type: ignore[attr-defined]
            Request(image=strings(png(31))),
        ],
    )
    assert [r.error for r in responses] == [None, None]
    assert decoded(responses[0], "findings")[0][0]["label"] == "cardiomegaly"
    assert decoded(responses[0], "account")[0]["status"] == "ok"
    account = decoded(responses[1], "account")[0]
    assert account["status"] == "unparseable" and account["repairs"][0].startswith("retry:")
    assert decoded(responses[1], "identity")[0]["role"] == "grounder"
    assert responses[1].outputs["raw_text"][0][0] == b"nope"


@pytest.mark.parametrize(
    "bad,message",
    [
        (Request(image=strings(b"not an image")), "not PNG or JPEG"),
        (Request(max_new_tokens=np.array([[5]], dtype=np.int32)), "'image' is missing"),
        (
            Request(image=strings(png(30)), max_new_tokens=np.array([[5], [6]], dtype=np.int32)),
            "2 values for 1 image row",
        ),
        (
            Request(image=strings(png(30)), max_new_tokens=np.array([[0]], dtype=np.int32)),
            "max_new_tokens = 0",
        ),
    ],
)
def test_a_bad_request_gets_its_own_error(grounder: object, bad: Request, message: str) -> None:
    responses = run(
        grounder,
        [
            Request(image=strings(png(30))),
            bad,  # type: ignore[attr-defined]
            Request(image=strings(png(30))),
        ],
    )
    assert responses[0].error is None and responses[2].error is None
    assert responses[1].error is not None and message in str(responses[1].error)
    assert responses[1].error.code == TritonError.INVALID_ARG


def test_rows_of_one_request_and_broadcast_options(grounder: object) -> None:
    [response] = run(
        grounder,
        [
            Request(  # type: ignore[attr-defined]
                image=strings(png(30), png(30)), temperature=np.array([[0.0]], dtype=np.float32)
            )
        ],
    )
    assert response.error is None and response.outputs["findings"].shape == (2, 1)


def test_parser_reads_text_and_refuses_bad_drafts(parser: object) -> None:
    responses = run(
        parser,
        [
            Request(draft=strings("Cardiomegaly.")),  # type: ignore[attr-defined]
            Request(draft=strings(b"\xff\xfe bad utf-8")),
            Request(draft=strings("x" * 51)),
            Request(draft=strings("Cardiomegaly."), enable_thinking=np.array([[True]])),
        ],
    )
    assert responses[0].error is None and responses[3].error is None
    assert decoded(responses[0], "mentions")[0][0]["span"] == [0, 12]
    assert "not UTF-8" in str(responses[1].error)
    assert "limit is 50" in str(responses[2].error)


def test_a_service_crash_fails_its_request_with_an_internal_error(grounder: Any) -> None:
    async def explode(item: object) -> None:
        raise KeyError("bug")

    grounder.service.run_one = explode
    responses = run(grounder, [Request(image=strings(png(30))), Request(image=strings(png(30)))])
    assert all(r.error is not None and r.error.code == TritonError.INTERNAL for r in responses)


def test_requests_are_answered_as_each_finishes_not_as_a_batch(grounder: Any) -> None:
    """A slow request does not hold back a fast one that arrived in the same execute call."""
    release = threading.Event()
    original = grounder.service.run_one

    async def slow_for_31(item: Any) -> Any:
        if b"IHDR" in item.image_bytes and png(31) == item.image_bytes:
            while not release.is_set():
                await asyncio.sleep(0.01)
        return await original(item)

    grounder.service.run_one = slow_for_31
    slow, fast = Request(image=strings(png(31))), Request(image=strings(png(30)))
    assert grounder.execute([slow, fast]) is None
    assert fast.sender.done.wait(timeout=60)  # answered while the slow one is still running
    assert not slow.sender.done.is_set()
    release.set()
    assert slow.sender.done.wait(timeout=60)


def test_a_cancelled_request_is_answered_cancelled(grounder: Any) -> None:
    started = threading.Event()

    async def forever(item: Any) -> Any:
        started.set()
        await asyncio.Event().wait()

    grounder.service.run_one = forever
    request = Request(image=strings(png(30)))
    assert grounder.execute([request]) is None
    assert started.wait(timeout=60)
    request.cancelled = True
    assert request.sender.done.wait(timeout=60)
    assert "cancelled" in str(request.sender.sent[0][0].error)


@pytest.mark.parametrize(
    "parameters,message",
    [
        ({"runtime": "replay"}, "'model' is required"),
        ({"runtime": "replay", "model": "/", "max_draft_chars": "5"}, "unknown parameter"),
    ],
)
def test_bad_parameters_refuse_to_load(
    monkeypatch: pytest.MonkeyPatch, parameters: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_model("grounder", monkeypatch, parameters)
