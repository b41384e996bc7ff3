"""What the app, the CLI and the evaluation use of a model server client, as typing Protocols.

``serving.client.TritonBackend`` is the real one; tests hand in stand-ins. Typing the consumers
with these Protocols (not ``Any``) makes mypy check both the real client and every stand-in
against the same contract. No import of the client here: the embedded default needs no serving
stack.
"""

from __future__ import annotations

from typing import Protocol

from cxr_auditor.core.audit import DraftReader, ImageRead
from cxr_auditor.core.schemas import ReaderIdentity


class NamedDraftReader(DraftReader, Protocol):
    """A DraftReader that says who it is (``FunctionReader``, ``TritonDraftReader``)."""

    @property
    def identity(self) -> ReaderIdentity: ...


class ImageReader(Protocol):
    """Anything that gives the image read of one PNG/JPEG; a failure is a failed read, never
    raised."""

    def image_read(self, image_bytes: bytes) -> ImageRead: ...


class ModelBackend(ImageReader, Protocol):
    """A model server client: readiness, the model grounder's image read, the draft reader.

    ``ready`` and ``image_read`` never raise (a failure is ``(False, reason)`` or a failed read);
    the draft reader falls back to the rule parser by itself, naming why.
    """

    def ready(self) -> tuple[bool, str]: ...

    def draft_reader(self) -> NamedDraftReader: ...
