"""Merging a trained LoRA adapter into a clean base, then proving the merge (``train.verify``).

The base is loaded again from its checkpoint, unquantized (a QLoRA adapter is trained against the
4-bit model but is never folded into it), upcast to fp32 so the sum ``W + B @ A * scaling`` is
exact, merged with PEFT's ``merge_and_unload`` and written back in the base checkpoint's own dtype
(bf16 for MedGemma) with the processor, as safetensors. ``merge_and_check`` then runs the merge
check and writes ``merge_check.json`` beside the weights; a failed check raises ``MergeCheckError``
and the folder is marked ``MERGE_CHECK_FAILED`` so it cannot be mistaken for a good one.

Memory: the merge holds one fp32 copy of the base (about 17 GB for a 4B model) on the CPU.
Needs the ``[train]`` extra.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxr_auditor.core.errors import InputError
from cxr_auditor.train.checkpoint import load_model
from cxr_auditor.train.verify import verify_merge

CHECK_FILE = "merge_check.json"
FAILED_MARK = "MERGE_CHECK_FAILED"


class MergeCheckError(InputError):
    """The merged weights are not base + adapter, or the merged model behaves like the base."""


def merge_adapter(base_model: str | Path, adapter_dir: Path, out_dir: Path) -> Path:
    """Write base + adapter (merged, in the base's dtype) and the processor into ``out_dir``."""
    import torch
    from peft import PeftModel

    if not (Path(adapter_dir) / "adapter_config.json").is_file():
        raise InputError(f"{adapter_dir}: no adapter_config.json (is it an adapter folder?)")
    model, processor = load_model(base_model)
    dtype = model.dtype
    model = model.to(torch.float32)
    merged = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    merged = merged.to(dtype)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    merged.save_pretrained(out_dir)
    processor.save_pretrained(out_dir)
    return out_dir


def merge_and_check(base_model: str | Path, adapter_dir: Path, out_dir: Path) -> Any:
    """Merge, then verify; return the check (raises MergeCheckError when it fails)."""
    merge_adapter(base_model, adapter_dir, out_dir)
    check = verify_merge(base_model, adapter_dir, out_dir)
    (Path(out_dir) / CHECK_FILE).write_text(
        json.dumps(check.summary(), indent=2) + "\n", encoding="utf-8"
    )
    if not check.ok:
        (Path(out_dir) / FAILED_MARK).write_text("\n".join(check.problems) + "\n", encoding="utf-8")
        raise MergeCheckError(
            f"merge check failed for {out_dir}: {check.problems[0]} "
            f"({len(check.problems)} problem(s), see {CHECK_FILE})"
        )
    return check
