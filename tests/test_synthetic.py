"""Synthetic drafts: templates validate, cases are seeded, expectations follow the corruption."""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import pytest

from cxr_auditor.core.errors import DataFileError, InputError
from cxr_auditor.core.labels import POSITIVE_LABELS, URGENCY
from cxr_auditor.core.schemas import Finding
from cxr_auditor.core.synthetic import (
    CASE_KINDS,
    MIN_TEMPLATES,
    default_templates,
    image_sides,
    is_sided,
    load_templates,
    make_case_set,
    make_cases,
)

# Image-left half = patient's RIGHT (radiological convention); image-right half = patient's LEFT.
IMAGE_LEFT = (0.55, 0.05, 0.9, 0.4)
IMAGE_RIGHT = (0.05, 0.6, 0.4, 0.95)
MIDLINE = (0.4, 0.3, 0.8, 0.7)


def right(label: str) -> Finding:
    return Finding(label=label, box=IMAGE_LEFT)


def left(label: str) -> Finding:
    return Finding(label=label, box=IMAGE_RIGHT)


def central(label: str) -> Finding:
    return Finding(label=label, box=MIDLINE)


NORMAL = [Finding(label="no_finding")]
BUSY = [
    right("pleural_effusion"),
    left("pneumothorax"),
    central("cardiomegaly"),
    right("nodule_mass"),
]


def decisions(case) -> list[tuple]:
    return [(d.kind, d.label, d.reason, d.in_draft) for d in case.expected]


def case_of(findings, kind, seed=0):
    cases, _ = make_cases(findings, seed)
    found = [c for c in cases if c.kind == kind]
    assert len(found) == 1, f"{kind} not generated"
    return found[0]


# --------------------------------------------------------------------------- templates


def test_packaged_templates_validate_and_meet_minimums():
    t = default_templates()
    assert len(t.normal) >= MIN_TEMPLATES["normal"]
    for form in ("present", "negated", "hedged"):
        assert set(t.forms[form]) == set(POSITIVE_LABELS)
        for label, templates in t.forms[form].items():
            assert len(templates) >= MIN_TEMPLATES[form], (form, label)
    for label in POSITIVE_LABELS:
        sided = [s for s in t.forms["present"][label] if is_sided(s)]
        assert bool(sided) == (label != "cardiomegaly"), label
        assert not any(is_sided(s) for s in t.forms["negated"][label])


def test_every_template_renders_to_clean_text():
    t = default_templates()
    for form, table in t.forms.items():
        for label, templates in table.items():
            for template in templates:
                text = template.format(side="left", Side="Left", severity="small", Severity="Small")
                assert "{" not in text and "  " not in text, (form, label, text)
                assert text[0].isupper() and text.endswith("."), text


def _valid_doc() -> dict:
    t = default_templates()
    doc = {"normal": list(t.normal), "severity": list(t.severity)}
    for form, table in t.forms.items():
        doc[form] = {label: list(templates) for label, templates in table.items()}
    return doc


def _toml(doc: dict) -> str:
    quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731

    def value_of(v) -> str:
        return quote(v) if isinstance(v, str) else f"[{', '.join(quote(x) for x in v)}]"

    lines = [
        f"{key} = {value_of(value)}" for key, value in doc.items() if not isinstance(value, dict)
    ]
    for key, value in doc.items():
        if isinstance(value, dict):
            lines.append(f"[{key}]")
            lines += [f"{k} = {value_of(vs)}" for k, vs in value.items()]
    return "\n".join(lines) + "\n"


def _set(path: tuple, value):
    def mutate(doc: dict) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        if value is None:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return mutate


BAD_TEMPLATE_FILES = [
    # (what is wrong, mutation, words the error must contain)
    (
        "unknown label key",
        _set(("present", "atelectasis"), ["Atelectasis."]),
        ["present.atelectasis", "not a canonical label", "pleural_effusion"],
    ),
    (
        "no_finding has no templates",
        _set(("negated", "no_finding"), ["No finding.", "A.", "B."]),
        ["negated.no_finding", "allowed"],
    ),
    (
        "empty template",
        _set(("present", "pneumothorax"), ["", "A.", "B.", "C."]),
        ["present.pneumothorax[0]", "empty"],
    ),
    (
        "placeholder outside the allowed set",
        _set(("hedged", "nodule_mass"), ["Possible {lobe} nodule.", "A.", "B."]),
        ["hedged.nodule_mass[0]", "{lobe}", "{side}"],
    ),
    (
        "side in a denial",
        _set(("negated", "pneumothorax"), ["No {side} pneumothorax.", "A.", "B."]),
        ["negated.pneumothorax[0]", "{side}", "not allowed"],
    ),
    (
        "side for cardiomegaly",
        _set(("present", "cardiomegaly"), ["{Side} cardiomegaly.", "A.", "B.", "C."]),
        ["present.cardiomegaly[0]", "{Side}"],
    ),
    (
        "malformed braces",
        _set(("present", "pleural_effusion"), ["{side pleural effusion.", "A.", "B.", "C."]),
        ["present.pleural_effusion[0]", "malformed"],
    ),
    (
        "format spec in a placeholder",
        _set(("present", "pleural_effusion"), ["{Side:>9} effusion.", "A.", "B.", "C."]),
        ["present.pleural_effusion[0]", "malformed"],
    ),
    (
        "too few denials",
        _set(("negated", "cardiomegaly"), ["No cardiomegaly."]),
        ["negated.cardiomegaly", "at least 3"],
    ),
    (
        "too few normal sentences",
        _set(("normal",), ["Normal chest radiograph."]),
        ["normal", "at least 4"],
    ),
    (
        "not a sentence",
        _set(("normal",), ["no acute abnormality.", "A.", "B.", "C."]),
        ["normal[0]", "one sentence"],
    ),
    (
        "placeholder in a normal sentence",
        _set(("normal",), ["{Side} lung clear.", "A.", "B.", "C."]),
        ["normal[0]", "none"],
    ),
    (
        "only sided templates",
        _set(
            ("hedged", "pneumothorax"),
            [
                "Possible {side} pneumothorax.",
                "Questionable {side} pneumothorax.",
                "Small {side} one.",
            ],
        ),
        ["hedged.pneumothorax", "without {side}"],
    ),
    (
        "no sided template for a sided label",
        _set(("present", "nodule_mass"), ["Nodule.", "Mass.", "Pulmonary nodule.", "Lung mass."]),
        ["present.nodule_mass", "with {side}"],
    ),
    ("label missing", _set(("hedged", "cardiomegaly"), None), ["hedged", "cardiomegaly"]),
    ("section missing", _set(("severity",), None), ["severity", "section missing"]),
    ("unknown section", _set(("lateral",), ["Lateral view."]), ["lateral", "unknown section"]),
    (
        "severity not a word",
        _set(("severity",), ["very large"]),
        ["severity[0]", "one lowercase word"],
    ),
    (
        "templates not a list",
        _set(("present", "pneumothorax"), "Pneumothorax."),
        ["present.pneumothorax", "list of strings"],
    ),
]


@pytest.mark.parametrize(
    "what, mutate, words", BAD_TEMPLATE_FILES, ids=[r[0] for r in BAD_TEMPLATE_FILES]
)
def test_bad_template_file_raises_naming_file_and_key(tmp_path: Path, what, mutate, words):
    doc = copy.deepcopy(_valid_doc())
    mutate(doc)
    path = tmp_path / "bad_templates.toml"
    path.write_text(_toml(doc), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_templates(path)
    message = str(error.value)
    assert str(path) in message
    for word in words:
        assert word in message, (what, message)


def test_valid_round_trip_file_loads(tmp_path: Path):
    path = tmp_path / "ok.toml"
    path.write_text(_toml(_valid_doc()), encoding="utf-8")
    assert load_templates(path) == default_templates()


@pytest.mark.parametrize(
    "text, words",
    [
        ("normal = [", ["not valid TOML"]),
        (None, ["cannot read"]),
    ],
)
def test_unreadable_template_file_raises(tmp_path: Path, text, words):
    path = tmp_path / "broken.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_templates(path)
    assert all(word in str(error.value) for word in words)


@pytest.mark.parametrize(
    "form, label, templates, section",
    [
        ("negated", "pneumothorax", ["No {side} pneumothorax.", "A.", "B."], "[negated]"),
        ("negated", "cardiomegaly", ["No cardiomegaly."], "[negated]"),  # too few: the key's line
        ("hedged", "nodule_mass", "Possible nodule.", "[hedged]"),  # not a list: the key's line
    ],
)
def test_error_names_the_line_of_the_bad_entry(tmp_path: Path, form, label, templates, section):
    doc = _valid_doc()
    doc[form][label] = templates
    text = _toml(doc)
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    rows = text.splitlines()
    start = rows.index(section)
    line = next(i for i, row in enumerate(rows[start:], start + 1) if row.startswith(f"{label} ="))
    with pytest.raises(DataFileError, match=re.escape(f"{path}:{line}: {form}.{label}")):
        load_templates(path)


# --------------------------------------------------------------------------- sides


@pytest.mark.parametrize(
    "findings, expected",
    [
        (
            [right("pleural_effusion")],
            {"pleural_effusion": "right"},
        ),  # image-left box = patient right
        ([left("pneumothorax")], {"pneumothorax": "left"}),
        ([central("nodule_mass")], {"nodule_mass": None}),  # across the midline: no side
        # bilateral: written without a side
        ([right("pleural_effusion"), left("pleural_effusion")], {"pleural_effusion": None}),
        ([left("cardiomegaly")], {"cardiomegaly": None}),  # cardiomegaly never gets a side
        ([Finding(label="lung_opacity_consolidation")], {"lung_opacity_consolidation": None}),
        (NORMAL, {}),
    ],
)
def test_image_sides_follow_radiological_convention(findings, expected):
    assert image_sides(findings) == expected


def test_non_finding_input_raises():
    with pytest.raises(InputError, match="item 0"):
        make_cases([{"label": "pneumothorax"}], seed=1)  # type: ignore[list-item]


# --------------------------------------------------------------------------- expected decisions

U, M, X, L, H = "URGENT", "MISSING", "UNSUPPORTED", "LATERALITY", "HEDGE_SUPPORTED"

# (clinical case, reference read, kind, {corrupted label: expected decisions})
EXPECTED_CASES = [
    (
        "faithful read of a right pneumothorax",
        [right("pneumothorax")],
        "faithful",
        {None: [(U, "pneumothorax", None, True)]},
    ),
    ("faithful normal study", NORMAL, "faithful", {None: []}),
    (
        "faithful effusion and cardiomegaly: nothing to flag",
        [right("pleural_effusion"), central("cardiomegaly")],
        "faithful",
        {None: []},
    ),
    (
        "omitting the only finding leaves a normal draft",
        [right("pleural_effusion")],
        "omission",
        {"pleural_effusion": [(M, "pleural_effusion", "draft_normal", None)]},
    ),
    (
        "omitting the only finding, a pneumothorax",
        [left("pneumothorax")],
        "omission",
        {
            "pneumothorax": [
                (M, "pneumothorax", "draft_normal", None),
                (U, "pneumothorax", None, False),
            ]
        },
    ),
    (
        "omission from a two-finding read",
        [right("nodule_mass"), central("cardiomegaly")],
        "omission",
        {
            "nodule_mass": [(M, "nodule_mass", "omitted", None), (U, "nodule_mass", None, False)],
            "cardiomegaly": [(M, "cardiomegaly", "omitted", None), (U, "nodule_mass", None, True)],
        },
    ),
    (
        "over-call on a normal study",
        NORMAL,
        "false_finding",
        {label: [(X, label, None, None)] for label in POSITIVE_LABELS},
    ),
    (
        "over-called pneumothorax beside a known nodule",
        [right(x) for x in POSITIVE_LABELS if x != "pneumothorax"],
        "false_finding",
        {"pneumothorax": [(X, "pneumothorax", None, None), (U, "nodule_mass", None, True)]},
    ),
    (
        "denied pneumothorax or denied effusion",
        [left("pneumothorax"), right("pleural_effusion")],
        "false_negation",
        {
            "pneumothorax": [(M, "pneumothorax", "denied", None), (U, "pneumothorax", None, False)],
            "pleural_effusion": [
                (M, "pleural_effusion", "denied", None),
                (U, "pneumothorax", None, True),
            ],
        },
    ),
    (
        "left pneumothorax called right",
        [left("pneumothorax"), central("cardiomegaly")],
        "side_swap",
        {"pneumothorax": [(U, "pneumothorax", None, True), (L, "pneumothorax", None, None)]},
    ),
    (
        "right effusion called left",
        [right("pleural_effusion"), central("nodule_mass")],
        "side_swap",
        {"pleural_effusion": [(U, "nodule_mass", None, True), (L, "pleural_effusion", None, None)]},
    ),
    (
        "hedged nodule still counts as in the draft",
        [right("nodule_mass")],
        "hedge",
        {"nodule_mass": [(U, "nodule_mass", None, True), (H, "nodule_mass", None, None)]},
    ),
    (
        "hedged cardiomegaly",
        [central("cardiomegaly")],
        "hedge",
        {"cardiomegaly": [(H, "cardiomegaly", None, None)]},
    ),
]


@pytest.mark.parametrize(
    "what, findings, kind, by_target", EXPECTED_CASES, ids=[r[0] for r in EXPECTED_CASES]
)
@pytest.mark.parametrize("seed", [0, 1, 7, 2024])
def test_expected_decisions_follow_the_corruption(what, findings, kind, by_target, seed):
    case = case_of(findings, kind, seed)
    assert case.corrupted_label in by_target, what
    assert decisions(case) == by_target[case.corrupted_label], (what, case.draft)


# --------------------------------------------------------------------------- drafts


SEEDS = range(40)


@pytest.mark.parametrize(
    "findings", [BUSY, NORMAL, [left("pneumothorax")], [right(x) for x in POSITIVE_LABELS]]
)
def test_drafts_say_what_the_corruption_says(findings):
    sides = image_sides(findings)
    for seed in SEEDS:
        for case in make_cases(findings, seed)[0]:
            said = {s.label: s for s in case.statements}
            assert len(said) == len(case.statements), "one sentence per label"
            for s in case.statements:  # spans are exact
                assert case.draft[s.span[0] : s.span[1]] == s.text
            target = case.corrupted_label
            for label in sides:  # image findings other than the target are reported faithfully
                if label != target:
                    assert said[label].status == "present"
                    assert said[label].side in (None, sides[label])
            normal = "no_finding" in said
            if case.kind == "omission":
                assert target not in said
                assert normal == (len(sides) == 1)
            else:
                assert normal == (case.kind == "faithful" and not sides)
            if case.kind == "false_finding":
                assert target not in sides and said[target].status == "present"
            if case.kind == "false_negation":
                assert said[target].status == "absent"
            if case.kind == "hedge":
                assert said[target].status == "uncertain"
                assert said[target].side in (None, sides[target])
            for label, s in said.items():
                if label not in sides and label != target and label != "no_finding":
                    assert s.status == "absent", "only absent labels are denied"
                if s.side is None:
                    assert not re.search(r"\b(left|right)\b", s.text, re.I), s.text
            assert "cardiomegaly" not in said or said["cardiomegaly"].side is None


@pytest.mark.parametrize(
    "finding, true_side, swapped",
    [
        (right("pleural_effusion"), "right", "left"),
        (left("pneumothorax"), "left", "right"),
        (right("lung_opacity_consolidation"), "right", "left"),
        (left("nodule_mass"), "left", "right"),
    ],
)
def test_side_swap_draft_names_the_opposite_side(finding, true_side, swapped):
    for seed in SEEDS:
        case = case_of([finding, central("cardiomegaly")], "side_swap", seed)
        sentence = next(s for s in case.statements if s.label == finding.label)
        assert sentence.side == swapped
        words = set(re.findall(r"[a-z]+", sentence.text.lower()))
        assert swapped in words and true_side not in words, sentence.text


def test_determinism_same_seed_same_cases():
    first = make_cases(BUSY, seed=11, case_id_prefix="x:")
    second = make_cases(BUSY, seed=11, case_id_prefix="x:")
    assert [c.model_dump() for c in first[0]] == [c.model_dump() for c in second[0]]
    assert first[1] == second[1]


def test_different_seeds_vary_the_phrasing():
    drafts = {make_cases(BUSY, seed)[0][0].draft for seed in SEEDS}
    assert len(drafts) > len(SEEDS) // 2


@pytest.mark.parametrize(
    "kind", ["omission", "false_negation", "hedge", "side_swap", "false_finding"]
)
def test_corrupted_label_varies_across_seeds(kind):
    findings = [right("pleural_effusion"), left("pneumothorax"), right("nodule_mass")]
    targets = Counter(case_of(findings, kind, seed).corrupted_label for seed in SEEDS)
    eligible = (
        {"lung_opacity_consolidation", "cardiomegaly"}
        if kind == "false_finding"
        else {"pleural_effusion", "pneumothorax", "nodule_mass"}
    )
    assert set(targets) == eligible, targets  # every eligible label is chosen sometimes
    assert max(targets.values()) < len(SEEDS)  # never always the first in canonical order


@pytest.mark.parametrize(
    "findings, skipped",
    [
        (BUSY, {}),
        ([right(x) for x in POSITIVE_LABELS], {"false_finding:all_labels_on_image": 1}),
        (
            NORMAL,
            {
                "omission:no_image_finding": 1,
                "false_negation:no_image_finding": 1,
                "hedge:no_image_finding": 1,
                "side_swap:no_one_sided_finding": 1,
            },
        ),
        (
            [],
            {
                "omission:no_image_finding": 1,
                "false_negation:no_image_finding": 1,
                "hedge:no_image_finding": 1,
                "side_swap:no_one_sided_finding": 1,
            },
        ),
        ([central("cardiomegaly")], {"side_swap:no_one_sided_finding": 1}),
        (
            [right("pleural_effusion"), left("pleural_effusion")],
            {"side_swap:no_one_sided_finding": 1},
        ),
    ],
)
def test_every_possible_kind_is_produced_and_the_rest_counted(findings, skipped):
    cases, why = make_cases(findings, seed=3)
    kinds = [c.kind for c in cases]
    assert why == Counter(skipped)
    possible = [k for k in CASE_KINDS if not any(s.startswith(k + ":") for s in skipped)]
    assert sorted(kinds) == sorted(possible)
    assert all(c.case_id == c.kind for c in cases)


def test_tiered_labels_always_get_an_urgent_decision():
    for seed in SEEDS:
        for case in make_cases(BUSY, seed)[0]:
            urgent = {d.label for d in case.expected if d.kind == "URGENT"}
            assert urgent == {f.label for f in BUSY if f.label in URGENCY}


def test_case_set_ids_seeds_and_limit():
    reads = [("a", BUSY), ("b", NORMAL), ("c", [left("pneumothorax")])]
    cases, skipped = make_case_set(reads, seed=5)
    assert len({c.case_id for c in cases}) == len(cases)
    assert {c.case_id.split(":")[0] for c in cases} == {"a", "b", "c"}
    assert len(cases) + sum(skipped.values()) == len(reads) * len(CASE_KINDS)
    again, _ = make_case_set(list(reversed(reads)), seed=5)  # a read's cases ignore its neighbours
    assert sorted(c.model_dump_json() for c in again) == sorted(c.model_dump_json() for c in cases)
    kept, _ = make_case_set(reads, seed=5, limit=6)
    assert len(kept) == 6 and len({c.kind for c in kept}) == 6  # balanced over kinds
    kept_again, _ = make_case_set(reads, seed=5, limit=6)
    assert [c.case_id for c in kept] == [c.case_id for c in kept_again]


@pytest.mark.parametrize(
    "reads, limit, message",
    [
        ([("a", BUSY), ("a", NORMAL)], None, "appears twice"),
        ([("a", BUSY)], -1, "limit"),
    ],
)
def test_case_set_rejects_bad_arguments(reads, limit, message):
    with pytest.raises(InputError, match=message):
        make_case_set(reads, seed=1, limit=limit)
