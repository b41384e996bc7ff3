"""Corruptions of a real report for ``eval reports``: one sentence edit with known consequences.

Does: given a report, the rule parser's mentions of it and the labels positive in its read, make one
corrupted copy per kind, seeded and general (no word lists of the data):

- ``drop``: remove every sentence that asserts or hedges the chosen label (expect MISSING, reason
  omitted or draft_normal - denied when the report denies the label in another sentence - and
  URGENT not-in-draft for a tiered label);
- ``negate``: put one denial sentence in place of those sentences (expect MISSING, reason denied,
  and URGENT not-in-draft for a tiered label);
- ``side_swap``: swap the words left/right in the sentences that assert the label on one side; the
  read then gets a box on the original side from ``evaluation/maps/usual_boxes.csv`` (expect
  LATERALITY);
- ``hedge``: put one hedged sentence in place of those sentences (expect no new MISSING or
  UNSUPPORTED, and a HEDGE_SUPPORTED note).

Sentences come from ``core.segment`` (with the lexicon's abbreviations), the asserting mentions and
their spans from the parser's read of the clean report. The denial and hedge sentences are the
validated synthetic templates (``core/text/synthetic_templates.toml``), never text of the data. A
report that offers no usable assertion for a kind gets a skip reason instead.
Does not: run the audit, pick which label to corrupt (``evaluation.reports`` does), or score.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Literal, get_args

from cxr_auditor.core.boxes import Box, validate_box
from cxr_auditor.core.labels import POSITIVE_LABELS, tier
from cxr_auditor.core.lexicon import load_lexicon
from cxr_auditor.core.schemas import Mention
from cxr_auditor.core.segment import segment
from cxr_auditor.core.synthetic import UNSIDED_LABELS, default_templates, is_sided

CorruptionKind = Literal["drop", "negate", "side_swap", "hedge"]
CORRUPTION_KINDS: tuple[CorruptionKind, ...] = get_args(CorruptionKind)
BOX_FILE = "usual_boxes.csv"
_SIDE_WORD = re.compile(r"\b(left|right)\b", re.IGNORECASE)
_SWAP = {"left": "right", "right": "left"}
ASSERTING = ("present", "uncertain")

# An expected decision: (kind, label, allowed reasons); None allows any reason.
Expected = tuple[str, str, frozenset[str] | None]


@dataclass(frozen=True)
class Corruption:
    kind: CorruptionKind
    label: str
    text: str
    expected: tuple[Expected, ...]
    edited: tuple[tuple[int, int], ...]  # spans of the clean text that were changed
    box_side: str | None = None  # side_swap: the side of the box the read gets


@dataclass
class Skip:
    reason: str
    details: list[str] = field(default_factory=list)


@cache
def usual_boxes() -> dict[tuple[str, str], Box]:
    """(label, patient side) -> a box where that finding usually lies on a frontal film."""
    resource = resources.files("cxr_auditor.evaluation") / "maps" / BOX_FILE
    rows = csv.DictReader(resource.read_text(encoding="utf-8").splitlines())
    return {
        (row["label"], row["side"]): validate_box(
            [float(row[k]) for k in ("y0", "x0", "y1", "x1")], f"maps/{BOX_FILE}"
        )
        for row in rows
    }


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return load_lexicon().abbreviations


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (``core.segment``)."""
    _, sentences = segment(text, _abbreviations())
    return [(s.span.start, s.span.end) for s in sentences]


def _sentence_of(spans: list[tuple[int, int]], mention: Mention) -> int | None:
    if mention.span is None:
        return None
    for i, (start, end) in enumerate(spans):
        if start <= mention.span[0] < end:
            return i
    return None


def _replace(text: str, spans: list[tuple[int, int]], first: str) -> str:
    """``text`` with the sentences at ``spans`` removed, ``first`` in place of the first one."""
    out, at = [], 0
    for n, (start, end) in enumerate(sorted(spans)):
        out.append(text[at:start])
        at = end
        if n == 0 and first:
            out.append(first)
        else:  # drop the whitespace after a removed sentence
            while at < len(text) and text[at] in " \t":
                at += 1
    out.append(text[at:])
    return "".join(out)


def _missing(label: str, reasons: frozenset[str]) -> tuple[Expected, ...]:
    expected: list[Expected] = [("MISSING", label, reasons)]
    if tier(label) is not None:
        expected.append(("URGENT", label, frozenset({"not_in_draft"})))
    return tuple(expected)


def _template(form: str, label: str, side: str | None, rng: random.Random) -> str:
    options = default_templates().forms[form][label]
    pool = [t for t in options if is_sided(t) == (side is not None)] or [
        t for t in options if not is_sided(t)
    ]
    template = rng.choice(sorted(pool))
    word = rng.choice(default_templates().severity)
    return template.format(
        side=side or "", Side=(side or "").capitalize(), severity=word, Severity=word.capitalize()
    )


def corrupt(
    kind: CorruptionKind, text: str, mentions: list[Mention], label: str, rng: random.Random
) -> Corruption | Skip:
    """One corrupted copy of ``text`` for ``label`` (positive in the read), or why there is none."""
    spans = sentence_spans(text)
    of_label = [m for m in mentions if m.label == label and m.status in ASSERTING]
    where = {_sentence_of(spans, m) for m in of_label}
    if not of_label or None in where:
        return Skip("the parser finds no assertion of the label with a sentence")
    if not any(m.status == "present" for m in of_label):
        return Skip("the parser reads the label only as hedged")
    targets = sorted(i for i in where if i is not None)
    others = [
        m
        for m in mentions
        if m.label in POSITIVE_LABELS
        and m.label != label
        and m.status in ASSERTING
        and _sentence_of(spans, m) in targets
    ]
    if kind in ("drop", "negate", "hedge") and others:
        return Skip("the asserting sentence also asserts another label")
    chosen = [spans[i] for i in targets]
    if kind == "drop":
        new = _replace(text, chosen, "")
        if not new.strip():
            return Skip("dropping the sentence leaves no text")
        # A denial of the label left elsewhere in the report makes the omission a denial (rule 1).
        denied = any(
            m.label == label and m.status == "absent" and _sentence_of(spans, m) not in targets
            for m in mentions
        )
        reasons = frozenset({"denied"} if denied else {"omitted", "draft_normal"})
        return Corruption(kind, label, new, _missing(label, reasons), tuple(chosen))
    if kind == "negate":
        sentence = _template("negated", label, None, rng)
        expected = _missing(label, frozenset({"denied"}))
        return Corruption(kind, label, _replace(text, chosen, sentence), expected, tuple(chosen))
    if kind == "hedge":
        sides = {m.laterality for m in of_label} - {None}
        side = sides.pop() if len(sides) == 1 and sides <= {"left", "right"} else None
        side = None if label in UNSIDED_LABELS else side
        sentence = _template("hedged", label, side, rng)
        expected = (("HEDGE_SUPPORTED", label, None),)
        return Corruption(kind, label, _replace(text, chosen, sentence), expected, tuple(chosen))
    return _side_swap(text, spans, of_label, label)


def _side_swap(
    text: str, spans: list[tuple[int, int]], of_label: list[Mention], label: str
) -> Corruption | Skip:
    if label in UNSIDED_LABELS:
        return Skip("the label has no side")
    present = [m for m in of_label if m.status == "present"]
    sides = {m.laterality for m in present}
    if not present or sides - {"left", "right"} or len(sides) != 1:
        return Skip("the label is not asserted on exactly one side (left or right)")
    side = sides.pop()
    assert side is not None
    targets = sorted({i for m in present if (i := _sentence_of(spans, m)) is not None})
    edited, out, at = [], [], 0
    for i in targets:
        start, end = spans[i]
        swapped = _SIDE_WORD.sub(lambda w: _swap_word(w.group()), text[start:end])
        if swapped != text[start:end]:
            edited.append((start, end))
        out += [text[at:start], swapped]
        at = end
    if not edited:
        return Skip("the side is not written as left or right in the asserting sentence")
    new = "".join(out) + text[at:]
    return Corruption(
        "side_swap", label, new, (("LATERALITY", label, None),), tuple(edited), box_side=side
    )


def _swap_word(word: str) -> str:
    other = _SWAP[word.lower()]
    if word.isupper():
        return other.upper()
    return other.capitalize() if word[0].isupper() else other
