"""Strict loading of a reference read given as JSON (a READ.json file or a case's answer key).

A reference read is written by people, not by a model, so it is loaded strictly: the grounder's
schema (a JSON list of ``{"label", "box_2d"}`` with boxes in 0..1 or null) and nothing else. Every
error names the JSON path and what was allowed. The tolerant path for model output is
``core.parse_output``.
"""

from __future__ import annotations

import json

from cxr_auditor.core.boxes import validate_box
from cxr_auditor.core.errors import AuditorError, InputError
from cxr_auditor.core.labels import normalize_label
from cxr_auditor.core.schemas import Finding

ALLOWED_KEYS = frozenset({"label", "box_2d"})


def load_reference(text: str, where: str = "reference read") -> list[Finding]:
    """Parse a reference read; raise InputError with the JSON path of the first problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{where}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{where}: not usable JSON (nested too deeply)") from None
    except ValueError as error:  # an integer with more digits than Python converts
        raise InputError(f"{where}: not usable JSON ({str(error).split(':')[0]})") from None
    if not isinstance(data, list):
        raise InputError(
            f'{where}: expected a JSON list of {{"label", "box_2d"}} objects, '
            f"got {type(data).__name__}"
        )
    findings = []
    for index, item in enumerate(data):
        path = f"{where} $[{index}]"
        if not isinstance(item, dict):
            raise InputError(f'{path}: expected an object {{"label", "box_2d"}}, got {item!r}')
        extra = set(item) - ALLOWED_KEYS
        if extra or "label" not in item:
            raise InputError(
                f"{path}: keys must be {sorted(ALLOWED_KEYS)} (box_2d may be null), "
                f"got {sorted(item)}"
            )
        try:
            label = normalize_label(item["label"])
            box = item.get("box_2d")
            box = validate_box(box, f"{path}.box_2d") if box is not None else None
        except AuditorError as error:
            raise InputError(f"{path}: {error}") from None
        findings.append(Finding(id=f"f{index + 1}", label=label, box=box, source="reference"))
    return findings


def dump_reference(findings: list[Finding]) -> str:
    """The inverse of ``load_reference``: a compact READ.json text."""
    return json.dumps(
        [{"label": f.label, "box_2d": list(f.box) if f.box else None} for f in findings]
    )
