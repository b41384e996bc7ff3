"""Phrase matching: one trie over the lexicon, "*" gaps from the gap list, longest non-overlapping
pick."""

from __future__ import annotations

import pytest

from cxr_auditor.core.lexicon import GAP, NUMBER, Phrase, load_lexicon
from cxr_auditor.core.phrase_match import PhraseMatcher, gap_vocabulary, is_number, select_longest
from cxr_auditor.core.segment import tokenize


def _phrase(text: str, kind: str = "mention", value: str = "cardiomegaly") -> Phrase:
    toks = tokenize(text)
    tokens = tuple(
        GAP if n == "*" else NUMBER if r == "NUMBER" else n for r, n in zip(toks.raw, toks.norm)
    )
    return Phrase(text, tokens, kind, value, "test:1")  # type: ignore[arg-type]


MATCHER = PhraseMatcher(
    [
        _phrase("heart * enlarged"),
        _phrase("pleural effusion", value="pleural_effusion"),
        _phrase("effusion", value="pleural_effusion"),
        _phrase("pericardial effusion", kind="unmention", value="pleural_effusion"),
        _phrase("no", kind="cue", value="negation_pre"),
        _phrase("NUMBER cm * density", value="nodule_mass"),
        _phrase("NUMBER x NUMBER cm * density", value="nodule_mass"),
    ],
    frozenset({"is", "not", "mildly", "size", "round"}),
)


def _found(text: str) -> list[str]:
    toks = tokenize(text)
    found = MATCHER.find(toks.norm, 0, len(toks))
    return sorted(" ".join(toks.raw[m.first : m.last]) for m in found.mentions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The heart is mildly enlarged.", ["heart is mildly enlarged"]),
        ("Heart enlarged.", ["Heart enlarged"]),
        ("The heart is not enlarged.", ["heart is not enlarged"]),
        ("Heart size is not mildly enlarged", ["Heart size is not mildly enlarged"]),
        ("Heart size is not very mildly enlarged", []),  # "very" is not a gap word
        ("The heart, enlarged", []),  # punctuation never sits in a gap
        ("heart is is is is is enlarged", []),  # gap longer than MAX_GAP
        ("Small pleural effusions.", ["effusions", "pleural effusions"]),
        ("A 1.7 cm round density.", ["1.7 cm round density"]),  # NUMBER is any number
        ("A 12 cm density.", ["12 cm density"]),
        (
            "A 2 x 3.5 cm density.",
            ["2 x 3.5 cm density", "3.5 cm density"],
        ),  # a number mid-phrase too
        ("A cm density.", []),  # NUMBER needs a number
        ("A 1.2.3 cm density.", []),  # not a number
        ("A two cm density.", []),  # only digits count as numbers
    ],
)
def test_find(text: str, expected: list[str]) -> None:
    assert _found(text) == expected


def test_unmention_is_reported_as_a_block() -> None:
    toks = tokenize("Small pericardial effusion")
    found = MATCHER.find(toks.norm, 0, len(toks))
    assert found.blocks == [("pleural_effusion", 1, 3)]


def test_cues_and_mentions_are_split_by_group() -> None:
    toks = tokenize("No effusion")
    found = MATCHER.find(toks.norm, 0, len(toks))
    assert [m.phrases[0].kind for m in found.cues] == ["cue"]
    assert found.cues[0].info is not None and found.cues[0].info.actions == (("negation", "pre"),)
    assert [m.phrases[0].value for m in found.mentions] == ["pleural_effusion"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("small pleural effusion", ["pleural effusion"]),
        ("no pleural effusion", ["no", "pleural effusion"]),
        ("heart is mildly enlarged effusion", ["heart is mildly enlarged", "effusion"]),
    ],
)
def test_select_longest(text: str, kept: list[str]) -> None:
    toks = tokenize(text)
    found = MATCHER.find(toks.norm, 0, len(toks))
    chosen = select_longest(found.mentions + found.cues)
    assert [" ".join(toks.raw[m.first : m.last]) for m in chosen] == kept


def test_canonical_label_wins_over_other_words_of_the_same_length() -> None:
    lexicon = load_lexicon()
    matcher = PhraseMatcher(lexicon.phrases, gap_vocabulary(lexicon))
    toks = tokenize("No acute airspace disease.")
    chosen = select_longest(matcher.find(toks.norm, 0, len(toks)).mentions)
    assert [(m.phrases[0].value, " ".join(toks.raw[m.first : m.last])) for m in chosen] == [
        ("lung_opacity_consolidation", "airspace disease")
    ]


@pytest.mark.parametrize(
    ("token", "number"),
    [
        ("12", True),
        ("1.7", True),
        ("0.5", True),
        ("1.2.3", False),
        ("x", False),
        ("7mm", False),
        ("1.", False),
    ],
)
def test_is_number(token: str, number: bool) -> None:
    assert is_number(token) is number
