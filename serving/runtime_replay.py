"""The ``replay`` runtime: canned outputs from a JSON file, for tests and demos without weights.

The ``model`` parameter names a JSON file::

    {"delay_ms": 50,
     "rules": [{"match": "<regular expression>", "output": "<raw model text>"}, ...],
     "default": "<raw model text>"}

Each chat is turned into a transcript, ``"image WxH\\n"`` (when it has an image) followed by the
text of every message; the first rule whose expression is found in the transcript gives the
output, otherwise ``default``. A retry prompt is part of the transcript, so a rule can answer the
corrective retry differently from the first attempt. ``delay_ms`` sleeps per batch to imitate
generation time. The file is validated on load (allowed keys, valid expressions).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import ModelSettings
from cxr_auditor.serving.runtime import Chat, Generation, Runtime

TOP_KEYS = ("delay_ms", "rules", "default")
RULE_KEYS = ("match", "output")


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
    """(rules, default output, delay in seconds); RuntimeLoadError naming the file and key."""
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
        self.rules, self.default, self.delay_s = read_replay(Path(settings.model))

    def answer(self, chat: Chat) -> str:
        text = transcript(chat)
        return next((r.output for r in self.rules if r.pattern.search(text)), self.default)

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        if self.delay_s:
            time.sleep(self.delay_s)
        return [Generation(self.answer(chat), 0, True) for chat in chats]

    def close(self) -> None:
        self.rules = []


def load(settings: ModelSettings) -> Runtime:
    return ReplayRuntime(settings)
