"""Reasoning traces and markdown fences around a model's answer."""

from __future__ import annotations

import pytest

from cxr_auditor.core.wrappers import strip_fence, strip_reasoning


def kinds(repairs: list[str]) -> set[str]:
    return {line.split(":", 1)[0] for line in repairs}


REASONING_CASES = [
    ("[1]", "[1]", set()),
    ("<think>why</think>answer", "answer", {"think_block"}),
    ("<think>a</think>mid<think>b</think>end", "end", {"think_block"}),
    ("prompt-opened reasoning</think>answer", "answer", {"think_open_in_prompt"}),
    ("<think>never closed [", "", {"think_cut_off"}),
    ("before<think>never closed", "before", {"think_cut_off"}),
    ("<Thinking>x</Thinking>answer", "answer", {"think_block"}),
]


@pytest.mark.parametrize(("raw", "answer", "expected_kinds"), REASONING_CASES)
def test_strip_reasoning(raw, answer, expected_kinds):
    text, repairs = strip_reasoning(raw)
    assert text == answer
    assert kinds(repairs) == expected_kinds


@pytest.mark.parametrize(
    ("raw", "body", "expected_kinds"),
    [
        ("```json\n[1]\n```", "\n[1]\n", {"code_fence"}),
        ("Here it is:\n```\n[1]\n```\nDone.", "\n[1]\n", {"code_fence", "prose"}),
        ("```json\n[1, 2", "\n[1, 2", {"code_fence_unclosed"}),
        ("```\nno json here\n```", "```\nno json here\n```", set()),
        ("[1]", "[1]", set()),
        # backticks inside a JSON string close nothing; the fence closes on its own line
        ('```json\n[{"a": "x```y"}]\n```', '\n[{"a": "x```y"}]\n', {"code_fence"}),
        ('```\n[{"```": null}]', '\n[{"```": null}]', {"code_fence_unclosed"}),
        # a fence closed at the end of the JSON's own line still counts
        ("```json\n[1]```\nDone.", "\n[1]", {"code_fence", "prose"}),
    ],
)
def test_strip_fence(raw, body, expected_kinds):
    text, repairs = strip_fence(raw)
    assert text == body
    assert kinds(repairs) == expected_kinds
