"""Evaluation metrics: label presence, box localization and audit flags.

- Presence: per-image label sets (predicted vs gold, aligned by image) give tp/fp/fn/tn, precision,
  recall, F1 and specificity per positive label; macro-F1 over the labels whose F1 is defined (the
  excluded ones are listed). ``no_finding`` is scored as its own label, where an image counts as
  normal when its set holds no positive label (so a contradictory "no_finding + effusion" is
  abnormal); ``normal_specificity`` is the share of gold-normal images predicted normal.
- Boxes: matched per image and per label, never pooled across images (the original pooled boxes of
  all images and let a box in image A match one in image B). Greedy one-to-one matching by IoU,
  highest first, ties broken by (pred index, gt index). Hit rates at each IoU threshold (recall of
  gt boxes, precision of pred boxes), mean IoU of pairs matched at any overlap, overlap-over-box
  (share of a pred box inside its best gt box) and pointing (pred box center inside a gt box), the
  last two over pred boxes in images where the label has a gt box.
- Audit flags: per kind, tp/fp/fn pooled over cases with set semantics within a case; a flag's
  identity is (kind, label), plus the reason for MISSING.

Every undefined ratio is NaN, never 0 or 1, and every score carries its support counts. Inputs are
validated (canonical labels, aligned lengths) and errors are ``core.errors`` types. This module does
not run models, parse drafts or compare reads.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from cxr_auditor.core.boxes import Box, center, iou, overlap_over_box, point_in_box
from cxr_auditor.core.errors import InputError, LabelError
from cxr_auditor.core.labels import LABELS, NO_FINDING, POSITIVE_LABELS
from cxr_auditor.core.schemas import Finding

NAN = float("nan")
BOX_THRESHOLDS: tuple[float, ...] = (0.25, 0.5)
FLAG_KINDS: tuple[str, ...] = ("MISSING", "UNSUPPORTED", "URGENT", "LATERALITY")

FlagKey = tuple[str, str, str | None]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, NaN when the denominator is 0."""
    return numerator / denominator if denominator else NAN


def f1(precision: float, recall: float) -> float:
    """Harmonic mean; NaN when either is NaN, 0 when both are 0."""
    if math.isnan(precision) or math.isnan(recall):
        return NAN
    return ratio(2 * precision * recall, precision + recall) if precision + recall else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else NAN


def _aligned(pred: Sequence[Any], gold: Sequence[Any], what: str) -> None:
    if len(pred) != len(gold):
        raise InputError(
            f"{what}: {len(pred)} predicted vs {len(gold)} gold items; they must be "
            "aligned one per image/case"
        )


# --------------------------------------------------------------------------- presence


class LabelScores(_Model):
    label: str
    tp: int
    fp: int
    fn: int
    tn: int
    support: int  # gold images with the label (tp + fn)
    precision: float
    recall: float
    f1: float
    specificity: float


class PresenceReport(_Model):
    n_images: int
    per_label: dict[str, LabelScores]  # positive labels, canonical order
    no_finding: LabelScores
    macro_f1: float
    macro_labels: list[str]
    macro_excluded: list[str]  # positive labels whose F1 is undefined (NaN)
    normal_specificity: float  # gold-normal images predicted normal / gold-normal images
    n_normal: int


def _label_set(labels: Collection[str], where: str) -> set[str]:
    out: set[str] = set()
    for label in labels:
        if label not in LABELS:
            allowed = ", ".join(LABELS)
            raise LabelError(f"{where}: label {label!r} is not canonical; allowed: {allowed}")
        out.add(label)
    return out


def _scores(label: str, tp: int, fp: int, fn: int, tn: int) -> LabelScores:
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    return LabelScores(
        label=label,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        support=tp + fn,
        precision=precision,
        recall=recall,
        f1=f1(precision, recall),
        specificity=ratio(tn, tn + fp),
    )


def presence_metrics(
    pred: Sequence[Collection[str]], gold: Sequence[Collection[str]]
) -> PresenceReport:
    """Presence scores from per-image label sets, aligned by image."""
    _aligned(pred, gold, "presence")
    counts: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    for i, (p_labels, g_labels) in enumerate(zip(pred, gold, strict=True)):
        p = _label_set(p_labels, f"predicted[{i}]")
        g = _label_set(g_labels, f"gold[{i}]")
        for side in (p, g):
            side.discard(NO_FINDING)
            if not side:
                side.add(NO_FINDING)
        for label in LABELS:
            key = ("t" if (label in p) == (label in g) else "f") + ("p" if label in p else "n")
            counts[label][key] += 1
    scores = {
        label: _scores(label, c["tp"], c["fp"], c["fn"], c["tn"]) for label, c in counts.items()
    }
    defined: list[str] = [label for label in POSITIVE_LABELS if not math.isnan(scores[label].f1)]
    normal = scores[NO_FINDING]
    return PresenceReport(
        n_images=len(gold),
        per_label={label: scores[label] for label in POSITIVE_LABELS},
        no_finding=normal,
        macro_f1=_mean([scores[label].f1 for label in defined]),
        macro_labels=defined,
        macro_excluded=[label for label in POSITIVE_LABELS if label not in defined],
        normal_specificity=normal.recall,
        n_normal=normal.support,
    )


# --------------------------------------------------------------------------- boxes


def match_boxes(
    pred: Sequence[Box], gold: Sequence[Box], threshold: float
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matches ``(pred index, gold index, iou)`` with IoU >= threshold and > 0.

    Pairs are taken highest IoU first; ties break on (pred index, gold index). Boxes of ONE image
    and ONE label only: callers never pass boxes pooled over images.
    """
    pairs = [(-iou(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)]
    pairs = sorted(pair for pair in pairs if -pair[0] > 0 and -pair[0] >= threshold)
    used_pred, used_gold, matches = set(), set(), []
    for neg_iou, i, j in pairs:
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            matches.append((i, j, -neg_iou))
    return matches


class ThresholdScores(_Model):
    threshold: float
    matched: int
    recall: float  # matched / gt boxes
    precision: float  # matched / pred boxes


class BoxScores(_Model):
    label: str
    n_pred: int
    n_gt: int
    n_images_with_gt: int
    at: dict[str, ThresholdScores]  # keyed by threshold as text, e.g. "0.25"
    n_matched_any: int
    mean_iou: float  # over pairs matched at any overlap
    n_scored: int  # pred boxes in images where the label has a gt box
    overlap_over_box: float  # mean share of such a pred box inside its best gt box
    pointing_hits: int
    pointing: float  # share of such pred boxes whose center lies in a gt box


class BoxReport(_Model):
    n_images: int
    per_label: dict[str, BoxScores]  # labels with a box on either side, canonical order
    overall: BoxScores  # counts summed over labels (each still matched within image and label)


def _boxes(findings: Iterable[Finding], where: str) -> dict[str, list[Box]]:
    out: dict[str, list[Box]] = {}
    for k, finding in enumerate(findings):
        if not isinstance(finding, Finding):
            raise InputError(f"{where}[{k}]: expected a Finding, got {type(finding).__name__}")
        if finding.box is not None:
            out.setdefault(finding.label, []).append(finding.box)
    return out


class _BoxTally:
    def __init__(self, thresholds: Sequence[float]) -> None:
        self.thresholds = thresholds
        self.n_pred = self.n_gt = self.n_images = self.pointing_hits = 0
        self.matched: Counter[float] = Counter()
        self.ious: list[float] = []
        self.overlaps: list[float] = []

    def add_image(self, pred: list[Box], gold: list[Box]) -> None:
        self.n_pred += len(pred)
        self.n_gt += len(gold)
        for t in self.thresholds:
            self.matched[t] += len(match_boxes(pred, gold, t))
        self.ious += [value for _, _, value in match_boxes(pred, gold, 0.0)]
        if not gold:
            return
        self.n_images += 1
        for box in pred:
            self.overlaps.append(max(overlap_over_box(box, g) for g in gold))
            self.pointing_hits += any(point_in_box(center(box), g) for g in gold)

    def merge(self, other: _BoxTally) -> None:
        self.n_pred += other.n_pred
        self.n_gt += other.n_gt
        self.n_images += other.n_images
        self.pointing_hits += other.pointing_hits
        self.matched.update(other.matched)
        self.ious += other.ious
        self.overlaps += other.overlaps

    def scores(self, label: str) -> BoxScores:
        at = {
            str(t): ThresholdScores(
                threshold=t,
                matched=self.matched[t],
                recall=ratio(self.matched[t], self.n_gt),
                precision=ratio(self.matched[t], self.n_pred),
            )
            for t in self.thresholds
        }
        return BoxScores(
            label=label,
            n_pred=self.n_pred,
            n_gt=self.n_gt,
            n_images_with_gt=self.n_images,
            at=at,
            n_matched_any=len(self.ious),
            mean_iou=_mean(self.ious),
            n_scored=len(self.overlaps),
            overlap_over_box=_mean(self.overlaps),
            pointing_hits=self.pointing_hits,
            pointing=ratio(self.pointing_hits, len(self.overlaps)),
        )


def box_metrics(
    pred: Sequence[Sequence[Finding]],
    gold: Sequence[Sequence[Finding]],
    thresholds: Sequence[float] = BOX_THRESHOLDS,
) -> BoxReport:
    """Box scores from per-image findings (aligned by image); findings without a box are ignored."""
    _aligned(pred, gold, "boxes")
    for t in thresholds:
        if not 0.0 <= t <= 1.0:
            raise InputError(f"IoU threshold {t!r} is outside 0..1")
    tallies: dict[str, _BoxTally] = {label: _BoxTally(thresholds) for label in LABELS}
    for i, (p_findings, g_findings) in enumerate(zip(pred, gold, strict=True)):
        p_boxes, g_boxes = _boxes(p_findings, f"predicted[{i}]"), _boxes(g_findings, f"gold[{i}]")
        for label in set(p_boxes) | set(g_boxes):
            tallies[label].add_image(p_boxes.get(label, []), g_boxes.get(label, []))
    overall = _BoxTally(thresholds)
    for tally in tallies.values():
        overall.merge(tally)
    per_label = {
        label: tally.scores(label) for label, tally in tallies.items() if tally.n_pred or tally.n_gt
    }
    return BoxReport(n_images=len(gold), per_label=per_label, overall=overall.scores("all"))


# --------------------------------------------------------------------------- audit flags


def flag_key(item: Any) -> FlagKey:
    """Identity of a flag, note or expected decision: (kind, label, reason for MISSING else None).

    Accepts objects with ``kind``/``label`` (and optional ``reason``) attributes, such as
    ``core.schemas.Flag``, or tuples ``(kind, label)`` / ``(kind, label, reason)``.
    """
    if isinstance(item, tuple):
        if len(item) not in (2, 3):
            raise InputError(
                f"flag tuple {item!r}: expected (kind, label) or (kind, label, reason)"
            )
        kind, label, reason = item[0], item[1], item[2] if len(item) == 3 else None
    else:
        try:
            kind, label = item.kind, item.label
        except AttributeError as error:
            raise InputError(f"{item!r} is not a flag: it needs kind and label") from error
        reason = getattr(item, "reason", None)
    return (str(kind), str(label), reason if kind == "MISSING" else None)


class FlagScores(_Model):
    kind: str
    tp: int
    fp: int
    fn: int
    support: int  # expected flags of this kind (tp + fn)
    precision: float
    recall: float
    f1: float


class FlagReport(_Model):
    n_cases: int
    per_kind: dict[str, FlagScores]  # the four flag kinds, then any other kind seen (notes)


def flag_metrics(pred: Sequence[Iterable[Any]], expected: Sequence[Iterable[Any]]) -> FlagReport:
    """Per-kind P/R/F1 of produced flags against expected ones, case by case (aligned by case)."""
    _aligned(pred, expected, "flags")
    counts: dict[str, Counter[str]] = {}
    for p_items, e_items in zip(pred, expected, strict=True):
        p, e = {flag_key(x) for x in p_items}, {flag_key(x) for x in e_items}
        for key in p | e:
            counts.setdefault(key[0], Counter())[
                "tp" if key in p and key in e else "fp" if key in p else "fn"
            ] += 1
    kinds = list(FLAG_KINDS) + sorted(set(counts) - set(FLAG_KINDS))
    per_kind = {}
    for kind in kinds:
        c = counts.get(kind, Counter())
        precision, recall = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], c["tp"] + c["fn"])
        per_kind[kind] = FlagScores(
            kind=kind,
            tp=c["tp"],
            fp=c["fp"],
            fn=c["fn"],
            support=c["tp"] + c["fn"],
            precision=precision,
            recall=recall,
            f1=f1(precision, recall),
        )
    return FlagReport(n_cases=len(expected), per_kind=per_kind)
