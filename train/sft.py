"""Supervised fine-tuning of the grounder with TRL + PEFT (QLoRA on a GPU, LoRA on a CPU).

Stages of ``run_sft``:
1. Load the base (``AutoModelForImageTextToText`` + ``AutoProcessor``): in 4-bit NF4 on a CUDA GPU
   for ``gpu-qlora`` (then ``prepare_model_for_kbit_training``), in full precision otherwise.
2. Build TRL's ``SFTTrainer`` on the prompt-completion records with ``completion_only_loss=True``
   and a LoRA config (``train.settings``); TRL wraps the model with PEFT.
3. Check the loss mask on the first collated batch (``train.loss_mask``): training refuses to start
   if any prompt or image token would be learned, or the answer would not.
4. Train, then save the adapter and the processor to ``<out>/adapter`` and a ``train_summary.json``
   (settings, record counts, metrics, log history).

The adapter is merged into a clean (unquantized) base by ``train.merge``, never into the 4-bit
model. Needs the ``[train]`` extra (torch, transformers, trl, peft, datasets; bitsandbytes on GPU).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxr_auditor.core.errors import InputError
from cxr_auditor.train.dataset import to_dataset
from cxr_auditor.train.loss_mask import answers_of, check_batch
from cxr_auditor.train.settings import SftSettings

ADAPTER_DIR = "adapter"
SUMMARY_FILE = "train_summary.json"


class TrainError(InputError):
    """A training run that cannot start or would train the wrong thing."""


def load_base(settings: SftSettings) -> tuple[Any, Any]:
    """(model, processor) for training, quantized or not as the settings say."""
    import torch
    from transformers import AutoModelForImageTextToText, AutoProcessor

    processor = AutoProcessor.from_pretrained(settings.base_model)
    kwargs: dict[str, Any] = {"dtype": getattr(torch, settings.dtype)}
    if settings.quantize_4bit:
        if not torch.cuda.is_available():
            raise TrainError(
                "the gpu-qlora recipe needs a CUDA GPU and bitsandbytes; on a CPU "
                "use --recipe cpu-lora"
            )
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16,
        )
        kwargs["device_map"] = {"": 0}
    model = AutoModelForImageTextToText.from_pretrained(settings.base_model, **kwargs)
    model.config.use_cache = False
    if settings.quantize_4bit:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(
            model,
            use_gradient_checkpointing=settings.gradient_checkpointing,
            gradient_checkpointing_kwargs={"use_reentrant": False},
        )
    return model, processor


def lora_config(settings: SftSettings) -> Any:
    from peft import LoraConfig

    return LoraConfig(
        r=settings.lora_r,
        lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout,
        target_modules=settings.target_modules,
        bias="none",
        task_type="CAUSAL_LM",
    )


def _checkpointing(config_class: Any, enabled: bool) -> dict[str, Any]:
    """Activation checkpointing under the name this transformers release uses (renamed in 5.x)."""
    names = {f.name for f in dataclasses.fields(config_class)}
    prefix = "activation" if "activation_checkpointing" in names else "gradient"
    return {
        f"{prefix}_checkpointing": enabled,
        f"{prefix}_checkpointing_kwargs": {"use_reentrant": False},
    }


def sft_config(settings: SftSettings, out_dir: Path, has_eval: bool) -> Any:
    from trl import SFTConfig

    return SFTConfig(
        output_dir=str(out_dir / "checkpoints"),
        completion_only_loss=True,  # labels -100 on the prompt and image tokens
        max_length=None,  # never truncate: image tokens and the answer must stay whole
        learning_rate=settings.learning_rate,
        num_train_epochs=settings.num_train_epochs,
        max_steps=settings.max_steps,
        per_device_train_batch_size=settings.per_device_train_batch_size,
        per_device_eval_batch_size=settings.per_device_train_batch_size,
        gradient_accumulation_steps=settings.gradient_accumulation_steps,
        warmup_steps=settings.warmup_ratio,  # a float in [0, 1) is a ratio of the total steps
        lr_scheduler_type=settings.lr_scheduler_type,
        weight_decay=settings.weight_decay,
        optim=settings.optim,
        bf16=settings.bf16,
        **_checkpointing(SFTConfig, settings.gradient_checkpointing),
        logging_steps=settings.logging_steps,
        save_steps=settings.save_steps,
        save_strategy="no" if settings.recipe == "cpu-lora" else "steps",
        eval_strategy="steps" if has_eval else "no",
        eval_steps=settings.eval_steps,
        seed=settings.seed,
        report_to=[],
        use_cpu=settings.recipe == "cpu-lora",
        dataloader_num_workers=0,
        remove_unused_columns=False,
    )


def build_trainer(
    settings: SftSettings,
    train_records: Sequence[dict[str, Any]],
    val_records: Sequence[dict[str, Any]],
    out_dir: Path,
    image_root: Path | None = None,
) -> Any:
    from trl import SFTTrainer

    model, processor = load_base(settings)
    train_set = to_dataset(train_records, image_root)
    val_set = to_dataset(val_records, image_root) if val_records else None
    return SFTTrainer(
        model=model,
        args=sft_config(settings, Path(out_dir), val_set is not None),
        train_dataset=train_set,
        eval_dataset=val_set,
        processing_class=processor,
        peft_config=lora_config(settings),
    )


def check_loss_mask(trainer: Any, n_rows: int = 2) -> list[str]:
    """Problems with the answer-only labels on the trainer's first rows (see train.loss_mask)."""
    rows = [trainer.train_dataset[i] for i in range(min(n_rows, len(trainer.train_dataset)))]
    answers = answers_of(rows)
    batch = trainer.data_collator(rows)
    return check_batch(batch, trainer.processing_class, answers)


@dataclass
class SftResult:
    adapter_dir: Path
    metrics: dict[str, Any]
    log_history: list[dict[str, Any]]


def run_sft(
    settings: SftSettings,
    train_records: Sequence[dict[str, Any]],
    val_records: Sequence[dict[str, Any]],
    out_dir: Path,
    image_root: Path | None = None,
) -> SftResult:
    out_dir = Path(out_dir)
    trainer = build_trainer(settings, train_records, val_records, out_dir, image_root)
    problems = check_loss_mask(trainer)
    if problems:
        raise TrainError(
            "the loss would not cover exactly the answer tokens: " + "; ".join(problems)
        )
    output = trainer.train()
    adapter_dir = out_dir / ADAPTER_DIR
    trainer.model.save_pretrained(adapter_dir)
    trainer.processing_class.save_pretrained(adapter_dir)
    metrics = dict(output.metrics)
    if val_records:
        metrics.update(trainer.evaluate())
    summary = {
        "settings": dataclasses.asdict(settings),
        "n_train": len(train_records),
        "n_val": len(val_records),
        "metrics": metrics,
        "log_history": trainer.state.log_history,
        "loss_mask": "checked: answer only",
    }
    (out_dir / SUMMARY_FILE).write_text(
        json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8"
    )
    return SftResult(adapter_dir, metrics, trainer.state.log_history)
