"""Curation: duplicate boxes merged, cross-label overlaps resolved, every change logged."""

from __future__ import annotations

import pytest

from cxr_auditor.core.boxes import iou
from cxr_auditor.core.schemas import Finding
from cxr_auditor.serving.prompts import grounder_messages, load_prompts
from cxr_auditor.train.curate import curate_records, merge_same_label, resolve_cross_label
from cxr_auditor.train.records import check_record, make_record

RIGHT_EFFUSION = (0.60, 0.05, 0.90, 0.40)
RIGHT_EFFUSION_2 = (0.62, 0.06, 0.92, 0.41)  # a second reader's box of the same effusion
LEFT_EFFUSION = (0.60, 0.60, 0.90, 0.95)
OPACITY = (0.30, 0.20, 0.50, 0.40)
NODULE_IN_OPACITY = (0.31, 0.21, 0.49, 0.39)


def _f(label, box):
    return Finding(label=label, box=box)


@pytest.mark.parametrize(
    "boxes, n_out",
    [
        ([RIGHT_EFFUSION, RIGHT_EFFUSION_2], 1),  # two readers, one effusion
        ([RIGHT_EFFUSION, LEFT_EFFUSION], 2),  # bilateral effusions stay two boxes
        ([RIGHT_EFFUSION], 1),
    ],
)
def test_same_label_boxes_merge_only_when_they_overlap(boxes, n_out):
    merged, events = merge_same_label([_f("pleural_effusion", b) for b in boxes])
    assert len(merged) == n_out and len(events) == len(boxes) - n_out


def test_a_merged_box_is_the_mean_box():
    [merged], _ = merge_same_label(
        [_f("pleural_effusion", RIGHT_EFFUSION), _f("pleural_effusion", RIGHT_EFFUSION_2)]
    )
    assert merged.box == pytest.approx(
        [(a + b) / 2 for a, b in zip(RIGHT_EFFUSION, RIGHT_EFFUSION_2)]
    )


def test_overlap_chains_join_into_one_group():
    a, b, c = (0.1, 0.10, 0.3, 0.30), (0.1, 0.15, 0.3, 0.35), (0.1, 0.20, 0.3, 0.40)
    assert iou(a, c) < 0.5 <= min(iou(a, b), iou(b, c))
    merged, _ = merge_same_label([_f("nodule_mass", x) for x in (a, b, c)])
    assert len(merged) == 1


@pytest.mark.parametrize(
    "findings, kept_labels",
    [
        # a nodule drawn inside an opacity box: the nodule is the more specific reading
        (
            [_f("lung_opacity_consolidation", OPACITY), _f("nodule_mass", NODULE_IN_OPACITY)],
            ["nodule_mass"],
        ),
        # an opacity elsewhere is not touched
        (
            [_f("lung_opacity_consolidation", LEFT_EFFUSION), _f("nodule_mass", NODULE_IN_OPACITY)],
            ["lung_opacity_consolidation", "nodule_mass"],
        ),
        # effusion over opacity at the same base: effusion kept
        (
            [
                _f("pleural_effusion", RIGHT_EFFUSION),
                _f("lung_opacity_consolidation", RIGHT_EFFUSION_2),
            ],
            ["pleural_effusion"],
        ),
    ],
)
def test_cross_label_overlaps_keep_the_more_specific_box(findings, kept_labels):
    resolved, events = resolve_cross_label(findings)
    assert sorted(f.label for f in resolved) == sorted(kept_labels)
    assert len(events) == len(findings) - len(kept_labels)


def _record(record_id, findings):
    return make_record(
        record_id, f"{record_id}.png", findings, "test", grounder_messages(load_prompts())
    )


def test_curated_records_stay_valid_and_every_change_is_logged():
    records = [
        _record(
            "dup",
            [_f("pleural_effusion", RIGHT_EFFUSION), _f("pleural_effusion", RIGHT_EFFUSION_2)],
        ),
        _record(
            "nodule",
            [_f("lung_opacity_consolidation", OPACITY), _f("nodule_mass", NODULE_IN_OPACITY)],
        ),
        _record("clean", [_f("cardiomegaly", (0.45, 0.3, 0.8, 0.7))]),
    ]
    curated, report = curate_records(records)
    for record in curated:
        check_record(record, record["id"])
    assert [len(r["findings"]) for r in curated] == [1, 1, 1]
    assert curated[2] == records[2]
    assert report.n_changed == 2
    assert report.events == {
        "merge pleural_effusion": 1,
        "drop lung_opacity_consolidation under nodule_mass": 1,
    }
    assert [line.split(":")[0] for line in report.log] == ["dup", "nodule"]
