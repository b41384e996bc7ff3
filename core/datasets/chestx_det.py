"""ChestX-Det annotation JSON to normalized reference reads.

The file is a list of ``{"file_name", "syms", "boxes", "polygons"}``; ``syms[i]`` names
``boxes[i]``, a pixel box ``[x1, y1, x2, y2]`` on the 1024x1024 image. Every box is its own
finding: separate lesions of one class are never merged into one box. An empty ``syms`` list means
three radiologists found none of the 13 ChestX-Det categories, read as a single ``no_finding`` with
no box. The read is complete within those 13 categories (``reference_complete=True``), which is
narrower than "normal": an image whose only findings are dropped categories has no findings and
lists them in ``other_labels``. Polygons are not used.
"""

from __future__ import annotations

import json
from pathlib import Path

from cxr_auditor.core.boxes import from_pixel_xyxy
from cxr_auditor.core.datasets.csvfile import read_text
from cxr_auditor.core.datasets.maps import MapTable, Scheme, check_scheme, packaged_map
from cxr_auditor.core.datasets.records import NormalizedImage, NormalizeReport, map_source_label
from cxr_auditor.core.errors import BoxError, DatasetError
from cxr_auditor.core.labels import NO_FINDING, normalize_label
from cxr_auditor.core.schemas import Finding

DATASET = "chestx_det"
CHESTX_DET_SIZE = 1024


def _entry_problem(entry: object) -> str:
    """Why a JSON entry cannot be used, or "" when its layout is right."""
    if not isinstance(entry, dict):
        return f"expected an object with file_name, syms, boxes; got {type(entry).__name__}"
    name, syms, boxes = entry.get("file_name"), entry.get("syms"), entry.get("boxes")
    if not isinstance(name, str) or not name.strip():
        return "file_name is missing or not a non-empty string"
    if not isinstance(syms, list) or not all(isinstance(sym, str) for sym in syms):
        return "syms is missing or not a list of strings"
    if not isinstance(boxes, list) or len(boxes) != len(syms):
        return f"boxes must be a list with one box per sym ({len(syms)} syms)"
    return ""


def _pixel_box(value: object) -> tuple[float, float, float, float]:
    if not isinstance(value, list) or len(value) != 4:
        raise ValueError(f"expected [x1, y1, x2, y2], got {value!r}")
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in value):
        raise ValueError(f"expected 4 numbers, got {value!r}")
    x1, y1, x2, y2 = (float(v) for v in value)
    return x1, y1, x2, y2


def read_chestx_det(
    path: str | Path, *, scheme: Scheme = "strict", table: MapTable | None = None
) -> tuple[list[NormalizedImage], NormalizeReport]:
    """Read a ChestX-Det JSON file: one NormalizedImage per entry, and the run's report."""
    scheme = check_scheme(scheme)
    table = table or packaged_map("chestx_det")
    report = NormalizeReport(dataset=DATASET, scheme=scheme)
    try:
        entries = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise DatasetError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from error
    if not isinstance(entries, list):
        raise DatasetError(
            f"{path}: expected a top-level JSON list of images, got {type(entries).__name__}"
        )
    images: list[NormalizedImage] = []
    for index, entry in enumerate(entries):
        report.rows_read += 1
        where = f"{path}[{index}]"
        problem = _entry_problem(entry)
        if problem:
            report.reject(where, problem)
            continue
        image = NormalizedImage(
            dataset=DATASET,
            image_id=entry["file_name"].strip(),
            width=CHESTX_DET_SIZE,
            height=CHESTX_DET_SIZE,
        )
        if not entry["syms"]:
            image.findings.append(Finding(id="ref1", label=NO_FINDING, box=None))
            report.kept[NO_FINDING] += 1
        for number, (sym, raw_box) in enumerate(zip(entry["syms"], entry["boxes"], strict=True)):
            source_label = " ".join(sym.split())
            try:
                box = from_pixel_xyxy(*_pixel_box(raw_box), CHESTX_DET_SIZE, CHESTX_DET_SIZE)
            except (ValueError, BoxError) as error:
                report.reject(f"{where}.boxes[{number}]", f"bad box for {source_label!r}: {error}")
                continue
            labels = map_source_label(table, report, source_label)
            if not labels and source_label not in image.other_labels:
                image.other_labels.append(source_label)
            for label in labels:
                image.findings.append(
                    Finding(
                        id=f"ref{len(image.findings) + 1}", label=normalize_label(label), box=box
                    )
                )
                report.kept[label] += 1
                report.boxes_kept += 1
        images.append(image)
    report.items = len(images)
    return images, report
