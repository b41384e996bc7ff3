"""Which NVIDIA GPU is here, and whether both models fit on it with the chosen settings.

``detect_gpus`` asks ``nvidia-smi`` (present wherever the NVIDIA driver or the container toolkit
is; no torch import). ``plan_memory`` is arithmetic, not a measurement: weights from the
manifest, KV-cache and Mamba-state sizes from each ``config.json`` (as the real checkpoints
write it or as newer transformers save it; a missing size is an error, never a zero), and a
fixed allowance per model for the CUDA context, activations and CUDA graphs. TensorRT-LLM gives
each model's KV cache ``free_gpu_memory_fraction`` of the memory free when *that* model loads,
and Triton loads the two models in either order, so the plan checks the worse order for each.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from cxr_auditor.build_engines.errors import CheckpointError, GpuMemoryError, NoGpuError
from cxr_auditor.serving.tiny_models import PATTERN_CHAR

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


MAMBA_KEYS = ("mamba_num_heads", "mamba_head_dim", "ssm_state_size", "n_groups", "conv_kernel")


def _text(config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The config that holds the language model's sizes, and its JSON path prefix."""
    if "text_config" not in config:
        return config, ""
    text = config["text_config"]
    if not isinstance(text, dict):
        raise CheckpointError(f"config.json text_config is {text!r}, not an object")
    return text, "text_config."


# transformers leaves a value that equals its config class's default out of config.json; the real
# Gemma 3 4B checkpoints do so for the attention sizes (their text_config has no head counts or
# head_dim). These are Gemma3TextConfig's defaults (transformers 4.50 to 5.x; a test checks them).
CLASS_DEFAULTS: dict[str, dict[str, int]] = {
    "gemma3_text": {"num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256},
}


def _size(config: dict[str, Any], key: str) -> int:
    text, where = _text(config)
    value = text.get(key, CLASS_DEFAULTS.get(str(text.get("model_type")), {}).get(key))
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        found = "missing" if value is None else f"{value!r}"
        raise CheckpointError(
            f"config.json {where}{key} is {found}; the memory plan needs a positive integer there"
        )
    return value


def layer_pattern(config: dict[str, Any]) -> str:
    """One character per layer (M Mamba-2, * attention, - MLP, E MoE) of a Gemma 3 or Nemotron-H
    config, from whichever form it was saved in: the ``hybrid_override_pattern`` string of the
    real Nemotron-H checkpoints, the ``layers_block_type`` or ``layer_types`` lists newer
    transformers write, or (a Gemma 3 text config without ``layer_types``) ``num_hidden_layers``
    attention layers. Forms that disagree, or with ``num_hidden_layers``, are refused."""
    text, where = _text(config)
    forms: dict[str, str] = {}
    pattern = text.get("hybrid_override_pattern")
    if pattern is not None:
        if not isinstance(pattern, str) or not pattern or set(pattern) - set("M*-E"):
            raise CheckpointError(
                f"config.json {where}hybrid_override_pattern is {pattern!r}; expected a non-empty "
                "string of M (Mamba-2), * (attention), - (MLP) and E (MoE)"
            )
        forms["hybrid_override_pattern"] = pattern
    for key in ("layers_block_type", "layer_types"):
        kinds = text.get(key)
        if kinds is None:
            continue
        if not isinstance(kinds, list) or not kinds:
            raise CheckpointError(f"config.json {where}{key} is {kinds!r}, not a list of layers")
        for i, kind in enumerate(kinds):
            if kind not in PATTERN_CHAR:
                raise CheckpointError(
                    f"config.json {where}{key}[{i}] is {kind!r}, not one of "
                    f"{', '.join(sorted(PATTERN_CHAR))}"
                )
        forms[key] = "".join(PATTERN_CHAR[kind] for kind in kinds)
    if not forms:
        if config.get("model_type") == "nemotron_h" or text.get("model_type") == "nemotron_h":
            raise CheckpointError(
                f"config.json {where}hybrid_override_pattern is missing (and there is no "
                "layers_block_type or layer_types list); the memory plan cannot tell the Mamba "
                "layers from the attention layers"
            )
        return "*" * _size(config, "num_hidden_layers")
    (first, found), *others = forms.items()
    for key, other in others:
        if other != found:
            raise CheckpointError(
                f"config.json {where}{key} ({other}) disagrees with {where}{first} ({found})"
            )
    declared = text.get("num_hidden_layers")
    if declared is not None and declared != len(found):
        raise CheckpointError(
            f"config.json {where}num_hidden_layers is {declared!r} but {where}{first} lists "
            f"{len(found)} layers"
        )
    return found


def kv_bytes_per_token(config: dict[str, Any]) -> int:
    """K and V of one token in bf16, over the attention layers of a Gemma 3 or Nemotron-H config
    (sliding-window layers counted in full: an upper bound)."""
    layers = layer_pattern(config).count("*")
    if not layers:
        return 0
    return layers * 2 * _size(config, "num_key_value_heads") * _size(config, "head_dim") * 2


def mamba_state_bytes(config: dict[str, Any]) -> int:
    """SSM state (float32) plus convolution state (bf16) of one sequence; 0 without Mamba layers."""
    layers = layer_pattern(config).count("M")
    if not layers:
        return 0
    heads, head_dim, state, groups, conv = (_size(config, key) for key in MAMBA_KEYS)
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
    try:
        kv, state = kv_bytes_per_token(config), mamba_state_bytes(config)
    except CheckpointError as error:
        raise CheckpointError(f"{role}: {error}") from None
    return ModelNeeds(
        role,
        weights_bytes / GiB,
        kv * max_seq_len / GiB,
        state / GiB,
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
