"""A tiny progress bar on stderr for long evaluation runs (standard library only).

On a terminal the bar redraws in place (at most every ``min_interval`` seconds); when stderr is a
file or a pipe (CI logs) it prints one line per tenth of the run instead, so logs stay short.
``enabled=False`` (the CLI's ``--quiet``) silences it. It never touches stdout, which carries the
result table. It does not count or judge items: the evaluations do that.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import Self, TextIO, TypeVar

T = TypeVar("T")
BAR_WIDTH = 24
LOG_STEPS = 10  # lines printed over a whole run when stderr is not a terminal


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Counts done items out of ``total`` and draws them; a context manager (or call close())."""

    def __init__(
        self,
        total: int,
        desc: str,
        *,
        stream: TextIO | None = None,
        enabled: bool = True,
        min_interval: float = 0.2,
    ) -> None:
        self.total, self.desc = max(0, total), desc
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and self.total > 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_interval = min_interval
        self.done = 0
        self.start = time.monotonic()
        self._last_draw = 0.0
        self._last_step = -1
        self._closed = False

    def line(self) -> str:
        """The current status line, e.g. ``synthetic [######------] 120/480 25% 0:03 eta 0:09``."""
        share = self.done / self.total if self.total else 1.0
        filled = round(share * BAR_WIDTH)
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        return (
            f"{self.desc} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {self.done}/{self.total}"
            f" {share:4.0%} {_clock(elapsed)} eta {_clock(eta)}"
        )

    def update(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        if not self.enabled:
            return
        if self.tty:
            now = time.monotonic()
            if now - self._last_draw >= self.min_interval or self.done == self.total:
                self._last_draw = now
                self.stream.write("\r" + self.line())
                self.stream.flush()
            return
        step = self.done * LOG_STEPS // self.total
        if step != self._last_step:
            self._last_step = step
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.enabled and self.tty:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def track(
    items: Iterable[T], total: int, desc: str, *, enabled: bool = True, stream: TextIO | None = None
) -> Iterator[T]:
    """Yield ``items`` while drawing a bar of ``total`` steps."""
    with Progress(total, desc, stream=stream, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.update()
