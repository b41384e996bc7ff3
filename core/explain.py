"""Teaching explanations for flags and notes, read from ``core/text/explanations.toml``.

The words are data (STYLE rule 12); this module only loads them, validates them once and fills the
placeholders. It knows nothing of when a flag is raised: that is ``core.compare``.
"""

from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from core.errors import DataFileError

PLACEHOLDERS = frozenset({"name", "phrase", "image_side", "draft_side", "tier", "error"})
REQUIRED: dict[str, frozenset[str]] = {
    "MISSING": frozenset({"omitted", "denied", "draft_normal"}),
    "UNSUPPORTED": frozenset({"asserted"}),
    "URGENT": frozenset({"in_draft", "not_in_draft", "not_evaluated"}),
    "LATERALITY": frozenset({"mismatch"}),
    "HEDGE_SUPPORTED": frozenset({"note"}),
    "HEDGE_NOT_SUPPORTED": frozenset({"note", "note_incomplete"}),
    "DRAFT_NOT_EVALUATED": frozenset({"note"}),
    "IMAGE_NOT_EVALUATED": frozenset({"note"}),
    "REFERENCE_INCOMPLETE": frozenset({"note"}),
}


def load_explanations(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Load and validate an explanations file (the packaged one by default)."""
    if path is None:
        source = resources.files("core") / "text" / "explanations.toml"
        where, text = "core/text/explanations.toml", source.read_text(encoding="utf-8")
    else:
        where, text = str(path), Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}: not valid TOML: {error}") from None
    unknown = set(data) - set(REQUIRED)
    if unknown:
        raise DataFileError(
            f"{where}: unknown section(s) {sorted(unknown)}; allowed: {sorted(REQUIRED)}"
        )
    for section, keys in REQUIRED.items():
        table = data.get(section)
        if not isinstance(table, dict) or set(table) != keys:
            got = sorted(table) if isinstance(table, dict) else None
            raise DataFileError(f"{where}: [{section}] must have keys {sorted(keys)}, got {got}")
        for key, template in table.items():
            if not isinstance(template, str) or not template.strip():
                raise DataFileError(f"{where}: [{section}].{key} must be a non-empty string")
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
            if fields - PLACEHOLDERS:
                raise DataFileError(
                    f"{where}: [{section}].{key} uses {sorted(fields - PLACEHOLDERS)}; "
                    f"allowed placeholders: {sorted(PLACEHOLDERS)}"
                )
    return data


@lru_cache(maxsize=1)
def _packaged() -> dict[str, dict[str, str]]:
    return load_explanations()


def explain(section: str, key: str, **fields: str) -> str:
    """Fill one explanation; placeholders not given are rendered as an empty quote-free dash."""
    template = _packaged()[section][key]
    values = {name: "-" for name in PLACEHOLDERS} | fields
    return template.format(**values)
