"""FP8 post-training quantization of the grounder with NVIDIA ModelOpt (GPU only; not run here).

Per-tensor FP8 (``mtq.FP8_DEFAULT_CFG``, the format TensorRT-LLM's PyTorch backend lists for
Gemma 3) on the language model's linear layers; the SigLIP vision tower, the multimodal projector
and ``lm_head`` stay bf16 (TensorRT-LLM never quantizes Gemma 3's vision tower:
``modeling_gemma3vl.py`` passes ``quant_config=None`` to it). Activation ranges are calibrated on
the bundled library images with the grounder's own prompt, through the checkpoint's processor and
chat template. The result is exported as a Hugging Face checkpoint (``export_hf_checkpoint``)
that TensorRT-LLM loads directly, with the processor and template files copied beside it.

Unverified on this project's machines (no GPU, no ModelOpt wheel): validate box accuracy against
the bf16 model (``cxr-auditor eval grounding``) before serving the FP8 copy.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.manifest import Quantization
from cxr_auditor.build_engines.paths import library_images

EXCLUDED = ("*vision_tower*", "*multi_modal_projector*", "*lm_head*")
CARRY_FILES = (
    "chat_template.jinja",
    "chat_template.json",
    "preprocessor_config.json",
    "processor_config.json",
    "tokenizer.json",
    "tokenizer.model",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "generation_config.json",
)


def fp8_config(mtq: Any) -> dict[str, Any]:
    config = copy.deepcopy(mtq.FP8_DEFAULT_CFG)
    for pattern in EXCLUDED:
        config["quant_cfg"][pattern] = {"enable": False}
    return config


def quantize_grounder_fp8(src: Path, dst: Path, samples: int) -> Quantization:
    try:
        import modelopt
        import modelopt.torch.quantization as mtq
        import torch
        import transformers
        from modelopt.torch.export import export_hf_checkpoint
        from PIL import Image
    except ImportError as error:
        raise BuildError(
            f"FP8 needs torch, transformers and nvidia-modelopt ({error}); run "
            "prepare inside the triton image"
        ) from None
    if not torch.cuda.is_available():
        raise BuildError("FP8 calibration needs a CUDA GPU; torch sees none")
    from cxr_auditor.serving.prompts import grounder_messages, load_prompts

    images = library_images(samples)
    if not images:
        raise BuildError("no library images found for FP8 calibration (core/cases/library)")
    processor = transformers.AutoProcessor.from_pretrained(src)
    model = (
        transformers.AutoModelForImageTextToText.from_pretrained(src, dtype=torch.bfloat16)
        # transformers wraps .to() in a decorator whose stub takes the model as argument 1
        .to("cuda")  # type: ignore[arg-type]
        .eval()
    )
    prompt = processor.apply_chat_template(
        grounder_messages(load_prompts()), add_generation_prompt=True, tokenize=False
    )

    def forward_loop(net: Any) -> None:
        for path in images:
            with Image.open(path) as image:
                batch = processor(
                    text=[prompt],
                    images=[[image.convert("RGB")]],
                    add_special_tokens=False,
                    return_tensors="pt",
                )
            net(**batch.to("cuda", dtype=torch.bfloat16))

    print(f"FP8: calibrating on {len(images)} images ...", flush=True)
    with torch.no_grad():
        model = mtq.quantize(model, fp8_config(mtq), forward_loop)
    if dst.exists():
        shutil.rmtree(dst)
    export_hf_checkpoint(model, export_dir=dst)
    for name in CARRY_FILES:
        if (src / name).is_file() and not (dst / name).exists():
            shutil.copy2(src / name, dst / name)
    return Quantization(
        method="fp8",
        tool=f"nvidia-modelopt {modelopt.__version__}",
        excluded=list(EXCLUDED),
        calibration=f"{len(images)} bundled library images, grounder prompt",
        source_folder=src.name,
    )
