"""Provenance of the datasets cases come from: name, link, license, attribution, reference scope.

Read from ``core/cases/sources.toml`` and validated on load (every key present, of the right type,
no unknown keys or sources). ``cases import`` copies a source's entry into each case it builds, so a
case carries its own license and attribution. Nothing here reads images or annotations.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

from cxr_auditor.core.errors import DataFileError

SOURCES_FILE = "sources.toml"
SOURCE_KEYS = ("nih", "chestx_det", "vindr")
FIELDS: dict[str, type] = {
    "name": str,
    "url": str,
    "license": str,
    "attribution": str,
    "reference_scope": str,
    "redistributable": bool,
}


class SourceInfo(BaseModel):
    """Where a case's image and reference read come from, and on what terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    url: str
    license: str
    attribution: str
    reference_scope: str
    redistributable: bool


def parse_sources(
    data: dict[str, Any], where: str = f"core/cases/{SOURCES_FILE}"
) -> dict[str, SourceInfo]:
    """Validate a parsed sources table; DataFileError naming the section, key and allowed values."""
    unknown = set(data) - set(SOURCE_KEYS)
    if unknown:
        raise DataFileError(
            f"{where}: unknown source(s) {sorted(unknown)}; allowed: {list(SOURCE_KEYS)}"
        )
    sources = {}
    for key in SOURCE_KEYS:
        table = data.get(key)
        if not isinstance(table, dict):
            raise DataFileError(
                f"{where}: section [{key}] is missing; required: {list(SOURCE_KEYS)}"
            )
        if set(table) != set(FIELDS):
            raise DataFileError(
                f"{where} [{key}]: keys must be exactly {list(FIELDS)}, got {sorted(table)}"
            )
        for name, kind in FIELDS.items():
            value = table[name]
            if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
                raise DataFileError(
                    f"{where} [{key}].{name}: expected a non-empty {kind.__name__}, got {value!r}"
                )
        sources[key] = SourceInfo(key=key, **table)
    return sources


@lru_cache(maxsize=1)
def load_sources() -> dict[str, SourceInfo]:
    """The packaged sources table, validated once."""
    where = f"core/cases/{SOURCES_FILE}"
    text = (resources.files("cxr_auditor.core") / "cases" / SOURCES_FILE).read_text(
        encoding="utf-8"
    )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}: not valid TOML: {error}") from None
    return parse_sources(data, where)
