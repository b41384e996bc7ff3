"""The one canonical label list, urgency tiers and display names.

Label ids are fixed: the fine-tuned grounder emits exactly these. Every other module takes its
labels from here; dataset normalizers map their own vocabulary onto these ids with data tables.
"""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

from cxr_auditor.core.errors import LabelError

Label = Literal[
    "pleural_effusion",
    "pneumothorax",
    "lung_opacity_consolidation",
    "nodule_mass",
    "cardiomegaly",
    "no_finding",
]
LABELS: tuple[Label, ...] = get_args(Label)
NO_FINDING: Label = "no_finding"
POSITIVE_LABELS: tuple[Label, ...] = tuple(label for label in LABELS if label != NO_FINDING)

# A draft mention may name an abnormality outside the six labels ("atelectasis", "fracture"); it is
# kept as label OTHER so that a draft is never read as normal when it is not.
OTHER: Final[Literal["other"]] = "other"

Tier = Literal["urgent", "actionable"]
URGENCY: dict[Label, Tier] = {
    "pneumothorax": "urgent",  # time-critical: can progress to tension physiology
    "nodule_mass": "actionable",  # possible malignancy: needs follow-up, not an emergency
}

DISPLAY_NAMES: dict[str, str] = {
    "pleural_effusion": "Pleural effusion",
    "pneumothorax": "Pneumothorax",
    "lung_opacity_consolidation": "Lung opacity / consolidation",
    "nodule_mass": "Nodule / mass",
    "cardiomegaly": "Cardiomegaly (enlarged heart)",
    "no_finding": "No finding",
    OTHER: "Other abnormality",
}

DISCLAIMER = (
    "Research and education only. Not a medical device and not for clinical use: outputs are "
    "frequently wrong, pediatric use is unvalidated, and every read must be confirmed by a "
    "qualified radiologist."
)

_SEPARATORS = re.compile(r"[\s\-/]+")


def normalize_label(value: object) -> Label:
    """Return the canonical id for ``value`` ("Pleural Effusion", "pleural-effusion", ...).

    Raises LabelError naming the value and the allowed ids when it is not canonical.
    """
    if not isinstance(value, str):
        raise LabelError(f"label {value!r} is not a string; allowed: {', '.join(LABELS)}")
    key = _SEPARATORS.sub("_", value.strip().lower())
    if key in LABELS:
        return key
    raise LabelError(f"label {value!r} is not canonical; allowed: {', '.join(LABELS)}")


def display_name(label: str) -> str:
    """Human name of a label; unknown ids fall back to capitalized words."""
    return DISPLAY_NAMES.get(label, label.replace("_", " ").capitalize())


def tier(label: str) -> Tier | None:
    """Urgency tier of a label, or None when it has none."""
    return URGENCY.get(label) if label in LABELS else None
