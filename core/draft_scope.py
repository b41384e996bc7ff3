"""How far each cue reaches (never past its sentence), which status each mention gets, its side
and size.

Does (ConText-style, with explicit termination instead of a fixed word window):
- a ``*_pre`` cue reaches forward until a termination cue, a comma or "and" that opens a new item
  (", stable cardiomegaly"), the sentence end, or MAX_FORWARD tokens, so it covers coordinated
  lists;
- a ``*_post`` cue reaches back until a comma, a termination cue or MAX_BACKWARD tokens;
- a ``*_both`` cue ("versus") reaches MAX_BOTH tokens each way, stopping at a comma or another cue;
- a ``mimic_post`` cue ("nipple shadow", "overlapping bone") explains the finding before it as a
  benign mimic, so that finding is absent. It reaches back MAX_MIMIC_BACK tokens across commas and
  linking words ("nodular opacity, which likely represents the nipple shadow"), stopping at ";",
  "and", "or",
  "but", and acts only on the nearest finding before it, when a word of ``grammar/explain.txt``
  ("represents", "likely", "due", ...) stands between them and no other finding does ("stable mass,
  overlying ECG leads" lists two things; "stent artifact" names a stent);
- a cue inside a phrase's "*" gap ("heart is not enlarged") decides that phrase first; otherwise the
  nearest decisive cue whose scope covers the mention decides (negation and resolution -> absent,
  uncertainty -> uncertain); pseudo-cues ("no change in") are transparent but recorded as the cue of
  a mention that nothing else decides.
- side and size: modifiers inside the gap or in the mention's noun phrase before it, else after it
  across link words ("effusion on the right").
Does not: find phrases (``core.phrase_match``) or build mentions (``core.parse_draft``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

from cxr_auditor.core.lexicon import CUE_MAX_TOKENS, Lexicon
from cxr_auditor.core.phrase_match import CueInfo, Match
from cxr_auditor.core.schemas import Laterality, MentionStatus
from cxr_auditor.core.segment import Span

MAX_FORWARD = 25
MAX_BACKWARD = 8
MAX_BOTH = 6
MAX_NP_BACK = 6
MAX_LINK_FORWARD = 5
MAX_MIMIC_BACK = 16
MIMIC_STOPS = frozenset({";", "and", "or", "but"})  # a mimic never explains a finding across these
# What a mimic rules out is a lesion or a diagnosis (a nodule, a pneumothorax), not the shadow
# itself: coders still index the opacity or density that was seen ("nodular opacity, likely the
# nipple" is coded Opacity + Nipple Shadow, not Nodule), so for these labels a mimic cue does not
# decide.
MIMIC_KEEPS = frozenset({"lung_opacity_consolidation", "other"})
STATUS_OF_FAMILY: dict[str, MentionStatus] = {
    "negation": "absent",
    "uncertainty": "uncertain",
    "resolution": "absent",
    "mimic": "absent",
}


class Cue(NamedTuple):
    """A cue occurrence: tokens ``[first, last)``, its types (file stems) and its reach."""

    first: int
    last: int
    types: frozenset[str]
    forward_end: int  # scope after the cue is [last, forward_end)
    backward_start: int  # scope before the cue is [backward_start, first)


def _next_at_or_after(stops: list[int], start: int, limit: int) -> int:
    """The first stop at or after ``start``, or ``limit`` when none comes before it."""
    k = bisect_left(stops, start)
    return stops[k] if k < len(stops) and stops[k] < limit else limit


def _last_before(stops: list[int], end: int) -> int:
    """The last stop before ``end``, or -1."""
    k = bisect_left(stops, end)
    return stops[k - 1] if k else -1


class Decision(NamedTuple):
    status: MentionStatus
    cue: Cue | None
    family: str = ""  # of the deciding cue ("negation", "mimic", ...); "" when none decides


_PRESENT = Decision("present", None)


class Scope:
    """The cues of a draft with their scopes; no scope crosses a sentence boundary."""

    def __init__(
        self,
        norms: list[str],
        cue_matches: list[Match],
        sentences: list[Span],
        sentence_of: list[int],
        mention_firsts: list[int] | None = None,
        explain_words: frozenset[str] = frozenset(),
    ) -> None:
        """``mention_firsts``: sorted first tokens of the draft's findings and ``explain_words`` the
        words that attribute a finding to a cause (a mimic cue explains only the nearest finding
        before it, through one of those words)."""
        self._norms, self._sentences, self._sentence_of = norms, sentences, sentence_of
        self._mention_firsts = mention_firsts or []
        self._explain = explain_words
        self._reach_back = MAX_BACKWARD
        self._term_starts: set[int] = set()
        self._term_tokens: set[int] = set()
        self._comparison_starts: set[int] = set()
        self.exception_sentences: set[int] = set()
        self.cue_tokens: set[int] = set()
        self.post_cue_tokens: set[int] = set()  # cues that only look back ("is suspected")
        self.decisive: list[tuple[Cue, str, str]] = []  # (cue, family, direction), by position
        self.pseudo: list[Cue] = []
        self._decisive_firsts: list[int] = []
        self._pseudo_firsts: list[int] = []
        if not cue_matches:
            return
        cues = [(m, _info(m)) for m in cue_matches]
        for m, info in cues:
            self.cue_tokens.update(range(m.first, m.last))
            if info.terminates:
                self._term_starts.add(m.first)
                self._term_tokens.update(range(m.first, m.last))
            if info.comparison:
                self._comparison_starts.add(m.first)
            if info.exception:
                self.exception_sentences.add(sentence_of[m.first])
            if info.actions and all(direction == "post" for _, direction in info.actions):
                self.post_cue_tokens.update(range(m.first, m.last))
        # Positions where a forward scope stops (a termination cue, or "," / "and" opening a new,
        # asserted item: ", stable cardiomegaly") and where a backward scope stops (",", ";" or a
        # termination cue); looked up by bisection, so each cue costs O(log n).
        self._fwd_stops = sorted(
            self._term_starts
            | {j - 1 for j in self._comparison_starts if j > 0 and norms[j - 1] in (",", "and")}
        )
        self._back_stops = sorted(
            self._term_tokens.union(i for i, tok in enumerate(norms) if tok == "," or tok == ";")
        )
        self._commas = [i for i, tok in enumerate(norms) if tok == ","]
        self._mimic_stops: list[int] = []
        if any(family == "mimic" for _, info in cues for family, _ in info.actions):
            self._mimic_stops = [i for i, tok in enumerate(norms) if tok in MIMIC_STOPS]
            self._reach_back = max(MAX_BACKWARD, MAX_MIMIC_BACK)
        for m, info in cues:
            for family, direction in info.actions:
                cue = self._with_scope(m, info.types, direction, family)
                if family == "pseudo":
                    self.pseudo.append(cue)
                else:
                    self.decisive.append((cue, family, direction))
        self.decisive.sort(key=lambda item: item[0].first)
        self.pseudo.sort(key=lambda cue: cue.first)
        self._decisive_firsts = [item[0].first for item in self.decisive]
        self._pseudo_firsts = [cue.first for cue in self.pseudo]

    def _with_scope(self, m: Match, types: frozenset[str], direction: str, family: str = "") -> Cue:
        sentence = self._sentences[self._sentence_of[m.first]]
        if family == "mimic":  # back across commas and linking words, to ";", "and", "or", "but"
            back = max(
                sentence.first,
                m.first - MAX_MIMIC_BACK,
                _last_before(self._mimic_stops, m.first) + 1,
            )
            return Cue(m.first, m.last, types, m.last, back)
        both = direction == "both"
        fwd = _next_at_or_after(
            self._fwd_stops,
            m.last,
            min(sentence.last, m.last + (MAX_BOTH if both else MAX_FORWARD)),
        )
        stop = _last_before(self._back_stops, m.first)
        back = max(sentence.first, m.first - (MAX_BOTH if both else MAX_BACKWARD), stop + 1)
        if both:  # "X versus Y" stays inside its own predication: a comma or another cue ends it
            fwd = _next_at_or_after(self._commas, m.last, fwd)
            fwd = next((j for j in range(m.last, fwd) if j in self.cue_tokens), fwd)
            back = next(
                (j + 1 for j in range(m.first - 1, back - 1, -1) if j in self.cue_tokens), back
            )
        return Cue(m.first, m.last, types, fwd, back)

    def decide(
        self, first: int, last: int, gap: tuple[int, int] | None, mimics: bool = True
    ) -> Decision:
        """Status of the mention at tokens ``[first, last)`` (``gap``: its "*" gap) and the deciding
        cue; ``mimics=False`` ignores mimic cues (for the labels in MIMIC_KEEPS)."""
        if not self.decisive and not self.pseudo:
            return _PRESENT
        best: tuple[tuple[int, int], Cue, str] | None = None
        low, high = (
            first - MAX_FORWARD - CUE_MAX_TOKENS,
            last + self._reach_back + 1,
        )  # cues that can reach
        window = self.decisive[
            bisect_left(self._decisive_firsts, low) : bisect_right(self._decisive_firsts, high)
        ]
        for cue, family, direction in window:
            if gap is not None and gap[0] <= cue.first and cue.last <= gap[1]:
                key = (-1, 0)
            elif direction != "post" and cue.last <= first < cue.forward_end:
                key = (first - cue.last, 0)
            elif family == "mimic":
                if (
                    not mimics
                    or not (cue.first > last and first >= cue.backward_start)
                    or not self._explains(last, cue.first)
                ):
                    continue
                key = (cue.first - last, 1)
            elif direction != "pre" and cue.first >= last and first >= cue.backward_start:
                key = (cue.first - last, 1)
            else:
                continue
            if best is None or key < best[0]:
                best = (key, cue, family)
        if best is not None:
            return Decision(STATUS_OF_FAMILY[best[2]], best[1], best[2])
        pseudo = self.pseudo[
            bisect_left(self._pseudo_firsts, low) : bisect_right(self._pseudo_firsts, high)
        ]
        near = [(first - c.last, c) for c in pseudo if c.last <= first < c.forward_end]
        near += [
            (c.first - last, c) for c in pseudo if c.first >= last and first >= c.backward_start
        ]
        return Decision("present", min(near, key=lambda item: item[0])[1] if near else None)

    def _explains(self, start: int, end: int) -> bool:
        """Tokens ``[start, end)``, between a finding and a mimic cue, hold an explaining word and
        no other finding starts there."""
        k = bisect_left(self._mention_firsts, start)
        if k < len(self._mention_firsts) and self._mention_firsts[k] < end:
            return False
        return any(self._norms[j] in self._explain for j in range(start, end))


class Modifiers:
    """Side and severity phrases of a draft, attached to mentions by position within a sentence."""

    def __init__(self, matches: list[Match], lexicon: Lexicon) -> None:
        self._by_last = {m.last: m for m in matches}
        self._by_first = {m.first: m for m in matches}
        self._matches = matches
        self._link, self._break = lexicon.link_words, lexicon.break_words

    def attach(
        self,
        norms: list[str],
        first: int,
        last: int,
        gap: tuple[int, int] | None,
        blocked: set[int],
        sentence: Span,
        passable: frozenset[int] | set[int] = frozenset(),
    ) -> tuple[Laterality | None, str | None]:
        """(laterality, severity) of the mention at ``[first, last)``; ``blocked`` tokens end the
        search backwards; ``passable`` tokens (backward-looking cues: "is suspected") do not end it
        forwards.

        Other mentions do not end it: adjacent finding words share their noun phrase's side
        ("bilateral reticulonodular interstitial opacities")."""
        if not self._matches:
            return None, None
        near: list[Match] = []
        if gap is not None:
            near = [
                m
                for k in range(gap[0], gap[1])
                if (m := self._by_first.get(k)) and m.last <= gap[1]
            ]
        j, steps, sides_only = first - 1, 0, False
        while j >= sentence.first and steps < MAX_NP_BACK:
            m = self._by_last.get(j + 1)
            if m is not None and m.first >= sentence.first:
                if not sides_only or m.phrases[0].kind == "laterality":
                    near.append(m)
                j, steps = m.first - 1, steps + 1
                continue
            tok = norms[j]
            if sides_only:
                break  # past "and", only modifiers directly before it count
            if tok in ("and", "or") and self._by_first.get(j + 1) is not None:
                # "moderate right and small left effusions": a side right before "and" is shared too
                j, steps, sides_only = j - 1, steps + 1, True
                continue
            if not tok[0].isalnum() or tok in self._break or j in blocked:
                break
            j, steps = j - 1, steps + 1
        after: list[Match] = []
        j, steps = last, 0
        while j < sentence.last and steps < MAX_LINK_FORWARD:
            m = self._by_first.get(j)
            if m is not None:
                after.append(m)
                j, steps = m.last, steps + 1
                continue
            tok = norms[j]
            nxt = self._by_first.get(j + 1)
            if (
                tok in self._link
                or j in passable
                or (tok == "," and nxt is not None and nxt.phrases[0].kind == "laterality")
            ):
                j, steps = j + 1, steps + 1
                continue
            break
        return _side(near) or _side(after), _severity(near) or _severity(after)


def _side(matches: list[Match]) -> Laterality | None:
    sides = {p.value for m in matches for p in m.phrases if p.kind == "laterality"}
    if "bilateral" in sides or {"left", "right"} <= sides:
        return "bilateral"
    # The lexicon's side files are exactly left, right and bilateral (lexicon.SIDES).
    return "left" if "left" in sides else "right" if "right" in sides else None


def _severity(matches: list[Match]) -> str | None:
    for m in matches:
        for p in m.phrases:
            if p.kind == "severity":
                return p.value
    return None


def _info(match: Match) -> CueInfo:
    """The CueInfo of a cue match (``phrase_match`` computes it for every cue group)."""
    if match.info is None:
        raise ValueError(f"cue match at tokens {match.first}..{match.last} has no cue info")
    return match.info
