"""Shared by the session and quiz pages (not a page itself): answering one case, and its feedback.

``work_area`` is the answering screen: the case image on a ``labeled_rect`` canvas, the finding
picker, the draft and the Submit button; nothing about the answer is shown. ``submit`` scores and
stores the answer once (a retried click reuses the same submission id). ``feedback_panel`` shows
the audit of the draft, the box scores with an explanation per miss, over-call and side error, and
the three box sets over the image. Every decision is made in ``ui/services/`` or ``core/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from streamlit_drawable_canvas import st_canvas

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.labels import POSITIVE_LABELS, display_name
from cxr_auditor.core.score_boxes import BoxScore, tip
from cxr_auditor.serving.readers import Readers
from cxr_auditor.ui.services import attempts, auditing, overlay
from cxr_auditor.ui.services.canvas import DrawingRead, canvas_size, chip, read_drawing
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.db.store import now
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.services.seat_drafts import SavedWork, canvas_objects
from cxr_auditor.ui.services.state import ALL_FLAGS
from cxr_auditor.ui.views import cache, results
from cxr_auditor.ui.views.session_common import canvas_background

KIND_BADGES = {
    "hit": ":green-background[found]",
    "miss": ":red-background[missed]",
    "side_error": ":blue-background[wrong side]",
    "over_call": ":orange-background[over-call]",
}


@dataclass(frozen=True)
class Work:
    draft: str
    drawing: DrawingRead
    submitted: bool


LEARNER_FILL = "rgba(0, 192, 242, 0.12)"  # the canvas fill_color below; restored boxes match it


def work_area(case: LoadedCase, work_key: str, saved: SavedWork | None = None) -> Work:
    """The answering screen for one case; ``work_key`` names its canvas, draft and button.

    ``saved`` is the work a session seat had saved (a reload, another device): its draft fills the
    text area and its boxes are drawn on the canvas, once per tab; it must stay the same object
    across reruns, so the canvas is not reset while the learner draws.
    """
    draft_key = f"draft_{work_key}"
    if saved is not None and draft_key not in st.session_state:
        st.session_state[draft_key] = saved.draft
    with st.expander("How to answer", expanded=False):
        st.markdown(read_content("attempt_instructions.md"))
    image_column, text_column = st.columns([7, 5], gap="large")
    with image_column:
        label = st.selectbox(
            "Finding to box", POSITIVE_LABELS, key="box_label", format_func=display_name
        )
        width, height = canvas_size(case.case.width, case.case.height)
        restored = (
            canvas_objects(saved, width, height, stroke=attempts.LEARNER.hex, fill=LEARNER_FILL)
            if saved is not None
            else None
        )
        result = st_canvas(
            background_image=canvas_background(case.case.id, case.image_bytes(), (width, height)),
            drawing_mode="labeled_rect",
            label=chip(label),
            width=width,
            height=height,
            stroke_width=2,
            stroke_color=attempts.LEARNER.hex,
            fill_color="rgba(0, 192, 242, 0.12)",
            font_size=13,
            initial_drawing=restored,
            key=f"canvas_{work_key}",
        )
        drawing = read_drawing(result.json_data, width, height)
        drawn = ", ".join(display_name(b.label) for b in drawing.boxes) or "none"
        st.caption(f"{len(drawing.boxes)} box(es) drawn: {drawn}")
        for problem in drawing.problems:
            st.warning(problem)
    with text_column:
        draft = st.text_area(
            "Draft impression",
            key=draft_key,
            height=180,
            placeholder="e.g. Small right pleural effusion. No pneumothorax.",
        )
        submitted = st.button(
            "Submit", type="primary", key=f"submit_{work_key}", icon=":material/send:"
        )
    return Work(draft, drawing, submitted)


def submit(
    engine: Engine,
    case: LoadedCase,
    work: Work,
    readers: Readers,
    *,
    work_key: str,
    participant_id: int,
    session_id: int | None,
    mode: Literal["session", "quiz"],
    position: int | None,
    opened_at: datetime,
    time_limit_s: int | None = None,
) -> int | None:
    """Score and store the answer; the stored attempt's id, or None (the reason is shown)."""
    submission_id = st.session_state["submission_ids"].setdefault(
        work_key, attempts.new_submission_id()
    )
    try:
        feedback = attempts.score_attempt(case, work.draft, work.drawing.boxes, readers)
    except AuditorError as error:
        st.error(plain(str(error)))
        return None
    data = attempts.attempt_data(
        feedback,
        submission_id=submission_id,
        participant_id=participant_id,
        session_id=session_id,
        mode=mode,
        position=position,
        opened_at=opened_at,
        submitted_at=now(),
        time_limit_s=time_limit_s,
    )
    try:
        stored = attempts.submit(engine, data)
    except SQLAlchemyError:
        st.error("Your answer could not be saved just now. Press Submit again: it is kept once.")
        return None
    if stored.reason == "session_closed":
        st.error("The instructor has closed this session, so this answer was not stored.")
        return None
    if stored.reason == "already_answered":
        st.info("You had already submitted this case: your first answer is the one kept.")
    return stored.attempt_id


def _score_panel(score: BoxScore, title: str) -> None:
    st.markdown(f"#### {title}")
    st.metric("Box score (found findings, 0 to 1)", f"{score.score:.2f}")
    st.caption(
        f"{score.hits} found · {score.misses} missed · {score.side_errors} wrong side · "
        f"{score.over_calls} over-called"
        + (f" · {score.unscored} not judged" if score.unscored else "")
    )
    if not score.outcomes:
        st.success("Nothing to box on this film, and you boxed nothing: correct.")
    for outcome in score.outcomes:
        badge = KIND_BADGES[outcome.kind] if outcome.scored else ":gray-background[not judged]"
        st.markdown(f"{badge} **{display_name(outcome.label)}** · {plain(outcome.explanation)}")
    wrong = sorted({o.label for o in score.outcomes if o.kind in ("miss", "side_error")})
    for label in wrong:
        st.caption(f"Tip, {display_name(label)}: {tip(label)}")


def _image_panel(feedback: attempts.Feedback, case: LoadedCase) -> None:
    left, middle, right = st.columns(3)
    show_reference = left.checkbox("Reference boxes", key="show_reference_boxes")
    show_model = middle.checkbox(
        "Model boxes", key="show_model_boxes", disabled=feedback.model is None
    )
    show_learner = right.checkbox("Your boxes", key="show_learner_boxes")
    boxes = attempts.overlay_boxes(
        feedback,
        show_reference=show_reference,
        show_model=show_model,
        show_learner=show_learner,
    )
    picture = cache.picture(case.image_bytes(), case.case.id)
    image = overlay.draw(picture.image, boxes)
    st.image(
        image,
        caption="Reference boxes numbered and coloured by their flag (violet urgent, red "
        "missing, blue wrong side, green agreed) · orange dashed: model read · cyan: your boxes",
        width="stretch",
    )


def feedback_panel(feedback: attempts.Feedback, case: LoadedCase) -> None:
    """Everything the learner sees after submitting: audit, box scores, the three box sets; then
    the teaching points and the image's source (after the result on a phone too)."""
    numbered = auditing.numbered_flags(feedback.audit.flags)
    image_column, text_column = st.columns([6, 5], gap="large")
    with image_column:
        _image_panel(feedback, case)
    with text_column:
        st.markdown("#### Your draft, audited")
        results.readers_line(feedback.audit)
        results.flags_panel(numbered, feedback.audit)
        results.notes_panel(feedback.audit)
        results.draft_panel(feedback.audit, numbered, ALL_FLAGS)
        _score_panel(feedback.reference, "Your boxes against the reference read")
        if feedback.model is None:
            st.caption("No model read: no model server is configured for this app.")
        elif feedback.model.score is None:
            st.warning(
                f"The model's read failed, so your boxes are not compared with it: "
                f"{plain(feedback.model.problem or 'unknown reason')}"
            )
        else:
            _score_panel(feedback.model.score, "Your boxes against the model's read")
            st.caption(f"Model read by: {plain(feedback.model.reader)}")
    # Below both columns, so that on a phone (columns stacked) the result comes first.
    results.case_panel(case, audited=True)
