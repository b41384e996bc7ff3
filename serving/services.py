"""The two served roles as plain Python: check each request, generate, parse, retry once, account.

``GrounderService`` turns image bytes into findings; ``ParserService`` turns a draft into mentions.
``run_one`` (the serving path, a coroutine) handles one item on its own: its generation, parse
and retry await only that item, so concurrent requests are batched in flight by the runtime and
none waits for another's retry. ``run`` takes a batch of items (offline use) and returns, per
item, either a ``Reply`` or the ``RequestError`` that item earned (bad input, generation
failure): one bad item never fails the others. An output that
cannot be parsed is retried once with the corrective prompt (when ``retry_unparseable``); the
retry is recorded at the head of the account's ``repairs``, and an output still unparseable stays
``unparseable`` with its error (never an empty success). Reasoning traces are stripped by the
output parser (complete, opened by the template, or cut off).

No Triton here: ``serving.triton_model`` decodes tensors into these items and encodes the replies.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar, cast

from cxr_auditor.core.parse_output import parse_draft_output, parse_grounder_output
from cxr_auditor.core.schemas import ParseAccount, ReaderIdentity
from cxr_auditor.serving.errors import GenerationError, RequestError
from cxr_auditor.serving.images import decode_image
from cxr_auditor.serving.model_settings import HUB_ID, ModelSettings
from cxr_auditor.serving.prompts import Prompts, grounder_messages, parser_messages
from cxr_auditor.serving.runtime import Chat, Generation, Runtime, run_each

RETRY_NOTE = (
    "retry: the first output was unparseable ({error}); asked again once with the "
    "corrective instruction"
)


@dataclass(frozen=True)
class GroundItem:
    image_bytes: bytes
    max_new_tokens: int | None = None
    temperature: float | None = None


@dataclass(frozen=True)
class ParseItem:
    draft: str
    max_new_tokens: int | None = None
    temperature: float | None = None
    enable_thinking: bool | None = None


@dataclass(frozen=True)
class Reply:
    raw_text: str
    items: list[dict[str, object]]  # findings or mentions, as JSON-ready dicts
    account: ParseAccount
    identity: ReaderIdentity
    attempts: int

    def items_json(self) -> str:
        return json.dumps(self.items, ensure_ascii=False)

    def account_json(self) -> str:
        return self.account.model_dump_json()

    def identity_json(self) -> str:
        return self.identity.model_dump_json()


Parsed = tuple[list[dict[str, object]], ParseAccount]
ItemT = TypeVar("ItemT", "GroundItem", "ParseItem")


def identity_for(settings: ModelSettings) -> ReaderIdentity:
    version = str(settings["model_version"])
    if not version and HUB_ID.match(settings.model):
        version = settings.model.split("@")[1][:12]
    role: Literal["grounder", "parser"] = "grounder" if settings.role == "grounder" else "parser"
    return ReaderIdentity(role=role, kind="model", name=settings.display_name, version=version)


class _Service(Generic[ItemT]):
    """Shared logic; a role service defines ``chat``, ``parse`` and ``retry_chat`` per item."""

    def chat(self, item: ItemT) -> Chat:
        raise NotImplementedError

    def parse(self, item: ItemT, raw: str) -> Parsed:
        raise NotImplementedError

    def retry_chat(self, item: ItemT, chat: Chat) -> Chat:
        raise NotImplementedError

    def _run_items(self, items: Sequence[ItemT]) -> list[Reply | RequestError]:
        """A batch: generated together (offline use), retries generated together."""
        chats: list[Chat | RequestError] = []
        for item in items:
            try:
                chats.append(self.chat(item))
            except RequestError as error:
                chats.append(error)
        return self._run(
            chats,
            lambda index, raw: self.parse(items[index], raw),
            lambda index, chat: self.retry_chat(items[index], chat),
        )

    async def _run_one(self, item: ItemT) -> Reply | RequestError:
        """One item on its own (the serving path): generate, parse, retry once, account.

        Awaits only this item's generations, so other items in flight never wait for it.
        """
        try:
            chat = self.chat(item)
        except RequestError as error:
            return error
        first = await self._generate_one(chat)
        if isinstance(first, RequestError):
            return first
        reply = self._reply(lambda _, raw: self.parse(item, raw), 0, first, 1)
        if not (self.settings["retry_unparseable"] and reply.account.status == "unparseable"):
            return reply
        return self._retried(item, reply, await self._generate_one(self.retry_chat(item, chat)))

    def _retried(
        self, item: ItemT, first: Reply, generation: Generation | RequestError
    ) -> Reply | RequestError:
        note = RETRY_NOTE.format(error=first.account.error)
        if isinstance(generation, RequestError):
            return GenerationError(f"{note}; the retry failed: {generation}")
        reply: Reply = self._reply(lambda _, raw: self.parse(item, raw), 0, generation, 2)
        status = "repaired" if reply.account.status == "ok" else reply.account.status
        account = reply.account.model_copy(
            update={"repairs": [note, *reply.account.repairs], "status": status}
        )
        return Reply(reply.raw_text, reply.items, account, reply.identity, 2)

    async def _generate_one(self, chat: Chat) -> Generation | RequestError:
        try:
            return await self.runtime.generate_one(chat)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            return GenerationError(f"generation failed: {type(error).__name__}: {error}")

    def __init__(self, settings: ModelSettings, runtime: Runtime, prompts: Prompts) -> None:
        self.settings = settings
        self.runtime = runtime
        self.prompts = prompts
        self.identity = identity_for(settings)

    def _budget(self, max_new_tokens: int | None, temperature: float | None) -> tuple[int, float]:
        limit = self.settings.integer("max_new_tokens_limit")
        tokens = (
            self.settings.integer("max_new_tokens") if max_new_tokens is None else max_new_tokens
        )
        if not 1 <= tokens <= limit:
            raise RequestError(
                f"max_new_tokens = {tokens} is outside 1..{limit} (parameter max_new_tokens_limit)"
            )
        temp = self.settings.number("temperature") if temperature is None else temperature
        if not 0.0 <= temp <= 2.0:
            raise RequestError(f"temperature = {temp} is outside 0..2")
        return tokens, temp

    def _run(
        self,
        chats: Sequence[Chat | RequestError],
        parse: Callable[[int, str], Parsed],
        retry_chat: Callable[[int, Chat], Chat],
    ) -> list[Reply | RequestError]:
        results: list[Reply | RequestError | None] = [
            c if isinstance(c, RequestError) else None for c in chats
        ]
        live = [i for i, c in enumerate(chats) if isinstance(c, Chat)]
        for index, generation in zip(live, self._generate([cast(Chat, chats[i]) for i in live])):
            results[index] = (
                generation
                if isinstance(generation, RequestError)
                else self._reply(parse, index, generation, 1)
            )
        again = [
            i
            for i in live
            if self.settings["retry_unparseable"]
            and isinstance(results[i], Reply)
            and cast(Reply, results[i]).account.status == "unparseable"
        ]
        retries = [retry_chat(i, cast(Chat, chats[i])) for i in again]
        for index, generation in zip(again, self._generate(retries)):
            note = RETRY_NOTE.format(error=cast(Reply, results[index]).account.error)
            if isinstance(generation, RequestError):
                results[index] = GenerationError(f"{note}; the retry failed: {generation}")
                continue
            reply: Reply = self._reply(parse, index, generation, 2)
            status = "repaired" if reply.account.status == "ok" else reply.account.status
            account = reply.account.model_copy(
                update={"repairs": [note, *reply.account.repairs], "status": status}
            )
            results[index] = Reply(reply.raw_text, reply.items, account, reply.identity, 2)
        assert all(r is not None for r in results)
        return cast(list[Reply | RequestError], results)

    def _generate(self, chats: Sequence[Chat]) -> list[Generation | RequestError]:
        if not chats:
            return []
        return [
            g
            if isinstance(g, Generation)
            else GenerationError(f"generation failed: {type(g).__name__}: {g}")
            for g in run_each(self.runtime, chats)
        ]

    def _reply(
        self, parse: Callable[[int, str], Parsed], index: int, generation: Generation, attempts: int
    ) -> Reply:
        items, account = parse(index, generation.text)
        if account.status == "unparseable" and not generation.stopped:
            account = account.model_copy(
                update={
                    "error": f"{account.error} (generation stopped at the max_new_tokens budget "
                    f"after {generation.new_tokens} tokens)"
                }
            )
        return Reply(generation.text, items, account, self.identity, attempts)


class GrounderService(_Service[GroundItem]):
    def chat(self, item: GroundItem) -> Chat:
        tokens, temp = self._budget(item.max_new_tokens, item.temperature)
        image = decode_image(item.image_bytes, self.settings.integer("max_image_bytes"))
        return Chat(grounder_messages(self.prompts), image, tokens, temp)

    def parse(self, item: GroundItem, raw: str) -> Parsed:
        findings, account = parse_grounder_output(raw, source="model")
        return [f.model_dump(mode="json") for f in findings], account

    def retry_chat(self, item: GroundItem, chat: Chat) -> Chat:
        return Chat(
            grounder_messages(self.prompts, retry=True),
            chat.image,
            chat.max_new_tokens,
            chat.temperature,
        )

    def run(self, items: Sequence[GroundItem]) -> list[Reply | RequestError]:
        return self._run_items(items)

    async def run_one(self, item: GroundItem) -> Reply | RequestError:
        return await self._run_one(item)


class ParserService(_Service[ParseItem]):
    def chat(self, item: ParseItem) -> Chat:
        limit = self.settings.integer("max_draft_chars")
        tokens, temp = self._budget(item.max_new_tokens, item.temperature)
        if not item.draft.strip():
            raise RequestError("draft is empty")
        if len(item.draft) > limit:
            raise RequestError(
                f"draft is {len(item.draft)} characters; the limit is "
                f"{limit} (parameter max_draft_chars)"
            )
        default_thinking = bool(self.settings["enable_thinking"])
        thinking = default_thinking if item.enable_thinking is None else item.enable_thinking
        return Chat(parser_messages(self.prompts, item.draft), None, tokens, temp, thinking)

    def parse(self, item: ParseItem, raw: str) -> Parsed:
        mentions, account = parse_draft_output(raw, item.draft)
        return [m.model_dump(mode="json") for m in mentions], account

    def retry_chat(self, item: ParseItem, chat: Chat) -> Chat:
        return Chat(
            parser_messages(self.prompts, item.draft, retry=True),
            None,
            chat.max_new_tokens,
            chat.temperature,
            chat.enable_thinking,
        )

    def run(self, items: Sequence[ParseItem]) -> list[Reply | RequestError]:
        return self._run_items(items)

    async def run_one(self, item: ParseItem) -> Reply | RequestError:
        return await self._run_one(item)
