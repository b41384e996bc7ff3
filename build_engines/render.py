"""``write-repo``: fill ``triton_repo/`` for the GPU from a manifest, with the memory plan checked.

The committed repository's placeholders are filled by ``serving.repository.fill_repository`` (the
same code ``cxr-auditor serve`` uses); then each model's ``config.pbtxt`` gets the GPU parameters
of ``build_engines.gpu_settings`` and Triton's ``max_batch_size`` set to the runtime's batch size,
and is read back through ``serving.model_settings.read_settings`` (the check the model itself makes
when it loads), so a rendered repository that the model would refuse is never left behind.
Each model folder also gets ``gpu_settings.json``: what was rendered, from which manifest, and the
memory plan. Weights are referenced, never copied.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.gpu import MemoryPlan, needs_from, plan_memory
from cxr_auditor.build_engines.gpu_settings import (
    DEFAULTS,
    LLM_ARGS,
    RUNTIMES,
    GpuChoice,
    describe_llm_args,
    parameters_for,
)
from cxr_auditor.build_engines.manifest import Manifest
from cxr_auditor.build_engines.paths import MANIFEST_NAME, SETTINGS_RECORD, TRITON_REPO
from cxr_auditor.build_engines.pbtxt import (
    add_header,
    parameters_of,
    set_max_batch_size,
    set_parameter,
)
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.repository import fill_repository

TEMPLATE_KEYS = {
    "grounder": ("grounder_runtime", "grounder_model", "grounder_name"),
    "draft_parser": ("parser_runtime", "parser_model", "parser_name"),
}


@dataclass(frozen=True)
class Rendered:
    out: Path
    runtime: str
    parameters: dict[str, dict[str, str]]
    plan: MemoryPlan | None


def _config_of(manifest: Manifest, root: Path, role: str) -> dict[str, object]:
    path = manifest.folder(role, root) / "config.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise BuildError(f"{path}: cannot read the checkpoint's config ({error})") from None


def memory_plan(
    manifest: Manifest, root: Path, choices: dict[str, GpuChoice], total_gib: float
) -> MemoryPlan:
    needs = [
        needs_from(
            role,
            _config_of(manifest, root, role),
            entry.weights_bytes,
            choices[role].max_seq_len,
            choices[role].max_batch_size,
            choices[role].free_gpu_memory_fraction,
        )
        for role, entry in manifest.models.items()
    ]
    return plan_memory(total_gib, needs)


def plan_parameters(
    manifest: Manifest, root: Path, runtime: str, weights_root: Path, choices: dict[str, GpuChoice]
) -> dict[str, dict[str, str]]:
    """Per role, the parameters to render (``model`` as the serving machine will see it)."""
    if runtime not in RUNTIMES:
        raise BuildError(f"runtime {runtime!r} is not one of {', '.join(RUNTIMES)}")
    result = {}
    for role, entry in manifest.models.items():
        version = (entry.revision or "local")[:12] + ("-fp8" if entry.quantization else "")
        name = entry.id if entry.source == "hub" else Path(entry.id).name
        result[role] = parameters_for(
            role, runtime, choices[role], (weights_root / entry.folder).as_posix(), name, version
        )
    return result


def _check(role: str, params: dict[str, str], host_model: Path, where: Path) -> None:
    """Read the rendered parameters back the way the model will (host path for ``model``)."""
    read_settings(role, {**params, "model": str(host_model)}, str(where))


def check_out(out: Path, force: bool) -> None:
    """Refuse to overwrite a folder unless it is a rendered repository and ``force`` is given."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise BuildError(f"{out} is not empty; pass --force to replace a rendered repository")
        if not any(out.glob("*/config.pbtxt")):
            raise BuildError(
                f"{out} is not a model repository (no */config.pbtxt); not replacing it"
            )


def render_repository(
    manifest: Manifest,
    manifest_path: Path,
    out: Path,
    runtime: str,
    weights_root: Path,
    choices: dict[str, GpuChoice] | None = None,
    total_gib: float | None = None,
    src: Path | None = None,
    force: bool = False,
) -> Rendered:
    """Write the GPU repository to ``out``; see the module docstring."""
    choices = choices or DEFAULTS
    manifest_path = manifest_path.resolve()
    root = manifest_path.parent if manifest_path.name == MANIFEST_NAME else manifest_path
    plan = (
        memory_plan(manifest, root, choices, total_gib)
        if runtime == "tensorrt_llm" and total_gib is not None
        else None
    )
    params = plan_parameters(manifest, root, runtime, weights_root, choices)
    check_out(out, force)
    digest = (
        hashlib.sha256(manifest_path.read_bytes()).hexdigest() if manifest_path.is_file() else ""
    )
    with tempfile.TemporaryDirectory(
        prefix="cxr-repo-", dir=out.parent if out.parent.is_dir() else None
    ) as tmp:
        staged = Path(tmp) / "repository"
        fill_repository(
            {
                key: params[role][field]
                for role, (r, m, n) in TEMPLATE_KEYS.items()
                for key, field in ((r, "runtime"), (m, "model"), (n, "model_name"))
            }
            | {"device": "cuda", "torch_threads": "4"},
            staged,
            src or TRITON_REPO,
        )
        for role in TEMPLATE_KEYS:
            config = staged / role / "config.pbtxt"
            text = config.read_text()
            for key, value in params[role].items():
                text = set_parameter(text, key, value)
            text = set_max_batch_size(text, choices[role].max_batch_size)
            header = [
                (
                    f"GPU settings rendered by 'python -m cxr_auditor.build_engines write-repo' "
                    f"(runtime {runtime}); see build_engines/gpu_settings.py."
                )
            ]
            if runtime == "tensorrt_llm":
                header.append(f"Fixed by serving/runtime_trtllm.py: {describe_llm_args(role)}")
            text = add_header(text, header)
            _check(role, parameters_of(text), manifest.folder(role, root), config)
            config.write_text(text)
            record = {
                "role": role,
                "runtime": runtime,
                "manifest_sha256": digest,
                "model": manifest.models[role].model_dump(exclude={"files"}),
                "parameters": params[role],
                "triton_max_batch_size": choices[role].max_batch_size,
                "llm_args": LLM_ARGS[role] if runtime == "tensorrt_llm" else {},
                "memory_plan": plan.__dict__ if plan else None,
            }
            (staged / role / SETTINGS_RECORD).write_text(json.dumps(record, indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), str(out))
    return Rendered(out, runtime, params, plan)
