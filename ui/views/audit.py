"""Audit page: pick a case or upload an image, write a draft, audit it, see and export the flags.

Thin by design: one function per screen region, each returning what the next needs; every decision
is made in ``ui/services/`` or ``core/``. The input regions are here, the result regions in
``ui/views/results.py``. The image column is its own region so that the learner's box-drawing
canvas can take its place later.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.reference import load_reference
from cxr_auditor.core.schemas import Finding
from cxr_auditor.serving import readers as reader_service
from cxr_auditor.serving.dicom import Window
from cxr_auditor.serving.image_files import ImageError
from cxr_auditor.serving.readers import MODEL, REFERENCE, Readers
from cxr_auditor.serving.upload import UPLOAD_TYPES, Picture, png_bytes, rewindow
from cxr_auditor.ui.services import auditing, export, plain_errors
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.services.state import ALL_FLAGS, LIBRARY, UPLOAD
from cxr_auditor.ui.views import cache, results
from cxr_auditor.ui.views.session_common import locked_cases

# An uploaded file's name may identify the patient ("Doe_Jane.dcm"): the uploader does not show it.
HIDE_FILE_NAMES = '<style>[data-testid="stFileChipName"] { display: none; }</style>'


def header(readers: Readers) -> None:
    st.title("Audit a draft impression")
    with st.expander("How the audit works", expanded=False):
        st.markdown(read_content("audit_instructions.md"))
    if readers.mode == "triton":
        ready, reason = cache.status(readers.url)
        st.caption(
            f"Readers: model server at {plain(readers.url or '')}. Draft: LLM parser (falls "
            "back to rules by itself); image: model grounder."
        )
        if not ready:
            st.warning(
                f"The model server is not ready: {plain(reason)}. Audits will say which reader "
                "stood in or failed."
            )
    else:
        st.caption(
            "Readers: embedded default. Draft: rule parser; image: the case's reference "
            "read (for an upload, a reference read you add)."
        )
    if readers.problem and readers.mode == "embedded":
        st.warning(plain(readers.problem))


def choose_source() -> str:
    return st.radio("Image", [LIBRARY, UPLOAD], key="source", horizontal=True)


def pick_case() -> LoadedCase | None:
    library = cache.catalogue()
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
        st.error(plain(f"The image of case {loaded.case.id} cannot be shown: {error}"))
        return None


def upload_image() -> Picture | None:
    st.html(HIDE_FILE_NAMES)
    uploaded = st.file_uploader(
        "Chest X-ray (PNG, JPEG or DICOM, up to 50 MB)", type=list(UPLOAD_TYPES), key="upload"
    )
    st.caption(read_content("upload_notes.md"))
    if uploaded is None:
        return None
    name = f"uploaded file{Path(uploaded.name).suffix.lower()}"  # the name itself may identify
    try:
        return cache.picture(uploaded.getvalue(), name)
    except ImageError as error:
        st.error(plain(f"This file cannot be used: {plain_errors.upload_error(str(error))}"))
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
        center = st.slider(
            "Window center (level)",
            low,
            low + span,
            min(max(dicom.default_window.center, low), low + span),
            step=step,
            key=f"wl_center_{tag}",
        )
        width = st.slider(
            "Window width",
            step,
            span * 2,
            min(max(dicom.default_window.width, step), span * 2),
            step=step,
            key=f"wl_width_{tag}",
        )
        facts = ", ".join(f"{k} {v}" for k, v in dicom.info.items())
        inverted = " MONOCHROME1: shown inverted (white = dense)." if dicom.monochrome1 else ""
        st.caption(f"{facts}.{inverted}")
    return rewindow(picture, Window(center, width))


def upload_reference(readers: Readers) -> list[Finding] | None:
    if readers.backend is None:
        st.info(read_content("no_image_reader.md"))
    uploaded = st.file_uploader(
        "Reference read (optional JSON)", type=["json"], key="reference_upload"
    )
    if uploaded is None:
        return None
    try:
        return load_reference(
            uploaded.getvalue().decode("utf-8", errors="replace"), where="the reference read"
        )
    except AuditorError as error:
        st.error(
            plain("The reference read cannot be used: " + plain_errors.reference_error(str(error)))
        )
        return None


def draft_input() -> str:
    return st.text_area(
        "Draft impression",
        key="draft",
        height=160,
        placeholder="e.g. Small right pleural effusion. No pneumothorax.",
    )


def audit_controls(readers: Readers, has_reference: bool) -> tuple[str | None, bool]:
    choices = readers.image_choices(has_reference)
    choice = None
    if len(choices) > 1:
        labels = {MODEL: "model grounder", REFERENCE: "reference read"}
        if st.session_state["image_read_choice"] not in choices:
            st.session_state["image_read_choice"] = choices[0]
        choice = st.radio(
            "Image read for the audit",
            choices,
            key="image_read_choice",
            format_func=labels.get,
            horizontal=True,
        )
    elif choices:
        choice = choices[0]
    clicked = st.button("Audit", type="primary", key="run_audit", icon=":material/fact_check:")
    return choice, clicked


def run(
    readers: Readers,
    draft: str,
    picture: Picture,
    choice: str | None,
    reference: list[Finding] | None,
    case: LoadedCase | None,
) -> None:
    """Check the draft, then run the audit inside a visible status; keep the result in state."""
    try:
        auditing.check_draft(draft)
    except AuditorError as error:
        st.error(plain(str(error)))
        return
    started = time.perf_counter()
    with st.status("Auditing the draft…", expanded=True) as status:
        st.write("Reading the image…")
        image_bytes = case.image_bytes() if case is not None else png_bytes(picture.image)
        complete = case.case.reference_complete if case is not None else True
        name = f"case {case.case.id}" if case is not None else "uploaded reference read"
        image = reader_service.image_read(
            readers,
            choice or REFERENCE,
            reference=reference,
            reference_name=name,
            reference_complete=complete,
            image_bytes=image_bytes,
        )
        st.write("Reading the draft and comparing…")
        try:
            result = auditing.audit(draft, image, readers.draft_reader(), picture.digest)
        except AuditorError as error:
            status.update(label="The audit could not run", state="error")
            st.error(plain(str(error)))
            return
        seconds = time.perf_counter() - started
        status.update(
            label=f"Audit complete: {len(result.flags)} flag(s) in {seconds * 1000:.0f} ms",
            state="complete",
            expanded=False,
        )
    st.session_state["last_audit"] = auditing.AuditView(
        result,
        auditing.input_key(picture.digest, draft, choice),
        case.case.id if case is not None else None,
        picture.kind,
        seconds,
    )
    st.session_state["focus"] = ALL_FLAGS


def main() -> None:
    readers = cache.readers(reader_service.triton_url())
    header(readers)
    source = choose_source()
    case, reference = None, None
    if source == LIBRARY:
        case = pick_case()
        if case is not None and case.case.id in locked_cases():
            st.info(read_content("answers_locked.md"))
            st.stop()
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
            results.readers_line(view.result)
            focus = results.focus_picker(numbered) if numbered else ALL_FLAGS
            results.flags_panel(numbered, view.result)
            results.notes_panel(view.result)
            results.draft_panel(view.result, numbered, focus)
    provenance = export.provenance(case.case if case else None, picture.kind)
    uses_model = view is not None and view.result.grounder.kind == "model"
    reference_layer = reference if (uses_model and reference) else []
    with image_column:
        results.image_panel(picture, view, numbered, focus, reference_layer, provenance)
    if case is not None:  # below both columns: after the result on a phone too
        results.case_panel(case, audited=view is not None)


main()
