"""The real-size stand-in checkpoints' config.json, read back the way TensorRT-LLM's model classes
read it, and the GPU memory plan on both config forms: as the real checkpoints write it
(``hybrid_override_pattern``, legacy RoPE keys) and as transformers 5.x saves it
(``layers_block_type`` / ``layer_types`` lists, no Nemotron-H ``num_hidden_layers``).

Only configs are written (no weights); shapes come from models on the meta device. TensorRT-LLM's
readers are ``_torch/models/modeling_nemotron_h.py`` (``NemotronHLayer`` per pattern character,
``Mamba2Mixer``), ``modeling_gemma3.py`` (``layer_types``, local RoPE base, ``sliding_window``)
and ``modeling_gemma3vl.py`` (``vision_tower`` / ``language_model`` / ``multi_modal_projector``
weights, the projector's pooling from ``image_size``, ``patch_size``, ``mm_tokens_per_image``).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

from cxr_auditor.build_engines.device_models import GEMMA3_4B_TEXT, NEMOTRON_3_NANO_4B
from cxr_auditor.build_engines.errors import CheckpointError
from cxr_auditor.build_engines.gpu import (
    CLASS_DEFAULTS,
    GiB,
    kv_bytes_per_token,
    layer_pattern,
    mamba_state_bytes,
    needs_from,
    plan_memory,
)
from cxr_auditor.serving.tiny_models import real_tensor_name

MISSING = [
    m for m in ("transformers", "torch", "safetensors") if importlib.util.find_spec(m) is None
]
needs_models = pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"needs the models extra; missing: {', '.join(MISSING)}",
)

# By hand, bf16 K and V per token: Gemma 3 4B has 34 attention layers x 4 KV heads x 256;
# Nemotron-3 Nano 4B only 4 attention layers x 8 KV heads x 128.
GEMMA_KV = 34 * 2 * 4 * 256 * 2
NEMOTRON_KV = 4 * 2 * 8 * 128 * 2
# 21 Mamba layers: float32 SSM state 96 x 80 x 128, bf16 conv state (96*80 + 2*8*128) x (4-1)
NEMOTRON_STATE = 21 * (96 * 80 * 128 * 4 + (96 * 80 + 2 * 8 * 128) * 3 * 2)
NEMOTRON_KEYS = (  # what NemotronHModel / NemotronHLayer / Mamba2Mixer / Attention read
    "hybrid_override_pattern",
    "num_hidden_layers",
    "vocab_size",
    "hidden_size",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "max_position_embeddings",
    "attention_bias",
    "intermediate_size",
    "ssm_state_size",
    "conv_kernel",
    "mamba_num_heads",
    "n_groups",
    "mamba_head_dim",
    "chunk_size",
    "layer_norm_epsilon",
)
GEMMA_TEXT_KEYS = (  # Gemma3TextModel / Gemma3Attention / Gemma3DecoderLayer
    "num_hidden_layers",
    "layer_types",
    "vocab_size",
    "hidden_size",
    "intermediate_size",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "query_pre_attn_scalar",
    "sliding_window",
    "max_position_embeddings",
    "rms_norm_eps",
)
GEMMA_VISION_KEYS = ("hidden_size", "num_attention_heads", "image_size", "patch_size")


# ---------------------------------------------------------------- the written configs
@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    """config.json of both roles, (role, "real"): through ``device_models.save_checkpoint``;
    (role, "newer"): the plain ``save_pretrained`` of transformers 5.x."""
    if MISSING and not os.environ.get("CI"):
        pytest.skip(f"needs the models extra; missing: {', '.join(MISSING)}")
    from cxr_auditor.build_engines import device_models as dm

    found = {}
    for role, make in (("grounder", dm.grounder_config), ("draft_parser", dm.parser_config)):
        config = make(dm._tokenizer(role))
        real = dm.save_checkpoint(config, tmp_path_factory.mktemp(f"{role}-real"))
        newer = tmp_path_factory.mktemp(f"{role}-newer")
        config.save_pretrained(newer)
        for form, folder in (("real", real), ("newer", newer)):
            found[role, form] = json.loads((folder / "config.json").read_text())
    return found


@needs_models
def test_nemotron_h_config_reads_as_tensorrt_llm_reads_it(written: dict) -> None:
    config = written["draft_parser", "real"]
    assert config["architectures"] == ["NemotronHForCausalLM"]  # picks TensorRT-LLM's class
    assert (config["model_type"], config["dtype"]) == ("nemotron_h", "bfloat16")
    missing = [key for key in NEMOTRON_KEYS if key not in config]
    assert not missing, f"config.json lacks {missing}"
    pattern = config["hybrid_override_pattern"]
    assert pattern == NEMOTRON_3_NANO_4B["hybrid_override_pattern"]
    assert len(pattern) == config["num_hidden_layers"] == 42
    assert set(pattern) <= set("M*-")  # a NemotronHLayer for each; E (MoE) unused in the dense 4B
    assert (pattern.count("M"), pattern.count("-"), pattern.count("*")) == (21, 17, 4)
    # the list form transformers 5.3-5.8 reject, and the unused MTP list, are gone
    assert not {"layers_block_type", "mtp_layers_block_type", "time_step_limit"} & set(config)
    assert config["mamba_num_heads"] % config["n_groups"] == 0
    assert config["num_attention_heads"] % config["num_key_value_heads"] == 0


@needs_models
def test_gemma3_config_reads_as_tensorrt_llm_reads_it(written: dict) -> None:
    config = written["grounder", "real"]
    assert config["architectures"] == ["Gemma3ForConditionalGeneration"]
    assert (config["model_type"], config["dtype"]) == ("gemma3", "bfloat16")
    text, vision = config["text_config"], config["vision_config"]
    missing = [f"text_config.{k}" for k in GEMMA_TEXT_KEYS if k not in text]
    missing += [f"vision_config.{k}" for k in GEMMA_VISION_KEYS if k not in vision]
    missing += [k for k in ("mm_tokens_per_image", "image_token_index") if k not in config]
    assert not missing, f"config.json lacks {missing}"
    kinds = text["layer_types"]
    assert len(kinds) == text["num_hidden_layers"] == 34
    assert set(kinds) == {"sliding_attention", "full_attention"}
    assert [i for i, k in enumerate(kinds) if k == "full_attention"] == [5, 11, 17, 23, 29]
    assert text["num_attention_heads"] % text["num_key_value_heads"] == 0
    # RoPE both ways: the real config's keys (transformers 4.57, TensorRT-LLM 1.2) and 5.x's
    assert text["rope_scaling"] == {"rope_type": "linear", "factor": 8.0}
    assert (text["rope_theta"], text["rope_local_base_freq"]) == (1_000_000.0, 10_000.0)
    assert text["sliding_window_pattern"] == 6
    assert text["rope_parameters"] == GEMMA3_4B_TEXT["rope_parameters"]
    # SigLIP splits hidden_size into heads; the projector pools the patch grid to the image tokens
    assert vision["hidden_size"] % vision["num_attention_heads"] == 0
    assert vision["image_size"] % vision["patch_size"] == 0
    patches = vision["image_size"] // vision["patch_size"]
    side = round(config["mm_tokens_per_image"] ** 0.5)
    assert side * side == config["mm_tokens_per_image"] and patches % side == 0


@needs_models
@pytest.mark.parametrize("role", ["grounder", "draft_parser"])
def test_transformers_reads_both_forms_alike(written: dict, role: str, tmp_path: Path) -> None:
    from transformers import AutoConfig

    loaded = {}
    for form in ("real", "newer"):
        folder = tmp_path / form
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps(written[role, form]))
        loaded[form] = AutoConfig.from_pretrained(folder)
    real, newer = loaded["real"], loaded["newer"]
    if role == "grounder":
        real, newer = real.text_config, newer.text_config
        assert real.rope_parameters == newer.rope_parameters
        assert real.layer_types == newer.layer_types
    else:
        assert real.layers_block_type == newer.layers_block_type
    assert real.num_hidden_layers == newer.num_hidden_layers


def _meta_model(role: str) -> Any:
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3TextConfig,
        NemotronHConfig,
        NemotronHForCausalLM,
        SiglipVisionConfig,
    )

    from cxr_auditor.build_engines import device_models as dm

    if role == "grounder":
        config = Gemma3Config(
            text_config=Gemma3TextConfig(**dm.GEMMA3_4B_TEXT),
            vision_config=SiglipVisionConfig(**dm.SIGLIP_896),
            mm_tokens_per_image=dm.GEMMA3_MM_TOKENS,
        )
        return dm._random_model(Gemma3ForConditionalGeneration, config, "meta")
    return dm._random_model(NemotronHForCausalLM, NemotronHConfig(**dm.NEMOTRON_3_NANO_4B), "meta")


def _saved_shapes(model: Any) -> dict[str, tuple[int, ...]]:
    """Tensor names and shapes as ``device_models.save_checkpoint`` writes them."""
    from transformers.modeling_utils import revert_weight_conversion

    state = revert_weight_conversion(model, model.state_dict())
    return {real_tensor_name(k): tuple(v.shape) for k, v in state.items()}


@needs_models
def test_nemotron_h_tensor_shapes_follow_the_config(written: dict) -> None:
    c = written["draft_parser", "real"]
    shapes = _saved_shapes(_meta_model("draft_parser"))
    inner = c["mamba_num_heads"] * c["mamba_head_dim"]
    groups_state = 2 * c["n_groups"] * c["ssm_state_size"]
    # the in_proj rows TensorRT-LLM's weight mapper splits: z, x, B, C, dt
    layer = f"backbone.layers.{c['hybrid_override_pattern'].index('M')}.mixer"
    assert shapes[f"{layer}.in_proj.weight"] == (
        2 * inner + groups_state + c["mamba_num_heads"],
        c["hidden_size"],
    )
    assert shapes[f"{layer}.conv1d.weight"] == (inner + groups_state, 1, c["conv_kernel"])
    attn = f"backbone.layers.{c['hybrid_override_pattern'].index('*')}.mixer"
    assert shapes[f"{attn}.q_proj.weight"] == (
        c["num_attention_heads"] * c["head_dim"],
        c["hidden_size"],
    )
    assert shapes[f"{attn}.k_proj.weight"] == (
        c["num_key_value_heads"] * c["head_dim"],
        c["hidden_size"],
    )
    layers = {int(k.split(".")[2]) for k in shapes if k.startswith("backbone.layers.")}
    assert layers == set(range(c["num_hidden_layers"]))


@needs_models
def test_gemma3_tensor_names_and_shapes_follow_the_real_checkpoint(written: dict) -> None:
    c = written["grounder", "real"]
    text, vision = c["text_config"], c["vision_config"]
    shapes = _saved_shapes(_meta_model("grounder"))
    tower = [k for k in shapes if k.startswith("vision_tower.")]
    assert tower and all(k.startswith("vision_tower.vision_model.") for k in tower)
    last = vision["num_hidden_layers"] - 1
    side = vision["patch_size"]
    hidden = vision["hidden_size"]
    assert shapes["vision_tower.vision_model.embeddings.patch_embedding.weight"] == (
        hidden,
        vision["num_channels"],
        side,
        side,
    )
    assert shapes[f"vision_tower.vision_model.encoder.layers.{last}.self_attn.q_proj.weight"] == (
        hidden,
        hidden,
    )
    assert "vision_tower.vision_model.post_layernorm.weight" in shapes
    assert shapes["multi_modal_projector.mm_input_projection_weight"] == (
        hidden,
        text["hidden_size"],
    )
    lm = f"language_model.model.layers.{text['num_hidden_layers'] - 1}.self_attn"
    assert shapes[f"{lm}.k_proj.weight"] == (
        text["num_key_value_heads"] * text["head_dim"],
        text["hidden_size"],
    )
    others = {k.split(".")[0] for k in shapes} - {"vision_tower"}
    assert others == {"language_model", "multi_modal_projector"}  # TensorRT-LLM's three filters


@needs_models
def test_save_checkpoint_writes_the_real_vision_tensor_names(tmp_path: Path) -> None:
    """The same call ``make_real_grounder`` makes, on a small Gemma 3."""
    import torch
    from safetensors import safe_open
    from transformers import (
        Gemma3Config,
        Gemma3ForConditionalGeneration,
        Gemma3TextConfig,
        SiglipVisionConfig,
    )

    from cxr_auditor.build_engines.device_models import save_checkpoint

    small = Gemma3Config(
        text_config=Gemma3TextConfig(
            vocab_size=64,
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=1,
            head_dim=8,
            layer_types=["sliding_attention", "full_attention"],
        ),
        vision_config=SiglipVisionConfig(
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            image_size=32,
            patch_size=8,
        ),
        mm_tokens_per_image=4,
        image_token_index=63,
    )
    torch.manual_seed(0)
    save_checkpoint(Gemma3ForConditionalGeneration(small), tmp_path)
    names = set()
    for weights in tmp_path.glob("*.safetensors"):
        with safe_open(weights, "pt") as handle:
            names |= set(handle.keys())
    tower = {n for n in names if n.startswith("vision_tower.")}
    assert tower and all(n.startswith("vision_tower.vision_model.") for n in tower)
    assert json.loads((tmp_path / "config.json").read_text())["text_config"]["rope_theta"]


@needs_models
def test_real_tensor_names_renames_every_shard_and_the_index(tmp_path: Path) -> None:
    import torch
    from safetensors import safe_open
    from safetensors.torch import save_file

    from cxr_auditor.serving.tiny_models import real_tensor_names

    shards = {
        "model-00001-of-00002.safetensors": ["vision_tower.encoder.layers.0.mlp.fc1.weight"],
        "model-00002-of-00002.safetensors": [
            "vision_tower.vision_model.post_layernorm.weight",  # already right: kept
            "language_model.model.norm.weight",
        ],
    }
    for file, names in shards.items():
        save_file({n: torch.zeros(2) for n in names}, tmp_path / file, metadata={"format": "pt"})
    index = {"weight_map": {n: file for file, names in shards.items() for n in names}}
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps(index))
    real_tensor_names(tmp_path)
    expected = {
        "model-00001-of-00002.safetensors": {
            "vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight"
        },
        "model-00002-of-00002.safetensors": {
            "vision_tower.vision_model.post_layernorm.weight",
            "language_model.model.norm.weight",
        },
    }
    for file, names in expected.items():
        with safe_open(tmp_path / file, "pt") as handle:
            assert set(handle.keys()) == names
            assert handle.metadata() == {"format": "pt"}
    weight_map = json.loads((tmp_path / "model.safetensors.index.json").read_text())["weight_map"]
    assert weight_map == {n: file for file, names in expected.items() for n in names}


# ---------------------------------------------------------------- the memory plan, both forms
def test_a_sparse_gemma3_config_reads_its_class_defaults() -> None:
    """transformers writes no value equal to its class default: the real Gemma 3 4B text_config
    names no head counts and no head_dim, and the plan must read the same as from a full one."""
    sparse = {
        "model_type": "gemma3",
        "text_config": {"model_type": "gemma3_text", "hidden_size": 2560, "num_hidden_layers": 34},
    }
    full = copy.deepcopy(sparse)
    full["text_config"] |= {"num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256}
    assert kv_bytes_per_token(sparse) == kv_bytes_per_token(full) == 34 * 2 * 4 * 256 * 2


@needs_models
def test_the_class_defaults_are_gemma3_text_configs() -> None:
    from transformers import Gemma3TextConfig

    defaults = Gemma3TextConfig()
    for key, value in CLASS_DEFAULTS["gemma3_text"].items():
        assert getattr(defaults, key) == value, key


@needs_models
@pytest.mark.parametrize(
    "role, kv, state",
    [("grounder", GEMMA_KV, 0), ("draft_parser", NEMOTRON_KV, NEMOTRON_STATE)],
)
def test_memory_figures_are_the_same_from_both_forms(
    written: dict, role: str, kv: int, state: int
) -> None:
    for form in ("real", "newer"):
        config = written[role, form]
        assert (kv_bytes_per_token(config), mamba_state_bytes(config)) == (kv, state), form


@needs_models
def test_memory_plan_is_the_same_from_both_forms(written: dict) -> None:
    weights = {"grounder": 4.30e9 * 2, "draft_parser": 3.97e9 * 2}
    plans = []
    for form in ("real", "newer"):
        needs = [
            needs_from(role, written[role, form], int(weights[role]), 4096, 16, 0.35)
            for role in ("grounder", "draft_parser")
        ]
        assert all(n.kv_gib_per_seq > 0 for n in needs)
        assert [n.state_gib_per_seq > 0 for n in needs] == [False, True]
        plans.append(plan_memory(141.0, needs))
    assert plans[0] == plans[1]
    # Mamba state of 16 batch slots is part of the fixed memory
    assert plans[0].fixed_gib == pytest.approx(
        sum(weights.values()) / GiB + 2 * 3.0 + 16 * NEMOTRON_STATE / GiB
    )


# A small hybrid by hand: layers Mamba, attention, MLP; 2 KV heads x head_dim 4; Mamba 2 heads x 3,
# state 5, 1 group, conv kernel 4.
SMALL_SIZES = {
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 4,
    "mamba_num_heads": 2,
    "mamba_head_dim": 3,
    "ssm_state_size": 5,
    "n_groups": 1,
    "conv_kernel": 4,
}
SMALL_KV = 1 * 2 * 2 * 4 * 2  # one attention layer: K and V x 2 heads x 4 x bf16 = 32 bytes
SMALL_STATE = 1 * (2 * 3 * 5 * 4 + (2 * 3 + 2 * 1 * 5) * 3 * 2)  # 120 + 96 = 216 bytes


@pytest.mark.parametrize(
    "layers",
    [
        {"hybrid_override_pattern": "M*-", "num_hidden_layers": 3},  # the real checkpoints
        {"layers_block_type": ["linear_attention", "full_attention", "mlp"]},  # transformers 5.18+
        {"layers_block_type": ["mamba", "attention", "mlp"]},  # transformers 5.3-5.8
        {"layer_types": ["linear_attention", "full_attention", "mlp"]},
        {  # both spellings, agreeing
            "hybrid_override_pattern": "M*-",
            "layers_block_type": ["linear_attention", "full_attention", "mlp"],
        },
    ],
)
def test_a_small_hybrid_by_hand(layers: dict[str, Any]) -> None:
    config = {"model_type": "nemotron_h", **SMALL_SIZES, **layers}
    assert layer_pattern(config) == "M*-"
    assert kv_bytes_per_token(config) == SMALL_KV
    assert mamba_state_bytes(config) == SMALL_STATE


@pytest.mark.parametrize(
    "text",
    [
        {"num_hidden_layers": 3},  # a Gemma 3 config without layer_types: all attention
        {"layer_types": ["sliding_attention", "full_attention", "sliding_attention"]},
        {"num_hidden_layers": 3, "layer_types": ["sliding_attention"] * 2 + ["full_attention"]},
    ],
)
def test_a_small_gemma3_by_hand(text: dict[str, Any]) -> None:
    config = {"model_type": "gemma3", "text_config": {**SMALL_SIZES, **text}}
    assert kv_bytes_per_token(config) == 3 * 2 * 2 * 4 * 2
    assert mamba_state_bytes(config) == 0


# ---------------------------------------------------------------- refusals, one per missing key
def _without(config: dict[str, Any], path: str) -> dict[str, Any]:
    config = copy.deepcopy(config)
    *parents, key = path.split(".")
    node = config
    for parent in parents:
        node = node[parent]
    node.pop(key)
    return config


NEMOTRON = {"model_type": "nemotron_h", **NEMOTRON_3_NANO_4B}
GEMMA = {"model_type": "gemma3", "text_config": GEMMA3_4B_TEXT}


@pytest.mark.parametrize(
    "config, path",
    [
        (NEMOTRON, "num_key_value_heads"),
        (NEMOTRON, "head_dim"),
        (NEMOTRON, "mamba_num_heads"),
        (NEMOTRON, "mamba_head_dim"),
        (NEMOTRON, "ssm_state_size"),
        (NEMOTRON, "n_groups"),
        (NEMOTRON, "conv_kernel"),
        (NEMOTRON, "hybrid_override_pattern"),  # and no list either
        (GEMMA, "text_config.num_key_value_heads"),
        (GEMMA, "text_config.head_dim"),
        (_without(GEMMA, "text_config.layer_types"), "text_config.num_hidden_layers"),
    ],
)
def test_a_missing_key_is_named_not_read_as_zero(config: dict[str, Any], path: str) -> None:
    broken = _without(config, path)
    with pytest.raises(CheckpointError, match=rf"config\.json {path} is missing") as caught:
        needs_from("draft_parser", broken, 1, 4096, 8, 0.35)
    message = str(caught.value)
    assert message.startswith("draft_parser: ") and "\n" not in message


@pytest.mark.parametrize(
    "change, words",
    [
        ({"num_hidden_layers": 41}, "num_hidden_layers is 41 but hybrid_override_pattern lists 42"),
        ({"layers_block_type": ["mlp"] * 42}, "layers_block_type .* disagrees"),
        ({"hybrid_override_pattern": "M*X"}, "string of M"),
        ({"layers_block_type": ["conv"], "hybrid_override_pattern": None}, r"\[0\] is 'conv'"),
        ({"head_dim": 0}, "head_dim is 0"),
        ({"n_groups": "8"}, "n_groups is '8'"),
    ],
)
def test_an_inconsistent_config_is_refused(change: dict[str, Any], words: str) -> None:
    config = {**NEMOTRON, **change}
    config = {k: v for k, v in config.items() if v is not None}
    with pytest.raises(CheckpointError, match=words):
        kv_bytes_per_token(config) + mamba_state_bytes(config)
