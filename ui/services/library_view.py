"""What the Case library page shows: which cases pass the filters, which page of them, thumbnails.

Pure functions over loaded cases (no Streamlit). A case locked by an open teaching session never
matches a finding filter (matching would tell its answer); it still appears under the other filters.
Thumbnails are small JPEGs made from the case image at run time (the page caches them); nothing is
written to disk.
"""

from __future__ import annotations

import io
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from PIL import Image

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.ui.services.difficulty import NOT_RATED, Difficulty

PAGE_SIZE = 24
THUMB_SIDE = 200
OUTSIDE_FIVE = "outside the five"  # finding filter: a film marked for a finding outside the six
COMPLETENESS = ("any", "complete", "incomplete")


@dataclass(frozen=True)
class Filters:
    """Empty collections mean no restriction."""

    findings: Collection[str] = ()
    sources: Collection[str] = ()
    completeness: str = "any"
    difficulties: Collection[str] = ()


def matches(loaded: LoadedCase, filters: Filters, difficulty: Difficulty, locked: bool) -> bool:
    case = loaded.case
    if filters.sources and case.source.key not in filters.sources:
        return False
    if filters.completeness == "complete" and not case.reference_complete:
        return False
    if filters.completeness == "incomplete" and case.reference_complete:
        return False
    if filters.difficulties and difficulty.bucket not in filters.difficulties:
        return False
    if filters.findings:
        if locked:
            return False
        marked = set(case.labels()) | ({OUTSIDE_FIVE} if case.other_labels else set())
        if not marked & set(filters.findings):
            return False
    return True


def select_cases(
    cases: Sequence[LoadedCase],
    filters: Filters,
    difficulties: Mapping[str, Difficulty],
    locked: Collection[str],
) -> list[LoadedCase]:
    """The cases that pass ``filters``, in title order (the neutral numbering)."""
    chosen = [
        loaded
        for loaded in cases
        if matches(
            loaded,
            filters,
            difficulties.get(loaded.case.id, NOT_RATED),
            loaded.case.id in locked,
        )
    ]
    return sorted(chosen, key=lambda loaded: (loaded.case.title, loaded.case.id))


def page_count(n: int, size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(n / size))


def page_of(items: Sequence[LoadedCase], page: int, size: int = PAGE_SIZE) -> list[LoadedCase]:
    """Page ``page`` (from 1) of ``items``; a page past the end gives the last page."""
    page = min(max(1, page), page_count(len(items), size))
    return list(items[(page - 1) * size : page * size])


def thumbnail(image_bytes: bytes, side: int = THUMB_SIDE, quality: int = 80) -> bytes:
    """A small JPEG of the image (long side ``side`` pixels), never enlarged."""
    with Image.open(io.BytesIO(image_bytes)) as image:
        small = image.convert("L") if image.mode in ("L", "I", "I;16") else image.convert("RGB")
        small.thumbnail((side, side))
        buffer = io.BytesIO()
        small.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
