"""What a runtime is (turn chats into generated text) and how the configured one is chosen.

A runtime receives ``Chat`` requests (Hugging Face chat messages, an optional image, generation
settings) and returns Generations, two ways: ``generate`` takes a batch and returns one per
chat, in order (offline use: evaluation, the device benchmark); ``generate_one`` is a coroutine
for one chat, run on the serving event loop (``serving.inflight``) so that each Triton request
is generated, parsed and retried on its own while others are in flight. Runtimes:

- ``transformers`` (``serving.runtime_transformers``): CPU here, also usable on a GPU;
- ``tensorrt_llm`` (``serving.runtime_trtllm``): ``tensorrt_llm.LLM`` on the PyTorch backend, GPU
  only, imported lazily;
- ``replay`` (``serving.runtime_replay``): canned outputs from a JSON file, for tests and demos
  that need a model answering well-formed JSON without weights.

The runtime module is imported only when chosen, so torch and tensorrt_llm stay optional. A
runtime does not parse output; it returns the assistant's text, including a reasoning opening
(``<think>``) that the chat template wrote for the model (see ``reasoning_prefill``).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from cxr_auditor.serving.model_settings import ModelSettings

# Progress bars (weight loading, tqdm in generate) would flood the Triton server log.
QUIET_ENV = {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "TQDM_DISABLE": "1"}

MODULES = {
    "transformers": "cxr_auditor.serving.runtime_transformers",
    "tensorrt_llm": "cxr_auditor.serving.runtime_trtllm",
    "replay": "cxr_auditor.serving.runtime_replay",
}


@dataclass(frozen=True)
class Chat:
    """One generation request. ``image`` fills the ``{"type": "image"}`` item of the messages."""

    messages: list[dict[str, object]]
    image: Image.Image | None = None
    max_new_tokens: int = 512
    temperature: float = 0.0
    enable_thinking: bool | None = None  # None: not a reasoning model / template default


@dataclass(frozen=True)
class Generation:
    text: str
    new_tokens: int = 0
    stopped: bool = True  # False when generation hit max_new_tokens (the text may be cut off)


class Runtime(Protocol):
    name: str

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        """One Generation per chat, in order; raises for the batch as a whole."""
        ...

    async def generate_one(self, chat: Chat) -> Generation:
        """The Generation of one chat; cancelling the coroutine abandons the request."""
        ...

    def close(self) -> None: ...


def load_runtime(settings: ModelSettings) -> Runtime:
    """Import and start the runtime named by the ``runtime`` parameter."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
    module = importlib.import_module(MODULES[settings.runtime])
    # Each runtime module's ``load`` is annotated ``-> Runtime``: mypy checks its class there.
    load: Callable[[ModelSettings], Runtime] = module.load
    return load(settings)


_OPEN_TAGS = ("<think>", "<thinking>")


def reasoning_prefill(prompt: str) -> str:
    """The reasoning tag the chat template opened for the model, or "" (``<think>\\n`` → "<think>").

    A template that starts the assistant turn with an open ``<think>`` makes the model write only
    the inside of its reasoning; the tag is put back in front of the text so that a cut-off trace
    is still recognised as reasoning by the output parser.
    """
    tail = prompt.rstrip()
    for tag in _OPEN_TAGS:
        if tail.endswith(tag):
            return tag + prompt[len(tail) :]
    return ""


def run_each(runtime: Runtime, chats: Sequence[Chat]) -> list[Generation | Exception]:
    """Generate the batch; when it fails, retry chat by chat so that one bad chat fails alone.

    Never raises: a chat that cannot be generated gets its exception in its place.
    """
    try:
        return list(runtime.generate(chats))
    except Exception as error:
        if len(chats) == 1:
            return [error]
    results: list[Generation | Exception] = []
    for chat in chats:
        try:
            results.append(runtime.generate([chat])[0])
        except Exception as error:
            results.append(error)
    return results
