"""Pinned downloads from the Hugging Face Hub, with short time-outs and one-line errors.

``resolve_revision`` turns a branch or tag into the commit it points at (the manifest records
commits, never branch names); ``fetch_config`` reads ``config.json`` at that commit, so a wrong
architecture fails before gigabytes move; ``download`` fetches the files the runtimes read into a
plain folder (no symlinks into a cache, so the folder can be mounted into a container).

Every Hub failure becomes a ``HubAccessError`` that says which: offline mode, Hub unreachable,
token refused or gated repo, unknown repo or revision. ``huggingface_hub`` is imported on first
use. Nothing here runs in the tests against the real Hub.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.errors import HubAccessError

COMMIT = re.compile(r"^[0-9a-f]{40}$")
TIMEOUT_S = 15.0
# what the runtimes read; never pickles, GGUF or the "original/" training checkpoints
ALLOW = ["*.json", "*.safetensors", "*.jinja", "*.model", "*.txt", "*.py", "LICENSE*", "*.md"]
IGNORE = ["*.bin", "*.pth", "*.pt", "*.gguf", "*.onnx", "original/*", "*.msgpack", "*.h5"]


def _set_short_timeouts() -> None:
    """huggingface_hub reads these when imported: keep a dead network from hanging a build."""
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "60")


def _hub() -> Any:
    _set_short_timeouts()
    try:
        import huggingface_hub
    except ImportError as error:
        raise HubAccessError(
            f"huggingface_hub is not installed ({error}); it ships with "
            "transformers, or: pip install huggingface_hub"
        ) from None
    return huggingface_hub


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co")


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def explain(error: BaseException, repo_id: str, revision: str | None) -> HubAccessError:
    """One line for any failure of a Hub call about ``repo_id`` at ``revision``."""
    names = {cls.__name__ for cls in type(error).__mro__}
    where = f"{repo_id}@{revision}" if revision else repo_id
    status = getattr(getattr(error, "response", None), "status_code", None)
    first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
    if "OfflineModeIsEnabled" in names or offline():
        return HubAccessError(
            f"{where}: the Hub is off (HF_HUB_OFFLINE=1); unset it on a machine "
            "that can reach the Hub, or pass a local checkpoint folder"
        )
    if "GatedRepoError" in names or status in (401, 403):
        return HubAccessError(
            f"{where}: access refused ({status or 'gated'}); accept the model's "
            "terms on the Hub and export HF_TOKEN=<a read token>"
        )
    if "RevisionNotFoundError" in names:
        return HubAccessError(
            f"{where}: revision not found; give a branch, tag or full commit "
            "with --grounder-revision/--parser-revision"
        )
    if "RepositoryNotFoundError" in names or status == 404:
        return HubAccessError(f"{where}: repository not found (or private without HF_TOKEN)")
    if names & {
        "ConnectError",
        "ConnectionError",
        "NetworkError",
        "TransportError",
        "TimeoutException",
        "Timeout",
        "ReadTimeout",
        "ConnectTimeout",
        "TimeoutError",
    }:
        return HubAccessError(
            f"{where}: cannot reach the Hub at {endpoint()} ({first}); check "
            "the network or HF_ENDPOINT, or pass a local checkpoint folder"
        )
    return HubAccessError(f"{where}: Hub request failed ({type(error).__name__}: {first})")


def resolve_revision(
    repo_id: str, revision: str | None, token: str | None = None, timeout: float = TIMEOUT_S
) -> str:
    """The commit that ``revision`` (default: main) of ``repo_id`` points at."""
    revision = revision or "main"
    if offline():
        raise explain(RuntimeError("offline"), repo_id, revision)
    hub = _hub()
    try:
        info = hub.HfApi(endpoint=endpoint()).model_info(
            repo_id, revision=revision, timeout=timeout, token=token
        )
    except Exception as error:
        raise explain(error, repo_id, revision) from None
    sha = str(getattr(info, "sha", "") or "")
    if not COMMIT.match(sha):
        raise HubAccessError(f"{repo_id}@{revision}: the Hub returned no commit id")
    return sha


def fetch_config(repo_id: str, commit: str, token: str | None = None) -> dict[str, Any]:
    """``config.json`` of ``repo_id`` at ``commit`` (one small file)."""
    hub = _hub()
    try:
        path = hub.hf_hub_download(
            repo_id, "config.json", revision=commit, token=token, etag_timeout=TIMEOUT_S
        )
    except Exception as error:
        raise explain(error, repo_id, commit) from None
    return json.loads(Path(path).read_text(encoding="utf-8"))


def download(repo_id: str, commit: str, dest: Path, token: str | None = None) -> Path:
    """The runtime files of ``repo_id`` at ``commit``, as plain files in ``dest``."""
    if not COMMIT.match(commit):
        raise HubAccessError(f"{repo_id}: refusing to download an unpinned revision {commit!r}")
    hub = _hub()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        hub.snapshot_download(
            repo_id,
            revision=commit,
            local_dir=dest,
            token=token,
            allow_patterns=ALLOW,
            ignore_patterns=IGNORE,
            etag_timeout=TIMEOUT_S,
        )
    except Exception as error:
        raise explain(error, repo_id, commit) from None
    return dest
