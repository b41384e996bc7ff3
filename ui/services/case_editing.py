"""The case editor's work (not a page): an upload made into a case image, the form made into a case.

``case_image`` decodes a PNG, JPEG or DICOM upload (``serving.upload``/``serving.dicom``: only the
pixels leave a DICOM file) and re-encodes it web-sized as the bundled cases are
(``authoring.build.web_image``: JPEG, 768 px on the long side); it says whether the DICOM header
marks text burned into the pixels. The upload's file name is never kept (it may name the patient).
``EditorForm`` holds what the instructor typed; ``build_case`` turns it, the image and the drawn
boxes into a ``Case`` with one-line errors for anything missing; ``form_of`` fills the form back
from a stored case. ``EDITOR_DEFAULTS`` are the page's session-state keys and starting values.
Storing is ``db.case_store``; nothing here renders.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cxr_auditor.authoring.build import DEFAULT_MAX_SIDE, DEFAULT_QUALITY, IMAGE_NAME, web_image
from cxr_auditor.core.authored import (
    DEFAULT_SCOPE,
    AuthoredCaseError,
    check_case,
    own_source,
    reference_of,
)
from cxr_auditor.core.case_format import Case, History, Original
from cxr_auditor.core.schemas import Finding
from cxr_auditor.serving.upload import decode_upload

SEXES = ("female", "male")
EDITOR_DEFAULTS: dict[str, Any] = {
    "editor_case_id": None,  # the case being written (a fresh local- id, or a stored one)
    "editor_image": None,  # its CaseImage, or None before an upload
    "editor_upload_seen": None,  # (name, size) of the upload already made into the image
    "editor_boxes": [],  # the boxes drawn at the last run, normalized (kept across an image swap)
    "editor_pick": None,  # selectbox: the stored case to edit (None: a new case)
    "editor_title": "",
    "editor_age": None,
    "editor_sex": None,
    "editor_view": "",
    "editor_indication": "",
    "editor_points": "",  # teaching points, one per line
    "editor_complete": False,
    "editor_source_name": "",
    "editor_license": "",
    "editor_attribution": "",
    "editor_url": "",
    "editor_scope": DEFAULT_SCOPE,
    "editor_shareable": False,
    "editor_author": "",
    "editor_confirm_delete": False,
    "editor_duplicate": "Refuse it",  # radio: a bundle whose id is already stored
}
FORM_KEYS = {
    "title": "editor_title",
    "age": "editor_age",
    "sex": "editor_sex",
    "view": "editor_view",
    "indication": "editor_indication",
    "points": "editor_points",
    "complete": "editor_complete",
    "source_name": "editor_source_name",
    "license": "editor_license",
    "attribution": "editor_attribution",
    "url": "editor_url",
    "scope": "editor_scope",
    "shareable": "editor_shareable",
}


@dataclass(frozen=True)
class CaseImage:
    """A case's web-sized JPEG, its size, where it came from, and whether text is burned in."""

    data: bytes
    width: int
    height: int
    original: Original
    burned_in: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class EditorForm:
    title: str = ""
    age: int | None = None
    sex: str | None = None
    view: str = ""
    indication: str = ""
    points: str = ""
    complete: bool = False
    source_name: str = ""
    license: str = ""
    attribution: str = ""
    url: str = ""
    scope: str = DEFAULT_SCOPE
    shareable: bool = False


def case_image(data: bytes, name: str) -> CaseImage:
    """An upload as a case image; ImageError (one line) when it cannot be used."""
    picture = decode_upload(data, name)  # checks and decodes; DICOM header fields are dropped
    jpeg, width, height, original_w, original_h = web_image(
        data, name, DEFAULT_MAX_SIDE, DEFAULT_QUALITY
    )
    burned = picture.dicom is not None and (
        picture.dicom.info.get("BurnedInAnnotation", "").strip().upper() == "YES"
    )
    original = Original(
        dataset="local",
        file=f"instructor upload ({picture.kind})",  # never the file's own name
        width=original_w,
        height=original_h,
        sha256=picture.digest,  # of the pixels for DICOM: its header is never hashed or stored
    )
    return CaseImage(jpeg, width, height, original, burned)


def stored_image(case: Case, data: bytes) -> CaseImage:
    return CaseImage(data, case.width, case.height, case.original)


def _history(form: EditorForm) -> History | None:
    history = History(
        age=form.age,
        sex=form.sex if form.sex in SEXES else None,  # type: ignore[arg-type]
        view=form.view.strip() or None,
        indication=" ".join(form.indication.split()) or None,
    )
    return history if history.line() else None


def build_case(
    case_id: str, form: EditorForm, image: CaseImage | None, boxes: list[Finding]
) -> Case:
    """The case the form describes; AuthoredCaseError naming what is missing or wrong."""
    if image is None:
        raise AuthoredCaseError("Upload the image first (PNG, JPEG or DICOM).")
    title = " ".join(form.title.split())
    if not title:
        raise AuthoredCaseError("Give the case a title (one that does not name the finding).")
    reference = reference_of(boxes, form.complete)
    if not reference:
        raise AuthoredCaseError(
            "Draw at least one labelled box, or tick 'The reference read is complete' for a "
            "film with no finding."
        )
    try:
        case = Case(
            id=case_id,
            title=title,
            image=IMAGE_NAME,
            width=image.width,
            height=image.height,
            original=image.original,
            reference=reference,
            reference_complete=form.complete,
            source=own_source(
                name=form.source_name,
                license=form.license,
                attribution=form.attribution,
                url=form.url,
                reference_scope=form.scope,
                redistributable=form.shareable,
            ),
            teaching_points=[line.strip() for line in form.points.splitlines() if line.strip()],
            history=_history(form),
        )
    except ValidationError as error:  # an indication over 300 characters, an age over 90
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "a field"
        raise AuthoredCaseError(f"{field}: {first['msg']}") from None
    check_case(case, "the case")
    return case


def form_of(case: Case) -> EditorForm:
    """The form that gives ``case`` back (to edit a stored case)."""
    history = case.history or History()
    return EditorForm(
        title=case.title,
        age=history.age,
        sex=history.sex,
        view=history.view or "",
        indication=history.indication or "",
        points="\n".join(case.teaching_points),
        complete=case.reference_complete,
        source_name=case.source.name,
        license=case.source.license,
        attribution=case.source.attribution,
        url=case.source.url,
        scope=case.source.reference_scope,
        shareable=case.source.redistributable,
    )


def upload_name(name: str) -> str:
    """What an upload is called in messages: its kind only (the file name may identify)."""
    return f"uploaded file{Path(name).suffix.lower()}"
