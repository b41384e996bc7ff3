"""Fine-tuning settings and the two recipes: QLoRA on a GPU, LoRA in full precision on a CPU.

``gpu-qlora`` (the real run): the base loaded in 4-bit NF4 with double quantization and bf16
compute (bitsandbytes), LoRA r=16 / alpha=16 on the language model's attention and MLP projections,
lr 2e-4 cosine with 3% warmup, effective batch 8 (1 x 8 accumulation), 2 epochs, paged 8-bit AdamW,
bf16, gradient checkpointing (non-reentrant). ``cpu-lora``: the same pipeline without quantization,
fp32 weights and plain AdamW, for the end-to-end test with a tiny model and for dry runs.

The LoRA targets are a regex over module names: by default the language model only
(``language_model``), because the SigLIP tower names its projections differently (``out_proj``,
``fc1``/``fc2``) and a name list shared by both towers adapts the vision tower only partly. The loss
covers only the answer: TRL's completion-only loss on prompt-completion records. Values are checked
when settings are built; a bad one raises ``InputError`` naming the field and what is allowed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, get_args

from cxr_auditor.core.errors import InputError

Recipe = Literal["gpu-qlora", "cpu-lora"]
RECIPES: tuple[str, ...] = get_args(Recipe)
LANGUAGE_TARGETS = (
    r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|"
    r"down_proj)"
)


@dataclass(frozen=True)
class SftSettings:
    base_model: str
    recipe: Recipe = "gpu-qlora"
    quantize_4bit: bool = True
    dtype: Literal["bfloat16", "float32"] = "bfloat16"
    lora_r: int = 16
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    target_modules: str = LANGUAGE_TARGETS
    learning_rate: float = 2e-4
    num_train_epochs: float = 2.0
    max_steps: int = -1  # > 0 overrides epochs (smoke runs)
    per_device_train_batch_size: int = 1
    gradient_accumulation_steps: int = 8
    warmup_ratio: float = 0.03
    lr_scheduler_type: str = "cosine"
    weight_decay: float = 0.0
    optim: str = "paged_adamw_8bit"
    bf16: bool = True
    gradient_checkpointing: bool = True
    logging_steps: int = 5
    save_steps: int = 100
    eval_steps: int = 100
    seed: int = 3407

    def __post_init__(self) -> None:
        if self.recipe not in RECIPES:
            raise InputError(f"recipe {self.recipe!r}: allowed {', '.join(RECIPES)}")
        for name in (
            "lora_r",
            "lora_alpha",
            "per_device_train_batch_size",
            "gradient_accumulation_steps",
            "logging_steps",
            "save_steps",
            "eval_steps",
        ):
            if getattr(self, name) < 1:
                raise InputError(f"{name}={getattr(self, name)}: must be at least 1")
        if not 0.0 <= self.lora_dropout < 1.0:
            raise InputError(f"lora_dropout={self.lora_dropout}: must be in [0, 1)")
        if self.learning_rate <= 0 or not 0.0 <= self.warmup_ratio < 1.0:
            raise InputError("learning_rate must be > 0 and warmup_ratio in [0, 1)")
        if self.quantize_4bit and self.dtype != "bfloat16":
            raise InputError("4-bit QLoRA computes in bfloat16; use dtype bfloat16")

    def with_changes(self, **changes: Any) -> SftSettings:
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise InputError(
                f"unknown setting(s) {sorted(unknown)}; allowed "
                f"{[f.name for f in dataclasses.fields(self)]}"
            )
        return dataclasses.replace(self, **changes)


def recipe(name: str, base_model: str) -> SftSettings:
    """The settings of a named recipe for ``base_model`` (a folder or a hub id)."""
    if name == "gpu-qlora":
        return SftSettings(base_model=base_model)
    if name == "cpu-lora":
        return SftSettings(
            base_model=base_model,
            recipe="cpu-lora",
            quantize_4bit=False,
            dtype="float32",
            optim="adamw_torch",
            bf16=False,
            gradient_checkpointing=False,
            gradient_accumulation_steps=1,
            lora_dropout=0.0,
            logging_steps=1,
        )
    raise InputError(f"recipe {name!r}: allowed {', '.join(RECIPES)}")
