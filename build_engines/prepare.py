"""``prepare``: fetch (or take) both checkpoints at pinned revisions, check them, optionally
quantize the grounder to FP8, and write ``manifest.json``.

Order, so that failures come before the long steps: FP8 preconditions (GPU, ModelOpt) -> resolve
each Hub revision to a commit and check its ``config.json`` architecture -> download (or copy a
local folder) -> full checkpoint check -> FP8 -> hashes -> manifest. A checkpoint given as an
existing folder is copied (hard links where possible) instead of downloaded, so a merged
fine-tune from ``cxr-auditor train merge`` or a mirror works without the Hub.

Layout of ``--out``: ``grounder/``, ``parser/``, optionally ``grounder-fp8/``, ``manifest.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from cxr_auditor.build_engines import hub
from cxr_auditor.build_engines.checkpoint import CheckReport, check_architecture, check_checkpoint
from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.facts import FACTS, ROLES, RoleFacts
from cxr_auditor.build_engines.gpu import detect_gpus
from cxr_auditor.build_engines.manifest import (
    ModelEntry,
    Quantization,
    file_entries,
    new_manifest,
    write_manifest,
)
from cxr_auditor.build_engines.paths import FP8_SUFFIX, MANIFEST_NAME, ROLE_FOLDERS

REVISION_KEYS = {"grounder": "grounder", "parser": "draft_parser", "draft_parser": "draft_parser"}


@dataclass(frozen=True)
class Source:
    facts: RoleFacts
    spec: str  # Hub id or local folder
    revision: str | None  # requested revision (Hub only)

    @property
    def local(self) -> Path | None:
        path = Path(self.spec).expanduser()
        return path.resolve() if path.is_dir() else None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "prepare",
        help="fetch, check and pin both checkpoints; write the manifest",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument(
        "--grounder",
        default=FACTS["grounder"].default_id,
        help="Hub id or local folder (default %(default)s)",
    )
    parser.add_argument(
        "--parser",
        default=FACTS["draft_parser"].default_id,
        help="Hub id or local folder (default %(default)s)",
    )
    parser.add_argument("--out", type=Path, required=True, help="models folder (MODELS_DIR)")
    parser.add_argument(
        "--revision",
        action="append",
        default=[],
        metavar="ROLE=REV",
        help="branch, tag or commit for grounder= or parser= (repeatable); "
        "default: the parser's pinned commit, the grounder's main",
    )
    parser.add_argument(
        "--fp8",
        action="store_true",
        help="also quantize the grounder to FP8 with NVIDIA ModelOpt (GPU; the "
        "vision tower, projector and lm_head stay bf16)",
    )
    parser.add_argument(
        "--calibration-images",
        type=int,
        default=32,
        help="library images for FP8 calibration (default %(default)s)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace model folders copied from local checkpoints"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan; no network")
    parser.set_defaults(func=run)


def sources_from(args: argparse.Namespace) -> dict[str, Source]:
    revisions: dict[str, str] = {}
    for item in args.revision:
        key, _, value = item.partition("=")
        if key not in REVISION_KEYS or not value:
            raise BuildError(f"--revision {item!r}: use grounder=REV or parser=REV")
        revisions[REVISION_KEYS[key]] = value
    result = {}
    for role, spec in (("grounder", args.grounder), ("draft_parser", args.parser)):
        facts = FACTS[role]
        default = facts.default_revision if spec == facts.default_id else None
        result[role] = Source(facts, spec, revisions.get(role, default))
        if result[role].local and role in revisions:
            raise BuildError(
                f"--revision {role}: {spec} is a local folder; revisions apply to Hub ids only"
            )
    return result


def check_fp8_ready() -> None:
    """FP8 needs a GPU, torch with CUDA and ModelOpt: say which is missing before any download."""
    gpus = detect_gpus()
    missing = [
        name
        for name in ("torch", "transformers", "modelopt")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise BuildError(
            f"--fp8 needs {', '.join(missing)} (run prepare inside the triton image, "
            "which has TensorRT-LLM's nvidia-modelopt, torch and transformers)"
        )
    print(f"FP8: {gpus[0].name} ({gpus[0].total_gib:.0f} GiB) will run the calibration")


def plan_lines(sources: dict[str, Source], out: Path, fp8: bool, images: int) -> list[str]:
    lines = [f"prepare into {out.resolve()}"]
    for role, source in sources.items():
        dest = out / ROLE_FOLDERS[role]
        if source.local:
            lines.append(f"  {role}: copy local folder {source.local} -> {dest}, check it")
            continue
        revision = source.revision or "main (resolved to its commit, recorded)"
        lines += [
            f"  {role}: Hub {source.spec} at {revision}",
            (
                f"    check config.json is {'/'.join(source.facts.architectures)} "
                f"(model_type {source.facts.model_type}) before downloading"
            ),
            (
                f"    download {', '.join(hub.ALLOW)} (not {', '.join(hub.IGNORE[:4])}, ...) "
                f"-> {dest}"
            ),
            "    check weights (safetensors headers, sizes, tensor names), tokenizer, "
            + ("image processor, " if source.facts.needs_image_processor else "")
            + "chat template",
        ]
    if fp8:
        lines.append(
            f"  grounder: FP8 with ModelOpt, calibrated on {images} library images -> "
            f"{out / (ROLE_FOLDERS['grounder'] + FP8_SUFFIX)} (vision tower, projector, "
            "lm_head stay bf16); the parser stays bf16 (for FP8 use "
            "--parser nvidia/NVIDIA-Nemotron-3-Nano-4B-FP8)"
        )
    lines.append(f"  hash every file (SHA-256) and write {out / MANIFEST_NAME}")
    return lines


def _copy_local(source: Path, dest: Path, force: bool) -> None:
    if dest.resolve() == source:
        return
    if dest.exists():
        if not force:
            raise BuildError(f"{dest} exists; pass --force to replace it with {source}")
        shutil.rmtree(dest)

    def link_or_copy(src: str, dst: str) -> object:
        try:
            os.link(src, dst)
            return dst
        except OSError:
            return shutil.copy2(src, dst)

    shutil.copytree(
        source,
        dest,
        copy_function=link_or_copy,
        ignore=shutil.ignore_patterns(".cache", "__pycache__"),
    )


def _entry(
    source: Source,
    commit: str | None,
    report: CheckReport,
    folder: str,
    quantization: Quantization | None = None,
) -> ModelEntry:
    print(
        f"  {report.role}: hashing {len(report.weight_files)} weight file(s) in {folder}/ ...",
        flush=True,
    )
    return ModelEntry(
        source="local" if source.local else "hub",
        id=str(source.local) if source.local else source.spec,
        revision=commit,
        folder=folder,
        architecture=report.architecture,
        model_type=report.model_type,
        dtype=report.dtype,
        weights_bytes=report.weights_bytes,
        chat_template=report.chat_template,
        quantization=quantization,
        warnings=report.warnings,
        files=file_entries(report.folder),
    )


def run(args: argparse.Namespace) -> int:
    sources = sources_from(args)
    if args.calibration_images < 1:
        raise BuildError("--calibration-images must be at least 1")
    if args.dry_run:  # the plan, then the checks that need no network (errors exit 2)
        print(
            "\n".join(
                [
                    "DRY RUN: nothing is downloaded or written",
                    *plan_lines(sources, args.out, args.fp8, args.calibration_images),
                ]
            )
        )
        for role, source in sources.items():
            if source.local:
                report = check_checkpoint(source.local, role)
                print(
                    f"  {role}: {source.local} checks out ({report.architecture}, "
                    f"{report.weights_bytes / 1024**3:.2f} GiB)"
                )
        if args.fp8:
            check_fp8_ready()
        return 0
    if args.fp8:
        check_fp8_ready()
    commits: dict[str, str | None] = {}
    for role, source in sources.items():  # cheap checks first: revision and architecture
        if source.local:
            commits[role] = None
            continue
        commit = commits[role] = hub.resolve_revision(source.spec, source.revision)
        config = hub.fetch_config(source.spec, commit)
        check_architecture(f"{source.spec}@{commit}", config, source.facts)
        print(f"{role}: {source.spec} @ {commit} is {config.get('architectures')}")
    args.out.mkdir(parents=True, exist_ok=True)
    reports: dict[str, CheckReport] = {}
    for role, source in sources.items():
        dest = args.out / ROLE_FOLDERS[role]
        if source.local:
            _copy_local(source.local, dest, args.force)
        else:
            hub_commit = commits[role]
            assert hub_commit is not None  # resolved for every Hub source in the loop above
            print(f"{role}: downloading into {dest} ...", flush=True)
            hub.download(source.spec, hub_commit, dest)
        reports[role] = check_checkpoint(dest, role)
        for warning in reports[role].warnings:
            print(f"  warning: {role}: {warning}")
    entries = {
        role: _entry(sources[role], commits[role], reports[role], ROLE_FOLDERS[role])
        for role in ROLES
    }
    if args.fp8:
        from cxr_auditor.build_engines.quantize import quantize_grounder_fp8

        folder = ROLE_FOLDERS["grounder"] + FP8_SUFFIX
        quantization = quantize_grounder_fp8(
            args.out / ROLE_FOLDERS["grounder"], args.out / folder, args.calibration_images
        )
        report = check_checkpoint(args.out / folder, "grounder")
        entries["grounder"] = _entry(
            sources["grounder"], commits["grounder"], report, folder, quantization
        )
    options = {
        "fp8": "grounder" if args.fp8 else None,
        "calibration_images": args.calibration_images if args.fp8 else None,
        "requested": {
            role: {"spec": s.spec, "revision": s.revision} for role, s in sources.items()
        },
    }
    path = write_manifest(new_manifest(options, entries), args.out)
    for role, entry in entries.items():
        print(
            f"{role}: {entry.architecture} {entry.id}"
            + (f"@{entry.revision}" if entry.revision else "")
            + f" -> {entry.folder}/ ({entry.weights_bytes / 1024**3:.2f} GiB weights)"
        )
    print(f"manifest: {path}")
    return 0
