"""The case editor driven by AppTest: the instructor key, an upload, boxes injected into the canvas
by key, save, the case in the catalogue and the sessions page, edit, delete, bad input, bundles.
"""

from __future__ import annotations

import pytest
from apptest_support import box, drawing, instructor_page, page_text, teaching_database
from authored_support import authored_case, film
from streamlit.testing.v1 import AppTest
from test_dicom import PHI_VALUES, make_dicom

from cxr_auditor.authoring.bundles import export_bundle
from cxr_auditor.core.case_format import load_library
from cxr_auditor.db import case_store
from cxr_auditor.ui.services.canvas import CANVAS_WIDTH

KEY = "editor-key-91c2"
SQUARE = film(CANVAS_WIDTH, CANVAS_WIDTH, fmt="PNG")  # its canvas is the apptest_support box scale


@pytest.fixture
def database(tmp_path, monkeypatch):
    return teaching_database(tmp_path, monkeypatch, "editor.sqlite3", KEY)


def page(name: str = "editor", key: str | None = KEY) -> AppTest:
    return instructor_page(name, key)


def text(at: AppTest) -> str:
    return page_text(at, ("title", "markdown", "caption", "error", "warning", "info", "success"))


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, data: bytes, name: str = "scan.png") -> AppTest:
    case_id = at.session_state["editor_case_id"]
    at.file_uploader(key=f"editor_upload_{case_id}").set_value((name, data, "image/png"))
    return run(at)


def draw(at: AppTest, *objects: dict) -> AppTest:
    """Boxes on the editor's canvas (of a square image, 768 px: ``apptest_support.box``'s scale)."""
    case_id = at.session_state["editor_case_id"]
    version = at.session_state[f"canvas_version_editor_{case_id}"]
    key = f"canvas_editor_{case_id}" if version == 0 else f"canvas_editor_{case_id}_v{version}"
    at.session_state[key] = drawing(*objects)
    return run(at)


def fill(at: AppTest, **values) -> AppTest:
    for key, value in values.items():
        at.text_input(key=f"editor_{key}").input(value)
    return run(at)


def save(at: AppTest) -> AppTest:
    at.button(key="editor_save").click()
    return run(at)


def catalogue_ids() -> set[str]:
    from cxr_auditor.ui.views import cache

    return {loaded.case.id for loaded in cache.catalogue().cases}


def test_without_the_key_the_editor_refuses(database):
    at = page(key=None)
    assert "This page is for instructors" in text(at)
    assert not [u for u in at.get("file_uploader")]
    at.text_input(key="instructor_key_input").input("guess")
    next(b for b in at.button if b.label == "Unlock").click()
    at = run(at)
    assert "That is not the instructor key." in text(at)
    assert not [b for b in at.button if b.key == "editor_save"]


def test_an_instructor_writes_a_case_and_a_session_can_use_it(database):
    at = page()
    at = upload(at, SQUARE)
    assert "Check the image before you save it" in text(at)
    at = draw(
        at, box("pneumothorax", 0.1, 0.1, 0.5, 0.3), box("pleural_effusion", 0.6, 0.7, 0.9, 0.95)
    )
    assert "2 box(es) drawn: Pneumothorax, Pleural effusion" in text(at)
    at = fill(at, title="Breathless after a fall")
    at.checkbox(key="editor_complete").check()
    at.text_area(key="editor_points").input("Look at the apex.\nBlunted costophrenic angle.")
    at = fill(
        at,
        source_name="Teaching file, test hospital",
        license="CC BY 4.0",
        attribution="Dr. Test",
        indication="Fall, chest pain",
    )
    at = save(at)
    assert "Saved Breathless after a fall. Sessions, the quiz and the audit page offer it now." in (
        text(at)
    )
    (stored,), _ = case_store.list_cases(database)
    case = stored.case
    assert case.id.startswith("local-") and case.reference_complete
    assert [(r.label, [round(v, 3) for v in r.box_2d]) for r in case.reference] == [
        ("pneumothorax", [0.1, 0.1, 0.5, 0.3]),
        ("pleural_effusion", [0.6, 0.7, 0.9, 0.95]),
    ]
    assert case.teaching_points == ["Look at the apex.", "Blunted costophrenic angle."]
    assert case.history is not None and case.history.indication == "Fall, chest pain"
    assert case.original.file == "instructor upload (PNG)"  # never the upload's own name
    assert case.id in catalogue_ids()
    sessions_page = page("session_instructor")
    picker = sessions_page.multiselect(key="new_session_cases")
    assert any(o.startswith(case.title) for o in picker.options)


def test_a_case_without_its_licence_is_saved_as_a_draft_that_sessions_do_not_offer(database):
    at = page()
    at = upload(at, SQUARE)
    at = draw(at, box("nodule_mass", 0.2, 0.2, 0.3, 0.3))
    at = fill(at, title="Week 2, case 1", source_name="Own file")
    at = save(at)
    assert "It is a draft: sessions can use it once it has a licence, attribution." in text(at)
    (stored,), _ = case_store.list_cases(database)
    assert stored.case.id not in catalogue_ids()
    at = fill(at, license="CC BY 4.0", attribution="Dr. Test")  # edit: the same case, finished
    at = save(at)
    assert "offer it now" in text(at)
    assert [s.case.id for s in case_store.list_cases(database)[0]] == [stored.case.id]
    assert stored.case.id in catalogue_ids()  # no restart: the catalogue follows the table


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("nothing", "Not saved: Upload the image first"),
        ("no title", "Not saved: Give the case a title"),
        ("no box", "Not saved: Draw at least one labelled box"),
        ("unlabelled box", "has no finding yet: choose it under the image. Nothing was saved."),
    ],
)
def test_bad_input_is_one_line_and_nothing_typed_is_lost(database, step, message):
    at = page()
    if step != "nothing":
        at = upload(at, SQUARE)
    if step in ("no title", "unlabelled box"):
        at = draw(at, box("nodule_mass", 0.2, 0.2, 0.3, 0.3) | {"label": ""})
        if step == "no title":
            at = draw(at, box("nodule_mass", 0.2, 0.2, 0.3, 0.3))
    at = fill(at, source_name="Own file", attribution="Dr. Test")
    if step != "no title":
        at = fill(at, title="Week 2, case 1")
    at = save(at)
    (error,) = at.error
    assert message in error.value and "\n" not in error.value
    assert at.text_input(key="editor_source_name").value == "Own file"
    assert case_store.list_cases(database)[0] == []


def test_a_title_that_names_the_finding_is_warned_about(database):
    at = fill(page(), title="Right pneumothorax")
    assert "The title names Pneumothorax" in text(at)


def test_a_bad_upload_says_why_and_keeps_the_form(database):
    at = fill(page(), title="Week 2, case 1")
    at = upload(at, b"Impression: no acute findings", "notes.png")
    assert "This file cannot be used" in at.error[0].value
    assert at.text_input(key="editor_title").value == "Week 2, case 1"


def burned_in_dicom() -> bytes:
    import io

    import pydicom

    dataset = pydicom.dcmread(io.BytesIO(make_dicom()))
    dataset.BurnedInAnnotation = "YES"
    out = io.BytesIO()
    dataset.save_as(out, enforce_file_format=True)
    return out.getvalue()


def test_a_dicom_with_burned_in_text_is_warned_about_and_no_header_is_kept(database):
    data = burned_in_dicom()
    at = upload(page(), data, "patient.dcm")
    assert "The DICOM header says text is burned into this image" in text(at)
    image = at.session_state["editor_image"]
    kept = repr(image.original) + text(at)
    assert not [value for value in PHI_VALUES if value in kept]
    assert "patient.dcm" not in kept


def test_a_stored_case_is_edited_exported_and_deleted(database):
    case = authored_case("local-edit01")
    case_store.save_case(database, case, film())
    at = page()
    at.selectbox(key="editor_pick").set_value("local-edit01")
    at = run(at)
    assert at.text_input(key="editor_title").value == case.title
    assert "2 box(es) drawn: Pneumothorax, Pleural effusion" in text(at)
    (download,) = at.get("download_button")
    assert download.proto.label.startswith("Download the saved case as a bundle")
    at.checkbox(key="editor_confirm_delete").check()
    at = run(at)
    at.button(key="editor_delete").click()
    at = run(at)
    assert "The case was deleted." in text(at)
    assert case_store.list_cases(database)[0] == []


def test_a_bundle_is_imported_from_the_page_and_a_bad_one_is_refused(database):
    case = authored_case("local-import1")
    at = page()
    at.file_uploader(key="editor_bundle").set_value(
        ("case.zip", export_bundle(case, film()), "application/zip")
    )
    at = run(at)
    at.button(key="editor_import").click()
    at = run(at)
    assert "Imported Breathless after a fall as local-import1." in text(at)
    assert case_store.load_case(database, "local-import1").case == case
    at.file_uploader(key="editor_bundle").set_value(("bad.zip", b"not a zip", "application/zip"))
    at = run(at)
    at.button(key="editor_import").click()
    at = run(at)
    assert "Not imported: the bundle: not a readable zip file" in text(at)
    assert len(case_store.list_cases(database)[0]) == 1


def test_bundled_cases_are_still_all_in_the_catalogue(database):
    page()
    assert {c.case.id for c in load_library().cases} <= catalogue_ids()


def test_a_replaced_image_under_the_same_id_is_not_served_from_the_cache():
    from cxr_auditor.ui.views.library_common import thumbnail
    from cxr_auditor.ui.views.session_common import canvas_background

    first, second = film(seed=1), film(seed=2)
    assert canvas_background("local-same", first, (64, 64)) != canvas_background(
        "local-same", second, (64, 64)
    )
    assert thumbnail("local-same", first) != thumbnail("local-same", second)
