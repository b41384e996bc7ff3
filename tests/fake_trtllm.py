"""A stand-in ``tensorrt_llm`` module for the tests of the TensorRT-LLM runtime and the device
check (the real one needs a GPU and NVIDIA's wheel).

``FakeLLM`` stands for ``tensorrt_llm.LLM`` and its results for ``RequestOutput``; ``_typed``
declares them as the runtime's Protocols (``TrtllmLLM``, ``TrtllmCompletion``, ``TrtllmResult``)
and this file is type-checked by ``scripts/check.sh`` (MYPY_TESTS), so the fake cannot drift from
the interface the runtime uses. ``SamplingParams`` and ``KvCacheConfig`` return their arguments as
a dict, so tests read what the runtime passed.
"""

from __future__ import annotations

import asyncio
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from cxr_auditor.serving.runtime_trtllm import TrtllmCompletion, TrtllmLLM, TrtllmResult


@dataclass
class FakeCompletion:
    text: str
    token_ids: list[int]
    finish_reason: str | None = "stop"


@dataclass
class FakeResult:
    """A RequestOutput: resolved by the test (``finish``) or aborted by the runtime."""

    outputs: list[FakeCompletion] = field(default_factory=list)
    aborted: bool = False
    ready: asyncio.Event | None = None

    async def aresult(self) -> TrtllmResult:
        if self.ready is not None:
            await self.ready.wait()
        return self

    def abort(self) -> None:
        self.aborted = True


class FakeLLM:
    made: ClassVar[list[FakeLLM]] = []
    reply: ClassVar[str] = "[]"
    hold: ClassVar[bool] = False  # generate_async results wait for FakeResult.ready

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.calls: list[tuple[list[dict[str, Any]], list[Any]]] = []
        self.submitted: list[tuple[dict[str, Any], Any, FakeResult]] = []
        FakeLLM.made.append(self)

    def _result(self, sampling: Any) -> FakeResult:
        """Two tokens and a stop, as a model that answers; with ``ignore_eos`` (the device
        check's forced lengths) all ``max_tokens``, as random weights."""
        if isinstance(sampling, dict) and sampling.get("ignore_eos"):
            tokens = list(range(sampling["max_tokens"]))
            return FakeResult([FakeCompletion(FakeLLM.reply, tokens, "length")])
        return FakeResult([FakeCompletion(FakeLLM.reply, [1, 2])])

    def generate(
        self, inputs: list[dict[str, Any]], sampling_params: list[Any], use_tqdm: bool = True
    ) -> Sequence[TrtllmResult]:
        assert use_tqdm is False  # no progress bars in the server log
        self.calls.append((inputs, sampling_params))
        return [self._result(p) for p in sampling_params]

    def generate_async(self, inputs: dict[str, Any], sampling_params: Any) -> TrtllmResult:
        result = self._result(sampling_params)
        if FakeLLM.hold:
            result.ready = asyncio.Event()
        self.submitted.append((inputs, sampling_params, result))
        return result

    def shutdown(self) -> None:
        pass


def _typed(llm: FakeLLM, completion: FakeCompletion) -> tuple[TrtllmLLM, TrtllmCompletion]:
    return llm, completion  # mypy: the fakes satisfy the runtime's Protocols


def install_fake_trtllm(monkeypatch: pytest.MonkeyPatch) -> type[FakeLLM]:
    """Put the stand-in ``tensorrt_llm`` and ``tensorrt_llm.llmapi`` in ``sys.modules``."""
    FakeLLM.made, FakeLLM.hold, FakeLLM.reply = [], False, "[]"
    root = types.ModuleType("tensorrt_llm")
    root.__spec__ = importlib.machinery.ModuleSpec("tensorrt_llm", None)
    root.LLM = FakeLLM  # type: ignore[attr-defined]
    root.SamplingParams = lambda **kw: kw  # type: ignore[attr-defined]
    llmapi = types.ModuleType("tensorrt_llm.llmapi")
    llmapi.KvCacheConfig = lambda **kw: kw  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tensorrt_llm", root)
    monkeypatch.setitem(sys.modules, "tensorrt_llm.llmapi", llmapi)
    monkeypatch.delenv("TLLM_WORKER_USE_SINGLE_PROCESS", raising=False)
    return FakeLLM
