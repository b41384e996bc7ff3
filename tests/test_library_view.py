"""What the Case library page selects: filters, the lock, pages, thumbnails."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cxr_auditor.core.case_format import load_library, packaged_library
from cxr_auditor.ui.services.difficulty import rate
from cxr_auditor.ui.services.library_view import (
    OUTSIDE_FIVE,
    PAGE_SIZE,
    Filters,
    page_count,
    page_of,
    select_cases,
    thumbnail,
)

PNEUMOTHORAX_CASE = "nih-00005140_001"


@pytest.fixture(scope="module")
def cases():
    return load_library(packaged_library()).cases


def ids(chosen) -> set[str]:
    return {loaded.case.id for loaded in chosen}


def test_no_filter_selects_every_case_in_title_order(cases):
    chosen = select_cases(cases, Filters(), {}, ())
    assert len(chosen) == len(cases)
    assert [c.case.title for c in chosen] == sorted(c.case.title for c in cases)


@pytest.mark.parametrize(
    "filters, holds",
    [
        (Filters(findings=["pneumothorax"]), lambda c: "pneumothorax" in c.labels()),
        (Filters(findings=[OUTSIDE_FIVE]), lambda c: bool(c.other_labels)),
        (Filters(sources=["chestx_det"]), lambda c: c.source.key == "chestx_det"),
        (Filters(completeness="complete"), lambda c: c.reference_complete),
        (Filters(completeness="incomplete"), lambda c: not c.reference_complete),
    ],
)
def test_each_filter_keeps_exactly_the_cases_it_names(cases, filters, holds):
    chosen = ids(select_cases(cases, filters, {}, ()))
    assert chosen == {c.case.id for c in cases if holds(c.case)}
    assert 0 < len(chosen) < len(cases)


def test_difficulty_filter_uses_the_ratings(cases):
    rated = rate([(PNEUMOTHORAX_CASE, 6, 5), ("nih-00006751_000", 6, 0)])
    hard = select_cases(cases, Filters(difficulties=["hard"]), rated, ())
    assert ids(hard) == {PNEUMOTHORAX_CASE}
    unrated = select_cases(cases, Filters(difficulties=["not yet rated"]), rated, ())
    assert len(unrated) == len(cases) - 2


def test_a_locked_case_never_matches_a_finding_filter_but_stays_in_the_grid(cases):
    locked = {PNEUMOTHORAX_CASE}
    assert PNEUMOTHORAX_CASE not in ids(
        select_cases(cases, Filters(findings=["pneumothorax"]), {}, locked)
    )
    assert PNEUMOTHORAX_CASE in ids(select_cases(cases, Filters(), {}, locked))


def test_pages_of_24(cases):
    assert page_count(len(cases)) == -(-len(cases) // PAGE_SIZE)
    assert len(page_of(cases, 1)) == PAGE_SIZE
    last = page_count(len(cases))
    assert page_of(cases, last + 5) == page_of(cases, last)  # past the end: the last page
    assert page_count(0) == 1 and page_of([], 1) == []


def test_thumbnail_is_a_small_jpeg(cases):
    data = thumbnail(cases[0].image_bytes())
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and max(image.size) == 200
    assert len(data) < 20_000
