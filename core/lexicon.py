"""Load and validate the rule parser's vocabulary: the text files under ``core/lexicon/``.

Does: read every phrase list (package data, through ``importlib.resources``), tokenize each phrase
exactly as drafts are tokenized (``core.segment``), and check the layout and every line, raising
``DataFileError`` with ``file:line``, the bad value and what is allowed. Layout::

    mention/<label>.txt      phrases that name a label (every canonical label; no_finding =
                             normal statements)
    unmention/<label>.txt    phrases that contain a mention but must not count for that label
                             (optional)
    denial/<label>.txt       phrases that deny a label without a negation word ("heart size is
                             normal")
    cues/<type>.txt          cue phrases, each with an example comment directly above it (CUE_TYPES;
                             mimic_post: benign mimics that explain the finding before them)
    laterality/<side>.txt    side words (left, right, bilateral)
    severity.txt             size and severity words, "variant = canonical" allowed
    other_abnormalities.txt  abnormalities outside the six labels (reported as "other")
    general_abnormality.txt  abnormality in general ("acute cardiopulmonary process")
    normal_partial.txt       statements that one structure is normal ("heart size is normal")
    abbreviations.txt        words a period does not end a sentence after
    grammar/gap.txt          words allowed in a phrase's "*" gap
    (a phrase's upper-case word NUMBER stands for any number token: "NUMBER cm * density")
    grammar/link.txt         words allowed between a finding and a following side or size word
    grammar/break.txt        words that end a finding's noun phrase (looking back for side or size)
    grammar/explain.txt      words that attribute a finding to what follows ("represents", "due"): a
                             mimic cue explains a finding only with one of them in between

Lines starting with "#" are comments; blank lines are skipped. Does not: decide anything about a
draft (``core.parse_draft`` does that).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS, POSITIVE_LABELS
from cxr_auditor.core.segment import tokenize

GAP = "*"
NUMBER = "<number>"  # the token of the word NUMBER in a phrase: matches one number ("1.7", "12")
CUE_TYPES: tuple[str, ...] = (
    "negation_pre",
    "negation_post",
    "uncertainty_pre",
    "uncertainty_post",
    "uncertainty_both",
    "resolution_pre",
    "resolution_post",
    "mimic_post",
    "pseudo",
    "termination",
    "comparison",
    "exception",
)
SIDES: tuple[str, ...] = ("left", "right", "bilateral")
_ROOT_FILES = (
    "severity.txt",
    "other_abnormalities.txt",
    "general_abnormality.txt",
    "normal_partial.txt",
    "abbreviations.txt",
)
_FOLDERS = ("mention", "unmention", "denial", "cues", "laterality", "grammar")
_GRAMMAR_FILES = ("gap.txt", "link.txt", "break.txt", "explain.txt")
_PHRASE_PUNCT = frozenset(",;:?/*")
_GAP_KINDS = frozenset({"mention", "unmention", "denial", "other", "general", "normal_part"})
CUE_MAX_TOKENS = 8

Kind = Literal[
    "mention",
    "unmention",
    "denial",
    "other",
    "general",
    "normal_part",
    "cue",
    "laterality",
    "severity",
]


@dataclass(frozen=True, slots=True)
class Phrase:
    """One lexicon entry: its written text, matching tokens (GAP for "*"), kind, value, source."""

    text: str
    tokens: tuple[str, ...]
    kind: Kind
    value: str  # label id, "other", "general", cue type, side or canonical severity word
    source: str  # "mention/pleural_effusion.txt:12"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the rule parser reads from ``core/lexicon/``, validated."""

    phrases: tuple[Phrase, ...]
    abbreviations: frozenset[str]
    gap_words: frozenset[str]
    link_words: frozenset[str]
    break_words: frozenset[str]
    explain_words: frozenset[str] = frozenset()

    def of_kind(self, kind: Kind) -> tuple[Phrase, ...]:
        return tuple(p for p in self.phrases if p.kind == kind)


def _lines(node: Traversable, rel: str) -> list[tuple[int, str]]:
    try:
        text = node.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(
            f"{rel}: not UTF-8 text ({error.reason}); lexicon files must be UTF-8"
        ) from None
    return [(i, line.strip()) for i, line in enumerate(text.splitlines(), start=1)]


def _phrase_tokens(raw: str, where: str, allow_gap: bool) -> tuple[str, ...]:
    if "#" in raw:
        raise DataFileError(
            f"{where}: {raw!r} has '#' after text; comments must be on their own line"
        )
    toks = tokenize(raw)
    out: list[str] = []
    for word, tok in zip(toks.raw, toks.norm, strict=True):
        if word == "NUMBER":
            if not allow_gap:
                raise DataFileError(f"{where}: {raw!r} uses NUMBER, allowed only where '*' is")
            out.append(NUMBER)
            continue
        if not tok[0].isalnum() and tok not in _PHRASE_PUNCT:
            raise DataFileError(
                f"{where}: {raw!r} has the character {tok!r}; allowed: letters, digits, spaces, "
                f"hyphens, apostrophes and {' '.join(sorted(_PHRASE_PUNCT))}"
            )
        out.append(tok)
    if not out:
        raise DataFileError(f"{where}: empty phrase")
    if GAP in out:
        if not allow_gap:
            raise DataFileError(
                f"{where}: {raw!r} uses '*', allowed only in mention, unmention, denial, "
                "other_abnormalities, general_abnormality and normal_partial files"
            )
        if out.count(GAP) > 1 or out[0] == GAP or out[-1] == GAP:
            raise DataFileError(f"{where}: {raw!r}: '*' must appear once, between two words")
    if out == [NUMBER]:
        raise DataFileError(f"{where}: {raw!r}: NUMBER needs at least one word beside it")
    return tuple(out)


def _read_phrases(
    node: Traversable, rel: str, kind: Kind, value: str, need_example: bool = False
) -> list[Phrase]:
    """Phrases of one file; duplicates and (for cues) missing or unrelated examples are errors."""
    seen: dict[tuple[str, ...], int] = {}
    phrases: list[Phrase] = []
    prev_comment: str | None = None
    for line_no, line in _lines(node, rel):
        if not line:
            prev_comment = None
            continue
        if line.startswith("#"):
            prev_comment = line.lstrip("#").strip()
            continue
        where = f"{rel}:{line_no}"
        canonical = value
        if kind == "severity" and "=" in line:
            line, _, canonical = (part.strip() for part in line.partition("="))
            if not canonical.isalpha():
                raise DataFileError(
                    f"{where}: canonical severity {canonical!r} must be one word of letters"
                )
        tokens = _phrase_tokens(line, where, allow_gap=kind in _GAP_KINDS)
        if kind == "cue" and len(tokens) > CUE_MAX_TOKENS:
            raise DataFileError(
                f"{where}: cue {line!r} has {len(tokens)} words; at most {CUE_MAX_TOKENS}"
            )
        if tokens in seen:
            raise DataFileError(
                f"{where}: {line!r} repeats line {seen[tokens]} (same words after folding)"
            )
        seen[tokens] = line_no
        if need_example:
            _check_example(prev_comment, tokens, line, where)
        phrases.append(Phrase(line, tokens, kind, canonical, where))
        prev_comment = None
    return phrases


def _check_example(comment: str | None, tokens: tuple[str, ...], line: str, where: str) -> None:
    if comment is None:
        raise DataFileError(
            f"{where}: cue {line!r} needs an example comment on the line above "
            '(e.g. # e.g. "No pleural effusion.")'
        )
    example = tuple(tokenize(comment).norm)
    n = len(tokens)
    if not any(example[i : i + n] == tokens for i in range(len(example) - n + 1)):
        raise DataFileError(
            f"{where}: the example above cue {line!r} does not contain it: {comment!r}"
        )


def _read_words(node: Traversable, rel: str) -> frozenset[str]:
    words: set[str] = set()
    seen: dict[str, int] = {}
    for line_no, line in _lines(node, rel):
        if not line or line.startswith("#"):
            continue
        if not line.replace("'", "").isalpha():
            raise DataFileError(f"{rel}:{line_no}: {line!r} must be one word of letters")
        if line.lower() in seen:
            raise DataFileError(f"{rel}:{line_no}: {line!r} repeats line {seen[line.lower()]}")
        seen[line.lower()] = line_no
        words.add(tokenize(line).norm[0])  # "appears" and "appear" may both be listed
    return frozenset(words)


def _txt_files(
    folder: Traversable, rel: str, allowed: tuple[str, ...], required: bool
) -> dict[str, Traversable]:
    """The ``<name>.txt`` files of a folder, checking names against ``allowed``."""
    found: dict[str, Traversable] = {}
    for node in folder.iterdir():
        if node.name.startswith((".", "__")):
            continue
        stem, dot, ext = node.name.rpartition(".")
        if node.is_dir() or not dot or ext != "txt" or stem not in allowed:
            raise DataFileError(
                f"{rel}/{node.name}: unexpected file; allowed: "
                f"{', '.join(name + '.txt' for name in allowed)}"
            )
        found[stem] = node
    missing = [name for name in allowed if name not in found]
    if required and missing:
        raise DataFileError(f"{rel}/: missing {', '.join(m + '.txt' for m in missing)}")
    return found


def _check_root(root: Traversable) -> None:
    for node in root.iterdir():
        name = node.name
        if name.startswith((".", "__")):
            continue
        if node.is_dir() and name in _FOLDERS or not node.is_dir() and name in _ROOT_FILES:
            continue
        raise DataFileError(
            f"lexicon/{name}: unexpected entry; allowed: folders {', '.join(_FOLDERS)} "
            f"and files {', '.join(_ROOT_FILES)}"
        )
    for name in (*_FOLDERS, *_ROOT_FILES):
        if not root.joinpath(name).is_file() and not root.joinpath(name).is_dir():
            raise DataFileError(f"lexicon/{name}: missing")


def load_lexicon_from(root: Traversable) -> Lexicon:
    """Read and validate a lexicon folder (the package's, or one a test writes to ``tmp_path``)."""
    _check_root(root)
    phrases: list[Phrase] = []
    mentions = _txt_files(root / "mention", "mention", LABELS, required=True)
    for label, node in mentions.items():
        phrases += _read_phrases(node, f"mention/{label}.txt", "mention", label)
    for label, node in _txt_files(root / "unmention", "unmention", LABELS, required=False).items():
        blocked = _read_phrases(node, f"unmention/{label}.txt", "unmention", label)
        own = {p.tokens: p.source for p in phrases if p.kind == "mention" and p.value == label}
        for p in blocked:
            if p.tokens in own:
                raise DataFileError(
                    f"{p.source}: {p.text!r} is also a mention ({own[p.tokens]}); "
                    "a phrase cannot both count and not count for one label"
                )
        phrases += blocked
    for label, node in _txt_files(
        root / "denial", "denial", POSITIVE_LABELS, required=False
    ).items():
        phrases += _read_phrases(node, f"denial/{label}.txt", "denial", label)
    for cue_type, node in _txt_files(root / "cues", "cues", CUE_TYPES, required=True).items():
        phrases += _read_phrases(node, f"cues/{cue_type}.txt", "cue", cue_type, need_example=True)
    for side, node in _txt_files(root / "laterality", "laterality", SIDES, required=True).items():
        phrases += _read_phrases(node, f"laterality/{side}.txt", "laterality", side)
    phrases += _read_phrases(root / "severity.txt", "severity.txt", "severity", "")
    phrases = [
        p
        if p.kind != "severity" or p.value
        else Phrase(p.text, p.tokens, p.kind, p.text.lower(), p.source)
        for p in phrases
    ]
    phrases += _read_phrases(
        root / "other_abnormalities.txt", "other_abnormalities.txt", "other", "other"
    )
    phrases += _read_phrases(
        root / "general_abnormality.txt", "general_abnormality.txt", "general", "general"
    )
    phrases += _read_phrases(
        root / "normal_partial.txt", "normal_partial.txt", "normal_part", "no_finding"
    )
    grammar = _txt_files(
        root / "grammar", "grammar", tuple(n[:-4] for n in _GRAMMAR_FILES), required=True
    )
    return Lexicon(
        phrases=tuple(phrases),
        abbreviations=_read_words(root / "abbreviations.txt", "abbreviations.txt"),
        gap_words=_read_words(grammar["gap"], "grammar/gap.txt"),
        link_words=_read_words(grammar["link"], "grammar/link.txt"),
        break_words=_read_words(grammar["break"], "grammar/break.txt"),
        explain_words=_read_words(grammar["explain"], "grammar/explain.txt"),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The package lexicon, loaded once per process."""
    return load_lexicon_from(resources.files("cxr_auditor.core") / "lexicon")
