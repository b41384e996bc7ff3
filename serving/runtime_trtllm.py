"""The ``tensorrt_llm`` runtime: ``tensorrt_llm.LLM`` on the PyTorch backend (GPU only).

Not runnable on the CPU machines of this project (no wheel outside NVIDIA's index, needs a GPU):
it runs inside the NGC ``tritonserver:<yy.mm>-trtllm-python-py3`` image, with this project
installed. Choices (TensorRT-LLM 1.2's ``LLM`` API):

- Neither model has a TensorRT engine flow (removed upstream, never supported for Gemma 3 VLM or
  Nemotron-H): both run on the PyTorch backend; ``tensorrt_llm`` is imported only in ``load``.
- Gemma 3 VLM needs the FlashInfer attention backend, chunked prefill off and KV-cache block reuse
  off; CUDA graphs start off (``cuda_graph_config=None``, as in NVIDIA's documented example).
- Nemotron-H (hybrid Mamba) needs block reuse off; its SSM cache is kept in float32.
- The prompt is rendered here with the checkpoint's own Hugging Face chat template (processor for
  the grounder, tokenizer for the parser) and passed as text, the image as ``multi_modal_data``.
- ``skip_special_tokens`` defaults to True in TensorRT-LLM and would delete ``<think>`` tags; it is
  turned off and the other special tokens are dropped here, as in the transformers runtime.
- A pinned Hub id is resolved to a local snapshot first (``snapshot_download``), so the runtime
  and the renderer read the same files; ``HF_HUB_OFFLINE=1`` makes that a cache lookup.
- In the container, start the server as ``trtllm-llmapi-launch tritonserver ...`` (plain
  ``tritonserver`` failed with ``MPI_ERR_SPAWN`` in NVIDIA's tutorial); settings come from the same
  ``config.pbtxt`` parameters (``free_gpu_memory_fraction``, ``max_seq_len``, ``max_batch_size``).

Unverified here (no GPU on the project machines): run ``bench/triton_bench.py``-style checks on
the GPU host before relying on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import HUB_ID, ModelSettings
from cxr_auditor.serving.runtime import Chat, Generation, Runtime, reasoning_prefill
from cxr_auditor.serving.runtime_transformers import droppable_tokens, render


def _local_folder(settings: ModelSettings) -> str:
    if not HUB_ID.match(settings.model):
        return settings.model
    from huggingface_hub import snapshot_download

    repo, revision = settings.model.split("@")
    return snapshot_download(repo, revision=revision)


class TensorRTLLMRuntime:
    name = "tensorrt_llm"

    def __init__(self, settings: ModelSettings) -> None:
        try:
            import transformers
            from tensorrt_llm import LLM, SamplingParams
            from tensorrt_llm.llmapi import KvCacheConfig
        except ImportError as error:
            raise RuntimeLoadError(
                f"the tensorrt_llm runtime needs TensorRT-LLM ({error}); it runs in the NGC "
                "tritonserver:<yy.mm>-trtllm-python-py3 image on a GPU. Use runtime "
                "'transformers' on a CPU."
            ) from None
        self.role = settings.role
        self.sampling_params = SamplingParams
        folder = _local_folder(settings)
        trust = bool(settings["trust_remote_code"])
        kv_args: dict[str, Any] = {
            "enable_block_reuse": False,
            "free_gpu_memory_fraction": settings.number("free_gpu_memory_fraction"),
        }
        llm_args: dict[str, Any] = {
            "model": folder,
            "backend": "pytorch",
            "dtype": str(settings["dtype"]),
            "max_batch_size": settings.integer("max_batch_size"),
            "max_seq_len": settings.integer("max_seq_len"),
            "trust_remote_code": trust,
        }
        if self.role == "grounder":
            # transformers leaves AutoProcessor.from_pretrained unannotated.
            self.renderer = transformers.AutoProcessor.from_pretrained(  # type: ignore[no-untyped-call]
                folder, trust_remote_code=trust
            )
            self.tokenizer = self.renderer.tokenizer
            llm_args.update(
                attn_backend="FLASHINFER", enable_chunked_prefill=False, cuda_graph_config=None
            )
        else:
            self.renderer = transformers.AutoTokenizer.from_pretrained(
                folder, trust_remote_code=trust
            )
            self.tokenizer = self.renderer
            kv_args["mamba_ssm_cache_dtype"] = "float32"
        self.drop_tokens = droppable_tokens(self.tokenizer)
        try:
            self.llm = LLM(kv_cache_config=KvCacheConfig(**kv_args), **llm_args)
        except Exception as error:
            raise RuntimeLoadError(
                f"TensorRT-LLM could not load {settings.model}: {error}"
            ) from error

    def _params(self, chat: Chat) -> Any:
        sampling: dict[str, Any] = {}
        if chat.temperature > 0:
            sampling = {"temperature": chat.temperature, "top_p": 0.95}
        return self.sampling_params(
            max_tokens=chat.max_new_tokens, skip_special_tokens=False, **sampling
        )

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        prompts = [render(self.renderer, chat) for chat in chats]
        inputs: list[dict[str, Any]] = []
        for chat, prompt in zip(chats, prompts):
            item: dict[str, Any] = {"prompt": prompt}
            if chat.image is not None:
                item["multi_modal_data"] = {"image": [chat.image]}
            inputs.append(item)
        outputs = self.llm.generate(inputs, [self._params(chat) for chat in chats])
        results = []
        for prompt, output in zip(prompts, outputs):
            completion = output.outputs[0]
            text = completion.text
            for token in self.drop_tokens:
                text = text.replace(token, "")
            results.append(
                Generation(
                    reasoning_prefill(prompt) + text,
                    len(completion.token_ids),
                    completion.finish_reason != "length",
                )
            )
        return results

    def close(self) -> None:
        self.llm.shutdown()


def load(settings: ModelSettings) -> Runtime:
    return TensorRTLLMRuntime(settings)
