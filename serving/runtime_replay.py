"""The ``replay`` runtime: canned outputs from a JSON file, for tests and demos without weights.

The ``model`` parameter names a JSON file::

    {"delay_ms": 50,
     "rules": [{"match": "<regular expression>", "output": "<raw model text>"}, ...],
     "default": "<raw model text>",
     "steps": {"step_ms": 20, "tokens": 10, "max_batch": 64, "inflight": true},
     "count": {"file": "/tmp/peak.json", "hold_until": 16, "hold_ms": 30000}}

Each chat is turned into a transcript, ``"image WxH\\n"`` (when it has an image) followed by the
text of every message; the first rule whose expression is found in the transcript gives the
output, otherwise ``default``. A retry prompt is part of the transcript, so a rule can answer the
corrective retry differently from the first attempt. ``delay_ms`` sleeps per batch to imitate
generation time. The file is validated on load (allowed keys, valid expressions).

``steps`` (optional) imitates an engine whose generation takes a fixed time per decoding step,
for the scheduling benchmark (``bench/scheduling_bench.py``): every chat needs ``tokens`` steps
of ``step_ms``; up to ``max_batch`` chats share a step. With ``inflight`` true a chat joins the
running batch at the next step (TensorRT-LLM's in-flight batching); with false a new batch
starts only when the running one has finished (static batching). ``generate`` (a whole batch)
takes ``tokens`` steps per ``max_batch`` chats, like a static batch.

``count`` (optional) counts the generations (``generate_one``, the Triton model's path) in flight
at once in this model instance, so a test can see through a real server how many requests reach
the engine together (counted, not timed): whenever the peak rises it is written to ``file`` as
``{"peak": n}``. With ``hold_until`` > 0 each
generation waits until that many are in flight at once, or ``hold_ms`` has passed, before it
goes on; a scheduler that lets fewer through shows up as a peak below ``hold_until``.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import ModelSettings
from cxr_auditor.serving.runtime import Chat, Generation, Runtime

TOP_KEYS = ("delay_ms", "rules", "default", "steps", "count")
RULE_KEYS = ("match", "output")
STEP_KEYS = ("step_ms", "tokens", "max_batch", "inflight")
COUNT_KEYS = ("file", "hold_until", "hold_ms")


@dataclass(frozen=True)
class Steps:
    step_s: float
    tokens: int
    max_batch: int
    inflight: bool


def read_steps(path: Path, data: object) -> Steps | None:
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != set(STEP_KEYS):
        raise RuntimeLoadError(f"{path}: steps must have exactly the keys {', '.join(STEP_KEYS)}")
    step, tokens, batch, inflight = (data[k] for k in STEP_KEYS)
    numbers = (step, tokens, batch)
    if any(isinstance(n, bool) or not isinstance(n, (int, float)) for n in numbers) or (
        step <= 0 or not isinstance(tokens, int) or tokens < 1 or not isinstance(batch, int)
    ):
        raise RuntimeLoadError(f"{path}: steps needs step_ms > 0 and integers tokens, max_batch")
    if batch < 1 or not isinstance(inflight, bool):
        raise RuntimeLoadError(f"{path}: steps.max_batch must be >= 1, steps.inflight a boolean")
    return Steps(step / 1000.0, tokens, batch, inflight)


@dataclass(frozen=True)
class Count:
    file: Path
    hold_until: int
    hold_s: float


def read_count(path: Path, data: object) -> Count | None:
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != set(COUNT_KEYS):
        raise RuntimeLoadError(f"{path}: count must have exactly the keys {', '.join(COUNT_KEYS)}")
    file, until, hold = (data[k] for k in COUNT_KEYS)
    if not isinstance(file, str) or not file:
        raise RuntimeLoadError(f"{path}: count.file must be a file path")
    if isinstance(until, bool) or not isinstance(until, int) or until < 0:
        raise RuntimeLoadError(f"{path}: count.hold_until must be an integer >= 0")
    if isinstance(hold, bool) or not isinstance(hold, (int, float)) or hold < 0:
        raise RuntimeLoadError(f"{path}: count.hold_ms must be a number >= 0")
    return Count(Path(file), until, hold / 1000.0)


@dataclass
class InFlight:
    """Generations in flight at once in one event loop: the peak, and the optional hold."""

    count: Count
    now: int = 0
    peak: int = 0
    reached: asyncio.Event = field(default_factory=asyncio.Event)

    def enter(self) -> None:
        self.now += 1
        if self.now > self.peak:
            self.peak = self.now
            self.count.file.write_text(json.dumps({"peak": self.peak}), encoding="utf-8")
        if self.peak >= self.count.hold_until:
            self.reached.set()

    def leave(self) -> None:
        self.now -= 1

    async def hold(self) -> None:
        """Wait until ``hold_until`` generations have been in flight at once (or the time)."""
        try:
            await asyncio.wait_for(self.reached.wait(), self.count.hold_s)
        except TimeoutError:
            pass


@dataclass
class _Slot:
    left: int
    done: asyncio.Future[None]


@dataclass
class StepEngine:
    """A fixed-time-per-step decoder shared by the chats of one event loop."""

    steps: Steps
    waiting: list[_Slot] = field(default_factory=list)
    running: list[_Slot] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        done = asyncio.get_running_loop().create_future()
        self.waiting.append(_Slot(self.steps.tokens, done))
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._loop())
        await done

    async def _loop(self) -> None:
        while self.waiting or self.running:
            self.running = [s for s in self.running if not s.done.done()]  # cancelled ones
            if self.steps.inflight or not self.running:
                room = self.steps.max_batch - len(self.running)
                self.running += self.waiting[:room]
                del self.waiting[:room]
            await asyncio.sleep(self.steps.step_s)
            for slot in self.running:
                slot.left -= 1
                if slot.left == 0 and not slot.done.done():
                    slot.done.set_result(None)
            self.running = [s for s in self.running if s.left > 0]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    output: str


def transcript(chat: Chat) -> str:
    parts = [f"image {chat.image.width}x{chat.image.height}"] if chat.image is not None else []
    for message in chat.messages:
        content = message["content"]
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):  # Hugging Face content parts: {"type": "text", ...}
            parts += [
                str(item.get("text", ""))
                for item in content
                if isinstance(item, dict) and item.get("type") == "text"
            ]
    return "\n".join(parts)


def read_replay(path: Path) -> tuple[list[Rule], str, float]:
    """(rules, default output, delay in seconds); RuntimeLoadError naming the file and key
    (``steps`` is read by ``read_steps``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RuntimeLoadError(f"{path}: not a readable JSON replay file ({error})") from None
    if not isinstance(data, dict) or set(data) - set(TOP_KEYS):
        raise RuntimeLoadError(f"{path}: must be an object with keys from {', '.join(TOP_KEYS)}")
    delay = data.get("delay_ms", 0)
    default = data.get("default", "")
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0:
        raise RuntimeLoadError(f"{path}: delay_ms must be a number >= 0, got {delay!r}")
    if not isinstance(default, str):
        raise RuntimeLoadError(f"{path}: default must be a string")
    rules = []
    for index, rule in enumerate(data.get("rules", [])):
        where = f"{path}: rules[{index}]"
        if not isinstance(rule, dict) or set(rule) != set(RULE_KEYS):
            raise RuntimeLoadError(f"{where} must have exactly the keys {', '.join(RULE_KEYS)}")
        if not isinstance(rule["match"], str) or not isinstance(rule["output"], str):
            raise RuntimeLoadError(f"{where}: match and output must be strings")
        try:
            rules.append(Rule(re.compile(rule["match"]), rule["output"]))
        except re.error as error:
            raise RuntimeLoadError(f"{where}.match is not a valid expression ({error})") from None
    return rules, default, delay / 1000.0


class ReplayRuntime:
    name = "replay"

    def __init__(self, settings: ModelSettings) -> None:
        path = Path(settings.model)
        self.rules, self.default, self.delay_s = read_replay(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        self.steps = read_steps(path, data.get("steps"))
        self.count = read_count(path, data.get("count"))
        self._engines: dict[int, StepEngine] = {}
        self._counters: dict[int, InFlight] = {}
        self._lock = threading.Lock()

    def answer(self, chat: Chat) -> str:
        text = transcript(chat)
        return next((r.output for r in self.rules if r.pattern.search(text)), self.default)

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        if self.delay_s:
            time.sleep(self.delay_s)
        if self.steps is not None:
            batches = -(-len(chats) // self.steps.max_batch)
            time.sleep(batches * self.steps.tokens * self.steps.step_s)
        return [Generation(self.answer(chat), 0, True) for chat in chats]

    async def generate_one(self, chat: Chat) -> Generation:
        if self.count is None:
            return await self._generate_one(chat)
        loop = id(asyncio.get_running_loop())
        with self._lock:
            counter = self._counters.setdefault(loop, InFlight(self.count))
        counter.enter()
        try:
            await counter.hold()
            return await self._generate_one(chat)
        finally:
            counter.leave()

    async def _generate_one(self, chat: Chat) -> Generation:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.steps is not None:
            loop = id(asyncio.get_running_loop())
            with self._lock:
                engine = self._engines.setdefault(loop, StepEngine(self.steps))
            await engine.run()
        tokens = self.steps.tokens if self.steps is not None else 0
        return Generation(self.answer(chat), tokens, True)

    def close(self) -> None:
        self.rules = []


def load(settings: ModelSettings) -> Runtime:
    return ReplayRuntime(settings)
