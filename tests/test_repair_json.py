"""Finding the JSON list in raw model text: strict first, then repaired, with a repair log."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.repair_json import MAX_ITEMS, REPAIR_KINDS, extract_json_list

UNPARSEABLE = None
A = {"label": "a"}
B = {"label": "b"}


def kinds(repairs: list[str]) -> set[str]:
    return {line.split(":", 1)[0] for line in repairs}


# One malformed output per row: raw text, the list expected (or UNPARSEABLE), the repair kinds.
EXTRACTION_CASES = [
    ('[{"label": "a"}]', [A], set()),
    ("  [ ]  ", [], set()),
    ('Here is the list:\n[{"label": "a"}]\nHope this helps!', [A], {"prose"}),
    ('```json\n[{"label": "a"}]\n```', [A], {"code_fence"}),
    ('Sure.\n```\n[{"label": "a"}]\n```\nDone.', [A], {"code_fence", "prose"}),
    ('```json\n[{"label": "a"}, {"label": "b', [A], {"code_fence_unclosed", "truncated"}),
    ('```json\n[{"label": "a"}]', [A], {"code_fence_unclosed"}),
    ('<think>Effusion? [maybe] {not sure}</think>\n[{"label": "a"}]', [A], {"think_block"}),
    ('<THINK>x</THINK><think>y</think>[{"label": "a"}]', [A], {"think_block"}),
    ('the template opened it [x] </think>\n[{"label": "a"}]', [A], {"think_open_in_prompt"}),
    ('<think>The answer is [{"label": "b"', UNPARSEABLE, {"think_cut_off"}),
    ("<think>still reasoning about the left base", UNPARSEABLE, {"think_cut_off"}),
    ('<think>ok so the list is\n[{"label": "a"}]', [A], {"think_cut_off"}),
    ('{"label": "a"}', [A], {"single_object"}),
    ('{"findings": [{"label": "a"}, {"label": "b"}]}', [A, B], {"wrapped_list"}),
    ('{"label": "a"}\n{"label": "b"}', [A, B], {"object_sequence"}),
    ('[{"label": "a"}, {"label": "b"},]', [A, B], {"trailing_comma"}),
    ('[{"label": "a",}]', [A], {"trailing_comma"}),
    ('[{"label": "a"} {"label": "b"}]', [A, B], {"missing_comma"}),
    ('[{"label": "a"},, {"label": "b"}]', [A, B], {"extra_comma"}),
    ('[{"label": "a"}, {"label": "b"', [A], {"truncated"}),
    ('[{"label": "a"}, {"label": "b"}', [A, B], {"truncated"}),
    ('[{"label": "a"}, {"label": "b"}, ', [A, B], {"truncated"}),
    ('[{"label": "a"}, {"label": oops}]', [A], {"invalid_element"}),
    ('[{"label": "a", "box_2d": [0.1, 0.2', UNPARSEABLE, set()),
    ("[", UNPARSEABLE, set()),
    ('[{"nested": {"label": "b"}', UNPARSEABLE, set()),  # never a fragment of a cut-off element
    ("[{'label': 'a'}]", [A], {"single_quotes"}),
    (
        '[{"label": "a", "x": None, "y": True}]',
        [{"label": "a", "x": None, "y": True}],
        {"python_literal"},
    ),
    ("[{label: 'a'}]", [A], {"unquoted_key", "single_quotes"}),
    ('"[{\\"label\\": \\"a\\"}]"', [A], {"json_in_string"}),
    ('["{\\"label\\": \\"a\\"}", {"label": "b"}]', [A, B], {"json_in_string"}),
    (
        '[{"label": "x ] [ } {", "e": "say \\"]\\""}]',
        [{"label": "x ] [ } {", "e": 'say "]"'}],
        set(),
    ),
    ('Note [1]: see {this}. [{"label": "a"}]', [A], {"prose"}),
    ('[{"label": "a"}, {"label": "a"}]', [A, A], set()),
    ('[1, "two", null]', [1, "two", None], set()),
    ("No findings: []", [], {"prose"}),
    ("No acute cardiopulmonary abnormality.", UNPARSEABLE, set()),
    ("", UNPARSEABLE, set()),
    ("   \n ", UNPARSEABLE, set()),
    ("42", UNPARSEABLE, set()),
    ('"just a sentence"', UNPARSEABLE, set()),
    ("[" * 5000, UNPARSEABLE, set()),
    ('[{"label": "a\nb"}]', [{"label": "a\nb"}], {"control_char"}),
    ('[{"label": "a", "label": "b"}]', [B], set()),
    ("[{'label': 'a', 'label': 'b'}]", [B], {"single_quotes", "duplicate_key"}),
]


@pytest.mark.parametrize(("raw", "expected", "expected_kinds"), EXTRACTION_CASES)
def test_extraction_table(raw, expected, expected_kinds):
    result = extract_json_list(raw)
    assert result.items == expected
    assert kinds(result.repairs) == expected_kinds
    assert kinds(result.repairs) <= set(REPAIR_KINDS)
    if expected is UNPARSEABLE:
        assert result.error, "an unrecoverable output must say why"
    else:
        assert result.error is None
        assert result.strict == (not expected_kinds)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ('[{"label": "a", "box_2d": [NaN, 0, 1, 1]}]', "nonfinite_number"),
        ('[{"label": "a", "box_2d": [-Infinity, 0, 1, 1]}]', "nonfinite_number"),
        ('[{"label": "a", "box_2d": [' + "9" * 5000 + ", 0, 1, 1]}]", "huge_number"),
    ],
)
def test_nonfinite_and_huge_numbers_are_read_as_non_finite_floats(raw, kind):
    result = extract_json_list(raw)
    assert kind in kinds(result.repairs)
    assert not math.isfinite(result.items[0]["box_2d"][0])


def test_strict_path_reads_a_large_exponent_as_infinity_without_repair():
    result = extract_json_list('[{"box_2d": [1e999, 0, 1, 1]}]')
    assert result.strict and result.items[0]["box_2d"][0] == math.inf


@pytest.mark.parametrize("closed", [True, False])
def test_repetition_loop_is_capped_and_the_cap_is_recorded(closed):
    raw = "[" + ", ".join(['{"label": "a"}'] * 200) + ("]" if closed else "")
    result = extract_json_list(raw)
    assert len(result.items) == MAX_ITEMS
    assert [d.path for d in result.dropped] == [f"$[{MAX_ITEMS}:]"]
    assert "repetition" in result.dropped[0].reason


def test_error_names_truncation_before_the_first_element():
    assert "cut off" in extract_json_list('[{"label": "a", "box_2d": [0.1').error


def test_cut_off_reasoning_says_so():
    assert "reasoning cut off" in extract_json_list("<think>hmm, the left base [").error


def test_non_text_input_is_an_input_error():
    with pytest.raises(InputError, match="must be text"):
        extract_json_list(b"[]")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- properties

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_OBJECTS = st.lists(st.dictionaries(st.text(max_size=8), _JSON, max_size=4), max_size=6)


@given(_OBJECTS)
def test_any_json_list_of_objects_is_read_strictly_and_unchanged(items):
    result = extract_json_list(json.dumps(items))
    assert result.strict and result.repairs == [] and result.items == items[:MAX_ITEMS]


def _no_wrapper_markers(items: list[dict[str, object]]) -> bool:
    """Keys or strings that spell a reasoning tag themselves ("<THINK>") would be read as one: the
    reasoning wrapper is matched case-insensitively, on purpose. Out of scope for this property."""
    return bool(items) and "think>" not in json.dumps(items).lower()


@given(
    _OBJECTS.filter(_no_wrapper_markers),
    st.sampled_from(
        [
            "Here you go:\n```json\n{}\n```",
            "{}\nLet me know.",
            "<think>hmm [ {{</think>{}",
            "```\n{}",
        ]
    ),
)
def test_wrapped_list_of_objects_is_recovered_unchanged_and_marked_repaired(items, wrapper):
    result = extract_json_list(wrapper.format(json.dumps(items)))
    assert result.items == items and not result.strict and result.repairs


@settings(max_examples=60)
@given(
    st.lists(
        st.dictionaries(st.sampled_from("abc"), _JSON, min_size=1, max_size=3),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
def test_a_cut_off_list_gives_a_prefix_of_its_elements_or_unparseable(items, data):
    text = json.dumps(items)
    cut = data.draw(st.integers(1, len(text) - 1))
    result = extract_json_list(text[:cut])
    if result.items is None:
        assert result.error
    else:
        assert result.items == items[: len(result.items)]


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_and_always_explains_itself(text):
    result = extract_json_list(text)
    assert (result.items is None) == (result.error is not None)
    assert result.strict == (result.items is not None and not result.repairs)
    assert kinds(result.repairs) <= set(REPAIR_KINDS)
