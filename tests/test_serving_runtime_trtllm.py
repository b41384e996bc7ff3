"""The tensorrt_llm runtime against a stand-in ``tensorrt_llm`` module (the real one needs a GPU).

Locks the architecture requirements listed in ``build_engines/gpu_settings.py``: PyTorch backend,
FlashInfer + no chunked prefill + no block reuse for Gemma 3, float32 Mamba cache for Nemotron-H,
special tokens kept (``<think>``), the image passed as ``multi_modal_data``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from PIL import Image
from support import require_extras

from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.prompts import grounder_messages, load_prompts, parser_messages
from cxr_auditor.serving.runtime import Chat, load_runtime
from cxr_auditor.serving.tiny_models import make_tiny_models

require_extras("transformers", "torch", extra="serving/models")  # fails instead of skipping in CI

PROMPTS = load_prompts()


class FakeLLM:
    made: ClassVar[list[FakeLLM]] = []
    reply: ClassVar[str] = "[]"

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.calls: list[tuple[list[dict[str, Any]], list[Any]]] = []
        FakeLLM.made.append(self)

    def generate(self, inputs: list[dict[str, Any]], params: list[Any]) -> list[Any]:
        self.calls.append((inputs, params))
        done = types.SimpleNamespace(text=FakeLLM.reply, token_ids=[1, 2], finish_reason="stop")
        return [types.SimpleNamespace(outputs=[done]) for _ in inputs]

    def shutdown(self) -> None:
        pass


@pytest.fixture()
def fake_trtllm(monkeypatch: pytest.MonkeyPatch) -> type[FakeLLM]:
    FakeLLM.made = []
    root = types.ModuleType("tensorrt_llm")
    root.LLM = FakeLLM  # type: ignore[attr-defined]
    root.SamplingParams = lambda **kw: kw  # type: ignore[attr-defined]
    llmapi = types.ModuleType("tensorrt_llm.llmapi")
    llmapi.KvCacheConfig = lambda **kw: kw  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tensorrt_llm", root)
    monkeypatch.setitem(sys.modules, "tensorrt_llm.llmapi", llmapi)
    return FakeLLM


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_tiny_models(tmp_path_factory.mktemp("tiny_trtllm"))


def load(role: str, folder: Path) -> Any:
    return load_runtime(read_settings(role, {"runtime": "tensorrt_llm", "model": str(folder)}))


def test_without_tensorrt_llm_the_load_is_refused_clearly(
    tiny: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tensorrt_llm", None)
    with pytest.raises(RuntimeLoadError, match="trtllm-python-py3"):
        load("grounder", tiny[0])


def test_grounder_settings_and_image_input(tiny: tuple[Path, Path], fake_trtllm) -> None:
    runtime = load("grounder", tiny[0])
    fake_trtllm.reply = "[]<end_of_turn>"  # a special token of Gemma's: dropped
    [llm] = fake_trtllm.made
    assert llm.kwargs["backend"] == "pytorch" and llm.kwargs["attn_backend"] == "FLASHINFER"
    assert llm.kwargs["enable_chunked_prefill"] is False
    assert llm.kwargs["kv_cache_config"]["enable_block_reuse"] is False
    picture = Image.fromarray(np.zeros((8, 8, 3), dtype=np.uint8))
    [out] = runtime.generate([Chat(grounder_messages(PROMPTS), picture, 64)])
    inputs, params = llm.calls[0]
    assert inputs[0]["multi_modal_data"] == {"image": [picture]}
    assert "<start_of_image>" in inputs[0]["prompt"]
    assert params[0]["skip_special_tokens"] is False and params[0]["max_tokens"] == 64
    assert "temperature" not in params[0]  # greedy
    assert out.text == "[]" and out.stopped


def test_parser_settings_and_reasoning_prefill(tiny: tuple[Path, Path], fake_trtllm) -> None:
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
    assert "multi_modal_data" not in inputs[0]
    assert params[1]["temperature"] == 0.7
