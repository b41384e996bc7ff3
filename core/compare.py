"""The comparator: the only judgment layer. Deterministic, no model, no randomness.

It takes an image read (grounded findings) and a draft read (mentions) and applies the numbered
rules listed in the README ("How an audit works"). Each rule is one function returning flags or
notes; ``compare`` runs them in order.

1. MISSING      an image finding the draft omits, denies, or calls normal (reason says which)
2. UNSUPPORTED  a finding the draft asserts that the image read does not show
3. URGENT       every image finding in an urgent/actionable tier, with ``in_draft``
4. LATERALITY   both present, but the draft's side matches the side of no image box
5. HEDGES       an uncertain mention is a note (supported / not supported), never an assertion
6. NOT EVALUATED  an unreadable draft gives an image-only pass; a failed grounder a draft-only pass

The comparator works at label level: one flag per label and rule, carrying every finding (with its
box) and every mention (with its span) that decided it. Labels outside the six ("other" mentions)
are never flagged here; they only stop a draft from being read as normal (that is the parser's job).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cxr_auditor.core.boxes import box_side
from cxr_auditor.core.explain import explain
from cxr_auditor.core.labels import NO_FINDING, POSITIVE_LABELS, Label, display_name, tier
from cxr_auditor.core.schemas import Finding, Flag, Mention, MissingReason, Note, NoteKind

# How surfaces order flags: what a reader must act on first.
SEVERITY_ORDER = ("URGENT", "MISSING", "LATERALITY", "UNSUPPORTED")


@dataclass
class _Reads:
    """Findings and mentions grouped by label, the shared input of every rule."""

    findings: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    present: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    absent: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    uncertain: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    normal: list[Mention] = field(default_factory=list)

    @classmethod
    def of(cls, findings: list[Finding], mentions: list[Mention]) -> _Reads:
        reads = cls()
        for finding in findings:
            if finding.label != NO_FINDING:
                reads.findings[finding.label].append(finding)
        for mention in mentions:
            if mention.label == NO_FINDING:
                if mention.status == "present":
                    reads.normal.append(mention)
                continue
            by_status = {"present": reads.present, "absent": reads.absent}
            by_status.get(mention.status, reads.uncertain)[mention.label].append(mention)
        return reads

    def image_labels(self) -> list[Label]:
        return [label for label in POSITIVE_LABELS if self.findings.get(label)]


def phrase_of(mention: Mention) -> str:
    """The draft's words for a mention, as quoted to the reader.

    A normal-study statement keeps its negation: the parser's span of "No acute cardiopulmonary
    process" is "acute cardiopulmonary process" with the cue "No", and quoting the span alone
    would say the opposite of the draft.
    """
    text = mention.text
    cue = (mention.cue or "").strip()
    if mention.label == "no_finding" and cue and not text.lower().startswith(cue.lower()):
        return f"{cue} {text}"
    return text


def _quote(mentions: list[Mention]) -> str:
    return ", ".join(f'"{phrase_of(m)}"' for m in mentions if m.text) or "no phrase"


def rule_1_missing(reads: _Reads) -> list[Flag]:
    """MISSING: on the image, not asserted or hedged in the draft."""
    flags = []
    for label in reads.image_labels():
        if reads.present.get(label) or reads.uncertain.get(label):
            continue
        reason: MissingReason
        if reads.absent.get(label):
            reason, mentions = "denied", reads.absent[label]
        elif reads.normal:
            reason, mentions = "draft_normal", reads.normal
        else:
            reason, mentions = "omitted", []
        text = explain("MISSING", reason, name=display_name(label), phrase=_quote(mentions))
        flags.append(
            Flag(
                kind="MISSING",
                rule=1,
                label=label,
                reason=reason,
                tier=tier(label),
                findings=reads.findings[label],
                mentions=mentions,
                explanation=text,
            )
        )
    return flags


def rule_2_unsupported(reads: _Reads, reference_complete: bool) -> tuple[list[Flag], list[Note]]:
    """UNSUPPORTED: asserted in the draft, absent from the image read.

    With a reference read known to be incomplete (NIH boxes one finding per row) the assertion may
    be right, so it becomes a REFERENCE_INCOMPLETE note instead of blaming the reader.
    """
    flags, notes = [], []
    for label in POSITIVE_LABELS:
        mentions = reads.present.get(label)
        if not mentions or reads.findings.get(label):
            continue
        name, phrase = display_name(label), _quote(mentions)
        if reference_complete:
            text = explain("UNSUPPORTED", "asserted", name=name, phrase=phrase)
            flags.append(
                Flag(
                    kind="UNSUPPORTED",
                    rule=2,
                    label=label,
                    tier=tier(label),
                    mentions=mentions,
                    explanation=text,
                )
            )
        else:
            text = explain("REFERENCE_INCOMPLETE", "note", name=name, phrase=phrase)
            notes.append(
                Note(
                    kind="REFERENCE_INCOMPLETE",
                    rule=2,
                    label=label,
                    mentions=mentions,
                    explanation=text,
                )
            )
    return flags, notes


def rule_3_urgent(reads: _Reads, draft_evaluated: bool) -> list[Flag]:
    """URGENT: every tiered image finding, saying whether the draft reports it (hedges count)."""
    flags = []
    for label in reads.image_labels():
        level = tier(label)
        if level is None:
            continue
        mentions = reads.present.get(label, []) + reads.uncertain.get(label, [])
        if not draft_evaluated:
            in_draft, key = None, "not_evaluated"
        else:
            in_draft = bool(mentions)
            key = "in_draft" if in_draft else "not_in_draft"
        text = explain("URGENT", key, name=display_name(label), tier=level)
        flags.append(
            Flag(
                kind="URGENT",
                rule=3,
                label=label,
                in_draft=in_draft,
                tier=level,
                findings=reads.findings[label],
                mentions=mentions,
                explanation=text,
            )
        )
    return flags


def rule_4_laterality(reads: _Reads) -> list[Flag]:
    """LATERALITY: a sided draft assertion whose side matches no sided image box of that label."""
    flags = []
    for label in reads.image_labels():
        box_sides = {
            side
            for f in reads.findings[label]
            if f.box is not None and (side := box_side(f.box)) is not None
        }
        if not box_sides:
            continue
        wrong = [
            m
            for m in reads.present.get(label, [])
            if m.laterality in ("left", "right") and m.laterality not in box_sides
        ]
        if not wrong:
            continue
        image_side = " and ".join(sorted(box_sides))
        text = explain(
            "LATERALITY",
            "mismatch",
            name=display_name(label),
            phrase=_quote(wrong),
            draft_side=wrong[0].laterality or "-",
            image_side=image_side,
        )
        flags.append(
            Flag(
                kind="LATERALITY",
                rule=4,
                label=label,
                tier=tier(label),
                findings=reads.findings[label],
                mentions=wrong,
                explanation=text,
            )
        )
    return flags


def rule_5_hedges(reads: _Reads, reference_complete: bool = True) -> list[Note]:
    """Hedged mentions become notes; a label also asserted outright needs no hedge note.

    With an incomplete reference read, "not shown" may only mean "not boxed", and the note says so.
    """
    notes = []
    for label in POSITIVE_LABELS:
        mentions = reads.uncertain.get(label)
        if not mentions or reads.present.get(label):
            continue
        findings = reads.findings.get(label, [])
        kind: NoteKind = "HEDGE_SUPPORTED" if findings else "HEDGE_NOT_SUPPORTED"
        key = "note" if findings or reference_complete else "note_incomplete"
        text = explain(kind, key, name=display_name(label), phrase=_quote(mentions))
        notes.append(
            Note(
                kind=kind,
                rule=5,
                label=label,
                findings=findings,
                mentions=mentions,
                explanation=text,
            )
        )
    return notes


def rule_6_not_evaluated(draft_error: str | None, image_error: str | None) -> list[Note]:
    """A pass that could not see one side says so instead of flooding flags."""
    notes = []
    if draft_error is not None:
        notes.append(
            Note(
                kind="DRAFT_NOT_EVALUATED",
                rule=6,
                explanation=explain("DRAFT_NOT_EVALUATED", "note", error=draft_error),
            )
        )
    if image_error is not None:
        notes.append(
            Note(
                kind="IMAGE_NOT_EVALUATED",
                rule=6,
                explanation=explain("IMAGE_NOT_EVALUATED", "note", error=image_error),
            )
        )
    return notes


def compare(
    findings: list[Finding],
    mentions: list[Mention],
    *,
    draft_error: str | None = None,
    image_error: str | None = None,
    reference_complete: bool = True,
) -> tuple[list[Flag], list[Note]]:
    """Apply rules 1–6. ``draft_error`` / ``image_error`` mark a side as not evaluated (rule 6)."""
    draft_ok, image_ok = draft_error is None, image_error is None
    reads = _Reads.of(findings if image_ok else [], mentions if draft_ok else [])
    flags: list[Flag] = []
    notes = rule_6_not_evaluated(draft_error, image_error)
    if draft_ok and image_ok:
        flags += rule_1_missing(reads)
        unsupported, incomplete = rule_2_unsupported(reads, reference_complete)
        flags += unsupported
        notes += incomplete
    if image_ok:
        flags += rule_3_urgent(reads, draft_evaluated=draft_ok)
    if draft_ok and image_ok:
        flags += rule_4_laterality(reads)
        notes += rule_5_hedges(reads, reference_complete)
    return flags, notes
