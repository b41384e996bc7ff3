"""Teaching explanations for flags and notes, read from ``core/text/explanations.toml``.

The words are data; this module only loads them, validates them once and fills the
placeholders. It knows nothing of when a flag is raised: that is ``core.compare``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cxr_auditor.core.templates import load_templates

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
    return load_templates("text/explanations.toml", REQUIRED, PLACEHOLDERS, path)


@lru_cache(maxsize=1)
def _packaged() -> dict[str, dict[str, str]]:
    return load_explanations()


def explain(section: str, key: str, **fields: str) -> str:
    """Fill one explanation; placeholders not given are rendered as an empty quote-free dash."""
    template = _packaged()[section][key]
    values = {name: "-" for name in PLACEHOLDERS} | fields
    return template.format(**values)
