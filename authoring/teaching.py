"""Teaching points for a case, from the per-label templates in ``authoring/teaching_points.toml``.

The templates are validated on load (sections are canonical labels or the two situations, each a
``points`` list, placeholders only ``{side}`` and ``{labels}``). ``teaching_points`` picks the
templates that fit a case's reference read; ``cases import`` stores the result in the case. This
module does not decide what is on an image: the reference read does.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from cxr_auditor.core.boxes import sides_of
from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS, NO_FINDING
from cxr_auditor.core.schemas import Finding

TEMPLATES_FILE = "teaching_points.toml"
SITUATIONS = ("reference_incomplete", "outside_scope")
SECTIONS = (*LABELS, *SITUATIONS)
PLACEHOLDERS = frozenset({"side", "labels"})
SIDE_PHRASES = {
    "right": "on the patient's right",
    "left": "on the patient's left",
    "bilateral": "on both sides",
    None: "centrally",
}


def parse_templates(
    data: dict[str, Any], where: str = f"authoring/{TEMPLATES_FILE}"
) -> dict[str, list[str]]:
    """Validate a parsed template table; DataFileError naming the section and what was allowed."""
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise DataFileError(
            f"{where}: unknown section(s) {sorted(unknown)}; allowed: {list(SECTIONS)}"
        )
    templates: dict[str, list[str]] = {}
    for section in SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict) or set(table) != {"points"}:
            raise DataFileError(f"{where}: section [{section}] must exist with one key 'points'")
        points = table["points"]
        if (
            not isinstance(points, list)
            or not points
            or not all(isinstance(p, str) and p.strip() for p in points)
        ):
            raise DataFileError(f"{where} [{section}].points: expected a non-empty list of strings")
        for point in points:
            names = {name for _, name, _, _ in string.Formatter().parse(point) if name is not None}
            if names - PLACEHOLDERS:
                raise DataFileError(
                    f"{where} [{section}]: placeholder(s) {sorted(names - PLACEHOLDERS)} "
                    f"not allowed; allowed: {sorted(PLACEHOLDERS)}"
                )
        templates[section] = points
    return templates


@lru_cache(maxsize=1)
def load_templates() -> dict[str, list[str]]:
    """The packaged templates, validated once."""
    where = f"authoring/{TEMPLATES_FILE}"
    text = (resources.files("cxr_auditor.authoring") / TEMPLATES_FILE).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}: not valid TOML: {error}") from None
    return parse_templates(data, where)


def teaching_points(
    findings: Sequence[Finding], other_labels: Sequence[str], reference_complete: bool
) -> list[str]:
    """Teaching points for a reference read, in label order, then the situations that apply."""
    templates = load_templates()
    points: list[str] = []
    labels_shown = {finding.label for finding in findings}
    for label in LABELS:
        if label not in labels_shown:
            continue
        boxes = [f.box for f in findings if f.label == label and f.box is not None]
        side = SIDE_PHRASES[sides_of(boxes)] if label != NO_FINDING else ""
        points += [template.format(side=side, labels="") for template in templates[label]]
    if not reference_complete:
        points += templates["reference_incomplete"]
    if other_labels:
        listed = ", ".join(sorted(other_labels, key=str.lower))
        points += [
            template.format(side="", labels=listed) for template in templates["outside_scope"]
        ]
    return points
