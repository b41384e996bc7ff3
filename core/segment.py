"""Tokens, sentences and clauses of a radiology draft, each with exact character offsets.

Does: split a draft into word, number and punctuation tokens (lower-cased and lightly folded to the
singular for matching: "opacities" -> "opacity"), then into sentences that cope with report style
(abbreviations such as "Dr." or "vs.", "..", numbered lists "1. ... 2. ...", a missing space after a
period, line breaks, ``<BR>`` tags and the ``XXXX`` de-identification filler) and into clauses
(split at ";"). Every span is a pair of offsets into the original text, so ``text[start:end]`` is
exact.
Does not: know any medical vocabulary or decide negation scope (``core.draft_scope`` does that). The
abbreviation list is data (``core/lexicon/abbreviations.txt``) and is passed in by the caller.

All regular expressions here are linear: no nested or overlapping quantifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate, chain, pairwise
from typing import NamedTuple

# One token and the whitespace before it. A token is a word (letters with inner apostrophes), a
# number ("1.7", "4,300") or any other single character. Alternatives are disjoint: matching is
# linear.
_TOKEN_RE = re.compile(
    r"(\s*)([A-Za-z\u00c0-\u024f]+(?:['\u2019][A-Za-z\u00c0-\u024f]+)*|\d+(?:[.,]\d+)*|\S)"
)
_HYPHENS = frozenset("-\u2010\u2011")
_BR_RE = re.compile(r"<\s?/?\s?br\s?/?\s?>", re.IGNORECASE)
_SENTENCE_END = frozenset(".!?")
_BULLETS = frozenset("-*\u2022")
_KEEP_ENDINGS = ("ss", "us", "is", "os")
_NORM_CACHE_MAX = 50_000


def normalize(word: str) -> str:
    """Matching form of one token: lower case, a plural folded to its singular by a few suffix
    rules.

    The same function normalizes the lexicon, so a rare wrong fold ("does" -> "doe") is harmless.
    """
    low = word.lower().replace("\u2019", "'")
    if len(low) > 3 and low.isalpha():
        if low.endswith("ies") and len(low) > 4:
            return low[:-3] + "y"
        if low.endswith("sses"):
            return low[:-2]
        if low.endswith("s") and not low.endswith(_KEEP_ENDINGS):
            return low[:-1]
    return low


class _NormCache(dict[str, str]):
    """token -> normalize(token), filled on first use (looked up at C speed through ``map``)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _NORM_CACHE_MAX:
            self.clear()
        norm = self[word] = normalize(word)
        return norm


_NORMS = _NormCache()


@dataclass(slots=True)
class Tokens:
    """Parallel lists, one entry per token (lists, not objects, for speed).

    ``sep[i]`` is what stands between token i-1 and token i: whitespace, "" or an intra-word "-" (a
    ``<BR>`` tag reads as a line break there). ``start``/``end`` are character offsets into
    ``text``.
    """

    text: str
    raw: list[str] = field(default_factory=list)
    norm: list[str] = field(default_factory=list)
    sep: list[str] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    has_newline: bool = False

    def __len__(self) -> int:
        return len(self.raw)

    def space_before(self, i: int) -> bool:
        """Whitespace separates token i from the one before; True for token 0."""
        return i == 0 or self.sep[i] not in ("", "-", "\u2010", "\u2011")

    def newline_before(self, i: int) -> bool:
        """A line break (or a ``<BR>`` tag) separates token i from the one before."""
        return "\n" in self.sep[i] or "\r" in self.sep[i]


class Span(NamedTuple):
    """A run of tokens ``[first, last)`` and its character offsets ``[start, end)``."""

    start: int
    end: int
    first: int
    last: int


def tokenize(text: str) -> Tokens:
    """Tokens of ``text`` with exact offsets. A ``<BR>`` tag counts as a line break; a hyphen inside
    a word ("left-sided") is dropped and becomes the separator, so it matches "left sided"."""
    scan = _BR_RE.sub(lambda m: "\n" + " " * (len(m.group()) - 1), text) if "<" in text else text
    # Trailing whitespace is cut first: there "\s*" would match and then fail at every position,
    # which is quadratic. Elsewhere a non-space character always follows, so matching is linear.
    parts = _TOKEN_RE.findall(scan.rstrip())
    if not parts:
        return Tokens(text)
    sep, raw = map(list, zip(*parts))
    cum = list(accumulate(map(len, chain.from_iterable(parts))))
    starts, ends = cum[0::2], cum[1::2]
    if "-" in text or "\u2010" in text or "\u2011" in text:
        _join_hyphens(raw, sep, starts, ends)
    return Tokens(
        text,
        raw,
        list(map(_NORMS.__getitem__, raw)),
        sep,
        starts,
        ends,
        "\n" in scan or "\r" in scan,
    )


def _join_hyphens(raw: list[str], sep: list[str], starts: list[int], ends: list[int]) -> None:
    """Drop each hyphen that stands between two word characters with no space, in place."""
    drop = {
        i
        for i in range(1, len(raw) - 1)
        if raw[i] in _HYPHENS
        and sep[i] == ""
        and sep[i + 1] == ""
        and raw[i - 1][-1].isalnum()
        and raw[i + 1][0].isalnum()
    }
    if not drop:
        return
    for i in drop:  # never two in a row (a dropped hyphen is followed by a word), so i + 1 stays
        sep[i + 1] = raw[i]
    # Each column is rebuilt at once: deleting one by one is quadratic.
    for words in (raw, sep):
        words[:] = [value for i, value in enumerate(words) if i not in drop]
    for offsets in (starts, ends):
        offsets[:] = [value for i, value in enumerate(offsets) if i not in drop]


def _is_list_marker(toks: Tokens, i: int) -> bool:
    """Token i is the number of a numbered-list item ("2." or "2)") standing before text."""
    raw = toks.raw[i]
    if not (raw.isdigit() and len(raw) <= 2) or i + 1 >= len(toks):
        return False
    if toks.raw[i + 1] not in (".", ")") or toks.space_before(i + 1):
        return False
    return toks.space_before(i) and (i + 2 >= len(toks) or toks.space_before(i + 2))


def _ends_sentence(toks: Tokens, i: int, abbreviations: frozenset[str]) -> bool:
    """Whether a sentence ends after token i, which is ".", "!" or "?"."""
    n = len(toks)
    if i + 1 >= n:
        return True
    nxt = toks.raw[i + 1]
    if nxt in _SENTENCE_END:
        return False  # ".." or "?." : the boundary comes after the last mark
    if toks.raw[i] != "." and (i == 0 or toks.raw[i - 1] in _SENTENCE_END):
        return False  # "? pneumonia": a question mark that opens a sentence marks a hedge
    prev = toks.norm[i - 1] if i > 0 else ""
    if toks.raw[i] == "." and i > 0 and not toks.space_before(i):
        if toks.raw[i - 1].lower() in abbreviations:
            return False
        if len(prev) == 1 and prev.isalpha():
            return False  # initials and "e.g."-style abbreviations
    if toks.space_before(i + 1):
        return True
    # No space after the period: "apex.There are" is a boundary, "1.7" never reaches here.
    return nxt[:1].isupper() and nxt[1:2].islower() and len(prev) >= 2 and prev.isalpha()


_MARKER_DIGITS = frozenset(str(d) for d in range(100)) | frozenset(f"0{d}" for d in range(10))
_CANDIDATES = _SENTENCE_END | _MARKER_DIGITS


def split_sentences(toks: Tokens, abbreviations: frozenset[str] = frozenset()) -> list[Span]:
    """Sentences as token runs; ``abbreviations`` are lower-case words that a period does not
    end."""
    n = len(toks)
    if n == 0:
        return []
    raw = toks.raw
    cuts = {0}
    candidates = [i for i, r in enumerate(raw) if r in _CANDIDATES]
    if toks.has_newline:
        for i in range(1, n):
            if toks.newline_before(i):
                first, prev = raw[i][:1], raw[i - 1]
                if (
                    first.isupper()
                    or first.isdigit()
                    or raw[i] in _BULLETS
                    or prev in (":", ";")
                    or toks.text.count("\n", toks.end[i - 1], toks.start[i]) >= 2
                ):
                    cuts.add(i)
    for i in candidates:
        if raw[i] in _MARKER_DIGITS:
            if _is_list_marker(toks, i):
                cuts.add(i)  # "... left 2. Abnormal ...": the marker opens the next sentence
        elif not (i > 0 and _is_list_marker(toks, i - 1)) and _ends_sentence(
            toks, i, abbreviations
        ):
            cuts.add(i + 1)
    bounds = sorted(c for c in cuts if c < n)
    bounds.append(n)
    return [Span(toks.start[a], toks.end[b - 1], a, b) for a, b in pairwise(bounds)]


def split_clauses(toks: Tokens, sentence: Span) -> list[Span]:
    """Clauses of one sentence: runs split at ";" (the semicolon stays with the clause before
    it)."""
    clauses: list[Span] = []
    first = sentence.first
    for i in range(sentence.first, sentence.last):
        if toks.raw[i] == ";" or i == sentence.last - 1:
            clauses.append(Span(toks.start[first], toks.end[i], first, i + 1))
            first = i + 1
    return clauses


class Sentence(NamedTuple):
    """One sentence with its clauses."""

    span: Span
    clauses: list[Span]


def segment(
    text: str, abbreviations: frozenset[str] = frozenset()
) -> tuple[Tokens, list[Sentence]]:
    """Tokenize ``text`` and split it into sentences and clauses."""
    toks = tokenize(text)
    return toks, [Sentence(s, split_clauses(toks, s)) for s in split_sentences(toks, abbreviations)]
