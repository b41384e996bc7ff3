"""The GPU settings of each served model, and how they are rendered into a model repository.

Two kinds of setting, from TensorRT-LLM's documentation for the two architectures:

- ``LLM_ARGS``: TensorRT-LLM arguments that are requirements of the architecture, not choices.
  Gemma 3 VLM needs FlashInfer attention, chunked prefill off and KV-cache block reuse off (its
  image tokens attend bidirectionally; NVIDIA's multimodal README), CUDA graphs start off as in
  NVIDIA's example; Nemotron-H (hybrid Mamba) needs block reuse off and a float32 SSM state. They
  are fixed in ``serving/runtime_trtllm.py`` (tests check that the runtime passes exactly these)
  and written into the rendered ``config.pbtxt`` as comments and into ``gpu_settings.json``.
- ``GpuChoice``: what a deployment chooses (batch size, sequence length, KV-cache share of free
  memory). They become ``config.pbtxt`` parameters that ``serving.model_settings`` reads; the
  memory plan (``build_engines.gpu``) checks that both models fit on one GPU.

Nemotron-H loads through its own ``trust_remote_code`` files under TensorRT-LLM (the
transformers it bundles predates ``nemotron_h``); the transformers runtime (>= 5.18) has the class
natively and does not run remote code.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

RUNTIMES = ("tensorrt_llm", "transformers")

LLM_ARGS: dict[str, dict[str, object]] = {
    "grounder": {
        "backend": "pytorch",
        "attn_backend": "FLASHINFER",
        "enable_chunked_prefill": False,
        "cuda_graph_config": None,
        "kv_cache_config.enable_block_reuse": False,
    },
    "draft_parser": {
        "backend": "pytorch",
        "kv_cache_config.enable_block_reuse": False,
        "kv_cache_config.mamba_ssm_cache_dtype": "float32",
    },
}


@dataclass(frozen=True)
class GpuChoice:
    max_batch_size: int  # in-flight batch of the runtime = Triton's max_batch_size
    max_seq_len: int  # prompt + image tokens + answer
    free_gpu_memory_fraction: float
    trust_remote_code: dict[str, bool]  # per runtime

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULTS: dict[str, GpuChoice] = {
    # prompt ~300 tokens + 256 image tokens + answer <= 512: 4096 leaves room for the retry prompt
    "grounder": GpuChoice(16, 4096, 0.35, {"tensorrt_llm": False, "transformers": False}),
    # drafts up to 20,000 characters (~5,000 tokens) + answer <= 768
    "draft_parser": GpuChoice(32, 8192, 0.35, {"tensorrt_llm": True, "transformers": False}),
}


def describe_llm_args(role: str) -> str:
    def show(value: object) -> str:
        if value is None:
            return "null"
        return str(value).lower() if isinstance(value, bool) else str(value)

    return ", ".join(f"{key}={show(value)}" for key, value in LLM_ARGS[role].items())


def parameters_for(
    role: str, runtime: str, choice: GpuChoice, model: str, name: str, version: str
) -> dict[str, str]:
    """The ``config.pbtxt`` parameters of ``role`` on the GPU for ``runtime``."""
    values = {
        "runtime": runtime,
        "model": model,
        "model_name": name,
        "model_version": version,
        "device": "cuda",
        "dtype": "bfloat16",
        "trust_remote_code": str(choice.trust_remote_code[runtime]).lower(),
    }
    if runtime == "tensorrt_llm":
        values |= {
            "max_batch_size": str(choice.max_batch_size),
            "max_seq_len": str(choice.max_seq_len),
            "free_gpu_memory_fraction": f"{choice.free_gpu_memory_fraction:g}",
        }
    return values
