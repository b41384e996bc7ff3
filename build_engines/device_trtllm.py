"""The device check's TensorRT-LLM section: each model through the project's own runtime
(``serving.runtime_trtllm``: the served ``LLM`` arguments, per-request ``generate_async`` on a
serving event loop), with ``load_format="dummy"`` so that TensorRT-LLM draws random weights
instead of reading the checkpoint's. One request (the grounder's with the case image, the parser's
with a draft), then ``concurrency`` at once; load time, latency and tokens/s.

Random weights: each request's sampling gets ``min_tokens`` = ``max_tokens``, ``ignore_eos`` and
no stop tokens (``ForcedLengthRuntime``), and the section checks that every request generated
exactly its budget. The models are loaded one after the other, each shut down before the next.
Skipped (not failed) when ``tensorrt_llm`` is not installed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import statistics
import time
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.device_probes import CountingRuntime, check_lengths, length_failure
from cxr_auditor.build_engines.device_report import CheckFailed, Skipped
from cxr_auditor.build_engines.traffic import percentile
from cxr_auditor.serving.runtime import Chat
from cxr_auditor.serving.runtime_trtllm import TensorRTLLMRuntime, TrtllmRequest, llm_arguments

NOT_INSTALLED = "tensorrt_llm not installed: skipped"
DUMMY = {"load_format": "dummy"}
REQUEST_TIMEOUT_S = 300.0


def forced_sampling(sampling: dict[str, Any]) -> dict[str, Any]:
    """SamplingParams arguments that generate exactly ``max_tokens`` tokens."""
    return sampling | {
        "min_tokens": sampling["max_tokens"],
        "ignore_eos": True,
        "stop_token_ids": None,
    }


class ForcedLengthRuntime(TensorRTLLMRuntime):
    """The project's TensorRT-LLM runtime, every request forced to its full budget."""

    def request(self, chat: Chat) -> TrtllmRequest:
        request = super().request(chat)
        return dataclasses.replace(request, sampling=forced_sampling(request.sampling))


async def _timed(service: Any, item: Any) -> tuple[float, bool]:
    started = time.perf_counter()
    reply = await service.run_one(item)
    return time.perf_counter() - started, not isinstance(reply, Exception)


async def _load(service: Any, item: Any, concurrency: int) -> dict[str, Any]:
    import asyncio

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(_timed(service, item) for _ in range(concurrency)))
    wall = time.perf_counter() - started
    ms = [seconds * 1000 for seconds, _ in outcomes]
    return {
        "requests": concurrency,
        "answered": sum(ok for _, ok in outcomes),
        "wall_s": round(wall, 3),
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
    }


def run_model(
    role: str, folder: Path, budget: int, item: Any, concurrency: int
) -> tuple[dict[str, Any], list[int]]:
    """Load one model with the project's arguments plus ``load_format="dummy"``, time one request
    and then ``concurrency`` at once; (figures, new-token counts of every request)."""
    from cxr_auditor.serving.inflight import EventLoopThread
    from cxr_auditor.serving.model_settings import read_settings
    from cxr_auditor.serving.prompts import load_prompts
    from cxr_auditor.serving.services import GrounderService, ParserService

    settings = read_settings(
        role,
        {
            "runtime": "tensorrt_llm",
            "model": str(folder),
            "max_new_tokens": str(budget),
            "retry_unparseable": "false",
        },
    )
    llm_args, kv_args = llm_arguments(settings, str(folder))
    started = time.perf_counter()
    runtime = CountingRuntime(ForcedLengthRuntime(settings, DUMMY))
    load_s = time.perf_counter() - started
    loop = EventLoopThread(f"device-trtllm-{role}")
    try:
        service_class = GrounderService if role == "grounder" else ParserService
        service = service_class(settings, runtime, load_prompts())
        seconds, ok = loop.submit(_timed(service, item)).result(REQUEST_TIMEOUT_S)
        single_tokens = runtime.take()
        many = loop.submit(_load(service, item, concurrency)).result(REQUEST_TIMEOUT_S)
        many_tokens = runtime.take()
    finally:
        loop.stop()
        runtime.close()
    many["tokens_per_s"] = round(sum(many_tokens) / many["wall_s"], 1)
    figures = {
        "llm_args": llm_args | DUMMY,
        "kv_cache_args": kv_args,
        "load_s": round(load_s, 1),
        "single": {
            "ms": round(seconds * 1000, 1),
            "answered": ok,
            "tokens": sum(single_tokens),
            "tokens_per_s": round(sum(single_tokens) / seconds, 1),
        },
        "concurrent": many,
    }
    return figures, single_tokens + many_tokens


def installed() -> bool:
    try:
        return importlib.util.find_spec("tensorrt_llm") is not None
    except ValueError:  # already imported, without a module spec
        return True


def trtllm_section(
    folders: dict[str, Path], budgets: dict[str, int], items: dict[str, Any], concurrency: int
) -> tuple[dict[str, Any], str]:
    """Both models in turn; FAIL when a request went unanswered or was not of its budget."""
    if not installed():
        raise Skipped(NOT_INSTALLED)
    models: dict[str, Any] = {}
    lengths: dict[str, dict[str, Any]] = {}
    for role, folder in folders.items():
        models[role], counts = run_model(role, folder, budgets[role], items[role], concurrency)
        lengths[role] = check_lengths(role, counts, budgets[role])
    data = {"models": models, "lengths": lengths, "budgets": budgets}
    unanswered = [
        role
        for role, row in models.items()
        if not row["single"]["answered"] or row["concurrent"]["answered"] < concurrency
    ]
    reason = length_failure(lengths, budgets)
    if unanswered or reason:
        why = [f"requests unanswered by {', '.join(unanswered)}"] if unanswered else []
        raise CheckFailed("; ".join(why + ([reason] if reason else [])), data)
    summary = "; ".join(
        f"{role}: load {row['load_s']:.0f} s, one request {row['single']['ms']:.0f} ms, "
        f"{concurrency} at once p50 {row['concurrent']['p50_ms']:.0f} ms, "
        f"{row['concurrent']['tokens_per_s']:.0f} tokens/s"
        for role, row in models.items()
    )
    return data, summary
