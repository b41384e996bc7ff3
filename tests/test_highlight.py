"""Draft highlighting: each read phrase marked with its flag's colour and number, all escaped."""

from __future__ import annotations

import re

import pytest

from cxr_auditor.core.audit import FunctionReader, reference_read, run_audit
from cxr_auditor.core.schemas import Finding, Mention, ParseAccount, ReaderIdentity
from cxr_auditor.ui.services.auditing import numbered_flags
from cxr_auditor.ui.services.highlight import HEDGE, READ, Span, highlight, plain, spans_for
from cxr_auditor.ui.services.palette import FLAG_COLOURS

PARSER = ReaderIdentity(role="parser", kind="rules", name="table")
RIGHT_PTX = Finding(
    label="pneumothorax", box=(0.05, 0.10, 0.35, 0.40)
)  # image-left = patient right
EFFUSION = Finding(label="pleural_effusion", box=(0.60, 0.60, 0.90, 0.95))


def mention(draft: str, phrase: str, label: str, status: str = "present", side=None) -> Mention:
    start = draft.index(phrase)
    return Mention(
        label=label, status=status, span=(start, start + len(phrase)), text=phrase, laterality=side
    )


def audit(draft: str, mentions: list[Mention], findings: list[Finding]):
    reader = FunctionReader(PARSER, lambda text: (mentions, ParseAccount()))
    return run_audit(draft, reference_read(findings), reader)


def marks(html: str) -> list[tuple[str, str]]:
    """(class, text) of every <mark> in the HTML."""
    return re.findall(r'<mark class="cxr-([a-z]+)"[^>]*>(.*?)</mark>', html)


@pytest.mark.parametrize(
    "draft, phrase, label, status, side, findings, kind",
    [
        # A normal call on a film with a pneumothorax: the normal phrase carries the MISSING flag.
        (
            "No acute cardiopulmonary abnormality.",
            "No acute cardiopulmonary abnormality",
            "no_finding",
            "present",
            None,
            [RIGHT_PTX],
            "missing",
        ),
        # The pneumothorax on the wrong side: the side, not the (reported) urgency, colours it.
        (
            "Left pneumothorax.",
            "Left pneumothorax",
            "pneumothorax",
            "present",
            "left",
            [RIGHT_PTX],
            "laterality",
        ),
        # The pneumothorax reported on the right side: only its urgency is left to show.
        (
            "Right pneumothorax.",
            "Right pneumothorax",
            "pneumothorax",
            "present",
            "right",
            [RIGHT_PTX],
            "urgent",
        ),
        # An effusion the image read does not show (complete reference).
        (
            "Small right effusion.",
            "right effusion",
            "pleural_effusion",
            "present",
            "right",
            [],
            "unsupported",
        ),
        # A hedge: marked as a hedge, not as a flag.
        (
            "Possible right effusion.",
            "right effusion",
            "pleural_effusion",
            "uncertain",
            "right",
            [],
            "hedge",
        ),
        # A phrase read correctly and matching the image: underlined as read.
        (
            "Right pleural effusion.",
            "Right pleural effusion",
            "pleural_effusion",
            "present",
            "right",
            [EFFUSION.model_copy(update={"box": (0.6, 0.05, 0.9, 0.4)})],
            "read",
        ),
    ],
)
def test_each_phrase_is_marked_with_its_kind(draft, phrase, label, status, side, findings, kind):
    result = audit(draft, [mention(draft, phrase, label, status, side)], findings)
    html = highlight(draft, spans_for(result, numbered_flags(result.flags)))
    assert marks(html) == [(kind, phrase)]


def test_flag_number_follows_the_phrase_and_colour_matches_the_kind():
    draft = "No acute cardiopulmonary abnormality."
    result = audit(
        draft, [mention(draft, "No acute cardiopulmonary abnormality", "no_finding")], [EFFUSION]
    )
    numbered = numbered_flags(result.flags)
    html = highlight(draft, spans_for(result, numbered))
    (missing,) = [n for n in numbered if n.flag.kind == "MISSING"]
    assert f"</mark><sup>{missing.number}</sup>" in html
    assert FLAG_COLOURS["MISSING"].hex in html


def test_focus_keeps_only_the_focused_flags_colour():
    draft = "Left pneumothorax. No effusion."
    mentions = [
        mention(draft, "Left pneumothorax", "pneumothorax", side="left"),
        mention(draft, "No effusion", "pleural_effusion", "absent"),
    ]
    result = audit(draft, mentions, [RIGHT_PTX, EFFUSION])
    numbered = numbered_flags(result.flags)
    missing = next(n.number for n in numbered if n.flag.kind == "MISSING")
    html = highlight(draft, spans_for(result, numbered, focus=missing))
    assert marks(html) == [("read", "Left pneumothorax"), ("missing", "No effusion")]


@pytest.mark.parametrize(
    "draft",
    [
        '<script>alert("x")</script> right effusion',
        "<img src=x onerror=alert(1)> right effusion",
        "Right effusion & <b>bold</b> \"quoted\" 'single'",
    ],
)
def test_everything_from_the_draft_is_escaped(draft):
    start = draft.index("ffusion")
    html = highlight(draft, [Span(start, start + 7, "MISSING", (1,), 'title "<x>"')])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;" in html or "&amp;" in html
    assert 'title="title &quot;&lt;x&gt;&quot;"' in html


def test_overlapping_spans_split_and_take_the_most_severe_kind():
    draft = "abcdefghij"
    html = highlight(draft, [Span(0, 6, "UNSUPPORTED", (2,)), Span(3, 9, "MISSING", (1,))])
    assert marks(html) == [("unsupported", "abc"), ("missing", "def"), ("missing", "ghi")]
    assert html.count("<sup>") == 2


@pytest.mark.parametrize(
    "spans",
    [
        [Span(5, 50, READ)],  # past the end
        [Span(4, 2, HEDGE)],  # inverted
        [Span(-1, 3, READ)],  # negative
    ],
)
def test_spans_outside_the_draft_are_ignored(spans):
    assert marks(highlight("short", spans)) == []


def test_line_breaks_are_kept():
    html = highlight("Line one.\nLine two.", [])
    assert "Line one.\nLine two." in html and "pre-wrap" in html


@pytest.mark.parametrize(
    "text",
    [
        "**bold** and _under_",
        "[link](javascript:alert(1))",
        ":red[coloured] :material/warning:",
        "# heading | table | `code` ~strike~ $x$",
    ],
)
def test_plain_text_shows_as_typed_in_markdown(text):
    escaped = plain(text)
    assert re.sub(r"\\(.)", r"\1", escaped) == text  # nothing lost
    assert not re.search(r"(?<!\\)[*_\[\]()`:#|~$]", escaped)  # every special escaped
