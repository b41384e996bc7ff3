"""The merge check: proof that merged weights are exactly base + adapter, and act differently.

For a base checkpoint, a LoRA adapter and a merged checkpoint, ``verify_merge`` checks:

1. Names: the merged model has exactly the base's tensors (same names, shapes, dtypes), none of
   PEFT's (``lora_``, ``base_layer``).
2. Every LoRA-targeted weight: ``W_merged == W_base + (B @ A) * scaling`` (transposed for
   ``fan_in_fan_out`` layers) within the rounding of the stored dtype: |error| <= eps(dtype) *
   |expected| plus fp32 slack. ``A``, ``B`` and ``scaling`` are read from the adapter as PEFT loads
   it (rank and alpha patterns included); the delta is computed here, not taken from PEFT's merge.
3. Every other tensor: bit-identical to the base.
4. Behaviour on a fixed input (a synthetic image and the grounding prompt): the merged model's
   logits differ from the base's, and agree with the unmerged base + adapter model more closely
   than with the base (``agreement <= AGREEMENT_SHARE x change``).
5. At least one targeted weight actually changed in the stored dtype.

The original implementation passed a merge when any one tensor's mean |change| exceeded 1e-6.
Needs the ``[train]`` extra.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cxr_auditor.train.checkpoint import load_model

AGREEMENT_SHARE = 0.25
FP32_SLACK = 64 * 2.0**-23  # rounding of the fp32 sum and of B @ A in another order


@dataclass
class TensorCheck:
    name: str
    kind: str  # "lora" or "untouched"
    ok: bool
    max_error: float = 0.0
    changed: int = 0  # elements that differ from the base in the stored dtype


@dataclass
class MergeCheck:
    tensors: list[TensorCheck] = field(default_factory=list)
    logits_change: float = 0.0  # max |merged - base|
    logits_agreement: float = 0.0  # max |merged - base+adapter (unmerged)|
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        lora = [t for t in self.tensors if t.kind == "lora"]
        return {
            "ok": self.ok,
            "problems": self.problems,
            "n_lora_weights": len(lora),
            "n_untouched": len(self.tensors) - len(lora),
            "n_lora_changed": sum(1 for t in lora if t.changed),
            "max_lora_error": max((t.max_error for t in lora), default=0.0),
            "logits_change": self.logits_change,
            "logits_agreement": self.logits_agreement,
            "tensors": [asdict(t) for t in self.tensors],
        }


def probe_inputs(processor: Any) -> dict[str, Any]:
    """A fixed input: a gradient test image and the served grounding prompt."""
    import numpy as np
    from PIL import Image

    from cxr_auditor.train.records import grounder_prompt

    ramp = np.add.outer(np.arange(96), np.arange(80)).astype(np.uint8)
    image = Image.fromarray(ramp).convert("RGB")
    messages = grounder_prompt()
    messages[0]["content"][0] = {"type": "image", "image": image}
    return processor.apply_chat_template(
        messages, add_generation_prompt=True, tokenize=True, return_dict=True, return_tensors="pt"
    )


def _logits(model: Any, inputs: dict[str, Any]) -> Any:
    import torch

    dtype = next(model.parameters()).dtype
    batch = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in inputs.items()}
    with torch.inference_mode():
        return model(**batch).logits.float()


def lora_layers(peft_model: Any) -> dict[str, tuple[Any, Any, float, bool]]:
    """Weight name (as in the base) -> (A, B, scaling, fan_in_fan_out) for the active adapter."""
    from peft.tuners.lora import LoraLayer

    out = {}
    inner = peft_model.base_model.model
    for name, module in inner.named_modules():
        if isinstance(module, LoraLayer):
            adapter = module.active_adapters[0]
            # torch types a submodule's attribute (.weight) as Tensor | Module, so mypy sees
            # .weight.detach as possibly a Module attribute, a Tensor, not callable [operator]
            out[f"{name}.weight"] = (
                module.lora_A[adapter].weight.detach().float(),  # type: ignore[operator]
                module.lora_B[adapter].weight.detach().float(),  # type: ignore[operator]
                float(module.scaling[adapter]),
                bool(getattr(module, "fan_in_fan_out", False)),
            )
    return out


def _check_lora(name: str, base: Any, merged: Any, lora: tuple) -> TensorCheck:
    import torch

    a, b, scaling, fan_in_fan_out = lora
    delta = (b @ a) * scaling
    if fan_in_fan_out:
        delta = delta.T
    expected = base.float() + delta
    error = (merged.float() - expected).abs()
    tol = (
        torch.finfo(merged.dtype).eps * expected.abs()
        + FP32_SLACK * (base.float().abs() + delta.abs())
        + torch.finfo(merged.dtype).tiny
    )
    return TensorCheck(
        name, "lora", bool((error <= tol).all()), float(error.max()), int((merged != base).sum())
    )


def compare_weights(
    base: dict[str, Any], merged: dict[str, Any], lora: dict[str, tuple]
) -> tuple[list[TensorCheck], list[str]]:
    checks, problems = [], []
    extra = sorted(set(merged) - set(base))
    if set(base) != set(merged):
        missing = sorted(set(base) - set(merged))
        problems.append(f"tensor names differ: missing {missing[:3]}, extra {extra[:3]}")
    peft_names = [n for n in merged if "lora_" in n or "base_layer" in n]
    if peft_names:
        problems.append(f"merged model still holds PEFT tensors, e.g. {peft_names[:3]}")
    unknown = sorted(set(lora) - set(base))
    if unknown:
        problems.append(f"adapter targets weights the base does not have: {unknown[:3]}")
    for name in sorted(set(base) & set(merged)):
        b, m = base[name], merged[name]
        if b.shape != m.shape or b.dtype != m.dtype:
            problems.append(
                f"{name}: {tuple(m.shape)} {m.dtype} in the merge, "
                f"{tuple(b.shape)} {b.dtype} in the base"
            )
            continue
        if name in lora:
            check = _check_lora(name, b, m, lora[name])
            if not check.ok:
                problems.append(
                    f"{name}: merged weight is not base + B@A*scaling "
                    f"(max error {check.max_error:.3g})"
                )
        else:
            same = bool((b == m).all())
            check = TensorCheck(name, "untouched", same, changed=int((b != m).sum()))
            if not check.ok:
                problems.append(
                    f"{name}: not targeted by the adapter but changed ({check.changed} elements)"
                )
        checks.append(check)
    if lora and not any(c.changed for c in checks if c.kind == "lora"):
        problems.append("no targeted weight changed: the merge is the base")
    return checks, problems


def verify_merge(
    base_model: str | Path, adapter_dir: str | Path, merged_dir: str | Path
) -> MergeCheck:
    """Run every check of the module docstring; never raises for a failed check."""
    from peft import PeftModel

    base, processor = load_model(base_model)
    inputs = probe_inputs(processor)
    base_logits = _logits(base, inputs)
    base_state = dict(base.state_dict())  # the same tensors PEFT keeps as base_layer weights
    adapted = PeftModel.from_pretrained(base, str(adapter_dir)).eval()
    adapter_logits = _logits(adapted, inputs)
    lora = lora_layers(adapted)
    merged, _ = load_model(merged_dir)
    merged_logits = _logits(merged, inputs)
    checks, problems = compare_weights(base_state, dict(merged.state_dict()), lora)
    change = float((merged_logits - base_logits).abs().max())
    agreement = float((merged_logits - adapter_logits).abs().max())
    if change == 0.0:
        problems.append("the merged model's logits equal the base's on the probe input")
    elif agreement > AGREEMENT_SHARE * change:
        problems.append(
            f"the merged model is not the base + adapter model: logits differ by "
            f"{agreement:.3g} from it, by {change:.3g} from the base"
        )
    return MergeCheck(checks, change, agreement, problems)
