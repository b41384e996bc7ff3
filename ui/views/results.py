"""Audit page, results regions: flags by severity, notes, marked draft, boxed image, exports.

Not a page itself: ``ui/views/audit.py`` calls these after an audit. One function per screen
region; every decision is made in ``ui/services/`` or ``core/``.
"""

from __future__ import annotations

import streamlit as st
from PIL import Image

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.compare import phrase_of
from cxr_auditor.core.labels import display_name
from cxr_auditor.core.schemas import AuditResult, Finding
from cxr_auditor.serving import readers as reader_service
from cxr_auditor.serving.upload import Picture
from cxr_auditor.ui.services import auditing, export, overlay
from cxr_auditor.ui.services.highlight import highlight, plain, spans_for
from cxr_auditor.ui.services.palette import FLAG_COLOURS
from cxr_auditor.ui.services.state import ALL_FLAGS


def readers_line(result: AuditResult) -> None:
    st.caption(
        f"Image read by: {plain(reader_service.describe(result.grounder))} · "
        f"draft read by: {plain(reader_service.describe(result.parser))}"
    )
    for identity in (result.grounder, result.parser):
        if identity.fallback_reason:
            st.warning(
                f"The {identity.role} fell back to {identity.kind}: "
                + plain(identity.fallback_reason)
            )


def focus_picker(numbered: list[auditing.NumberedFlag]) -> int:
    names = {ALL_FLAGS: "all flags"}
    names.update(
        {
            n.number: f"{n.number} · {auditing.badge(n.flag)} · {display_name(n.flag.label)}"
            for n in numbered
        }
    )
    if st.session_state["focus"] not in names:
        st.session_state["focus"] = ALL_FLAGS
    return st.selectbox(
        "Show on the image and in the draft",
        list(names),
        key="focus",
        format_func=names.__getitem__,
    )


def flags_panel(numbered: list[auditing.NumberedFlag], result: AuditResult | None = None) -> None:
    if not numbered:
        if result is not None and auditing.not_compared(result):
            st.info(
                "No flags could be raised: the draft was not compared with an image read "
                "(see the note below), so this is not a sign that the draft is right."
            )
        else:
            st.success(
                "No flags: the draft and the image read agree on the five findings this tool "
                "checks."
            )
        return
    for kind, flags in auditing.grouped(numbered):
        colour = FLAG_COLOURS[kind].streamlit
        st.markdown(f"#### :{colour}[{auditing.GROUP_TITLES[kind]}]")
        for item in flags:
            flag = item.flag
            phrases = (
                ", ".join(f'"{plain(phrase_of(m))}"' for m in flag.mentions if m.text)
                or "no phrase"
            )
            boxes = len([f for f in flag.findings if f.box is not None])
            where = f"{boxes} box(es) on the image" if boxes else "no box"
            st.markdown(
                f":{colour}-background[**{item.number} · {auditing.badge(flag)}**] "
                f"**{display_name(flag.label)}**"
                + (f" ({flag.reason})" if flag.reason else "")
                + f" · draft: {phrases} · {where}"
            )
            st.caption(plain(flag.explanation))


def notes_panel(result: AuditResult) -> None:
    for note in result.notes:
        if note.kind in ("DRAFT_NOT_EVALUATED", "IMAGE_NOT_EVALUATED"):
            st.warning(f"**Degraded pass.** {plain(note.explanation)}")
        elif note.kind == "REFERENCE_INCOMPLETE":
            st.info(f"**Reference may be incomplete.** {plain(note.explanation)}")
        else:
            st.info(f"**Hedge.** {plain(note.explanation)}")


def draft_panel(result: AuditResult, numbered: list[auditing.NumberedFlag], focus: int) -> None:
    st.markdown("**Your draft, as read**")
    st.html(highlight(result.draft, spans_for(result, numbered, focus or None)))


def box_toggles(result: AuditResult, reference_layer: list[Finding]) -> tuple[bool, bool]:
    sources = {f.source for f in result.findings} | ({"reference"} if reference_layer else set())
    left, right = st.columns(2)
    show_reference = left.checkbox(
        "Reference boxes", key="show_reference", disabled="reference" not in sources
    )
    show_model = right.checkbox("Model boxes", key="show_model", disabled="model" not in sources)
    return show_reference, show_model


def image_panel(
    picture: Picture,
    view: auditing.AuditView | None,
    numbered: list[auditing.NumberedFlag],
    focus: int,
    reference_layer: list[Finding],
    provenance: dict,
) -> None:
    if view is None:
        st.image(
            picture.image,
            caption=f"{picture.kind}, {picture.original_size[0]}×{picture.original_size[1]} px",
            width="stretch",
            output_format="JPEG",
        )
        return
    show_reference, show_model = box_toggles(view.result, reference_layer)
    boxes = overlay.boxes_for(
        view.result,
        numbered,
        show_reference=show_reference,
        show_model=show_model,
        reference_layer=reference_layer,
        focus=focus or None,
    )
    annotated = overlay.draw(picture.image, boxes)
    st.image(
        annotated,
        caption="Boxes: violet urgent · red missing · blue wrong side · "
        "orange unsupported · green agreed; dashed = model, grey = reference layer",
        width="stretch",
        output_format="JPEG",
    )
    export_panel(view.result, annotated, provenance)


def export_panel(result: AuditResult, annotated: Image.Image, provenance: dict) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Export audit (JSON)",
        export.audit_json(result, provenance),
        file_name="cxr_audit.json",
        mime="application/json",
        key="export_json",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        "Export image (PNG)",
        export.annotated_png(annotated, provenance),
        file_name="cxr_audit.png",
        mime="image/png",
        key="export_png",
        on_click="ignore",
        icon=":material/download:",
    )


def case_panel(loaded: LoadedCase, audited: bool) -> None:
    case = loaded.case
    if audited and case.teaching_points:
        st.markdown("**Teaching points**")
        st.markdown("\n".join(f"- {point}" for point in case.teaching_points))
    scope = "complete within its scope" if case.reference_complete else "may be incomplete"
    with st.expander(f"Image source: {case.source.name} ({case.source.license})"):
        st.caption(f"Reference read {scope}: {case.source.reference_scope}")
        st.caption(
            f"Source: {case.source.name}. License: {case.source.license} "
            f"Attribution: {case.source.attribution}"
        )
