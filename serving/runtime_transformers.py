"""The ``transformers`` runtime: Hugging Face ``generate`` on CPU (also usable on a GPU).

Loads the grounder with ``AutoProcessor`` + ``AutoModelForImageTextToText`` and the draft parser
with ``AutoTokenizer`` + ``AutoModelForCausalLM``, renders each chat with the model's own chat
template, and generates a batch at once (left padding; chats with different budgets or
temperatures are generated in separate groups). A checkpoint whose weights do not match the
architecture (missing or mismatched tensors) refuses to load instead of serving random weights.

Decoding keeps ``<think>``/``</think>`` (they are special tokens in Nemotron's tokenizer and would
vanish with ``skip_special_tokens``) and drops every other special token, so the output parser can
strip the reasoning itself, complete or cut off. torch and transformers are imported in ``load``.

Token parity with the TensorRT-LLM runtime (one ``<bos>``, the stop tokens of
``generation_config.json`` passed explicitly, no extra top_k/top_p) is defined in
``serving.decoding``. ``generate_one`` (the serving path) runs one chat at a time on a single
worker thread: on the CPU this runtime is a functional stand-in, not an in-flight batcher.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

from cxr_auditor.serving.decoding import Decoding, stop_token_ids, transformers_generate_kwargs
from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import HUB_ID, ModelSettings
from cxr_auditor.serving.runtime import Chat, Generation, Runtime, reasoning_prefill

KEEP_TOKENS = frozenset({"<think>", "</think>", "<thinking>", "</thinking>"})


def droppable_tokens(tokenizer: Any) -> list[str]:
    """Every special token text except the reasoning tags (named and added special tokens alike)."""
    added = getattr(tokenizer, "added_tokens_decoder", {}) or {}
    specials = set(tokenizer.all_special_tokens)
    specials |= {token.content for token in added.values() if getattr(token, "special", False)}
    return sorted(specials - KEEP_TOKENS, key=len, reverse=True)


def render(template_owner: Any, chat: Chat) -> str:
    """The prompt text of one chat, from the model's chat template (processor or tokenizer)."""
    kwargs = {} if chat.enable_thinking is None else {"enable_thinking": chat.enable_thinking}
    prompt = template_owner.apply_chat_template(
        chat.messages, add_generation_prompt=True, tokenize=False, **kwargs
    )
    if not isinstance(prompt, str):  # tokenize=False renders text
        raise TypeError(f"the chat template rendered {type(prompt).__name__}, not text")
    return prompt


def pretrained_source(settings: ModelSettings) -> tuple[str, dict[str, object]]:
    """(path or Hub id, extra from_pretrained kwargs) for the ``model`` parameter."""
    extra: dict[str, object] = {"trust_remote_code": bool(settings["trust_remote_code"])}
    if HUB_ID.match(settings.model):
        repo, revision = settings.model.split("@")
        return repo, {**extra, "revision": revision}
    return settings.model, extra


class TransformersRuntime:
    name = "transformers"

    def __init__(self, settings: ModelSettings) -> None:
        try:
            import torch
            import transformers
        except ImportError as error:
            raise RuntimeLoadError(
                f"the transformers runtime needs torch and transformers "
                f"({error}); install the project's 'models' extra"
            ) from None
        self.torch = torch
        self.role = settings.role
        torch.set_num_threads(settings.integer("torch_threads"))
        device = str(settings["device"])
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        elif device == "cuda" and not torch.cuda.is_available():
            raise RuntimeLoadError("parameter device = 'cuda' but no CUDA device is available")
        self.device = device
        self.dtype = getattr(torch, str(settings["dtype"]))
        source, extra = pretrained_source(settings)
        try:
            model_class: type[
                transformers.AutoModelForImageTextToText | transformers.AutoModelForCausalLM
            ]
            if self.role == "grounder":
                # transformers leaves AutoProcessor.from_pretrained unannotated.
                self.processor = transformers.AutoProcessor.from_pretrained(source, **extra)  # type: ignore[no-untyped-call]
                self.tokenizer = self.processor.tokenizer
                model_class = transformers.AutoModelForImageTextToText
            else:
                self.processor = None
                self.tokenizer = transformers.AutoTokenizer.from_pretrained(source, **extra)
                model_class = transformers.AutoModelForCausalLM
            # With output_loading_info=True, from_pretrained returns (model, loading info); its
            # annotation names the model only.
            model, info = cast(
                tuple[transformers.PreTrainedModel, dict[str, list[str]]],
                model_class.from_pretrained(
                    source, dtype=self.dtype, output_loading_info=True, **extra
                ),
            )
        except (OSError, ValueError, KeyError) as error:
            raise RuntimeLoadError(
                f"cannot load {settings.role} from {settings.model}: {error}"
            ) from None
        bad = {k: v for k, v in info.items() if v and k in ("missing_keys", "mismatched_keys")}
        if bad:
            raise RuntimeLoadError(
                f"{settings.model}: the checkpoint does not match {type(model).__name__}: {bad}"
            )
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.tokenizer.padding_side = "left"
        # transformers types the wrapped ``to`` as taking the model itself; a device is what it
        # takes.
        self.model = model.to(self.device).eval()  # type: ignore[arg-type]
        if Path(source).is_dir():
            self.stop_ids = set(stop_token_ids(source))
        else:  # a Hub id: the same file, as transformers read it
            stops = model.generation_config.eos_token_id
            self.stop_ids = set(stops if isinstance(stops, list) else [stops]) - {None}
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transformers")
        self.pad_id = model.generation_config.pad_token_id
        if self.pad_id is None:
            self.pad_id = self.tokenizer.pad_token_id
        self.drop_tokens = droppable_tokens(self.tokenizer)

    def _inputs(self, chats: Sequence[Chat], prompts: list[str]) -> Any:
        if self.processor is not None:
            images = [[chat.image] for chat in chats]
            if any(chat.image is None for chat in chats):
                raise ValueError("the grounder needs an image with every chat")
            batch = self.processor(
                text=prompts,
                images=images,
                padding=True,
                add_special_tokens=False,
                return_tensors="pt",
            )
            return batch.to(self.device, dtype=self.dtype)  # casts floating tensors only
        batch = self.tokenizer(prompts, padding=True, add_special_tokens=False, return_tensors="pt")
        return batch.to(self.device)

    def prompt_ids(self, chat: Chat) -> list[int]:
        """The token ids this runtime sends the model for one chat (the parity tests read them)."""
        owner = self.processor if self.processor is not None else self.tokenizer
        batch = self._inputs([chat], [render(owner, chat)])
        return [int(i) for i in batch["input_ids"][0].tolist()]

    def _decode(self, ids: list[int]) -> tuple[str, int, bool]:
        cut = next((i for i, t in enumerate(ids) if t in self.stop_ids), None)
        kept = ids if cut is None else ids[:cut]
        text = self.tokenizer.decode(kept, skip_special_tokens=False)
        for token in self.drop_tokens:
            text = text.replace(token, "")
        return text, len(kept), cut is not None

    def _generate_group(self, chats: Sequence[Chat]) -> list[Generation]:
        template_owner = self.processor if self.processor is not None else self.tokenizer
        prompts = [render(template_owner, chat) for chat in chats]
        batch = self._inputs(chats, prompts)
        first = chats[0]
        decoding = Decoding(first.max_new_tokens, first.temperature, tuple(sorted(self.stop_ids)))
        with self.torch.inference_mode():
            out = self.model.generate(
                **batch, **transformers_generate_kwargs(decoding, self.pad_id)
            )
        start = batch["input_ids"].shape[-1]
        results = []
        for prompt, row in zip(prompts, out[:, start:].tolist()):
            text, count, stopped = self._decode(row)
            results.append(Generation(reasoning_prefill(prompt) + text, count, stopped))
        return results

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        groups: dict[tuple[int, float], list[int]] = {}
        for index, chat in enumerate(chats):
            groups.setdefault((chat.max_new_tokens, chat.temperature), []).append(index)
        results: list[Generation | None] = [None] * len(chats)
        for indices in groups.values():
            for index, generation in zip(
                indices, self._generate_group([chats[i] for i in indices])
            ):
                results[index] = generation
        return [r for r in results if r is not None]

    async def generate_one(self, chat: Chat) -> Generation:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, lambda: self.generate([chat])[0])

    def close(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)
        self.model = None


def load(settings: ModelSettings) -> Runtime:
    return TransformersRuntime(settings)
