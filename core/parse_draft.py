"""The deterministic rule parser: a draft impression in, traced mentions out.

Does, per draft: tokenize and split into sentences (``core.segment``); find lexicon phrases
(``core.phrase_match``); drop mentions blocked by an ``unmention`` phrase; keep the longest phrase
where phrases overlap (the six labels before "other", "other" before general words); decide each
mention's status, deciding cue, side and severity (``core.draft_scope``); turn a denial phrase
("heart size is normal") into an ``absent`` mention whose cue is the statement; then decide
``no_finding``: present only when the draft has an unqualified statement that the study or the lungs
are normal ("lungs are clear", "no acute cardiopulmonary process") or two statements that single
structures are normal ("heart size is normal", "mediastinum unremarkable"), and asserts or hedges no
abnormality at all, including ones outside the six labels (reported as ``other`` mentions). Normal
statements that were not used are listed in the account's ``dropped`` items with the reason.
Does not: compare with an image read, call a model, or guess beyond the lexicon. Drafts longer than
MAX_DRAFT_CHARS are refused with ``InputError`` (a draft is one report; see bench/README.md for
timings).

Public API: ``parse_draft(text) -> (mentions, account)``.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from cxr_auditor.core.draft_scope import MIMIC_KEEPS, Decision, Modifiers, Scope
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING, OTHER, POSITIVE_LABELS
from cxr_auditor.core.lexicon import Lexicon, Phrase, load_lexicon
from cxr_auditor.core.phrase_match import (
    Match,
    PhraseMatcher,
    gap_vocabulary,
    mention_rank,
    select_longest,
)
from cxr_auditor.core.schemas import (
    DroppedItem,
    Laterality,
    Mention,
    MentionLabel,
    MentionStatus,
    ParseAccount,
)
from cxr_auditor.core.segment import Span, Tokens, split_sentences, tokenize

MAX_DRAFT_CHARS = 200_000
_LABEL_ORDER: dict[str, int] = {
    label: i for i, label in enumerate((*POSITIVE_LABELS, OTHER, NO_FINDING))
}
# A lexicon value (a mention file's stem, checked on load) as a typed mention label.
_MENTION_LABELS: dict[str, MentionLabel] = {label: label for label in (*LABELS, OTHER)}


class _Found(NamedTuple):
    """One decided phrase occurrence, before it becomes a Mention (or a normal statement)."""

    phrase: Phrase
    match: Match
    decision: Decision
    laterality: Laterality | None
    severity: str | None
    sentence: int
    qualified: str | None  # why a normal statement is only partial, else None


@lru_cache(maxsize=1)
def _matcher() -> tuple[Lexicon, PhraseMatcher]:
    lexicon = load_lexicon()
    return lexicon, PhraseMatcher(lexicon.phrases, gap_vocabulary(lexicon))


def _unblocked(mentions: list[Match], blocks: list[tuple[str, int, int]]) -> list[Match]:
    """Mentions without the labels that an overlapping unmention phrase blocks."""
    # Per label: block starts in order and the furthest end reached so far, so that one binary
    # search answers "does a block overlap [first, last)?" (all pairs would be quadratic).
    starts: dict[str, tuple[list[int], list[int]]] = {}
    for label, first, last in sorted(blocks, key=lambda block: block[1]):
        firsts, reach = starts.setdefault(label, ([], []))
        firsts.append(first)
        reach.append(max(last, reach[-1]) if reach else last)

    def blocked(label: str, first: int, last: int) -> bool:
        firsts, reach = starts.get(label, ((), ()))
        before = bisect_left(firsts, last)  # blocks that start before the mention ends
        return before > 0 and reach[before - 1] > first

    kept: list[Match] = []
    for m in mentions:
        phrases = tuple(
            p for p in m.phrases if not (p.kind == "mention" and blocked(p.value, m.first, m.last))
        )
        if phrases:
            kept.append(
                m
                if len(phrases) == len(m.phrases)
                else m._replace(phrases=phrases, rank=mention_rank(phrases[0]))
            )
    return kept


def _within_sentences(matches: list[Match], sentence_of: list[int]) -> list[Match]:
    """Matches that start and end in one sentence (a phrase never spans a sentence boundary)."""
    return [m for m in matches if sentence_of[m.first] == sentence_of[m.last - 1]]


def _colon_cue_in_place(m: Match, norms: list[str], sentence: Span) -> bool:
    """A post cue that starts with ":" ("Pneumothorax: none") must close its clause; after a header
    ("IMPRESSION: No acute disease") the colon opens text, and the lone "no" is the cue."""
    if norms[m.first] != ":" or m.info is None or not any(d == "post" for _, d in m.info.actions):
        return True
    return m.last >= sentence.last or not norms[m.last][0].isalnum()


def _find_all(toks: Tokens, lexicon: Lexicon, matcher: PhraseMatcher) -> list[_Found]:
    """Decided phrase occurrences of the whole draft, in text order."""
    norms = toks.norm
    sentences = split_sentences(toks, lexicon.abbreviations)
    sentence_of: list[int] = []
    for k, sentence in enumerate(sentences):
        sentence_of.extend([k] * (sentence.last - sentence.first))
    hits = matcher.find(norms, 0, len(norms))
    mentions = _unblocked(hits.mentions, hits.blocks) if hits.blocks else hits.mentions
    mentions = select_longest(_within_sentences(mentions, sentence_of))
    if not mentions:
        return []
    cues = [
        c
        for c in _within_sentences(hits.cues, sentence_of)
        if _colon_cue_in_place(c, norms, sentences[sentence_of[c.first]])
    ]
    scope = Scope(
        norms,
        select_longest(cues),
        sentences,
        sentence_of,
        sorted({m.first for m in mentions}),
        lexicon.explain_words,
    )
    mods = Modifiers(select_longest(_within_sentences(hits.modifiers, sentence_of)), lexicon)
    blocked = scope.cue_tokens  # a cue ends the search for a mention's side or size
    found: list[_Found] = []
    for m in mentions:
        index = sentence_of[m.first]
        side, severity = mods.attach(
            norms, m.first, m.last, m.gap, blocked, sentences[index], scope.post_cue_tokens
        )
        decision = scope.decide(m.first, m.last, m.gap)
        kept = (
            scope.decide(m.first, m.last, m.gap, mimics=False)
            if decision.family == "mimic"
            else decision
        )
        for phrase in m.phrases:
            qualified = None
            if phrase.value in ("general", NO_FINDING):
                if index in scope.exception_sentences:
                    qualified = "qualified by an exception word (otherwise, except ...)"
                elif side in ("left", "right"):
                    qualified = f"about the {side} side only"
            own = kept if phrase.kind != "mention" or phrase.value in MIMIC_KEEPS else decision
            found.append(_Found(phrase, m, own, side, severity, index, qualified))
    return found


def _cue_text(text: str, starts: list[int], ends: list[int], decision: Decision) -> str | None:
    cue = decision.cue
    return None if cue is None else text[starts[cue.first] : ends[cue.last - 1]]


def parse_draft(text: str) -> tuple[list[Mention], ParseAccount]:
    """Parse one draft impression into mentions (ids m1, m2, ... in text order) and a parse account.

    An empty or whitespace-only draft is ``unparseable`` ("empty draft"). Raises InputError for a
    non-string or a draft over MAX_DRAFT_CHARS characters.
    """
    if not isinstance(text, str):
        raise InputError(f"draft must be a string, got {type(text).__name__}")
    if len(text) > MAX_DRAFT_CHARS:
        raise InputError(
            f"draft has {len(text):,} characters; the rule parser accepts at most "
            f"{MAX_DRAFT_CHARS:,} (one report per draft)"
        )
    return _parse(text)


def _parse(text: str) -> tuple[list[Mention], ParseAccount]:
    """parse_draft without the type and size checks (bench/parser_bench.py times a 1 MB draft with
    it)."""
    if not text.strip():
        return [], ParseAccount(status="unparseable", error="empty draft", raw_chars=len(text))
    lexicon, matcher = _matcher()
    toks = tokenize(text)
    found = _find_all(toks, lexicon, matcher)

    def span(f: _Found) -> tuple[int, int]:
        return toks.start[f.match.first], toks.end[f.match.last - 1]

    # span, label, status, cue
    records: list[tuple[tuple[int, int], str, MentionStatus, str | None, _Found]] = []
    normal: list[_Found] = []
    dropped: list[DroppedItem] = []
    for f in found:
        kind, value, status = f.phrase.kind, f.phrase.value, f.decision.status
        sp, cue = span(f), _cue_text(text, toks.start, toks.end, f.decision)
        if (
            kind in ("mention", "normal_part")
            and value == NO_FINDING
            or kind == "general"
            and status == "absent"
        ):
            if status != ("absent" if kind == "general" else "present"):
                dropped.append(_drop(text, sp, f, f"normal statement is {status} (cue {cue!r})"))
            elif f.qualified:
                dropped.append(_drop(text, sp, f, f"normal statement {f.qualified}"))
            else:
                normal.append(f)
        elif kind == "denial":
            if status == "present":  # "heart size is normal": the statement itself denies the label
                records.append((sp, value, "absent", text[sp[0] : sp[1]], f))
            else:
                dropped.append(_drop(text, sp, f, f"denial of {value} is {status} (cue {cue!r})"))
        else:
            records.append((sp, value if kind == "mention" else OTHER, status, cue, f))
    abnormal = [r for r in records if r[2] != "absent"]
    whole = [f for f in normal if f.phrase.kind != "normal_part"]
    implied = bool(whole) or len({span(f) for f in normal}) >= 2
    if normal and not abnormal and implied:
        best = [f for f in normal if f.phrase.kind == "general"] or whole or normal
        chosen = best[-1]
        records.append(
            (
                span(chosen),
                NO_FINDING,
                "present",
                _cue_text(text, toks.start, toks.end, chosen.decision),
                chosen,
            )
        )
    elif normal and not abnormal:
        dropped.append(
            _drop(
                text,
                span(normal[0]),
                normal[0],
                "one statement about one structure does not make the draft normal",
            )
        )
    elif normal:
        first = min(abnormal, key=lambda r: r[0])
        for f in normal:
            dropped.append(
                _drop(
                    text,
                    span(f),
                    f,
                    f"normal statement not used: the draft asserts or hedges "
                    f"{first[1]} ({text[first[0][0] : first[0][1]]!r})",
                )
            )
    records.sort(key=lambda r: (r[0][0], _LABEL_ORDER[r[1]], r[0][1]))
    mentions = [
        Mention(
            id=f"m{i}",
            label=_MENTION_LABELS[label],
            status=status,
            span=sp,
            text=text[sp[0] : sp[1]],
            cue=cue,
            laterality=f.laterality,
            severity=f.severity,
        )
        for i, (sp, label, status, cue, f) in enumerate(records, start=1)
    ]
    return mentions, ParseAccount(status="ok", dropped=dropped, raw_chars=len(text))


def _drop(text: str, sp: tuple[int, int], f: _Found, reason: str) -> DroppedItem:
    return DroppedItem(path=f"sentences[{f.sentence}]", item=text[sp[0] : sp[1]], reason=reason)
