"""The readers an evaluation runs: the draft parser and the grounder, by name.

- parser ``rules``: the deterministic rule parser in core (``core.audit.rule_reader``).
- parser ``triton``: the Nemotron parser behind Triton, through ``serving.client.TritonBackend``.
- grounder ``reference``: the case's own expert read (a sanity check for grounding; the ground truth
  by construction for synthetic drafts).
- grounder ``triton``: the fine-tuned MedGemma behind Triton, on the case's image bytes.

``serving`` is imported only when a ``triton`` option is chosen, so the default evaluations need
neither tritonclient nor a server. The Triton address comes from ``CXR_TRITON_URL`` (read by
``serving``), and a server that is not ready stops the run before it starts. A grounder never
raises for one case: a missing image or a failed call becomes an unparseable ``ImageRead`` with its
reason, which the evaluations count and list. The app's Triton parser falls back to the rule
parser when the model fails; an evaluation of the model must not credit those reads to it, so
``NoFallback`` turns each fallback into an unparseable read with the reason.
"""

from __future__ import annotations

import os
from typing import Any, Literal, Protocol, get_args

from cxr_auditor.core.audit import (
    DraftRead,
    DraftReader,
    ImageRead,
    failed_read,
    reference_read,
    rule_reader,
)
from cxr_auditor.core.case_format import ReferenceCase
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import ParseAccount, ReaderIdentity

ParserChoice = Literal["rules", "triton"]
GrounderChoice = Literal["reference", "triton"]
PARSERS: tuple[str, ...] = get_args(ParserChoice)
GROUNDERS: tuple[str, ...] = get_args(GrounderChoice)
URL_ENV = "CXR_TRITON_URL"
TRITON_GROUNDER = ReaderIdentity(role="grounder", kind="model", name="triton grounder")


class Grounder(Protocol):
    """Reads one case's image; never raises (a failure is an unparseable ImageRead)."""

    name: str
    needs_image: bool

    def read(self, case: ReferenceCase, complete: bool | None = None) -> ImageRead: ...


class ReferenceGrounder:
    """The case's own reference read, as the grounder."""

    name = "reference"
    needs_image = False

    def read(self, case: ReferenceCase, complete: bool | None = None) -> ImageRead:
        return reference_read(
            case.findings,
            name=case.case_id,
            complete=case.complete if complete is None else complete,
        )


class TritonGrounder:
    """The model grounder behind Triton: ``backend.image_read(image_bytes) -> ImageRead``."""

    name = "triton"
    needs_image = True

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def read(self, case: ReferenceCase, complete: bool | None = None) -> ImageRead:
        data = case.image_bytes()
        if data is None:
            why = "no image file" if case.image_path is None else f"cannot read {case.image_path}"
            return failed_read(TRITON_GROUNDER, f"{why} for case {case.case_id}")
        try:
            return self.backend.image_read(data)
        except Exception as error:
            return failed_read(
                TRITON_GROUNDER, f"grounder call raised {type(error).__name__}: {error}"
            )


class NoFallback:
    """A model draft reader whose fallbacks to the rule parser count as failures of the model."""

    def __init__(self, reader: DraftReader) -> None:
        self.reader = reader

    def read(self, text: str) -> DraftRead:
        read = self.reader.read(text)
        reason = read.identity.fallback_reason
        if reason is None:
            return read
        return DraftRead(
            read.identity,
            [],
            ParseAccount(
                status="unparseable",
                error=f"model parser failed (the app falls back to rules): {reason}",
            ),
        )


def require_ready(backend: Any, model_attribute: str) -> None:
    """Stop before the run when the server or the model is not ready (when the client can tell)."""
    ready = getattr(backend, "ready", None)
    if not callable(ready):
        return
    model = getattr(backend, model_attribute, None)
    ok, why = ready([model]) if model else ready()
    if not ok:
        raise InputError(f"Triton is not ready: {why}")


def triton_backend() -> Any:
    """A ``serving.client.TritonBackend`` configured from the environment (``CXR_TRITON_URL``)."""
    try:
        from cxr_auditor.serving.client import TritonBackend
    except ImportError as error:
        raise InputError(
            "the triton options need the serving client (pip install -e "
            f"'.[serving]'; serving/client.py): {error}"
        ) from None
    from_env = getattr(TritonBackend, "from_env", None)
    if callable(from_env):
        return from_env()
    url = os.environ.get(URL_ENV, "").strip()
    if not url:
        raise InputError(f"the triton options need {URL_ENV} (for example localhost:8000)")
    return TritonBackend(url)


def make_parser(choice: str) -> DraftReader:
    if choice == "rules":
        return rule_reader()
    if choice == "triton":
        backend = triton_backend()
        require_ready(backend, "parser_model")
        return NoFallback(backend.draft_reader())
    raise InputError(f"--parser {choice!r}: allowed {', '.join(PARSERS)}")


def make_grounder(choice: str) -> Grounder:
    if choice == "reference":
        return ReferenceGrounder()
    if choice == "triton":
        backend = triton_backend()
        require_ready(backend, "grounder_model")
        return TritonGrounder(backend)
    raise InputError(f"--grounder {choice!r}: allowed {', '.join(GROUNDERS)}")
