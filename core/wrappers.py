"""Peel a model's answer out of its wrappers: reasoning traces and markdown fences.

``strip_reasoning`` handles complete ``<think>…</think>`` blocks, a ``</think>`` whose opening tag
sat in the prompt, and a ``<think>`` that was never closed (reasoning cut off). ``strip_fence``
takes the body of the first fence that holds JSON-like text. Each returns the repairs it made, one
line ``"<kind>: <what was done>"``. Reading the JSON itself is ``core.repair_json``'s job.
"""

from __future__ import annotations

import re

_OPEN_THINK = re.compile(r"<think(?:ing)?>", re.IGNORECASE)
_CLOSE_THINK = re.compile(r"</think(?:ing)?>", re.IGNORECASE)
_OPEN_FENCE = re.compile(r"^[ \t]*```[A-Za-z0-9_+-]*[ \t]*", re.MULTILINE)  # starts a line
# A closing fence on a line of its own, as markdown has it; "```" inside a JSON string is not one.
_CLOSE_FENCE = re.compile(r"^[ \t]*```[ \t]*$", re.MULTILINE)
_LINE_END_FENCE = re.compile(r"```[ \t]*$", re.MULTILINE)  # "[...]```": closed at a line's end


def split_reasoning(raw: str) -> tuple[str, list[str], str | None]:
    """(answer, repairs, tail of an unclosed <think> or None)."""
    text, repairs = raw, []
    closes = list(_CLOSE_THINK.finditer(text))
    if closes:
        first_open = _OPEN_THINK.search(text)
        if first_open is None or first_open.start() > closes[0].start():
            repairs.append(
                "think_open_in_prompt: dropped the text up to a </think> with no "
                "opening tag (the chat template opened it)"
            )
        opened = len(_OPEN_THINK.findall(text[: closes[-1].start()]))
        if opened:
            repairs.append(
                f"think_block: removed {opened} <think>…</think> block(s) "
                f"({closes[-1].end()} chars)"
            )
        text = text[closes[-1].end() :]
    unclosed = _OPEN_THINK.search(text)
    if unclosed is None:
        return text, repairs, None
    tail = text[unclosed.end() :]
    repairs.append(
        f"think_cut_off: <think> was never closed; {len(tail)} chars of reasoning dropped"
    )
    return text[: unclosed.start()], repairs, tail


def strip_reasoning(raw: str) -> tuple[str, list[str]]:
    """Remove reasoning traces; return the answer text and what was removed.

    Handles complete ``<think>…</think>`` blocks, a ``</think>`` whose opening tag sat in the
    prompt (everything before it is dropped) and a ``<think>`` never closed (the reasoning was cut
    off: the answer is only what came before the tag, usually nothing). The parsers call this
    themselves: give them the raw text, so that a cut-off is reported as one.
    """
    answer, repairs, _ = split_reasoning(raw)
    return answer, repairs


def strip_fence(text: str) -> tuple[str, list[str]]:
    """The body of the first markdown fence (opened at a line start) that holds JSON-like text."""
    position = 0
    while opening := _OPEN_FENCE.search(text, position):
        # A fence closed on its own line, else at the end of a line; a "```" inside the JSON
        # (a string holding backticks) closes nothing.
        closing = _CLOSE_FENCE.search(text, opening.end()) or _LINE_END_FENCE.search(
            text, opening.end()
        )
        position = closing.end() if closing else len(text)
        body = text[opening.end() : closing.start() if closing else len(text)]
        if "[" not in body and "{" not in body:
            continue
        outside = text[: opening.start()] + (text[closing.end() :] if closing else "")
        repairs = (
            [f"code_fence: took the JSON inside a {opening.group().strip()} fence"]
            if closing
            else [
                f"code_fence_unclosed: took the text after an unclosed "
                f"{opening.group().strip()} fence"
            ]
        )
        if outside.strip():
            repairs.append(f"prose: ignored {len(outside.strip())} chars outside the fence")
        return body, repairs
    return text, []
