"""Choosing the training set: balance normals against positives, then a stratified, grouped split.

- Balance: every record with a finding is kept, so every urgent or actionable case (pneumothorax,
  nodule/mass) is kept; normal records are downsampled to ``normal_ratio`` x the positives with a
  seeded sample, file order preserved. The dropped ids are listed.
- Split: records are grouped (``group``: one patient's images never straddle train and validation)
  and each group is assigned to a stratum, its rarest label: the urgency tiers first, then labels by
  increasing frequency, ``no_finding`` last. Each stratum's groups are shuffled with the seed and
  ``round(n x val_fraction)`` go to validation, at least one when the stratum has two or more
  groups, so a rare label is never absent from validation.

This module does not read images or change answers.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import NO_FINDING, URGENCY


def labels_of(record: dict[str, Any]) -> set[str]:
    return {item["label"] for item in record["findings"]}


def is_normal(record: dict[str, Any]) -> bool:
    return labels_of(record) <= {NO_FINDING}


def label_counts(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Records per label (a record counts once per label), with totals."""
    counts = Counter(label for record in records for label in labels_of(record))
    return {"records": len(records), "normal": sum(map(is_normal, records)), **dict(counts)}


@dataclass
class SelectionReport:
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    dropped_normal_ids: list[str] = field(default_factory=list)
    train: dict[str, int] = field(default_factory=dict)
    val: dict[str, int] = field(default_factory=dict)
    strata: dict[str, dict[str, int]] = field(default_factory=dict)


def balance(
    records: Sequence[dict[str, Any]], normal_ratio: float = 1.0, seed: int = 0
) -> tuple[list[dict[str, Any]], list[str]]:
    """Keep all positive records and at most ``normal_ratio`` x as many normal ones."""
    if normal_ratio < 0:
        raise InputError(f"normal ratio {normal_ratio}: must be 0 or more")
    normals = [i for i, record in enumerate(records) if is_normal(record)]
    n_positive = len(records) - len(normals)
    n_keep = min(len(normals), round(normal_ratio * n_positive))
    keep = set(random.Random(f"{seed}:balance").sample(normals, n_keep))
    kept = [r for i, r in enumerate(records) if not is_normal(r) or i in keep]
    dropped = [records[i]["id"] for i in normals if i not in keep]
    return kept, dropped


def stratum_order(records: Sequence[dict[str, Any]]) -> list[str]:
    """Labels from the one that defines a stratum first: tiers, then rarest, no_finding last."""
    counts = Counter(label for record in records for label in labels_of(record))
    tiered = [label for label in URGENCY if label in counts]
    rest = sorted(
        (label for label in counts if label not in URGENCY and label != NO_FINDING),
        key=lambda label: (counts[label], label),
    )
    return tiered + rest + [NO_FINDING]


def split(
    records: Sequence[dict[str, Any]], val_fraction: float = 0.1, seed: int = 0
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, int]]]:
    """(train, validation, per-stratum counts); groups never straddle the two."""
    if not 0.0 <= val_fraction < 1.0:
        raise InputError(f"validation fraction {val_fraction}: must be in [0, 1)")
    order = stratum_order(records)
    groups: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        groups.setdefault(record["group"], []).append(i)
    strata: dict[str, list[str]] = {}
    for group, members in groups.items():
        labels = set().union(*(labels_of(records[i]) for i in members))
        strata.setdefault(next(label for label in order if label in labels), []).append(group)
    rng = random.Random(f"{seed}:split")
    val_groups: set[str] = set()
    counts = {}
    for stratum in order:
        names = sorted(strata.get(stratum, []))
        rng.shuffle(names)
        n_val = round(len(names) * val_fraction)
        if val_fraction > 0 and n_val == 0 and len(names) >= 2:
            n_val = 1
        val_groups.update(names[:n_val])
        if names:
            counts[stratum] = {"groups": len(names), "val_groups": n_val}
    train = [r for r in records if r["group"] not in val_groups]
    val = [r for r in records if r["group"] in val_groups]
    return train, val, counts


def select(
    records: Sequence[dict[str, Any]],
    normal_ratio: float = 1.0,
    val_fraction: float = 0.1,
    seed: int = 0,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], SelectionReport]:
    report = SelectionReport(before=label_counts(records))
    kept, report.dropped_normal_ids = balance(records, normal_ratio, seed)
    report.after = label_counts(kept)
    train, val, report.strata = split(kept, val_fraction, seed)
    report.train, report.val = label_counts(train), label_counts(val)
    return train, val, report
