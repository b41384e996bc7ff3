"""The canonical label list, tiers and normalization."""

from __future__ import annotations

import pytest

from cxr_auditor.core import labels
from cxr_auditor.core.errors import LabelError


def test_label_ids_are_fixed_and_ordered():
    assert labels.LABELS == (
        "pleural_effusion",
        "pneumothorax",
        "lung_opacity_consolidation",
        "nodule_mass",
        "cardiomegaly",
        "no_finding",
    )
    assert labels.NO_FINDING not in labels.POSITIVE_LABELS
    assert len(labels.POSITIVE_LABELS) == 5


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Pleural Effusion", "pleural_effusion"),
        ("pleural-effusion", "pleural_effusion"),
        ("  NODULE   MASS  ", "nodule_mass"),
        ("nodule/mass", "nodule_mass"),
        ("no_finding", "no_finding"),
    ],
)
def test_normalize_label(raw, expected):
    assert labels.normalize_label(raw) == expected


@pytest.mark.parametrize("raw", ["effusion", "atelectasis", "", 3, None])
def test_normalize_label_rejects_and_lists_allowed(raw):
    with pytest.raises(LabelError, match="allowed: pleural_effusion"):
        labels.normalize_label(raw)


def test_tiers_and_display_names():
    assert labels.tier("pneumothorax") == "urgent"
    assert labels.tier("nodule_mass") == "actionable"
    assert labels.tier("cardiomegaly") is None
    assert labels.display_name("lung_opacity_consolidation") == "Lung opacity / consolidation"
    assert labels.display_name("rib_fracture") == "Rib fracture"
    assert "not a medical device" in labels.DISCLAIMER.lower()
