"""What the dataset normalizers return: normalized images, per-report labels, a report of the run.

``NormalizedImage`` is a reference read in the project's own terms (canonical labels, normalized
boxes, ``source="reference"``). ``ReportLabels`` is a report-level label set with explicit states.
``NormalizeReport`` accounts for every row: read, kept, dropped by the table, not in the table at
all, or rejected with its reason. Nothing here reads files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cxr_auditor.core.datasets.maps import MapTable, Scheme
from cxr_auditor.core.labels import LABELS, Label
from cxr_auditor.core.schemas import Finding

# "not_mentioned" is its own state: a report that says nothing about a finding is not a negative.
LabelState = Literal["positive", "negative", "uncertain", "not_mentioned"]
LABEL_STATES: tuple[LabelState, ...] = ("positive", "negative", "uncertain", "not_mentioned")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NormalizedImage(_Model):
    """One image's reference read.

    ``reference_complete`` is False when the source boxes only some findings (NIH: one named
    finding per row), so a missing box does not mean the finding is absent. ``other_labels`` lists
    the source labels on this image that have no canonical label (dropped or unmapped): an image
    whose findings are empty but whose ``other_labels`` are not is abnormal, not normal.
    """

    dataset: str
    image_id: str
    findings: list[Finding] = Field(default_factory=list)
    width: int | None = None
    height: int | None = None
    reference_complete: bool = True
    other_labels: list[str] = Field(default_factory=list)

    def labels(self) -> set[str]:
        return {finding.label for finding in self.findings}


class ReportLabels(_Model):
    """Canonical labels of one report, every label with an explicit state.

    ``unlabeled`` marks a report that was never coded (IU ``No Indexing``); exclude it from scoring.
    """

    dataset: str
    report_id: str
    labels: dict[Label, LabelState]
    other_labels: list[str] = Field(default_factory=list)
    unlabeled: bool = False

    def positives(self) -> list[Label]:
        return [label for label in LABELS if self.labels.get(label) == "positive"]


@dataclass(frozen=True)
class RejectedRow:
    """A row (or JSON entry) that could not be used, with where it was and why."""

    where: str
    reason: str


@dataclass
class NormalizeReport:
    """Counts for one normalizer run.

    ``items``: images or reports produced. ``kept``: per canonical label, findings kept (image
    datasets) or reports where the label is positive (report datasets). ``dropped``: per source
    label, occurrences the table maps to ``drop``. ``unmapped``: per source label, occurrences the
    table does not know. ``rejected``: rows that could not be used, each with where and why.
    """

    dataset: str
    scheme: Scheme = "strict"
    rows_read: int = 0
    items: int = 0
    boxes_kept: int = 0
    kept: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    rejected: list[RejectedRow] = field(default_factory=list)

    def reject(self, where: str, reason: str) -> None:
        self.rejected.append(RejectedRow(where, reason))

    def summary(self) -> str:
        """A few human-readable lines: totals, then each counter with its largest entries first."""
        lines = [
            f"{self.dataset} ({self.scheme} scheme): {self.rows_read} rows read, "
            f"{self.items} items, {self.boxes_kept} boxes kept, {len(self.rejected)} rows rejected"
        ]
        for name, counter in (
            ("kept", self.kept),
            ("dropped", self.dropped),
            ("unmapped", self.unmapped),
        ):
            if counter:
                shown = ", ".join(f"{label} {count}" for label, count in counter.most_common())
                lines.append(f"  {name}: {shown}")
        for row in self.rejected[:10]:
            lines.append(f"  rejected {row.where}: {row.reason}")
        if len(self.rejected) > 10:
            lines.append(f"  ... and {len(self.rejected) - 10} more rejected rows")
        return "\n".join(lines)


def map_source_label(
    table: MapTable, report: NormalizeReport, source_label: str, qualifiers: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Canonical ids for one source label under the report's scheme, counting drops and unmapped.

    Returns ``()`` when the label is dropped or not in the table; either way it is counted.
    """
    labels = table.lookup(source_label, report.scheme, qualifiers)
    if labels is None:
        report.unmapped[source_label] += 1
        return ()
    if not labels:
        report.dropped[source_label] += 1
    return labels
