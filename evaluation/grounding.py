"""``eval grounding``: an image read (the model grounder, or the reference as a sanity check)
against expert boxes, image by image.

Stages:
1. Read: every case's image goes through the grounder once. A case without an image, a failed call
   and an output that cannot be parsed are all kept, as status ``unparseable`` with the reason, and
   scored as an empty read (every expert finding on that image counts as missed); repaired outputs
   are counted with their repairs.
2. Presence: per-image label sets, ``core.metrics.presence_metrics``, over the reads whose reference
   is complete (an NIH-style reference names only some findings, so a label it lacks is not a
   negative; on those images only recall is scored, per label). Presence is also given over the
   parsed images only, and normal specificity with failures counted as wrong.
3. Boxes: ``core.metrics.box_metrics``, matched within each image and label, never pooled across
   images; plus, for the histogram, each expert box's best IoU with a predicted box of its label in
   the same image (0 when there is none).

This module does not write files (``grounding_report`` does).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cxr_auditor.core.boxes import iou
from cxr_auditor.core.labels import NO_FINDING, POSITIVE_LABELS
from cxr_auditor.core.metrics import box_metrics, presence_metrics, ratio
from cxr_auditor.core.schemas import Finding
from cxr_auditor.evaluation.backends import Grounder
from cxr_auditor.evaluation.progress import track
from cxr_auditor.evaluation.sources import CaseSource


@dataclass
class ImageOutcome:
    """One image after the grounder: its status, the predicted and the expert findings."""

    case_id: str
    status: str  # ok | repaired | unparseable
    error: str | None
    complete: bool
    gold: list[Finding]
    pred: list[Finding]
    repairs: list[str] = field(default_factory=list)
    n_dropped: int = 0

    @property
    def failed(self) -> bool:
        return self.status == "unparseable"

    def labels(self, which: str) -> set[str]:
        return {f.label for f in (self.gold if which == "gold" else self.pred)}

    def best_ious(self) -> list[tuple[str, float]]:
        """(label, best IoU with a predicted box of that label) for each expert box."""
        out: list[tuple[str, float]] = []
        for g in self.gold:
            if g.box is None or g.label == NO_FINDING:
                continue
            same = [p.box for p in self.pred if p.label == g.label and p.box is not None]
            out.append((g.label, max((iou(g.box, box) for box in same), default=0.0)))
        return out


def read_images(
    source: CaseSource, grounder: Grounder, progress: bool = True
) -> list[ImageOutcome]:
    outcomes = []
    for case in track(source.cases, len(source.cases), "eval grounding", enabled=progress):
        try:
            read = grounder.read(case)
        except Exception as error:
            outcomes.append(
                ImageOutcome(
                    case.case_id,
                    "unparseable",
                    f"{type(error).__name__}: {error}",
                    case.complete,
                    case.findings,
                    [],
                )
            )
            continue
        account = read.account
        failed = account.status == "unparseable"
        outcomes.append(
            ImageOutcome(
                case.case_id,
                account.status,
                account.error if failed else None,
                case.complete,
                case.findings,
                [] if failed else list(read.findings),
                list(account.repairs),
                len(account.dropped),
            )
        )
    return outcomes


def _presence(outcomes: list[ImageOutcome]) -> dict[str, Any]:
    report = presence_metrics(
        [o.labels("pred") for o in outcomes], [o.labels("gold") for o in outcomes]
    )
    return report.model_dump()


def _recall_only(outcomes: list[ImageOutcome]) -> dict[str, dict[str, float | int]]:
    """Per label, expert labels found / expert labels (incomplete references: no precision)."""
    out: dict[str, dict[str, float | int]] = {}
    for label in POSITIVE_LABELS:
        with_label = [o for o in outcomes if label in o.labels("gold")]
        if with_label:
            found = sum(1 for o in with_label if label in o.labels("pred"))
            out[label] = {
                "found": found,
                "support": len(with_label),
                "recall": ratio(found, len(with_label)),
            }
    return out


def _is_normal(labels: set[str]) -> bool:
    return not (labels - {NO_FINDING})


def score_images(outcomes: list[ImageOutcome]) -> dict[str, Any]:
    complete = [o for o in outcomes if o.complete]
    parsed = [o for o in complete if not o.failed]
    normals = [o for o in complete if _is_normal(o.labels("gold"))]
    normal_hits = sum(1 for o in normals if not o.failed and _is_normal(o.labels("pred")))
    boxes = box_metrics([o.pred for o in outcomes], [o.gold for o in outcomes])
    best = [(o.case_id, label, value) for o in outcomes for label, value in o.best_ious()]
    return {
        "n_images": len(outcomes),
        "status": dict(Counter(o.status for o in outcomes)),
        "n_failed": sum(o.failed for o in outcomes),
        "failure_rate": ratio(sum(o.failed for o in outcomes), len(outcomes)),
        "repairs": dict(Counter(r for o in outcomes for r in o.repairs)),
        "n_dropped_items": sum(o.n_dropped for o in outcomes),
        "n_incomplete_reference": len(outcomes) - len(complete),
        "presence": _presence(complete) if complete else None,
        "presence_parsed_only": _presence(parsed) if parsed else None,
        "recall_incomplete_references": _recall_only([o for o in outcomes if not o.complete]),
        "normal_specificity_failures_wrong": {
            "n_normal": len(normals),
            "predicted_normal": normal_hits,
            "value": ratio(normal_hits, len(normals)),
        },
        "boxes": boxes.model_dump(),
        "best_iou_per_expert_box": {
            "n": len(best),
            "mean": ratio(sum(v for _, _, v in best), len(best)),
            "per_label": {
                label: [v for _, lb, v in best if lb == label]
                for label in POSITIVE_LABELS
                if any(lb == label for _, lb, _ in best)
            },
        },
    }


@dataclass
class GroundingEval:
    source: CaseSource
    grounder: str
    outcomes: list[ImageOutcome]
    scores: dict[str, Any]


def evaluate_grounding(
    source: CaseSource, grounder: Grounder, progress: bool = True
) -> GroundingEval:
    outcomes = read_images(source, grounder, progress)
    return GroundingEval(source, grounder.name, outcomes, score_images(outcomes))
