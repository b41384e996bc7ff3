"""Comparator rules 1–6 (numbered in ``core/compare.py``), each written as clinical cases."""

from __future__ import annotations

import json

import pytest

from cxr_auditor.core.compare import compare
from cxr_auditor.core.schemas import Finding, Mention

# Patient right is image left (radiological convention).
RIGHT_BASE = (0.60, 0.05, 0.90, 0.40)
LEFT_BASE = (0.60, 0.60, 0.90, 0.95)
RIGHT_APEX = (0.05, 0.10, 0.35, 0.40)
LEFT_APEX = (0.05, 0.60, 0.35, 0.90)
HEART = (0.45, 0.30, 0.80, 0.75)
RUL_NODULE = (0.25, 0.25, 0.32, 0.31)


def finding(label: str, box=None) -> Finding:
    return Finding(id=f"f-{label}", label=label, box=box)


def mention(
    draft: str,
    phrase: str,
    label: str,
    status: str = "present",
    laterality: str | None = None,
    cue: str | None = None,
) -> Mention:
    start = draft.index(phrase)
    return Mention(
        label=label,
        status=status,
        span=(start, start + len(phrase)),
        text=phrase,
        laterality=laterality,
        cue=cue,
    )


def kinds(flags) -> list[tuple]:
    return sorted((f.kind, f.label, f.reason, f.in_draft) for f in flags)


# --- Rule 1: MISSING ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case, draft, phrase, status, expected_reason",
    [
        ("effusion never mentioned", "Heart size is normal.", None, None, "omitted"),
        (
            "effusion explicitly denied",
            "No pleural effusion.",
            "pleural effusion",
            "absent",
            "denied",
        ),
        (
            "study called normal",
            "No acute cardiopulmonary abnormality.",
            "No acute cardiopulmonary abnormality",
            "normal",
            "draft_normal",
        ),
    ],
)
def test_rule_1_missing_reasons(case, draft, phrase, status, expected_reason):
    findings = [finding("pleural_effusion", RIGHT_BASE)]
    mentions = []
    if status == "absent":
        mentions = [mention(draft, phrase, "pleural_effusion", "absent", cue="no")]
    elif status == "normal":
        mentions = [mention(draft, phrase, "no_finding")]
    flags, _ = compare(findings, mentions)
    missing = [f for f in flags if f.kind == "MISSING"]
    assert len(missing) == 1, case
    assert missing[0].reason == expected_reason
    assert missing[0].rule == 1
    assert missing[0].findings[0].box == RIGHT_BASE
    assert [m.text for m in missing[0].mentions] == ([phrase] if phrase else [])
    assert missing[0].explanation


def test_rule_1_reported_finding_is_not_missing():
    draft = "Small right pleural effusion."
    flags, notes = compare(
        [finding("pleural_effusion", RIGHT_BASE)],
        [mention(draft, "right pleural effusion", "pleural_effusion", laterality="right")],
    )
    assert flags == [] and notes == []


def test_rule_1_assertion_wins_over_a_denial_elsewhere():
    draft = "No effusion on the left. Right pleural effusion."
    mentions = [
        mention(draft, "effusion on the left", "pleural_effusion", "absent", "left"),
        mention(draft, "Right pleural effusion", "pleural_effusion", "present", "right"),
    ]
    flags, _ = compare([finding("pleural_effusion", RIGHT_BASE)], mentions)
    assert kinds(flags) == []


def test_rule_1_each_missing_label_flagged_once_with_all_its_boxes():
    findings = [
        finding("nodule_mass", RUL_NODULE),
        finding("nodule_mass", LEFT_APEX),
        finding("cardiomegaly", HEART),
    ]
    flags, _ = compare(findings, [])
    missing = {f.label: f for f in flags if f.kind == "MISSING"}
    assert set(missing) == {"nodule_mass", "cardiomegaly"}
    assert len(missing["nodule_mass"].findings) == 2


# --- Rule 2: UNSUPPORTED --------------------------------------------------------------------


def test_rule_2_overcall_on_a_normal_image():
    draft = "Right upper lobe pneumonia."
    mentions = [
        mention(
            draft, "Right upper lobe pneumonia", "lung_opacity_consolidation", laterality="right"
        )
    ]
    flags, _ = compare([finding("no_finding")], mentions)
    assert kinds(flags) == [("UNSUPPORTED", "lung_opacity_consolidation", None, None)]
    assert flags[0].mentions[0].span == (0, len("Right upper lobe pneumonia"))
    assert flags[0].findings == []


def test_rule_2_a_correct_denial_is_not_flagged():
    draft = "No pneumothorax."
    flags, notes = compare(
        [finding("no_finding")],
        [mention(draft, "pneumothorax", "pneumothorax", "absent", cue="No")],
    )
    assert flags == [] and notes == []


def test_rule_2_incomplete_reference_gives_a_note_not_blame():
    draft = "Cardiomegaly. Left pleural effusion."
    mentions = [
        mention(draft, "Cardiomegaly", "cardiomegaly"),
        mention(draft, "Left pleural effusion", "pleural_effusion", laterality="left"),
    ]
    flags, notes = compare([finding("cardiomegaly", HEART)], mentions, reference_complete=False)
    assert [f.kind for f in flags] == []
    assert [(n.kind, n.label) for n in notes] == [("REFERENCE_INCOMPLETE", "pleural_effusion")]


def test_rule_2_other_abnormality_is_never_flagged():
    draft = "Healed left rib fracture."
    flags, _ = compare([finding("no_finding")], [mention(draft, "rib fracture", "other")])
    assert flags == []


# --- Rule 3: URGENT -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "draft, phrase, status, in_draft",
    [
        ("Large right pneumothorax.", "Large right pneumothorax", "present", True),
        (
            "Possible small right apical pneumothorax.",
            "small right apical pneumothorax",
            "uncertain",
            True,
        ),
        ("No pneumothorax.", "pneumothorax", "absent", False),
        ("Lungs are clear.", None, None, False),
    ],
)
def test_rule_3_urgent_fires_with_in_draft(draft, phrase, status, in_draft):
    mentions = [mention(draft, phrase, "pneumothorax", status)] if phrase else []
    flags, _ = compare([finding("pneumothorax", RIGHT_APEX)], mentions)
    urgent = [f for f in flags if f.kind == "URGENT"]
    assert len(urgent) == 1
    assert urgent[0].in_draft is in_draft
    assert urgent[0].tier == "urgent"
    assert urgent[0].findings[0].box == RIGHT_APEX


def test_rule_3_nodule_is_actionable_and_effusion_has_no_tier():
    flags, _ = compare(
        [finding("nodule_mass", RUL_NODULE), finding("pleural_effusion", LEFT_BASE)], []
    )
    urgent = [(f.label, f.tier) for f in flags if f.kind == "URGENT"]
    assert urgent == [("nodule_mass", "actionable")]


# --- Rule 4: LATERALITY ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "box, draft_side, flagged",
    [
        (RIGHT_BASE, "left", True),  # image-left box is the patient's right
        (RIGHT_BASE, "right", False),
        (LEFT_BASE, "left", False),
        (LEFT_BASE, "right", True),
        (HEART, "left", False),  # a midline box has no side to disagree with
        (RIGHT_BASE, None, False),  # the draft gives no side
        (RIGHT_BASE, "bilateral", False),
    ],
)
def test_rule_4_laterality(box, draft_side, flagged):
    draft = f"{draft_side or 'A'} pleural effusion."
    m = mention(draft, draft, "pleural_effusion", laterality=draft_side)
    flags, _ = compare([finding("pleural_effusion", box)], [m])
    assert any(f.kind == "LATERALITY" for f in flags) is flagged


def test_rule_4_bilateral_image_accepts_either_side():
    draft = "Left pleural effusion."
    flags, _ = compare(
        [finding("pleural_effusion", RIGHT_BASE), finding("pleural_effusion", LEFT_BASE)],
        [mention(draft, "Left pleural effusion", "pleural_effusion", laterality="left")],
    )
    assert flags == []


def test_rule_4_explanation_names_both_sides():
    draft = "Left apical pneumothorax."
    flags, _ = compare(
        [finding("pneumothorax", RIGHT_APEX)],
        [mention(draft, "Left apical pneumothorax", "pneumothorax", laterality="left")],
    )
    lat = [f for f in flags if f.kind == "LATERALITY"][0]
    assert "left" in lat.explanation and "right" in lat.explanation
    assert lat.mentions[0].text == "Left apical pneumothorax"


# --- Rule 5: hedges -------------------------------------------------------------------------


def test_rule_5_hedge_on_a_present_finding_is_a_note_not_missing():
    draft = "Cannot exclude a small right effusion."
    m = mention(
        draft,
        "small right effusion",
        "pleural_effusion",
        "uncertain",
        "right",
        cue="cannot exclude",
    )
    flags, notes = compare([finding("pleural_effusion", RIGHT_BASE)], [m])
    assert flags == []
    assert [(n.kind, n.rule) for n in notes] == [("HEDGE_SUPPORTED", 5)]


def test_rule_5_hedge_on_an_absent_finding_is_a_note_not_unsupported():
    draft = "Possible nodule in the right upper lobe."
    m = mention(draft, "nodule", "nodule_mass", "uncertain", cue="Possible")
    flags, notes = compare([finding("no_finding")], [m])
    assert flags == []
    assert [n.kind for n in notes] == ["HEDGE_NOT_SUPPORTED"]


# --- Rule 6: not evaluated ------------------------------------------------------------------


def test_rule_6_unparsed_draft_gives_image_only_pass_without_missing_flood():
    findings = [finding("pneumothorax", RIGHT_APEX), finding("cardiomegaly", HEART)]
    flags, notes = compare(findings, [], draft_error="empty draft")
    assert [f.kind for f in flags] == ["URGENT"]
    assert flags[0].in_draft is None
    assert [n.kind for n in notes] == ["DRAFT_NOT_EVALUATED"]
    assert "empty draft" in notes[0].explanation


def test_rule_6_failed_grounder_gives_draft_only_pass():
    draft = "Left pleural effusion."
    flags, notes = compare(
        [],
        [mention(draft, "Left pleural effusion", "pleural_effusion")],
        image_error="server unavailable",
    )
    assert flags == []
    assert [n.kind for n in notes] == ["IMAGE_NOT_EVALUATED"]


# --- Whole-matrix and determinism -------------------------------------------------------------


@pytest.mark.parametrize(
    "image_has, draft_status, expected",
    [
        (True, "present", set()),
        (True, "absent", {("MISSING", "denied")}),
        (True, None, {("MISSING", "omitted")}),
        (True, "uncertain", set()),
        (False, "present", {("UNSUPPORTED", None)}),
        (False, "absent", set()),
        (False, None, set()),
        (False, "uncertain", set()),
    ],
)
def test_status_matrix_for_a_non_tiered_label(image_has, draft_status, expected):
    draft = "Cardiomegaly."
    findings = [finding("cardiomegaly", HEART)] if image_has else [finding("no_finding")]
    mentions = (
        [mention(draft, "Cardiomegaly", "cardiomegaly", draft_status)] if draft_status else []
    )
    flags, _ = compare(findings, mentions)
    assert {(f.kind, f.reason) for f in flags} == expected


def test_compare_is_deterministic_and_json_serializable():
    draft = "No pneumothorax. Left pleural effusion."
    findings = [finding("pneumothorax", RIGHT_APEX), finding("pleural_effusion", RIGHT_BASE)]
    mentions = [
        mention(draft, "pneumothorax", "pneumothorax", "absent", cue="No"),
        mention(draft, "Left pleural effusion", "pleural_effusion", laterality="left"),
    ]
    first = compare(findings, mentions)
    second = compare(list(reversed(findings)), list(reversed(mentions)))
    dump = lambda r: json.dumps([[x.model_dump(mode="json") for x in part] for part in r])  # noqa: E731
    assert dump(first) == dump(compare(findings, mentions))
    assert (
        kinds(first[0])
        == kinds(second[0])
        == [
            ("LATERALITY", "pleural_effusion", None, None),
            ("MISSING", "pneumothorax", "denied", None),
            ("URGENT", "pneumothorax", None, False),
        ]
    )


def test_rule_5_hedge_against_an_incomplete_reference_is_not_judged():
    draft = "Possible small left effusion."
    m = mention(
        draft, "small left effusion", "pleural_effusion", "uncertain", "left", cue="Possible"
    )
    _, notes = compare([finding("cardiomegaly", HEART)], [m], reference_complete=False)
    assert [n.kind for n in notes] == ["HEDGE_NOT_SUPPORTED"]
    assert "incomplete" in notes[0].explanation


def test_the_quote_of_a_normal_study_phrase_keeps_its_negation():
    from cxr_auditor.core.compare import phrase_of
    from cxr_auditor.core.parse_draft import parse_draft

    (normal,) = parse_draft("No acute cardiopulmonary process.")[0]
    assert phrase_of(normal) == "No acute cardiopulmonary process"
    (shouting,) = parse_draft("NO acute cardiopulmonary abnormality.")[0]
    assert phrase_of(shouting) == "NO acute cardiopulmonary abnormality"
    (plain_normal,) = parse_draft("Normal chest.")[0]
    assert phrase_of(plain_normal) == "Normal chest"
