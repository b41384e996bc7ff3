"""``write-repo``: render the model repository for the GPU from the manifest (see ``render``).

``--runtime tensorrt_llm`` (default) is the deployment; ``--runtime transformers`` renders the
same two models on Hugging Face ``generate`` on the GPU, the baseline ``bench`` compares against.
The GPU size comes from ``nvidia-smi`` or ``--gpu-memory-gib`` (to render for another machine);
``--weights-root`` is where the serving container sees the models folder (default: where this
process sees it; ``/weights`` in ``docker-compose.yml``).
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.checkpoint import check_checkpoint
from cxr_auditor.build_engines.errors import BuildError, GpuMemoryError, ManifestError
from cxr_auditor.build_engines.gpu import OVERHEAD_GIB, GiB, detect_gpus
from cxr_auditor.build_engines.gpu_settings import DEFAULTS, RUNTIMES, GpuChoice
from cxr_auditor.build_engines.manifest import read_manifest, verify
from cxr_auditor.build_engines.paths import MANIFEST_NAME, TRITON_REPO
from cxr_auditor.build_engines.render import check_out, render_repository

ROLE_KEYS = {"grounder": "grounder", "parser": "draft_parser", "draft_parser": "draft_parser"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "write-repo",
        help="render the GPU settings into a Triton model repository",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument(
        "--manifest",
        type=Path,
        required=True,
        help="manifest.json written by prepare (or its folder)",
    )
    parser.add_argument("--out", type=Path, required=True, help="repository folder to write")
    parser.add_argument("--runtime", choices=RUNTIMES, default="tensorrt_llm")
    parser.add_argument(
        "--weights-root",
        type=Path,
        help="the models folder as the server sees it (default: the manifest's folder)",
    )
    parser.add_argument(
        "--gpu-memory-gib",
        type=float,
        help="GPU memory to plan for (default: nvidia-smi's first GPU)",
    )
    for flag, help_text in (
        ("--max-batch-size", "in-flight batch"),
        ("--max-seq-len", "longest sequence"),
        ("--memory-fraction", "KV-cache share of free GPU memory"),
    ):
        parser.add_argument(
            flag,
            action="append",
            default=[],
            metavar="ROLE=VALUE",
            help=f"{help_text} for grounder= or parser= (repeatable)",
        )
    parser.add_argument(
        "--src",
        type=Path,
        default=TRITON_REPO,
        help="repository with placeholders (default: the checkout's triton_repo)",
    )
    parser.add_argument(
        "--verify-hashes",
        action="store_true",
        help="re-hash every file against the manifest (slow for 8 GB weights)",
    )
    parser.add_argument("--force", action="store_true", help="replace a rendered repository")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="render into a temporary folder, print it, write nothing",
    )
    parser.set_defaults(func=run)


def choices_from(args: argparse.Namespace) -> dict[str, GpuChoice]:
    choices = dict(DEFAULTS)
    for items, field, kind in (
        (args.max_batch_size, "max_batch_size", int),
        (args.max_seq_len, "max_seq_len", int),
        (args.memory_fraction, "free_gpu_memory_fraction", float),
    ):
        for item in items:
            key, _, text = item.partition("=")
            try:
                value = kind(text)
            except ValueError:
                value = None
            if key not in ROLE_KEYS or value is None:
                raise BuildError(
                    f"--{field.replace('_', '-')} {item!r}: use grounder=N or "
                    f"parser=N with a {kind.__name__}"
                )
            role = ROLE_KEYS[key]
            update: dict[str, Any] = {field: value}  # the field named by the option
            choices[role] = replace(choices[role], **update)
    return choices


def gpu_memory(args: argparse.Namespace) -> tuple[float, str]:
    if args.gpu_memory_gib is not None:
        if args.gpu_memory_gib <= 0:
            raise BuildError("--gpu-memory-gib must be positive")
        return args.gpu_memory_gib, "--gpu-memory-gib"
    gpu = detect_gpus()[0]
    return gpu.total_gib, f"GPU 0: {gpu.name}"


def run(args: argparse.Namespace) -> int:
    manifest_path = args.manifest / MANIFEST_NAME if args.manifest.is_dir() else args.manifest
    manifest = read_manifest(manifest_path)
    root = manifest_path.resolve().parent
    problems = verify(manifest, root, hashes=args.verify_hashes)
    if problems:
        raise ManifestError(
            f"{manifest_path} no longer matches the files: {problems[0]}"
            + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    for role in manifest.models:
        check_checkpoint(manifest.folder(role, root), role)
    total, where = gpu_memory(args)
    choices = choices_from(args)
    weights_root = args.weights_root or root
    if args.runtime == "transformers":
        need = sum(e.weights_bytes for e in manifest.models.values()) / GiB + 2 * OVERHEAD_GIB
        if total < need:
            raise GpuMemoryError(
                f"the transformers runtime needs about {need:.1f} GiB for both "
                f"models; {where} has {total:.1f} GiB"
            )
    target = args.out
    if args.dry_run:
        check_out(args.out, args.force)
        staging = tempfile.TemporaryDirectory(prefix="cxr-dry-")
        target = Path(staging.name) / "repository"
    rendered = render_repository(
        manifest,
        manifest_path,
        target,
        args.runtime,
        weights_root,
        choices,
        total if args.runtime == "tensorrt_llm" else None,
        args.src,
        args.force,
    )
    print(
        ("DRY RUN: would write " if args.dry_run else "wrote ") + f"{args.out} "
        f"(runtime {args.runtime}, planned for {total:.1f} GiB, {where})"
    )
    for role, params in rendered.parameters.items():
        print(f"  {role}: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    if rendered.plan:
        print("\n".join(rendered.plan.lines()))
    if args.dry_run:
        staging.cleanup()
    return 0
