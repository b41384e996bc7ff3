"""The audit as named stages: read the draft, read the image, compare, assemble one AuditResult.

Readers are injected so that the same stages serve every runtime: the rule parser or the LLM parser
for the draft; a reference read or the grounder's raw output for the image. Nothing here touches a
network or a model; ``serving/`` builds the model-backed readers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from cxr_auditor.core.compare import compare
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import (
    AuditResult,
    Finding,
    InputsDigest,
    Mention,
    ParseAccount,
    ReaderIdentity,
)


@dataclass
class DraftRead:
    """What a draft parser made of one draft, and who made it (a fallback names itself)."""

    identity: ReaderIdentity
    mentions: list[Mention]
    account: ParseAccount


class DraftReader(Protocol):
    """Anything that reads a draft: the rule parser here, the LLM parser in ``serving/``.

    ``read`` must not raise for a draft it cannot parse: it returns an ``unparseable`` account.
    """

    def read(self, text: str) -> DraftRead: ...


@dataclass(frozen=True)
class FunctionReader:
    """A DraftReader made of an identity and a ``text -> (mentions, account)`` function."""

    identity: ReaderIdentity
    parse: Callable[[str], tuple[list[Mention], ParseAccount]]

    def read(self, text: str) -> DraftRead:
        mentions, account = self.parse(text)
        return DraftRead(self.identity, mentions, account)


@dataclass
class ImageRead:
    """What the grounder (or a reference read) says about the image, with its parse account."""

    identity: ReaderIdentity
    findings: list[Finding] = field(default_factory=list)
    account: ParseAccount = field(default_factory=ParseAccount)
    reference_complete: bool = True

    @property
    def error(self) -> str | None:
        return failure(self.account)


RULES_IDENTITY = ReaderIdentity(role="parser", kind="rules", name="rules", version="1")


def failure(account: ParseAccount) -> str | None:
    """Why a read is unusable (its error), or None when it was parsed or repaired."""
    if account.status != "unparseable":
        return None
    return account.error or "unparseable"


def rule_reader() -> FunctionReader:
    """The embedded default: the deterministic rule parser in core."""
    from cxr_auditor.core.parse_draft import parse_draft

    return FunctionReader(RULES_IDENTITY, parse_draft)


def reference_read(
    findings: list[Finding], name: str = "reference", complete: bool = True
) -> ImageRead:
    """An expert read used as the grounder (a library case or a READ.json file)."""
    numbered = [f.model_copy(update={"id": f.id or f"f{i}"}) for i, f in enumerate(findings, 1)]
    return ImageRead(
        ReaderIdentity(role="grounder", kind="reference", name=name),
        numbered,
        ParseAccount(),
        complete,
    )


def model_read(raw_output: str, name: str, version: str = "") -> ImageRead:
    """The grounder's raw text, parsed tolerantly; an unparseable output stays visible as such."""
    from cxr_auditor.core.parse_output import parse_grounder_output

    findings, account = parse_grounder_output(raw_output, source="model")
    return ImageRead(
        ReaderIdentity(role="grounder", kind="model", name=name, version=version), findings, account
    )


def failed_read(identity: ReaderIdentity, reason: str) -> ImageRead:
    """An image read that could not be made at all (server down, timeout)."""
    return ImageRead(identity, [], ParseAccount(status="unparseable", error=reason))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_audit(
    draft: str,
    image: ImageRead,
    reader: DraftReader | None = None,
    *,
    image_bytes: bytes | None = None,
) -> AuditResult:
    """Audit one draft against one image read. Raises InputError for an empty draft."""
    if not draft or not draft.strip():
        raise InputError("the draft is empty: write or paste a draft impression to audit")
    reader = reader or rule_reader()
    timings: dict[str, float] = {}

    # Stage 1: read the draft into mentions (rule parser or LLM parser).
    start = time.perf_counter()
    read = reader.read(draft)
    mentions, parser_account = read.mentions, read.account
    timings["read_draft"] = (time.perf_counter() - start) * 1000
    draft_error = failure(parser_account)

    # Stage 2: the image read was made by the caller (reference or grounder); only check it.
    image_error = image.error

    # Stage 3: compare, with no model in the loop.
    start = time.perf_counter()
    flags, notes = compare(
        image.findings,
        mentions,
        draft_error=draft_error,
        image_error=image_error,
        reference_complete=image.reference_complete,
    )
    timings["compare"] = (time.perf_counter() - start) * 1000

    # Stage 4: assemble the one result every surface uses.
    return AuditResult(
        inputs=InputsDigest(
            image_sha256=_sha256(image_bytes) if image_bytes is not None else None,
            draft_sha256=_sha256(draft.encode("utf-8")),
            draft_chars=len(draft),
        ),
        grounder=image.identity,
        parser=read.identity,
        draft=draft,
        findings=image.findings,
        mentions=mentions,
        flags=flags,
        notes=notes,
        grounder_account=image.account,
        parser_account=parser_account,
        draft_evaluated=draft_error is None,
        image_evaluated=image_error is None,
        timings_ms={k: round(v, 3) for k, v in timings.items()},
    )
