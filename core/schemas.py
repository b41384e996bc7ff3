"""Data contracts shared by every stage: findings, mentions, parse accounts, flags, the AuditResult.

All models forbid unknown keys and are JSON-serializable with ``model_dump(mode="json")``; the same
objects feed the CLI, the app and the database. Boxes are normalized ``[y0, x0, y1, x1]`` (see
``core.boxes``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cxr_auditor.core.boxes import Box, validate_box
from cxr_auditor.core.labels import DISCLAIMER, Label

NormBox = Annotated[Box, AfterValidator(validate_box)]
MentionLabel = Label | Literal["other"]
MentionStatus = Literal["present", "absent", "uncertain"]
Laterality = Literal["left", "right", "bilateral"]
FindingSource = Literal["reference", "model", "learner"]
ParseStatus = Literal["ok", "repaired", "unparseable"]

BOX_FORMAT = "normalized_y0x0y1x1"
SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Finding(_Model):
    """One grounded image finding. ``box`` is None for a finding without a location (no_finding)."""

    id: str = ""
    label: Label
    box: NormBox | None = None
    source: FindingSource = "reference"


class Mention(_Model):
    """One statement of the draft about one label, traced to its exact characters.

    ``span`` are offsets into the original draft, so ``draft[span[0]:span[1]] == text``. ``cue`` is
    the word or phrase that decided the status ("no", "cannot exclude"), None for a plain assertion.
    """

    id: str = ""
    label: MentionLabel
    status: MentionStatus
    span: tuple[int, int] | None = None
    text: str = ""
    cue: str | None = None
    laterality: Laterality | None = None
    severity: str | None = None


class DroppedItem(_Model):
    """An element of model output that was not used, kept with the reason."""

    path: str
    item: str
    reason: str


class ParseAccount(_Model):
    """How one raw model output (or one draft) became structured data.

    ``status`` is ``ok`` (strict parse), ``repaired`` (see ``repairs``) or ``unparseable`` (see
    ``error``); an unparseable output is never an empty success.
    """

    status: ParseStatus = "ok"
    repairs: list[str] = Field(default_factory=list)
    dropped: list[DroppedItem] = Field(default_factory=list)
    error: str | None = None
    raw_chars: int = 0


class ReaderIdentity(_Model):
    """Who produced a read: a reference read, a model (with version) or the rule parser."""

    role: Literal["grounder", "parser"]
    kind: Literal["reference", "model", "rules", "none"]
    name: str
    version: str = ""
    fallback_reason: str | None = None  # set when this reader stood in for one that failed


FlagKind = Literal["MISSING", "UNSUPPORTED", "URGENT", "LATERALITY"]
MissingReason = Literal["omitted", "denied", "draft_normal"]
NoteKind = Literal[
    "HEDGE_SUPPORTED",
    "HEDGE_NOT_SUPPORTED",
    "DRAFT_NOT_EVALUATED",
    "IMAGE_NOT_EVALUATED",
    "REFERENCE_INCOMPLETE",
]


class Flag(_Model):
    """A discrepancy between draft and image read, with everything needed to explain it."""

    kind: FlagKind
    rule: int
    label: Label
    reason: MissingReason | None = None
    in_draft: bool | None = None
    tier: Literal["urgent", "actionable"] | None = None
    findings: list[Finding] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    explanation: str


class Note(_Model):
    """Information that is not a discrepancy: hedges, passes that were not evaluated."""

    kind: NoteKind
    rule: int
    label: MentionLabel | None = None
    findings: list[Finding] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    explanation: str


class InputsDigest(_Model):
    image_sha256: str | None = None
    draft_sha256: str
    draft_chars: int


class AuditResult(_Model):
    """The one output of an audit; JSON-serializable and stored as is."""

    schema_version: int = SCHEMA_VERSION
    inputs: InputsDigest
    grounder: ReaderIdentity
    parser: ReaderIdentity
    draft: str
    findings: list[Finding]
    mentions: list[Mention]
    flags: list[Flag]
    notes: list[Note]
    grounder_account: ParseAccount
    parser_account: ParseAccount
    draft_evaluated: bool
    image_evaluated: bool
    timings_ms: dict[str, float] = Field(default_factory=dict)
    box_format: str = BOX_FORMAT
    disclaimer: str = DISCLAIMER
