"""Random-weight checkpoints with the REAL 4B architectures, written from the published config
facts (no download), for timing the serving path on a GPU machine without Hub access.

- grounder: Gemma 3 4B image-text-to-text (MedGemma 1.5 4B = google/gemma-3-4b-it's config):
  text 34 layers, hidden 2560, 8 query / 4 KV heads of 256, sliding window 1024 with every sixth
  layer global, vocab 262,208; SigLIP 896 px / patch 14, 27 layers, hidden 1152; 256 image tokens.
  4.30 B parameters.
- draft parser: Nemotron-3 Nano 4B (``nemotron_h``): 42 layers ``M-M-M-MM-M-M*-M-M*-M-M-M*-M-M-MM*-
  MMM-M-M-`` (21 Mamba-2, 17 relu² MLP, 4 attention), hidden 3136, 40 query / 8 KV heads of 128,
  Mamba 96 heads x 80, state 128, 8 groups; vocab 131,072. 3.97 B parameters.

Only the tokenizers are stand-ins: small byte-level BPE vocabularies trained on the project's
prompts (so prompt lengths stay realistic) with the same chat templates as
``serving.tiny_models``; the special-token ids differ from the real ones, and the model configs
point at the stand-in ids. Outputs are garbage by design. ``scale="tiny"`` returns the CPU test
models of ``serving.tiny_models`` instead, so the same script runs in the tests.

``save_checkpoint`` writes config.json with the keys of the real checkpoints (the ones
TensorRT-LLM's model classes read) and the real tensor names, with the same code as the tiny
models; only the weights are random.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

GEMMA3_4B_TEXT: dict[str, Any] = {
    "vocab_size": 262208,
    "hidden_size": 2560,
    "intermediate_size": 10240,
    "num_hidden_layers": 34,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "head_dim": 256,
    "query_pre_attn_scalar": 256,
    "max_position_embeddings": 131072,
    "sliding_window": 1024,
    "rms_norm_eps": 1e-6,
    "hidden_activation": "gelu_pytorch_tanh",
    "layer_types": [
        "full_attention" if (i + 1) % 6 == 0 else "sliding_attention" for i in range(34)
    ],
    "rope_parameters": {
        "full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1_000_000.0},
        "sliding_attention": {"rope_type": "default", "rope_theta": 10_000.0},
    },
}
SIGLIP_896: dict[str, Any] = {
    "hidden_size": 1152,
    "intermediate_size": 4304,
    "num_hidden_layers": 27,
    "num_attention_heads": 16,
    "image_size": 896,
    "patch_size": 14,
    "num_channels": 3,
    "layer_norm_eps": 1e-6,
    "vision_use_head": False,
}
GEMMA3_MM_TOKENS = 256
NEMOTRON_3_NANO_4B: dict[str, Any] = {
    "vocab_size": 131072,
    "hidden_size": 3136,
    "hybrid_override_pattern": "M-M-M-MM-M-M*-M-M*-M-M-M*-M-M-MM*-MMM-M-M-",
    "num_attention_heads": 40,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "intermediate_size": 12544,
    "mlp_hidden_act": "relu2",
    "mamba_num_heads": 96,
    "mamba_head_dim": 80,
    "n_groups": 8,
    "ssm_state_size": 128,
    "conv_kernel": 4,
    "chunk_size": 256,
    "max_position_embeddings": 262144,
    "tie_word_embeddings": False,
    "layer_norm_epsilon": 1e-5,
}
PUBLISHED_PARAMS_B = {"grounder": 4.30, "draft_parser": 3.97}
BPE_VOCAB = 8192


def _prompt_corpus() -> list[str]:
    from cxr_auditor.serving.prompts import load_prompts

    prompts = load_prompts()
    texts = [
        prompts.grounder,
        prompts.grounder_retry,
        prompts.parser_system,
        prompts.parser_user.template,
        prompts.parser_retry,
    ]
    return [line for text in texts for line in text.splitlines() if line.strip()] * 4


def grounder_config(tokenizer: Any) -> Any:
    from transformers import Gemma3Config, Gemma3TextConfig, SiglipVisionConfig

    ids = {
        t: tokenizer.convert_tokens_to_ids(t)
        for t in (
            "<pad>",
            "<eos>",
            "<bos>",
            "<start_of_image>",
            "<end_of_image>",
            "<image_soft_token>",
        )
    }
    text = Gemma3TextConfig(
        **GEMMA3_4B_TEXT,
        pad_token_id=ids["<pad>"],
        eos_token_id=ids["<eos>"],
        bos_token_id=ids["<bos>"],
    )
    return Gemma3Config(  # architectures and dtype as save_pretrained of the bf16 model writes them
        architectures=["Gemma3ForConditionalGeneration"],
        dtype="bfloat16",
        text_config=text,
        vision_config=SiglipVisionConfig(**SIGLIP_896),
        mm_tokens_per_image=GEMMA3_MM_TOKENS,
        boi_token_index=ids["<start_of_image>"],
        eoi_token_index=ids["<end_of_image>"],
        image_token_index=ids["<image_soft_token>"],
    )


def parser_config(tokenizer: Any) -> Any:
    from transformers import NemotronHConfig

    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in ("<pad>", "<s>", "<|im_end|>")}
    return NemotronHConfig(
        architectures=["NemotronHForCausalLM"],
        dtype="bfloat16",
        **NEMOTRON_3_NANO_4B,
        pad_token_id=ids["<pad>"],
        bos_token_id=ids["<s>"],
        eos_token_id=ids["<|im_end|>"],
    )


def _bpe(specials: list[str], corpus: list[str]) -> Any:
    """Byte-level BPE like ``serving.tiny_models`` but with room for whole prompt words, so that a
    prompt takes about as many tokens as with the real tokenizers (~1 token per word)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=BPE_VOCAB,
        special_tokens=specials,
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(corpus, trainer)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    return tok


def _tokenizer(role: str) -> Any:
    from tokenizers import processors
    from transformers import PreTrainedTokenizerFast

    from cxr_auditor.serving import tiny_models as tm

    if role == "grounder":
        raw = _bpe(tm.GEMMA_SPECIALS, tm.GEMMA_CORPUS + _prompt_corpus())
        raw.post_processor = processors.TemplateProcessing(
            single="<bos> $A",
            pair="<bos> $A <bos> $B",
            special_tokens=[("<bos>", raw.token_to_id("<bos>"))],
        )
        return PreTrainedTokenizerFast(
            tokenizer_object=raw,
            bos_token="<bos>",
            eos_token="<eos>",
            pad_token="<pad>",
            unk_token="<unk>",
            padding_side="left",
            model_max_length=131072,
            extra_special_tokens={
                "boi_token": "<start_of_image>",
                "eoi_token": "<end_of_image>",
                "image_token": "<image_soft_token>",
            },
            chat_template=tm.GEMMA_CHAT_TEMPLATE,
        )
    return PreTrainedTokenizerFast(
        tokenizer_object=_bpe(tm.NEMOTRON_SPECIALS, tm.NEMOTRON_CORPUS + _prompt_corpus()),
        bos_token="<s>",
        eos_token="<|im_end|>",
        pad_token="<pad>",
        unk_token="<unk>",
        extra_special_tokens=["<|im_start|>", "<think>", "</think>"],
        padding_side="left",
        model_max_length=262144,
        chat_template=tm.NEMOTRON_CHAT_TEMPLATE,
    )


def _random_model(model_class: Any, config: Any, device: str) -> Any:
    import torch

    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)  # initialise in bf16: half the memory and time
    try:
        with torch.device(device):
            torch.manual_seed(0)
            return model_class(config).eval()
    finally:
        torch.set_default_dtype(previous)


def save_checkpoint(saveable: Any, out: Path) -> Path:
    """``saveable.save_pretrained(out)`` (a model, or only a config), then the config keys and
    tensor names of the real checkpoints (``serving.tiny_models.portable_config`` and
    ``real_tensor_names``, as for the tiny models): Nemotron-H's ``hybrid_override_pattern`` and
    ``num_hidden_layers``, Gemma 3's RoPE keys and ``vision_tower.vision_model.*`` tensors."""
    from cxr_auditor.serving import tiny_models as tm

    out.mkdir(parents=True, exist_ok=True)
    saveable.save_pretrained(out)
    tm.portable_config(out)
    tm.real_tensor_names(out)
    return out


def make_real_grounder(out: Path, device: str) -> Path:
    from transformers import (
        Gemma3ForConditionalGeneration,
        Gemma3ImageProcessor,
        Gemma3Processor,
        GenerationConfig,
    )

    from cxr_auditor.serving import tiny_models as tm

    tokenizer = _tokenizer("grounder")
    model = _random_model(Gemma3ForConditionalGeneration, grounder_config(tokenizer), device)
    ids = {
        t: tokenizer.convert_tokens_to_ids(t) for t in ("<bos>", "<pad>", "<eos>", "<end_of_turn>")
    }
    model.generation_config = GenerationConfig(
        bos_token_id=ids["<bos>"],
        pad_token_id=ids["<pad>"],
        eos_token_id=[ids["<eos>"], ids["<end_of_turn>"]],
    )
    side = int(SIGLIP_896["image_size"])
    image_processor = Gemma3ImageProcessor(
        size={"height": side, "width": side},
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
        chat_template=tm.GEMMA_CHAT_TEMPLATE,
        image_seq_length=GEMMA3_MM_TOKENS,
    )
    save_checkpoint(model, out)
    processor.save_pretrained(out)
    tm.portable_tokenizer_config(out, ("boi_token", "eoi_token", "image_token"))
    return out


def make_real_parser(out: Path, device: str) -> Path:
    from transformers import GenerationConfig, NemotronHForCausalLM

    from cxr_auditor.serving import tiny_models as tm

    tokenizer = _tokenizer("draft_parser")
    model = _random_model(NemotronHForCausalLM, parser_config(tokenizer), device)
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in ("<s>", "<pad>", "</s>", "<|im_end|>")}
    model.generation_config = GenerationConfig(
        bos_token_id=ids["<s>"],
        pad_token_id=ids["<pad>"],
        eos_token_id=[ids["</s>"], ids["<|im_end|>"]],
    )
    save_checkpoint(model, out)
    tokenizer.save_pretrained(out)
    tm.portable_tokenizer_config(out)
    return out


def make_models(out: Path, scale: str, device: str) -> tuple[Path, Path]:
    """(grounder folder, parser folder) under ``out`` at ``scale`` ``real`` or ``tiny``."""
    if scale == "tiny":
        from cxr_auditor.serving.tiny_models import make_tiny_models

        return make_tiny_models(out)
    if scale != "real":
        raise ValueError(f"scale {scale!r} is not one of real, tiny")
    return (
        make_real_grounder(out / "real-gemma3-4b-grounder", device),
        make_real_parser(out / "real-nemotron-h-4b-parser", device),
    )
