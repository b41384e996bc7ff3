"""One learner attempt, from submission to feedback: audit the draft, score the boxes, store once.

``score_attempt`` audits the draft against the case's reference read (``core.audit``) and scores
the learner's boxes against the reference and, when a model server is configured, against the
model's read of the same image (``core.score_boxes``). ``attempt_data`` turns that into the row
``db.attempt_store`` stores exactly once; ``feedback_of`` rebuilds the same feedback
from a stored row, so a learner's review survives a page reload or an app restart.
``overlay_boxes`` lays the three box sets (reference, model, learner) over the image, the reference
boxes numbered and coloured by the flags that name them.

Nothing here renders or decides a flag or a box outcome: that is core's job.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.engine import Engine

from cxr_auditor.core.audit import reference_read
from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.labels import display_name
from cxr_auditor.core.schemas import AuditResult, Finding
from cxr_auditor.core.score_boxes import BoxOutcome, BoxScore, score_boxes
from cxr_auditor.db.attempt_store import AttemptData, Stored, store_attempt
from cxr_auditor.serving.backend import ModelBackend
from cxr_auditor.serving.readers import Readers, describe
from cxr_auditor.ui.services import auditing, overlay
from cxr_auditor.ui.services.canvas import boxes_from_json, boxes_json
from cxr_auditor.ui.services.overlay import OverlayBox
from cxr_auditor.ui.services.palette import LEARNER, MODEL

__all__ = ["LEARNER", "MODEL"]  # re-exported: the pages take the box colours from here
DRAFT_FLAG_KINDS = ("MISSING", "UNSUPPORTED", "LATERALITY")
OUTCOME_WORDS = {
    "hit": "found",
    "miss": "missed",
    "side_error": "wrong side",
    "over_call": "over-call",
}


@dataclass(frozen=True)
class ModelComparison:
    """The model's read of the case image and the learner's boxes scored against it."""

    reader: str
    findings: list[Finding]
    score: BoxScore | None
    problem: str | None = None  # why there is no score (the model read failed)


@dataclass(frozen=True)
class Feedback:
    """Everything the learner sees after submitting one case."""

    case_id: str
    draft: str
    audit: AuditResult
    learner: list[Finding]
    reference: BoxScore
    model: ModelComparison | None


def new_submission_id() -> str:
    return str(uuid.uuid4())


def _model_comparison(
    case: LoadedCase, boxes: list[Finding], backend: ModelBackend
) -> ModelComparison:
    read = backend.image_read(case.image_bytes())
    name = describe(read.identity)
    if read.error is not None:
        return ModelComparison(name, [], None, read.error)
    findings = [f for f in read.findings if f.label != "no_finding"]
    return ModelComparison(name, read.findings, score_boxes(boxes, findings, read_kind="model"))


def score_attempt(case: LoadedCase, draft: str, boxes: list[Finding], readers: Readers) -> Feedback:
    """Audit the draft and score the boxes (InputError for an empty or overlong draft)."""
    reference = case.case.findings()
    image = reference_read(
        reference, name=f"case {case.case.id}", complete=case.case.reference_complete
    )
    audit = auditing.audit(draft, image, readers.draft_reader())
    against_reference = score_boxes(
        boxes, reference, read_kind="reference", read_complete=case.case.reference_complete
    )
    model = _model_comparison(case, boxes, readers.backend) if readers.backend is not None else None
    return Feedback(case.case.id, draft, audit, boxes, against_reference, model)


def outcomes_of(feedback: Feedback) -> list[tuple[str, str, str]]:
    """``(label, channel, kind)`` rows for the dashboard: draft flags, then scored box outcomes."""
    rows: list[tuple[str, str, str]] = [
        (f.label, "draft", f.kind) for f in feedback.audit.flags if f.kind in DRAFT_FLAG_KINDS
    ]
    rows += [
        (f.label, "draft", "URGENT_MISSED")
        for f in feedback.audit.flags
        if f.kind == "URGENT" and f.in_draft is False
    ]
    rows += [(o.label, "reference", o.kind) for o in feedback.reference.outcomes if o.scored]
    if feedback.model is not None and feedback.model.score is not None:
        rows += [(o.label, "model", o.kind) for o in feedback.model.score.outcomes if o.scored]
    return rows


def _model_json(model: ModelComparison | None) -> dict[str, Any] | None:
    if model is None:
        return None
    return {
        "reader": model.reader,
        "problem": model.problem,
        "findings": [f.model_dump(mode="json") for f in model.findings],
        "score": model.score.model_dump(mode="json") if model.score is not None else None,
    }


def attempt_data(
    feedback: Feedback,
    *,
    submission_id: str,
    participant_id: int,
    session_id: int | None,
    mode: Literal["session", "quiz"],
    position: int | None,
    opened_at: datetime,
    submitted_at: datetime,
    time_limit_s: int | None = None,
) -> AttemptData:
    """The row to store for a scored attempt."""
    flags = feedback.audit.flags
    seconds = max(0.0, (submitted_at - opened_at).total_seconds())
    model_score = feedback.model.score if feedback.model is not None else None
    return AttemptData(
        submission_id=submission_id,
        participant_id=participant_id,
        session_id=session_id,
        mode=mode,
        case_id=feedback.case_id,
        position=position,
        draft=feedback.draft,
        learner_boxes=boxes_json(feedback.learner),
        audit=feedback.audit.model_dump(mode="json"),
        reference_score=feedback.reference.model_dump(mode="json"),
        model_score=_model_json(feedback.model),
        box_score=feedback.reference.score,
        model_box_score=model_score.score if model_score is not None else None,
        box_hits=feedback.reference.hits,
        box_misses=feedback.reference.misses,
        box_side_errors=feedback.reference.side_errors,
        box_over_calls=feedback.reference.over_calls,
        flags_missing=sum(f.kind == "MISSING" for f in flags),
        flags_unsupported=sum(f.kind == "UNSUPPORTED" for f in flags),
        flags_laterality=sum(f.kind == "LATERALITY" for f in flags),
        urgent_missed=sum(f.kind == "URGENT" and f.in_draft is False for f in flags),
        opened_at=opened_at,
        submitted_at=submitted_at,
        seconds=round(seconds, 3),
        over_time=bool(time_limit_s) and seconds > (time_limit_s or 0),
        outcomes=outcomes_of(feedback),
    )


def submit(engine: Engine, data: AttemptData) -> Stored:
    """Store the attempt exactly once (a retry returns the first one)."""
    return store_attempt(engine, data)


def feedback_of(row: dict[str, Any]) -> Feedback:
    """The feedback of a stored attempt, rebuilt from its row."""
    model = None
    if row.get("model_score") is not None:
        stored = row["model_score"]
        score = stored.get("score")
        model = ModelComparison(
            stored.get("reader", "model"),
            [Finding.model_validate(f) for f in stored.get("findings", [])],
            BoxScore.model_validate(score) if score is not None else None,
            stored.get("problem"),
        )
    return Feedback(
        row["case_id"],
        row["draft"],
        AuditResult.model_validate(row["audit"]),
        boxes_from_json(row["learner_boxes"]),
        BoxScore.model_validate(row["reference_score"]),
        model,
    )


def with_stored_read(feedback: Feedback, reader: str, findings: Sequence[Finding]) -> Feedback:
    """The feedback with a stored model read of the case (``db.model_reads``) in place of a live
    one: the learner's boxes scored against it as a live read would be. A live read made at
    submission (``feedback.model``) is kept as it is."""
    if feedback.model is not None:
        return feedback
    model = [f.model_copy(update={"source": "model"}) for f in findings]
    positive = [f for f in model if f.label != "no_finding"]
    score = score_boxes(feedback.learner, positive, read_kind="model")
    return replace(feedback, model=ModelComparison(f"{reader}, stored read", model, score))


def verdict(outcome: BoxOutcome) -> str:
    """The one word a box outcome gets, in the feedback text and on the image alike."""
    return OUTCOME_WORDS[outcome.kind] if outcome.scored else "not judged"


def _learner_caption(index: int, finding: Finding, score: BoxScore) -> str:
    words = [verdict(o) for o in score.outcomes if o.learner_index == index]
    status = f" ({', '.join(dict.fromkeys(words))})" if words else " (not counted)"
    return f"you {index + 1}: {display_name(finding.label)}{status}"


def overlay_boxes(
    feedback: Feedback,
    *,
    show_reference: bool = True,
    show_model: bool = True,
    show_learner: bool = True,
) -> list[OverlayBox]:
    """The three box sets for ``ui.services.overlay.draw``.

    Reference boxes come from the audit, in the colour of their flag and with its number (as on the
    audit page; green when no flag names them), solid; the model's dashed orange; the learner's
    dotted yellow, numbered and captioned with the same verdict the feedback text gives each.
    """
    boxes: list[OverlayBox] = []
    if show_reference:
        numbered = auditing.numbered_flags(feedback.audit.flags)
        boxes += overlay.boxes_for(feedback.audit, numbered, show_model=False)
    if show_model and feedback.model is not None:
        boxes += [
            OverlayBox(
                f.box, MODEL.hex, f"model: {display_name(f.label)}", dashed=True, source="model"
            )
            for f in feedback.model.findings
            if f.box is not None
        ]
    if show_learner:
        boxes += [
            OverlayBox(
                f.box, LEARNER.hex, _learner_caption(k, f, feedback.reference), source="learner"
            )
            for k, f in enumerate(feedback.learner)
            if f.box is not None
        ]
    return boxes
