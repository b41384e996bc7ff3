"""Teaching points for a case, from the templates in ``authoring/teaching_points.toml``.

The templates are validated on load (sections are canonical labels or the situations; a label
section holds its in-sentence ``name`` and its ``points``; placeholders only those in
``PLACEHOLDERS``). ``teaching_points`` fills them from the case's own reference read: the side of
the boxes for the patient (``core.boxes``: the image's left is the patient's right), which thirds of
the film a box covers, its size against the whole film (the data has no lung outlines, so nothing
is said against a lung), the other findings marked on the same film, and what an incomplete
reference means for over-calls. ``cases import`` stores the result in the case. This module does
not decide what is on an image: the reference read does.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from cxr_auditor.core.boxes import Box, sides_of
from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS, NO_FINDING
from cxr_auditor.core.schemas import Finding

TEMPLATES_FILE = "teaching_points.toml"
SITUATIONS = ("co_findings", "reference_incomplete", "outside_scope", "outside_only")
SECTIONS = (*LABELS, *SITUATIONS)
PLACEHOLDERS = frozenset({"side", "place", "extent", "width", "others", "boxed", "labels"})
SIDE_PHRASES = {
    "right": "on the patient's right",
    "left": "on the patient's left",
    "bilateral": "on both sides",
    None: "across the midline",
}
THIRDS = ("upper", "middle", "lower")
# Fractions of the film said in words: the nearest of these (a box is never measured finer).
FRACTION_WORDS = (
    (0.1, "a tenth"),
    (0.2, "a fifth"),
    (0.25, "a quarter"),
    (1 / 3, "a third"),
    (0.5, "half"),
    (2 / 3, "two thirds"),
    (0.75, "three quarters"),
    (0.9, "nearly all"),
)
SMALLEST = 0.07  # below this share of the film: "less than a tenth"


def _check_points(points: object, where: str, section: str) -> list[str]:
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
    return list(points)


def parse_templates(
    data: dict[str, Any], where: str = f"authoring/{TEMPLATES_FILE}"
) -> dict[str, list[str]]:
    """Validate a parsed template table; DataFileError naming the section and what was allowed.

    Returns each section's points; a label's in-sentence name is under ``"<label>.name"``.
    """
    unknown = set(data) - set(SECTIONS)
    if unknown:
        raise DataFileError(
            f"{where}: unknown section(s) {sorted(unknown)}; allowed: {list(SECTIONS)}"
        )
    templates: dict[str, list[str]] = {}
    for section in SECTIONS:
        table = data.get(section)
        keys = {"points", "name"} if section in LABELS else {"points"}
        if not isinstance(table, dict) or set(table) != keys:
            raise DataFileError(
                f"{where}: section [{section}] must exist with exactly the keys {sorted(keys)}"
            )
        templates[section] = _check_points(table["points"], where, section)
        if section in LABELS:
            name = table["name"]
            if not isinstance(name, str) or not name.strip():
                raise DataFileError(f"{where} [{section}].name: expected a non-empty string")
            templates[f"{section}.name"] = [name]
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


def share_words(share: float) -> str:
    """A share of the film in words: ``0.36`` -> ``"about a third"``."""
    if share < SMALLEST:
        return "less than a tenth"
    _, words = min(FRACTION_WORDS, key=lambda item: abs(item[0] - share))
    return f"about {words}"


def place_words(box: Box) -> str:
    """Which thirds of the film's height a box covers: ``"in the lower third of the film"``."""
    y0, _, y1, _ = box
    top = THIRDS[min(2, int(y0 * 3))]
    bottom = THIRDS[min(2, int(max(y0, y1 - 1e-9) * 3))]
    if top == bottom:
        return f"in the {top} third of the film"
    return f"from the {top} to the {bottom} third of the film"


def extent_words(box: Box) -> str:
    """A box's size against the film: ``"about a third of the film's height and ..."``."""
    y0, x0, y1, x1 = box
    return f"{share_words(y1 - y0)} of the film's height and {share_words(x1 - x0)} of its width"


def _largest(boxes: Sequence[Box]) -> Box:
    return max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def _marked(findings: Sequence[Finding], other_labels: Sequence[str]) -> list[tuple[str, str]]:
    """Every marked finding as (name, where): the five with their side, then those outside."""
    templates = load_templates()
    out = []
    for label in LABELS:
        if label == NO_FINDING or not any(f.label == label for f in findings):
            continue
        side = sides_of([f.box for f in findings if f.label == label and f.box is not None])
        where = f" {SIDE_PHRASES[side]}" if side and label != "cardiomegaly" else ""
        out.append((templates[f"{label}.name"][0], where))
    out += [(label.lower(), " (outside the five)") for label in _sorted(other_labels)]
    return out


def _sorted(labels: Sequence[str]) -> list[str]:
    return sorted(labels, key=str.lower)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _label_points(label: str, boxes: Sequence[Box]) -> list[str]:
    values = dict.fromkeys(PLACEHOLDERS, "")
    if boxes and label != NO_FINDING:
        largest = _largest(boxes)
        extent = extent_words(largest)
        if len(boxes) > 1:
            extent = f"{extent} (the largest of {len(boxes)} boxes)"
        values |= {
            "side": SIDE_PHRASES[sides_of(boxes)],
            "place": place_words(largest),
            "extent": extent,
            "width": share_words(largest[3] - largest[1]),
        }
    return [template.format(**values) for template in load_templates()[label]]


def _situation(section: str, **values: str) -> list[str]:
    blank = dict.fromkeys(PLACEHOLDERS, "")
    return [template.format(**(blank | values)) for template in load_templates()[section]]


def teaching_points(
    findings: Sequence[Finding], other_labels: Sequence[str], reference_complete: bool
) -> list[str]:
    """Teaching points for a reference read: per label in label order, then the situations."""
    points: list[str] = []
    for label in LABELS:
        if any(f.label == label for f in findings):
            boxes = [f.box for f in findings if f.label == label and f.box is not None]
            points += _label_points(label, boxes)
    marked = _marked(findings, other_labels)
    if len(marked) > 1:
        points += _situation("co_findings", others=_join([name + where for name, where in marked]))
    if not reference_complete:
        points += _situation("reference_incomplete", boxed=_join([n for n, _ in marked]) or "none")
    if other_labels:
        only = not any(f.label != NO_FINDING for f in findings)
        listed = ", ".join(_sorted(other_labels))
        points += _situation("outside_only" if only else "outside_scope", labels=listed)
    return points
