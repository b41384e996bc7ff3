"""The ``tensorrt_llm`` runtime: ``tensorrt_llm.LLM`` on the PyTorch backend (GPU only).

Not runnable on the CPU machines of this project (no wheel outside NVIDIA's index, needs a GPU):
it runs inside the NGC ``tritonserver:<yy.mm>-trtllm-python-py3`` image, with this project
installed. Tests drive it with a fake ``LLM`` that is type-checked against ``TrtllmLLM`` below.
Choices, from TensorRT-LLM 1.2's own source (``tensorrt_llm/llmapi/``) and NVIDIA's llmapi Triton
model:

- Neither model has a TensorRT engine flow: both run on the PyTorch backend; ``tensorrt_llm`` is
  imported only when the runtime loads.
- **One process per model, no MPI launcher.** Two models in one ``trtllm-llmapi-launch`` would
  share its one proxy IPC address and leader. Instead the server is a plain ``tritonserver`` and
  each model's ``LLM`` runs its executor worker inside the model's own Python-backend stub
  (``TLLM_WORKER_USE_SINGLE_PROCESS=1``, set here before the import, TensorRT-LLM's single-GPU
  worker mode). MPI/PMIx job variables inherited from a launcher are cleared first, as NVIDIA's
  llmapi Triton model does (``prepare_process_env``).
- Gemma 3 VLM needs FlashInfer attention, chunked prefill off and KV-cache block reuse off; CUDA
  graphs start off (NVIDIA's documented example). Nemotron-H needs block reuse off and a float32
  SSM cache.
- **Token parity** with the transformers runtime (``serving.decoding``): the image path sends the
  rendered prompt without its ``<bos>`` (Gemma 3's input processor adds one); the text path sends
  ``prompt_token_ids`` tokenized with ``add_special_tokens=False``; stop tokens from
  ``generation_config.json`` go in ``stop_token_ids``; no top_p/top_k; ``skip_special_tokens``
  off (it would delete ``<think>``), the other special tokens dropped here.
- **In-flight batching:** ``generate_one`` submits one request with ``generate_async`` and awaits
  it on the serving event loop; TensorRT-LLM's scheduler batches whatever is in flight each step
  (``max_batch_size`` requests, ``max_num_tokens`` tokens). Cancelling the coroutine aborts the
  request in the engine. ``generate`` (offline batches) calls ``LLM.generate`` without tqdm.
- A pinned Hub id is resolved to a local snapshot first (``snapshot_download``).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from cxr_auditor.serving.decoding import (
    Decoding,
    stop_token_ids,
    strip_rendered_bos,
    text_prompt_ids,
    trtllm_sampling_kwargs,
)
from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import HUB_ID, ModelSettings
from cxr_auditor.serving.runtime import Chat, Generation, Runtime, reasoning_prefill
from cxr_auditor.serving.runtime_transformers import droppable_tokens, render

# Job variables of an MPI/PMIx launch (not configuration like OMPI_MCA_*): a model process that
# inherits them would try to join the launcher's job instead of starting its own worker.
MPI_JOB_VARIABLES = frozenset(
    {
        "OMPI_COMM_WORLD_SIZE",
        "OMPI_COMM_WORLD_RANK",
        "OMPI_COMM_WORLD_LOCAL_SIZE",
        "OMPI_COMM_WORLD_LOCAL_RANK",
        "OMPI_COMM_WORLD_NODE_RANK",
        "OMPI_UNIVERSE_SIZE",
        "OMPI_FIRST_RANKS",
        "OMPI_APP_CTX_NUM_PROCS",
        "PMIX_RANK",
        "PMIX_NAMESPACE",
        "PMIX_SERVER_URI",
        "PMIX_SERVER_URI2",
        "PMIX_SERVER_URI21",
        "PMIX_SERVER_URI3",
        "PMIX_SERVER_TMPDIR",
        "PMIX_SYSTEM_TMPDIR",
        "PMIX_SECURITY_MODE",
        "PMIX_GDS_MODULE",
        "PMIX_BFROPS_MODULE",
        "PMIX_PTL_MODULE",
        "PMIX_VERSION",
        "PMIX_HOSTNAME",
        "PMI_RANK",
        "PMI_SIZE",
        "PMI_FD",
        "PMI_SPAWNED",
        "PMI_APPNUM",
    }
)
MPI_JOB_PREFIXES = ("OMPI_MCA_orte_", "ORTE_")
SINGLE_PROCESS = {"TLLM_WORKER_USE_SINGLE_PROCESS": "1"}


def prepare_process_env(environ: dict[str, str] | Any = os.environ) -> list[str]:
    """Clear inherited MPI/PMIx job variables and select the in-process worker; the names
    removed. Must run before ``import tensorrt_llm``."""
    removed = sorted(
        key for key in environ if key in MPI_JOB_VARIABLES or key.startswith(MPI_JOB_PREFIXES)
    )
    for key in removed:
        del environ[key]
    for key, value in SINGLE_PROCESS.items():
        environ.setdefault(key, value)
    return removed


# ------------------------------------------------------------------ the interface used
class TrtllmCompletion(Protocol):
    """``tensorrt_llm.llmapi.CompletionOutput``: the fields read here."""

    @property
    def text(self) -> str: ...

    @property
    def token_ids(self) -> Sequence[int]: ...

    @property
    def finish_reason(self) -> str | None: ...


class TrtllmResult(Protocol):
    """``tensorrt_llm.llmapi.RequestOutput`` (a ``GenerationResult``): awaitable, abortable."""

    @property
    def outputs(self) -> Sequence[TrtllmCompletion]: ...

    async def aresult(self) -> TrtllmResult: ...

    def abort(self) -> None: ...


class TrtllmLLM(Protocol):
    """``tensorrt_llm.LLM``: the calls this runtime makes."""

    def generate(
        self, inputs: list[dict[str, Any]], sampling_params: list[Any], use_tqdm: bool = ...
    ) -> Sequence[TrtllmResult]: ...

    def generate_async(self, inputs: dict[str, Any], sampling_params: Any) -> TrtllmResult: ...

    def shutdown(self) -> None: ...


@dataclass(frozen=True)
class TrtllmRequest:
    prompt: str  # the rendered chat prompt (for the reasoning prefill)
    inputs: dict[str, Any]  # what generate_async receives as its prompt
    sampling: dict[str, Any]  # SamplingParams arguments


def build_request(
    renderer: Any, tokenizer: Any, chat: Chat, stop_ids: Sequence[int]
) -> TrtllmRequest:
    """The request this runtime sends TensorRT-LLM for one chat (no tensorrt_llm needed)."""
    prompt = render(renderer, chat)
    sampling = trtllm_sampling_kwargs(
        Decoding(chat.max_new_tokens, chat.temperature, tuple(stop_ids))
    )
    if chat.image is not None:
        text = strip_rendered_bos(prompt, getattr(tokenizer, "bos_token", None))
        return TrtllmRequest(
            prompt, {"prompt": text, "multi_modal_data": {"image": [chat.image]}}, sampling
        )
    return TrtllmRequest(prompt, {"prompt_token_ids": text_prompt_ids(tokenizer, prompt)}, sampling)


def _local_folder(settings: ModelSettings) -> str:
    if not HUB_ID.match(settings.model):
        return settings.model
    from huggingface_hub import snapshot_download

    repo, revision = settings.model.split("@")
    return snapshot_download(repo, revision=revision)


def llm_arguments(settings: ModelSettings, folder: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(``LLM`` keyword arguments without ``kv_cache_config``, ``KvCacheConfig`` arguments)."""
    kv_args: dict[str, Any] = {
        "enable_block_reuse": False,
        "free_gpu_memory_fraction": settings.number("free_gpu_memory_fraction"),
    }
    llm_args: dict[str, Any] = {
        "model": folder,
        "backend": "pytorch",
        "dtype": str(settings["dtype"]),
        "max_batch_size": settings.integer("max_batch_size"),
        "max_num_tokens": settings.integer("max_num_tokens"),
        "max_seq_len": settings.integer("max_seq_len"),
        "trust_remote_code": bool(settings["trust_remote_code"]),
    }
    if settings.role == "grounder":
        llm_args |= {
            "attn_backend": "FLASHINFER",
            "enable_chunked_prefill": False,
            "cuda_graph_config": None,
        }
    else:
        kv_args["mamba_ssm_cache_dtype"] = "float32"
    return llm_args, kv_args


class TensorRTLLMRuntime:
    name = "tensorrt_llm"

    def __init__(
        self, settings: ModelSettings, llm_overrides: dict[str, Any] | None = None
    ) -> None:
        """``llm_overrides``: extra ``LLM`` arguments on top of the settings' (the device check
        passes ``load_format="dummy"``); serving passes none."""
        prepare_process_env()
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
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.role = settings.role
        self.sampling_params = SamplingParams
        folder = _local_folder(settings)
        trust = bool(settings["trust_remote_code"])
        llm_args, kv_args = llm_arguments(settings, folder)
        llm_args |= llm_overrides or {}
        if self.role == "grounder":
            # transformers leaves AutoProcessor.from_pretrained unannotated.
            self.renderer = transformers.AutoProcessor.from_pretrained(  # type: ignore[no-untyped-call]
                folder, trust_remote_code=trust
            )
            self.tokenizer = self.renderer.tokenizer
        else:
            self.renderer = transformers.AutoTokenizer.from_pretrained(
                folder, trust_remote_code=trust
            )
            self.tokenizer = self.renderer
        self.stop_ids = stop_token_ids(folder)
        self.drop_tokens = droppable_tokens(self.tokenizer)
        try:
            self.llm: TrtllmLLM = LLM(kv_cache_config=KvCacheConfig(**kv_args), **llm_args)
        except Exception as error:
            raise RuntimeLoadError(
                f"TensorRT-LLM could not load {settings.model}: {error}"
            ) from error

    def request(self, chat: Chat) -> TrtllmRequest:
        if self.role == "grounder" and chat.image is None:
            raise ValueError("the grounder needs an image with every chat")
        return build_request(self.renderer, self.tokenizer, chat, self.stop_ids)

    def _generation(self, prompt: str, output: TrtllmResult) -> Generation:
        completion = output.outputs[0]
        text = completion.text
        for token in self.drop_tokens:
            text = text.replace(token, "")
        return Generation(
            reasoning_prefill(prompt) + text,
            len(completion.token_ids),
            completion.finish_reason != "length",
        )

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        requests = [self.request(chat) for chat in chats]
        outputs = self.llm.generate(
            [r.inputs for r in requests],
            [self.sampling_params(**r.sampling) for r in requests],
            use_tqdm=False,
        )
        return [self._generation(r.prompt, o) for r, o in zip(requests, outputs)]

    async def generate_one(self, chat: Chat) -> Generation:
        request = self.request(chat)
        pending = self.llm.generate_async(
            request.inputs, sampling_params=self.sampling_params(**request.sampling)
        )
        try:
            output = await pending.aresult()
        except asyncio.CancelledError:
            pending.abort()
            raise
        return self._generation(request.prompt, output)

    def close(self) -> None:
        self.llm.shutdown()


def load(settings: ModelSettings) -> Runtime:
    return TensorRTLLMRuntime(settings)
