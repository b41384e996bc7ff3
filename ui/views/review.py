"""Room review page (instructors, for the projector): one session case at a time, every learner's
boxes drawn together by finding, their drafts (anonymous unless names are shown), the counts, and
the reference and the model's read hidden until one click reveals them. Refuses without the key.

Thin: the answers and counts come from ``ui.services.review`` (the outcomes stored with each
attempt, added up), stored model reads from ``db.model_reads``; this page lays them out.
"""

from __future__ import annotations

import html

import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.labels import POSITIVE_LABELS, display_name
from cxr_auditor.db.model_reads import StoredRead, latest_read, save_read
from cxr_auditor.db.store import SessionInfo
from cxr_auditor.serving.readers import describe, triton_url
from cxr_auditor.ui.services import overlay, review, sessions
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.services.palette import AGREED, FLAG_COLOURS, LABEL_COLOURS, MODEL
from cxr_auditor.ui.views import cache
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    instructor_gate,
    library,
    run_guarded,
)

NO_MODEL_READ = (
    "No model read stored for this case (run cxr-auditor cases model-reads --triton-url URL "
    "--cases {case_id})."
)
FLAG_WORDS = {
    "MISSING": "missed",
    "UNSUPPORTED": "over-called",
    "LATERALITY": "wrong side",
    "URGENT": "urgent, not reported",
}


def header() -> None:
    st.title("Room review")
    with st.expander("How the room review works"):  # closed: the film must fit a projector
        st.markdown(read_content("room_review_intro.md"))


def session_picker(db: Engine) -> SessionInfo:
    every = sessions.all_sessions(db)
    if not every:
        st.info("No sessions yet: create one on the Teaching sessions page.")
        st.stop()
    names = {
        info.id: f"{sessions.format_code(info.code)} · {info.title} · "
        f"{'open' if info.is_open else 'closed'}"
        for info in every
    }
    if st.session_state["room_session"] not in names:
        st.session_state["room_session"] = every[0].id
    chosen = st.selectbox(
        "Session",
        list(names),
        key="room_session",
        format_func=names.__getitem__,
        on_change=st.session_state.update,
        kwargs={"room_case": 0},  # another session starts at its first case
    )
    return next(info for info in every if info.id == chosen)


def _move(delta: int, total: int) -> None:
    st.session_state["room_case"] = review.step(st.session_state["room_case"], delta, total)


def case_stepper(info: SessionInfo) -> int:
    """Previous / "Case 2 of 4" / Next; the index of the case on show (moved before drawing, so
    the buttons' enabled state matches the case shown)."""
    total = len(info.case_ids)
    index = st.session_state["room_case"] = review.step(st.session_state["room_case"], 0, total)
    left, middle, right = st.columns([2, 3, 2], vertical_alignment="center")
    left.button(
        "Previous case",
        icon=":material/arrow_back:",
        disabled=index == 0,
        on_click=_move,
        args=(-1, total),
    )
    right.button(
        "Next case",
        icon=":material/arrow_forward:",
        disabled=index >= total - 1,
        on_click=_move,
        args=(1, total),
    )
    middle.subheader(review.position_text(index, total))
    return index


def controls() -> tuple[bool, bool, list[str]]:
    names, numbers = st.columns(2)
    show_names = names.checkbox("Show names", key="room_names")
    number_boxes = numbers.checkbox("Number each box", key="room_numbers")
    chosen = st.multiselect(
        "Findings drawn (none chosen: all)",
        POSITIVE_LABELS,
        key="room_labels",
        format_func=display_name,
    )
    return show_names, number_boxes, list(chosen or POSITIVE_LABELS)


def reveal_button(info: SessionInfo, case_id: str) -> bool:
    """One click shows the reference (and the model's read) to the room; one hides it again."""
    key = f"{info.id}:{case_id}"
    revealed = key in st.session_state["room_revealed"]
    if not revealed and st.button(
        "Reveal the reference to the room", type="primary", icon=":material/visibility:"
    ):
        st.session_state["room_revealed"] = [*st.session_state["room_revealed"], key]
        st.rerun()
    if revealed and st.button("Hide the reference", icon=":material/visibility_off:"):
        st.session_state["room_revealed"] = [
            k for k in st.session_state["room_revealed"] if k != key
        ]
        st.rerun()
    return revealed


def legend(labels: list[str], revealed: bool, model: StoredRead | None) -> None:
    swatch = (
        '<span style="display:inline-block;width:1.6em;border-top:3px {style} {colour};'
        'margin:0 .35em .25em 0;vertical-align:middle"></span>{name}'
    )
    items = [
        swatch.format(
            style="dotted", colour=LABEL_COLOURS[label].hex, name=html.escape(display_name(label))
        )
        for label in labels
    ]
    if revealed:
        items.append(swatch.format(style="solid", colour=AGREED.hex, name="reference"))
        if model is not None:
            items.append(swatch.format(style="dashed", colour=MODEL.hex, name="model"))
    st.html(
        '<div style="display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.95rem">'
        + "".join(f"<span>{item}</span>" for item in items)
        + "</div>"
    )


def image_panel(
    case: LoadedCase,
    answers: list[review.Answer],
    numbers: dict[int, str],
    labels: list[str],
    number_boxes: bool,
    revealed: bool,
    model: StoredRead | None,
) -> None:
    boxes = review.room_boxes(answers, numbers, labels, caption_each=number_boxes)
    if revealed:
        boxes += review.reference_boxes(case.case.findings(), labels)
        if model is not None:
            boxes += review.model_boxes(model.findings, labels)
    picture = cache.picture(case.image_bytes(), case.case.id)
    st.image(
        overlay.draw(picture.image, boxes),
        caption="Dotted: the learners' boxes, coloured by finding"
        + (" · solid green: the reference · dashed orange: the model's read" if revealed else ""),
        width="stretch",
        output_format="JPEG",
    )
    legend(labels, revealed, model)


def counts_panel(answers: list[review.Answer], case: LoadedCase, revealed: bool) -> None:
    counts = review.in_play(review.label_counts(answers), case.case.findings() if revealed else [])
    if not revealed:  # only what learners drew: a row for an unboxed finding would give it away
        boxed = [c for c in counts if c.boxed_by]
        st.markdown("**What the room boxed**")
        if boxed:
            st.dataframe(
                [{"finding": c.finding, "learners who boxed it": c.boxed_by} for c in boxed],
                hide_index=True,
            )
        else:
            st.caption("Nobody has drawn a box on this case yet.")
        return
    st.markdown("**Boxes against the reference** and **findings in the drafts**")
    # One column per finding, one row per count: narrow enough for the column beside the film.
    rows = ["boxed by"] + [f"boxes {w}" for w in counts[0].boxes] if counts else []
    rows += [f"drafts {w}" for w in counts[0].drafts] if counts else []
    st.dataframe(
        [
            {"count": row}
            | {
                c.finding: (
                    c.boxed_by
                    if row == "boxed by"
                    else c.boxes[row.removeprefix("boxes ")]
                    if row.startswith("boxes ")
                    else c.drafts[row.removeprefix("drafts ")]
                )
                for c in counts
            }
            for row in rows
        ],
        hide_index=True,
    )


def model_panel(db: Engine, case: LoadedCase, revealed: bool, model: StoredRead | None) -> None:
    if model is None:
        st.caption(NO_MODEL_READ.format(case_id=case.case.id))
        live_read(db, case)
        return
    if not revealed:
        st.caption("A model read is stored for this case: it is shown with the reference.")
        return
    found = ", ".join(display_name(f.label) for f in model.findings) or "nothing"
    st.markdown(f"**Model read** ({plain(model.reader)}): {plain(found)}")
    st.caption(
        f"Read {model.read_at:%Y-%m-%d %H:%M} UTC by the server at {plain(model.server_url)}."
    )


def live_read(db: Engine, case: LoadedCase) -> None:
    """With a model server configured, read this case now and store the read."""
    readers = cache.readers(triton_url())
    if readers.backend is None:
        return
    if not st.button("Ask the model server to read this case now", icon=":material/smart_toy:"):
        return
    answer = readers.backend.image_read(case.image_bytes())
    if answer.error is not None:
        st.warning(f"The model's read failed: {plain(answer.error)}")
        return
    save_read(
        db,
        case_id=case.case.id,
        findings=answer.findings,
        model_name=answer.identity.name,
        model_version=answer.identity.version,
        server_url=readers.url or "",
    )
    st.success(f"Read stored ({plain(describe(answer.identity))}).")
    st.rerun()


def drafts_panel(
    answers: list[review.Answer], numbers: dict[int, str], show_names: bool, revealed: bool
) -> None:
    st.markdown(f"**Drafts** ({len(answers)})")
    for answer in answers:
        line = (
            f"**{plain(review.shown_name(answer, numbers, show_names))}** · {plain(answer.draft)}"
        )
        st.markdown(line)
        if not revealed:
            continue
        flags = review.flags_of(answer)
        st.markdown(
            " ".join(
                f":{FLAG_COLOURS[f.kind].streamlit}-background[{FLAG_WORDS[f.kind]}: "
                f"{display_name(f.label)}]"
                for f in flags
            )
            or ":green-background[no flags]"
        )


def main() -> None:
    init_teaching_state(st.session_state)
    header()
    instructor_gate()
    db = engine()
    picker, stepper = st.columns([2, 3], vertical_alignment="bottom")
    with picker:
        info = session_picker(db)
    if not info.case_ids:
        st.info("This session has no cases.")
        st.stop()
    with stepper:
        index = case_stepper(info)
    case_id = info.case_ids[index]
    try:
        case = library().get(case_id)
    except AuditorError as error:
        st.error(plain(str(error)))
        st.stop()
    answers = review.room_answers(db, info.id, case_id)
    numbers = review.learner_numbers(review.joining_order(db, info.id))
    model = latest_read(db, case_id)
    # The film first and at the top (a projector shows one screen); everything else beside it.
    image_column, text_column = st.columns([5, 6], gap="large")
    with text_column:
        st.markdown(f"### {plain(case.case.title)}")
        st.caption(
            f"{len(answers)} of {len(numbers)} learner(s) have submitted this case"
            + (" (the session is open: Refresh for newer answers)" if info.is_open else "")
        )
        if info.is_open:
            st.button("Refresh", icon=":material/refresh:")
        revealed = reveal_button(info, case_id)
        show_names, number_boxes, labels = controls()
        counts_panel(answers, case, revealed)
        model_panel(db, case, revealed, model)
        drafts_panel(answers, numbers, show_names, revealed)
    with image_column:
        image_panel(case, answers, numbers, labels, number_boxes, revealed, model)


run_guarded(main)
