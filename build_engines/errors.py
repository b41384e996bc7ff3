"""Errors of the GPU build, one class per thing that can be missing or wrong.

Each is an ``AuditorError`` (a ValueError), so the command line prints it as one line and exits
with code 2; the message says what was found, where, and what to do instead.
"""

from __future__ import annotations

from cxr_auditor.core.errors import AuditorError


class BuildError(AuditorError):
    """A build step that cannot go on (bad argument, missing file)."""


class NoGpuError(BuildError):
    """No NVIDIA GPU is visible to this process."""


class GpuMemoryError(BuildError):
    """The GPU is too small for both models with the requested settings."""


class HubAccessError(BuildError):
    """The Hugging Face Hub cannot be reached, refuses the token, or lacks the repo or revision."""


class CheckpointError(BuildError):
    """A checkpoint folder lacks a file the runtime needs (weights, tokenizer, chat template)."""


class ArchitectureError(CheckpointError):
    """A checkpoint is not the architecture its role needs."""


class ManifestError(BuildError):
    """A manifest that is missing, malformed, or no longer matches the files it describes."""
