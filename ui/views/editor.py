"""Case editor page (instructors): write a teaching case, edit or delete it, share it as a bundle.

Refuses without the instructor key. The instructor picks a stored case or starts a new one, uploads
the image (PNG, JPEG or DICOM; only pixels are kept), boxes and labels the findings on the same
canvas learners answer on, says whether the read is complete, and fills in the history, teaching
points, a neutral title and the source, licence and attribution. Save, delete, export and import
go through ``db.case_store`` and ``authoring.bundles``; a refused action says why in one line and
leaves everything typed and drawn in place.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from cxr_auditor.authoring.bundles import (
    bundle_name,
    export_bundle,
    read_bundle,
    why_not_exported,
)
from cxr_auditor.core.authored import (
    missing_for_use,
    new_case_id,
    own_source,
    title_findings,
)
from cxr_auditor.core.case_format import Case, LoadedCase
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.labels import NO_FINDING
from cxr_auditor.db import case_store
from cxr_auditor.serving.image_files import ImageError
from cxr_auditor.serving.upload import UPLOAD_TYPES
from cxr_auditor.ui.services import attempts, plain_errors
from cxr_auditor.ui.services import canvas as drawing_service
from cxr_auditor.ui.services.case_editing import (
    EDITOR_DEFAULTS,
    FORM_KEYS,
    SEXES,
    CaseImage,
    EditorForm,
    build_case,
    case_image,
    form_of,
    stored_image,
    upload_name,
)
from cxr_auditor.ui.services.content import read_content
from cxr_auditor.ui.services.highlight import plain
from cxr_auditor.ui.views.session_attempt import LEARNER_FILL, drawing_region
from cxr_auditor.ui.views.session_common import (
    engine,
    init_teaching_state,
    instructor_gate,
    run_guarded,
)

DUPLICATE_CHOICES = {"Refuse it": "refuse", "Import it under a new id": "new-id"}


def init_editor_state() -> None:
    for key, value in EDITOR_DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = list(value) if isinstance(value, list) else value
    if st.session_state["editor_case_id"] is None:
        st.session_state["editor_case_id"] = new_case_id()


def _work_key(case_id: str) -> str:
    return f"editor_{case_id}"


def _show_boxes(case_id: str, image: CaseImage, findings: list) -> None:
    """Draw ``findings`` (normalized) on a fresh canvas for the case's image."""
    work_key = _work_key(case_id)
    width, height = drawing_service.canvas_size(image.width, image.height)
    st.session_state[f"drawing_{work_key}"] = drawing_service.drawing_from_boxes(
        findings, width, height, stroke=attempts.LEARNER.hex, fill=LEARNER_FILL
    )
    version = f"canvas_version_{work_key}"
    st.session_state[version] = st.session_state.get(version, 0) + 1


def _start(db: Engine, case_id: str | None) -> None:
    """Fill the editor with a stored case, or empty it for a new one (before any widget runs)."""
    form, author, image, findings = EditorForm(), "", None, []
    if case_id is not None:
        loaded = case_store.load_case(db, case_id)
        form, image = form_of(loaded.case), stored_image(loaded.case, loaded.image_bytes())
        findings = [f for f in loaded.case.findings() if f.label != NO_FINDING]
        stored = {s.case.id: s for s in case_store.list_cases(db)[0]}.get(case_id)
        author = (stored.author or "") if stored is not None else ""
    case_id = case_id or new_case_id()
    st.session_state["editor_case_id"] = case_id
    st.session_state["editor_image"] = image
    st.session_state["editor_boxes"] = findings
    st.session_state["editor_author"] = author
    st.session_state["editor_confirm_delete"] = False
    for field, key in FORM_KEYS.items():
        st.session_state[key] = getattr(form, field)
    if image is not None:
        _show_boxes(case_id, image, findings)


def _new_case(db: Engine) -> None:
    st.session_state["editor_pick"] = None
    _start(db, None)


def pick_case(db: Engine) -> None:
    """The stored cases, newest change first, and 'New case'."""
    pending = st.session_state.pop("editor_open_next", "none")
    if pending != "none":  # a save, import or delete in the last run chose what to show
        st.session_state["editor_pick"] = pending
        _start(db, pending)
    stored, problems = case_store.list_cases(db)
    labels = {s.case.id: _choice(s) for s in stored}
    if st.session_state["editor_pick"] not in labels:
        st.session_state["editor_pick"] = None
    st.selectbox(
        "Case to edit",
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        key="editor_pick",
        placeholder="A new case (or choose a stored one)",
        on_change=lambda: _start(db, st.session_state["editor_pick"]),
    )
    st.button(
        "Start a new case",
        key="editor_new",
        icon=":material/add:",
        on_click=_new_case,
        args=(db,),
    )
    for problem in problems:
        st.warning(f"A stored case cannot be read: {plain(problem)}")


def _choice(stored: case_store.StoredCase) -> str:
    missing = stored.missing
    state = "ready for sessions" if not missing else f"draft: needs {', '.join(missing)}"
    return f"{stored.case.title} · {state} · {stored.case.id}"


def image_region(case_id: str) -> CaseImage | None:
    uploaded = st.file_uploader(
        "Image (PNG, JPEG or DICOM)", type=list(UPLOAD_TYPES), key=f"editor_upload_{case_id}"
    )
    if uploaded is not None and st.session_state["editor_upload_seen"] != (
        case_id,
        uploaded.name,
        uploaded.size,
    ):
        try:
            made = case_image(uploaded.getvalue(), upload_name(uploaded.name))
        except ImageError as error:
            st.error(plain(f"This file cannot be used: {plain_errors.upload_error(str(error))}"))
        else:
            st.session_state["editor_upload_seen"] = (case_id, uploaded.name, uploaded.size)
            st.session_state["editor_image"] = made
            _show_boxes(case_id, made, st.session_state["editor_boxes"])  # boxes are normalized
    image = st.session_state["editor_image"]
    if image is not None and image.burned_in:
        st.warning(read_content("editor_burned_in.md"), icon=":material/warning:")
    st.info(read_content("editor_identifying.md"), icon=":material/visibility:")
    return image


def drawing_area(case_id: str, image: CaseImage) -> list:
    """The canvas (the answer page's), one box per finding, each with its label chosen."""
    preview = Case(
        id=f"{case_id}.{image.sha256[:12]}",  # the canvas background is cached per image
        title="(being written)",
        image="image.jpg",
        width=image.width,
        height=image.height,
        original=image.original,
        reference=[],
        reference_complete=False,
        source=own_source(name="", license="", attribution=""),
    )
    drawn = drawing_region(LoadedCase(preview, None, image.data), _work_key(case_id))
    st.session_state["editor_boxes"] = drawn.boxes
    return drawn.unlabelled


def details() -> EditorForm:
    """Title, completeness, history, teaching points, source: every widget keyed in state."""
    title = st.text_input("Title (neutral: it must not give the answer away)", key="editor_title")
    named = title_findings(title)
    if named:
        st.warning(
            f"The title names {', '.join(named)}: learners would read the answer in it. "
            "Use a neutral title, e.g. 'Breathless after a fall'."
        )
    st.checkbox(
        "The reference read is complete: every finding on this film is boxed (leave unticked "
        "if you boxed only some)",
        key="editor_complete",
    )
    st.markdown("**History** (what the requesting clinician would say; nothing identifying)")
    age, sex, view = st.columns(3)
    age.number_input("Age in years (90 for 90 and over)", 0, 90, key="editor_age", step=1)
    sex.selectbox("Sex", SEXES, index=None, key="editor_sex", placeholder="Not given")
    view.text_input("View", key="editor_view", max_chars=40, placeholder="e.g. PA, AP supine")
    st.text_input("Indication", key="editor_indication", max_chars=300)
    st.text_area("Teaching points, one per line", key="editor_points", height=120)
    st.markdown("**Source** (a session may use the case once these three are filled in)")
    st.text_input("Where the image comes from", key="editor_source_name")
    st.text_input("Licence or permission", key="editor_license")
    st.text_input("Attribution (as it must be shown)", key="editor_attribution")
    st.text_input("Link (optional)", key="editor_url")
    st.text_input("What the reference read covers", key="editor_scope")
    st.checkbox(
        "This case may be shared outside this app (bundles)",
        key="editor_shareable",
        help="Tick only if the licence allows others to copy the image.",
    )
    st.text_input("Your name or initials (shown beside the case here)", key="editor_author")
    state = st.session_state
    return EditorForm(**{field: state[key] for field, key in FORM_KEYS.items()})


def save(db: Engine, case_id: str, form: EditorForm, image: CaseImage | None, unlabelled) -> None:
    if not st.button("Save case", type="primary", key="editor_save", icon=":material/save:"):
        return
    if unlabelled:
        numbers = ", ".join(map(str, unlabelled))
        st.error(f"Box {numbers} has no finding yet: choose it under the image. Nothing was saved.")
        return
    try:
        case = build_case(case_id, form, image, st.session_state["editor_boxes"])
        assert image is not None  # build_case refuses a missing image
        case_store.save_case(db, case, image.data, author=st.session_state["editor_author"])
    except AuditorError as error:
        st.error(f"Not saved: {plain(str(error))}")
        return
    missing = missing_for_use(case)
    st.session_state["editor_notice"] = f"Saved {case.title}. " + (
        "Sessions, the quiz and the audit page offer it now."
        if not missing
        else f"It is a draft: sessions can use it once it has a {', '.join(missing)}."
    )
    st.session_state["editor_open_next"] = case.id
    st.rerun()


def delete(db: Engine, case_id: str) -> None:
    left, right = st.columns(2, vertical_alignment="bottom")
    sure = left.checkbox("Yes, delete this case", key="editor_confirm_delete")
    if right.button(
        "Delete case", key="editor_delete", icon=":material/delete:", disabled=not sure
    ):
        try:
            case_store.delete_case(db, case_id)
        except AuditorError as error:
            st.error(f"Not deleted: {plain(str(error))}")
            return
        st.session_state["editor_notice"] = "The case was deleted."
        st.session_state["editor_open_next"] = None
        st.rerun()


def export(db: Engine, case_id: str) -> None:
    loaded = case_store.load_case(db, case_id)
    refusal = why_not_exported(loaded.case)
    if refusal is not None:
        st.caption(f"No bundle: {plain(refusal)}")
        return
    st.download_button(  # the zip is built on a click, not on every rerun of the editor
        "Download the saved case as a bundle (.zip)",
        lambda: export_bundle(loaded.case, loaded.image_bytes()),
        file_name=bundle_name(loaded.case),
        mime="application/zip",
        key="editor_export",
        on_click="ignore",
        icon=":material/download:",
    )


def import_bundle(db: Engine) -> None:
    uploaded = st.file_uploader("Import a bundle (.zip)", type=["zip"], key="editor_bundle")
    st.radio("If its id is already here", list(DUPLICATE_CHOICES), key="editor_duplicate")
    if not st.button("Import bundle", key="editor_import", disabled=uploaded is None):
        return
    assert uploaded is not None
    try:
        bundle = read_bundle(uploaded.getvalue(), "the bundle")
        stored = case_store.save_imported(
            db,
            bundle.case,
            bundle.image,
            on_duplicate=DUPLICATE_CHOICES[st.session_state["editor_duplicate"]],
            author=st.session_state["editor_author"],
        )
    except AuditorError as error:
        st.error(f"Not imported: {plain(str(error))}")
        return
    st.session_state["editor_notice"] = f"Imported {stored.case.title} as {stored.case.id}."
    st.session_state["editor_open_next"] = stored.case.id
    st.rerun()


def main() -> None:
    init_teaching_state(st.session_state)
    init_editor_state()
    st.title("Case editor")
    st.markdown(read_content("editor_intro.md"))
    instructor_gate()
    db = engine()
    pick_case(db)
    notice = st.session_state.pop("editor_notice", None)
    if notice:
        st.success(plain(notice))
    case_id = st.session_state["editor_case_id"]
    stored = case_store.case_exists(db, case_id)
    st.caption(f"Case id {case_id}" + ("" if stored else " (not saved yet)"))
    image_column, form_column = st.columns([7, 5], gap="large")
    with image_column:
        image = image_region(case_id)
        unlabelled = drawing_area(case_id, image) if image is not None else []
    with form_column:
        form = details()
        save(db, case_id, form, image, unlabelled)
        if stored:
            delete(db, case_id)
    st.divider()
    st.markdown("#### Share cases")
    if stored:
        export(db, case_id)
    import_bundle(db)


run_guarded(main)
