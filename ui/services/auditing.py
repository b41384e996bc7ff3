"""Running an audit for the app and arranging its result for display: checked draft, numbered flags.

The audit itself is ``core.audit.run_audit``. This module adds the app's input limits (an empty or
overlong draft gives one clear message), numbers the flags in severity order (the number links a
flag to its phrase in the draft and its box on the image) and groups them. It renders nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from cxr_auditor.core.audit import DraftReader, ImageRead, run_audit
from cxr_auditor.core.compare import SEVERITY_ORDER
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import URGENCY
from cxr_auditor.core.schemas import AuditResult, Finding, Flag, Mention

MAX_DRAFT_CHARS = 20_000
GROUP_TITLES = {
    "URGENT": "Urgent and actionable findings",
    "MISSING": "Missing from the draft",
    "LATERALITY": "Wrong side",
    "UNSUPPORTED": "Not supported by the image read",
}


@dataclass(frozen=True)
class NumberedFlag:
    number: int
    flag: Flag


def check_draft(text: str | None) -> str:
    """The draft to audit; InputError with a message for the page when it is empty or too long."""
    if text is None or not text.strip():
        raise InputError(
            "The draft is empty: write or paste the impression you would sign, then press Audit."
        )
    if len(text) > MAX_DRAFT_CHARS:
        raise InputError(
            f"The draft is {len(text):,} characters long; the limit is "
            f"{MAX_DRAFT_CHARS:,} (an impression is usually a few sentences). "
            "Shorten it and press Audit again."
        )
    return text


def audit(
    draft: str, image: ImageRead, reader: DraftReader, image_digest: str | None = None
) -> AuditResult:
    """Check the draft and run the core audit. ``image_digest`` is recorded in place of a hash."""
    result = run_audit(check_draft(draft), image, reader)
    if image_digest is not None:
        result.inputs.image_sha256 = image_digest
    return result


def numbered_flags(flags: Sequence[Flag]) -> list[NumberedFlag]:
    """Flags in severity order (stable within a kind), numbered from 1."""
    ordered = sorted(flags, key=lambda flag: SEVERITY_ORDER.index(flag.kind))
    return [NumberedFlag(number, flag) for number, flag in enumerate(ordered, 1)]


def grouped(numbered: Sequence[NumberedFlag]) -> list[tuple[str, list[NumberedFlag]]]:
    """``(kind, flags)`` per kind that occurs, in severity order."""
    return [
        (kind, [n for n in numbered if n.flag.kind == kind])
        for kind in SEVERITY_ORDER
        if any(n.flag.kind == kind for n in numbered)
    ]


def badge(flag: Flag) -> str:
    """The word on a flag's badge: its kind, except that an urgent-tier flag says its tier.

    A nodule is actionable (follow-up), not an emergency: its badge reads ACTIONABLE, as its
    explanation does; a pneumothorax's reads URGENT.
    """
    if flag.kind == "URGENT":
        return URGENCY.get(flag.label, "urgent").upper()
    return flag.kind


def not_compared(result: AuditResult) -> bool:
    """Whether the draft or the image could not be read, so no comparison was made."""
    return any(note.kind in ("DRAFT_NOT_EVALUATED", "IMAGE_NOT_EVALUATED") for note in result.notes)


def lead_flag(flags: Sequence[NumberedFlag]) -> NumberedFlag | None:
    """The flag that gives a box or phrase its colour: the first in severity order, except that an
    URGENT flag the draft already reports gives way to a discrepancy (a wrong side, say)."""
    discrepancies = [n for n in flags if not (n.flag.kind == "URGENT" and n.flag.in_draft)]
    if discrepancies:
        return discrepancies[0]
    return flags[0] if flags else None


def flags_of_finding(finding: Finding, numbered: Sequence[NumberedFlag]) -> list[NumberedFlag]:
    """The flags that name this image finding, in display order."""
    return [n for n in numbered if finding in n.flag.findings]


def flags_of_mention(mention: Mention, numbered: Sequence[NumberedFlag]) -> list[NumberedFlag]:
    """The flags that name this draft mention, in display order."""
    return [n for n in numbered if mention in n.flag.mentions]


@dataclass(frozen=True)
class AuditView:
    """The last audit as the page keeps it: the result and the inputs it was made from."""

    result: AuditResult
    input_key: str
    case_id: str | None
    image_kind: str
    seconds: float


def input_key(image_digest: str, draft: str, image_read_choice: str | None) -> str:
    """Identifies the inputs of an audit, to tell a current result from a stale one."""
    return hashlib.sha256(f"{image_digest}\0{image_read_choice}\0{draft}".encode()).hexdigest()
