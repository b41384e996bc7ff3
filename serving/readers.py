"""Which readers the app uses: the embedded default, or the model server when one is configured.

Embedded default (no ``CXR_TRITON_URL``): the rule draft parser, and a case's reference read as the
image read (an upload has none unless the learner supplies one, so its audit is a draft-only pass).
With ``CXR_TRITON_URL`` set, ``serving.client.TritonBackend`` is imported lazily and gives the LLM
draft parser and the model grounder; both fall back or fail visibly by themselves (a fallback names
itself in the reader identity). Every audit records which reader produced what; ``describe`` says it
in words. This module makes no network call itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from cxr_auditor.core.audit import ImageRead, failed_read, reference_read, rule_reader
from cxr_auditor.core.schemas import Finding, ReaderIdentity
from cxr_auditor.serving.backend import ModelBackend, NamedDraftReader

TRITON_ENV = "CXR_TRITON_URL"
NO_READER = ReaderIdentity(role="grounder", kind="none", name="none")
REFERENCE, MODEL = "reference", "model"


@dataclass
class Readers:
    """The readers for this app process: ``backend`` is the model server client, or None."""

    mode: Literal["embedded", "triton"]
    backend: ModelBackend | None = None
    url: str | None = None
    problem: str | None = None  # why a configured model server is not used

    def draft_reader(self) -> NamedDraftReader:
        """The draft parser: the model server's (which falls back to rules itself) or the rules."""
        return self.backend.draft_reader() if self.backend is not None else rule_reader()

    def image_choices(self, has_reference: bool) -> list[str]:
        """Image reads an audit can use here, the default first: the model's when served."""
        choices = [MODEL] if self.backend is not None else []
        return choices + ([REFERENCE] if has_reference else [])


def triton_url(env: Mapping[str, str] | None = None) -> str | None:
    """``$CXR_TRITON_URL`` stripped, or None when unset or blank."""
    value = (env if env is not None else os.environ).get(TRITON_ENV, "").strip()
    return value or None


def _serving_factory() -> Callable[[str], ModelBackend]:
    """``url -> TritonBackend`` with the other ``CXR_TRITON_*`` settings (protocol, timeout)."""
    # Imported here: the embedded default needs no serving stack.
    from cxr_auditor.serving.client import TritonBackend
    from cxr_auditor.serving.config import client_settings

    def build(url: str) -> ModelBackend:
        return TritonBackend.from_settings(client_settings({**os.environ, TRITON_ENV: url}))

    return build


def make_readers(url: str | None, factory: Callable[[str], ModelBackend] | None = None) -> Readers:
    """Readers for ``url`` (None: the embedded default). Makes no call; never raises."""
    if not url:
        return Readers("embedded")
    try:
        backend = (factory or _serving_factory())(url)
    except ImportError as error:
        return Readers(
            "embedded",
            url=url,
            problem=f"{TRITON_ENV} is set, but the serving client "
            f"could not be imported ({error}); using the embedded default",
        )
    except Exception as error:
        return Readers(
            "embedded",
            url=url,
            problem=f"the model server client for {url} could not "
            f"be created ({error}); using the embedded default",
        )
    return Readers("triton", backend, url)


def server_status(readers: Readers) -> tuple[bool, str]:
    """``(ready, reason)`` of the model server (one network call); ``(True, "")`` when embedded."""
    if readers.backend is None:
        return True, ""
    try:
        ok, reason = readers.backend.ready()
    except Exception as error:
        return False, f"readiness check failed: {error}"
    return bool(ok), str(reason)


def image_read(
    readers: Readers,
    choice: str,
    *,
    reference: list[Finding] | None,
    reference_name: str = "reference",
    reference_complete: bool = True,
    image_bytes: bytes | None = None,
) -> ImageRead:
    """The image read an audit uses: the reference, the model's, or a failed read saying why."""
    if choice == REFERENCE and reference is not None:
        return reference_read(reference, reference_name, complete=reference_complete)
    if choice == MODEL and readers.backend is not None and image_bytes is not None:
        return readers.backend.image_read(image_bytes)
    return failed_read(
        NO_READER,
        "no image reader is available for this image on the embedded "
        "default; add a reference read or configure a model server",
    )


def describe(identity: ReaderIdentity) -> str:
    """A reader identity in words: ``model medgemma (v3)``, ``rules (v1), standing in because``."""
    if identity.kind == "none":
        return "none"
    text = f"{identity.kind} {identity.name}" if identity.kind != identity.name else identity.kind
    if identity.version:
        text += (
            f" (v{identity.version})" if identity.version[0].isdigit() else f" ({identity.version})"
        )
    if identity.fallback_reason:
        text += f", standing in because: {identity.fallback_reason}"
    return text
