"""What each served role must be: Hub id, pinned revision, architecture, and the marks of a
complete checkpoint. Sources: the published model cards and configs on the Hugging Face Hub and
TensorRT-LLM's supported-models table (PyTorch backend); nothing here reads a file or the network.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("grounder", "draft_parser")


@dataclass(frozen=True)
class RoleFacts:
    role: str
    option: str  # the command-line option that names its checkpoint
    default_id: str
    default_revision: str | None  # None: resolve the branch to a commit and record it
    architectures: tuple[str, ...]  # config.json "architectures" must be one of these
    model_type: str
    tensor_marks: tuple[str, ...]  # every mark occurs in some tensor name of a complete model
    template_marks: tuple[str, ...]  # the chat template should contain these (warned otherwise)
    needs_image_processor: bool
    notes: str


GROUNDER = RoleFacts(
    role="grounder",
    option="--grounder",
    default_id="alex-feeel/medgemma-cxr-auditor-v2",
    default_revision=None,
    architectures=("Gemma3ForConditionalGeneration",),
    model_type="gemma3",
    # TensorRT-LLM's Gemma3 VLM loader splits the weights by these prefixes (modeling_gemma3vl.py)
    tensor_marks=("language_model", "vision_tower", "multi_modal_projector"),
    template_marks=("<start_of_image>",),
    needs_image_processor=True,
    notes="merged MedGemma 1.5 4B fine-tune (Gemma 3 image-text-to-text); TensorRT-LLM needs "
    "FlashInfer attention, no chunked prefill, no KV-cache reuse",
)

PARSER = RoleFacts(
    role="draft_parser",
    option="--parser",
    default_id="nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16",
    # the revision NVIDIA's own recipes pin (Megatron-Bridge nemotron_3_nano_4b, NeMo notebooks)
    default_revision="dfaf35de3e30f1867dd8dbc38a7fc9fb52d3914f",
    architectures=("NemotronHForCausalLM",),
    model_type="nemotron_h",
    tensor_marks=("backbone.", "mixer.A_log"),
    template_marks=("<|im_start|>", "enable_thinking"),
    needs_image_processor=False,
    notes="hybrid Mamba-2/Transformer; TensorRT-LLM needs KV-cache block reuse off and a float32 "
    "Mamba state; transformers < 5.3 loads it only with trust_remote_code",
)

FACTS = {"grounder": GROUNDER, "draft_parser": PARSER}
