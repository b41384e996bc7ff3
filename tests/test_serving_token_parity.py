"""Token parity: both runtimes send the model the same ids, stops and sampling for one request.

The transformers side is the real runtime on the tiny checkpoints (``serving.tiny_models``); the
TensorRT-LLM side is the request ``runtime_trtllm.build_request`` builds (the code the GPU runtime
runs, no ``tensorrt_llm`` import), turned into ids the way TensorRT-LLM 1.2 does: the Gemma 3
input processor calls ``processor(text=prompt, images=images, return_tensors="pt")`` with the
default ``add_special_tokens`` (``_torch/models/modeling_gemma3vl.py``); a text request given
``prompt_token_ids`` is sent as is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from support import require_extras

from cxr_auditor.serving.decoding import (
    Decoding,
    stop_token_ids,
    transformers_generate_kwargs,
    trtllm_prompt_ids,
    trtllm_sampling_kwargs,
)
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.prompts import grounder_messages, load_prompts, parser_messages
from cxr_auditor.serving.runtime import Chat, load_runtime
from cxr_auditor.serving.runtime_transformers import TransformersRuntime
from cxr_auditor.serving.runtime_trtllm import TrtllmRequest, build_request
from cxr_auditor.serving.tiny_models import make_tiny_models

require_extras("transformers", "torch", extra="serving/models")

PROMPTS = load_prompts()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_tiny_models(tmp_path_factory.mktemp("tiny_parity"))


def transformers_runtime(role: str, folder: Path) -> TransformersRuntime:
    runtime = load_runtime(
        read_settings(role, {"runtime": "transformers", "model": str(folder), "device": "cpu"})
    )
    assert isinstance(runtime, TransformersRuntime)
    return runtime


def trtllm_ids(request: TrtllmRequest, processor: Any) -> list[int]:
    """The ids TensorRT-LLM would compute from the request."""
    return trtllm_prompt_ids(request.inputs, processor)


def test_grounder_ids_and_stops_are_identical(tiny: tuple[Path, Path]) -> None:
    runtime = transformers_runtime("grounder", tiny[0])
    picture = Image.fromarray(np.full((40, 30, 3), 128, dtype=np.uint8))
    chat = Chat(grounder_messages(PROMPTS), picture, 64)
    stops = stop_token_ids(tiny[0])
    request = build_request(runtime.processor, runtime.tokenizer, chat, stops)
    ours, theirs = runtime.prompt_ids(chat), trtllm_ids(request, runtime.processor)
    assert ours == theirs
    bos = runtime.tokenizer.bos_token_id
    assert ours[0] == bos and ours.count(bos) == 1  # no doubled <bos>
    end_of_turn = runtime.tokenizer.convert_tokens_to_ids("<end_of_turn>")
    assert end_of_turn in stops
    assert runtime.stop_ids == set(stops) == set(request.sampling["stop_token_ids"])


def test_the_doubled_bos_is_what_an_unstripped_prompt_would_send(tiny: tuple[Path, Path]) -> None:
    runtime = transformers_runtime("grounder", tiny[0])
    picture = Image.fromarray(np.zeros((20, 20, 3), dtype=np.uint8))
    chat = Chat(grounder_messages(PROMPTS), picture, 8)
    request = build_request(runtime.processor, runtime.tokenizer, chat, (1,))
    unstripped = TrtllmRequest(request.prompt, {**request.inputs, "prompt": request.prompt}, {})
    doubled = trtllm_ids(unstripped, runtime.processor)
    assert doubled[:2] == [runtime.tokenizer.bos_token_id] * 2  # the defect this guards against


@pytest.mark.parametrize("thinking", [False, True])
def test_parser_ids_and_stops_are_identical(tiny: tuple[Path, Path], thinking: bool) -> None:
    runtime = transformers_runtime("draft_parser", tiny[1])
    chat = Chat(parser_messages(PROMPTS, "Small left effusion."), None, 32, 0.0, thinking)
    stops = stop_token_ids(tiny[1])
    request = build_request(runtime.tokenizer, runtime.tokenizer, chat, stops)
    assert runtime.prompt_ids(chat) == trtllm_ids(request, None)
    assert request.sampling["add_special_tokens"] is False
    im_end = runtime.tokenizer.convert_tokens_to_ids("<|im_end|>")
    generation_config = json.loads((tiny[1] / "generation_config.json").read_text())
    assert set(stops) == set(generation_config["eos_token_id"]) and im_end in stops
    assert runtime.stop_ids == set(request.sampling["stop_token_ids"])


@pytest.mark.parametrize("temperature", [0.0, 0.7])
def test_the_same_sampling_without_an_extra_top_p(temperature: float) -> None:
    decoding = Decoding(100, temperature, (1, 106))
    hf = transformers_generate_kwargs(decoding, 0)
    trt = trtllm_sampling_kwargs(decoding)
    assert hf["eos_token_id"] == trt["stop_token_ids"] == [1, 106]
    assert hf["max_new_tokens"] == trt["max_tokens"] == 100
    assert "top_p" not in trt and "top_k" not in trt
    if temperature:
        assert hf["do_sample"] and hf["temperature"] == trt["temperature"] == 0.7
        assert hf["top_k"] == 0 and hf["top_p"] == 1.0  # the checkpoint's 64 / 0.95 switched off
    else:
        assert hf["do_sample"] is False and "temperature" not in trt
