"""Word files made of ``[SECTION] key = "template"`` TOML tables, validated once on load.

Used by the teaching explanations (``core/text/explanations.toml``) and the box feedback
(``core/text/box_feedback.toml``): each names its required sections and keys and its allowed
``{placeholders}``; a file that differs is refused with the file, the section and what was allowed.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from cxr_auditor.core.errors import DataFileError


def load_templates(
    packaged: str,
    required: Mapping[str, frozenset[str]],
    placeholders: frozenset[str],
    path: Path | None = None,
) -> dict[str, dict[str, str]]:
    """Load ``path`` (or the packaged ``core/<packaged>``); check every section, key and
    placeholder."""
    if path is None:
        where = f"core/{packaged}"
        text = (resources.files("cxr_auditor.core") / packaged).read_text(encoding="utf-8")
    else:
        where, text = str(path), Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}: not valid TOML: {error}") from None
    unknown = set(data) - set(required)
    if unknown:
        raise DataFileError(
            f"{where}: unknown section(s) {sorted(unknown)}; allowed: {sorted(required)}"
        )
    for section, keys in required.items():
        table = data.get(section)
        if not isinstance(table, dict) or set(table) != keys:
            got = sorted(table) if isinstance(table, dict) else None
            raise DataFileError(f"{where}: [{section}] must have keys {sorted(keys)}, got {got}")
        for key, template in table.items():
            if not isinstance(template, str) or not template.strip():
                raise DataFileError(f"{where}: [{section}].{key} must be a non-empty string")
            try:
                fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            except ValueError as error:
                raise DataFileError(f"{where}: [{section}].{key}: bad braces ({error})") from None
            if fields - placeholders:
                raise DataFileError(
                    f"{where}: [{section}].{key} uses {sorted(fields - placeholders)}; "
                    f"allowed placeholders: {sorted(placeholders)}"
                )
    return data
