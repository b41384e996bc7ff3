"""CheXpert label columns (labeler output or dataset CSV) to per-report canonical label states.

Each observation column holds ``1.0`` positive, ``0.0`` negative, ``-1.0`` uncertain or blank
(not mentioned). Columns map to canonical labels through ``maps/chexpert.csv``; several columns can
feed one label (Lung Opacity, Consolidation and Pneumonia all feed ``lung_opacity_consolidation``)
and are combined by ``combine_states``: positive if any is positive; else uncertain if any is
uncertain; else negative if any is negative; else not mentioned. "Uncertain" and "not mentioned"
stay separate states.

Columns named in ``text_columns`` (the report text) and ``id_column`` are not labels; any other
column the table does not know is counted as unmapped for each row where it has a value. Columns
the table drops (Edema, Fracture, ...) are listed in ``other_labels`` when positive or uncertain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from cxr_auditor.core.datasets.csvfile import csv_rows
from cxr_auditor.core.datasets.maps import MapTable, Scheme, check_scheme, packaged_map
from cxr_auditor.core.datasets.records import LabelState, NormalizeReport, ReportLabels
from cxr_auditor.core.errors import DatasetError
from cxr_auditor.core.labels import LABELS

DATASET = "chexpert"
VALUES: dict[str, LabelState] = {
    "1": "positive",
    "0": "negative",
    "-1": "uncertain",
    "": "not_mentioned",
}
ALLOWED_TEXT = "1.0 (positive), 0.0 (negative), -1.0 (uncertain) or blank (not mentioned)"


def parse_value(text: str) -> LabelState:
    """The state a CheXpert cell encodes; ValueError naming the allowed values otherwise."""
    key = text.strip()
    if key:
        try:
            number = float(key)
        except ValueError:
            raise ValueError(f"value {text!r} is not allowed; allowed: {ALLOWED_TEXT}") from None
        key = {1.0: "1", 0.0: "0", -1.0: "-1"}.get(number, key)
    if key not in VALUES:
        raise ValueError(f"value {text!r} is not allowed; allowed: {ALLOWED_TEXT}")
    return VALUES[key]


def combine_states(states: Iterable[LabelState]) -> LabelState:
    """One label's state from the states of the columns that map to it (see module docstring)."""
    present = set(states)
    for state in ("positive", "uncertain", "negative"):
        if state in present:
            return state
    return "not_mentioned"


def read_chexpert(
    path: str | Path,
    *,
    scheme: Scheme = "strict",
    table: MapTable | None = None,
    text_columns: Sequence[str] = ("Reports",),
    id_column: str | None = None,
) -> tuple[list[ReportLabels], NormalizeReport]:
    """Read a CheXpert-labelled CSV; report ids come from ``id_column``, else the row number."""
    scheme = check_scheme(scheme)
    table = table or packaged_map("chexpert")
    report = NormalizeReport(dataset=DATASET, scheme=scheme)
    header, rows = csv_rows(path)
    if id_column is not None and id_column not in header:
        raise DatasetError(
            f"{path}:1: id column {id_column!r} not found; found: {', '.join(header)}"
        )
    skipped = set(text_columns) | ({id_column} if id_column else set())
    label_columns = [i for i, name in enumerate(header) if name not in skipped]
    if not any(table.lookup(header[i], scheme) is not None for i in label_columns):
        raise DatasetError(
            f"{path}:1: no CheXpert label column found; expected some of: "
            f"{', '.join(table.source_labels())}"
        )
    results: list[ReportLabels] = []
    for line, values in rows:
        report.rows_read += 1
        where = f"{path}:{line}"
        if len(values) != len(header):
            report.reject(where, f"expected {len(header)} fields, got {len(values)}")
            continue
        cells: dict[str, LabelState] = {}
        problem = ""
        for i in label_columns:
            try:
                cells[header[i]] = parse_value(values[i])
            except ValueError as error:
                problem = f"column {header[i]!r}: {error}"
                break
        if problem:
            report.reject(where, problem)
            continue
        per_label: dict[str, list[LabelState]] = {label: [] for label in LABELS}
        other: list[str] = []
        for column, state in cells.items():
            labels = table.lookup(column, scheme)
            if state == "not_mentioned":
                continue
            if labels is None:
                report.unmapped[column] += 1
            elif not labels:
                report.dropped[column] += 1
                if state in ("positive", "uncertain"):
                    other.append(column)
            for label in labels or ():
                per_label[label].append(state)
        states = {label: combine_states(found) for label, found in per_label.items()}
        for label, state in states.items():
            if state == "positive":
                report.kept[label] += 1
        report_id = values[header.index(id_column)].strip() if id_column else str(report.rows_read)
        results.append(
            ReportLabels(
                dataset=DATASET,
                report_id=report_id,
                labels={label: states[label] for label in LABELS},
                other_labels=other,
            )
        )
    report.items = len(results)
    return results, report
