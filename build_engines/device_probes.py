"""The device check's probes of the transformers runtime: versions, bf16 weight memory, token
parity with the TensorRT-LLM requests, and peak memory of one generate per batch size.

Each probe is a device check section (``build_engines.device_report``): it returns
``(data, summary)`` or raises. Random weights never stop on their own terms, but may emit a stop
token by chance, so every generation is forced to its full budget (``force_lengths``:
transformers' ``min_new_tokens``, which masks the stop tokens until the budget) and each probe
checks that every generation has exactly that length. On the CPU the memory figures are ``None``
("not measured on CPU"), never zeros.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from typing import Any

from cxr_auditor.build_engines.device_report import NOT_ON_CPU, CheckFailed, gib
from cxr_auditor.serving.runtime import Chat, Generation


class CountingRuntime:
    """A runtime that records the new-token count of every generation it returns (thread-safe);
    everything else is the wrapped runtime's."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.tokens: list[int] = []
        self._lock = threading.Lock()

    def _record(self, generations: Sequence[Generation]) -> None:
        with self._lock:
            self.tokens.extend(g.new_tokens for g in generations)

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        out = self.inner.generate(chats)
        self._record(out)
        return list(out)

    async def generate_one(self, chat: Chat) -> Generation:
        out = await self.inner.generate_one(chat)
        self._record([out])
        return out

    def take(self) -> list[int]:
        """The counts recorded since the last ``take``."""
        with self._lock:
            taken, self.tokens = self.tokens, []
        return taken

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def check_lengths(role: str, counts: Sequence[int], budget: int) -> dict[str, Any]:
    """``{"generations", "lengths", "forced"}``: every generation ran to exactly ``budget``."""
    lengths = sorted(set(counts))
    return {"generations": len(counts), "lengths": lengths, "forced": lengths == [budget]}


def length_failure(checks: dict[str, dict[str, Any]], budgets: dict[str, int]) -> str | None:
    """A one-line reason when some role's generations were not all of its budget's length."""
    bad = [
        f"{role}: lengths {c['lengths']}, budget {budgets[role]}"
        for role, c in checks.items()
        if not c["forced"]
    ]
    return "generations not forced to their budgets (" + "; ".join(bad) + ")" if bad else None


def force_lengths(runtime: Any, tokens: int) -> None:
    """Make a transformers runtime generate exactly ``tokens`` new tokens per chat of that budget
    (``min_new_tokens`` in the model's generation config, applied under the explicit stops)."""
    runtime.model.generation_config.min_new_tokens = tokens


def _version(*names: str) -> str | None:
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _driver() -> str | None:
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    done = subprocess.run(
        [smi, "--query-gpu=driver_version", "--format=csv,noheader"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.strip().splitlines()[0] if done.returncode == 0 and done.stdout else None


def versions(device: str) -> tuple[dict[str, Any], str]:
    """Python, torch, CUDA, transformers, tensorrt_llm (by its metadata: importing it starts its
    runtime), the GPU, its memory and the driver."""
    import torch
    import transformers

    data: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "transformers": transformers.__version__,
        "tensorrt_llm": _version("tensorrt_llm", "tensorrt-llm"),
        "device": device,
        "gpu": None,
        "gpu_memory_gib": None,
        "driver": None,
        "mamba_ssm_kernels": importlib.util.find_spec("mamba_ssm") is not None,
        "causal_conv1d_kernels": importlib.util.find_spec("causal_conv1d") is not None,
    }
    if device == "cuda":
        props = torch.cuda.get_device_properties(0)
        data |= {
            "gpu": props.name,
            "gpu_memory_gib": round(props.total_memory / 1024**3, 1),
            "driver": _driver(),
        }
    where = (
        f"{data['gpu']} ({data['gpu_memory_gib']} GiB, driver {data['driver']})"
        if device == "cuda"
        else "CPU (no GPU)"
    )
    summary = (
        f"python {data['python']}, torch {data['torch']} (CUDA {data['cuda']}), transformers "
        f"{data['transformers']}, tensorrt_llm {data['tensorrt_llm'] or 'not installed'}; {where}"
    )
    return data, summary


def allocated(device: str) -> int | None:
    if device != "cuda":
        return None
    import torch

    torch.cuda.synchronize()
    return int(torch.cuda.memory_allocated())


def weight_figures(service: Any, before: int | None, device: str) -> dict[str, Any]:
    """Parameters, their bf16 bytes, and the CUDA memory the load added (``None`` on the CPU)."""
    params = list(service.runtime.model.parameters())
    after = allocated(device)
    count = sum(p.numel() for p in params)
    return {
        "params": count,
        "params_b": round(count / 1e9, 3),
        "param_gib": gib(sum(p.numel() * p.element_size() for p in params)),
        "weights_gib": None if before is None or after is None else gib(after - before),
    }


def parity(service: Any, chat: Chat) -> dict[str, Any]:
    """Both runtimes' prompt ids, stops and budget for one chat of ``service``'s real prompt."""
    from cxr_auditor.serving.decoding import (
        Decoding,
        transformers_generate_kwargs,
        trtllm_prompt_ids,
    )
    from cxr_auditor.serving.runtime_trtllm import build_request

    runtime = service.runtime
    renderer = runtime.processor if runtime.processor is not None else runtime.tokenizer
    stops = tuple(sorted(runtime.stop_ids))
    request = build_request(renderer, runtime.tokenizer, chat, stops)
    ours = runtime.prompt_ids(chat)
    theirs = trtllm_prompt_ids(request.inputs, runtime.processor)
    hf = transformers_generate_kwargs(Decoding(chat.max_new_tokens, chat.temperature, stops), 0)
    bos = runtime.tokenizer.bos_token_id
    checks = {
        "same_ids": ours == theirs,
        "one_bos": ours.count(bos) <= 1 and theirs.count(bos) <= 1,
        "same_stops": sorted(hf["eos_token_id"]) == sorted(request.sampling["stop_token_ids"]),
        "same_budget": hf["max_new_tokens"] == request.sampling["max_tokens"],
    }
    first_difference = next(
        (i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs))
    )
    return {
        "passed": all(checks.values()),
        "checks": checks,
        "prompt_tokens": len(ours),
        "trtllm_prompt_tokens": len(theirs),
        "first_difference": None if ours == theirs else first_difference,
        "stop_ids": list(stops),
    }


def token_parity(chats: dict[str, tuple[Any, Chat]]) -> tuple[dict[str, Any], str]:
    """The parity check for each role's (service, chat); FAIL when any check fails."""
    models = {role: parity(service, chat) for role, (service, chat) in chats.items()}
    failed = {
        role: [name for name, ok in row["checks"].items() if not ok]
        for role, row in models.items()
        if not row["passed"]
    }
    data = {"models": models, "passed": not failed}
    if failed:
        raise CheckFailed(f"token parity FAIL: {failed}", data)
    summary = "token parity PASS: " + ", ".join(
        f"{role} {row['prompt_tokens']} prompt tokens identical" for role, row in models.items()
    )
    return data, summary


def peak_memory(
    chats: dict[str, tuple[Any, Chat]], batches: Sequence[int], device: str
) -> tuple[dict[str, Any], str]:
    """Peak CUDA memory (reset before each) and time of one ``generate`` of ``batch`` copies of
    each role's chat, every generation forced to its budget."""
    models: dict[str, list[dict[str, Any]]] = {}
    checks: dict[str, dict[str, Any]] = {}
    for role, (service, chat) in chats.items():
        rows, counts = [], []
        for batch in batches:
            if device == "cuda":
                import torch

                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
            started = time.perf_counter()
            out = service.runtime.generate([chat] * batch)
            peak = None
            if device == "cuda":
                torch.cuda.synchronize()
                peak = int(torch.cuda.max_memory_allocated())
            seconds = time.perf_counter() - started
            tokens = [g.new_tokens for g in out]
            counts += tokens
            rows.append(
                {
                    "batch": batch,
                    "peak_gib": gib(peak),
                    "seconds": round(seconds, 3),
                    "tokens_per_s": round(sum(tokens) / seconds, 1),
                }
            )
        models[role] = rows
        checks[role] = check_lengths(role, counts, chat.max_new_tokens)
    data = {"batches": list(batches), "models": models, "lengths": checks}
    if device != "cuda":
        data["memory_note"] = NOT_ON_CPU
    reason = length_failure(checks, {r: c.max_new_tokens for r, (_, c) in chats.items()})
    if reason:
        raise CheckFailed(reason, data)
    peaks = "; ".join(
        f"{role} peak "
        + "/".join("-" if r["peak_gib"] is None else f"{r['peak_gib']:.2f}" for r in rows)
        + " GiB"
        for role, rows in models.items()
    )
    where = f" ({NOT_ON_CPU})" if device != "cuda" else ""
    return data, f"batch {'/'.join(map(str, batches))}: {peaks}{where}"
