"""VinDr-CXR annotation CSV to per-reader reference reads, and a k-of-n reader consensus.

Columns: ``image_id, class_name, rad_id, x_min, y_min, x_max, y_max`` (``class_id`` optional and
not used). Boxes are pixels of the original image, so sizes are needed: a
``{image_id: (width, height)}`` dict or a meta CSV ``image_id,dim0,dim1`` (``dim0`` is rows =
height, ``dim1`` columns = width). "No finding" rows have empty coordinates and become
``no_finding`` with no box. A boxed row whose image has no known size, or whose coordinates are
missing or bad, is rejected with its reason.

Each image has several readers (three in the training set). ``read_vindr`` keeps every reader's
findings apart; ``consensus`` keeps a label when at least ``k`` readers marked it. Default ``k=2``,
a majority of three: one reader's call alone is not a reference, and requiring all three would
discard most small findings, on which VinDr readers often disagree. Boxes are not fused: a consensus
label keeps the boxes of every reader who drew it. This module does not use the image-level labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from cxr_auditor.core.boxes import from_pixel_xyxy
from cxr_auditor.core.datasets.csvfile import csv_rows, parse_float, require_columns
from cxr_auditor.core.datasets.maps import MapTable, Scheme, check_scheme, packaged_map
from cxr_auditor.core.datasets.records import NormalizedImage, NormalizeReport, map_source_label
from cxr_auditor.core.errors import BoxError, DatasetError, InputError
from cxr_auditor.core.labels import NO_FINDING, normalize_label
from cxr_auditor.core.schemas import Finding

DATASET = "vindr_cxr"
COLUMNS = ("image_id", "class_name", "rad_id", "x_min", "y_min", "x_max", "y_max")
META_COLUMNS = ("image_id", "dim0", "dim1")
DEFAULT_K = 2

Sizes = Mapping[str, tuple[int, int]]


class VindrImage(BaseModel):
    """One image's findings per reader (``rad_id``); finding ids are ``<rad_id>-<n>``."""

    model_config = ConfigDict(extra="forbid")

    image_id: str
    width: int | None = None
    height: int | None = None
    readers: dict[str, list[Finding]] = Field(default_factory=dict)
    other_labels: list[str] = Field(default_factory=list)


def read_vindr_sizes(path: str | Path) -> dict[str, tuple[int, int]]:
    """``{image_id: (width, height)}`` from a meta CSV ``image_id,dim0,dim1`` (dim0 = height)."""
    header, rows = csv_rows(path)
    index = require_columns(path, header, META_COLUMNS)
    sizes: dict[str, tuple[int, int]] = {}
    for line, values in rows:
        try:
            image_id = values[index["image_id"]].strip()
            height, width = int(values[index["dim0"]]), int(values[index["dim1"]])
        except (IndexError, ValueError):
            raise DatasetError(
                f"{path}:{line}: expected image_id and positive integer dim0 (height), "
                "dim1 (width); "
                f"got {values!r}"
            ) from None
        if not image_id or height <= 0 or width <= 0:
            raise DatasetError(
                f"{path}:{line}: expected an image_id and positive sizes, got {values!r}"
            )
        if sizes.get(image_id, (width, height)) != (width, height):
            raise DatasetError(f"{path}:{line}: image {image_id!r} listed again with another size")
        sizes[image_id] = (width, height)
    return sizes


def _coordinates(
    values: list[str], index: dict[str, int]
) -> tuple[float, float, float, float] | None:
    """The four coordinates, or None when all are empty; ValueError when some are bad or missing."""
    fields = [values[index[name]].strip() for name in ("x_min", "y_min", "x_max", "y_max")]
    if not any(fields):
        return None
    x0, y0, x1, y1 = (parse_float(field) for field in fields)
    return x0, y0, x1, y1


def read_vindr(
    path: str | Path,
    sizes: Sizes | str | Path,
    *,
    scheme: Scheme = "strict",
    table: MapTable | None = None,
) -> tuple[list[VindrImage], NormalizeReport]:
    """Read a VinDr-CXR annotation CSV: one VindrImage per image (first-seen order), and counts."""
    scheme = check_scheme(scheme)
    table = table or packaged_map("vindr")
    size_of = read_vindr_sizes(sizes) if isinstance(sizes, (str, Path)) else dict(sizes)
    report = NormalizeReport(dataset=DATASET, scheme=scheme)
    header, rows = csv_rows(path)
    index = require_columns(path, header, COLUMNS)
    images: dict[str, VindrImage] = {}
    for line, values in rows:
        report.rows_read += 1
        where = f"{path}:{line}"
        if len(values) != len(header):
            report.reject(
                where, f"expected {len(header)} fields ({', '.join(header)}), got {len(values)}"
            )
            continue
        image_id, reader = values[index["image_id"]].strip(), values[index["rad_id"]].strip()
        source_label = " ".join(values[index["class_name"]].split())
        if not image_id or not reader or not source_label:
            report.reject(where, "empty image_id, rad_id or class_name")
            continue
        width, height = size_of.get(image_id, (None, None))
        image = images.setdefault(
            image_id, VindrImage(image_id=image_id, width=width, height=height)
        )
        findings = image.readers.setdefault(reader, [])
        labels = table.lookup(source_label, scheme)
        box = None
        if labels and labels != (NO_FINDING,):
            try:
                corners = _coordinates(values, index)
                if corners is None:
                    raise ValueError("coordinates are empty")
                if width is None or height is None:
                    raise ValueError(f"no size known for image {image_id!r}")
                box = from_pixel_xyxy(*corners, width, height)
            except (ValueError, BoxError) as error:
                report.reject(where, f"{source_label!r} by {reader}: {error}")
                continue
        labels = map_source_label(table, report, source_label)
        if not labels and source_label not in image.other_labels:
            image.other_labels.append(source_label)
        for label in labels:
            findings.append(
                Finding(id=f"{reader}-{len(findings) + 1}", label=normalize_label(label), box=box)
            )
            report.kept[label] += 1
            report.boxes_kept += int(box is not None)
    report.items = len(images)
    return list(images.values()), report


def consensus(image: VindrImage, k: int = DEFAULT_K) -> NormalizedImage:
    """The labels at least ``k`` readers marked, with every box of the readers who drew them.

    Findings come in reader first-seen order. ``no_finding`` is kept (once, no box) only when it
    reaches ``k`` and no positive label does. Labels below ``k`` are left out; an image may thus
    come back with no findings at all.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError(f"consensus k must be a positive integer (readers that agree), got {k!r}")
    votes = Counter(
        label for findings in image.readers.values() for label in {f.label for f in findings}
    )
    agreed = {label for label, count in votes.items() if count >= k}
    if agreed - {NO_FINDING}:
        agreed.discard(NO_FINDING)
    findings: list[Finding] = []
    for reader_findings in image.readers.values():
        for finding in reader_findings:
            duplicate_normal = finding.label == NO_FINDING and any(
                f.label == NO_FINDING for f in findings
            )
            if finding.label in agreed and not duplicate_normal:
                findings.append(finding)
    return NormalizedImage(
        dataset=DATASET,
        image_id=image.image_id,
        findings=findings,
        width=image.width,
        height=image.height,
        reference_complete=True,
        other_labels=list(image.other_labels),
    )
