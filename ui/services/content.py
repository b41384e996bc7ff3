"""The app's words, read from ``ui/content/`` (markdown and TOML files shipped as package data).

This module only finds and reads the files, with an error that lists what exists when a name is
wrong; each TOML file's own loader validates its keys. It renders nothing.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from cxr_auditor.core.errors import DataFileError

PACKAGE_DIR = "content"


def _folder() -> Any:
    return resources.files("cxr_auditor.ui") / PACKAGE_DIR


def available() -> list[str]:
    """Names of the content files (``audit_instructions.md``, ``sources.toml``, ...)."""
    return sorted(
        entry.name for entry in _folder().iterdir() if entry.name.endswith((".md", ".toml"))
    )


@cache
def read_content(name: str) -> str:
    """Text of ``ui/content/<name>``; DataFileError naming the allowed names when it is absent."""
    source = _folder() / name
    if not source.is_file():
        raise DataFileError(
            f"ui/content/{name}: no such content file; available: {', '.join(available())}"
        )
    return source.read_text(encoding="utf-8").strip()


def read_toml(name: str) -> dict[str, Any]:
    """Parsed ``ui/content/<name>`` TOML; DataFileError with the file name on a syntax error."""
    try:
        return tomllib.loads(read_content(name))
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"ui/content/{name}: not valid TOML: {error}") from None
