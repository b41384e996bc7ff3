"""Shared by the session and quiz pages (not a page itself): answering one case, and its feedback.

``work_area`` is the answering screen: the case image on a ``labeled_rect`` canvas that fills its
column (zoom and pan controls, touch and pen drawing), the finding picker with no default, a list of
the drawn boxes with a finding chooser and a Delete button each, the draft and the Submit button
(held back while a box has no finding); nothing about the answer is shown. ``submit`` scores and
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

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.labels import POSITIVE_LABELS, display_name
from cxr_auditor.core.score_boxes import BoxOutcome, BoxScore, tip
from cxr_auditor.db.store import now
from cxr_auditor.serving.readers import Readers
from cxr_auditor.ui.components.touch_canvas import touch_canvas
from cxr_auditor.ui.services import attempts, auditing, overlay
from cxr_auditor.ui.services import canvas as drawing_service
from cxr_auditor.ui.services.canvas import DrawingRead, canvas_size, chip, read_drawing
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.services.seat_drafts import SavedWork
from cxr_auditor.ui.services.state import ALL_FLAGS
from cxr_auditor.ui.views import cache, results
from cxr_auditor.ui.views.session_common import canvas_background, stored_model_read

KIND_BADGE_COLOURS = {"hit": "green", "miss": "red", "side_error": "blue", "over_call": "orange"}


def _badge(outcome: BoxOutcome) -> str:
    """The outcome's verdict as a badge: the same word its box carries on the image."""
    colour = KIND_BADGE_COLOURS[outcome.kind] if outcome.scored else "gray"
    return f":{colour}-background[{attempts.verdict(outcome)}]"


@dataclass(frozen=True)
class Work:
    draft: str
    drawing: DrawingRead
    submitted: bool


ZOOMS = {"Fit": 1.0, "1.5×": 1.5, "2×": 2.0, "3×": 3.0}
LEARNER_FILL = "rgba(255, 225, 77, 0.12)"  # the learner yellow, faint


def _canvas_key(work_key: str) -> str:
    """The canvas's key: a Delete or a label choice re-creates it under the next version."""
    version = st.session_state.get(f"canvas_version_{work_key}", 0)
    return f"canvas_{work_key}" if version == 0 else f"canvas_{work_key}_v{version}"


def _redraw(work_key: str, drawing: dict) -> None:
    """Show ``drawing`` on a fresh canvas (after a Delete or a label choice in the box list)."""
    st.session_state[f"drawing_{work_key}"] = drawing
    st.session_state[f"canvas_version_{work_key}"] = (
        st.session_state.get(f"canvas_version_{work_key}", 0) + 1
    )
    st.rerun()


def _frame_style(zoom: float, pan: bool, width: int, height: int) -> None:
    """CSS custom properties the canvas reads inside its shadow root (see touch_canvas/fit.css)."""
    frame = "min(80vh, 100vw)" if zoom > 1 else "none"
    st.html(
        "<style>.st-key-cxr_canvas_frame{"
        f"--cxr-zoom:{zoom};--cxr-aspect:{width}/{height};--cxr-frame-height:{frame};"
        f"--cxr-draw:{'none' if pan else 'auto'}}}</style>"
    )


def _box_list(drawing: DrawingRead, raw: dict | None, work_key: str) -> None:
    """Every drawn box with its finding chooser and a Delete button (works without hover)."""
    version = st.session_state.get(f"canvas_version_{work_key}", 0)
    for drawn in drawing.drawn:
        where = drawing_service.where(drawn.box) if drawn.box is not None else "stray click"
        name, choose, delete = st.columns([3, 4, 3], vertical_alignment="center")
        name.markdown(f"**Box {drawn.number}** · {where}")
        choice = choose.selectbox(
            f"Finding of box {drawn.number}",
            POSITIVE_LABELS,
            index=POSITIVE_LABELS.index(drawn.label) if drawn.label is not None else None,
            format_func=display_name,
            placeholder="Choose its finding",
            key=f"box_{work_key}_v{version}_{drawn.number}",
            label_visibility="collapsed",
        )
        if delete.button(
            f"Delete box {drawn.number}",
            key=f"delete_{work_key}_v{version}_{drawn.number}",
            icon=":material/delete:",
        ):
            _redraw(work_key, drawing_service.without_object(raw, drawn.index))
        if choice is not None and choice != drawn.label:
            _redraw(work_key, drawing_service.relabelled(raw, drawn.index, choice))


def drawing_region(case: LoadedCase, work_key: str) -> DrawingRead:
    """The finding picker, the zoomable canvas and the list of drawn boxes."""
    label = st.selectbox(
        "Finding to box",
        POSITIVE_LABELS,
        index=None,
        key="box_label",
        format_func=display_name,
        placeholder="Choose the finding, then draw its box",
    )
    st.caption(
        f"New boxes are labelled **{display_name(label)}**."
        if label is not None
        else "No finding chosen: a box drawn now waits for its finding in the list under the image."
    )
    # One above the other: side by side, the four zoom buttons and the switch are cut off in a
    # narrow image column (a 1024 px window).
    zoom_column = pan_column = st.container()
    zoom = ZOOMS[
        zoom_column.segmented_control(
            "Zoom", list(ZOOMS), default="Fit", key=f"zoom_{work_key}", width="stretch"
        )
        or "Fit"
    ]
    pan = pan_column.toggle(
        "Move view",
        key=f"pan_{work_key}",
        help="While on, a drag scrolls the page or moves the zoomed image instead of drawing a "
        "box (touch screens); switch it off to draw.",
    )
    width, height = canvas_size(case.case.width, case.case.height)
    background = canvas_background(case.case.id, case.image_bytes(), (width, height))
    with st.container(key="cxr_canvas_frame"):
        _frame_style(zoom, pan, width, height)
        raw, _fit = touch_canvas(
            background_url=drawing_service.data_url(background),
            width=width,
            height=height,
            label=chip(label) if label is not None else "",
            stroke_color=attempts.LEARNER.hex,
            fill_color=LEARNER_FILL,
            stroke_width=3,
            font_size=18,
            initial_drawing=st.session_state.get(f"drawing_{work_key}"),
            key=_canvas_key(work_key),
        )
    drawing = read_drawing(raw, width, height)
    st.caption(
        f"{len(drawing.boxes)} box(es) drawn: "
        + (", ".join(display_name(b.label) for b in drawing.boxes) or "none")
        + (f", plus {len(drawing.unlabelled)} without a finding yet" if drawing.unlabelled else "")
    )
    _box_list(drawing, raw, work_key)
    for problem in drawing.problems:
        st.warning(problem)
    return drawing


def work_area(case: LoadedCase, work_key: str, saved: SavedWork | None = None) -> Work:
    """The answering screen for one case; ``work_key`` names its canvas, draft and button.

    ``saved`` is the work a session seat had saved (a reload, another device): its draft fills the
    text area and its boxes are drawn on the canvas, once per tab; it must stay the same object
    across reruns, so the canvas is not reset while the learner draws.
    """
    draft_key = f"draft_{work_key}"
    if saved is not None and draft_key not in st.session_state:
        st.session_state[draft_key] = saved.draft
    drawing_key = f"drawing_{work_key}"
    if saved is not None and saved.findings and drawing_key not in st.session_state:
        width, height = canvas_size(case.case.width, case.case.height)
        st.session_state[drawing_key] = drawing_service.drawing_from_boxes(
            saved.findings, width, height, stroke=attempts.LEARNER.hex, fill=LEARNER_FILL
        )
    with st.expander("How to answer", expanded=False):
        st.markdown(read_content("attempt_instructions.md"))
    image_column, text_column = st.columns([7, 5], gap="large")
    with image_column:
        drawing = drawing_region(case, work_key)
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
        if submitted and drawing.unlabelled:
            numbers = ", ".join(map(str, drawing.unlabelled))
            st.error(
                f"Box {numbers} has no finding yet: choose its finding in the list under the "
                "image, or delete it. Nothing was submitted."
            )
            submitted = False
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
    st.session_state["scroll_to_feedback"] = True
    return stored.attempt_id


# The page keeps its scroll position across a rerun, so a learner who pressed Submit at the foot of
# a long answer page (a phone) would land on the feedback's last lines. Scrolled once, per submit.
_SCROLL_TO_TOP = (
    '<div id="cxr-feedback-top"></div><script>requestAnimationFrame(() => document'
    '.getElementById("cxr-feedback-top")?.scrollIntoView({block: "start"}))</script>'
)


def scroll_to_feedback_once() -> None:
    """Put the page's top here, once after a submit (call it above the feedback's heading)."""
    if st.session_state.get("scroll_to_feedback"):
        st.session_state["scroll_to_feedback"] = False
        st.html(_SCROLL_TO_TOP, unsafe_allow_javascript=True)


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
        which = (
            f" *(your box {outcome.learner_index + 1})*"
            if outcome.learner_index is not None
            else ""
        )
        st.markdown(
            f"{_badge(outcome)} **{display_name(outcome.label)}** · "
            f"{plain(outcome.explanation)}{which}"
        )
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
        caption="Solid lines: reference boxes, numbered and coloured by their flag (violet "
        "urgent, red missing, blue wrong side, green agreed) · dashed orange: the model's read · "
        "dotted yellow, drawn just outside: your boxes, with the verdict each got",
        width="stretch",
        output_format="JPEG",
    )


def feedback_panel(feedback: attempts.Feedback, case: LoadedCase) -> None:
    """Everything the learner sees after submitting: audit, box scores, the three box sets; then
    the teaching points and the image's source (after the result on a phone too)."""
    stored = stored_model_read(case.case.id) if feedback.model is None else None
    if stored is not None:
        feedback = attempts.with_stored_read(feedback, stored.reader, stored.findings)
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
            st.caption(
                "No model read for this case: none is stored (an instructor can store one with "
                "cxr-auditor cases model-reads) and no model server is configured for this app."
            )
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
