"""Cue scope: how far a cue reaches, which cue decides a mention, side and size attachment."""

from __future__ import annotations

import pytest

from cxr_auditor.core.draft_scope import MAX_FORWARD, Modifiers, Scope
from cxr_auditor.core.lexicon import load_lexicon
from cxr_auditor.core.phrase_match import PhraseMatcher, gap_vocabulary, select_longest
from cxr_auditor.core.segment import split_sentences, tokenize

LEXICON = load_lexicon()
MATCHER = PhraseMatcher(LEXICON.phrases, gap_vocabulary(LEXICON))


def _setup(text: str):
    toks = tokenize(text)
    sentences = split_sentences(toks, LEXICON.abbreviations)
    sentence_of = [k for k, s in enumerate(sentences) for _ in range(s.first, s.last)]
    found = MATCHER.find(toks.norm, 0, len(toks))
    scope = Scope(toks.norm, select_longest(found.cues), sentences, sentence_of)
    return toks, sentences, sentence_of, scope, found


def _decide(text: str, word: str) -> tuple[str, str | None]:
    toks, _, _, scope, _ = _setup(text)
    i = [t.lower() for t in toks.raw].index(word)
    decision = scope.decide(i, i + 1, None)
    cue = (
        None if decision.cue is None else " ".join(toks.raw[decision.cue.first : decision.cue.last])
    )
    return decision.status, cue


@pytest.mark.parametrize(
    ("text", "word", "status", "cue"),
    [
        ("No effusion, pneumothorax, or consolidation.", "consolidation", "absent", "No"),
        ("No effusion. Pneumothorax.", "pneumothorax", "present", None),
        ("No effusion but pneumothorax.", "pneumothorax", "present", None),
        ("No effusion with pneumothorax.", "pneumothorax", "present", None),
        ("No effusion, stable pneumothorax.", "pneumothorax", "present", None),
        ("Possible effusion, no pneumothorax.", "pneumothorax", "absent", "no"),
        ("No opacity to suggest pneumonia.", "pneumonia", "absent", "No"),
        ("Pneumothorax is not seen.", "pneumothorax", "absent", "not seen"),
        ("Cardiomegaly, pneumothorax is not seen.", "cardiomegaly", "present", None),
        ("Effusion versus thickening.", "effusion", "uncertain", "versus"),
        ("Effusion versus thickening.", "thickening", "uncertain", "versus"),
        ("No change in the effusion.", "effusion", "present", "No change"),
        ("Pneumothorax has resolved.", "pneumothorax", "absent", "has resolved"),
    ],
)
def test_decide(text: str, word: str, status: str, cue: str | None) -> None:
    assert _decide(text, word) == (status, cue)


def _decide_mimic(text: str, word: str, mimics: bool = True) -> tuple[str, str | None]:
    """Like _decide, with the finding positions and explaining words a mimic cue needs."""
    toks = tokenize(text)
    sentences = split_sentences(toks, LEXICON.abbreviations)
    sentence_of = [k for k, s in enumerate(sentences) for _ in range(s.first, s.last)]
    found = MATCHER.find(toks.norm, 0, len(toks))
    firsts = sorted({m.first for m in select_longest(found.mentions)})
    scope = Scope(
        toks.norm, select_longest(found.cues), sentences, sentence_of, firsts, LEXICON.explain_words
    )
    i = [t.lower() for t in toks.raw].index(word)
    decision = scope.decide(i, i + 1, None, mimics=mimics)
    cue = (
        None if decision.cue is None else " ".join(toks.raw[decision.cue.first : decision.cue.last])
    )
    return decision.status, cue


@pytest.mark.parametrize(
    ("text", "word", "status", "cue"),
    [
        (
            "Round nodule at the left base, which likely represents a nipple shadow.",
            "nodule",
            "absent",
            "nipple shadow",
        ),
        (
            "Nodule at the left base projecting over the anterior rib and likely a nipple shadow.",
            "nodule",
            "present",
            None,
        ),  # "and" ends the reach
        (
            "Nodule, pneumonia, probably from overlapping bone.",
            "nodule",
            "present",
            None,
        ),  # not the nearest
        (
            "Nodule, pneumonia, probably from overlapping bone.",
            "pneumonia",
            "absent",
            "overlapping bone",
        ),
        (
            "Stable nodule, overlying ECG leads.",
            "nodule",
            "present",
            None,
        ),  # no explaining word between
        ("Nodule. Likely artifact.", "nodule", "present", None),  # never past the sentence
        ("Nodule in the right upper lobe thought to be artifact.", "nodule", "absent", "artifact"),
    ],
)
def test_mimic_explains_the_nearest_finding_before_it(
    text: str, word: str, status: str, cue: str | None
) -> None:
    assert _decide_mimic(text, word) == (status, cue)


def test_mimic_can_be_ignored_for_observation_labels() -> None:
    text = "Nodule in the right upper lobe thought to be artifact."
    assert _decide_mimic(text, "nodule", mimics=False) == ("present", None)


def test_forward_scope_is_bounded() -> None:
    text = "No " + "x " * (MAX_FORWARD + 5) + "effusion."
    assert _decide(text, "effusion") == ("present", None)


def test_exception_marks_its_sentence() -> None:
    _, _, _, scope, _ = _setup("Small effusion. Otherwise normal.")
    assert scope.exception_sentences == {1}


@pytest.mark.parametrize(
    ("text", "word", "side", "severity"),
    [
        ("Small left pleural effusion.", "effusion", "left", "small"),
        ("Effusion on the right.", "effusion", "right", None),
        ("Bibasilar opacities.", "opacities", "bilateral", None),
        ("Moderate right and small left effusions.", "effusions", "bilateral", "small"),
        ("Right effusion and left pneumothorax.", "pneumothorax", "left", None),
        ("No right pneumothorax.", "pneumothorax", "right", None),
        ("Left. Pneumothorax.", "pneumothorax", None, None),
    ],
)
def test_attach(text: str, word: str, side: str | None, severity: str | None) -> None:
    toks, sentences, sentence_of, scope, found = _setup(text)
    mods = Modifiers(select_longest(found.modifiers), LEXICON)
    i = [t.lower() for t in toks.raw].index(word)
    assert mods.attach(toks.norm, i, i + 1, None, scope.cue_tokens, sentences[sentence_of[i]]) == (
        side,
        severity,
    )
