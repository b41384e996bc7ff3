"""IU / Open-i human MeSH codes to per-report canonical labels.

The ``MeSH`` column holds ``;``-separated tags, each ``Term/qualifier/qualifier...``. Each tag goes
through ``maps/iu_mesh.csv``: its term, and for a few terms a condition on the qualifiers (an
``Opacity`` whose first qualifier is a non-lung site, a ``Mass`` of the breast, a ``Cardiac Shadow``
that is not enlarged are dropped). A mapped tag with the qualifier ``borderline`` is ``uncertain``.

States per label: ``positive`` (tagged), ``uncertain`` (only borderline tags), ``not_mentioned``
(untagged; coders tag present findings only, so this is "not tagged", never a confirmed negative).
``No Indexing`` marks a report that was never coded (``unlabeled``). Tags that map to no label
(dropped or not in the table) are listed in ``other_labels``: such a report is abnormal in a way the
six labels do not cover, not normal. This module does not read the report text.
"""

from __future__ import annotations

from pathlib import Path

from cxr_auditor.core.datasets.csvfile import csv_rows, require_columns
from cxr_auditor.core.datasets.maps import (
    UNLABELED,
    MapRow,
    MapTable,
    Scheme,
    check_scheme,
    fold,
    packaged_map,
)
from cxr_auditor.core.datasets.records import LabelState, NormalizeReport, ReportLabels
from cxr_auditor.core.labels import LABELS

DATASET = "iu_xray"
BORDERLINE = "borderline"
# IU-style integer codes of the states, as in iu_reports_dev_canonical_labels.csv.
STATE_CODES: dict[LabelState, int] = {"positive": 1, "uncertain": -1, "not_mentioned": 0}


def split_tag(tag: str) -> tuple[str, tuple[str, ...]]:
    """``"Opacity/lung/base/left"`` -> ``("Opacity", ("lung", "base", "left"))``, spaces tidied."""
    parts = [" ".join(part.split()) for part in tag.split("/")]
    return parts[0], tuple(part for part in parts[1:] if part)


def _row_name(row: MapRow) -> str:
    return f"{row.source_label} [{row.qualifier}]" if row.qualifier else row.source_label


def labels_for_mesh(
    mesh: str,
    *,
    scheme: Scheme = "strict",
    table: MapTable | None = None,
    report: NormalizeReport | None = None,
    report_id: str = "",
) -> ReportLabels:
    """Canonical labels of one report from its MeSH string; counts go to ``report`` when given."""
    scheme = check_scheme(scheme)
    table = table or packaged_map("iu_mesh")
    states: dict[str, LabelState] = {label: "not_mentioned" for label in LABELS}
    other: list[str] = []
    unlabeled = False
    for tag in (piece.strip() for piece in mesh.split(";")):
        if not tag:
            continue
        term, qualifiers = split_tag(tag)
        row = table.row_for(term, qualifiers)
        labels = None if row is None else row.labels(scheme)
        if labels == (UNLABELED,):
            unlabeled = True
            continue
        if not labels:
            if tag not in other:
                other.append(tag)
            if report is not None and row is None:
                report.unmapped[term] += 1
            elif report is not None and row is not None:
                report.dropped[_row_name(row)] += 1
            continue
        state: LabelState = (
            "uncertain" if BORDERLINE in (fold(q) for q in qualifiers) else "positive"
        )
        for label in labels:
            if states[label] != "positive":
                states[label] = state
    if report is not None:
        report.kept.update(label for label, state in states.items() if state == "positive")
    return ReportLabels(
        dataset=DATASET,
        report_id=report_id,
        labels={label: states[label] for label in LABELS},
        other_labels=other,
        unlabeled=unlabeled,
    )


def read_iu_mesh(
    path: str | Path,
    *,
    scheme: Scheme = "strict",
    table: MapTable | None = None,
    id_column: str = "uid",
    mesh_column: str = "MeSH",
) -> tuple[list[ReportLabels], NormalizeReport]:
    """Read an IU reports CSV (``uid``, ``MeSH``, ...): one ReportLabels per report, and counts."""
    scheme = check_scheme(scheme)
    table = table or packaged_map("iu_mesh")
    report = NormalizeReport(dataset=DATASET, scheme=scheme)
    header, rows = csv_rows(path)
    index = require_columns(path, header, (id_column, mesh_column))
    results: list[ReportLabels] = []
    for line, values in rows:
        report.rows_read += 1
        where = f"{path}:{line}"
        if len(values) != len(header):
            report.reject(
                where, f"expected {len(header)} fields ({', '.join(header)}), got {len(values)}"
            )
            continue
        report_id, mesh = values[index[id_column]].strip(), values[index[mesh_column]]
        if not report_id or not mesh.strip():
            report.reject(
                where, f"empty {id_column} or {mesh_column}; an uncoded report is 'No Indexing'"
            )
            continue
        results.append(
            labels_for_mesh(mesh, scheme=scheme, table=table, report=report, report_id=report_id)
        )
    report.items = len(results)
    return results, report
