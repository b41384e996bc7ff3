"""Which NVIDIA GPU is here, and whether both models fit on it with the chosen settings.

``detect_gpus`` asks ``nvidia-smi`` (present wherever the NVIDIA driver or the container toolkit
is; no torch import). ``plan_memory`` is arithmetic, not a measurement: weights from the
manifest, KV-cache and Mamba-state sizes from each ``config.json``, and a fixed allowance per
model for the CUDA context, activations and CUDA graphs. TensorRT-LLM gives each model's KV cache
``free_gpu_memory_fraction`` of the memory free when *that* model loads, and Triton loads the two
models in either order, so the plan checks the worse order for each.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from cxr_auditor.build_engines.errors import GpuMemoryError, NoGpuError

GiB = 1024**3
OVERHEAD_GIB = 3.0  # per model: CUDA context, activations, workspace, CUDA graphs (estimate)
MIN_LEFT_GIB = 2.0  # memory that must stay free after both KV caches (activation peaks)
NO_GPU_HINT = (
    "run on the GPU host inside the triton image (docker compose run --rm tools ...) "
    "with the NVIDIA Container Toolkit, or pass --gpu-memory-gib to plan for a GPU "
    "elsewhere"
)


@dataclass(frozen=True)
class Gpu:
    index: int
    name: str
    total_gib: float
    free_gib: float


def detect_gpus(timeout_s: float = 15.0) -> list[Gpu]:
    """The visible GPUs; NoGpuError when there is none (or nvidia-smi cannot say)."""
    binary = shutil.which("nvidia-smi")
    if binary is None:
        raise NoGpuError(f"no NVIDIA GPU: nvidia-smi is not on PATH; {NO_GPU_HINT}")
    try:
        done = subprocess.run(
            [
                binary,
                "--query-gpu=index,name,memory.total,memory.free",
                "--format=csv,noheader,nounits",
            ],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise NoGpuError(f"no NVIDIA GPU: nvidia-smi failed ({error}); {NO_GPU_HINT}") from None
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[:1] or ["no output"]
        raise NoGpuError(
            f"no NVIDIA GPU: nvidia-smi exited {done.returncode} ({reason[0]}); {NO_GPU_HINT}"
        )
    gpus = []
    for line in done.stdout.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        try:
            gpus.append(
                Gpu(int(parts[0]), parts[1], float(parts[2]) / 1024, float(parts[3]) / 1024)
            )
        except (IndexError, ValueError):
            raise NoGpuError(f"nvidia-smi printed an unexpected line {line!r}") from None
    if not gpus:
        raise NoGpuError(f"no NVIDIA GPU: nvidia-smi lists none; {NO_GPU_HINT}")
    return gpus


@dataclass(frozen=True)
class ModelNeeds:
    role: str
    weights_gib: float
    kv_gib_per_seq: float  # KV cache of one sequence of max_seq_len tokens
    state_gib_per_seq: float  # recurrent (Mamba) state of one sequence, reserved per batch slot
    max_batch_size: int
    fraction: float  # free_gpu_memory_fraction


def kv_bytes_per_token(config: dict[str, Any]) -> int:
    """K and V of one token in bf16, over the attention layers of a Gemma 3 or Nemotron-H config."""
    text = config.get("text_config") or config
    pattern = text.get("hybrid_override_pattern")
    layers = (
        pattern.count("*") if isinstance(pattern, str) else int(text.get("num_hidden_layers", 0))
    )
    heads = int(text.get("num_key_value_heads") or text.get("num_attention_heads") or 0)
    head_dim = int(
        text.get("head_dim")
        or text.get("hidden_size", 0) // max(1, int(text.get("num_attention_heads") or 1))
    )
    return layers * 2 * heads * head_dim * 2


def mamba_state_bytes(config: dict[str, Any]) -> int:
    """SSM state (float32) plus convolution state (bf16) of one sequence; 0 without Mamba layers."""
    pattern = config.get("hybrid_override_pattern")
    if not isinstance(pattern, str):
        return 0
    layers = pattern.count("M")
    heads, head_dim = int(config.get("mamba_num_heads", 0)), int(config.get("mamba_head_dim", 0))
    state, groups = int(config.get("ssm_state_size", 0)), int(config.get("n_groups", 1))
    conv = int(config.get("conv_kernel", 4))
    ssm = heads * head_dim * state * 4
    conv_state = (heads * head_dim + 2 * groups * state) * (conv - 1) * 2
    return layers * (ssm + conv_state)


def needs_from(
    role: str,
    config: dict[str, Any],
    weights_bytes: int,
    max_seq_len: int,
    max_batch_size: int,
    fraction: float,
) -> ModelNeeds:
    return ModelNeeds(
        role,
        weights_bytes / GiB,
        kv_bytes_per_token(config) * max_seq_len / GiB,
        mamba_state_bytes(config) / GiB,
        max_batch_size,
        fraction,
    )


@dataclass(frozen=True)
class MemoryPlan:
    total_gib: float
    fixed_gib: float  # weights + overheads + Mamba states
    free_gib: float  # what the KV caches share
    kv_gib: dict[str, float]  # each model's KV budget when it loads second (the worse order)
    sequences: dict[str, int]  # full-length sequences that budget holds
    left_gib: float

    def lines(self) -> list[str]:
        rows = [
            (
                f"GPU memory plan ({self.total_gib:.1f} GiB): weights + runtime + Mamba state "
                f"{self.fixed_gib:.1f} GiB, {self.free_gib:.1f} GiB left for the KV caches"
            )
        ]
        rows += [
            f"  {role}: KV cache >= {gib:.1f} GiB (about {self.sequences[role]} sequences of "
            "max_seq_len)"
            for role, gib in self.kv_gib.items()
        ]
        rows.append(f"  left for activation peaks: >= {self.left_gib:.1f} GiB")
        return rows


def plan_memory(total_gib: float, models: list[ModelNeeds]) -> MemoryPlan:
    """Check that ``models`` fit on one GPU of ``total_gib``; GpuMemoryError says why not."""
    for need in models:
        if not 0.05 <= need.fraction <= 0.95:
            raise GpuMemoryError(
                f"{need.role}: free_gpu_memory_fraction {need.fraction} is outside 0.05..0.95"
            )
    state = sum(m.state_gib_per_seq * m.max_batch_size for m in models)
    fixed = sum(m.weights_gib + OVERHEAD_GIB for m in models) + state
    free = total_gib - fixed
    minimum = fixed + sum(m.kv_gib_per_seq for m in models) + MIN_LEFT_GIB
    if total_gib < minimum:
        raise GpuMemoryError(
            f"both models need at least {math.ceil(minimum * 10) / 10:.1f} GiB of GPU memory "
            "with these settings "
            f"(weights {sum(m.weights_gib for m in models):.1f} GiB, runtime allowance "
            f"{OVERHEAD_GIB:.0f} GiB each, Mamba state {state:.1f} GiB for every batch slot, one "
            f"full-length sequence of KV cache each); this GPU has {total_gib:.1f} GiB. Use --fp8, "
            "a smaller --max-batch-size or --max-seq-len, or a bigger GPU"
        )
    kv: dict[str, float] = {}
    left = free
    for need in models:
        later = 1.0  # the share the other models leave when ``need`` loads last
        for other in models:
            if other is not need:
                later *= 1 - other.fraction
        kv[need.role] = need.fraction * later * free
        left *= 1 - need.fraction  # the same whatever the load order
    sequences = {
        m.role: int(kv[m.role] // m.kv_gib_per_seq) if m.kv_gib_per_seq else 10**6 for m in models
    }
    short = [role for role, n in sequences.items() if n < 1]
    if short:
        raise GpuMemoryError(
            f"{', '.join(short)}: the KV-cache share holds less than one "
            "sequence of max_seq_len; raise free_gpu_memory_fraction or lower "
            "--max-seq-len"
        )
    if left < MIN_LEFT_GIB:
        raise GpuMemoryError(
            f"the memory fractions leave {left:.1f} GiB for activation peaks "
            f"(at least {MIN_LEFT_GIB:.0f} GiB needed); lower them"
        )
    return MemoryPlan(total_gib, fixed, free, kv, sequences, left)
