"""Raw grounder and draft-parser text to findings and mentions; every repair and drop recorded."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import POSITIVE_LABELS
from cxr_auditor.core.parse_output import locate, parse_draft_output, parse_grounder_output
from cxr_auditor.core.repair_json import MAX_ITEMS

UNPARSEABLE = "unparseable"
EFF = [0.62, 0.08, 0.94, 0.40]
PTX = [0.10, 0.55, 0.45, 0.95]
CARD = [0.45, 0.30, 0.80, 0.70]


def kinds(repairs: list[str]) -> set[str]:
    return {line.split(":", 1)[0] for line in repairs}


def out(*pairs: tuple[str, list[float] | None]) -> str:
    return json.dumps([{"label": label, "box_2d": box} for label, box in pairs])


# One grounder output per row: raw text, the findings expected as (label, box) or UNPARSEABLE,
# the repair kinds, and the JSON paths recorded in `dropped`.
GROUNDER_CASES = [
    # strict, nothing to repair
    (out(("pleural_effusion", EFF)), [("pleural_effusion", EFF)], set(), []),
    (out(("no_finding", None)), [("no_finding", None)], set(), []),
    ("[]", [], set(), []),
    (out(("cardiomegaly", None)), [("cardiomegaly", None)], set(), []),
    ('[{"label": "cardiomegaly"}]', [("cardiomegaly", None)], set(), []),
    # text around the JSON
    (
        "Findings:\n" + out(("pneumothorax", PTX)) + "\nThis is not a diagnosis.",
        [("pneumothorax", PTX)],
        {"prose"},
        [],
    ),
    (out(("pneumothorax", PTX)) + "<end_of_turn>", [("pneumothorax", PTX)], {"prose"}, []),
    (
        "```json\n" + out(("pneumothorax", PTX)) + "\n```",
        [("pneumothorax", PTX)],
        {"code_fence"},
        [],
    ),
    (
        "```json\n" + out(("pneumothorax", PTX), ("cardiomegaly", CARD))[:-40],
        [("pneumothorax", PTX)],
        {"code_fence_unclosed", "truncated"},
        [],
    ),
    (
        "<think>apex looks lucent [?]</think>" + out(("pneumothorax", PTX)),
        [("pneumothorax", PTX)],
        {"think_block"},
        [],
    ),
    (
        "reasoning whose tag was in the prompt</think>\n" + out(("cardiomegaly", CARD)),
        [("cardiomegaly", CARD)],
        {"think_open_in_prompt"},
        [],
    ),
    ("<think>the heart looks [large, maybe {", UNPARSEABLE, {"think_cut_off"}, []),
    (
        "<think>final answer:\n" + out(("cardiomegaly", CARD)),
        [("cardiomegaly", CARD)],
        {"think_cut_off"},
        [],
    ),
    # shape of the JSON
    (
        json.dumps({"label": "cardiomegaly", "box_2d": CARD}),
        [("cardiomegaly", CARD)],
        {"single_object"},
        [],
    ),
    (
        '{"findings": ' + out(("cardiomegaly", CARD)) + "}",
        [("cardiomegaly", CARD)],
        {"wrapped_list"},
        [],
    ),
    (
        '{"label": "cardiomegaly", "box_2d": null}\n{"label": "pneumothorax", "box_2d": null}',
        [("cardiomegaly", None), ("pneumothorax", None)],
        {"object_sequence"},
        [],
    ),
    (
        '[{"label": "cardiomegaly", "box_2d": [0.45, 0.3, 0.8, 0.7,],},]',
        [("cardiomegaly", CARD)],
        {"trailing_comma"},
        [],
    ),
    (
        "[{'label': 'cardiomegaly', 'box_2d': None}]",
        [("cardiomegaly", None)],
        {"single_quotes", "python_literal"},
        [],
    ),
    (json.dumps(out(("cardiomegaly", CARD))), [("cardiomegaly", CARD)], {"json_in_string"}, []),
    (
        json.dumps([json.dumps({"label": "cardiomegaly", "box_2d": CARD})]),
        [("cardiomegaly", CARD)],
        {"json_in_string"},
        [],
    ),
    # truncation and repetition
    (
        '[{"label": "pneumothorax", "box_2d": [0.1, 0.55, 0.45, 0.95]}, {"label": "nodule_mass", '
        '"box_2d": [0.23, 0.3',
        [("pneumothorax", PTX)],
        {"truncated"},
        [],
    ),
    ('[{"label": "pneumothorax", "box_2d": [0.1, 0.55', UNPARSEABLE, set(), []),
    (
        "[" + ", ".join([json.dumps({"label": "nodule_mass", "box_2d": None})] * 300),
        [("nodule_mass", None)],
        {"lenient_read"},
        [f"$[{MAX_ITEMS}:]"] + [f"$[{i}]" for i in range(1, MAX_ITEMS)],
    ),
    # box scale and bad boxes
    (
        out(("pleural_effusion", [620, 80, 940, 400]), ("cardiomegaly", [450, 300, 800, 700])),
        [("pleural_effusion", EFF), ("cardiomegaly", CARD)],
        {"scale_0_1000"},
        [],
    ),
    (
        out(("Pleural Effusion", [620, 80, 940, 400])),
        [("pleural_effusion", EFF)],
        {"scale_0_1000", "label_normalized"},
        [],
    ),
    (
        out(("cardiomegaly", [450, 300, 800, 700]), ("pleural_effusion", [620, 80, 1003, 400])),
        UNPARSEABLE,
        set(),
        ["$[0]", "$[1]"],
    ),
    (
        out(("cardiomegaly", CARD), ("pleural_effusion", [0.62, 0.08, 1.2, 0.4])),
        [("cardiomegaly", CARD)],
        set(),
        ["$[1]"],
    ),
    (
        out(("pneumothorax", [0.45, 0.55, 0.10, 0.95]), ("cardiomegaly", CARD)),
        [("cardiomegaly", CARD)],
        set(),
        ["$[0]"],
    ),
    (
        '[{"label": "nodule_mass", "box_2d": [0.2, 0.3, 0.4]}, {"label": "cardiomegaly"}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0]"],
    ),
    (
        '[{"label": "nodule_mass", "box_2d": ["0.2", "0.3", "0.4", "0.5"]}, '
        '{"label": "cardiomegaly"}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0]"],
    ),
    (
        '[{"label": "nodule_mass", "box_2d": [NaN, 0.3, 0.4, 0.5]}, {"label": "cardiomegaly"}]',
        [("cardiomegaly", None)],
        {"nonfinite_number"},
        ["$[0]"],
    ),
    (
        '[{"label": "nodule_mass", "box_2d": [1e999, 0.3, 0.4, 0.5]}, {"label": "cardiomegaly"}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0]"],
    ),
    (
        '[{"label": "nodule_mass", "box_2d": [1' + "0" * 400 + ", 0.3, 0.4, 0.5]}, "
        '{"label": "cardiomegaly"}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0]"],
    ),
    (
        '[{"label": "nodule_mass", "box_2d": {"y0": 0.2}}, {"label": "cardiomegaly"}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0]"],
    ),
    # labels, elements, duplicates
    (out(("atelectasis", CARD), ("cardiomegaly", CARD)), [("cardiomegaly", CARD)], set(), ["$[0]"]),
    (out(("atelectasis", CARD)), UNPARSEABLE, set(), ["$[0]"]),
    (
        (
            '[{"label": 3, "box_2d": null}, {"box_2d": null}, '
            '{"label": "PNEUMOTHORAX", "box_2d": null}]'
        ),
        [("pneumothorax", None)],
        {"label_normalized"},
        ["$[0]", "$[1]"],
    ),
    (
        '["cardiomegaly", null, {"label": "cardiomegaly", "box_2d": null}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0]", "$[1]"],
    ),
    ("[1, 2, 3]", UNPARSEABLE, set(), ["$[0]", "$[1]", "$[2]"]),
    (
        out(("cardiomegaly", CARD), ("cardiomegaly", CARD), ("cardiomegaly", EFF)),
        [("cardiomegaly", CARD), ("cardiomegaly", EFF)],
        set(),
        ["$[1]"],
    ),
    (out(("no_finding", None), ("pneumothorax", PTX)), [("pneumothorax", PTX)], set(), ["$[0]"]),
    (out(("no_finding", CARD)), [("no_finding", None)], set(), ["$[0].box_2d"]),
    (
        '[{"label": "cardiomegaly", "box_2d": null, "confidence": 0.7, "evidence": "CTR [0.6]"}]',
        [("cardiomegaly", None)],
        set(),
        ["$[0].confidence", "$[0].evidence"],
    ),
    # nothing usable
    ("No acute cardiopulmonary abnormality.", UNPARSEABLE, set(), []),
    ("", UNPARSEABLE, set(), []),
    ("null", UNPARSEABLE, set(), []),
]


@pytest.mark.parametrize(("raw", "expected", "expected_kinds", "dropped_paths"), GROUNDER_CASES)
def test_grounder_output_table(raw, expected, expected_kinds, dropped_paths):
    findings, account = parse_grounder_output(raw)
    assert kinds(account.repairs) == expected_kinds
    assert [d.path for d in account.dropped] == dropped_paths
    assert all(d.reason for d in account.dropped)
    assert account.raw_chars == len(raw)
    if expected == UNPARSEABLE:
        assert account.status == "unparseable" and account.error and findings == []
        return
    assert account.error is None
    assert account.status == ("repaired" if expected_kinds else "ok")
    assert [f.label for f in findings] == [label for label, _ in expected]
    for finding, (_, box) in zip(findings, expected, strict=True):
        assert finding.box == (box and pytest.approx(tuple(box)))
    assert [f.id for f in findings] == [f"f{i}" for i in range(1, len(findings) + 1)]
    assert all(f.source == "model" for f in findings)


def test_dropped_label_names_the_path_and_the_allowed_labels():
    _, account = parse_grounder_output(out(("atelectasis", CARD), ("cardiomegaly", CARD)))
    (drop,) = account.dropped
    assert drop.path == "$[0]" and "atelectasis" in drop.item
    assert "allowed" in drop.reason and "cardiomegaly" in drop.reason


def test_every_element_dropped_is_unparseable_not_an_empty_success():
    findings, account = parse_grounder_output(out(("fracture", CARD), ("mass", CARD)))
    assert findings == [] and account.status == "unparseable"
    assert "all 2 element(s) were dropped" in account.error


@pytest.mark.parametrize("source", ["reference", "model", "learner"])
def test_source_is_recorded_on_every_finding(source):
    findings, _ = parse_grounder_output(out(("cardiomegaly", CARD)), source=source)
    assert [f.source for f in findings] == [source]


def test_unknown_source_is_an_input_error():
    with pytest.raises(InputError, match="reference, model, learner"):
        parse_grounder_output("[]", source="radiologist")


# ------------------------------------------------------------------------------ draft parser

DRAFT = "Small LEFT pleural effusion.  No   pneumothorax. Possible nodule. Effusion is small."


def mention(label, status, span, **extra):
    return {"label": label, "status": status, "span": span, **extra}


def raw_of(*mentions):
    return json.dumps(list(mentions))


# One draft-parser output per row (all on DRAFT): raw text, expected (label, status, text) or
# UNPARSEABLE, repair kinds, dropped paths. A text of None means the mention has no span.
DRAFT_CASES = [
    (
        raw_of(mention("pleural_effusion", "present", "Small LEFT pleural effusion")),
        [("pleural_effusion", "present", "Small LEFT pleural effusion")],
        set(),
        [],
    ),
    (
        raw_of(mention("pleural_effusion", "present", "small left pleural effusion")),
        [("pleural_effusion", "present", "Small LEFT pleural effusion")],
        {"span_located"},
        [],
    ),
    (
        raw_of(mention("pneumothorax", "absent", "No pneumothorax")),
        [("pneumothorax", "absent", "No   pneumothorax")],
        {"span_located"},
        [],
    ),
    (
        raw_of(mention("pneumothorax", "absent", '"no pneumothorax."')),
        [("pneumothorax", "absent", "No   pneumothorax")],
        {"span_located"},
        [],
    ),
    (
        raw_of(mention("pneumothorax", "negative", "No   pneumothorax")),
        [("pneumothorax", "absent", "No   pneumothorax")],
        {"status_synonym"},
        [],
    ),
    (
        raw_of(mention("pneumothorax", "denied", "No   pneumothorax")),
        [("pneumothorax", "absent", "No   pneumothorax")],
        {"status_synonym"},
        [],
    ),
    (
        raw_of(mention("nodule_mass", "possible", "Possible nodule")),
        [("nodule_mass", "uncertain", "Possible nodule")],
        {"status_synonym"},
        [],
    ),
    (
        raw_of(mention("nodule_mass", "hedged", "Possible nodule")),
        [("nodule_mass", "uncertain", "Possible nodule")],
        {"status_synonym"},
        [],
    ),
    (
        raw_of(
            mention("nodule_mass", "weird", "Possible nodule"),
            mention("pneumothorax", "absent", "No   pneumothorax"),
        ),
        [("pneumothorax", "absent", "No   pneumothorax")],
        set(),
        ["$[0]"],
    ),
    (raw_of({"label": "nodule_mass", "span": "Possible nodule"}), UNPARSEABLE, set(), ["$[0]"]),
    (
        raw_of(mention("atelectasis", "present", "x"), mention("other", "present", "fracture")),
        [("other", "present", None)],
        set(),
        ["$[0]", "$[1].span"],
    ),
    (
        raw_of(
            mention("pleural_effusion", "present", "Effusion is small"),
            mention("pleural_effusion", "present", "Effusion is small"),
        ),
        [("pleural_effusion", "present", "Effusion is small")],
        set(),
        ["$[1]"],
    ),
    (
        raw_of(mention("pleural_effusion", "present", None)),
        [("pleural_effusion", "present", None)],
        set(),
        ["$[0].span"],
    ),
    (
        "<think>the draft denies [pneumothorax]</think>"
        + raw_of(mention("pneumothorax", "absent", "No   pneumothorax")),
        [("pneumothorax", "absent", "No   pneumothorax")],
        {"think_block"},
        [],
    ),
    ("<think>let me read the draft. Small LEFT pleural", UNPARSEABLE, {"think_cut_off"}, []),
    (
        json.dumps(mention("Pleural Effusion", "Present", "Small LEFT pleural effusion")),
        [("pleural_effusion", "present", "Small LEFT pleural effusion")],
        {"single_object", "label_normalized", "status_synonym"},
        [],
    ),
    (
        raw_of(
            mention(
                "pleural_effusion",
                "present",
                "Effusion is small",
                laterality="both",
                cue=3,
                confidence=1,
            )
        ),
        [("pleural_effusion", "present", "Effusion is small")],
        {"laterality_synonym"},
        ["$[0].confidence", "$[0].cue"],
    ),
    ("[]", [], set(), []),
]


@pytest.mark.parametrize(("raw", "expected", "expected_kinds", "dropped_paths"), DRAFT_CASES)
def test_draft_output_table(raw, expected, expected_kinds, dropped_paths):
    mentions, account = parse_draft_output(raw, DRAFT)
    assert kinds(account.repairs) == expected_kinds
    assert [d.path for d in account.dropped] == dropped_paths
    if expected == UNPARSEABLE:
        assert account.status == "unparseable" and account.error and mentions == []
        return
    assert account.status == ("repaired" if expected_kinds else "ok")
    assert [(m.label, m.status, m.text if m.span else None) for m in mentions] == expected
    for m in mentions:
        assert m.span is None and m.text == "" or DRAFT[m.span[0] : m.span[1]] == m.text
    assert [m.id for m in mentions] == [f"m{i}" for i in range(1, len(mentions) + 1)]


@pytest.mark.parametrize("status", ["", "unknown", "present?", "mentioned", "1"])
def test_unknown_status_is_dropped_never_coerced_to_present(status):
    mentions, account = parse_draft_output(
        raw_of(
            mention("nodule_mass", status, "Possible nodule"),
            mention("pneumothorax", "absent", "No   pneumothorax"),
        ),
        DRAFT,
    )
    assert [m.label for m in mentions] == ["pneumothorax"]
    assert account.dropped[0].path == "$[0]"
    assert "never assumed present" in account.dropped[0].reason


def test_optional_fields_are_kept():
    (m,), _ = parse_draft_output(
        raw_of(
            mention(
                "pleural_effusion",
                "present",
                "Small LEFT pleural effusion",
                laterality="left",
                severity="small",
                cue=None,
            )
        ),
        DRAFT,
    )
    assert (m.laterality, m.severity, m.cue) == ("left", "small", None)


def test_same_quote_of_one_label_takes_the_next_occurrence():
    draft = "Effusion. Cardiomegaly. Effusion."
    mentions, _ = parse_draft_output(
        raw_of(
            mention("pleural_effusion", "present", "Effusion", laterality="left"),
            mention("pleural_effusion", "present", "Effusion", laterality="right"),
        ),
        draft,
    )
    assert [m.span for m in mentions] == [(0, 8), (24, 32)]


def test_one_phrase_shared_by_two_labels_gives_both_the_same_span():
    draft = "No effusion or pneumothorax."
    mentions, _ = parse_draft_output(
        raw_of(
            mention("pleural_effusion", "absent", "No effusion or pneumothorax"),
            mention("pneumothorax", "absent", "No effusion or pneumothorax"),
        ),
        draft,
    )
    assert [m.span for m in mentions] == [(0, 27), (0, 27)]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("pleural effusion", ((11, 27), "exactly")),
        ("Pleural Effusion", ((11, 27), "ignoring case")),
        ("LEFT pleural", ((6, 18), "exactly")),
        ("left\npleural", ((6, 18), "ignoring whitespace")),
        ("(no pneumothorax)", ((30, 47), "without punctuation")),
        ("hilar mass", None),
        ("", None),
    ],
)
def test_locate(phrase, expected):
    assert locate(DRAFT, phrase) == expected


def test_draft_must_be_text():
    with pytest.raises(InputError, match="draft must be text"):
        parse_draft_output("[]", None)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- properties

_COORD = st.floats(0.0, 1.0)
_BOX = st.tuples(_COORD, _COORD, _COORD, _COORD).map(
    lambda b: [min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])]
)
_FINDINGS = st.lists(
    st.tuples(st.sampled_from(POSITIVE_LABELS), st.none() | _BOX),
    max_size=8,
    unique_by=lambda f: (f[0], f[1] and tuple(f[1])),
)


@given(_FINDINGS)
def test_any_valid_findings_list_parses_back_identically_with_status_ok(pairs):
    findings, account = parse_grounder_output(out(*pairs))
    assert account.status == "ok" and account.repairs == [] and account.dropped == []
    assert [(f.label, f.box and list(f.box)) for f in findings] == [tuple(p) for p in pairs]


@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_and_always_returns_an_account(raw):
    for parsed, account in (parse_grounder_output(raw), parse_draft_output(raw, DRAFT)):
        assert account.raw_chars == len(raw)
        assert (account.status == "unparseable") == (account.error is not None)
        assert account.status != "ok" or account.repairs == []
        assert account.status != "unparseable" or parsed == []


@given(st.text(min_size=1, max_size=80), st.data())
def test_every_located_span_is_the_exact_draft_text(draft, data):
    quotes = data.draw(
        st.lists(
            st.integers(0, len(draft)).flatmap(
                lambda a: st.integers(a, len(draft)).map(lambda b: draft[a:b])
            ),
            min_size=1,
            max_size=4,
        )
    )
    raw = raw_of(*(mention("other", "present", quote) for quote in quotes))
    mentions, account = parse_draft_output(raw, draft)
    assert account.status != "unparseable"
    for m in mentions:
        assert m.span is None or draft[m.span[0] : m.span[1]] == m.text
