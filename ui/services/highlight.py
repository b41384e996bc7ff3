"""The draft as escaped HTML with each read phrase marked: flag colour, flag number, a tooltip.

Every character of the draft is HTML-escaped, so a draft that contains markup shows as text. Spans
that overlap are split at their boundaries; a piece covered by several spans takes the most severe
kind and lists every flag number. A phrase the parser read but no flag names is underlined grey, so
the learner sees what was read as well as what was flagged. This module does not decide flags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from cxr_auditor.core.labels import display_name
from cxr_auditor.core.schemas import AuditResult
from cxr_auditor.ui.services.auditing import (
    SEVERITY_ORDER,
    NumberedFlag,
    badge,
    flags_of_mention,
    lead_flag,
)
from cxr_auditor.ui.services.palette import NOTE, colour_of

# Kinds a span can have besides the flag kinds, least severe last.
HEDGE, READ = "HEDGE", "READ"
_RANK = {kind: rank for rank, kind in enumerate((*SEVERITY_ORDER, HEDGE, READ))}


@dataclass(frozen=True)
class Span:
    """A marked stretch of the draft: ``draft[start:end]``."""

    start: int
    end: int
    kind: str
    numbers: tuple[int, ...] = ()
    title: str = ""


def spans_for(
    result: AuditResult, numbered: Sequence[NumberedFlag], focus: int | None = None
) -> list[Span]:
    """One span per draft mention that has a position; ``focus`` keeps only that flag's colour."""
    spans = []
    for mention in result.mentions:
        if mention.span is None:
            continue
        flags = flags_of_mention(mention, numbered)
        if focus is not None:
            flags = [n for n in flags if n.number == focus]
        what = f"{display_name(mention.label)}, {mention.status}"
        lead = lead_flag(flags)  # None exactly when there are no flags
        kind: str
        if lead is not None:
            kind = lead.flag.kind
            title = "; ".join(f"flag {n.number}: {badge(n.flag)}" for n in flags) + f" ({what})"
        else:
            kind = HEDGE if mention.status == "uncertain" else READ
            title = f"read as: {what}"
        spans.append(
            Span(mention.span[0], mention.span[1], kind, tuple(n.number for n in flags), title)
        )
    return spans


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|:<>~$])")


def plain(text: str) -> str:
    """``text`` with every markdown special character escaped, for ``st.markdown`` and alerts.

    Draft phrases, reader names and error messages can contain ``*``, ``[..](..)`` or ``:red[..]``;
    escaped, they show as typed instead of being rendered.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _style(kind: str) -> str:
    colour = NOTE.hex if kind in (HEDGE, READ) else colour_of(kind).hex
    if kind == READ:
        return f"background: transparent; border-bottom: 2px dotted {colour};"
    return f"background: {colour}33; border-bottom: 3px solid {colour}; border-radius: 2px;"


def highlight(draft: str, spans: Sequence[Span]) -> str:
    """The draft as an HTML ``div`` with ``<mark>`` elements; all of the draft is escaped."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(draft)]
    cuts = sorted({0, len(draft), *(s.start for s in valid), *(s.end for s in valid)})
    pieces = []
    for start, end in pairwise(cuts):
        text = html.escape(draft[start:end], quote=True)
        covering = [s for s in valid if s.start <= start and end <= s.end]
        if not covering:
            pieces.append(text)
            continue
        kind = min((s.kind for s in covering), key=lambda k: _RANK.get(k, len(_RANK)))
        numbers = sorted({n for s in covering for n in s.numbers})
        title = html.escape(" | ".join(dict.fromkeys(s.title for s in covering)), quote=True)
        mark = (
            f'<mark class="cxr-{kind.lower()}" title="{title}" '
            f'style="color: inherit; {_style(kind)}">{text}</mark>'
        )
        last_piece_of_span = any(s.end == end for s in covering if s.numbers)
        if numbers and last_piece_of_span:
            mark += f"<sup>{','.join(map(str, numbers))}</sup>"
        pieces.append(mark)
    return (
        '<div class="cxr-draft" style="white-space: pre-wrap; line-height: 1.8; '
        'font-size: 1rem;">' + "".join(pieces) + "</div>"
    )
