"""Check that a checkpoint folder is what its role needs, from its files alone (no torch, no load).

Checks, each failing with a ``CheckpointError`` / ``ArchitectureError`` that names the folder, the
file and what was expected:

- ``config.json``: ``architectures`` and ``model_type`` of the role (``build_engines.facts``); for
  Nemotron-H the layer pattern matches the layer count; remote code named by ``auto_map`` is
  present;
- weights: safetensors only (an index's every shard present), each file's header readable and its
  size matching the header (a cut-off download fails here), and the role's tensor-name marks present
  (a grounder without ``vision_tower`` tensors is an incomplete merge);
- tokenizer (``tokenizer.json`` or ``tokenizer.model``), the grounder's image-processor settings,
  and a chat template (``chat_template.jinja``/``.json``, or inside the processor or tokenizer
  config). Template marks that are missing (``enable_thinking`` for the parser) are warnings.

It does not load the model or check that the weights are any good.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.errors import ArchitectureError, CheckpointError
from cxr_auditor.build_engines.facts import FACTS, RoleFacts

MAX_HEADER_BYTES = 100 * 1024 * 1024


@dataclass
class CheckReport:
    role: str
    folder: Path
    architecture: str
    model_type: str
    dtype: str
    weight_files: list[str]
    weights_bytes: int
    tensors: int
    chat_template: str  # where the template was found
    quantization: dict[str, Any] | None
    config: dict[str, Any] = field(repr=False)
    warnings: list[str] = field(default_factory=list)


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"{path} is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{path} is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise CheckpointError(f"{path}: expected a JSON object")
    return data


def safetensors_header(path: Path) -> dict[str, Any]:
    """The JSON header of one safetensors file; CheckpointError when it is cut off or malformed."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(8)
        if len(head) < 8:
            raise CheckpointError(f"{path}: not a safetensors file (shorter than 8 bytes)")
        (length,) = struct.unpack("<Q", head)
        if length > min(MAX_HEADER_BYTES, size - 8):
            raise CheckpointError(
                f"{path}: safetensors header length {length} does not fit the "
                f"file ({size} bytes); the file is cut off or not safetensors"
            )
        try:
            header = json.loads(handle.read(length))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CheckpointError(f"{path}: unreadable safetensors header ({error})") from None
    ends = [entry["data_offsets"][1] for name, entry in header.items() if name != "__metadata__"]
    expected = 8 + length + max(ends, default=0)
    if expected != size:
        raise CheckpointError(
            f"{path}: {size} bytes on disk but the header describes {expected}; "
            "the download is incomplete or the file is corrupt"
        )
    return header


def _weight_files(folder: Path) -> list[Path]:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        shards = sorted(set(_json(index).get("weight_map", {}).values()))
        if not shards:
            raise CheckpointError(f"{index} has an empty weight_map")
        missing = [name for name in shards if not (folder / name).is_file()]
        if missing:
            raise CheckpointError(
                f"{folder}: shard(s) listed in model.safetensors.index.json are "
                f"missing: {', '.join(missing)}"
            )
        return [folder / name for name in shards]
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        pickles = [p.name for p in folder.glob("*.bin")]
        extra = (
            f" (found {', '.join(pickles)}: pickled weights are not accepted)" if pickles else ""
        )
        raise CheckpointError(f"{folder}: no *.safetensors weights{extra}")
    return files


def _chat_template(folder: Path) -> tuple[str, str]:
    """(where, template text) of the first chat template found, or CheckpointError."""
    jinja = folder / "chat_template.jinja"
    if jinja.is_file():
        return jinja.name, jinja.read_text(encoding="utf-8")
    for name in ("chat_template.json", "processor_config.json", "tokenizer_config.json"):
        path = folder / name
        if not path.is_file():
            continue
        template = _json(path).get("chat_template")
        if isinstance(template, list):  # [{"name": ..., "template": ...}, ...]
            template = "\n".join(
                str(t.get("template", "")) for t in template if isinstance(t, dict)
            )
        if isinstance(template, str) and template.strip():
            return f"{name}:chat_template", template
    raise CheckpointError(
        f"{folder}: no chat template (looked for chat_template.jinja, "
        "chat_template.json, and chat_template in processor_config.json and "
        "tokenizer_config.json); the runtimes render prompts with it"
    )


def check_architecture(folder: Path | str, config: dict[str, Any], facts: RoleFacts) -> str:
    """The matching architecture name; ArchitectureError when ``config`` is not the role's."""
    found = config.get("architectures") or []
    model_type = str(config.get("model_type", ""))
    match = [a for a in found if a in facts.architectures]
    if not match or model_type != facts.model_type:
        raise ArchitectureError(
            f"{folder}/config.json: the {facts.role} must be {' or '.join(facts.architectures)} "
            f"(model_type {facts.model_type}); found architectures {found or 'none'}, model_type "
            f"{model_type or 'none'} ({facts.notes})"
        )
    return match[0]


def _check_layers(folder: Path, config: dict[str, Any], warnings: list[str]) -> None:
    pattern = config.get("hybrid_override_pattern")
    layers = config.get("num_hidden_layers")
    if isinstance(pattern, str) and isinstance(layers, int) and len(pattern) != layers:
        raise ArchitectureError(
            f"{folder}/config.json: hybrid_override_pattern has {len(pattern)} "
            f"layers but num_hidden_layers is {layers}"
        )
    if isinstance(pattern, str) and "M" not in pattern:
        raise ArchitectureError(
            f"{folder}/config.json: hybrid_override_pattern {pattern!r} has no "
            "Mamba layer ('M'); this is not the hybrid Nemotron-H parser"
        )
    if pattern is None:
        warnings.append("config.json has no hybrid_override_pattern; layer layout not checked")


def _check_remote_code(folder: Path, config: dict[str, Any]) -> None:
    auto_map = config.get("auto_map") or {}
    modules = {str(ref).split("--")[-1].rsplit(".", 1)[0] for ref in auto_map.values()}
    missing = sorted(f"{m}.py" for m in modules if m and not (folder / f"{m}.py").is_file())
    if missing:
        raise CheckpointError(
            f"{folder}: config.json auto_map names {', '.join(missing)}, which "
            "is missing (needed with trust_remote_code, offline)"
        )


def check_checkpoint(folder: Path, role: str) -> CheckReport:
    """Check ``folder`` for ``role`` (``grounder`` or ``draft_parser``); see the module doc."""
    facts = FACTS[role]
    if not folder.is_dir():
        raise CheckpointError(f"{facts.role} checkpoint folder {folder} does not exist")
    config = _json(folder / "config.json")
    warnings: list[str] = []
    architecture = check_architecture(folder, config, facts)
    if role == "draft_parser":
        _check_layers(folder, config, warnings)
    _check_remote_code(folder, config)

    files = _weight_files(folder)
    names: set[str] = set()
    for path in files:
        names |= {n for n in safetensors_header(path) if n != "__metadata__"}
    absent = [mark for mark in facts.tensor_marks if not any(mark in n for n in names)]
    if absent:
        raise ArchitectureError(
            f"{folder}: no tensor name contains {', '.join(absent)} among "
            f"{len(names)} tensors; the {role} checkpoint is incomplete "
            "(e.g. a merge that dropped the vision tower) or another model"
        )

    if not ((folder / "tokenizer.json").is_file() or (folder / "tokenizer.model").is_file()):
        raise CheckpointError(f"{folder}: no tokenizer (tokenizer.json or tokenizer.model)")
    if facts.needs_image_processor:
        processor = folder / "processor_config.json"
        has_inline = processor.is_file() and "image_processor" in _json(processor)
        if not ((folder / "preprocessor_config.json").is_file() or has_inline):
            raise CheckpointError(
                f"{folder}: no image-processor settings "
                "(preprocessor_config.json or processor_config.json with "
                "image_processor); AutoProcessor needs them"
            )
    where, template = _chat_template(folder)
    for mark in facts.template_marks:
        if mark not in template:
            warnings.append(f"chat template ({where}) does not contain {mark!r}")

    quantization = config.get("quantization_config")
    hf_quant = folder / "hf_quant_config.json"
    if quantization is None and hf_quant.is_file():
        quantization = _json(hf_quant).get("quantization")
    dtype = str(
        config.get("torch_dtype")
        or config.get("dtype")
        or config.get("text_config", {}).get("dtype")
        or "unknown"
    )
    return CheckReport(
        role=role,
        folder=folder,
        architecture=architecture,
        model_type=facts.model_type,
        dtype=dtype,
        weight_files=[p.name for p in files],
        weights_bytes=sum(p.stat().st_size for p in files),
        tensors=len(names),
        chat_template=where,
        quantization=quantization if isinstance(quantization, dict) else None,
        config=config,
        warnings=warnings,
    )
