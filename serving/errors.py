"""Errors of the serving side, kept apart from core's: a bad request, a runtime that cannot load."""

from __future__ import annotations

from cxr_auditor.core.errors import AuditorError


class RequestError(AuditorError):
    """One request that cannot be served (bad input); its message goes back to that client only."""


class RuntimeLoadError(AuditorError):
    """A runtime that cannot start (missing package, bad model folder): the model refuses to
    load."""


class GenerationError(RequestError):
    """The runtime failed on one request (a server-side fault, reported to that request only)."""
