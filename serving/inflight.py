"""The serving event loop: one thread per model instance that runs each request as a coroutine.

The pattern of NVIDIA's llmapi Triton model: ``execute`` hands every request to this loop and
returns at once; the request's coroutine decodes it, awaits its generation(s) (the runtime's
``generate_one``: TensorRT-LLM batches all in-flight requests each step), parses, retries, and
sends its response through the request's response sender as soon as it is done, whatever the
others are doing. ``watch`` cancels a request's work when the client cancels it.

No Triton import: ``serving.triton_model`` uses this; tests drive it directly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

CANCEL_CHECK_S = 0.1  # NVIDIA's llmapi model checks every 100 ms by default


class EventLoopThread:
    """An asyncio loop running forever in a daemon thread; ``submit`` is thread-safe."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._pending: set[concurrent.futures.Future[Any]] = set()
        self._lock = threading.Lock()
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: concurrent.futures.Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._pending)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Let the requests in flight finish (up to ``timeout_s``), then stop the loop."""
        with self._lock:
            pending = list(self._pending)
        concurrent.futures.wait(pending, timeout=timeout_s)
        for future in pending:
            future.cancel()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=timeout_s)


async def watch(
    work: Coroutine[Any, Any, T], cancelled: Callable[[], bool], period_s: float = CANCEL_CHECK_S
) -> T:
    """Run ``work``; cancel it (CancelledError) when ``cancelled()`` turns true."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=period_s)
            if done:
                return task.result()
            if cancelled():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise asyncio.CancelledError("cancelled by the client")
    finally:
        if not task.done():
            task.cancel()
