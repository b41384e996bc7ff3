"""Rules for cases written by instructors (the case editor, case bundles): ids, checks, readiness.

An authored case is an ordinary ``Case`` whose id starts with ``local-`` (bundled ids never do) and
whose image lives in the database, not in a folder. ``parse_case_json`` reads ``case.json`` text
strictly (the ``Case`` model, then the rules below) with one-line errors; ``check_case`` holds the
rules: the current schema version, an image file name ending in .jpg/.jpeg/.png, labels spelled as
canonical ids, valid boxes (every finding but "no finding" boxed; "no finding" alone, unboxed).
``missing_for_use`` names what a case still lacks before a session may use it (source, licence,
attribution); ``title_findings`` finds titles that give the answer away; ``own_source`` and
``reference_of`` turn the editor's form and drawing into a case's source and reference read.
Image bytes are checked in ``serving.upload``; storage is ``db.case_store``.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from pydantic import ValidationError

from cxr_auditor.core.case_format import (
    CASE_SCHEMA_VERSION,
    IMAGE_SUFFIXES,
    Case,
    ReferenceBox,
    reference_boxes,
)
from cxr_auditor.core.case_sources import SourceInfo
from cxr_auditor.core.errors import AuditorError, InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING, POSITIVE_LABELS, display_name
from cxr_auditor.core.parse_draft import parse_draft
from cxr_auditor.core.schemas import Finding

LOCAL_PREFIX = "local-"
LOCAL_SOURCE = "local"  # the source key of an instructor's own case
DEFAULT_SCOPE = "Boxes drawn by the instructor who wrote this case."
MAX_CASE_JSON = 256 * 1024  # characters: a case.json is a few kB
# What a session needs before it may show a case: its source, licence and attribution.
USE_FIELDS = {"name": "source", "license": "licence", "attribution": "attribution"}


class AuthoredCaseError(InputError):
    """A written or imported case that cannot be stored, with the field and the reason."""


def new_case_id() -> str:
    """A fresh id for an instructor's case: ``local-`` and 8 random hex digits."""
    return f"{LOCAL_PREFIX}{secrets.token_hex(4)}"


def is_local_id(case_id: str) -> bool:
    return case_id.startswith(LOCAL_PREFIX) and len(case_id) > len(LOCAL_PREFIX)


def _validated(data: object, where: str) -> Case:
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise AuthoredCaseError(f"{where}: {field}: {first['msg']}") from None


def check_case(case: Case, where: str = "case.json") -> None:
    """The rules of the module docstring; AuthoredCaseError naming the field on the first broken."""
    if case.schema_version != CASE_SCHEMA_VERSION:
        raise AuthoredCaseError(
            f"{where}: schema_version {case.schema_version} is not supported; "
            f"expected {CASE_SCHEMA_VERSION}"
        )
    if Path(case.image).name != case.image or not case.image.lower().endswith(IMAGE_SUFFIXES):
        raise AuthoredCaseError(
            f"{where}: image: {case.image!r} must be a plain file name ending in "
            f"{', '.join(IMAGE_SUFFIXES)}"
        )
    if not case.reference:
        raise AuthoredCaseError(
            f"{where}: reference: empty; box at least one finding, or give "
            f'[{{"label": "{NO_FINDING}", "box_2d": null}}] for a film with no finding'
        )
    for index, item in enumerate(case.reference):
        if item.label not in LABELS:
            raise AuthoredCaseError(
                f"{where}: reference[{index}].label: {item.label!r} is not a canonical label; "
                f"allowed: {', '.join(LABELS)}"
            )
        if item.label == NO_FINDING and (item.box_2d is not None or len(case.reference) > 1):
            raise AuthoredCaseError(
                f"{where}: reference[{index}]: {NO_FINDING!r} must stand alone, without a box"
            )
        if item.label != NO_FINDING and item.box_2d is None:
            raise AuthoredCaseError(
                f"{where}: reference[{index}].box_2d: every finding needs a box"
            )
    try:
        findings = case.findings()
    except AuditorError as error:
        raise AuthoredCaseError(f"{where}: {error}") from None
    for index, finding in enumerate(findings):
        if finding.box is not None and (
            finding.box[2] <= finding.box[0] or finding.box[3] <= finding.box[1]
        ):
            raise AuthoredCaseError(
                f"{where}: reference[{index}].box_2d: the box has no area ({list(finding.box)})"
            )


def parse_case_json(text: str, where: str = "case.json") -> Case:
    """A ``case.json`` text as a checked Case; AuthoredCaseError (one line) when it is not one."""
    if len(text) > MAX_CASE_JSON:
        raise AuthoredCaseError(f"{where}: {len(text):,} characters is over the {MAX_CASE_JSON:,}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise AuthoredCaseError(f"{where}:{error.lineno}: not valid JSON ({error.msg})") from None
    except (RecursionError, ValueError):
        raise AuthoredCaseError(f"{where}: not usable JSON") from None
    if not isinstance(data, dict):
        raise AuthoredCaseError(f"{where}: expected a JSON object, got {type(data).__name__}")
    case = _validated(data, where)
    check_case(case, where)
    return case


def missing_for_use(case: Case) -> list[str]:
    """What the case lacks before a session may use it (``["licence", "attribution"]``); [] if
    nothing."""
    return [word for field, word in USE_FIELDS.items() if not getattr(case.source, field).strip()]


def title_findings(title: str) -> list[str]:
    """Display names of the findings a title names (a title should not give the answer away)."""
    mentions, _account = parse_draft(title)
    return sorted({display_name(m.label) for m in mentions if m.label in POSITIVE_LABELS})


def own_source(
    *,
    name: str,
    license: str,
    attribution: str,
    url: str = "",
    reference_scope: str = "",
    redistributable: bool = False,
) -> SourceInfo:
    """The source of an instructor's own case (key ``local``), from the editor's form."""
    return SourceInfo(
        key=LOCAL_SOURCE,
        name=" ".join(name.split()),
        url=url.strip(),
        license=" ".join(license.split()),
        attribution=" ".join(attribution.split()),
        reference_scope=" ".join(reference_scope.split()) or DEFAULT_SCOPE,
        redistributable=redistributable,
    )


def reference_of(findings: list[Finding], complete: bool) -> list[ReferenceBox]:
    """The reference read of drawn boxes; no box on a complete read is the "no finding" read."""
    boxed = [f for f in findings if f.box is not None and f.label in POSITIVE_LABELS]
    if not boxed and complete:
        return [ReferenceBox(label=NO_FINDING, box_2d=None)]
    return reference_boxes(boxed)
