"""The body of both Triton Python models: decode request tensors, call the role service, encode.

``triton_repo/<role>/1/model.py`` is a few lines that hand ``triton_python_backend_utils`` to
``TritonRoleModel`` (so tests can hand it a stub instead). Tensor names (all
``TYPE_STRING`` unless noted, shape ``[batch, 1]`` with dynamic batching):

=============  ==========================================  ===========================
role           inputs                                      outputs
=============  ==========================================  ===========================
grounder       ``image`` (PNG/JPEG bytes); optional        ``raw_text``, ``findings``
               ``max_new_tokens`` (INT32),                 (JSON list), ``account``
               ``temperature`` (FP32)                      (ParseAccount JSON),
                                                           ``identity`` (ReaderIdentity
                                                           JSON)
draft_parser   ``draft`` (UTF-8 text); optional            ``raw_text``, ``mentions``,
               ``max_new_tokens``, ``temperature``,        ``account``, ``identity``
               ``enable_thinking`` (BOOL)
=============  ==========================================  ===========================

**In-flight, one request at a time** (the pattern of NVIDIA's llmapi Triton model): ``execute``
hands each request to the model's event loop (``serving.inflight``) and returns ``None`` at once;
the request's coroutine generates, parses and retries its rows on its own (the service's
``run_one``) and sends its one response through the request's response sender with the FINAL
flag as soon as it is done. The models stay *non-decoupled* (one response per request, Python
backend's response sender in default mode), so ``tritonclient``'s plain ``infer`` over HTTP and
gRPC is unchanged. A request the client cancels is abandoned (its generation aborted in the
engine) and answered ``CANCELLED``. A request with bad input (or whose generation failed) gets its
own ``TritonError``; the others are served. Settings come from the ``parameters`` of
``config.pbtxt`` (``serving.model_settings``) and a bad one refuses the load.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from cxr_auditor.serving.errors import GenerationError, RequestError
from cxr_auditor.serving.inflight import EventLoopThread, watch
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.prompts import load_prompts
from cxr_auditor.serving.runtime import load_runtime
from cxr_auditor.serving.services import (
    GrounderService,
    GroundItem,
    ParseItem,
    ParserService,
    Reply,
)


@dataclass(frozen=True)
class RoleSpec:
    main_input: str
    items_output: str
    optional: dict[str, Callable[[Any], object]]


T = TypeVar("T")


def _option(given: Mapping[str, object], name: str, kind: type[T]) -> T | None:
    """The optional input ``name`` of one row, as converted by its ``RoleSpec`` converter."""
    value = given.get(name)
    if value is None:
        return None
    if not isinstance(value, kind):
        raise TypeError(f"input {name!r} is not {kind.__name__}: {value!r}")
    return value


def _text(value: object, name: str) -> str:
    if not isinstance(value, bytes):
        return str(value)
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(f"{name} is not UTF-8 text") from None


SPECS = {
    "grounder": RoleSpec("image", "findings", {"max_new_tokens": int, "temperature": float}),
    "draft_parser": RoleSpec(
        "draft", "mentions", {"max_new_tokens": int, "temperature": float, "enable_thinking": bool}
    ),
}
OUTPUTS = ("raw_text", "{items}", "account", "identity")


class TritonRoleModel:
    """Shared ``TritonPythonModel`` logic; a subclass sets ``ROLE``."""

    ROLE = ""

    def __init__(self, pb_utils: Any) -> None:
        self.pb = pb_utils

    # ------------------------------------------------------------------ lifecycle
    def initialize(self, args: dict[str, str]) -> None:
        started = time.perf_counter()
        self.spec = SPECS[self.ROLE]
        config = json.loads(args["model_config"])
        where = f"{args.get('model_repository', self.ROLE)}/config.pbtxt"
        settings = read_settings(self.ROLE, config.get("parameters", {}), where)
        self.runtime = load_runtime(settings)
        self.service: GrounderService | ParserService
        if self.ROLE == "grounder":
            self.service = GrounderService(settings, self.runtime, load_prompts())
        else:
            self.service = ParserService(settings, self.runtime, load_prompts())
        self.loop = EventLoopThread(f"{self.ROLE}-requests")
        self.pb.Logger.log_info(
            f"{self.ROLE}: {settings.runtime} runtime, model {settings.model} "
            f"({self.service.identity.name}), ready in {time.perf_counter() - started:.1f}s"
        )

    def finalize(self) -> None:
        loop = getattr(self, "loop", None)
        if loop is not None:
            loop.stop()
        runtime = getattr(self, "runtime", None)
        if runtime is not None:
            runtime.close()

    # ------------------------------------------------------------------ requests
    def _column(self, request: Any, name: str) -> npt.NDArray[Any] | None:
        tensor = self.pb.get_input_tensor_by_name(request, name)
        if tensor is None:
            return None
        array: npt.NDArray[Any] = tensor.as_numpy()
        return array.reshape(-1)

    def _decode(self, request: Any) -> list[GroundItem | ParseItem]:
        main = self._column(request, self.spec.main_input)
        if main is None or main.size == 0:
            raise RequestError(f"input {self.spec.main_input!r} is missing or empty")
        rows = main.size
        options: dict[str, list[object]] = {}
        for name, convert in self.spec.optional.items():
            column = self._column(request, name)
            if column is None:
                continue
            if column.size not in (1, rows):
                raise RequestError(
                    f"input {name!r} has {column.size} values for {rows} "
                    f"{self.spec.main_input} row(s)"
                )
            values = [convert(v.item() if hasattr(v, "item") else v) for v in column]
            options[name] = values * rows if column.size == 1 else values
        items: list[GroundItem | ParseItem] = []
        for row in range(rows):
            given = {name: values[row] for name, values in options.items()}
            tokens = _option(given, "max_new_tokens", int)
            temperature = _option(given, "temperature", float)
            if self.ROLE == "grounder":
                value = main[row]
                image = value if isinstance(value, bytes) else bytes(value)
                items.append(GroundItem(image, tokens, temperature))
            else:
                thinking = _option(given, "enable_thinking", bool)
                items.append(ParseItem(_text(main[row], "draft"), tokens, temperature, thinking))
        return items

    def _error(self, message: str, internal: bool = False) -> Any:
        error_class = self.pb.TritonError
        code_name = "INTERNAL" if internal else "INVALID_ARG"
        code = getattr(error_class, code_name, None)
        error = error_class(message) if code is None else error_class(message, code)
        return self.pb.InferenceResponse(output_tensors=[], error=error)

    def _response(self, replies: Sequence[Reply]) -> Any:
        columns = {
            "raw_text": [r.raw_text for r in replies],
            self.spec.items_output: [r.items_json() for r in replies],
            "account": [r.account_json() for r in replies],
            "identity": [r.identity_json() for r in replies],
        }
        tensors = [
            self.pb.Tensor(name, np.array([[v.encode("utf-8")] for v in values], dtype=np.object_))
            for name, values in columns.items()
        ]
        return self.pb.InferenceResponse(output_tensors=tensors)

    async def _rows(self, items: list[GroundItem | ParseItem]) -> list[Reply | RequestError]:
        """The role service's outcomes for the rows of one request, each row on its own."""
        service = self.service
        if isinstance(service, GrounderService):
            rows = [service.run_one(i) for i in items if isinstance(i, GroundItem)]
        else:
            rows = [service.run_one(i) for i in items if isinstance(i, ParseItem)]
        return list(await asyncio.gather(*rows))

    async def _answer(self, request: Any) -> Any:
        """The one response of one request (never raises but for cancellation)."""
        try:
            items = self._decode(request)
        except (RequestError, ValueError, TypeError) as error:
            message = (
                str(error) if isinstance(error, RequestError) else f"bad optional input: {error}"
            )
            return self._error(message)
        try:
            results = await self._rows(items)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            message = f"{self.ROLE} failed: {type(error).__name__}: {error}"
            self.pb.Logger.log_error(message)
            return self._error(message, internal=True)
        failed = [(i, r) for i, r in enumerate(results) if isinstance(r, RequestError)]
        if failed:
            index, problem = failed[0]
            where = f"row {index}: " if len(results) > 1 else ""
            return self._error(f"{where}{problem}", isinstance(problem, GenerationError))
        return self._response([r for r in results if isinstance(r, Reply)])

    def _cancelled(self) -> Any:
        error_class = self.pb.TritonError
        code = getattr(error_class, "CANCELLED", None)
        message = "request cancelled by the client"
        error = error_class(message) if code is None else error_class(message, code)
        return self.pb.InferenceResponse(output_tensors=[], error=error)

    async def _serve(self, request: Any) -> None:
        sender = request.get_response_sender()
        is_cancelled = getattr(request, "is_cancelled", lambda: False)
        try:
            response = await watch(self._answer(request), is_cancelled)
        except asyncio.CancelledError:
            response = self._cancelled()
        except Exception as error:  # a bug in this file: still answer the request
            response = self._error(f"{self.ROLE} failed: {error!r}", internal=True)
        try:
            sender.send(response, flags=self.pb.TRITONSERVER_RESPONSE_COMPLETE_FINAL)
        except Exception as error:  # the client went away
            self.pb.Logger.log_warn(f"{self.ROLE}: could not send a response: {error}")

    def execute(self, requests: Sequence[Any]) -> None:
        """Start every request on the event loop and return: responses go out as each is done."""
        for request in requests:
            self.loop.submit(self._serve(request))
        return None
