"""Shared by the Case library page and the case page (not a page itself): difficulty ratings,
thumbnails, the reference drawn over a case.
"""

from __future__ import annotations

import streamlit as st
from PIL import Image
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from cxr_auditor.core.case_format import LoadedCase
from cxr_auditor.core.labels import display_name
from cxr_auditor.ui.services import difficulty, library_view, overlay
from cxr_auditor.ui.services.palette import AGREED
from cxr_auditor.ui.views import cache
from cxr_auditor.ui.views.session_common import optional_engine

CASE_PAGE = "views/case.py"
CASE_PARAM = "case"


@st.cache_data(show_spinner=False, ttl=30)
def _miss_rows(url: str, _db: Engine) -> list[tuple[str, int, int]]:
    return difficulty.miss_rows(_db)


def ratings() -> dict[str, difficulty.Difficulty]:
    """Every attempted case's difficulty (refreshed at most every 30 s); none without a database."""
    db = optional_engine()
    if db is None:
        return {}
    try:
        return difficulty.rate(_miss_rows(db.url.render_as_string(hide_password=True), db))
    except SQLAlchemyError:
        return {}


@st.cache_data(show_spinner=False, max_entries=512)
def thumbnail(case_id: str, image_bytes: bytes) -> bytes:
    """A small JPEG of the case image, kept in memory. Keyed by the bytes too: an instructor may
    replace a stored case's image under the same id."""
    return library_view.thumbnail(image_bytes)


def with_reference(loaded: LoadedCase) -> Image.Image:
    """The case image with its reference boxes drawn, captioned with the finding."""
    picture = cache.picture(loaded.image_bytes(), loaded.case.image)
    boxes = [
        overlay.OverlayBox(f.box, AGREED.hex, display_name(f.label))
        for f in loaded.case.findings()
        if f.box is not None
    ]
    return overlay.draw(picture.image, boxes)
