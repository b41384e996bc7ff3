"""The tensorrt_llm runtime against a stand-in ``tensorrt_llm`` module (the real one needs a GPU).

``FakeLLM`` (``tests/fake_trtllm.py``) is declared as a ``TrtllmLLM`` (the Protocol of the calls
the runtime makes of ``tensorrt_llm.LLM``) and its results as ``TrtllmResult``, and both files are
type-checked by ``scripts/check.sh`` (MYPY_TESTS), so the fake cannot drift from the interface the
runtime uses.
Locks: PyTorch backend, FlashInfer + no chunked prefill + no block reuse for Gemma 3, float32
Mamba cache for Nemotron-H, special tokens kept (``<think>``), the image as ``multi_modal_data``,
the in-process worker with MPI job variables cleared, and per-request ``generate_async`` with
cancellation (in-flight batching).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fake_trtllm import FakeCompletion, FakeLLM, _typed, install_fake_trtllm
from PIL import Image
from support import require_extras

from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.prompts import grounder_messages, load_prompts, parser_messages
from cxr_auditor.serving.runtime import Chat, load_runtime
from cxr_auditor.serving.runtime_trtllm import (
    MPI_JOB_VARIABLES,
    TensorRTLLMRuntime,
    prepare_process_env,
)
from cxr_auditor.serving.tiny_models import make_tiny_models

require_extras("transformers", "torch", extra="serving/models")  # fails instead of skipping in CI

PROMPTS = load_prompts()


@pytest.fixture()
def fake_trtllm(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeLLM]]:
    yield install_fake_trtllm(monkeypatch)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_tiny_models(tmp_path_factory.mktemp("tiny_trtllm"))


def load(role: str, folder: Path) -> TensorRTLLMRuntime:
    runtime = load_runtime(read_settings(role, {"runtime": "tensorrt_llm", "model": str(folder)}))
    assert isinstance(runtime, TensorRTLLMRuntime)
    return runtime


def test_without_tensorrt_llm_the_load_is_refused_clearly(
    tiny: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tensorrt_llm", None)
    with pytest.raises(RuntimeLoadError, match="trtllm-python-py3"):
        load("grounder", tiny[0])


def test_mpi_job_variables_are_cleared_and_the_worker_runs_in_process() -> None:
    environ = {
        "OMPI_COMM_WORLD_RANK": "0",
        "PMIX_NAMESPACE": "ns",
        "PMIX_SERVER_URI21": "x",
        "ORTE_THING": "1",
        "OMPI_MCA_orte_x": "1",
        "OMPI_MCA_btl": "self",  # configuration: kept
        "PATH": "/bin",
    }
    removed = prepare_process_env(environ)
    assert removed == [
        "OMPI_COMM_WORLD_RANK",
        "OMPI_MCA_orte_x",
        "ORTE_THING",
        "PMIX_NAMESPACE",
        "PMIX_SERVER_URI21",
    ]
    assert environ == {
        "OMPI_MCA_btl": "self",
        "PATH": "/bin",
        "TLLM_WORKER_USE_SINGLE_PROCESS": "1",
    }
    assert {"PMI_RANK", "OMPI_UNIVERSE_SIZE", "PMIX_SERVER_URI"} <= MPI_JOB_VARIABLES


def test_the_runtime_clears_the_environment_before_importing_tensorrt_llm(
    tiny: tuple[Path, Path], fake_trtllm: type[FakeLLM], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    seen: dict[str, str | None] = {}

    class Probe(FakeLLM):
        def __init__(self, **kwargs: Any) -> None:
            seen["rank"] = os.environ.get("PMIX_RANK")
            seen["single"] = os.environ.get("TLLM_WORKER_USE_SINGLE_PROCESS")
            super().__init__(**kwargs)

    sys.modules["tensorrt_llm"].LLM = Probe  # type: ignore[attr-defined]
    monkeypatch.setenv("PMIX_RANK", "0")
    load("draft_parser", tiny[1])
    assert seen == {"rank": None, "single": "1"}


def test_grounder_settings_and_image_input(
    tiny: tuple[Path, Path], fake_trtllm: type[FakeLLM]
) -> None:
    runtime = load("grounder", tiny[0])
    fake_trtllm.reply = "[]<end_of_turn>"  # a special token of Gemma's: dropped
    [llm] = fake_trtllm.made
    _typed(llm, FakeCompletion("", []))
    assert llm.kwargs["backend"] == "pytorch" and llm.kwargs["attn_backend"] == "FLASHINFER"
    assert llm.kwargs["enable_chunked_prefill"] is False
    assert llm.kwargs["kv_cache_config"]["enable_block_reuse"] is False
    assert llm.kwargs["max_batch_size"] >= 40  # a classroom's audits in one step
    picture = Image.fromarray(np.zeros((8, 8, 3), dtype=np.uint8))
    [out] = runtime.generate([Chat(grounder_messages(PROMPTS), picture, 64)])
    inputs, params = llm.calls[0]
    assert inputs[0]["multi_modal_data"] == {"image": [picture]}
    assert "<start_of_image>" in inputs[0]["prompt"]
    assert not inputs[0]["prompt"].startswith("<bos>")  # the processor adds it
    assert params[0]["skip_special_tokens"] is False and params[0]["max_tokens"] == 64
    assert "temperature" not in params[0] and "top_p" not in params[0]  # greedy
    assert out.text == "[]" and out.stopped


def test_parser_settings_and_reasoning_prefill(
    tiny: tuple[Path, Path], fake_trtllm: type[FakeLLM]
) -> None:
    runtime = load("draft_parser", tiny[1])
    fake_trtllm.reply = "[]<|im_end|>"  # a special token of Nemotron's: dropped
    [llm] = fake_trtllm.made
    assert llm.kwargs["kv_cache_config"]["mamba_ssm_cache_dtype"] == "float32"
    assert "attn_backend" not in llm.kwargs
    [thinking, direct] = runtime.generate(
        [
            Chat(parser_messages(PROMPTS, "No effusion."), None, 32, 0.0, True),
            Chat(parser_messages(PROMPTS, "No effusion."), None, 32, 0.7, False),
        ]
    )
    assert thinking.text.startswith("<think>") and direct.text == "[]"
    inputs, params = llm.calls[0]
    assert "multi_modal_data" not in inputs[0] and "prompt_token_ids" in inputs[0]
    assert params[1]["temperature"] == 0.7 and "top_p" not in params[1]


def test_generate_one_submits_each_request_on_its_own(
    tiny: tuple[Path, Path], fake_trtllm: type[FakeLLM]
) -> None:
    runtime = load("draft_parser", tiny[1])
    [llm] = fake_trtllm.made
    fake_trtllm.hold = True

    async def scenario() -> list[str]:
        chats = [
            Chat(parser_messages(PROMPTS, f"Draft {i}."), None, 16, 0.0, False) for i in range(3)
        ]
        tasks = [asyncio.ensure_future(runtime.generate_one(c)) for c in chats]
        while len(llm.submitted) < 3:  # all three in flight before any finishes
            await asyncio.sleep(0)
        order = []
        for index in (2, 0, 1):  # finish out of order: each answer comes back on its own
            ready = llm.submitted[index][2].ready
            assert ready is not None
            ready.set()
            done = await tasks[index]
            order.append(f"{index}:{done.text}")
        return order

    assert asyncio.run(scenario()) == ["2:[]", "0:[]", "1:[]"]
    assert not any(result.aborted for _, _, result in llm.submitted)


def test_cancelling_a_request_aborts_it_in_the_engine(
    tiny: tuple[Path, Path], fake_trtllm: type[FakeLLM]
) -> None:
    runtime = load("draft_parser", tiny[1])
    [llm] = fake_trtllm.made
    fake_trtllm.hold = True

    async def scenario() -> None:
        task = asyncio.ensure_future(
            runtime.generate_one(Chat(parser_messages(PROMPTS, "x"), None, 8))
        )
        while not llm.submitted:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    assert llm.submitted[0][2].aborted
