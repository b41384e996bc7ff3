"""Find lexicon phrases in a tokenized draft with one token trie; pick the longest non-overlapping
ones.

Does: build a trie over the normalized tokens of every lexicon phrase and report, for a token range,
every phrase occurrence, including phrases with one "*" gap ("heart * enlarged"), whose gap may hold
0..MAX_GAP words from the gap list (``grammar/gap.txt`` plus severity words and ``xxxx``), and
phrases whose NUMBER token matches any number ("NUMBER cm * density" finds "1.7 cm nodular
density"). Then ``select_longest`` keeps, among overlapping occurrences, the one with the best
priority and the most tokens. Work is linear in the number of tokens: each start walks at most the
trie depth, and a gap branches at most MAX_GAP + 1 ways.
Does not: decide negation, scope or labels (``core.draft_scope`` and ``core.parse_draft`` do).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from operator import itemgetter
from typing import NamedTuple

from cxr_auditor.core.lexicon import GAP, NUMBER, Lexicon, Phrase

MAX_GAP = 4
_POSITION = itemgetter(0, 1)  # (first, last) of a Match


def is_number(token: str) -> bool:
    """A number token as the tokenizer writes it: "12", "1.7"."""
    return token[0].isdigit() and token[-1].isdigit() and token.replace(".", "", 1).isdigit()


class Match(NamedTuple):
    """Phrases found at tokens ``[first, last)``; ``gap``: the token range of a "*" gap, or None."""

    first: int
    last: int
    phrases: tuple[Phrase, ...]
    gap: tuple[int, int] | None
    info: CueInfo | None = None  # for cue matches: what the cue types imply, computed once
    rank: int = 0  # for mention matches: 0 a canonical label, 1 "other", 2 general or normal words


class CueInfo(NamedTuple):
    """What a cue phrase does, derived once from its types (the cue file stems)."""

    types: frozenset[str]
    terminates: bool
    comparison: bool
    exception: bool
    actions: tuple[
        tuple[str, str], ...
    ]  # (family, direction): negation/uncertainty/resolution/mimic/pseudo


def cue_info(phrases: tuple[Phrase, ...]) -> CueInfo:
    types = frozenset(p.value for p in phrases)
    actions = []
    for cue_type in sorted(types):
        family, _, direction = cue_type.partition("_")
        if family in ("negation", "uncertainty", "resolution", "mimic", "pseudo"):
            actions.append((family, direction or "pre"))
    return CueInfo(
        types, "termination" in types, "comparison" in types, "exception" in types, tuple(actions)
    )


class Found(NamedTuple):
    """All occurrences in a token range, split by group; ``blocks`` are (label, first, last) of
    unmention phrases, which remove that label's mentions they overlap."""

    mentions: list[Match]
    cues: list[Match]
    modifiers: list[Match]
    blocks: list[tuple[str, int, int]]


_GROUP_OF = {
    "mention": 0,
    "denial": 0,
    "other": 0,
    "general": 0,
    "normal_part": 0,
    "cue": 1,
    "laterality": 2,
    "severity": 2,
}


# One group of phrases ending at a trie node: (group, phrases, cue info, mention rank).
_Group = tuple[int, tuple[Phrase, ...], CueInfo | None, int]


class _Node:
    """One trie node: literal-token children, the "*" gap and NUMBER branches, the phrases ending
    here (``end``: their groups and the unmention labels, built once by ``_freeze``)."""

    __slots__ = ("children", "end", "gap", "number", "phrases")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.gap: _Node | None = None
        self.number: _Node | None = None
        self.phrases: list[Phrase] = []
        self.end: tuple[tuple[_Group, ...], tuple[str, ...]] | None = None

    def child(self, token: str) -> _Node:
        if token == GAP:
            if self.gap is None:
                self.gap = _Node()
            return self.gap
        if token == NUMBER:
            if self.number is None:
                self.number = _Node()
            return self.number
        return self.children.setdefault(token, _Node())


class PhraseMatcher:
    """A trie over the lexicon phrases; ``find`` lists every occurrence in a token range."""

    def __init__(self, phrases: Iterable[Phrase], gap_words: frozenset[str]) -> None:
        root = _Node()
        for phrase in phrases:
            node = root
            for tok in phrase.tokens:
                node = node.child(tok)
            node.phrases.append(phrase)
        self._root = _freeze(root)
        self._gap_words = gap_words

    def find(self, norms: list[str], first: int, last: int) -> Found:
        """Every phrase occurrence that starts and ends inside tokens ``[first, last)``."""
        root = self._root.children
        found = Found([], [], [], [])
        groups = (found.mentions, found.cues, found.modifiers)
        for i in [i for i in range(first, last) if norms[i] in root]:
            self._walk(root[norms[i]], i, i + 1, last, None, norms, groups, found.blocks)
        numbers = self._root.number
        if numbers is not None:
            for i in [i for i in range(first, last) if is_number(norms[i])]:
                self._walk(numbers, i, i + 1, last, None, norms, groups, found.blocks)
        return found

    def _walk(
        self,
        node: _Node,
        i: int,
        j: int,
        last: int,
        gap: tuple[int, int] | None,
        norms: list[str],
        groups: tuple[list[Match], list[Match], list[Match]],
        blocked: list[tuple[str, int, int]],
    ) -> None:
        """Follow literal tokens from ``node`` (token j next); branch into a gap where the trie has
        one. Matches go to ``groups`` (mentions, cues, modifiers), unmention labels to
        ``blocked``."""
        current: _Node | None = node
        while current is not None:
            ends = current.end
            if ends is not None:
                terminal, blocks = ends
                for g, phrases, info, rank in terminal:
                    groups[g].append(Match(i, j, phrases, gap, info, rank))
                if blocks:
                    blocked.extend((label, i, j) for label in blocks)
            if gap is None and current.gap is not None:
                gnode, k = current.gap, j
                while k < last and k - j <= MAX_GAP:
                    child = gnode.children.get(norms[k])
                    if child is not None:
                        self._walk(child, i, k + 1, last, (j, k), norms, groups, blocked)
                    if norms[k] not in self._gap_words:
                        break
                    k += 1
            if j >= last:
                return
            numbers = current.number
            if numbers is not None and is_number(norms[j]):
                self._walk(numbers, i, j + 1, last, gap, norms, groups, blocked)
            current = current.children.get(norms[j])
            j += 1


def _terminal(phrases: list[Phrase]) -> tuple[tuple[_Group, ...], tuple[str, ...]]:
    """Phrases ending at one trie node, grouped once at build time: ((group, phrases, info, rank),
    ...), and the unmention labels."""
    groups: dict[int, list[Phrase]] = {}
    for p in phrases:
        if p.kind != "unmention":
            groups.setdefault(_GROUP_OF[p.kind], []).append(p)
    blocks = tuple(p.value for p in phrases if p.kind == "unmention")
    return tuple(
        (g, tuple(ps), cue_info(tuple(ps)) if g == 1 else None, mention_rank(ps[0]))
        for g, ps in sorted(groups.items())
    ), blocks


def mention_rank(phrase: Phrase) -> int:
    """Which phrase wins an overlap first: a canonical label (0), then "other" (1), then general or
    normal-statement words (2); among equals, the longer phrase."""
    if phrase.kind in ("mention", "denial") and phrase.value != "no_finding":
        return 0
    return 1 if phrase.kind == "other" else 2


def _freeze(node: _Node) -> _Node:
    """Group the phrases ending at each node of the finished trie (``_terminal``), recursively."""
    if node.phrases:
        node.end = _terminal(node.phrases)
        node.phrases = []
    for child in (*node.children.values(), node.gap, node.number):
        if child is not None:
            _freeze(child)
    return node


def select_longest(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches, best first by (rank, more tokens, earlier start); in text order."""
    if len(matches) < 2:
        return list(matches)
    ordered = sorted(matches, key=_POSITION)
    if all(a.last <= b.first for a, b in pairwise(ordered)):
        return ordered
    ranked = sorted(matches, key=lambda m: (m.rank, m.first - m.last, m.first))
    taken: list[Match] = []
    used: set[int] = set()
    for m in ranked:
        if any(t in used for t in range(m.first, m.last)):
            continue
        used.update(range(m.first, m.last))
        taken.append(m)
    taken.sort(key=lambda m: m.first)
    return taken


def gap_vocabulary(lexicon: Lexicon) -> frozenset[str]:
    """Words a "*" gap may hold: grammar/gap.txt, one-word severity phrases and the XXXX filler."""
    severity = {p.tokens[0] for p in lexicon.of_kind("severity") if len(p.tokens) == 1}
    return lexicon.gap_words | severity | {"xxxx"}
