"""The tritonclient backend of the app and the CLI: image reads and draft reads over HTTP or gRPC.

``TritonBackend`` never lets a serving failure escape as an exception from ``ready``,
``image_read`` or ``draft_reader().read``: a grounder failure becomes a failed ``ImageRead``
(the audit turns into a draft-only pass that says why), and a draft-parser failure, including an
output still unparseable after the server's retry, falls back to core's rule parser with
``fallback_reason`` set on its identity (comparator rule 6, ``core/compare.py``). The lower-level
``infer_grounder`` / ``infer_parser`` raise ``TritonCallError`` and return the raw text, for tools
that want it.

Robustness:

- ``timeout_s`` bounds one call in total, retries and back-off included (HTTP: socket timeout;
  gRPC: call deadline);
- transport failures and "unavailable" answers are retried ``retries`` times with exponential
  back-off and jitter, on a fresh connection; bad requests, unknown models and server-side model
  errors are not retried;
- the object is thread-safe (one tritonclient client per thread, as tritonclient requires) and
  allows at most ``max_concurrency`` requests in flight (default 64, ``CXR_TRITON_MAX_CONCURRENCY``:
  the app shares one backend among all its sessions, and the server batches in flight, so a
  small cap would queue a classroom's requests here); ``read_images``/``read_drafts`` run many at
  once.

tritonclient is imported on first use, so the base install can import this module.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, Self, TypeVar

import numpy as np
import numpy.typing as npt

from cxr_auditor.core.audit import RULES_IDENTITY, DraftRead, ImageRead, failed_read, rule_reader
from cxr_auditor.core.schemas import Finding, Mention, ParseAccount, ReaderIdentity
from cxr_auditor.serving.config import (
    DEFAULT_MAX_CONCURRENCY,
    ClientSettings,
    check_model_name,
    client_settings,
    parse_url,
)

T = TypeVar("T")
RETRIABLE_HTTP = {"502", "503", "504"}
RETRIABLE_GRPC = {"StatusCode.UNAVAILABLE", "StatusCode.RESOURCE_EXHAUSTED", "StatusCode.ABORTED"}
TIMEOUT_GRPC = {"StatusCode.DEADLINE_EXCEEDED"}


class TritonCallError(Exception):
    """A request that did not produce a usable reply; ``reason`` is one line for a person."""

    def __init__(self, reason: str, retriable: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retriable = retriable


@dataclass(frozen=True)
class ModelReply:
    raw_text: str
    items: list[dict[str, Any]]
    account: ParseAccount
    identity: ReaderIdentity


def _tritonclient(protocol: str) -> Any:
    try:
        if protocol == "http":
            import tritonclient.http as module
        else:
            import tritonclient.grpc as module
    except ImportError as error:
        raise TritonCallError(
            f"tritonclient is not installed ({error}); install the project's 'serving' extra"
        ) from None
    return module


class TritonBackend:
    """Client of the ``grounder`` and ``draft_parser`` models of one Triton server."""

    def __init__(
        self,
        url: str,
        protocol: Literal["http", "grpc"] = "http",
        timeout_s: float = 30.0,
        retries: int = 1,
        *,
        grounder_model: str = "grounder",
        parser_model: str = "draft_parser",
        max_new_tokens: int | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        backoff_s: float = 0.2,
    ) -> None:
        self.endpoint = parse_url(url, protocol, "url")
        if not 0.1 <= timeout_s <= 3600:
            raise ValueError(f"timeout_s = {timeout_s} is outside 0.1..3600 seconds")
        if not 0 <= retries <= 5:
            raise ValueError(f"retries = {retries} is outside 0..5")
        if not 1 <= max_concurrency <= 1024:
            raise ValueError(f"max_concurrency = {max_concurrency} is outside 1..1024")
        if max_new_tokens is not None and max_new_tokens < 1:
            raise ValueError(f"max_new_tokens = {max_new_tokens} must be at least 1")
        self.url, self.protocol = self.endpoint.address, protocol
        self.timeout_s, self.retries, self.backoff_s = timeout_s, retries, backoff_s
        self.grounder_model = check_model_name(grounder_model, "grounder_model")
        self.parser_model = check_model_name(parser_model, "parser_model")
        self.max_new_tokens = max_new_tokens
        self.max_concurrency = max_concurrency
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[tuple[threading.Thread, Any]] = []

    @classmethod
    def from_settings(cls, settings: ClientSettings, **kwargs: Any) -> TritonBackend:
        kwargs.setdefault("max_concurrency", settings.max_concurrency)
        return cls(
            settings.url,
            settings.protocol,
            settings.timeout_s,
            settings.retries,
            grounder_model=settings.grounder_model,
            parser_model=settings.parser_model,
            **kwargs,
        )

    @classmethod
    def from_env(cls, **kwargs: Any) -> TritonBackend:
        """From ``CXR_TRITON_*`` variables (``serving.config``); ConfigError on bad values."""
        return cls.from_settings(client_settings(), **kwargs)

    def describe(self) -> str:
        return f"Triton at {self.url} ({self.protocol})"

    # ------------------------------------------------------------------ connections
    def _new_client(self, timeout: float) -> Any:
        module = _tritonclient(self.protocol)
        if self.protocol == "http":
            return module.InferenceServerClient(
                self.url, ssl=self.endpoint.ssl, connection_timeout=timeout, network_timeout=timeout
            )
        return module.InferenceServerClient(self.url, ssl=self.endpoint.ssl)

    def _thread_client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._new_client(self.timeout_s)
            self._local.client = client
            with self._lock:  # forget the clients of threads that have ended (app sessions)
                dead = [(t, c) for t, c in self._open if not t.is_alive()]
                self._open = [(t, c) for t, c in self._open if t.is_alive()]
                self._open.append((threading.current_thread(), client))
            for _, stale in dead:
                _close(stale)
        return client

    def _drop_thread_client(self) -> None:
        client = getattr(self._local, "client", None)
        self._local.client = None
        if client is not None:
            with self._lock:
                self._open = [(t, c) for t, c in self._open if c is not client]
            _close(client)

    def close(self) -> None:
        """Close every connection this backend opened (idle keep-alives delay a server stop)."""
        with self._lock:
            clients, self._open = self._open, []
        for _, client in clients:
            _close(client)
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ errors and retries
    def _classify(self, error: BaseException, model: str, timeout: float) -> TritonCallError:
        name = type(error).__name__
        if isinstance(error, TritonCallError):
            return error
        status_of = getattr(error, "status", None)
        status = str((status_of() if callable(status_of) else status_of) or "")
        message_of = getattr(error, "message", None)
        raw = (message_of() if callable(message_of) else None) or str(error) or name
        text = raw.strip().splitlines()[0][:300] if raw.strip() else name
        if "unknown model" in text.lower() or ("not found" in text.lower() and model in text):
            return TritonCallError(f"model {model!r} is not available on {self.describe()}: {text}")
        if (
            status in TIMEOUT_GRPC
            or isinstance(error, TimeoutError)
            or "timed out" in text.lower()
            or "timeout" in name.lower()
        ):
            return TritonCallError(
                f"{model}: no answer within {timeout:.1f} s from {self.describe()}", retriable=False
            )
        if status in RETRIABLE_HTTP or status in RETRIABLE_GRPC:
            return TritonCallError(f"{model}: {self.describe()} is unavailable ({text})", True)
        if status:  # an answer from the server: bad request or model error, not retried
            return TritonCallError(f"{model}: the server refused the request: {text}")
        if (
            isinstance(error, (ConnectionError, OSError))
            or "connect" in text.lower()
            or "connection" in name.lower()
        ):
            return TritonCallError(
                f"{model}: cannot reach {self.describe()} ({name}: {text}); "
                "is the server running? (cxr-auditor serve)",
                True,
            )
        return TritonCallError(
            f"{model}: request to {self.describe()} failed ({name}: {text})", True
        )

    def _with_retries(self, model: str, attempt: Callable[[Any, float], T]) -> T:
        deadline = time.monotonic() + self.timeout_s
        last: TritonCallError | None = None
        for number in range(self.retries + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0.01:
                break
            if not self._slots.acquire(timeout=remaining):
                raise TritonCallError(
                    f"{model}: no free request slot within {self.timeout_s} s "
                    "(too many requests in flight)"
                )
            temporary = None
            try:
                if number == 0:
                    client = self._thread_client()
                else:  # a retry gets a fresh connection limited to the time that is left
                    client = temporary = self._new_client(remaining)
                return attempt(client, remaining)
            except BaseException as error:  # gevent's Timeout is a BaseException
                if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                    raise
                last = self._classify(error, model, remaining)
                if last.retriable and number == 0:
                    self._drop_thread_client()
                if not last.retriable:
                    raise last from None
            finally:
                self._slots.release()
                if temporary is not None:
                    _close(temporary)
            pause = self.backoff_s * (2**number) * random.uniform(0.5, 1.5)
            time.sleep(max(0.0, min(pause, deadline - time.monotonic() - 0.01)))
        attempts = f"{number + 1} attempt{'s' if number else ''}"
        reason = last.reason if last else f"{model}: no time left within {self.timeout_s} s"
        raise TritonCallError(f"{reason} [{attempts}, budget {self.timeout_s:.1f} s]")

    # ------------------------------------------------------------------ requests
    def _infer(
        self, model: str, tensors: list[tuple[str, npt.NDArray[Any], str]], items_output: str
    ) -> ModelReply:
        module = _tritonclient(self.protocol)
        outputs = ("raw_text", items_output, "account", "identity")

        def attempt(client: Any, remaining: float) -> ModelReply:
            inputs = []
            for name, array, dtype in tensors:
                tensor = module.InferInput(name, list(array.shape), dtype)
                tensor.set_data_from_numpy(array)
                inputs.append(tensor)
            requested = [module.InferRequestedOutput(name) for name in outputs]
            extra = {"client_timeout": remaining} if self.protocol == "grpc" else {}
            result = client.infer(model, inputs, outputs=requested, **extra)
            return _decode_reply(
                model, {name: result.as_numpy(name) for name in outputs}, items_output
            )

        return self._with_retries(model, attempt)

    def _budget(self) -> list[tuple[str, npt.NDArray[Any], str]]:
        if self.max_new_tokens is None:
            return []
        return [("max_new_tokens", np.array([[self.max_new_tokens]], dtype=np.int32), "INT32")]

    def infer_grounder(self, image_bytes: bytes) -> ModelReply:
        """The grounder's reply for one PNG/JPEG; raises TritonCallError."""
        image = np.array([[bytes(image_bytes)]], dtype=np.object_)
        return self._infer(
            self.grounder_model, [("image", image, "BYTES"), *self._budget()], "findings"
        )

    def infer_parser(self, draft: str, enable_thinking: bool | None = None) -> ModelReply:
        """The draft parser's reply for one draft; raises TritonCallError."""
        tensors = [
            ("draft", np.array([[draft.encode("utf-8")]], dtype=np.object_), "BYTES"),
            *self._budget(),
        ]
        if enable_thinking is not None:
            tensors.append(("enable_thinking", np.array([[enable_thinking]], dtype=bool), "BOOL"))
        return self._infer(self.parser_model, tensors, "mentions")

    # ------------------------------------------------------------------ the contract
    def ready(self, models: Sequence[str] | None = None) -> tuple[bool, str]:
        """(ok, reason): is the server up with ``models`` (default: both) loaded? Never raises."""
        models = list(models) if models is not None else [self.grounder_model, self.parser_model]
        timeout = min(self.timeout_s, 5.0)
        extra = {"client_timeout": timeout} if self.protocol == "grpc" else {}
        client = None
        try:
            client = self._new_client(timeout)
            if not client.is_server_ready(**extra):
                return False, f"{self.describe()} is up but not ready"
            missing = [m for m in models if not client.is_model_ready(m, **extra)]
            if missing:
                return False, f"{self.describe()}: model(s) not ready: {', '.join(missing)}"
            return True, f"{self.describe()}: {', '.join(models)} ready"
        except Exception as error:
            return False, self._classify(error, "readiness check", timeout).reason
        finally:
            if client is not None:
                _close(client)

    def served_identity(self, model: str | None = None) -> ReaderIdentity:
        """Who a served model is, from the server's model metadata and config (no inference).

        The name and version are the ones the model itself reports in its replies: the config's
        ``model_name``/``model_version`` parameters, else the model folder's name and the hub
        revision (``serving.services.identity_for``). Without a version there, the version Triton
        serves (``1``) stands in. Raises TritonCallError.
        """
        from cxr_auditor.serving.model_settings import SettingsError, read_settings
        from cxr_auditor.serving.services import identity_for

        model = model or self.grounder_model
        role = "draft_parser" if model == self.parser_model else "grounder"
        extra = {"as_json": True} if self.protocol == "grpc" else {}

        def attempt(client: Any, remaining: float) -> tuple[dict[str, Any], dict[str, Any]]:
            timeout = {"client_timeout": remaining} if self.protocol == "grpc" else {}
            metadata = client.get_model_metadata(model, **extra, **timeout)
            config = client.get_model_config(model, **extra, **timeout)
            return metadata, config.get("config", config)

        metadata, config = self._with_retries(model, attempt)
        versions = [str(v) for v in metadata.get("versions") or []]
        served = max(versions, key=lambda v: (len(v), v)) if versions else ""
        # gRPC's JSON form (proto3) leaves out an empty string_value: a parameter set to "" comes
        # back as {} there, and as {"string_value": ""} over HTTP.
        parameters = {
            key: {"string_value": value.get("string_value", "")}
            for key, value in (config.get("parameters") or {}).items()
        }
        try:
            identity = identity_for(read_settings(role, parameters, model))
        except SettingsError as error:
            raise TritonCallError(
                f"{model}: the server's model config is not readable ({error})"
            ) from None
        return identity.model_copy(update={"version": identity.version or served})

    def grounder_identity(self) -> ReaderIdentity:
        return ReaderIdentity(role="grounder", kind="model", name=f"triton:{self.grounder_model}")

    def image_read(self, image_bytes: bytes) -> ImageRead:
        """The grounder's read of one image; a failure is a failed read with its reason."""
        try:
            reply = self.infer_grounder(image_bytes)
            findings = [Finding.model_validate(item) for item in reply.items]
        except TritonCallError as error:
            return failed_read(self.grounder_identity(), error.reason)
        except ValueError as error:
            return failed_read(
                self.grounder_identity(),
                f"{self.grounder_model}: reply has invalid findings: {error}",
            )
        except Exception as error:
            return failed_read(
                self.grounder_identity(), f"{self.grounder_model}: {type(error).__name__}: {error}"
            )
        return ImageRead(reply.identity, findings, reply.account)

    def draft_reader(self) -> TritonDraftReader:
        return TritonDraftReader(self)

    def read_images(self, images: Iterable[bytes], workers: int = 4) -> list[ImageRead]:
        """Image reads of many images, ``workers`` at a time, in input order."""
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            return list(pool.map(self.image_read, images))

    def read_drafts(self, drafts: Iterable[str], workers: int = 4) -> list[DraftRead]:
        reader = self.draft_reader()
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            return list(pool.map(reader.read, drafts))


class TritonDraftReader:
    """A DraftReader on the Triton draft parser that falls back to the rule parser on failure."""

    def __init__(self, backend: TritonBackend) -> None:
        self.backend = backend
        self.identity = ReaderIdentity(
            role="parser", kind="model", name=f"triton:{backend.parser_model}"
        )

    def read(self, text: str) -> DraftRead:
        try:
            reply = self.backend.infer_parser(text)
        except TritonCallError as error:
            return fallback_read(text, error.reason)
        except Exception as error:
            return fallback_read(
                text, f"{self.backend.parser_model}: {type(error).__name__}: {error}"
            )
        if reply.account.status == "unparseable":
            return fallback_read(
                text,
                f"{self.backend.parser_model}: output unparseable "
                f"({reply.account.error}); raw output "
                f"{len(reply.raw_text)} chars",
            )
        try:
            mentions = [Mention.model_validate(item) for item in reply.items]
        except ValueError as error:
            return fallback_read(
                text, f"{self.backend.parser_model}: reply has invalid mentions: {error}"
            )
        return DraftRead(reply.identity, mentions, reply.account)


def fallback_read(text: str, reason: str) -> DraftRead:
    """The rule parser's read, naming itself as a fallback with ``reason``. Never raises."""
    identity = RULES_IDENTITY.model_copy(update={"fallback_reason": reason})
    try:
        read = rule_reader().read(text)
    except Exception as error:
        return DraftRead(
            identity,
            [],
            ParseAccount(
                status="unparseable",
                error=f"rule parser failed too: {type(error).__name__}: {error}",
            ),
        )
    return DraftRead(identity, read.mentions, read.account)


def _decode_reply(model: str, columns: dict[str, Any], items_output: str) -> ModelReply:
    try:
        values = {
            name: (array.reshape(-1)[0] if array is not None else None)
            for name, array in columns.items()
        }
        if any(v is None for v in values.values()):
            missing = [name for name, v in values.items() if v is None]
            raise ValueError(f"missing output(s) {', '.join(missing)}")
        text = {
            name: v.decode("utf-8", errors="replace") if isinstance(v, bytes) else str(v)
            for name, v in values.items()
        }
        items = json.loads(text[items_output])
        if not isinstance(items, list):
            raise TypeError(f"{items_output} is not a JSON list")
        return ModelReply(
            text["raw_text"],
            items,
            ParseAccount.model_validate_json(text["account"]),
            ReaderIdentity.model_validate_json(text["identity"]),
        )
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise TritonCallError(f"{model}: the server's reply is malformed ({error})") from None


def _close(client: Any) -> None:
    try:
        client.close()
    except Exception:
        pass
