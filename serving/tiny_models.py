"""Build tiny random-weight checkpoints of the two real architectures, without downloading anything.

- ``make_tiny_grounder(out)``: Gemma 3 image-text-to-text (the architecture of
  ``google/medgemma-1.5-4b-it`` and its fine-tune): ``Gemma3ForConditionalGeneration``,
  ``Gemma3Processor`` with a Gemma-style chat template, 64-pixel images, 16 image tokens.
- ``make_tiny_parser(out)``: Nemotron-H (``nemotron_h``, hybrid Mamba-2 + MLP + attention, the
  architecture of ``nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16``) with a ChatML tokenizer whose chat
  template has the ``<think>`` switch (``enable_thinking``).

Each folder is ~300 KiB, loads with the same ``from_pretrained`` code as the real checkpoint and
generates byte-level garbage: enough to run the whole serving path (processor, chat template,
generate, Triton) and to see garbage handled as ``unparseable``. Nothing here is a usable model.
Needs torch and transformers >= 5.18
(imported when a builder runs, not at import time).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerBase

GROUNDER_DIRNAME = "tiny-gemma3-grounder"
PARSER_DIRNAME = "tiny-nemotron-h-parser"

IMAGE_SIZE = 64  # real: 896
PATCH_SIZE = 8  # real: 14 -> 8x8 patches
MM_TOKENS_PER_IMAGE = 16  # real: 256 -> 4x4 pooled image tokens

GEMMA_SPECIALS = [
    "<pad>",
    "<eos>",
    "<bos>",
    "<unk>",
    "<start_of_turn>",
    "<end_of_turn>",
    "<start_of_image>",
    "<end_of_image>",
    "<image_soft_token>",
]
NEMOTRON_SPECIALS = [
    "<unk>",
    "<s>",
    "</s>",
    "<pad>",
    "<|im_start|>",
    "<|im_end|>",
    "<think>",
    "</think>",
    "<tool_call>",
    "</tool_call>",
]
NEMOTRON_PATTERN = "M-M*-"  # M = Mamba-2, - = MLP, * = attention (the dense 4B uses these three)
# Nemotron-H layer kinds: transformers >= 5.3 saves a ``layers_block_type`` list (5.3-5.8 with the
# names mamba/attention, later ones linear_attention/full_attention); the real checkpoints and
# TensorRT-LLM read one character per layer from ``hybrid_override_pattern``. Gemma 3's
# ``layer_types`` names (sliding_attention, full_attention) are attention layers too.
PATTERN_CHAR = {
    "linear_attention": "M",
    "mamba": "M",
    "full_attention": "*",
    "attention": "*",
    "sliding_attention": "*",
    "mlp": "-",
    "moe": "E",
}

# Gemma 3 style: system text folded into the first user turn, assistant role "model", each image
# item becomes <start_of_image> (the processor expands it into the image soft tokens).
GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{%- if messages[0]['role'] == 'system' -%}"
    "{%- if messages[0]['content'] is string -%}"
    "{%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}"
    "{%- else -%}{%- set first_user_prefix = messages[0]['content'][0]['text'] + '\n\n' -%}"
    "{%- endif -%}"
    "{%- set loop_messages = messages[1:] -%}"
    "{%- else -%}{%- set first_user_prefix = '' -%}"
    "{%- set loop_messages = messages -%}{%- endif -%}"
    "{%- for message in loop_messages -%}"
    "{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}"
    "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
    "{%- endif -%}"
    "{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}"
    "{{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else '') }}"
    "{%- if message['content'] is string -%}{{ message['content'] | trim }}"
    "{%- else -%}{%- for item in message['content'] -%}"
    "{%- if item['type'] == 'image' -%}{{ '<start_of_image>' }}"
    "{%- elif item['type'] == 'text' -%}{{ item['text'] | trim }}{%- endif -%}"
    "{%- endfor -%}{%- endif -%}"
    "{{ '<end_of_turn>\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}"
)

# ChatML with a reasoning switch: enable_thinking=False pre-fills "<think></think>"; the default
# (True) opens "<think>\n" for the model. Reasoning in earlier assistant turns is dropped.
NEMOTRON_CHAT_TEMPLATE = (
    "{%- set enable_thinking = enable_thinking if enable_thinking is defined else true -%}"
    "{%- macro text(content) -%}"
    "{%- if content is string -%}{{ content }}"
    "{%- else -%}{%- for part in content -%}{%- if part['type'] == 'text' -%}{{ part['text'] }}"
    "{%- endif -%}{%- endfor -%}{%- endif -%}"
    "{%- endmacro -%}"
    "{%- if messages[0]['role'] != 'system' -%}"
    "{{ '<|im_start|>system\n<|im_end|>\n' }}{%- endif -%}"
    "{%- for message in messages -%}"
    "{%- set content = text(message['content']) -%}"
    "{%- if message['role'] == 'assistant' and '</think>' in content -%}"
    "{%- set content = content.split('</think>')[-1] | trim -%}"
    "{%- endif -%}"
    "{{ '<|im_start|>' + message['role'] + '\n' + content + '<|im_end|>\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}"
    "{{ '<|im_start|>assistant\n' }}"
    "{%- if enable_thinking -%}{{ '<think>\n' }}{%- else -%}{{ '<think></think>' }}{%- endif -%}"
    "{%- endif -%}"
)

# Words the tiny tokenizers learn from; the vocabulary is what matters, not the sense.
GEMMA_CORPUS = [
    "the chest x ray shows no acute cardiopulmonary findings",
    "pleural effusion pneumothorax cardiomegaly nodule mass opacity consolidation",
    "label box_2d no_finding json list",
    "the lungs are clear and the heart size is normal",
] * 20
NEMOTRON_CORPUS = [
    "you are a helpful assistant",
    "small left pleural effusion no pneumothorax",
    "let me think about this step by step",
    "label status present absent uncertain span laterality",
    "the heart is enlarged possible nodule in the right upper lobe",
] * 20


def bpe_tokenizer(specials: list[str], corpus: list[str]) -> Tokenizer:
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)  # any text encodes
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=512,
        special_tokens=specials,
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(corpus, trainer)  # deterministic for a fixed corpus
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return tok


def token_id(tokenizer: PreTrainedTokenizerBase, token: str) -> int:
    """The id of one token of the vocabulary (``convert_tokens_to_ids`` of a single token)."""
    found = tokenizer.convert_tokens_to_ids(token)
    if not isinstance(found, int):
        raise TypeError(f"token {token!r} has no single id: {found!r}")
    return found


def portable_tokenizer_config(out_dir: Path, extra_dict_keys: tuple[str, ...] = ()) -> None:
    """Make tokenizer_config.json readable by transformers 4.x and 5.x alike (notes §1, §2)."""
    path = out_dir / "tokenizer_config.json"
    cfg = json.loads(path.read_text())
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    extra = cfg.pop("extra_special_tokens", None)
    if isinstance(extra, list) and extra:
        cfg["additional_special_tokens"] = extra
    elif isinstance(extra, dict):
        cfg["extra_special_tokens"] = extra
    if extra_dict_keys:
        cfg["extra_special_tokens"] = {k: cfg[k] for k in extra_dict_keys}
    path.write_text(json.dumps(cfg, indent=2))


def real_tensor_name(name: str) -> str:
    """The tensor's name in the real Gemma 3 checkpoints. transformers 5.x saves the SigLIP tower as
    ``vision_tower.encoder...``; the real checkpoint, TensorRT-LLM's loader and transformers 5.3
    read ``vision_tower.vision_model.encoder...`` (5.3 silently re-initialises the tower
    otherwise)."""
    prefix = "vision_tower."
    if name.startswith(prefix) and not name.startswith(prefix + "vision_model."):
        return prefix + "vision_model." + name[len(prefix) :]
    return name


def real_tensor_names(out_dir: Path) -> None:
    """Rename the tensors of every ``*.safetensors`` file in out_dir, and the shard index, with
    ``real_tensor_name``; files that need no change are left alone."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    for weights in sorted(out_dir.glob("*.safetensors")):
        with safe_open(weights, "pt") as handle:
            metadata = handle.metadata()
            names = list(handle.keys())
        if any(real_tensor_name(n) != n for n in names):
            state = {real_tensor_name(k): v for k, v in load_file(weights).items()}
            save_file(state, weights, metadata=metadata)
    index = out_dir / "model.safetensors.index.json"
    if index.exists():
        data = json.loads(index.read_text())
        data["weight_map"] = {real_tensor_name(k): v for k, v in data["weight_map"].items()}
        index.write_text(json.dumps(data, indent=2, sort_keys=True))


def _hybrid_pattern(cfg: dict[str, Any]) -> None:
    """Nemotron-H: ``hybrid_override_pattern`` and ``num_hidden_layers`` as in the real config,
    instead of the lists transformers >= 5.3 write (which 5.3-5.8 reject, see notes §4);
    ``time_step_limit``'s infinity (written as {"__float__": "Infinity"}) goes, its default
    (0.0, inf) is the same."""
    kinds = cfg.pop("layers_block_type", None)
    if kinds is not None:
        cfg["hybrid_override_pattern"] = "".join(PATTERN_CHAR[kind] for kind in kinds)
    for key in ("mtp_layers_block_type", "time_step_limit"):
        cfg.pop(key, None)  # defaults; MTP is unused with num_nextn_predict_layers=0
    cfg["num_hidden_layers"] = len(cfg["hybrid_override_pattern"])


def _legacy_rope(text: dict[str, Any]) -> None:
    """Gemma 3 text config: add the RoPE keys of the real config (``rope_theta``,
    ``rope_scaling``, ``rope_local_base_freq``, ``sliding_window_pattern``) next to the
    ``rope_parameters`` transformers 5.x writes, so that the transformers 4.57 that TensorRT-LLM
    1.2 pins keeps the global layers' linear scaling. transformers 5.24 reads both forms alike."""
    rope = text.get("rope_parameters") or {}
    full, sliding = rope.get("full_attention"), rope.get("sliding_attention")
    if isinstance(full, dict):
        text["rope_theta"] = full["rope_theta"]
        scaling = {k: v for k, v in full.items() if k != "rope_theta"}
        text["rope_scaling"] = None if scaling.get("rope_type") == "default" else scaling
    if isinstance(sliding, dict):
        text["rope_local_base_freq"] = sliding["rope_theta"]
    if "_sliding_window_pattern" in text:
        text["sliding_window_pattern"] = text["_sliding_window_pattern"]


def portable_config(out_dir: Path) -> None:
    """Rewrite out_dir/config.json with the keys the real checkpoints carry and TensorRT-LLM and
    older transformers read (Nemotron-H's pattern string, Gemma 3's RoPE keys); other model
    types are left as saved."""
    path = out_dir / "config.json"
    cfg = json.loads(path.read_text())
    if cfg.get("model_type") == "nemotron_h":
        _hybrid_pattern(cfg)
    elif cfg.get("model_type") == "gemma3":
        _legacy_rope(cfg["text_config"])
    path.write_text(json.dumps(cfg, indent=2, sort_keys=True))


def make_tiny_grounder(out_dir: str | os.PathLike[str]) -> Path:
    """Write a tiny random Gemma 3 image-text-to-text checkpoint with its processor into out_dir."""
    import torch
    from tokenizers import processors
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3ImageProcessor,
        Gemma3Processor,
        Gemma3TextConfig,
        GenerationConfig,
        PreTrainedTokenizerFast,
        SiglipVisionConfig,
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw = bpe_tokenizer(GEMMA_SPECIALS, GEMMA_CORPUS)
    raw.post_processor = processors.TemplateProcessing(  # like Gemma: tokenizer(text) adds <bos>
        single="<bos> $A",
        pair="<bos> $A <bos> $B",
        special_tokens=[("<bos>", raw.token_to_id("<bos>"))],
    )
    # transformers leaves the fast tokenizer's __init__ unannotated.
    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=raw,
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        unk_token="<unk>",
        padding_side="left",
        model_max_length=4096,
        extra_special_tokens={
            "boi_token": "<start_of_image>",
            "eoi_token": "<end_of_image>",
            "image_token": "<image_soft_token>",
        },
        chat_template=GEMMA_CHAT_TEMPLATE,
    )
    ids = {t: token_id(tokenizer, t) for t in GEMMA_SPECIALS}
    vocab_size = ((len(tokenizer) + 63) // 64) * 64
    text_config = Gemma3TextConfig(
        vocab_size=vocab_size,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=32,
        query_pre_attn_scalar=32,
        max_position_embeddings=4096,
        sliding_window=64,
        layer_types=["sliding_attention", "full_attention"],
        rope_parameters={
            "full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1_000_000.0},
            "sliding_attention": {"rope_type": "default", "rope_theta": 10_000.0},
        },
        pad_token_id=ids["<pad>"],
        eos_token_id=ids["<eos>"],
        bos_token_id=ids["<bos>"],
    )
    vision_config = SiglipVisionConfig(
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        image_size=IMAGE_SIZE,
        patch_size=PATCH_SIZE,
        num_channels=3,
        layer_norm_eps=1e-6,
        vision_use_head=False,
    )
    config = Gemma3Config(
        text_config=text_config,
        vision_config=vision_config,
        mm_tokens_per_image=MM_TOKENS_PER_IMAGE,
        boi_token_index=ids["<start_of_image>"],
        eoi_token_index=ids["<end_of_image>"],
        image_token_index=ids["<image_soft_token>"],
    )
    torch.manual_seed(0)
    model = Gemma3ForConditionalGeneration(config)
    # transformers initialises the image projection to zeros: the image would not reach the LM
    torch.nn.init.normal_(model.model.multi_modal_projector.mm_input_projection_weight, std=0.02)
    # transformers types the wrapped ``to`` as taking the model itself: a dtype is what it takes.
    model = model.to(torch.bfloat16).eval()  # type: ignore[arg-type]
    model.generation_config = GenerationConfig(  # type: ignore[no-untyped-call]  # untyped __init__
        bos_token_id=ids["<bos>"],
        pad_token_id=ids["<pad>"],
        eos_token_id=[ids["<eos>"], ids["<end_of_turn>"]],
        do_sample=True,
        top_k=64,
        top_p=0.95,
    )
    image_processor = Gemma3ImageProcessor(
        size={"height": IMAGE_SIZE, "width": IMAGE_SIZE},
        resample=2,
        do_resize=True,
        do_rescale=True,
        rescale_factor=1 / 255,
        do_normalize=True,
        image_mean=[0.5] * 3,
        image_std=[0.5] * 3,
        do_convert_rgb=True,
    )
    processor = Gemma3Processor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        chat_template=GEMMA_CHAT_TEMPLATE,
        image_seq_length=MM_TOKENS_PER_IMAGE,
    )
    model.save_pretrained(out)
    processor.save_pretrained(out)
    # config keys and tensor names as in the real checkpoint, so other releases load it too
    portable_config(out)
    real_tensor_names(out)
    portable_tokenizer_config(out, ("boi_token", "eoi_token", "image_token"))
    return out


def make_tiny_parser(out_dir: str | os.PathLike[str]) -> Path:
    """Write a tiny random Nemotron-H causal LM with a thinking-switch ChatML tokenizer."""
    import torch
    from transformers import (
        GenerationConfig,
        NemotronHConfig,
        NemotronHForCausalLM,
        PreTrainedTokenizerFast,
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # transformers leaves the fast tokenizer's __init__ unannotated.
    tokenizer = PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=bpe_tokenizer(NEMOTRON_SPECIALS, NEMOTRON_CORPUS),
        bos_token="<s>",
        eos_token="<|im_end|>",
        pad_token="<pad>",
        unk_token="<unk>",
        extra_special_tokens=["<|im_start|>", "<think>", "</think>", "<tool_call>", "</tool_call>"],
        padding_side="left",
        model_max_length=4096,
        chat_template=NEMOTRON_CHAT_TEMPLATE,
    )
    ids = {t: token_id(tokenizer, t) for t in NEMOTRON_SPECIALS}
    config = NemotronHConfig(
        vocab_size=((len(tokenizer) + 63) // 64) * 64,
        hidden_size=64,
        # The pattern string of the real checkpoint's config; NemotronHConfig reads it from kwargs.
        hybrid_override_pattern=NEMOTRON_PATTERN,  # type: ignore[call-arg]
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        intermediate_size=128,
        mlp_hidden_act="relu2",
        mamba_num_heads=8,
        mamba_head_dim=16,
        n_groups=2,
        ssm_state_size=16,
        conv_kernel=4,
        chunk_size=8,
        max_position_embeddings=4096,
        tie_word_embeddings=False,
        pad_token_id=ids["<pad>"],
        bos_token_id=ids["<s>"],
        eos_token_id=ids["<|im_end|>"],
    )
    torch.manual_seed(0)
    model = NemotronHForCausalLM(config).to(torch.bfloat16).eval()  # type: ignore[arg-type]  # as above
    model.generation_config = GenerationConfig(  # type: ignore[no-untyped-call]  # untyped __init__
        bos_token_id=ids["<s>"],
        pad_token_id=ids["<pad>"],
        eos_token_id=[ids["</s>"], ids["<|im_end|>"]],
    )
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    # config.json as the real checkpoint writes it (hybrid_override_pattern), readable by >= 5.6
    portable_config(out)
    portable_tokenizer_config(out)
    return out


def make_tiny_models(out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Both tiny models under out_dir: (grounder folder, parser folder)."""
    out = Path(out_dir)
    return make_tiny_grounder(out / GROUNDER_DIRNAME), make_tiny_parser(out / PARSER_DIRNAME)
