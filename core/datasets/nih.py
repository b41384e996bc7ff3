"""NIH ChestX-ray14 ``BBox_List_2017.csv`` to normalized reference reads.

The real file's header is ``Image Index,Finding Label,Bbox [x,y,w,h],,,`` (the bracketed name is
split over four columns by the commas inside it); each row is an image name, a label and a pixel
box ``x, y, w, h`` on the 1024x1024 original. Rows are grouped per image in first-seen order; every
box is its own finding (separate lesions are never merged).

NIH boxed only the one finding named in each row, so a missing box does not mean the finding is
absent: every image comes back with ``reference_complete=False``. This module does not read the
image-level ``Data_Entry_2017.csv`` labels.
"""

from __future__ import annotations

from pathlib import Path

from cxr_auditor.core.boxes import from_pixel_xywh
from cxr_auditor.core.datasets.csvfile import csv_rows, parse_float
from cxr_auditor.core.datasets.maps import MapTable, Scheme, check_scheme, packaged_map
from cxr_auditor.core.datasets.records import NormalizedImage, NormalizeReport, map_source_label
from cxr_auditor.core.errors import BoxError, DatasetError
from cxr_auditor.core.labels import normalize_label
from cxr_auditor.core.schemas import Finding

DATASET = "nih_bbox"
NIH_SIZE = 1024  # every BBox_List_2017 image is 1024x1024
HEADER_START = ("Image Index", "Finding Label", "Bbox [x")
N_FIELDS = 6


def _check_header(path: str | Path, header: list[str]) -> None:
    starts = tuple(header[:3])
    if (
        len(header) < N_FIELDS
        or starts[:2] != HEADER_START[:2]
        or not starts[2].startswith(HEADER_START[2])
    ):
        raise DatasetError(
            f"{path}:1: unexpected NIH header {','.join(header)!r}; expected "
            "'Image Index,Finding Label,Bbox [x,y,w,h],,,'"
        )


def _box(values: list[str]) -> tuple[float, float, float, float, float, float]:
    x, y, w, h = (parse_float(value) for value in values[2:6])
    return (x, y, w, h, NIH_SIZE, NIH_SIZE)


def read_nih(
    path: str | Path, *, scheme: Scheme = "strict", table: MapTable | None = None
) -> tuple[list[NormalizedImage], NormalizeReport]:
    """Read a BBox_List_2017 CSV: one NormalizedImage per image, and the run's report."""
    scheme = check_scheme(scheme)
    table = table or packaged_map("nih")
    report = NormalizeReport(dataset=DATASET, scheme=scheme)
    header, rows = csv_rows(path)
    _check_header(path, header)
    images: dict[str, NormalizedImage] = {}
    for line, values in rows:
        report.rows_read += 1
        where = f"{path}:{line}"
        if len(values) < N_FIELDS or any(value.strip() for value in values[N_FIELDS:]):
            report.reject(
                where, f"expected {N_FIELDS} fields (image, label, x, y, w, h), got {values!r}"
            )
            continue
        image_id, source_label = values[0].strip(), " ".join(values[1].split())
        if not image_id or not source_label:
            report.reject(where, "empty image name or finding label")
            continue
        try:
            box = from_pixel_xywh(*_box(values))
        except (ValueError, BoxError) as error:
            report.reject(where, f"bad box {values[2:6]!r}: {error}")
            continue
        image = images.setdefault(
            image_id,
            NormalizedImage(
                dataset=DATASET,
                image_id=image_id,
                width=NIH_SIZE,
                height=NIH_SIZE,
                reference_complete=False,
            ),
        )
        labels = map_source_label(table, report, source_label)
        if not labels and source_label not in image.other_labels:
            image.other_labels.append(source_label)
        for label in labels:
            finding_id, canonical = f"ref{len(image.findings) + 1}", normalize_label(label)
            image.findings.append(Finding(id=finding_id, label=canonical, box=box))
            report.kept[label] += 1
            report.boxes_kept += 1
    report.items = len(images)
    return list(images.values()), report
