"""SFT records: one image, the grounding prompt, the answer in the grounder's exact output schema.

The answer is what the served grounder must emit and ``core.parse_output.parse_grounder_output``
reads strictly: a JSON list of ``{"label", "box_2d"}`` with normalized ``[y0, x0, y1, x1]`` boxes
(3 decimals, about one pixel at 1024 px), findings in canonical label order; a study with none of
the five findings is ``[{"label": "no_finding", "box_2d": null}]``. The prompt is the served one
(``serving.prompts.grounder_messages``), so training and serving see the same words.

A record (one JSONL line) is TRL's conversational prompt-completion format plus bookkeeping::

    {"id", "image", "group", "source", "findings": [{"label", "box_2d"}],
     "prompt": [user turn: image + text], "completion": [assistant turn: the answer]}

``findings`` is the structured answer (curation edits it and re-renders ``completion``); ``group``
keeps images of one patient in one split. Reads are left out, counted and listed, when they would
teach the wrong thing: no image file, an incomplete reference (NIH boxes name only some findings,
so a missing box is not a negative), or only abnormalities outside the six labels (the original
trained those as normal); and when they are held out for evaluation: the image (or, for NIH ids,
the patient) of an evaluation case, by default the app's case library. This module does not
curate, split or train.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxr_auditor.core.case_format import ReferenceCase
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING
from cxr_auditor.core.parse_output import parse_grounder_output
from cxr_auditor.core.schemas import Finding

RECORD_KEYS = ("id", "image", "group", "source", "findings", "prompt", "completion")
BOX_DECIMALS = 3
NIH_IMAGE = re.compile(r"(?:^|[-_/])(\d{8})_\d{3}(?:\.png)?$")


def _item(finding: Finding) -> dict[str, Any]:
    box = None if finding.box is None else [round(v, BOX_DECIMALS) for v in finding.box]
    return {"label": finding.label, "box_2d": box}


def answer_items(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """The answer as data: positive findings in canonical order, or the single no_finding item."""
    positive = [f for f in findings if f.label != NO_FINDING]
    if not positive:
        return [{"label": NO_FINDING, "box_2d": None}]
    ordered = sorted(positive, key=lambda f: (LABELS.index(f.label), f.box or (0, 0, 0, 0)))
    return [_item(f) for f in ordered]


def answer_text(findings: Sequence[Finding]) -> str:
    """The answer exactly as the grounder must write it."""
    return json.dumps(answer_items(findings))


def findings_of(items: Iterable[dict[str, Any]]) -> list[Finding]:
    return [
        Finding(
            id=f"r{i}",
            label=item["label"],
            box=tuple(item["box_2d"]) if item["box_2d"] is not None else None,
        )
        for i, item in enumerate(items, 1)
    ]


def grounder_prompt() -> list[dict[str, Any]]:
    """The served grounding prompt as one user turn (image, then text)."""
    from cxr_auditor.serving.prompts import grounder_messages, load_prompts

    return grounder_messages(load_prompts())


def patient_group(case_id: str) -> str:
    """NIH ids ``<patient>_<study>`` group by patient; any other id is its own group."""
    match = NIH_IMAGE.search(case_id)
    return f"nih-patient-{match.group(1)}" if match else case_id


def make_record(
    case_id: str,
    image: str,
    findings: Sequence[Finding],
    source: str,
    prompt: list[dict[str, Any]],
    group: str | None = None,
) -> dict[str, Any]:
    items = answer_items(findings)
    return {
        "id": case_id,
        "image": image,
        "group": group or patient_group(case_id),
        "source": source,
        "findings": items,
        "prompt": prompt,
        "completion": [
            {"role": "assistant", "content": [{"type": "text", "text": json.dumps(items)}]}
        ],
    }


def rerender(record: dict[str, Any], findings: Sequence[Finding]) -> dict[str, Any]:
    """The record with new findings and the completion written from them."""
    items = answer_items(findings)
    return {
        **record,
        "findings": items,
        "completion": [
            {"role": "assistant", "content": [{"type": "text", "text": json.dumps(items)}]}
        ],
    }


def holdout_keys(cases: Iterable[ReferenceCase]) -> set[str]:
    """Ids that must not be trained on: each case's id, source file and NIH patient group."""
    keys: set[str] = set()
    for case in cases:
        for name in (case.case_id, case.original_file):
            if name:
                keys |= {name, patient_group(name)}
    return keys


@dataclass
class RecordsReport:
    """What became a record and what was left out, by reason, with the ids."""

    n_reads: int = 0
    n_records: int = 0
    excluded: dict[str, list[str]] = field(default_factory=dict)
    labels: Counter[str] = field(default_factory=Counter)

    def exclude(self, reason: str, case_id: str) -> None:
        self.excluded.setdefault(reason, []).append(case_id)


def build_records(
    cases: Iterable[ReferenceCase],
    source: str,
    *,
    allow_incomplete: bool = False,
    holdout: Collection[str] = frozenset(),
    prompt: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], RecordsReport]:
    prompt = prompt if prompt is not None else grounder_prompt()
    report = RecordsReport()
    records = []
    for case in cases:
        report.n_reads += 1
        positives = [f for f in case.findings if f.label != NO_FINDING]
        if case.case_id in holdout or patient_group(case.case_id) in holdout:
            report.exclude("held_out_for_evaluation", case.case_id)
        elif case.image_path is None:
            report.exclude("no_image_file", case.case_id)
        elif not case.complete and not allow_incomplete:
            report.exclude("incomplete_reference", case.case_id)
        elif not positives and case.other_labels:
            report.exclude("only_abnormalities_outside_the_six_labels", case.case_id)
        else:
            record = make_record(case.case_id, str(case.image_path), case.findings, source, prompt)
            records.append(record)
            report.labels.update({item["label"] for item in record["findings"]})
    report.n_records = len(records)
    return records, report


# --------------------------------------------------------------------------- JSONL


def check_record(record: object, where: str) -> dict[str, Any]:
    """Validate one record: keys, turns, and a completion the grounder parser reads strictly."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected an object, got {type(record).__name__}")
    missing = [key for key in RECORD_KEYS if key not in record]
    if missing:
        raise InputError(f"{where}: missing keys {missing}; a record has {list(RECORD_KEYS)}")
    prompt, completion = record["prompt"], record["completion"]
    if not (
        isinstance(prompt, list)
        and prompt
        and prompt[-1].get("role") == "user"
        and any(part.get("type") == "image" for part in prompt[-1].get("content", []))
    ):
        raise InputError(f"{where}: prompt must end with a user turn holding an image")
    if not (
        isinstance(completion, list)
        and len(completion) == 1
        and completion[0].get("role") == "assistant"
    ):
        raise InputError(f"{where}: completion must be one assistant turn")
    text = "".join(part.get("text", "") for part in completion[0].get("content", []))
    _, account = parse_grounder_output(text, source="reference")
    if account.status != "ok":
        raise InputError(
            f"{where}: completion is not a strict grounder answer "
            f"({account.status}: {account.error or account.repairs})"
        )
    if text != answer_text(findings_of(record["findings"])):
        raise InputError(f"{where}: completion does not match the record's findings")
    return record


def read_records(path: Path) -> list[dict[str, Any]]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    records, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = check_record(json.loads(line), where)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not JSON ({error.msg})") from None
        if record["id"] in seen:
            raise InputError(f"{where}: duplicate id {record['id']!r}")
        seen.add(record["id"])
        records.append(record)
    return records


def write_records(records: Sequence[dict[str, Any]], path: Path) -> Path:
    """Validate every record first, then write atomically (no partial file on failure)."""
    path = Path(path)
    for n, record in enumerate(records):
        check_record(record, f"record {n} ({record.get('id')!r})")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path
