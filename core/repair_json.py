"""Find the JSON list in a model's raw text: strict first, then a small, deterministic repair.

``extract_json_list`` first tries ``json.loads`` on the whole stripped text. Only if that fails or
gives no list does it repair, in this order: reasoning traces (``strip_reasoning``), a markdown
fence, then prose around the JSON: the first ``[``/``{`` that reads as a list holding an object, or
as an object, wins (else the first ``[]``). That read is lenient: trailing/missing commas, single
quotes, unquoted keys, True/False/None, NaN/Infinity, and a list cut off or broken mid-element
(its complete elements are kept). One object becomes a one-element list, a wrapper object with one
list gives that list, objects one per line become a list, objects written as strings are decoded,
more than ``MAX_ITEMS`` elements (a repetition loop) are cut and recorded as dropped, and
unpaired surrogates (``"\\ud800"``, which no UTF-8 reply can carry) become U+FFFD. Each
repair is one line ``"<kind>: <what was done>"`` (kinds in ``REPAIR_KINDS``). Unrecoverable text
comes back with ``items=None`` and an ``error`` that says why. Labels and boxes are
``core.parse_output``'s business, not this module's.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import DroppedItem
from cxr_auditor.core.wrappers import split_reasoning, strip_fence

# A repetition loop can emit hundreds of elements; nothing real comes close to this many.
MAX_ITEMS = 64
MAX_DEPTH = 32
MAX_CANDIDATES = 200

_READER_TEXT = {
    "trailing_comma": "removed {n} trailing comma(s)",
    "missing_comma": "inserted {n} missing comma(s) between items",
    "extra_comma": "skipped {n} extra comma(s)",
    "single_quotes": "read {n} single-quoted string(s)",
    "unquoted_key": "read {n} unquoted key(s)",
    "python_literal": "read {n} Python literal(s) (True/False/None)",
    "nonfinite_number": "read {n} NaN/Infinity constant(s)",
    "huge_number": "read {n} number(s) too large for a float as infinity",
    "control_char": "accepted raw control characters in {n} string(s)",
    "duplicate_key": "kept the last value of {n} repeated key(s)",
}
REPAIR_KINDS = (
    "think_block",
    "think_open_in_prompt",
    "think_cut_off",
    "code_fence",
    "code_fence_unclosed",
    "prose",
    "json_in_string",
    "single_object",
    "wrapped_list",
    "object_sequence",
    "truncated",
    "invalid_element",
    "lenient_read",
    "lone_surrogate",
    *_READER_TEXT,
)
_LENIENT_READ = "lenient_read: the text was not strict JSON; read it leniently"
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORDS = {"true": True, "false": False, "null": None}
_PYTHON_WORDS = {"True": True, "False": False, "None": None}
_NONFINITE = {"NaN": math.nan, "Infinity": math.inf}
_LITERALS = {**_WORDS, **_PYTHON_WORDS, **_NONFINITE}
_SURROGATE = re.compile(
    "[\ud800-\udfff]"
)  # unpaired: "\\ud800" decodes to one; UTF-8 cannot hold it


@dataclass(frozen=True)
class Extraction:
    """The list found in a raw output. ``items`` is None exactly when the text was unrecoverable.

    ``strict`` is True only when the whole text was strict JSON holding a list; then ``repairs`` is
    empty (and otherwise it is not). ``dropped`` holds what the element cap cut (the list itself is
    never filtered here).
    """

    items: list[object] | None
    repairs: list[str] = field(default_factory=list)
    dropped: list[DroppedItem] = field(default_factory=list)
    error: str | None = None
    strict: bool = False


# ---------------------------------------------------------------------------- strict JSON


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _strict(text: str) -> tuple[bool, object]:
    """(True, value) when ``text`` is strict JSON (NaN/Infinity refused), else (False, None)."""
    try:
        return True, json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return False, None


# ------------------------------------------------------------------------- lenient reader


class _Stop(Exception):
    def __init__(self, message: str, truncated: bool = False) -> None:
        super().__init__(message)
        self.truncated = truncated


class _Reader:
    """A forgiving recursive-descent JSON reader over ``text``, depth-limited to MAX_DEPTH."""

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos
        self.counts: dict[str, int] = {}
        self.salvage: list[str] = []
        self.capped = False

    def note(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def repairs(self) -> list[str]:
        return [f"{kind}: {_READER_TEXT[kind].format(n=n)}" for kind, n in self.counts.items()]

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self, where: str) -> str:
        self.skip_ws()
        if self.pos >= len(self.text):
            raise _Stop(f"the output ends inside {where}", truncated=True)
        return self.text[self.pos]

    def value(self, depth: int) -> object:
        char = self.peek("a value")
        if char in "[{":
            if depth >= MAX_DEPTH:
                raise _Stop(f"nested deeper than {MAX_DEPTH} levels at char {self.pos}")
            return self.array(depth + 1) if char == "[" else self.obj(depth + 1)
        if char in "\"'":
            return self.string()
        if char in "-+.0123456789":
            return self.number()
        if char.isalpha() or char == "_":
            return self.word()
        raise _Stop(f"unexpected {char!r} at char {self.pos}")

    def _separator(self, closer: str, has_items: bool, after_comma: bool, where: str) -> str:
        """Consume commas before the next item; return 'close', 'item'."""
        while True:
            char = self.peek(where)
            if char == closer:
                if after_comma and has_items:
                    self.note("trailing_comma")
                self.pos += 1
                return "close"
            if char == ",":
                if after_comma or not has_items:
                    self.note("extra_comma")
                after_comma = True
                self.pos += 1
                continue
            if has_items and not after_comma:
                self.note("missing_comma")
            return "item"

    def array(self, depth: int, top: bool = False) -> list[object]:
        """Read a list. At the top, keep the complete elements of a list cut off or broken."""
        self.pos += 1
        items: list[object] = []
        after_comma = False
        while True:
            try:
                if self._separator("]", bool(items), after_comma, "the list") == "close":
                    return items
                if top and len(items) == MAX_ITEMS:
                    self.capped = True
                    return items
                items.append(self.value(depth))
            except _Stop as stop:
                if top and not items and stop.truncated:
                    raise _Stop(
                        "the output was cut off before its first element was complete",
                        truncated=True,
                    ) from None
                if not top or not items:
                    raise
                kind = "truncated" if stop.truncated else "invalid_element"
                self.salvage = [
                    f"{kind}: the list breaks off after {len(items)} complete "
                    f"element(s) ({stop}); kept those"
                ]
                return items
            after_comma = self.comma()

    def obj(self, depth: int) -> dict[str, object]:
        self.pos += 1
        members: dict[str, object] = {}
        after_comma = False
        while self._separator("}", bool(members), after_comma, "an object") == "item":
            key = self.key()
            if self.peek("an object") != ":":
                raise _Stop(f"expected ':' after key {key!r} at char {self.pos}")
            self.pos += 1
            if key in members:
                self.note("duplicate_key")
            members[key] = self.value(depth)
            after_comma = self.comma()
        return members

    def comma(self) -> bool:
        self.skip_ws()
        if self.pos < len(self.text) and self.text[self.pos] == ",":
            self.pos += 1
            return True
        return False

    def key(self) -> str:
        char = self.peek("an object key")
        if char in "\"'":
            return self.string()
        match = _WORD.match(self.text, self.pos)
        if not match:
            raise _Stop(f"expected a key at char {self.pos}, found {char!r}")
        self.note("unquoted_key")
        self.pos = match.end()
        return match.group()

    def string(self) -> str:
        quote, start = self.text[self.pos], self.pos
        end = start + 1
        while end < len(self.text) and self.text[end] != quote:
            end += 2 if self.text[end] == "\\" else 1
        if end >= len(self.text):
            raise _Stop("the output ends inside a string", truncated=True)
        self.pos = end + 1
        body = self.text[start + 1 : end]
        if quote == "'":
            self.note("single_quotes")
            body = re.sub(
                r'\\(.)|"',
                lambda m: '\\"' if m.group() == '"' else ("'" if m.group(1) == "'" else m.group()),
                body,
                flags=re.DOTALL,
            )
        try:
            return str(json.loads(f'"{body}"'))  # a JSON string literal decodes to a str
        except ValueError:
            self.note("control_char")  # raw newlines and tabs; a bad escape stops below
        try:
            return str(json.loads(f'"{body}"', strict=False))
        except ValueError:
            raise _Stop(f"invalid escape in the string at char {start}") from None

    def number(self) -> float | int:
        if self.text.startswith("-Infinity", self.pos):
            self.pos += len("-Infinity")
            self.note("nonfinite_number")
            return -math.inf
        match = _NUMBER.match(self.text, self.pos)
        if not match:
            raise _Stop(f"unexpected {self.text[self.pos]!r} at char {self.pos}")
        self.pos, token = match.end(), match.group()
        try:
            return int(token)
        except ValueError:  # a fraction, an exponent, or more digits than int() converts
            value = float(token)
        if not math.isfinite(value):
            self.note("huge_number")
        return value

    def word(self) -> object:
        match = _WORD.match(self.text, self.pos)
        if match is None:
            raise _Stop(f"unexpected {self.text[self.pos]!r} at char {self.pos}")
        word = match.group()
        if word not in _LITERALS:
            if match.end() == len(self.text) and any(w.startswith(word) for w in _LITERALS):
                raise _Stop("the output ends inside a literal", truncated=True)
            raise _Stop(f"unexpected word {word!r} at char {self.pos}")
        self.pos = match.end()
        if word in _PYTHON_WORDS:
            self.note("python_literal")
        elif word in _NONFINITE:
            self.note("nonfinite_number")
        return _LITERALS[word]


# ------------------------------------------------------------------------------ extraction


def _as_list(value: object, repairs: list[str]) -> list[object] | str:
    """Shape a decoded value into a list, or return an error message."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        lists = [(key, item) for key, item in value.items() if isinstance(item, list)]
        if "label" not in value and len(lists) == 1:
            repairs.append(f"wrapped_list: took the list under key {lists[0][0]!r}")
            return lists[0][1]
        repairs.append("single_object: one object instead of a list; wrapped it in a list")
        return [value]
    kind = {str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "null")
    return f"the output is a JSON {kind}, not a list of objects"


def _decode_string_items(items: list[object], repairs: list[str]) -> list[object]:
    """Decode elements that are JSON objects written as strings."""
    out = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item.strip().startswith("{"):
            ok, value = _strict(item.strip())
            if ok and isinstance(value, dict):
                repairs.append(f"json_in_string: decoded the object inside the string $[{index}]")
                item = value
        out.append(item)
    return out


def _cap(items: list[object], capped: bool) -> tuple[list[object], list[DroppedItem]]:
    if not capped and len(items) <= MAX_ITEMS:
        return items, []
    rest = f"{len(items) - MAX_ITEMS} more element(s)" if len(items) > MAX_ITEMS else "the rest"
    reason = f"more than {MAX_ITEMS} elements (a repetition guard); the rest was not read"
    return items[:MAX_ITEMS], [DroppedItem(path=f"$[{MAX_ITEMS}:]", item=rest, reason=reason)]


def _replace_surrogates(items: list[object], repairs: list[str]) -> None:
    """Replace unpaired surrogates in every string (keys too) with U+FFFD, in place, iteratively.

    ``"\\ud800"`` is valid JSON but decodes to a string that cannot be encoded as UTF-8, so it
    would break every later ``json.dumps(...).encode()`` (the server's reply, an export).
    """
    count = 0
    stack: list[list[object] | dict[str, object]] = [items]
    while stack:
        container = stack.pop()
        pairs = (
            list(enumerate(container)) if isinstance(container, list) else list(container.items())
        )
        renamed = False
        for key, value in pairs:
            if isinstance(value, str) and _SURROGATE.search(value):
                value, n = _SURROGATE.subn("\ufffd", value)
                if isinstance(container, list) and isinstance(key, int):
                    container[key] = value
                elif isinstance(container, dict) and isinstance(key, str):
                    container[key] = value
                count += n
            elif isinstance(value, (list, dict)):
                stack.append(value)
            renamed = renamed or (isinstance(key, str) and bool(_SURROGATE.search(key)))
        if renamed and isinstance(container, dict):
            fixed = {_SURROGATE.sub("\ufffd", k): v for k, v in container.items()}
            count += sum(len(_SURROGATE.findall(k)) for k in container)
            container.clear()
            container.update(fixed)
    if count:
        repairs.append(f"lone_surrogate: replaced {count} unpaired UTF-16 surrogate(s) with U+FFFD")


def _finish(value: object, repairs: list[str], capped: bool = False) -> Extraction:
    shaped = _as_list(value, repairs)
    if isinstance(shaped, str):
        return Extraction(None, repairs, [], shaped)
    items, dropped = _cap(_decode_string_items(shaped, repairs), capped)
    _replace_surrogates(items, repairs)
    return Extraction(items, repairs, dropped, strict=not repairs)


def _object_sequence(reader: _Reader, first: dict[str, object]) -> tuple[list[object], bool]:
    """``first`` and the objects after it at the top level, and whether the next one is broken."""
    objects: list[object] = [first]
    while len(objects) <= MAX_ITEMS:
        start = reader.pos
        while reader.comma():
            pass
        if reader.pos >= len(reader.text) or reader.text[reader.pos] != "{":
            reader.pos = start
            return objects, False
        try:
            objects.append(reader.obj(1))
        except _Stop:
            return objects, True
    return objects, False


def _lenient(text: str, repairs: list[str]) -> Extraction:
    """Find the first JSON list of objects (or object) in ``text`` and read it leniently."""
    first_error: str | None = None
    empty: list[str] | None = None
    resume = 0  # candidates inside one already read are fragments of it, never tried
    for count, match in enumerate(re.finditer(r"[\[{]", text)):
        if count >= MAX_CANDIDATES:
            break
        if match.start() < resume:
            continue
        reader = _Reader(text, match.start())
        try:
            value = reader.array(1, top=True) if match.group() == "[" else reader.obj(1)
        except _Stop as stop:
            first_error = first_error or str(stop)
            if stop.truncated:  # it runs to the end of the text: every later candidate is inside
                break
            resume = reader.pos
            continue
        if isinstance(value, list) and not any(isinstance(item, dict) for item in value):
            if not value and empty is None:
                empty = reader.repairs()
                _note_prose(text, match.start(), reader.pos, empty)
            resume = reader.pos
            continue
        salvage, capped = reader.salvage, reader.capped
        end = len(text) if salvage or capped else reader.pos  # a broken rest is not prose
        if isinstance(value, dict):
            sequence, broken = _object_sequence(reader, value)
            if len(sequence) > 1:
                salvage.append(
                    f"object_sequence: gathered {len(sequence)} top-level objects into a list"
                )
                value, end = sequence, reader.pos
            if broken:
                salvage.append(
                    f"truncated: the object after the {len(sequence)} complete "
                    "one(s) is cut off or broken; ignored it"
                )
                end = len(text)
        out = repairs + reader.repairs() + salvage
        _note_prose(text, match.start(), end, out)
        if not out:
            out.append(_LENIENT_READ)
        return _finish(value, out, capped)
    if empty is not None:
        return Extraction([], repairs + empty or [_LENIENT_READ])
    if first_error is None:
        return Extraction(None, repairs, [], "no JSON list or object found in the output")
    return Extraction(None, repairs, [], f"no usable JSON list found: {first_error}")


def _note_prose(text: str, start: int, end: int, repairs: list[str]) -> None:
    before, after = text[:start].strip(), text[end:].strip()
    if before or after:
        repairs.append(f"prose: ignored {len(before)} chars before and {len(after)} after the JSON")


def _trailing_list(tail: str) -> list[object] | None:
    """A strict JSON list that ends ``tail`` (after optional fences), or None."""
    tail = tail.rstrip().removesuffix("```").rstrip()
    if not tail.endswith("]"):
        return None
    decoder = json.JSONDecoder(parse_constant=_reject_constant)
    for count, match in enumerate(re.finditer(r"\[", tail)):
        if count >= MAX_CANDIDATES:
            break
        try:
            value, end = decoder.raw_decode(tail, match.start())
        except (ValueError, RecursionError):
            continue
        if end == len(tail) and isinstance(value, list):
            return value
    return None


def extract_json_list(raw: str, _nested: bool = False) -> Extraction:
    """Find the JSON list in a model's raw output; strict first, then repaired (see module doc)."""
    if not isinstance(raw, str):
        raise InputError(f"model output must be text, got {type(raw).__name__}")
    if not raw.strip():
        return Extraction(None, [], [], "the output is empty")
    ok, value = _strict(raw.strip())
    if ok:
        if isinstance(value, str) and not _nested and value.strip()[:1] in ("[", "{"):
            inner = extract_json_list(value, _nested=True)
            repairs = ["json_in_string: the output was one JSON string; read the JSON inside it"]
            return Extraction(inner.items, repairs + inner.repairs, inner.dropped, inner.error)
        return _finish(value, [])
    text, repairs, cut_off = split_reasoning(raw)
    if cut_off is not None and not text.strip():
        answer = _trailing_list(cut_off)
        if answer is None:
            return Extraction(
                None, repairs, [], "reasoning cut off before an answer (<think> was never closed)"
            )
        repairs[-1] = (
            "think_cut_off: <think> was never closed; used the complete JSON list "
            "that ends the output"
        )
        return _finish(answer, repairs)
    text, fence_repairs = strip_fence(text)
    repairs += fence_repairs
    if not text.strip():
        return Extraction(None, repairs, [], "no answer after the reasoning")
    ok, value = _strict(text.strip())
    if ok:
        return _finish(value, repairs)
    return _lenient(text, repairs)
