"""Turn the raw text of the grounder (MedGemma) and the LLM draft parser (Nemotron) into schemas.

``core.repair_json`` finds the JSON list (strict first, then repaired); this module maps each
element onto a ``Finding`` or a ``Mention`` and keeps a ``ParseAccount`` of everything it repaired
or dropped. It does not call a model, compare anything or decide what a finding means clinically.

Decisions (each is tested in tests/test_parse_output.py):

- **Status.** ``ok`` only when the whole text was strict JSON and every kept element matched the
  schema as written (no repair of any kind); ``repaired`` when ``repairs`` is non-empty; dropped
  elements are listed in ``dropped`` and do not change the status. ``unparseable`` (with
  ``error``) when no list was recovered, or when the list had elements and every one was dropped:
  nothing usable came back, which must not look like an empty success. An explicit ``[]`` is
  ``ok`` with nothing in it; the grounder's ``[]`` is *not* turned into a ``no_finding`` finding
  (parsing never invents a finding; a read with no positive finding is negative for the comparator
  either way).
- **Box scale.** Boxes are ``[y0, x0, y1, x1]`` in 0..1. The whole output is taken to be on the
  base model's 0..1000 scale when some coordinate of a well-formed box is above 2 and every
  coordinate lies in 0..1000; then every box is divided by 1000 (one ``scale_0_1000`` repair).
  Values between 1 and 2 are a 0..1 box overshooting, not a scale: such a box is dropped. A 0..1000
  output whose coordinates are all at most 2 (a box under 0.2% of the image, in a corner) cannot
  be told apart.
- **Bad boxes.** A positive finding whose box is malformed (wrong length, not numbers, NaN,
  infinite, inverted, out of range) is dropped and recorded: a wrong location is worse than none.
  ``box_2d`` null or absent keeps the finding with ``box=None`` (presence without a location).
  ``no_finding`` never has a box (a given one is dropped and recorded); it is dropped when the
  same output also has positive findings. Exact repeats (same label and box) are dropped as
  duplicates.
- **Draft spans.** The model quotes the draft; the quote is located exactly first, then ignoring
  case, then ignoring whitespace differences, then without surrounding punctuation (each but the
  first a ``span_located`` repair). A repeated quote of the same label takes the next occurrence.
  A quote that cannot be found keeps the mention with ``span=None`` and ``text=""``, and the quote
  is recorded in ``dropped``.
- **Draft status.** Synonyms (``STATUS_SYNONYMS``) are mapped and recorded; any other status drops
  the mention. A status is never assumed to be ``present``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container
from dataclasses import dataclass, field
from typing import get_args

from cxr_auditor.core.boxes import Box, from_1000, validate_box
from cxr_auditor.core.errors import BoxError, InputError, LabelError
from cxr_auditor.core.labels import LABELS, NO_FINDING, OTHER, normalize_label
from cxr_auditor.core.repair_json import Extraction, extract_json_list
from cxr_auditor.core.schemas import (
    DroppedItem,
    Finding,
    FindingSource,
    Laterality,
    Mention,
    MentionLabel,
    MentionStatus,
    ParseAccount,
    ParseStatus,
)

SCALE_1000_ABOVE = 2.0
SCALE_1000_MAX = 1000.0

GROUNDER_KEYS = ("label", "box_2d")
DRAFT_KEYS = ("label", "status", "span", "laterality", "severity", "cue")

STATUSES: tuple[MentionStatus, ...] = get_args(MentionStatus)
STATUS_SYNONYMS: dict[str, MentionStatus] = {
    "negative": "absent",
    "denied": "absent",
    "not present": "absent",
    "excluded": "absent",
    "ruled out": "absent",
    "no": "absent",
    "possible": "uncertain",
    "likely": "uncertain",
    "suspected": "uncertain",
    "hedged": "uncertain",
    "probable": "uncertain",
    "questionable": "uncertain",
    "indeterminate": "uncertain",
    "equivocal": "uncertain",
    "cannot exclude": "uncertain",
    "maybe": "uncertain",
    "positive": "present",
    "yes": "present",
    "asserted": "present",
    "confirmed": "present",
}
SIDES: tuple[Laterality, ...] = get_args(Laterality)
_SOURCES: dict[str, FindingSource] = {source: source for source in get_args(FindingSource)}
LATERALITY_SYNONYMS: dict[str, Laterality | None] = {
    "both": "bilateral",
    "bilaterally": "bilateral",
    "both sides": "bilateral",
    "left-sided": "left",
    "left sided": "left",
    "l": "left",
    "right-sided": "right",
    "right sided": "right",
    "r": "right",
    "": None,
    "none": None,
    "n/a": None,
    "unknown": None,
    "unspecified": None,
}
_TRIM = " \t\r\n\"'`.,;:!?()[]"


def describe(value: object, limit: int = 120) -> str:
    """A short one-line rendering of a JSON value, for a DroppedItem."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_type(value: object) -> str:
    names = {
        dict: "object",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return names.get(type(value), "null")


@dataclass
class _Log:
    """Repairs and drops of one parse, turned into a ParseAccount at the end."""

    raw: str
    extraction: Extraction
    repairs: list[str] = field(init=False)
    dropped: list[DroppedItem] = field(init=False)

    def __post_init__(self) -> None:
        self.repairs = list(self.extraction.repairs)
        self.dropped = list(self.extraction.dropped)

    def drop(self, path: str, item: object, reason: str) -> None:
        self.dropped.append(DroppedItem(path=path, item=describe(item), reason=reason))

    def account(self, kept: int) -> ParseAccount:
        items = self.extraction.items
        error = self.extraction.error
        if items is None:
            error = error or "unparseable"
        elif items and not kept:
            error = (
                f"all {len(items)} element(s) were dropped (see dropped); nothing usable "
                "was recovered"
            )
        if error is not None:
            return ParseAccount(
                status="unparseable",
                repairs=self.repairs,
                dropped=self.dropped,
                error=error,
                raw_chars=len(self.raw),
            )
        status: ParseStatus = "ok" if self.extraction.strict and not self.repairs else "repaired"
        return ParseAccount(
            status=status, repairs=self.repairs, dropped=self.dropped, raw_chars=len(self.raw)
        )


def _element(
    index: int, item: object, allowed: tuple[str, ...], log: _Log
) -> dict[str, object] | None:
    """The element as an object with a label, its unknown keys recorded; None when dropped."""
    path = f"$[{index}]"
    if not isinstance(item, dict):
        log.drop(
            path,
            item,
            f"element is a {_json_type(item)}, expected an object with "
            f"{', '.join(repr(k) for k in allowed[:2])}",
        )
        return None
    if "label" not in item:
        log.drop(path, item, "element has no 'label'")
        return None
    for key in item:
        if key not in allowed:
            log.drop(
                f"{path}.{key}",
                item[key],
                f"key {key!r} is not used; allowed keys: {', '.join(allowed)}",
            )
    return item


# ------------------------------------------------------------------------------ grounder


def _coords(value: object) -> tuple[float, float, float, float] | str:
    """Four finite floats, or the reason they are not."""
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        return f"expected [y0, x0, y1, x1] (4 numbers), got {describe(value)}"
    out = []
    for number in value:
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return f"{describe(number)} is not a number"
        try:
            as_float = float(number)
        except OverflowError:
            as_float = math.inf
        if not math.isfinite(as_float):
            return f"{describe(number, 40)} is not a finite number"
        out.append(as_float)
    return (out[0], out[1], out[2], out[3])


def _on_1000_scale(items: list[object]) -> bool:
    """Whether the output's boxes are on the 0..1000 scale (rule in the module docstring)."""
    values = [
        v
        for item in items
        if isinstance(item, dict)
        for coords in [_coords(item.get("box_2d"))]
        if isinstance(coords, tuple)
        for v in coords
    ]
    return (
        bool(values)
        and max(values) > SCALE_1000_ABOVE
        and all(0.0 <= v <= SCALE_1000_MAX for v in values)
    )


def _finding(
    index: int, item: object, scale_1000: bool, source: FindingSource, log: _Log
) -> Finding | None:
    path = f"$[{index}]"
    element = _element(index, item, GROUNDER_KEYS, log)
    if element is None:
        return None
    try:
        label = normalize_label(element["label"])
    except LabelError as error:
        log.drop(path, element, str(error))
        return None
    if element["label"] != label:
        log.repairs.append(f"label_normalized: {path} {element['label']!r} read as {label}")
    raw_box = element.get("box_2d")
    if label == NO_FINDING:
        if raw_box is not None:
            log.drop(f"{path}.box_2d", raw_box, "no_finding has no location; box ignored")
        return Finding(label=label, source=source)
    if raw_box is None:
        return Finding(label=label, source=source)
    coords = _coords(raw_box)
    try:
        if isinstance(coords, str):
            raise BoxError(f"{path}.box_2d: {coords}")
        box: Box = from_1000(coords) if scale_1000 else validate_box(coords, f"{path}.box_2d")
    except BoxError as error:
        log.drop(path, element, f"invalid box ({error}); a finding is not kept with a wrong box")
        return None
    return Finding(label=label, box=box, source=source)


def parse_grounder_output(raw: str, source: str = "model") -> tuple[list[Finding], ParseAccount]:
    """Findings from the grounder's raw text, with the account of how they were read."""
    finding_source = _SOURCES.get(source)
    if finding_source is None:
        allowed = ", ".join(_SOURCES)
        raise InputError(f"finding source {source!r} is not one of {allowed}")
    log = _Log(raw, extract_json_list(raw))
    items = log.extraction.items or []
    scale_1000 = _on_1000_scale(items)
    if scale_1000:
        log.repairs.append("scale_0_1000: boxes were on the 0..1000 scale; divided by 1000")
    kept: list[tuple[int, Finding]] = []
    seen: dict[tuple[str, Box | None], int] = {}
    for index, item in enumerate(items):
        finding = _finding(index, item, scale_1000, finding_source, log)
        if finding is None:
            continue
        key = (finding.label, finding.box)
        if key in seen:
            log.drop(f"$[{index}]", item, f"duplicate of $[{seen[key]}]")
            continue
        seen[key] = index
        kept.append((index, finding))
    if any(f.label != NO_FINDING for _, f in kept):
        for index in [i for i, f in kept if f.label == NO_FINDING]:
            log.drop(
                f"$[{index}]",
                items[index],
                "no_finding together with positive findings; the positive findings are kept",
            )
        kept = [(i, f) for i, f in kept if f.label != NO_FINDING]
    account = log.account(len(kept))
    if account.status == "unparseable":
        return [], account
    return [f.model_copy(update={"id": f"f{n}"}) for n, (_, f) in enumerate(kept, 1)], account


# ------------------------------------------------------------------------------ draft parser


def _mention_label(path: str, element: dict[str, object], log: _Log) -> MentionLabel | None:
    value = element["label"]
    label: MentionLabel
    if isinstance(value, str) and value.strip().lower() == OTHER:
        label = OTHER
    else:
        try:
            label = normalize_label(value)
        except LabelError:
            log.drop(
                path,
                element,
                f"label {describe(value, 60)} is not canonical; allowed: "
                f"{', '.join(LABELS)}, {OTHER}",
            )
            return None
    if value != label:
        log.repairs.append(f"label_normalized: {path} {value!r} read as {label}")
    return label


def _mention_status(path: str, element: dict[str, object], log: _Log) -> MentionStatus | None:
    value = element.get("status")
    key = value.strip().lower() if isinstance(value, str) else None
    status = key if key in STATUSES else STATUS_SYNONYMS.get(key or "")
    if status is None:
        log.drop(
            path,
            element,
            f"status {describe(value, 60)} is not one of "
            f"{', '.join(STATUSES)} or a known synonym; a mention is never "
            "assumed present",
        )
        return None
    if value != status:
        log.repairs.append(f"status_synonym: {path} {value!r} read as {status}")
    return status


def _patterns(phrase: str) -> list[tuple[str, str, int]]:
    spaced = r"\s+".join(re.escape(word) for word in phrase.split())
    trimmed = r"\s+".join(re.escape(word) for word in phrase.strip(_TRIM).split())
    return [
        ("exactly", re.escape(phrase), 0),
        ("ignoring case", re.escape(phrase), re.I),
        ("ignoring whitespace", spaced, re.I),
        ("without punctuation", trimmed, re.I),
    ]


def locate(
    draft: str, phrase: str, taken: Container[tuple[int, int]] = frozenset()
) -> tuple[tuple[int, int], str] | None:
    """Offsets of ``phrase`` in ``draft`` and how it was found; spans not in ``taken`` first."""
    for how, pattern, flags in _patterns(phrase):
        if not pattern:
            continue
        spans = [m.span() for m in re.finditer(pattern, draft, flags) if m.end() > m.start()]
        if spans:
            return next((s for s in spans if s not in taken), spans[0]), how
    return None


def _optional_text(path: str, element: dict[str, object], key: str, log: _Log) -> str | None:
    value = element.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        log.drop(f"{path}.{key}", value, f"{key} must be a string; ignored")
        return None
    return value.strip() or None


def _laterality(path: str, element: dict[str, object], log: _Log) -> Laterality | None:
    value = element.get("laterality")
    if value is None or value in SIDES:
        return value
    key = value.strip().lower() if isinstance(value, str) else None
    if key is not None and (key in SIDES or key in LATERALITY_SYNONYMS):
        side = key if key in SIDES else LATERALITY_SYNONYMS[key]
        log.repairs.append(f"laterality_synonym: {path} {value!r} read as {side}")
        return side
    log.drop(
        f"{path}.laterality",
        value,
        f"laterality must be one of {', '.join(SIDES)} or null; ignored",
    )
    return None


def _mention(
    index: int, item: object, draft: str, taken: dict[str, set[tuple[int, int]]], log: _Log
) -> tuple[Mention, str] | None:
    """The mention and the model's quote (for de-duplication), or None when dropped."""
    path = f"$[{index}]"
    element = _element(index, item, DRAFT_KEYS, log)
    if element is None:
        return None
    label = _mention_label(path, element, log)
    if label is None:
        return None
    status = _mention_status(path, element, log)
    if status is None:
        return None
    quote = element.get("span")
    found = locate(draft, quote, taken.setdefault(label, set())) if isinstance(quote, str) else None
    if found is None:
        why = (
            "the quote was not found in the draft"
            if isinstance(quote, str)
            else "no quote (span) of the draft was given"
        )
        log.drop(f"{path}.span", quote, f"{why}; mention kept without a span")
    elif found[1] != "exactly":
        log.repairs.append(
            f"span_located: {path} quote found {found[1]} at {found[0][0]}..{found[0][1]}"
        )
    span = found[0] if found else None
    if span is not None:
        taken[label].add(span)
    mention = Mention(
        label=label,
        status=status,
        span=span,
        text=draft[span[0] : span[1]] if span else "",
        cue=_optional_text(path, element, "cue", log),
        laterality=_laterality(path, element, log),
        severity=_optional_text(path, element, "severity", log),
    )
    return mention, quote if isinstance(quote, str) else ""


def parse_draft_output(raw: str, draft: str) -> tuple[list[Mention], ParseAccount]:
    """Mentions from the draft parser's raw text, traced back to ``draft``, with their account."""
    if not isinstance(draft, str):
        raise InputError(f"the draft must be text, got {type(draft).__name__}")
    log = _Log(raw, extract_json_list(raw))
    items = log.extraction.items or []
    kept: list[Mention] = []
    seen: dict[tuple[object, ...], int] = {}
    taken: dict[str, set[tuple[int, int]]] = {}
    for index, item in enumerate(items):
        result = _mention(index, item, draft, taken, log)
        if result is None:
            continue
        mention, quote = result
        key = (mention.label, mention.status, mention.span or quote, mention.laterality)
        if key in seen:
            log.drop(f"$[{index}]", item, f"duplicate of $[{seen[key]}]")
            continue
        seen[key] = index
        kept.append(mention)
    account = log.account(len(kept))
    if account.status == "unparseable":
        return [], account
    return [m.model_copy(update={"id": f"m{n}"}) for n, m in enumerate(kept, 1)], account
