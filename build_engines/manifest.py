"""The build manifest: which checkpoints were prepared, from where, with which options, and the
SHA-256 of every file, written as ``manifest.json`` beside the model folders.

``write-repo`` reads it to know the folders and their sizes; ``verify`` proves the files are still
the ones that were checked (sizes always, hashes on request). Folders are stored relative to the
manifest, so the same manifest works on the host and inside a container that mounts the folder
elsewhere. It does not download or check checkpoints (``hub``, ``checkpoint``).
"""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxr_auditor.build_engines.errors import ManifestError
from cxr_auditor.build_engines.facts import ROLES
from cxr_auditor.build_engines.paths import MANIFEST_NAME

SCHEMA_VERSION: Final = 1
CHUNK = 8 * 1024 * 1024
SKIP_DIRS = {".cache", "__pycache__"}  # huggingface_hub's local_dir metadata, bytecode


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileEntry(_Strict):
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Quantization(_Strict):
    method: Literal["fp8"]
    tool: str
    excluded: list[str]
    calibration: str
    source_folder: str


class ModelEntry(_Strict):
    source: Literal["hub", "local"]
    id: str  # Hub id, or the local folder it was copied from
    revision: str | None  # a commit for the Hub, None for a local folder
    folder: str  # relative to the manifest's folder
    architecture: str
    model_type: str
    dtype: str
    weights_bytes: int
    chat_template: str
    quantization: Quantization | None = None
    warnings: list[str] = Field(default_factory=list)
    files: dict[str, FileEntry]


class Manifest(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    created: str
    host: str
    options: dict[str, Any]
    models: dict[str, ModelEntry]

    def folder(self, role: str, root: Path) -> Path:
        return root / self.models[role].folder


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entries(folder: Path) -> dict[str, FileEntry]:
    """Size and SHA-256 of every file under ``folder`` (relative POSIX names, sorted)."""
    entries: dict[str, FileEntry] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or SKIP_DIRS & set(relative.parts):
            continue
        entries[relative.as_posix()] = FileEntry(
            bytes=path.stat().st_size, sha256=sha256_file(path)
        )
    return entries


def new_manifest(options: dict[str, Any], models: dict[str, ModelEntry]) -> Manifest:
    missing = [role for role in ROLES if role not in models]
    if missing:
        raise ManifestError(f"a manifest needs both roles; missing {', '.join(missing)}")
    return Manifest(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        host=platform.node(),
        options=options,
        models=models,
    )


def write_manifest(manifest: Manifest, root: Path) -> Path:
    path = root / MANIFEST_NAME
    path.write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(path: Path) -> Manifest:
    """Read and validate ``path`` (a manifest file, or the folder holding ``manifest.json``)."""
    if path.is_dir():
        path = path / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path} does not exist; run 'python -m cxr_auditor.build_engines prepare' first"
        ) from None
    except json.JSONDecodeError as error:
        raise ManifestError(f"{path}: not valid JSON ({error})") from None
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ManifestError(
            f"{path}: {where}: {first['msg']} ({error.error_count()} problem(s); "
            f"schema_version {SCHEMA_VERSION} expected)"
        ) from None
    missing = [role for role in ROLES if role not in manifest.models]
    if missing:
        raise ManifestError(
            f"{path}: models lacks {', '.join(missing)}; allowed roles: {', '.join(ROLES)}"
        )
    return manifest


def verify(manifest: Manifest, root: Path, hashes: bool = False) -> list[str]:
    """Differences between the manifest and the files under ``root`` (empty: all match)."""
    problems: list[str] = []
    for role, entry in manifest.models.items():
        folder = root / entry.folder
        if not folder.is_dir():
            problems.append(f"{role}: folder {folder} is missing")
            continue
        for name, expected in entry.files.items():
            path = folder / name
            if not path.is_file():
                problems.append(f"{role}: {path} is missing")
            elif path.stat().st_size != expected.bytes:
                problems.append(
                    f"{role}: {path} is {path.stat().st_size} bytes, the manifest "
                    f"says {expected.bytes}"
                )
            elif hashes and sha256_file(path) != expected.sha256:
                problems.append(f"{role}: {path} does not match its SHA-256 in the manifest")
    return problems
