"""Building library cases from a dataset's normalized reads and its image folder.

For each ``NormalizedImage`` whose image file is in the folder: the image is resized for the web
(long side ``max_side``, JPEG), the reference read is stored in the grounder's schema with its
completeness, and the source's license, attribution and teaching points are written into
``<out>/<case id>/case.json``. Images without a file are counted, not listed; reads that cannot
teach anything (nothing marked at all: an empty consensus, an incomplete read naming nothing) are
skipped with the reason. A read whose only marked findings are outside the six (an NIH image boxed
for atelectasis) is kept: it is an abnormal film, and its teaching points say so.

Titles never give the answer away: ``Case 017 · frontal chest film``. After every import, the cases
of the output folder are numbered 1..N in the order of ``sha256(case id)`` (``number_cases``), so a
number says nothing about the source or the finding and the same folder always numbers the same
way; adding or removing cases renumbers the others. Every source here (NIH, ChestX-Det, VinDr) is
frontal films, which is all the title says about the view. Reading the annotation files is the
dataset normalizers' job (``core.datasets``).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cxr_auditor.authoring.teaching import teaching_points
from cxr_auditor.core.case_format import (
    CASE_FILE,
    Case,
    Original,
    case_json,
    load_library,
    reference_boxes,
)
from cxr_auditor.core.case_sources import SourceInfo
from cxr_auditor.core.datasets import NormalizedImage
from cxr_auditor.serving.dicom import looks_like_dicom, read_dicom, render
from cxr_auditor.serving.image_files import ImageError, load_image
from cxr_auditor.serving.upload import fit

DEFAULT_MAX_SIDE = 768
DEFAULT_QUALITY = 88
IMAGE_NAME = "image.jpg"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".dcm", ".dicom")
ID_PREFIX = {"nih": "nih", "chestx_det": "chestxdet", "vindr": "vindr"}
VIEW_WORDS = "frontal chest film"  # every source here is frontal (PA or AP, not recorded)


@dataclass
class ImportReport:
    """What an import did: cases written, reads skipped with why, images not in the folder."""

    source: str
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    no_image: int = 0
    bytes_written: int = 0

    def lines(self) -> list[str]:
        out = [
            (
                f"{self.source}: {len(self.written)} cases written "
                f"({self.bytes_written / 1e6:.1f} MB of images), {len(self.skipped)} skipped, "
                f"{self.no_image} reads without an image in the folder"
            )
        ]
        out += [f"  skipped {image_id}: {reason}" for image_id, reason in self.skipped]
        return out


def case_id_for(source_key: str, image_id: str) -> str:
    stem = Path(image_id).stem.lower()
    return f"{ID_PREFIX[source_key]}-{re.sub(r'[^a-z0-9_.-]+', '-', stem).strip('-')}"


def find_image(folder: Path, image_id: str) -> Path | None:
    """The image file for ``image_id``: the exact name, else the stem with a known suffix."""
    exact = folder / image_id
    if exact.is_file():
        return exact
    for suffix in IMAGE_SUFFIXES:
        candidate = folder / f"{Path(image_id).stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def web_image(
    data: bytes, name: str, max_side: int, quality: int
) -> tuple[bytes, int, int, int, int]:
    """JPEG bytes of the image resized for the web, its size, and the original's size."""
    if looks_like_dicom(data, name):
        picture = read_dicom(data, name)
        image, original = render(picture), (picture.width, picture.height)
    else:
        loaded = load_image(data, name)
        image, original = loaded.image, (loaded.width, loaded.height)
    small = fit(image.convert("L") if image.mode == "L" else image.convert("RGB"), max_side)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue(), small.width, small.height, original[0], original[1]


def _skip_reason(image: NormalizedImage) -> str | None:
    if image.findings or image.other_labels:
        return None  # something is marked, in or outside the six: a case that teaches
    if not image.reference_complete:
        return "no boxed finding at all"
    return "no finding in the reference read (for example, no reader consensus)"


def title_for(number: int) -> str:
    """A title that names no finding, source or file: ``Case 017 · frontal chest film``."""
    return f"Case {number:03d} · {VIEW_WORDS}"


def number_cases(out_dir: Path) -> int:
    """Title every case folder under ``out_dir`` by its rank in ``sha256(case id)`` order.

    Rewrites only the ``case.json`` files whose title changes; returns how many it rewrote.
    Folders that do not hold a valid case are left alone (``cases list`` reports them).
    """
    library = load_library(out_dir)
    ranked = sorted(
        library.cases, key=lambda loaded: hashlib.sha256(loaded.case.id.encode()).hexdigest()
    )
    rewritten = 0
    for number, loaded in enumerate(ranked, start=1):
        title = title_for(number)
        if loaded.case.title != title and loaded.folder is not None:
            case = loaded.case.model_copy(update={"title": title})
            (loaded.folder / CASE_FILE).write_text(case_json(case), encoding="utf-8")
            rewritten += 1
    return rewritten


def build_case(
    image: NormalizedImage,
    source: SourceInfo,
    image_path: Path,
    out_dir: Path,
    max_side: int = DEFAULT_MAX_SIDE,
    quality: int = DEFAULT_QUALITY,
) -> tuple[Case, int]:
    """Write one case folder; return the case and the image's size in bytes."""
    data = image_path.read_bytes()
    jpeg, width, height, original_w, original_h = web_image(
        data, image_path.name, max_side, quality
    )
    case_id = case_id_for(source.key, image.image_id)
    case = Case(
        id=case_id,
        title=title_for(0),  # numbered with the whole folder by number_cases
        image=IMAGE_NAME,
        width=width,
        height=height,
        original=Original(
            dataset=image.dataset,
            file=image.image_id,
            width=original_w,
            height=original_h,
            sha256=hashlib.sha256(data).hexdigest(),
        ),
        reference=reference_boxes(image.findings),
        reference_complete=image.reference_complete,
        other_labels=list(image.other_labels),
        source=source,
        teaching_points=teaching_points(
            image.findings, image.other_labels, image.reference_complete
        ),
    )
    folder = out_dir / case_id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / IMAGE_NAME).write_bytes(jpeg)
    (folder / CASE_FILE).write_text(case_json(case), encoding="utf-8")
    return case, len(jpeg)


def import_cases(
    images: Iterable[NormalizedImage],
    source: SourceInfo,
    image_dir: Path | Sequence[Path],
    out_dir: Path,
    *,
    max_side: int = DEFAULT_MAX_SIDE,
    quality: int = DEFAULT_QUALITY,
) -> ImportReport:
    """Build a case for every read whose image is in ``image_dir`` (one folder or several, searched
    in order), then number the folder's cases; see the module docstring."""
    report = ImportReport(source=source.key)
    out_dir.mkdir(parents=True, exist_ok=True)
    folders = [image_dir] if isinstance(image_dir, Path) else list(image_dir)
    for image in images:
        path = next(
            (p for p in (find_image(f, image.image_id) for f in folders) if p is not None), None
        )
        if path is None:
            report.no_image += 1
            continue
        reason = _skip_reason(image)
        if reason:
            report.skipped.append((image.image_id, reason))
            continue
        try:
            case, size = build_case(image, source, path, out_dir, max_side, quality)
        except ImageError as error:
            report.skipped.append((image.image_id, f"image not usable: {error}"))
            continue
        report.written.append(case.id)
        report.bytes_written += size
    number_cases(out_dir)
    return report
