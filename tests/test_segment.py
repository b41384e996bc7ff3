"""Tokens, sentences and clauses with exact offsets; one report-style case per row."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import best_cpu_seconds

from cxr_auditor.core.lexicon import load_lexicon
from cxr_auditor.core.segment import normalize, segment, split_sentences, tokenize

ABBREVIATIONS = load_lexicon().abbreviations


def _sentences(text: str) -> list[str]:
    _, sentences = segment(text, ABBREVIATIONS)
    return [text[s.span.start : s.span.end] for s in sentences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No effusion. No pneumothorax.", ["No effusion.", "No pneumothorax."]),
        (
            "No acute bone abnormality.. Stable chest.",
            ["No acute bone abnormality..", "Stable chest."],
        ),
        (
            "1. No acute disease. 2. Mild cardiomegaly.",
            ["1. No acute disease.", "2. Mild cardiomegaly."],
        ),
        (
            "Effusion right larger than left 2. Abnormal opacities",
            ["Effusion right larger than left", "2. Abnormal opacities"],
        ),
        ("Atelectasis vs. pneumonia.", ["Atelectasis vs. pneumonia."]),
        ("Dr. XXXX was notified. No change.", ["Dr. XXXX was notified.", "No change."]),
        (
            "Cavitary lesion in the left lung apex.There are opacities.",
            ["Cavitary lesion in the left lung apex.", "There are opacities."],
        ),
        ("A 1.7 cm nodule. Stable.", ["A 1.7 cm nodule.", "Stable."]),
        ("Nodule measures 4.3 x 2.8 XXXX. Stable.", ["Nodule measures 4.3 x 2.8 XXXX.", "Stable."]),
        (
            "No pleural effusions or pneumothoraces. heart size is normal.",
            ["No pleural effusions or pneumothoraces.", "heart size is normal."],
        ),
        ("Pneumonia? No effusion.", ["Pneumonia?", "No effusion."]),
        ("? pneumonia. No effusion.", ["? pneumonia.", "No effusion."]),
        ("No effusion\nSmall pneumothorax", ["No effusion", "Small pneumothorax"]),
        ("opacity in the\nright lower lobe.", ["opacity in the\nright lower lobe."]),
        ("concerning for<BR>metastatic disease", ["concerning for<BR>metastatic disease"]),
        ("No pneumothorax<BR>Small right effusion.", ["No pneumothorax", "Small right effusion."]),
        (
            "Impression:\n- No effusion\n- Small pneumothorax",
            ["Impression:", "- No effusion", "- Small pneumothorax"],
        ),
        ("e.g. small effusion. Stable.", ["e.g. small effusion.", "Stable."]),
        (
            "XXXX XXXX and lateral chest examination was obtained. XXXX change.",
            ["XXXX XXXX and lateral chest examination was obtained.", "XXXX change."],
        ),
        ("   ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("No pneumothorax; small left effusion.", ["No pneumothorax;", "small left effusion."]),
        ("No pneumothorax, small left effusion.", ["No pneumothorax, small left effusion."]),
        ("A; b; c", ["A;", "b;", "c"]),
    ],
)
def test_clauses(text: str, clauses: list[str]) -> None:
    _, sentences = segment(text, ABBREVIATIONS)
    assert [text[c.start : c.end] for s in sentences for c in s.clauses] == clauses


@pytest.mark.parametrize(
    ("word", "norm"),
    [
        ("opacities", "opacity"),
        ("Masses", "mass"),
        ("effusions", "effusion"),
        ("lungs", "lung"),
        ("atelectasis", "atelectasis"),
        ("process", "process"),
        ("status", "status"),
        ("has", "has"),
        ("is", "is"),
        ("XXXX", "xxxx"),
        ("Pneumothorax", "pneumothorax"),
        ("densities", "density"),
        ("can\u2019t", "can't"),
        ("emphysematous", "emphysematous"),
    ],
)
def test_normalize(word: str, norm: str) -> None:
    assert normalize(word) == norm


@pytest.mark.parametrize(
    ("text", "raws", "norms"),
    [
        ("left-sided effusion", ["left", "sided", "effusion"], ["left", "sided", "effusion"]),
        ("x-XXXX", ["x", "XXXX"], ["x", "xxxx"]),
        (
            "aspergilloma - as shown",
            ["aspergilloma", "-", "as", "shown"],
            ["aspergilloma", "-", "as", "shown"],
        ),
        (
            "patient's T9-T10",
            ["patient's", "T", "9", "T", "10"],
            ["patient's", "t", "9", "t", "10"],
        ),
        ("R/O pneumonia", ["R", "/", "O", "pneumonia"], ["r", "/", "o", "pneumonia"]),
        ("1.7 cm, 4,300", ["1.7", "cm", ",", "4,300"], ["1.7", "cm", ",", "4,300"]),
    ],
)
def test_tokens(text: str, raws: list[str], norms: list[str]) -> None:
    toks = tokenize(text)
    assert toks.raw == raws and toks.norm == norms
    assert all(text[s:e] == r for s, e, r in zip(toks.start, toks.end, toks.raw))


def test_intra_word_hyphen_is_a_separator_without_space() -> None:
    toks = tokenize("left-sided  effusion")
    assert toks.sep == ["", "-", "  "]
    assert [toks.space_before(i) for i in range(3)] == [True, False, True]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1. ,;:-?\nXé<>BR/")), max_size=80))
def test_offsets_are_exact_and_sentences_partition_tokens(text: str) -> None:
    toks = tokenize(text)
    assert all(text[s:e] == r for s, e, r in zip(toks.start, toks.end, toks.raw))
    assert all(a < b for a, b in zip(toks.start, toks.start[1:]))
    spans = split_sentences(toks, ABBREVIATIONS)
    assert [i for s in spans for i in range(s.first, s.last)] == list(range(len(toks)))
    assert all(s.start == toks.start[s.first] and s.end == toks.end[s.last - 1] for s in spans)


PATHOLOGICAL = {  # text of about n characters that once made tokenizing or splitting slow
    "spaces after a letter": lambda n: "a" + " " * n,
    "spaces before a letter": lambda n: " " * n + "a",
    "one letter per line": lambda n: "a\n" * (n // 2),
    "dashes": lambda n: "-" * n,
    "html breaks": lambda n: "<br>" * (n // 4) + "a",
    "no. repeated": lambda n: "no." * (n // 3),
}


@pytest.mark.parametrize("kind", sorted(PATHOLOGICAL))
def test_tokenizing_stays_linear_on_pathological_text(kind: str) -> None:
    make = PATHOLOGICAL[kind]
    text = make(150_000)

    def tokenize_and_split(source: str) -> object:
        toks = tokenize(source)
        split_sentences(toks, ABBREVIATIONS)
        return toks

    toks = tokenize(text)
    assert all(text[s:e] == r for s, e, r in zip(toks.start[:50], toks.end[:50], toks.raw[:50]))
    # 4x the text: about 4x the CPU time when linear (up to 8x seen with caches), 16x quadratic.
    quarter = make(150_000 // 4)
    ratio = best_cpu_seconds(lambda: tokenize_and_split(text), 3) / max(
        best_cpu_seconds(lambda: tokenize_and_split(quarter), 3), 1e-4
    )
    assert ratio < 10, f"4x the text took {ratio:.1f}x the CPU time"
