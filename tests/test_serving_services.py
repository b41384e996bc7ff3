"""The served roles without Triton: per-item errors, the one retry, reasoning, visible failures."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.serving.errors import GenerationError, RequestError
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.prompts import load_prompts
from cxr_auditor.serving.runtime import Chat, Generation, Runtime, reasoning_prefill
from cxr_auditor.serving.services import (
    GrounderService,
    GroundItem,
    ParseItem,
    ParserService,
    Reply,
)

GOOD_FINDINGS = '[{"label": "pneumothorax", "box_2d": [0.1, 0.6, 0.3, 0.9]}]'
DRAFT = "Small left pleural effusion. No pneumothorax."
GOOD_MENTIONS = (
    '[{"label": "pleural_effusion", "status": "present", '
    '"span": "Small left pleural effusion", "laterality": "left"}]'
)


def png(width: int = 32, height: int = 24, mode: str = "L") -> bytes:
    buffer = io.BytesIO()
    dtype = np.uint16 if mode == "I;16" else np.uint8
    Image.fromarray(np.arange(width * height, dtype=dtype).reshape(height, width)).save(
        buffer, "PNG"
    )
    return buffer.getvalue()


class Scripted(Runtime):
    """A runtime answering with ``answer(chat)``; it can be told to fail on some chats."""

    name = "scripted"

    def __init__(self, answer: Callable[[Chat], str | Exception], stopped: bool = True) -> None:
        self.answer = answer
        self.stopped = stopped
        self.batches: list[int] = []
        self.singles = 0

    def generate(self, chats: Sequence[Chat]) -> list[Generation]:
        self.batches.append(len(chats))
        outs = [self.answer(chat) for chat in chats]
        for out in outs:
            if isinstance(out, Exception):
                raise out
        return [Generation(str(out), 7, self.stopped) for out in outs]

    async def generate_one(self, chat: Chat) -> Generation:
        self.singles += 1
        out = self.answer(chat)
        if isinstance(out, Exception):
            raise out
        return Generation(str(out), 7, self.stopped)

    def close(self) -> None:
        pass


def last_text(chat: Chat) -> str:
    content = chat.messages[-1]["content"]
    return content if isinstance(content, str) else content[-1]["text"]  # type: ignore[index]


def grounder(answer: Callable[[Chat], str | Exception], **params: str) -> GrounderService:
    settings = read_settings("grounder", {"runtime": "replay", "model": "/", **params})
    return GrounderService(settings, Scripted(answer), load_prompts())


def parser(answer: Callable[[Chat], str | Exception], **params: str) -> ParserService:
    settings = read_settings("draft_parser", {"runtime": "replay", "model": "/", **params})
    return ParserService(settings, Scripted(answer), load_prompts())


def is_retry(chat: Chat) -> bool:
    return "could not be read" in last_text(chat)


def test_good_output_is_read_without_retry() -> None:
    [reply] = grounder(lambda chat: GOOD_FINDINGS).run([GroundItem(png())])
    assert isinstance(reply, Reply)
    assert reply.account.status == "ok" and reply.attempts == 1
    assert reply.items[0]["label"] == "pneumothorax" and reply.items[0]["source"] == "model"
    assert reply.identity.role == "grounder" and reply.identity.kind == "model"


def test_unparseable_output_is_retried_once_and_the_retry_recorded() -> None:
    service = grounder(lambda chat: GOOD_FINDINGS if is_retry(chat) else "I see lungs.")
    [reply] = service.run([GroundItem(png())])
    assert isinstance(reply, Reply) and reply.attempts == 2
    assert reply.account.status == "repaired"
    assert reply.account.repairs[0].startswith("retry: the first output was unparseable")
    assert reply.raw_text == GOOD_FINDINGS


def test_garbage_twice_stays_unparseable_and_visible() -> None:
    [reply] = grounder(lambda chat: "\ufffd\ufffd[[[[").run([GroundItem(png())])
    assert isinstance(reply, Reply)
    assert reply.account.status == "unparseable" and reply.account.error
    assert reply.items == [] and reply.attempts == 2
    assert reply.account.repairs[0].startswith("retry:")


def test_no_retry_when_switched_off() -> None:
    service = grounder(lambda chat: "nothing", retry_unparseable="false")
    [reply] = service.run([GroundItem(png())])
    assert isinstance(reply, Reply) and reply.attempts == 1
    assert not any(r.startswith("retry:") for r in reply.account.repairs)


def test_cut_off_generation_says_so_in_the_error() -> None:
    service = grounder(lambda chat: '[{"label": "pneumo')
    service.runtime.stopped = False  # type: ignore[attr-defined]
    [reply] = service.run([GroundItem(png())])
    assert isinstance(reply, Reply) and "max_new_tokens budget" in str(reply.account.error)


@pytest.mark.parametrize(
    "item,message",
    [
        (GroundItem(b""), "empty"),
        (GroundItem(b"GIF89a......"), "not PNG or JPEG"),
        (GroundItem(png()[:60]), "corrupt or truncated"),
        (GroundItem(b"\x89PNG\r\n\x1a\n" + b"\0" * 100), "PNG"),
        (GroundItem(png(), max_new_tokens=0), "max_new_tokens = 0"),
        (GroundItem(png(), max_new_tokens=99999), "max_new_tokens_limit"),
        (GroundItem(png(), temperature=5.0), "temperature"),
    ],
)
def test_a_bad_image_request_fails_alone(item: GroundItem, message: str) -> None:
    replies = grounder(lambda chat: GOOD_FINDINGS).run(
        [GroundItem(png()), item, GroundItem(png(40, 30))]
    )
    assert isinstance(replies[0], Reply) and isinstance(replies[2], Reply)
    assert isinstance(replies[1], RequestError) and message in str(replies[1])


def test_oversized_image_is_refused_with_the_limit() -> None:
    data = png(256, 256)
    service = grounder(lambda chat: GOOD_FINDINGS, max_image_bytes=str(len(data) - 1))
    over, at_limit = service.run([GroundItem(data), GroundItem(data[: len(data) - 1])])
    assert isinstance(over, RequestError) and "max_image_bytes" in str(over)
    assert "max_image_bytes" not in str(at_limit)


def test_sixteen_bit_film_is_accepted() -> None:
    seen: list[Image.Image] = []

    def answer(chat: Chat) -> str:
        assert chat.image is not None
        seen.append(chat.image)
        return GOOD_FINDINGS

    [reply] = grounder(answer).run([GroundItem(png(mode="I;16"))])
    assert isinstance(reply, Reply) and seen[0].mode == "RGB"


def test_a_generation_failure_is_isolated_to_its_chat() -> None:
    def answer(chat: Chat) -> str | Exception:
        return (
            RuntimeError("CUDA out of memory")
            if chat.image and chat.image.width == 41
            else GOOD_FINDINGS
        )

    service = grounder(answer)
    replies = service.run([GroundItem(png()), GroundItem(png(41, 24)), GroundItem(png())])
    assert [type(r).__name__ for r in replies] == ["Reply", "GenerationError", "Reply"]
    assert isinstance(replies[1], GenerationError) and "CUDA out of memory" in str(replies[1])
    assert service.runtime.batches[0] == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "item,message",
    [
        (ParseItem("   "), "draft is empty"),
        (ParseItem("x" * 101), "the limit is 100"),
    ],
)
def test_a_bad_draft_request_fails_alone(item: ParseItem, message: str) -> None:
    replies = parser(lambda chat: GOOD_MENTIONS, max_draft_chars="100").run(
        [ParseItem(DRAFT), item]
    )
    assert isinstance(replies[0], Reply) and isinstance(replies[1], RequestError)
    assert message in str(replies[1])


@pytest.mark.parametrize(
    "raw,repair",
    [
        ("<think>The draft says effusion.</think>" + GOOD_MENTIONS, "think_block"),
        ("<think>\nStill thinking about the eff", "think_cut_off"),
        ("The draft mentions an effusion.</think>\n" + GOOD_MENTIONS, "think_open_in_prompt"),
    ],
)
def test_reasoning_is_stripped_complete_or_cut_off(raw: str, repair: str) -> None:
    [reply] = parser(lambda chat: raw, retry_unparseable="false").run([ParseItem(DRAFT)])
    assert isinstance(reply, Reply)
    assert any(r.startswith(repair) for r in reply.account.repairs), reply.account.repairs


def test_cut_off_reasoning_is_unparseable_not_empty() -> None:
    [reply] = parser(lambda chat: "<think>\nhmm [", retry_unparseable="false").run(
        [ParseItem(DRAFT)]
    )
    assert isinstance(reply, Reply) and reply.account.status == "unparseable"


@pytest.mark.parametrize(
    "default,asked,expected",
    [("false", None, False), ("false", True, True), ("true", None, True), ("true", False, False)],
)
def test_reasoning_switch(default: str, asked: bool | None, expected: bool) -> None:
    seen: list[bool | None] = []

    def answer(chat: Chat) -> str:
        seen.append(chat.enable_thinking)
        return GOOD_MENTIONS

    parser(answer, enable_thinking=default).run([ParseItem(DRAFT, enable_thinking=asked)])
    assert seen == [expected]


def test_parser_retry_puts_the_instruction_before_the_draft() -> None:
    chats: list[Chat] = []

    def answer(chat: Chat) -> str:
        chats.append(chat)
        return GOOD_MENTIONS if len(chats) > 1 else "no json here"

    [reply] = parser(answer).run([ParseItem(DRAFT)])
    assert isinstance(reply, Reply) and reply.account.status == "repaired"
    retry_text = last_text(chats[1])
    assert retry_text.endswith(DRAFT) and retry_text.index("could not be read") < retry_text.index(
        DRAFT
    )
    assert reply.items[0]["span"] == [0, 27]


@pytest.mark.parametrize(
    "prompt,prefill",
    [
        ("<|im_start|>assistant\n<think>\n", "<think>\n"),
        ("<|im_start|>assistant\n<think></think>", ""),
        ("<start_of_turn>model\n", ""),
    ],
)
def test_reasoning_prefill(prompt: str, prefill: str) -> None:
    assert reasoning_prefill(prompt) == prefill


def test_identity_reports_name_and_version(tmp_path: Path) -> None:
    settings = read_settings(
        "grounder",
        {
            "runtime": "replay",
            "model": str(tmp_path),
            "model_name": "medgemma-cxr-auditor-v2",
            "model_version": "v2",
        },
    )
    service = GrounderService(settings, Scripted(lambda c: "[]"), load_prompts())
    assert (service.identity.name, service.identity.version) == ("medgemma-cxr-auditor-v2", "v2")


def test_run_one_generates_parses_and_retries_each_item_on_its_own() -> None:
    """The serving path: one item's retry is its own second generation, not a batch's."""

    def answer(chat: Chat) -> str | Exception:
        if chat.image is not None and chat.image.width == 41:
            return RuntimeError("CUDA out of memory")
        return GOOD_FINDINGS if is_retry(chat) or chat.image.width == 32 else "I see lungs."  # type: ignore[union-attr]

    service = grounder(answer)

    async def three() -> list[Reply | RequestError]:
        items = [GroundItem(png()), GroundItem(png(41, 24)), GroundItem(png(42, 24))]
        return list(await asyncio.gather(*(service.run_one(item) for item in items)))

    good, failed, retried = asyncio.run(three())
    assert isinstance(good, Reply) and good.attempts == 1 and good.account.status == "ok"
    assert isinstance(failed, GenerationError) and "CUDA out of memory" in str(failed)
    assert isinstance(retried, Reply) and retried.attempts == 2
    assert retried.account.status == "repaired"
    assert retried.account.repairs[0].startswith("retry: the first output was unparseable")
    runtime = service.runtime
    assert isinstance(runtime, Scripted) and runtime.batches == [] and runtime.singles == 4


def test_run_one_refuses_a_bad_item_without_generating() -> None:
    service = parser(lambda chat: "[]", max_draft_chars="10")
    outcome = asyncio.run(service.run_one(ParseItem("x" * 11)))
    assert isinstance(outcome, RequestError) and "the limit is 10" in str(outcome)
    runtime = service.runtime
    assert isinstance(runtime, Scripted) and runtime.singles == 0
