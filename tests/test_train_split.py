"""Balance and split: every urgent case kept, normals downsampled, patients never split."""

from __future__ import annotations

from collections import Counter

import pytest

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import URGENCY
from cxr_auditor.train.split import balance, labels_of, select, split, stratum_order


def _rec(rid, labels, group=None):
    findings = [{"label": label, "box_2d": None} for label in labels] or [
        {"label": "no_finding", "box_2d": None}
    ]
    return {"id": rid, "group": group or rid, "findings": findings}


def _corpus():
    records = [_rec(f"n{i}", []) for i in range(60)]
    records += [_rec(f"e{i}", ["pleural_effusion"]) for i in range(12)]
    records += [_rec(f"o{i}", ["lung_opacity_consolidation"]) for i in range(8)]
    records += [_rec(f"p{i}", ["pneumothorax"], group=f"patient{i // 2}") for i in range(4)]
    records += [_rec(f"m{i}", ["nodule_mass", "lung_opacity_consolidation"]) for i in range(3)]
    return records


@pytest.mark.parametrize("ratio", [0.0, 0.5, 1.0, 3.0, 100.0])
def test_balance_keeps_every_positive_and_caps_normals(ratio):
    records = _corpus()
    kept, dropped = balance(records, ratio, seed=1)
    positives = [r for r in records if labels_of(r) != {"no_finding"}]
    normals = [r for r in kept if labels_of(r) == {"no_finding"}]
    assert [r for r in kept if labels_of(r) != {"no_finding"}] == positives
    assert len(normals) == min(60, round(ratio * len(positives)))
    assert len(dropped) == 60 - len(normals)
    assert [r["id"] for r in kept] == [r["id"] for r in records if r in kept]  # order kept
    assert all(
        any(label in URGENCY for label in labels_of(r)) for r in positives if r["id"][0] in "pm"
    )


def test_balance_is_seeded():
    assert balance(_corpus(), 1.0, seed=5) == balance(_corpus(), 1.0, seed=5)
    assert balance(_corpus(), 0.3, seed=5)[1] != balance(_corpus(), 0.3, seed=6)[1]


def test_strata_put_tiers_first_and_normal_last():
    order = stratum_order(_corpus())
    assert order[:2] == ["pneumothorax", "nodule_mass"] and order[-1] == "no_finding"
    assert order.index("lung_opacity_consolidation") < order.index("pleural_effusion")


@pytest.mark.parametrize("fraction", [0.1, 0.25])
def test_split_by_group_with_every_stratum_in_validation(fraction):
    train, val, strata = split(_corpus(), fraction, seed=0)
    assert len(train) + len(val) == len(_corpus())
    assert not {r["group"] for r in train} & {r["group"] for r in val}
    val_labels = Counter(label for r in val for label in labels_of(r))
    for stratum, counts in strata.items():
        assert counts["val_groups"] >= 1
        assert val_labels[stratum] >= 1
    assert strata["pneumothorax"]["groups"] == 2  # four images of two patients


def test_no_validation_fraction_means_no_validation():
    train, val, _ = split(_corpus(), 0.0)
    assert val == [] and len(train) == len(_corpus())


@pytest.mark.parametrize(
    "kwargs, message",
    [({"normal_ratio": -1}, "normal ratio"), ({"val_fraction": 1.0}, "validation fraction")],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(InputError, match=message):
        select(_corpus(), **kwargs)


def test_select_reports_counts_before_and_after():
    _, _, report = select(_corpus(), normal_ratio=1.0, val_fraction=0.1, seed=0)
    assert report.before["records"] == len(_corpus())
    assert report.after["normal"] == report.before["normal"] - len(report.dropped_normal_ids)
    assert report.after["records"] == report.before["records"] - len(report.dropped_normal_ids)
    assert report.train["records"] + report.val["records"] == report.after["records"]
    assert report.after["pneumothorax"] == report.before["pneumothorax"]
