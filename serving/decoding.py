"""What both runtimes send the model for one chat: prompt token ids, stop tokens, sampling.

Token parity between the ``transformers`` and ``tensorrt_llm`` runtimes is built here, once:

- **One ``<bos>``.** The chat template renders ``<bos>`` as text. The transformers runtime
  tokenizes the rendered prompt with ``add_special_tokens=False`` (one ``<bos>``, from the text).
  TensorRT-LLM's Gemma 3 input processor calls the processor with the default
  ``add_special_tokens=True`` (``_torch/models/modeling_gemma3vl.py``), which adds a second one;
  so the image path hands it the prompt with the rendered ``<bos>`` removed
  (``strip_rendered_bos``). The text path hands TensorRT-LLM the token ids themselves
  (``prompt_token_ids``, tokenized like the transformers runtime) and sets
  ``add_special_tokens=False`` as well.
- **The same stop tokens,** from the checkpoint's ``generation_config.json`` ``eos_token_id``
  (Gemma: ``<eos>`` and ``<end_of_turn>``; Nemotron: ``</s>`` and ``<|im_end|>``), passed
  explicitly to both (``eos_token_id`` / ``stop_token_ids``), never left to each library's own
  defaulting.
- **The same sampling:** greedy at temperature 0; otherwise plain temperature sampling over the
  whole vocabulary. The checkpoint's ``top_k``/``top_p`` defaults (Gemma ships 64 / 0.95) are
  neutralised in transformers (``top_k=0``, ``top_p=1.0``) and never sent to TensorRT-LLM.

No torch or tensorrt_llm import here: the tests compute both requests on the CPU.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxr_auditor.serving.errors import RuntimeLoadError


@dataclass(frozen=True)
class Decoding:
    """Generation settings of one chat, shared by both runtimes."""

    max_new_tokens: int
    temperature: float  # 0 = greedy
    stop_ids: tuple[int, ...]


def stop_token_ids(folder: str | Path) -> tuple[int, ...]:
    """``eos_token_id`` of the checkpoint's ``generation_config.json`` (an id or a list), sorted."""
    path = Path(folder) / "generation_config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RuntimeLoadError(
            f"{path}: cannot read the stop tokens ({error}); the checkpoint must ship its "
            "generation_config.json"
        ) from None
    found = data.get("eos_token_id") if isinstance(data, dict) else None
    ids = found if isinstance(found, list) else [found]
    stops = tuple(sorted({i for i in ids if isinstance(i, int) and not isinstance(i, bool)}))
    if not stops:
        raise RuntimeLoadError(f"{path}: eos_token_id names no stop token ({found!r})")
    return stops


def strip_rendered_bos(prompt: str, bos_token: str | None) -> str:
    """The prompt without the ``<bos>`` the template rendered (a processor that adds one gets it
    back)."""
    if bos_token and prompt.startswith(bos_token):
        return prompt[len(bos_token) :]
    return prompt


def transformers_generate_kwargs(decoding: Decoding, pad_id: int | None) -> dict[str, Any]:
    """``model.generate`` arguments: explicit stops, explicit sampling, checkpoint defaults off."""
    kwargs: dict[str, Any] = {
        "max_new_tokens": decoding.max_new_tokens,
        "eos_token_id": list(decoding.stop_ids),
        "pad_token_id": pad_id,
    }
    if decoding.temperature > 0:
        kwargs |= {"do_sample": True, "temperature": decoding.temperature, "top_k": 0, "top_p": 1.0}
    else:
        kwargs |= {"do_sample": False, "temperature": None, "top_k": None, "top_p": None}
    return kwargs


def trtllm_sampling_kwargs(decoding: Decoding) -> dict[str, Any]:
    """``tensorrt_llm.SamplingParams`` arguments for the same decoding (no top_k/top_p: TensorRT-LLM
    samples the whole vocabulary at a temperature and decodes greedily without one)."""
    kwargs: dict[str, Any] = {
        "max_tokens": decoding.max_new_tokens,
        "stop_token_ids": list(decoding.stop_ids),
        "add_special_tokens": False,
        "skip_special_tokens": False,
    }
    if decoding.temperature > 0:
        kwargs["temperature"] = decoding.temperature
    return kwargs


def text_prompt_ids(tokenizer: Any, prompt: str) -> list[int]:
    """Token ids of a rendered text prompt, exactly as the transformers runtime tokenizes it."""
    ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    return [int(i) for i in ids]


def trtllm_prompt_ids(inputs: dict[str, Any], processor: Any) -> list[int]:
    """The token ids TensorRT-LLM 1.2 computes from a request's ``inputs``: ``prompt_token_ids``
    as sent; an image prompt through the processor with its default ``add_special_tokens``, as
    its Gemma 3 input processor calls it (``_torch/models/modeling_gemma3vl.py``)."""
    if "prompt_token_ids" in inputs:
        return [int(i) for i in inputs["prompt_token_ids"]]
    out = processor(
        text=inputs["prompt"], images=inputs["multi_modal_data"]["image"], return_tensors="pt"
    )
    return [int(i) for i in out["input_ids"][0].tolist()]
