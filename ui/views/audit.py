"""Audit page: pick a case or upload an image, write a draft, audit it, see and export the flags.

Thin by design: one function per screen region, each returning what the next needs; every decision
is made in ``ui/services/`` or ``core/``. The image column is kept separate so that the learner's
box-drawing canvas can take its place later.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from core.errors import AuditorError
from core.labels import display_name
from core.reference import load_reference
from core.schemas import AuditResult, Finding
from ui.views import cache
from ui.services import auditing, export, overlay, readers as reader_service
from ui.services.cases import LoadedCase, library_root
from ui.services.content import read_content
from ui.services.dicom import Window
from ui.services.highlight import highlight, spans_for
from ui.services.images import ImageError
from ui.services.palette import FLAG_COLOURS
from ui.services.readers import MODEL, REFERENCE, Readers
from ui.services.state import ALL_FLAGS, LIBRARY, UPLOAD
from ui.services.upload import UPLOAD_TYPES, Picture, png_bytes, rewindow


def header(readers: Readers) -> None:
    st.title("Audit a draft impression")
    with st.expander("How the audit works", expanded=False):
        st.markdown(read_content("audit_instructions.md"))
    if readers.mode == "triton":
        state = "ready" if readers.ready else f"not ready ({readers.problem})"
        st.caption(f"Readers: model server at {readers.url}, {state}. Draft: LLM parser (falls back "
                   "to rules by itself); image: model grounder.")
    else:
        st.caption("Readers: embedded default. Draft: rule parser; image: the case's reference read.")
    if readers.problem and readers.mode == "embedded":
        st.warning(readers.problem)


def choose_source() -> str:
    return st.radio("Image", [LIBRARY, UPLOAD], key="source", horizontal=True)


def pick_case() -> LoadedCase | None:
    library = cache.library(str(library_root()))
    if library.problems:
        with st.expander(f"{len(library.problems)} case folder(s) could not be loaded"):
            for problem in library.problems:
                st.text(problem)
    if not library.cases:
        st.error(f"No usable cases in {library.root}. Build some with `cxr-auditor cases import`.")
        return None
    ids = [loaded.case.id for loaded in library.cases]
    if st.session_state["case_id"] not in ids:
        st.session_state["case_id"] = ids[0]
    titles = {loaded.case.id: loaded.case.title for loaded in library.cases}
    chosen = st.selectbox("Case", ids, key="case_id", format_func=lambda i: titles[i])
    return library.get(chosen)


def case_picture(loaded: LoadedCase) -> Picture | None:
    try:
        return cache.picture(loaded.image_bytes(), loaded.case.id)
    except (OSError, ImageError) as error:
        st.error(f"The image of case {loaded.case.id} cannot be shown: {error}")
        return None


def upload_image() -> Picture | None:
    uploaded = st.file_uploader("Chest X-ray (PNG, JPEG or DICOM, up to 50 MB)",
                                type=list(UPLOAD_TYPES), key="upload")
    st.caption(read_content("upload_notes.md"))
    if uploaded is None:
        return None
    name = f"uploaded file{Path(uploaded.name).suffix.lower()}"  # the name itself may identify
    try:
        return cache.picture(uploaded.getvalue(), name)
    except ImageError as error:
        st.error(f"This file cannot be used: {error}")
        return None


def dicom_window(picture: Picture) -> Picture:
    """Window/level sliders for a DICOM upload (keyed per image); other pictures pass through."""
    if picture.dicom is None:
        return picture
    dicom, tag = picture.dicom, picture.digest[:12]
    low, high = dicom.value_range
    span = max(high - low, 1.0)
    step = 1.0 if span > 50 else span / 100
    with st.expander("DICOM window / level", expanded=True):
        center = st.slider("Window center (level)", low, low + span,
                           min(max(dicom.default_window.center, low), low + span), step=step,
                           key=f"wl_center_{tag}")
        width = st.slider("Window width", step, span * 2,
                          min(max(dicom.default_window.width, step), span * 2), step=step,
                          key=f"wl_width_{tag}")
        facts = ", ".join(f"{k} {v}" for k, v in dicom.info.items())
        inverted = " MONOCHROME1: shown inverted (white = dense)." if dicom.monochrome1 else ""
        st.caption(f"{facts}.{inverted}")
    return rewindow(picture, Window(center, width))


def upload_reference(readers: Readers) -> list[Finding] | None:
    if readers.backend is None:
        st.info(read_content("no_image_reader.md"))
    uploaded = st.file_uploader("Reference read (optional JSON)", type=["json"],
                                key="reference_upload")
    if uploaded is None:
        return None
    try:
        return load_reference(uploaded.getvalue().decode("utf-8", errors="replace"),
                              where="the reference read")
    except AuditorError as error:
        st.error(f"The reference read cannot be used: {error}")
        return None


def draft_input() -> str:
    return st.text_area("Draft impression", key="draft", height=160,
                        placeholder="e.g. Small right pleural effusion. No pneumothorax.")


def audit_controls(readers: Readers, has_reference: bool) -> tuple[str | None, bool]:
    choices = readers.image_choices(has_reference)
    choice = None
    if len(choices) > 1:
        labels = {MODEL: "model grounder", REFERENCE: "reference read"}
        if st.session_state["image_read_choice"] not in choices:
            st.session_state["image_read_choice"] = choices[0]
        choice = st.radio("Image read for the audit", choices, key="image_read_choice",
                          format_func=labels.get, horizontal=True)
    elif choices:
        choice = choices[0]
    clicked = st.button("Audit", type="primary", key="run_audit", icon=":material/fact_check:")
    return choice, clicked


def run(readers: Readers, draft: str, picture: Picture, choice: str | None,
        reference: list[Finding] | None, case: LoadedCase | None) -> None:
    """Check the draft, then run the audit inside a visible status; keep the result in state."""
    try:
        auditing.check_draft(draft)
    except AuditorError as error:
        st.error(str(error))
        return
    started = time.perf_counter()
    with st.status("Auditing the draft…", expanded=True) as status:
        st.write("Reading the image…")
        image_bytes = case.image_bytes() if case is not None else png_bytes(picture.image)
        complete = case.case.reference_complete if case is not None else True
        name = f"case {case.case.id}" if case is not None else "uploaded reference read"
        image = reader_service.image_read(readers, choice or REFERENCE, reference=reference,
                                          reference_name=name, reference_complete=complete,
                                          image_bytes=image_bytes)
        st.write("Reading the draft and comparing…")
        try:
            result = auditing.audit(draft, image, readers.draft_reader(), picture.digest)
        except AuditorError as error:
            status.update(label="The audit could not run", state="error")
            st.error(str(error))
            return
        seconds = time.perf_counter() - started
        status.update(label=f"Audit complete: {len(result.flags)} flag(s) in {seconds:.2f} s",
                      state="complete", expanded=False)
    st.session_state["last_audit"] = auditing.AuditView(
        result, auditing.input_key(picture.digest, draft, choice),
        case.case.id if case is not None else None, picture.kind, seconds)
    st.session_state["focus"] = ALL_FLAGS


def readers_line(result: AuditResult) -> None:
    st.caption(f"Image read by: {reader_service.describe(result.grounder)} · "
               f"draft read by: {reader_service.describe(result.parser)}")
    for identity in (result.grounder, result.parser):
        if identity.fallback_reason:
            st.warning(f"The {identity.role} fell back to {identity.kind}: {identity.fallback_reason}")


def focus_picker(numbered: list[auditing.NumberedFlag]) -> int:
    names = {ALL_FLAGS: "all flags"}
    names.update({n.number: f"{n.number} · {n.flag.kind} · {display_name(n.flag.label)}"
                  for n in numbered})
    if st.session_state["focus"] not in names:
        st.session_state["focus"] = ALL_FLAGS
    return st.selectbox("Show on the image and in the draft", list(names), key="focus",
                        format_func=names.get)


def flags_panel(numbered: list[auditing.NumberedFlag]) -> None:
    if not numbered:
        st.success("No flags: the draft and the image read agree on the five findings this tool "
                   "checks.")
        return
    for kind, flags in auditing.grouped(numbered):
        colour = FLAG_COLOURS[kind].streamlit
        st.markdown(f"#### :{colour}[{auditing.GROUP_TITLES[kind]}]")
        for item in flags:
            flag = item.flag
            phrases = ", ".join(f'"{m.text}"' for m in flag.mentions if m.text) or "no phrase"
            boxes = len([f for f in flag.findings if f.box is not None])
            where = f"{boxes} box(es) on the image" if boxes else "no box"
            st.markdown(f":{colour}-background[**{item.number} · {flag.kind}**] "
                        f"**{display_name(flag.label)}**" + (f" ({flag.reason})" if flag.reason else "")
                        + f" · draft: {phrases} · {where}")
            st.caption(flag.explanation)


def notes_panel(result: AuditResult) -> None:
    for note in result.notes:
        if note.kind in ("DRAFT_NOT_EVALUATED", "IMAGE_NOT_EVALUATED"):
            st.warning(f"**Degraded pass.** {note.explanation}")
        elif note.kind == "REFERENCE_INCOMPLETE":
            st.info(f"**Reference may be incomplete.** {note.explanation}")
        else:
            st.info(f"**Hedge.** {note.explanation}")


def draft_panel(result: AuditResult, numbered: list[auditing.NumberedFlag], focus: int) -> None:
    st.markdown("**Your draft, as read**")
    st.html(highlight(result.draft, spans_for(result, numbered, focus or None)))


def box_toggles(result: AuditResult, reference_layer: list[Finding]) -> tuple[bool, bool]:
    sources = {f.source for f in result.findings} | ({"reference"} if reference_layer else set())
    left, right = st.columns(2)
    show_reference = left.checkbox("Reference boxes", key="show_reference",
                                   disabled="reference" not in sources)
    show_model = right.checkbox("Model boxes", key="show_model", disabled="model" not in sources)
    return show_reference, show_model


def image_panel(picture: Picture, view: auditing.AuditView | None, numbered: list, focus: int,
                reference_layer: list[Finding], provenance: dict) -> None:
    if view is None:
        st.image(picture.image, caption=f"{picture.kind}, {picture.original_size[0]}×"
                 f"{picture.original_size[1]} px", width="stretch")
        return
    show_reference, show_model = box_toggles(view.result, reference_layer)
    boxes = overlay.boxes_for(view.result, numbered, show_reference=show_reference,
                              show_model=show_model, reference_layer=reference_layer,
                              focus=focus or None)
    annotated = overlay.draw(picture.image, boxes)
    st.image(annotated, caption="Boxes: violet urgent · red missing · blue wrong side · "
             "orange unsupported · green agreed; dashed = model, grey = reference layer",
             width="stretch")
    export_panel(view.result, annotated, provenance)


def export_panel(result: AuditResult, annotated, provenance: dict) -> None:
    left, right = st.columns(2)
    left.download_button("Export audit (JSON)", export.audit_json(result, provenance),
                         file_name="cxr_audit.json", mime="application/json", key="export_json",
                         on_click="ignore", icon=":material/download:")
    right.download_button("Export image (PNG)", export.annotated_png(annotated, provenance),
                          file_name="cxr_audit.png", mime="image/png", key="export_png",
                          on_click="ignore", icon=":material/download:")


def case_panel(loaded: LoadedCase, audited: bool) -> None:
    case = loaded.case
    if audited and case.teaching_points:
        st.markdown("**Teaching points**")
        st.markdown("\n".join(f"- {point}" for point in case.teaching_points))
    scope = "complete within its scope" if case.reference_complete else "may be incomplete"
    st.caption(f"Reference read {scope}: {case.source.reference_scope}")
    st.caption(f"Source: {case.source.name}. License: {case.source.license} "
               f"Attribution: {case.source.attribution}")


def main() -> None:
    readers = cache.readers(reader_service.triton_url())
    header(readers)
    source = choose_source()
    case, reference = None, None
    if source == LIBRARY:
        case = pick_case()
        picture = case_picture(case) if case is not None else None
        reference = case.case.findings() if case is not None else None
    else:
        picture = upload_image()
        picture = dicom_window(picture) if picture is not None else None
        if picture is not None:
            reference = upload_reference(readers)
    if picture is None:
        st.info("Pick a case or upload an image to start.")
        st.stop()

    image_column, draft_column = st.columns([5, 6], gap="large")
    with draft_column:
        draft = draft_input()
        choice, clicked = audit_controls(readers, reference is not None)
        if clicked:
            run(readers, draft, picture, choice, reference, case)
        view = st.session_state["last_audit"]
        current = auditing.input_key(picture.digest, draft, choice)
        if view is not None and view.input_key != current:
            st.info("The image or the draft changed since the last audit: press Audit to update.")
            view = None
        numbered = auditing.numbered_flags(view.result.flags) if view else []
        focus = ALL_FLAGS
        if view is not None:
            readers_line(view.result)
            focus = focus_picker(numbered) if numbered else ALL_FLAGS
            flags_panel(numbered)
            notes_panel(view.result)
            draft_panel(view.result, numbered, focus)
    provenance = export.provenance(case.case if case else None, picture.kind)
    uses_model = view is not None and view.result.grounder.kind == "model"
    reference_layer = reference if (uses_model and reference) else []
    with image_column:
        image_panel(picture, view, numbered, focus, reference_layer, provenance)
        if case is not None:
            case_panel(case, audited=view is not None)


main()
