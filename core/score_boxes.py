"""Scoring a learner's labeled boxes against one image read, label by label.

The rules, one per label family, always within one image and one label:

- **Focal** findings (``nodule_mass``, ``lung_opacity_consolidation``): a learner box finds a read
  box when their IoU is at least 0.25 (``core.metrics.match_boxes``: greedy, one to one).
- **Pleural** findings (``pleural_effusion``, ``pneumothorax``): the read's boxes are loose by
  nature, so a learner box finds a read box when at least half of it lies inside (overlap over box)
  or its centre falls inside, *and* it is on the same patient side (image-left is the patient's
  right).
- **Cardiomegaly**: presence only; where the box is drawn does not matter. A read finding of any
  label that carries no box (a model naming a finding without locating it) is scored on presence.

Each read item ends as a ``hit``, a ``miss`` or a ``side_error`` (the classic convention slip: a
focal box that would find it if mirrored across the midline, or a pleural box of the label on the
other side of the chest); each learner box not used that way is an
``over_call``: the finding is absent from the read, present elsewhere, or already marked
(``duplicate``). Against a reference read known to be incomplete, a box for a finding the reference
does not mention cannot be judged: it is reported but not scored. Every outcome carries a teaching
explanation from ``core/text/box_feedback.toml`` (validated on load).

The score is the F1 of found findings, ``2·hits / (read items + learner items)``, and 1.0 when both
are empty (a normal film left unmarked). This module draws nothing, stores nothing and runs no
model: it compares two lists of findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from cxr_auditor.core.boxes import Box, box_side, center, iou, overlap_over_box, point_in_box
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import POSITIVE_LABELS, Label, display_name
from cxr_auditor.core.metrics import match_boxes
from cxr_auditor.core.schemas import Finding, NormBox
from cxr_auditor.core.templates import load_templates

FOCAL_LABELS: tuple[Label, ...] = ("nodule_mass", "lung_opacity_consolidation")
PLEURAL_LABELS: tuple[Label, ...] = ("pleural_effusion", "pneumothorax")
PRESENCE_LABELS: tuple[Label, ...] = ("cardiomegaly",)
FOCAL_IOU = 0.25
PLEURAL_OVERLAP = 0.5

OutcomeKind = Literal["hit", "miss", "side_error", "over_call"]
Rule = Literal["iou", "overlap_or_point_and_side", "presence"]
ReadKind = Literal["reference", "model"]

PLACEHOLDERS = frozenset(
    {"name", "read", "iou", "overlap", "threshold", "learner_side", "target_side"}
)
REQUIRED: dict[str, frozenset[str]] = {
    "HIT": frozenset({"iou", "overlap", "point", "presence", "no_box"}),
    "MISS": frozenset({"not_drawn", "near_focal", "near_pleural", "presence"}),
    "SIDE_ERROR": frozenset({"mirrored"}),
    "OVER_CALL": frozenset({"absent", "absent_unverified", "elsewhere", "duplicate"}),
    "TIP": frozenset(POSITIVE_LABELS),
}
_SECTION = {"hit": "HIT", "miss": "MISS", "side_error": "SIDE_ERROR", "over_call": "OVER_CALL"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BoxOutcome(_Model):
    """One read item or one learner box, and what became of it, with its explanation."""

    kind: OutcomeKind
    label: Label
    rule: Rule
    reason: str  # the key of the explanation in box_feedback.toml
    learner_index: int | None = None  # position in the learner's list
    learner_box: NormBox | None = None
    target_index: int | None = None  # position in the read's list
    target_box: NormBox | None = None
    measure: float | None = None  # IoU (focal) or overlap over box (pleural)
    scored: bool = True  # False: reported, but not counted (an incomplete reference)
    explanation: str


class BoxScore(_Model):
    """The outcomes against one read, their counts and the score."""

    read: ReadKind
    outcomes: list[BoxOutcome]
    hits: int
    misses: int
    side_errors: int
    over_calls: int  # scored over-calls only
    unscored: int
    n_read: int  # read items: boxes, and one per label scored on presence
    n_learner: int  # learner items counted (one per label scored on presence)
    score: float


# --------------------------------------------------------------------------- feedback text


def load_feedback(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Load and validate a feedback file (the packaged one by default)."""
    return load_templates("text/box_feedback.toml", REQUIRED, PLACEHOLDERS, path)


@lru_cache(maxsize=1)
def _feedback() -> dict[str, dict[str, str]]:
    return load_feedback()


def tip(label: str) -> str:
    """The teaching tip for a positive label (box_feedback.toml [TIP])."""
    return _feedback()["TIP"][label]


def _explain(kind: OutcomeKind, reason: str, label: str, read: ReadKind, **values: str) -> str:
    fields = {name: "-" for name in PLACEHOLDERS} | {
        "name": display_name(label),
        "read": f"{read} read",
    }
    return _feedback()[_SECTION[kind]][reason].format(**(fields | values))


# --------------------------------------------------------------------------- geometry


def mirrored(box: Box) -> Box:
    """The box reflected across the vertical midline of the image."""
    y0, x0, y1, x1 = box
    return (y0, 1.0 - x1, y1, 1.0 - x0)


def patient_side(box: Box) -> Literal["left", "right"] | None:
    """The box's patient side (``core.boxes.box_side``), or its centre's side when it straddles."""
    side = box_side(box)
    if side is not None:
        return side
    x = center(box)[1]
    return None if x == 0.5 else ("right" if x < 0.5 else "left")


def _pleural_fit(box: Box, target: Box) -> tuple[bool, float, bool]:
    """``(finds it, overlap over box, centre inside)`` for the pleural rule, side included."""
    overlap = overlap_over_box(box, target)
    point = point_in_box(center(box), target)
    wanted = box_side(target)
    same_side = wanted is None or patient_side(box) == wanted
    return (overlap >= PLEURAL_OVERLAP or point) and same_side, overlap, point


def _finds(label: str, box: Box, target: Box) -> tuple[bool, float]:
    """Whether ``box`` finds ``target`` under the label's rule, and the rule's measure."""
    if label in FOCAL_LABELS:
        value = iou(box, target)
        return value >= FOCAL_IOU and value > 0, value
    ok, overlap, _ = _pleural_fit(box, target)
    return ok, overlap


def _greedy(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """One-to-one pairs ``(learner, read, measure)`` taken best measure first, ties by index."""
    used_p, used_t, out = set(), set(), []
    for neg, i, j in sorted(pairs):
        if i not in used_p and j not in used_t:
            used_p.add(i)
            used_t.add(j)
            out.append((i, j, -neg))
    return out


# --------------------------------------------------------------------------- one label


Item = tuple[int, Box]


def _presence(
    label: Label, learner: list[Item], read: list[int], kind: ReadKind, complete: bool
) -> list[BoxOutcome]:
    """Cardiomegaly, or a label the read names without a box: one item on each side."""
    first = learner[0] if learner else (None, None)
    if read and learner:
        reason = "presence" if label in PRESENCE_LABELS else "no_box"
        return [
            BoxOutcome(
                kind="hit",
                reason=reason,
                learner_index=first[0],
                learner_box=first[1],
                target_index=read[0],
                explanation=_explain("hit", reason, label, kind),
                label=label,
                rule="presence",
            )
        ]
    if read:
        return [
            BoxOutcome(
                kind="miss",
                reason="presence",
                target_index=read[0],
                explanation=_explain("miss", "presence", label, kind),
                label=label,
                rule="presence",
            )
        ]
    if learner:
        reason = "absent" if complete else "absent_unverified"
        return [
            BoxOutcome(
                kind="over_call",
                reason=reason,
                learner_index=first[0],
                learner_box=first[1],
                scored=complete,
                explanation=_explain("over_call", reason, label, kind),
                label=label,
                rule="presence",
            )
        ]
    return []


def _boxed(
    label: Label, learner: list[Item], read: list[Item], kind: ReadKind, complete: bool
) -> list[BoxOutcome]:
    """Focal and pleural labels: match, then side errors, near misses, misses and over-calls."""
    focal = label in FOCAL_LABELS
    rule: Rule = "iou" if focal else "overlap_or_point_and_side"
    threshold = f"{FOCAL_IOU if focal else PLEURAL_OVERLAP:.2f}"
    if not read:
        reason = "absent" if complete else "absent_unverified"
        return [
            BoxOutcome(
                kind="over_call",
                label=label,
                rule=rule,
                reason=reason,
                learner_index=i,
                learner_box=b,
                scored=complete,
                explanation=_explain("over_call", reason, label, kind),
            )
            for i, b in learner
        ]
    p_boxes, t_boxes = [b for _, b in learner], [b for _, b in read]
    if focal:
        matches = match_boxes(p_boxes, t_boxes, FOCAL_IOU)
    else:
        pairs = []
        for i, p in enumerate(p_boxes):
            for j, t in enumerate(t_boxes):
                ok, overlap, point = _pleural_fit(p, t)
                if ok:
                    pairs.append((-(overlap + (1.0 if point else 0.0)), i, j))
        matches = [(i, j, overlap_over_box(p_boxes[i], t_boxes[j])) for i, j, _ in _greedy(pairs)]
    results: list[BoxOutcome] = []

    def add(
        out_kind: OutcomeKind,
        reason: str,
        i: int | None,
        j: int | None,
        measure: float | None,
        **values: str,
    ) -> None:
        fields = {"threshold": threshold, **values}
        if measure is not None:
            fields.setdefault("iou" if focal else "overlap", f"{measure:.2f}")
        if j is not None:
            side = box_side(t_boxes[j])
            fields.setdefault("target_side", side or "midline")
        outcome = BoxOutcome(
            kind=out_kind,
            label=label,
            rule=rule,
            reason=reason,
            learner_index=learner[i][0] if i is not None else None,
            learner_box=p_boxes[i] if i is not None else None,
            target_index=read[j][0] if j is not None else None,
            target_box=t_boxes[j] if j is not None else None,
            measure=round(measure, 4) if measure is not None else None,
            explanation=_explain(out_kind, reason, label, kind, **fields),
        )
        results.append(outcome)

    for i, j, measure in matches:
        reason = "iou" if focal else ("overlap" if measure >= PLEURAL_OVERLAP else "point")
        add("hit", reason, i, j, measure)
    free_p = [i for i in range(len(p_boxes)) if i not in {m[0] for m in matches}]
    free_t = [j for j in range(len(t_boxes)) if j not in {m[1] for m in matches}]

    # Side errors: a focal box that would find the read box if mirrored across the midline; a
    # pleural box anywhere on the other side (their read boxes are loose, their side is the point).
    pairs = []
    for i in free_p:
        for j in free_t:
            wanted, drawn = box_side(t_boxes[j]), patient_side(p_boxes[i])
            ok, measure = _finds(label, mirrored(p_boxes[i]), t_boxes[j])
            if wanted is not None and drawn is not None and drawn != wanted and (ok or not focal):
                pairs.append((-(measure + (1.0 if ok else 0.0)), i, j))
    for i, j, _ in _greedy(pairs):
        add("side_error", "mirrored", i, j, None, learner_side=patient_side(p_boxes[i]) or "-")
        free_p.remove(i)
        free_t.remove(j)

    # Near misses: a learner box touches the read box, but not enough to count.
    measure_of = iou if focal else overlap_over_box
    pairs = [
        (-measure_of(p_boxes[i], t_boxes[j]), i, j)
        for i in free_p
        for j in free_t
        if measure_of(p_boxes[i], t_boxes[j]) > 0
    ]
    for i, j, measure in _greedy(pairs):
        add("miss", "near_focal" if focal else "near_pleural", i, j, measure)
        free_p.remove(i)
        free_t.remove(j)
    for j in free_t:
        add("miss", "not_drawn", None, j, None)
    for i in free_p:
        found = [j for _, j, _ in matches if _finds(label, p_boxes[i], t_boxes[j])[0]]
        add(
            "over_call", "duplicate" if found else "elsewhere", i, found[0] if found else None, None
        )
    return sorted(
        results,
        key=lambda o: (
            o.target_index if o.target_index is not None else 10**9,
            o.kind == "over_call",
            o.learner_index or 0,
        ),
    )


# --------------------------------------------------------------------------- the score


def _check_learner(learner: Sequence[Finding]) -> None:
    for k, finding in enumerate(learner):
        if not isinstance(finding, Finding):
            raise InputError(f"learner box {k}: expected a Finding, got {type(finding).__name__}")
        if finding.label not in POSITIVE_LABELS:
            raise InputError(
                f"learner box {k}: label {finding.label!r} cannot be drawn; "
                f"allowed: {', '.join(POSITIVE_LABELS)}"
            )
        if finding.box is None:
            raise InputError(f"learner box {k} ({finding.label}): has no box")


def score_boxes(
    learner: Sequence[Finding],
    read: Sequence[Finding],
    *,
    read_kind: ReadKind = "reference",
    read_complete: bool = True,
) -> BoxScore:
    """Score the learner's boxes (one image) against one read of the same image.

    ``read_complete=False`` (a reference known to be incomplete, such as NIH's) makes a box for a
    finding the read does not mention unscored instead of an over-call.
    """
    _check_learner(learner)
    outcomes: list[BoxOutcome] = []
    n_read = n_learner = 0
    for label in POSITIVE_LABELS:
        # Every learner finding has a box (_check_learner).
        mine = [
            (i, box)
            for i, f in enumerate(learner)
            if f.label == label and (box := f.box) is not None
        ]
        theirs = [(j, f.box) for j, f in enumerate(read) if f.label == label]
        boxed = [(j, b) for j, b in theirs if b is not None]
        if label in PRESENCE_LABELS or (theirs and not boxed):
            found = _presence(label, mine, [j for j, _ in theirs], read_kind, read_complete)
            n_read += bool(theirs)
            n_learner += bool(mine) and any(o.scored for o in found)
        else:
            found = _boxed(label, mine, boxed, read_kind, read_complete)
            n_read += len(boxed)
            n_learner += len(mine) - sum(not o.scored for o in found)
        outcomes += found
    count = {kind: sum(o.kind == kind and o.scored for o in outcomes) for kind in _SECTION}
    total = n_read + n_learner
    return BoxScore(
        read=read_kind,
        outcomes=outcomes,
        hits=count["hit"],
        misses=count["miss"],
        side_errors=count["side_error"],
        over_calls=count["over_call"],
        unscored=sum(not o.scored for o in outcomes),
        n_read=n_read,
        n_learner=n_learner,
        score=2 * count["hit"] / total if total else 1.0,
    )
