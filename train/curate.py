"""Curation of one record's answer: merge duplicate boxes, resolve cross-label overlaps.

1. Same-label duplicates: boxes of one label whose IoU reaches ``merge_iou`` (default 0.5) are
   connected (union-find, so chains join) and each connected group becomes its mean box. Boxes that
   do not overlap that much stay separate: two effusions, one per side, remain two boxes (the
   original turned separate lesions into one box).
2. Cross-label overlaps: when boxes of two different labels reach ``cross_iou`` (default 0.6) they
   describe one region twice, which teaches the model contradictory answers; the less specific box
   is dropped, in the order of ``SPECIFICITY`` (a nodule inside an opacity box stays a nodule).
   Pairs are resolved highest IoU first; a box already dropped settles nothing.

Every merge and every drop is logged with the record id, labels and IoU. A label whose boxes are
all dropped disappears from the answer; a record left with no positive finding would become normal,
so its last box is never dropped (it is logged as kept). This module does not balance or split.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cxr_auditor.core.boxes import Box, iou, validate_box
from cxr_auditor.core.labels import NO_FINDING
from cxr_auditor.core.schemas import Finding
from cxr_auditor.train.records import findings_of, rerender

# Most specific first. Pneumothorax and nodule/mass are the tiered findings; an effusion box is a
# specific location (the costophrenic angle); cardiomegaly is the heart; opacity is the catch-all.
SPECIFICITY: tuple[str, ...] = (
    "pneumothorax",
    "nodule_mass",
    "pleural_effusion",
    "cardiomegaly",
    "lung_opacity_consolidation",
)
MERGE_IOU = 0.5
CROSS_IOU = 0.6

Event = tuple[str, str]  # (kind, counted; text, logged with the record id)


def _overlap_groups(boxes: Sequence[Box], threshold: float) -> list[list[int]]:
    """Connected groups of box indices, two boxes connected when their IoU >= threshold."""
    parent = list(range(len(boxes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if iou(boxes[i], boxes[j]) >= threshold:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values())


def merge_same_label(
    findings: Sequence[Finding], threshold: float = MERGE_IOU
) -> tuple[list[Finding], list[Event]]:
    """Findings with each group of overlapping same-label boxes replaced by its mean box."""
    out: list[Finding] = [f for f in findings if f.box is None]
    events: list[Event] = []
    labels = list(dict.fromkeys(f.label for f in findings if f.box is not None))
    for label in labels:
        boxes = [f.box for f in findings if f.label == label and f.box is not None]
        for members in _overlap_groups(boxes, threshold):
            coords = [sum(boxes[i][k] for i in members) / len(members) for k in range(4)]
            out.append(Finding(label=label, box=validate_box(coords, f"merged {label} box")))
            if len(members) > 1:
                events.append((f"merge {label}", f"merged {len(members)} {label} boxes"))
    return out, events


def resolve_cross_label(
    findings: Sequence[Finding], threshold: float = CROSS_IOU, order: Sequence[str] = SPECIFICITY
) -> tuple[list[Finding], list[Event]]:
    """Findings without the less specific box of each cross-label pair with IoU >= threshold."""
    rank = {label: i for i, label in enumerate(order)}
    boxed = [
        (i, f.label, f.box) for i, f in enumerate(findings) if f.box is not None and f.label in rank
    ]
    pairs = sorted(
        (
            (iou(a_box, b_box), i, j)
            for n, (i, a_label, a_box) in enumerate(boxed)
            for j, b_label, b_box in boxed[n + 1 :]
            if a_label != b_label
        ),
        reverse=True,
    )
    dropped: set[int] = set()
    events: list[Event] = []
    for value, i, j in pairs:
        if value < threshold or i in dropped or j in dropped:
            continue
        keep, drop = (i, j) if rank[findings[i].label] < rank[findings[j].label] else (j, i)
        kept, lost = findings[keep].label, findings[drop].label
        positives_left = sum(
            1 for k, f in enumerate(findings) if k not in dropped and f.label != NO_FINDING
        )
        if positives_left <= 1:  # never turn an abnormal record into a normal one
            events.append(
                (
                    f"keep last {lost} over {kept}",
                    f"kept {lost} box (IoU {value:.2f} with {kept}): last finding",
                )
            )
            continue
        dropped.add(drop)
        events.append(
            (f"drop {lost} under {kept}", f"dropped {lost} box: IoU {value:.2f} with {kept}")
        )
    return [f for k, f in enumerate(findings) if k not in dropped], events


@dataclass
class CurationReport:
    n_records: int = 0
    n_changed: int = 0
    events: Counter[str] = field(default_factory=Counter)  # event kind -> count
    log: list[str] = field(default_factory=list)  # "<id>: <event>" for every change


def curate_record(
    record: dict[str, Any], merge_iou: float = MERGE_IOU, cross_iou: float = CROSS_IOU
) -> tuple[dict[str, Any], list[Event]]:
    findings = findings_of(record["findings"])
    merged, merge_events = merge_same_label(findings, merge_iou)
    resolved, cross_events = resolve_cross_label(merged, cross_iou)
    return rerender(record, resolved), merge_events + cross_events


def curate_records(
    records: Sequence[dict[str, Any]], merge_iou: float = MERGE_IOU, cross_iou: float = CROSS_IOU
) -> tuple[list[dict[str, Any]], CurationReport]:
    report = CurationReport(n_records=len(records))
    out = []
    for record in records:
        curated, events = curate_record(record, merge_iou, cross_iou)
        out.append(curated)
        if curated["findings"] != record["findings"]:
            report.n_changed += 1
        for kind, text in events:
            report.events[kind] += 1
            report.log.append(f"{record['id']}: {text}")
    return out, report
