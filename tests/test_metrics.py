"""Metrics: hand-computed presence, box and flag scores; NaN for every undefined ratio."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxr_auditor.core.boxes import iou
from cxr_auditor.core.errors import InputError, LabelError
from cxr_auditor.core.labels import LABELS, POSITIVE_LABELS
from cxr_auditor.core.metrics import (
    box_metrics,
    f1,
    flag_key,
    flag_metrics,
    match_boxes,
    presence_metrics,
    ratio,
)
from cxr_auditor.core.schemas import Finding, Flag
from cxr_auditor.core.synthetic import ExpectedDecision

nan = math.isnan


def box(label: str, b) -> Finding:
    return Finding(label=label, box=b)


# --------------------------------------------------------------------------- ratios


@pytest.mark.parametrize(
    "num, den, expected",
    [
        (1, 2, 0.5),
        (0, 3, 0.0),
        (3, 3, 1.0),
        (0, 0, None),
        (5, 0, None),
    ],
)
def test_ratio_is_nan_when_undefined(num, den, expected):
    value = ratio(num, den)
    assert nan(value) if expected is None else value == expected


@pytest.mark.parametrize(
    "p, r, expected",
    [
        (1.0, 1.0, 1.0),
        (0.5, 1.0, 2 / 3),
        (0.0, 0.0, 0.0),
        (float("nan"), 1.0, None),
        (1.0, float("nan"), None),
        (0.0, float("nan"), None),
    ],
)
def test_f1_is_nan_when_either_side_is_undefined(p, r, expected):
    value = f1(p, r)
    assert nan(value) if expected is None else value == pytest.approx(expected)


# --------------------------------------------------------------------------- presence

#   image  gold                      predicted
#   1      effusion                  effusion
#   2      effusion, pneumothorax    effusion          (missed pneumothorax)
#   3      normal (empty set)        pneumothorax      (false alarm on a normal study)
#   4      no_finding                no_finding
GOLD = [{"pleural_effusion"}, {"pleural_effusion", "pneumothorax"}, set(), {"no_finding"}]
PRED = [{"pleural_effusion"}, {"pleural_effusion"}, {"pneumothorax"}, {"no_finding"}]


@pytest.mark.parametrize(
    "label, tp, fp, fn, tn, precision, recall, f1_, specificity",
    [
        ("pleural_effusion", 2, 0, 0, 2, 1.0, 1.0, 1.0, 1.0),
        ("pneumothorax", 0, 1, 1, 2, 0.0, 0.0, 0.0, 2 / 3),
        ("nodule_mass", 0, 0, 0, 4, None, None, None, 1.0),  # never present: P, R, F1 undefined
    ],
)
def test_presence_per_label_hand_computed(
    label, tp, fp, fn, tn, precision, recall, f1_, specificity
):
    s = presence_metrics(PRED, GOLD).per_label[label]
    assert (s.tp, s.fp, s.fn, s.tn, s.support) == (tp, fp, fn, tn, tp + fn)
    for got, want in [
        (s.precision, precision),
        (s.recall, recall),
        (s.f1, f1_),
        (s.specificity, specificity),
    ]:
        assert nan(got) if want is None else got == pytest.approx(want)


def test_presence_macro_and_normals_hand_computed():
    report = presence_metrics(PRED, GOLD)
    assert report.macro_labels == ["pleural_effusion", "pneumothorax"]
    assert report.macro_f1 == pytest.approx(0.5)  # (1 + 0) / 2
    assert report.macro_excluded == ["lung_opacity_consolidation", "nodule_mass", "cardiomegaly"]
    # gold-normal images 3 and 4; only 4 is predicted normal
    assert (report.n_normal, report.normal_specificity) == (2, 0.5)
    nf = report.no_finding
    assert (nf.tp, nf.fp, nf.fn, nf.tn) == (1, 0, 1, 2)


@pytest.mark.parametrize(
    "pred, gold, normal_tp",
    [
        (
            [{"no_finding", "pneumothorax"}],
            [{"no_finding"}],
            0,
        ),  # contradictory read counts abnormal
        ([set()], [{"no_finding"}], 1),  # an empty read is a normal read
        ([{"no_finding"}], [set()], 1),
    ],
)
def test_no_finding_is_the_absence_of_positive_labels(pred, gold, normal_tp):
    assert presence_metrics(pred, gold).no_finding.tp == normal_tp


def test_presence_with_no_images_is_all_nan():
    report = presence_metrics([], [])
    assert nan(report.macro_f1) and nan(report.normal_specificity)
    assert report.macro_excluded == list(POSITIVE_LABELS)


@pytest.mark.parametrize(
    "pred, gold, error, words",
    [
        (
            [{"atelectasis"}],
            [set()],
            LabelError,
            ["predicted[0]", "atelectasis", "pleural_effusion"],
        ),
        ([set()], [{"Pneumothorax"}], LabelError, ["gold[0]"]),
        ([set(), set()], [set()], InputError, ["2 predicted vs 1 gold"]),
    ],
)
def test_presence_rejects_bad_input(pred, gold, error, words):
    with pytest.raises(error) as raised:
        presence_metrics(pred, gold)
    assert all(word in str(raised.value) for word in words)


# --------------------------------------------------------------------------- boxes

A = (0.0, 0.0, 0.4, 0.4)
B = (0.2, 0.2, 0.6, 0.6)  # overlaps A by 0.04 of 0.16 each: IoU = 0.04 / 0.28 = 1/7


def test_iou_one_seventh_scores_by_hand():
    assert iou(A, B) == pytest.approx(1 / 7)
    report = box_metrics([[box("nodule_mass", A)]], [[box("nodule_mass", B)]])
    s = report.per_label["nodule_mass"]
    assert (s.n_pred, s.n_gt, s.n_images_with_gt) == (1, 1, 1)
    low = s.at["0.25"]
    assert (low.matched, low.recall, low.precision) == (0, 0.0, 0.0)
    assert s.at["0.5"].matched == 0
    assert s.n_matched_any == 1 and s.mean_iou == pytest.approx(1 / 7)
    assert s.overlap_over_box == pytest.approx(0.25)  # 0.04 of the pred box's 0.16
    assert (s.pointing_hits, s.pointing) == (1, 1.0)  # center (0.2, 0.2) lies on B's corner


def test_identical_box_is_a_hit_at_every_threshold():
    report = box_metrics([[box("pneumothorax", B)]], [[box("pneumothorax", B)]])
    s = report.per_label["pneumothorax"]
    assert [s.at[t].matched for t in ("0.25", "0.5")] == [1, 1]
    assert s.mean_iou == 1.0 and s.overlap_over_box == 1.0 and s.pointing == 1.0


def test_no_cross_image_matching():
    # Image A has a predicted box identical to image B's gold box; neither image has a match.
    pred = [[box("cardiomegaly", B)], []]
    gold = [[], [box("cardiomegaly", B)]]
    s = box_metrics(pred, gold).per_label["cardiomegaly"]
    assert (s.n_pred, s.n_gt) == (1, 1)
    assert s.at["0.25"].matched == 0 and s.at["0.5"].matched == 0
    assert s.at["0.5"].recall == 0.0 and s.at["0.5"].precision == 0.0
    assert s.n_matched_any == 0 and nan(s.mean_iou)
    assert s.n_scored == 0 and nan(s.overlap_over_box) and nan(s.pointing)
    # the same boxes in one image do match: the test above can fail
    same = box_metrics([[box("cardiomegaly", B)]], [[box("cardiomegaly", B)]])
    assert same.per_label["cardiomegaly"].at["0.5"].matched == 1


def test_boxes_match_only_within_their_label():
    s = box_metrics([[box("nodule_mass", B)]], [[box("lung_opacity_consolidation", B)]])
    assert s.per_label["nodule_mass"].at["0.25"].matched == 0
    assert nan(s.per_label["lung_opacity_consolidation"].at["0.25"].precision)  # no pred boxes
    assert nan(s.per_label["nodule_mass"].at["0.25"].recall)  # no gt boxes
    assert "pleural_effusion" not in s.per_label  # no box on either side: not reported


def test_findings_without_box_are_ignored():
    report = box_metrics([[Finding(label="no_finding")]], [[Finding(label="cardiomegaly")]])
    assert report.per_label == {} and report.overall.n_gt == 0
    assert nan(report.overall.at["0.5"].recall)


@pytest.mark.parametrize(
    "pred, gold, threshold, expected",
    [
        # one gold box, two identical preds: the lower pred index wins the tie
        ([B, B], [B], 0.5, [(0, 0, 1.0)]),
        # greedy takes the best pair first (p1-g0, IoU 1), leaving p0 with g1
        ([(0.0, 0.0, 0.4, 0.5), A], [A, (0.0, 0.1, 0.4, 0.5)], 0.25, [(1, 0, 1.0), (0, 1, 0.8)]),
        # below threshold: no match; touching edges never match even at threshold 0
        ([A], [B], 0.25, []),
        ([A], [(0.4, 0.4, 0.8, 0.8)], 0.0, []),
    ],
)
def test_match_boxes_greedy_one_to_one(pred, gold, threshold, expected):
    got = match_boxes(pred, gold, threshold)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in expected]
    assert [v for _, _, v in got] == pytest.approx([v for _, _, v in expected])


def test_overall_sums_labels_and_pointing_misses():
    far = (0.7, 0.7, 0.9, 0.9)
    pred = [[box("nodule_mass", far), box("pneumothorax", B)]]
    gold = [[box("nodule_mass", A), box("pneumothorax", B)]]
    report = box_metrics(pred, gold)
    assert report.per_label["nodule_mass"].pointing == 0.0
    assert report.per_label["nodule_mass"].overlap_over_box == 0.0
    o = report.overall
    assert (o.n_pred, o.n_gt, o.at["0.5"].matched, o.pointing_hits, o.n_scored) == (2, 2, 1, 1, 2)
    assert o.at["0.5"].recall == 0.5 and o.mean_iou == 1.0


@pytest.mark.parametrize("thresholds, words", [((1.5,), "outside 0..1"), ((-0.1,), "outside 0..1")])
def test_box_metrics_rejects_bad_thresholds(thresholds, words):
    with pytest.raises(InputError, match=words):
        box_metrics([], [], thresholds)


def test_box_metrics_rejects_misaligned_and_non_findings():
    with pytest.raises(InputError, match="aligned"):
        box_metrics([[]], [])
    with pytest.raises(InputError, match=r"predicted\[0\]\[0\]"):
        box_metrics([[("nodule_mass", A)]], [[]])  # type: ignore[list-item]


# --------------------------------------------------------------------------- properties

coords = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def boxes(draw):
    y0, y1 = sorted((draw(coords), draw(coords)))
    x0, x1 = sorted((draw(coords), draw(coords)))
    return (y0, x0, y1, x1)


findings = st.builds(Finding, label=st.sampled_from(LABELS), box=st.none() | boxes())
images = st.lists(
    st.tuples(st.lists(findings, max_size=4), st.lists(findings, max_size=4)), max_size=6
)


def _ratios(obj) -> list[float]:
    """Every float in a report dump (all are ratios, IoUs or thresholds)."""
    if isinstance(obj, dict):
        return [v for value in obj.values() for v in _ratios(value)]
    if isinstance(obj, list):
        return [v for value in obj for v in _ratios(value)]
    return [obj] if isinstance(obj, float) else []


def _canon(report) -> str:
    return json.dumps(report.model_dump(), sort_keys=True, default=str)  # NaN dumps as NaN


@settings(max_examples=60, deadline=None)
@given(images, st.randoms(use_true_random=False))
def test_box_metrics_bounded_and_permutation_invariant(pairs, rnd):
    pred, gold = [p for p, _ in pairs], [g for _, g in pairs]
    report = box_metrics(pred, gold)
    for value in _ratios(report.model_dump()):
        assert nan(value) or 0.0 <= value <= 1.0
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    shuffled = box_metrics([pred[i] for i in order], [gold[i] for i in order])
    assert _canon(shuffled) == _canon(report)


label_sets = st.sets(st.sampled_from(LABELS), max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(label_sets, label_sets), max_size=8), st.randoms(use_true_random=False))
def test_presence_bounded_and_permutation_invariant(pairs, rnd):
    pred, gold = [p for p, _ in pairs], [g for _, g in pairs]
    report = presence_metrics(pred, gold)
    for value in _ratios(report.model_dump()):
        assert nan(value) or 0.0 <= value <= 1.0
    for s in report.per_label.values():
        assert s.tp + s.fp + s.fn + s.tn == len(pairs)
    rnd.shuffle(pairs)
    assert _canon(presence_metrics([p for p, _ in pairs], [g for _, g in pairs])) == _canon(report)


# --------------------------------------------------------------------------- audit flags


def test_flag_metrics_hand_computed():
    expected = [
        [("MISSING", "pneumothorax", "omitted"), ("URGENT", "pneumothorax")],
        [("UNSUPPORTED", "nodule_mass")],
        [],
    ]
    produced = [
        [("MISSING", "pneumothorax", "denied"), ("URGENT", "pneumothorax")],  # wrong reason
        [("UNSUPPORTED", "nodule_mass"), ("UNSUPPORTED", "nodule_mass")],  # duplicate: a set
        [("LATERALITY", "pleural_effusion")],  # false alarm
    ]
    report = flag_metrics(produced, expected)
    assert report.n_cases == 3
    missing = report.per_kind["MISSING"]
    got = (missing.tp, missing.fp, missing.fn, missing.precision, missing.recall)
    assert got == (0, 1, 1, 0.0, 0.0)
    unsupported = report.per_kind["UNSUPPORTED"]
    assert (unsupported.tp, unsupported.fp, unsupported.fn, unsupported.f1) == (1, 0, 0, 1.0)
    lat = report.per_kind["LATERALITY"]
    assert (lat.fp, lat.support, lat.precision) == (1, 0, 0.0) and nan(lat.recall) and nan(lat.f1)
    assert report.per_kind["URGENT"].tp == 1
    assert list(report.per_kind) == ["MISSING", "UNSUPPORTED", "URGENT", "LATERALITY"]


def test_flags_are_matched_within_their_case():
    # case 1 expects what case 2 produced: no credit across cases
    flag = ("UNSUPPORTED", "cardiomegaly")
    report = flag_metrics([[], [flag]], [[flag], []])
    s = report.per_kind["UNSUPPORTED"]
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)


def test_flag_metrics_accept_flags_and_expected_decisions():
    flag = Flag(kind="URGENT", rule=3, label="nodule_mass", in_draft=False, explanation="x")
    wanted = ExpectedDecision(kind="URGENT", label="nodule_mass", in_draft=True)
    note = ExpectedDecision(kind="HEDGE_SUPPORTED", label="nodule_mass")
    report = flag_metrics([[flag]], [[wanted, note]])
    assert report.per_kind["URGENT"].tp == 1  # identity is (kind, label); in_draft is not in it
    assert report.per_kind["HEDGE_SUPPORTED"].fn == 1  # notes are scored as their own kind
    assert nan(report.per_kind["MISSING"].precision) and report.per_kind["MISSING"].support == 0


@pytest.mark.parametrize(
    "item, key",
    [
        (("MISSING", "pneumothorax", "denied"), ("MISSING", "pneumothorax", "denied")),
        # the reason is part of the identity only for MISSING
        (("URGENT", "pneumothorax", "omitted"), ("URGENT", "pneumothorax", None)),
        (("LATERALITY", "pleural_effusion"), ("LATERALITY", "pleural_effusion", None)),
        (
            ExpectedDecision(kind="MISSING", label="cardiomegaly", reason="draft_normal"),
            ("MISSING", "cardiomegaly", "draft_normal"),
        ),
    ],
)
def test_flag_key(item, key):
    assert flag_key(item) == key


@pytest.mark.parametrize("item", [("MISSING",), "MISSING pneumothorax", 3])
def test_flag_key_rejects_non_flags(item):
    with pytest.raises(InputError):
        flag_key(item)
